"""``make fetch``: download the raw files again from their publishers, check them, rebuild the
extracts, and report what changed in the book's headline numbers.

Every step before the last works in a staging folder beside ``data/raw``:

1. download each file of the manifest (or those asked for) from its ``fetch_url`` with pooch
   (timeout, retries, progress bar); a zip download gives the member named by ``fetch_member``;
2. check that each looks like its ``format`` (a CSV and not an HTML error page, a workbook, JSON);
3. rebuild every extract that reads a downloaded file, with the project's loaders and validators
   (a file whose columns changed fails here, naming the file);
4. compute the headline numbers and claim verdicts from the current and from the new extracts.

Only when all of that succeeded are the raw files, the manifest and the extracts replaced, each
by a rename; any failure raises ``DataError`` naming the source and leaves the repository as it
was. Nothing here runs during ``make book`` or ``make test`` (the tests serve fixtures from a
local HTTP server).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bricsai.errors import DataError
from bricsai.paths import EXTRACTS, RAW
from bricsai.sources import raw

OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # old .xls workbooks


@dataclass
class Report:
    """What a fetch did: files changed or unchanged, extracts rebuilt, headline differences."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    flips: list[dict] = field(default_factory=list)
    compared: int = 0

    def text(self) -> str:
        lines = [f"{len(self.changed)} raw file(s) changed, {len(self.unchanged)} unchanged"]
        lines += [f"  changed: {p}" for p in self.changed]
        if self.rebuilt:
            lines.append(f"extracts rebuilt: {', '.join(self.rebuilt)}")
        lines.append(f"headline numbers compared: {self.compared}; changed: {len(self.values)}")
        for v in self.values:
            lines.append(f"  {v['label']} [{v['key']}]: {_fmt(v['before'])} -> {_fmt(v['after'])}")
        lines.append(f"claim verdicts that flip: {len(self.flips)}")
        for f in self.flips:
            lines.append(f"  {f['claim']}: {f['before']} -> {f['after']}")
        return "\n".join(lines)


def _fmt(v) -> str:
    return "no value" if v is None else f"{v:.6g}"


def _label(rel: str, entry: dict) -> str:
    return f"{entry['publisher']}: {rel}"


def download(rel: str, entry: dict, url: str, into: Path, timeout: float, retries: int,
             progress: bool = True, unzip: bool = True) -> bytes:
    """The file's bytes as published (a zip member when ``fetch_member`` says so and ``unzip``).

    Any network or HTTP failure (404, timeout, a body shorter than announced) raises DataError
    naming the source and the address.
    """
    import pooch
    import requests

    name = rel.replace("/", "__")
    fetcher = pooch.create(path=into, base_url="", registry={name: None}, urls={name: url},
                           retry_if_failed=retries)
    downloader = pooch.HTTPDownloader(progressbar=progress, timeout=timeout)
    try:
        path = Path(fetcher.fetch(name, downloader=downloader))
    except requests.exceptions.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise DataError(_label(rel, entry), f"download failed: HTTP {status} from {url}") from None
    except requests.exceptions.Timeout:
        raise DataError(_label(rel, entry), f"download timed out after {timeout:g} s: {url}") from None
    except (requests.exceptions.RequestException, OSError, ValueError) as exc:
        # A body cut short arrives as a ChunkedEncodingError / IncompleteRead here.
        raise DataError(_label(rel, entry),
                        f"download failed or incomplete ({type(exc).__name__}: {exc}): {url}") from None
    data = path.read_bytes()
    member = entry.get("fetch_member") if unzip else None
    if member:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                hits = [n for n in z.namelist() if fnmatch.fnmatch(n, member)]
                if len(hits) != 1:
                    raise DataError(_label(rel, entry), f"the zip from {url} has {len(hits)} member(s) "
                                                        f"matching {member!r}, expected one")
                data = z.read(hits[0])
        except zipfile.BadZipFile:
            raise DataError(_label(rel, entry), f"expected a zip archive from {url}, got something else") from None
    return data


def check_format(rel: str, entry: dict, data: bytes) -> None:
    """Refuse what cannot be the expected kind of file: an empty body, an HTML error page
    where a CSV was expected, a workbook that is not one."""
    label = _label(rel, entry)
    if not data:
        raise DataError(label, "the download is empty")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    kind = entry["format"]
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")) or b"<html" in head[:512]:
        raise DataError(label, f"expected a {kind.upper()} file but received an HTML page "
                               "(the publisher's site may have returned an error or a login page)")
    if kind == "xlsx" and not data.startswith(b"PK"):
        raise DataError(label, "expected an .xlsx workbook (a zip archive); received something else")
    if kind == "xls" and not data.startswith(OLE2):
        raise DataError(label, "expected an .xls workbook (OLE2); received something else")
    if kind == "json":
        try:
            json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise DataError(label, f"expected JSON: {exc}") from None
    if kind == "csv":
        try:
            data[:65536].decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError(label, "expected a UTF-8 CSV file; received bytes that are not text") from None


