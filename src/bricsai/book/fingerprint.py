"""Content fingerprints of the files a build reads.

Both of the book's rebuild shortcuts decide by content, never by modification time: make's
(:mod:`bricsai.book.stamp`) and the execution-cache guard (:mod:`bricsai.book.cacheguard`). A file copied
with its old mtime (``cp -p``, ``rsync -a``, a ``git checkout`` of an older blob) is still seen
as changed, and a deleted or added file changes the fingerprint as well.

Standard library only: make's no-op runs this before anything else and must stay fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

# Folders that tools write next to the sources; what is in them never affects a build.
IGNORED_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis"})
IGNORED_SUFFIXES = (".pyc", ".pyo")


def _wanted(path: Path) -> bool:
    return not (IGNORED_PARTS & set(path.parts)) and not path.name.endswith(IGNORED_SUFFIXES)


def files(paths: Iterable[Path]) -> list[tuple[str, Path]]:
    """``(name, path)`` of every file below ``paths``, sorted by name.

    A name is the path relative to the parent of the listed path (``data/blocs.yml``,
    ``bricsai/groups/blocs.py``, ``_config.yml``), so that the same tree gives the same names wherever
    it is checked out. Paths that do not exist are skipped: their absence is part of the
    fingerprint because their files are missing from it.
    """
    out = []
    for base in paths:
        base = Path(base)
        if base.is_file():
            out.append((base.name, base))
        elif base.is_dir():
            out += [(p.relative_to(base.parent).as_posix(), p) for p in base.rglob("*")
                    if p.is_file() and _wanted(p.relative_to(base))]
    return sorted(out)


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def digests(paths: Iterable[Path]) -> dict[str, str]:
    """``{name: SHA-256 of the file's bytes}`` for every file below ``paths``."""
    return {name: sha256_file(path) for name, path in files(paths)}


def combine(named: Mapping[str, str]) -> str:
    """One SHA-256 over a ``{name: digest}`` mapping (order-independent)."""
    digest = hashlib.sha256()
    for name in sorted(named):
        digest.update(f"{name}\0{named[name]}\n".encode())
    return digest.hexdigest()


def changes(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, list[str]]:
    """What differs between two ``{name: digest}`` mappings: added, deleted, changed names."""
    return {"added": sorted(set(new) - set(old)),
            "deleted": sorted(set(old) - set(new)),
            "changed": sorted(n for n in set(old) & set(new) if old[n] != new[n])}


def describe(diff: Mapping[str, list[str]], limit: int = 5) -> str:
    """``changes`` in one line: 'changed: data/x.csv; deleted: data/y.csv'."""
    parts = []
    for kind in ("changed", "added", "deleted"):
        names = diff.get(kind) or []
        if names:
            more = f" and {len(names) - limit} more" if len(names) > limit else ""
            parts.append(f"{kind}: {', '.join(names[:limit])}{more}")
    return "; ".join(parts) or "no file changed"
