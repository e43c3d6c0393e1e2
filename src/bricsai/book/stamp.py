"""Make's shortcut, decided by content: skip a build when nothing it reads has changed.

``make html`` and ``make pdf`` run ``python -m bricsai.book.build html|pdf --if-changed``. Before
starting Sphinx, that compares the SHA-256 of every source file (:data:`SOURCES`) and the
build's date (:mod:`bricsai.book.sourcedate`) with the stamp the last successful build of the same
target wrote (``_build/html/.built``, ``_build/latex/.built``). Any added, deleted or changed
file starts the build, whatever its modification time; so does a missing or changed output the
stamp lists. The stamp is removed when a build starts, records the state read *before* the
build began, and is written only after the build succeeded: a failed or interrupted build
always runs again, even when its sources are then put back as they were.

Standard library only, so that the no-op stays far below a second.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bricsai.book import fingerprint, sourcedate

# Everything a build of the book reads, relative to the book root.
SOURCES = ("_config.yml", "_toc.yml", "book", "notebooks", "src", "data", "requirements.lock",
           "pyproject.toml", "package-lock.json", "CITATION.cff", "CHANGELOG.md")
STAMPS = {"html": Path("_build/html/.built"), "pdf": Path("_build/latex/.built")}
VERSION = 1


def state(root: Path) -> dict:
    """What a build of ``root`` would read now."""
    root = Path(root)
    return {"version": VERSION, "source_date_epoch": sourcedate.epoch(root),
            "sources": fingerprint.digests([root / s for s in SOURCES])}


def read(root: Path, what: str) -> dict | None:
    try:
        stamp = json.loads((Path(root) / STAMPS[what]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) and stamp.get("version") == VERSION else None


def stale(root: Path, what: str, now: dict) -> str | None:
    """Why ``what`` must be built, or None when its last successful build is current."""
    root = Path(root)
    stamp = read(root, what)
    if stamp is None:
        return "no stamp of a successful build"
    diff = fingerprint.changes(stamp["sources"], now["sources"])
    if any(diff.values()):
        return fingerprint.describe(diff)
    if stamp["source_date_epoch"] != now["source_date_epoch"]:
        return (f"SOURCE_DATE_EPOCH changed from {stamp['source_date_epoch']} "
                f"to {now['source_date_epoch']}")
    for name, digest in stamp.get("outputs", {}).items():
        path = root / name
        if not path.is_file():
            return f"output {name} is missing"
        if fingerprint.sha256_file(path) != digest:
            return f"output {name} changed"
    return None


def clear(root: Path, what: str) -> None:
    """Forget the last successful build of ``what``: called as a build starts, since a build
    that fails may already have rewritten some outputs (a page written before a warning
    failed the gate), and reverting the sources must then not make them look current."""
    (Path(root) / STAMPS[what]).unlink(missing_ok=True)


def write(root: Path, what: str, now: dict, outputs: list[Path] = ()) -> Path:
    """Record ``now`` as the state of the successful build of ``what``, with its outputs."""
    root = Path(root)
    stamp = dict(now, outputs={p.relative_to(root).as_posix(): fingerprint.sha256_file(p)
                               for p in outputs})
    path = root / STAMPS[what]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