def headline(extracts_dir: Path) -> dict:
    """The headline snapshot of ``extracts_dir``, computed in a separate process."""
    env = dict(os.environ, BRICSAI_EXTRACTS=str(extracts_dir))
    r = subprocess.run([sys.executable, "-m", "bricsai.ledger.headline"], env=env, capture_output=True,
                       text=True)
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise DataError(extracts_dir, f"the headline numbers cannot be computed from the new extracts: {last}")
    return json.loads(r.stdout)


def refresh(only: list[str] | None = None, mirror: str | None = None, timeout: float = 60.0,
            retries: int = 2, raw_dir: Path = RAW, manifest: Path | None = None,
            extracts_dir: Path = EXTRACTS, progress: bool = True, today: str | None = None) -> Report:
    """Download, check, rebuild and, only if all succeeded, install; see the module docstring."""
    from bricsai.ledger import headline as hl
    from bricsai.sources import extracts

    raw_dir, extracts_dir = Path(raw_dir), Path(extracts_dir)
    manifest = Path(manifest) if manifest else raw_dir / "manifest.yml"
    files = raw.load(manifest)
    wanted = list(files) if not only else list(dict.fromkeys(only))
    unknown = [p for p in wanted if p not in files]
    if unknown:
        raise DataError(manifest, f"not in the manifest: {unknown}")
    report = Report()
    stage = Path(tempfile.mkdtemp(prefix=".fetch-", dir=raw_dir.parent))
    try:
        new: dict[str, bytes] = {}
        for rel in wanted:
            entry = files[rel]
            url = f"{mirror.rstrip('/')}/{rel}" if mirror else entry["fetch_url"]
            print(f"fetching {rel} from {url}", file=sys.stderr)
            # A mirror serves the files themselves, not the publishers' zip archives.
            data = download(rel, entry, url, stage / "downloads", timeout, retries, progress, unzip=not mirror)
            check_format(rel, entry, data)
            if raw.sha256_bytes(data) == entry["sha256"] and (raw_dir / rel).is_file():
                report.unchanged.append(rel)
            else:
                new[rel] = data
        # The raw folder as it would be: current files, with the downloads in their place.
        staged_raw = stage / "raw"
        for rel in files:
            dst = staged_raw / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if rel in new:
                dst.write_bytes(new[rel])
            elif (raw_dir / rel).is_file():
                dst.symlink_to((raw_dir / rel).resolve())
        staged_extracts = stage / "extracts"
        shutil.copytree(extracts_dir, staged_extracts)
        affected = [d for d in extracts.all_datasets() if set(d.inputs) & set(new)]
        for d in affected:
            lacking = [p for p in d.inputs if not (staged_raw / p).is_file()]
            if lacking:
                raise DataError(manifest, f"{d.name} reads {lacking[0]}, which is neither in {raw_dir} nor "
                                          "fetched: fetch it too (make fetch ONLY=...)")
        try:
            extracts.build(staged_raw, staged_extracts, datasets=affected)
        except DataError as exc:
            # Name the publisher too: the loaders name only the file.
            src = next((_label(p, files[p]) for p in new if p.split("/")[-1] in str(exc.source)), None)
            raise DataError(src or exc.source, exc.problem if hasattr(exc, "problem") else str(exc)) from None
        report.rebuilt = [d.name for d in affected]
        report.changed = list(new)
        if new:
            diff = hl.changes(headline(extracts_dir), headline(staged_extracts))
            report.values, report.flips, report.compared = diff["values"], diff["flips"], diff["compared"]
        # Install: every check passed. Each replacement is a rename within one file system.
        stamp = today or dt.date.today().isoformat()
        for rel, data in new.items():
            target = raw_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.fetch")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            files[rel].update(sha256=raw.sha256_bytes(data), size=len(data), retrieved=stamp)
        for rel in report.unchanged:
            files[rel]["retrieved"] = stamp
        raw.save(files, manifest)
        for d in affected:
            for suffix in (".csv", ".meta.json"):
                os.replace(staged_extracts / f"{d.name}{suffix}", extracts_dir / f"{d.name}{suffix}")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return report


def main(only=None, mirror=None, timeout=60.0, retries=2) -> Report:
    report = refresh(only=only, mirror=mirror, timeout=timeout, retries=retries)
    print(report.text())
    return report
