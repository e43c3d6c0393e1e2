"""``make fetch`` against a local HTTP server on 127.0.0.1 that each test starts and stops.

The server plays the publishers: it serves the committed raw files and fixtures, or breaks in
one of the ways publishers' sites do (404, a stall, a body cut short, an HTML error page, a file
whose columns changed, a new release). The repository is a copy in tmp_path; every failure must
name the source and leave that copy exactly as it was.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import socket
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rawdata

from bricsai.__main__ import main
from bricsai.chapters import ledger as ledger_chapter
from bricsai.errors import DataError
from bricsai.ledger.measures import registry
from bricsai.paths import EXTRACTS, RAW
from bricsai.sources import fetch, raw

POP = "wdi/API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv"
TORTOISE = "ai/tortoise_global_ai_index/AI_index_db.csv"


class Publisher(BaseHTTPRequestHandler):
    """Serves ``server.routes``: path -> (mode, body)."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case): nothing more to send

    def _answer(self):
        mode, body = self.server.routes.get(self.path, ("404", b""))
        if mode == "404":
            self.send_error(404, "Not Found")
            return
        if mode == "stall":
            time.sleep(self.server.stall)
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if mode == "html" else "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncated":
            # Announce the whole file, send half of it, hang up.
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def publisher():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    server.daemon_threads = True
    server.routes, server.stall = {}, 3.0
    # A short poll, so that shutdown() at teardown returns at once, not after half a second.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}/m"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def repo(tmp_path):
    """A copy of data/raw and data/extracts to refresh."""
    shutil.copytree(RAW, tmp_path / "raw")
    shutil.copytree(EXTRACTS, tmp_path / "extracts")
    return tmp_path


def state(repo: Path) -> dict[str, str]:
    """Every file of the copy (and nothing else in its folder) by content."""
    return {p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(repo.rglob("*")) if p.is_file()}


def refresh(repo: Path, publisher, only, **kw):
    return fetch.refresh(only=only, mirror=publisher.base, raw_dir=repo / "raw", extracts_dir=repo / "extracts",
                         progress=False, today="2027-01-15", **kw)


def serve(publisher, rel: str, body: bytes, mode: str = "ok") -> None:
    publisher.routes[f"/m/{rel}"] = (mode, body)


def fails_cleanly(repo, publisher, only, *words, **kw) -> DataError:
    before = state(repo)
    with pytest.raises(DataError) as exc:
        refresh(repo, publisher, only, **kw)
    msg = str(exc.value)
    for w in words:
        assert w in msg, msg
    assert state(repo) == before, "a failed fetch changed the repository"
    assert not list(repo.glob(".fetch-*")), "a failed fetch left its staging folder"
    return exc.value


@pytest.mark.slow
def test_normal_refresh(repo, publisher):
    """An unchanged file stays as it is; a file the repository may not carry is brought in,
    its extract rebuilt from it, and the manifest records the retrieval."""
    pop = (RAW / POP).read_bytes()
    serve(publisher, POP, pop)
    fixture = (rawdata.FIXTURES / TORTOISE).read_bytes()
    serve(publisher, TORTOISE, fixture)
    report = refresh(repo, publisher, [POP, TORTOISE])
    assert report.unchanged == [POP] and report.changed == [TORTOISE]
    assert report.rebuilt == ["tortoise_global_ai_index"]
    assert (repo / "raw" / TORTOISE).read_bytes() == fixture
    assert (repo / "raw" / POP).read_bytes() == pop
    entries = raw.load(repo / "raw" / "manifest.yml")
    assert entries[TORTOISE]["sha256"] == hashlib.sha256(fixture).hexdigest()
    assert entries[TORTOISE]["size"] == len(fixture)
    assert entries[POP]["retrieved"] == entries[TORTOISE]["retrieved"] == "2027-01-15"
    rebuilt = (repo / "extracts" / "tortoise_global_ai_index.csv").read_text(encoding="utf-8")
    assert "SAU" in rebuilt and "IRN" not in rebuilt  # the fixture's countries
    assert "extracts rebuilt: tortoise_global_ai_index" in report.text()
    assert not list(repo.glob(".fetch-*"))


