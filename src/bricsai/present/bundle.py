"""The download bundle of a figure: everything a reuser needs, in one ZIP file.

Each bundle holds, under a folder named after the figure:

- ``data.csv``: the values the figure plots, exactly as drawn;
- ``datapackage.json``: the same described as a Frictionless Data Package (columns with their
  meaning and unit, sources with citation, licence and release, how the values were derived);
- ``README.md``: that description for people, with how to cite the report;
- ``code.py``: the notebook cell that computed and drew the values (the exact derivation);
- ``extracts/<name>.meta.json``: the metadata of each tidy extract the figure reads;
- ``raw/<path>``: the raw snapshot files those extracts were made from, with their checksums.

Archives are reproducible: entries sorted, dated by ``SOURCE_DATE_EPOCH``, fixed permissions.
Standard library only (the Sphinx extension builds them at the end of the HTML build).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

from bricsai.paths import EXTRACTS

REPORT = "Russia, China and a BRICS AI alliance: a data check"
AUTHORS = "The BRICS AI Report contributors"
REPORT_LICENCE = "CC-BY-4.0"


class BundleError(RuntimeError):
    """A figure's bundle cannot be made (a raw file is missing or changed)."""


def _extract_meta(name: str) -> dict:
    path = EXTRACTS / f"{name}.meta.json"
    if not path.exists():
        raise BundleError(f"extract metadata {path.name} is missing (figure data set {name!r})")
    return json.loads(path.read_text(encoding="utf-8"))


def raw_files(dataset: str) -> list[tuple[dict, Path | None]]:
    """(manifest entry, file on disk or None) of each raw file the extract was made from.

    The entries come from the raw-file manifest (:func:`bricsai.sources.raw.raw_files`); a file
    the repository may carry must be present with its listed checksum, a file whose licence
    keeps it out of the repository is listed without being bundled when it is absent.
    """
    from bricsai.paths import RAW
    from bricsai.sources import raw

    out = []
    for entry in raw.raw_files(dataset):
        path = RAW / entry["path"]
        if not path.is_file():
            if entry.get("redistributable", True):
                raise BundleError(f"{dataset}: raw file {entry['path']} is missing from data/raw "
                                  f"(run `make fetch`)")
            out.append((entry, None))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            raise BundleError(f"{dataset}: raw file {entry['path']} has changed (sha256 {digest}, "
                              f"the manifest lists {entry['sha256']})")
        out.append((entry, path))
    return out


def describe(record: dict) -> dict:
    """The Frictionless Data Package that describes a figure's CSV."""
    metas = [_extract_meta(name) for name in record.get("datasets", [])]
    fields = [{"name": c["name"], "description": c["description"]} if c.get("description")
              else {"name": c["name"]} for c in record.get("columns") or []]
    sources = [{"title": m.get("title", m["name"]), "publisher": m.get("publisher", ""),
                "citation": m.get("citation", ""), "licence": m.get("licence", ""),
                "release": m.get("release", ""), "extract": m["name"],
                "derivation": m.get("derivation", ""), "notes": m.get("notes", []),
                "raw_files": [{k: e.get(k) for k in ("path", "publisher", "title", "source_url",
                                                        "release", "retrieved", "licence", "sha256")}
                              | {"bundled": path is not None}
                              for e, path in raw_files(m["name"])]}
               for m in metas]
    return {
        "name": record["name"],
        "title": record.get("title") or record["name"],
        "description": record.get("alt", ""),
        "licenses": [{"name": REPORT_LICENCE,
                      "title": "the report's derivations; each source keeps its own licence",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "citation": f"{AUTHORS}, {REPORT}, figure {record['name']}. {record.get('source', '')}",
        "sources": sources,
        "derivation": record.get("derivation", ""),
        "resources": [{"name": "data", "path": "data.csv", "format": "csv",
                       "mediatype": "text/csv", "encoding": "utf-8",
                       "schema": {"fields": fields}}],
    }


def readme(record: dict, package: dict) -> str:
    lines = [f"# {package['title']}", "", package["description"], "",
             f"Figure `{record['name']}` of *{REPORT}* ({AUTHORS}).", "",
             "## Files", "",
             "- `data.csv`: the values the figure plots.",
             "- `datapackage.json`: this description, machine-readable (Frictionless Data Package).",
             "- `code.py`: the notebook code that computed and drew the values.",
             "- `extracts/`: metadata of the tidy extracts the code reads.",
             "- `raw/`: the raw snapshot files the extracts were made from.", "",
             "## Columns", ""]
    for field in package["resources"][0]["schema"]["fields"]:
        lines.append(f"- `{field['name']}`" + (f": {field['description']}"
                                                if field.get("description") else ""))
    lines += ["", "## How the values were derived", ""]
    if package["derivation"]:
        lines += [package["derivation"], ""]
    lines += ["The exact computation is in `code.py` (run inside the chapter's notebook); each "
              "source's own derivation is below.", "", "## Sources, licences and data vintage", ""]
    for s in package["sources"]:
        lines += [f"### {s['title']}", "",
                  f"- Publisher: {s['publisher']}", f"- Citation: {s['citation']}",
                  f"- Licence: {s['licence']}", f"- Release (data vintage): {s['release']}",
                  f"- Extract: `extracts/{s['extract']}.meta.json`"]
        if s["derivation"]:
            lines.append(f"- Derivation: {s['derivation']}")
        for note in s["notes"]:
            lines.append(f"- Note: {note}")
        for raw in s["raw_files"]:
            where = f"`raw/{raw['path']}`" if raw["bundled"] else (
                f"{raw['path']} (not bundled: its licence keeps it out of the repository)")
            lines.append(f"- Raw file: {where}, from {raw['source_url']}, release {raw['release']}, "
                         f"retrieved {raw['retrieved']}, licence {raw['licence']} (sha256 {raw['sha256']})")
        lines.append("")
    lines += ["## Licence and citation", "",
              "The report's own derivations are licensed CC BY 4.0; the source data keep the "
              "licences named above. Cite as:", "", f"> {package['citation']}", ""]
    return "\n".join(lines)


def _zip_date(epoch: int) -> tuple[int, int, int, int, int, int]:
    when = dt.datetime.fromtimestamp(max(epoch, 315532800), tz=dt.UTC)  # zip: >= 1980
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def write_bundle(record: dict, csv_path: Path, dest: Path, epoch: int) -> Path:
    """Write ``<dest>/<name>.zip`` for one recorded figure; returns its path."""
    name = record["name"]
    package = describe(record)
    entries: dict[str, bytes] = {
        "data.csv": Path(csv_path).read_bytes(),
        "datapackage.json": (json.dumps(package, indent=1, ensure_ascii=False) + "\n").encode(),
        "README.md": readme(record, package).encode(),
        "code.py": (record.get("code") or "# (the figure was not drawn in a notebook)\n").encode(),
    }
    for dataset in record.get("datasets", []):
        entries[f"extracts/{dataset}.meta.json"] = (EXTRACTS / f"{dataset}.meta.json").read_bytes()
        for entry, path in raw_files(dataset):
            if path is not None:
                entries[f"raw/{entry['path']}"] = path.read_bytes()
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / f"{name}.zip"
    date = _zip_date(epoch)
    with zipfile.ZipFile(target, "w") as zf:
        for entry in sorted(entries):
            info = zipfile.ZipInfo(f"{name}/{entry}", date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[entry], compresslevel=9)
    return target
