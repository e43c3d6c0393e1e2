"""The raw snapshots in ``data/raw`` and their manifest (``data/raw/manifest.yml``).

The manifest is the one list of raw files: for each file (path relative to ``data/raw``) its
publisher, title, source URL, release, retrieval date, licence, whether the licence lets the
repository carry it, SHA-256 and size, and where ``make fetch`` downloads it. ``make data``
reads raw files only through :func:`check`, so a file that differs from its manifest entry
stops the build before anything is written.

A file whose licence does not allow redistribution (``redistributable: false``) is not in the
repository; its extract stays as committed until ``make fetch`` brings the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.paths import RAW

MANIFEST = RAW / "manifest.yml"
REQUIRED = ("title", "publisher", "source_url", "release", "retrieved", "licence", "redistributable",
            "sha256", "size", "format", "fetch_url")
FORMATS = ("csv", "xlsx", "xls", "json")
# Written at the top of the manifest whenever it is rewritten, so that the file explains itself.
HEADER = """\
# The raw files behind data/extracts, one entry per file (path relative to data/raw).
#   title, publisher, source_url (the publisher's page), release, retrieved (date of our copy),
#   licence, redistributable (false: the file is not committed; `make fetch` brings it),
#   sha256 and size of the file as published, format (what `make fetch` expects: csv, xlsx, xls,
#   json), fetch_url (where `make fetch` downloads it; fetch_member: the file inside a zip),
#   copy_of (the public copy our snapshot was taken from, repository @ commit).
# `make data` refuses a file whose SHA-256 differs from this list; `make fetch` rewrites the
# entries it refreshes.
"""


def load(path: Path | str = MANIFEST) -> dict[str, dict]:
    """The manifest's entries by path; every problem names the manifest, the entry and the field."""
    path = Path(path)
    data = yamlfile.load(path)
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not files:
        raise DataError(path, "expected a mapping 'files' of raw file entries")
    for rel, entry in files.items():
        if not isinstance(entry, dict):
            raise DataError(path, f"entry {rel!r} is {yamlfile.kind(entry)}, expected a mapping")
        missing = [k for k in REQUIRED if k not in entry]
        if missing:
            raise DataError(path, f"entry {rel!r} lacks field(s) {missing}")
        if not isinstance(entry["redistributable"], bool):
            raise DataError(path, f"entry {rel!r}, field 'redistributable' must be true or false")
        sha = entry["sha256"]
        if not (isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)):
            raise DataError(path, f"entry {rel!r}, field 'sha256' is not a hex SHA-256")
        if not isinstance(entry["size"], int) or entry["size"] < 0:
            raise DataError(path, f"entry {rel!r}, field 'size' must be a whole number of bytes")
        if entry["format"] not in FORMATS:
            raise DataError(path, f"entry {rel!r}, field 'format' must be one of {list(FORMATS)}")
    return files


def save(files: dict[str, dict], path: Path | str = MANIFEST) -> None:
    """Write the manifest atomically (a temporary file renamed over the old one)."""
    path = Path(path)
    text = HEADER + yaml.safe_dump({"files": files}, sort_keys=False, allow_unicode=True, width=110)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def sha256_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Status:
    """What :func:`check` found: files that match, and files that are absent but may be."""

    present: tuple[str, ...]
    absent: tuple[str, ...]  # not redistributable and not fetched yet


def check(raw_dir: Path | str, paths, manifest: Path | str = MANIFEST, accept: bool = False) -> Status:
    """Compare each of ``paths`` under ``raw_dir`` with the manifest.

    A file that differs (SHA-256 or size) raises DataError naming it, unless ``accept`` (a new
    release is intended): then its entry is updated with the new checksum and size. A
    redistributable file that is missing, or a path the manifest does not list, is an error; a
    missing file that the repository may not carry is reported as absent.
    """
    raw_dir, manifest = Path(raw_dir), Path(manifest)
    files = load(manifest)
    present, absent, changed = [], [], {}
    for rel in dict.fromkeys(paths):
        entry = files.get(rel)
        if entry is None:
            raise DataError(manifest, f"raw file {rel!r} is not listed")
        p = raw_dir / rel
        if not p.is_file():
            if entry["redistributable"]:
                raise DataError(p, "raw file is missing (it is listed in the manifest)")
            absent.append(rel)
            continue
        data = p.read_bytes()
        sha = sha256_bytes(data)
        if sha != entry["sha256"] or len(data) != entry["size"]:
            if not accept:
                raise DataError(p, f"SHA-256 {sha[:12]}… ({len(data)} bytes) differs from the manifest "
                                   f"({entry['sha256'][:12]}…, {entry['size']} bytes); if this is a new "
                                   "release, rerun with --accept-new-raw (make data ACCEPT=1)")
            changed[rel] = {"sha256": sha, "size": len(data)}
        present.append(rel)
    if changed:
        for rel, new in changed.items():
            files[rel].update(new)
        save(files, manifest)
    return Status(tuple(present), tuple(absent))


def raw_files(dataset: str, manifest: Path | str = MANIFEST) -> list[dict]:
    """The raw files behind the extract ``dataset``: ``path`` plus the file's manifest entry.

    For figure download bundles and the methods page: name each file, its publisher, licence,
    release and checksum. Raises DataError for an unknown dataset name.
    """
    from bricsai.sources import extracts

    by_name = {d.name: d for d in extracts.all_datasets()}
    if dataset not in by_name:
        raise DataError("extracts", f"unknown dataset {dataset!r} (known: {sorted(by_name)})")
    files = load(manifest)
    return [{"path": rel, **files[rel]} for rel in by_name[dataset].inputs]


def extracts_using(manifest: Path | str = MANIFEST) -> dict[str, list[str]]:
    """For each raw file of the manifest, the extracts built from it (in build order)."""
    from bricsai.sources import extracts

    out: dict[str, list[str]] = {rel: [] for rel in load(manifest)}
    for d in extracts.all_datasets():
        for rel in d.inputs:
            out.setdefault(rel, []).append(d.name)
    return out


def provenance_table(manifest: Path | str = MANIFEST):
    """One row per raw file for the methods page: the file (linked to its publisher's page) and
    the extracts built from it; publisher, title, release and licence; checksum and size.

    Three columns only, so that the PDF's columns are wide enough for the file names. A name
    is set in code type, which LaTeX may break after "." and "/", unless it has hyphens: plain
    text breaks after those, code type does not.
    """
    import pandas as pd

    files, using = load(manifest), extracts_using(manifest)
    rows = []
    for rel, e in files.items():
        where = " (not in the repository: `make fetch`)" if not e["redistributable"] else ""
        rows.append({
            "Raw file → extracts": f"[{rel if '-' in rel else f'`{rel}`'}]({e['source_url']}){where} → "
                                   f"{', '.join(using[rel])}",
            "Publisher, title, release, licence": (f"{e['publisher']}: {e['title']}; {e['release']}, copy of "
                                                   f"{e['retrieved']}. Licence: {e['licence']}"),
            "SHA-256, size": f"{e['sha256'][:8]}…, {e['size'] / 1024:,.0f} KiB",
        })
    return pd.DataFrame(rows)