@pytest.mark.slow
def test_new_release_changes_one_headline_value(repo, publisher):
    text = (RAW / POP).read_bytes()
    row_start = text.index(b'"China","CHN"')
    row_end = text.index(b"\n", row_start)
    row = text[row_start:row_end].split(b'","')  # quoted fields; "Population, total" has a comma
    # The ledger's reference-year column (1960 is the fifth field): China's population one
    # billion higher.
    year = ledger_chapter.period("economy")
    col = 4 + (year - 1960)
    old = float(row[col])
    row[col] = f"{old + 1e9:.0f}".encode()
    release = text[:row_start] + b'","'.join(row) + text[row_end:]
    serve(publisher, POP, release)
    report = refresh(repo, publisher, [POP])
    assert report.changed == [POP] and report.rebuilt == ["wdi_economy"]
    keys = {v["key"]: v for v in report.values}
    share = keys["c21-population-share/brics5-pop"]
    assert share["after"] > share["before"]
    # Only values that depend on population may change: registry measures of population, per
    # person or PPP GDP (derived from per-person PPP and population), and the ledger's checks of them.
    measures = registry().measures

    def from_population(v) -> bool:
        m = measures.get(v["key"].split("|")[0])
        if m is not None:
            return "SP.POP.TOTL" in (m["indicator"], m.get("per")) or m["indicator"].endswith(".DERIVED")
        return "SP.POP.TOTL" in v["label"] or "per" in v["label"] or "GDP" in v["label"]

    assert all(from_population(v) for v in report.values), [v["key"] for v in report.values if not from_population(v)]
    text_report = report.text()
    assert f"world_share SP.POP.TOTL BRICS-5 {year}" in text_report and "->" in text_report
    assert (repo / "raw" / POP).read_bytes() == release
    assert raw.load(repo / "raw" / "manifest.yml")[POP]["sha256"] == hashlib.sha256(release).hexdigest()
    # The installed extract is what a fresh build of the new raw folder gives.
    raw.check(repo / "raw", [POP], repo / "raw" / "manifest.yml")


def test_404_names_the_source(repo, publisher):
    fails_cleanly(repo, publisher, [POP], "The World Bank", POP, "HTTP 404", retries=0)


def test_timeout_names_the_source(repo, publisher):
    serve(publisher, POP, (RAW / POP).read_bytes(), mode="stall")
    fails_cleanly(repo, publisher, [POP], "The World Bank", "timed out", timeout=0.5, retries=0)


def test_truncated_body_is_refused(repo, publisher):
    serve(publisher, POP, (RAW / POP).read_bytes(), mode="truncated")
    fails_cleanly(repo, publisher, [POP], "The World Bank", POP, "incomplete", retries=1)


def test_html_error_page_instead_of_csv(repo, publisher):
    serve(publisher, POP, b"<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>", mode="html")
    fails_cleanly(repo, publisher, [POP], "The World Bank", "HTML page", "CSV")


def test_changed_columns_are_refused_by_the_loader(repo, publisher):
    changed = (rawdata.FIXTURES / TORTOISE).read_bytes().replace(b"Talent,", b"Talent pillar,", 1)
    serve(publisher, TORTOISE, changed)
    fails_cleanly(repo, publisher, [TORTOISE], "Tortoise", "AI_index_db.csv", "missing column(s) ['Talent']")


def test_one_failure_among_several_changes_nothing(repo, publisher):
    serve(publisher, TORTOISE, (rawdata.FIXTURES / TORTOISE).read_bytes())  # fine on its own
    fails_cleanly(repo, publisher, [TORTOISE, POP], POP, "HTTP 404", retries=0)


def test_zip_download_gives_the_named_member(tmp_path, publisher):
    entry = raw.load()[POP]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_99999.csv", b"x")
        z.writestr("API_SP.POP.TOTL_DS2_en_csv_v2_99999.csv", b"the data")
    serve(publisher, "pop.zip", buf.getvalue())
    data = fetch.download(POP, entry, f"{publisher.base}/pop.zip", tmp_path, timeout=5, retries=0, progress=False)
    assert data == b"the data"


def test_cli_failure_says_nothing_changed(publisher, capsys):
    manifest = (RAW / "manifest.yml").read_bytes()
    code = main(["fetch", "--mirror", publisher.base, "--only", POP, "--retries", "0"])
    err = capsys.readouterr().err
    assert code == 2 and "HTTP 404" in err and "nothing was changed" in err
    assert (RAW / "manifest.yml").read_bytes() == manifest
    assert not list(RAW.parent.glob(".fetch-*"))
