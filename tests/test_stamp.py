"""make's shortcut decides by content (``python -m bricsai.book.build html|pdf --if-changed``).

The build itself is replaced by a stand-in that records its calls, so that each case costs
milliseconds: the decision is what is tested. The old rule (``_build/html/.built: $(SOURCES)``)
said "nothing to do" for a file changed with its old mtime and for a deleted extract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bricsai.book import build, fingerprint, stamp
from bricsai.paths import ROOT


class FakeBuild:
    """Stands in for ``build.build``: records the call and writes the outputs a build leaves."""

    def __init__(self):
        self.calls: list[str] = []
        self.returncode = 0

    def __call__(self, root: Path, what: str, env=None):
        self.calls.append(what)
        html = root / "_build" / "html"
        html.mkdir(parents=True, exist_ok=True)
        (html / "index.html").write_text(f"build {len(self.calls)}\n")
        if what == "pdf":
            (root / "_build" / "latex").mkdir(parents=True, exist_ok=True)
            for path in (build.pdf_path(root), html / "brics-ai-report.pdf"):
                path.write_bytes(b"%PDF " + str(len(self.calls)).encode())
        return {what: subprocess.CompletedProcess([], self.returncode, "", "")}


@pytest.fixture
def book(tmp_path, monkeypatch):
    """A source tree with the layout the stamp reads, and the stand-in build."""
    root = tmp_path / "book"
    for rel, text in {"_config.yml": "title: t\n", "_toc.yml": "root: intro\n",
                      "book/intro.md": "# Intro\n", "notebooks/ch.md": "# Chapter\n",
                      "src/bricsai/__init__.py": "", "data/extracts/wdi.csv": "a,b\n1,2\n",
                      "data/extracts/top500.csv": "a,b\n3,4\n", "requirements.lock": "x==1\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    fake = FakeBuild()
    monkeypatch.setattr(build, "build", fake)
    monkeypatch.setattr(build, "_pdf_name", lambda: "brics-ai-report.pdf")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return root, fake


def make(root: Path, what: str = "html") -> int:
    return build.main([what, str(root), "--if-changed"])


def test_nothing_changed_builds_nothing(book):
    root, fake = book
    assert make(root) == 0 and fake.calls == ["html"]
    assert make(root) == 0 and fake.calls == ["html"]


def test_a_change_with_the_old_mtime_is_seen(book):
    """``cp -p`` / ``rsync -a``: new content, old modification time."""
    root, fake = book
    make(root)
    path = root / "data" / "extracts" / "wdi.csv"
    old = path.stat()
    path.write_text("a,b\n1,3\n")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert make(root) == 0 and fake.calls == ["html", "html"]


def test_a_deleted_file_is_seen(book):
    root, fake = book
    make(root)
    (root / "data" / "extracts" / "top500.csv").unlink()
    assert make(root) == 0 and fake.calls == ["html", "html"]


def test_an_added_file_is_seen(book):
    root, fake = book
    make(root)
    (root / "notebooks" / "new.md").write_text("# New\n")
    assert make(root) == 0 and fake.calls == ["html", "html"]


def test_touching_a_file_changes_nothing(book):
    root, fake = book
    make(root)
    later = time.time() + 100
    os.utime(root / "data" / "extracts" / "wdi.csv", (later, later))
    assert make(root) == 0 and fake.calls == ["html"]


def test_a_failed_build_is_built_again(book):
    root, fake = book
    make(root)
    (root / "book" / "intro.md").write_text("# Intro, edited\n")
    fake.returncode = 2
    assert make(root) == 2 and fake.calls == ["html", "html"]
    fake.returncode = 0
    assert make(root) == 0 and fake.calls == ["html", "html", "html"]
    assert make(root) == 0 and len(fake.calls) == 3


def test_a_failed_build_is_built_again_after_a_revert(book):
    """A build that failed may have rewritten outputs: putting the sources back as they were
    at the last successful build must not make those outputs look current."""
    root, fake = book
    make(root)
    page = root / "book" / "intro.md"
    good = page.read_text()
    page.write_text("# Intro with a broken reference\n")
    fake.returncode = 1
    assert make(root) == 1
    fake.returncode = 0
    page.write_text(good)
    assert make(root) == 0 and fake.calls == ["html", "html", "html"]


def test_a_change_during_the_build_is_built_next_time(book, monkeypatch):
    """The stamp records the sources as they were when the build began."""
    root, fake = book
    inner = FakeBuild.__call__

    def edit_while_building(self, r, what, env=None):
        (root / "notebooks" / "ch.md").write_text("# Chapter, edited during the build\n")
        return inner(self, r, what, env)

    monkeypatch.setattr(FakeBuild, "__call__", edit_while_building)
    make(root)
    monkeypatch.setattr(FakeBuild, "__call__", inner)
    make(root)
    assert fake.calls == ["html", "html"]


def test_a_new_build_date_rebuilds(book, monkeypatch):
    root, fake = book
    make(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700086400")
    make(root)
    assert fake.calls == ["html", "html"]


def test_pdf_stamp_checks_its_outputs(book):
    root, fake = book
    assert make(root, "pdf") == 0 and fake.calls == ["pdf"]
    assert make(root, "pdf") == 0 and fake.calls == ["pdf"]
    (root / "_build" / "html" / "brics-ai-report.pdf").unlink()  # e.g. _build/html rebuilt
    assert make(root, "pdf") == 0 and fake.calls == ["pdf", "pdf"]


def test_stale_names_what_changed(book):
    root, _ = book
    make(root)
    (root / "data" / "extracts" / "top500.csv").unlink()
    (root / "data" / "extracts" / "wdi.csv").write_text("changed\n")
    reason = stamp.stale(root, "html", stamp.state(root))
    assert reason == "changed: data/extracts/wdi.csv; deleted: data/extracts/top500.csv"


def test_sources_cover_what_a_build_reads():
    """Every top-level entry of the repository is either a source of the stamp or known not
    to be read by a build, so that a new folder cannot be forgotten."""
    not_read = {".git", ".gitignore", ".ci", ".github", ".venv", "_build", "node_modules",
                ".pytest_cache", ".hypothesis", ".ruff_cache", "tests", "benchmarks", "README.md",
                "CONTRIBUTING.md", "LICENSE", "package.json", "Makefile", "binder"}
    entries = {p.name for p in ROOT.iterdir() if not p.name.endswith(".egg-info")}
    assert entries - not_read - set(stamp.SOURCES) == set()


def test_makefile_uses_the_content_stamp():
    """make itself no longer compares modification times of the sources."""
    dry = subprocess.run(["make", "-n", "--no-print-directory", "html", "pdf"], cwd=ROOT,
                         capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    assert "-m bricsai.book.build html --if-changed" in dry.stdout
    assert "-m bricsai.book.build pdf --if-changed" in dry.stdout
    text = (ROOT / "Makefile").read_text()
    assert "$(SOURCES)" not in text and ".built:" not in text


def test_fingerprint_names_are_relative(tmp_path):
    (tmp_path / "data" / "__pycache__").mkdir(parents=True)
    (tmp_path / "data" / "a.csv").write_text("1\n")
    (tmp_path / "data" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert list(fingerprint.digests([tmp_path / "data", tmp_path / "missing"])) == ["data/a.csv"]
    copy = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "data", copy / "data")
    assert fingerprint.digests([copy / "data"]) == fingerprint.digests([tmp_path / "data"])


# --- make clean and the vendored assets ------------------------------------------------------

def _make(*args) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_make_clean_keeps_the_vendored_assets(tmp_path):
    build_dir = tmp_path / "_build"
    for rel in ("vendor/mathjax/tex-chtml.js", "html/index.html", ".jupyter_cache/global.db",
                "glue-values/k.json", "latex/book.pdf"):
        (build_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (build_dir / rel).write_text("x")
    result = _make("clean", f"BUILD={build_dir}")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in build_dir.iterdir()] == ["vendor"]
    assert (build_dir / "vendor" / "mathjax" / "tex-chtml.js").is_file()


def test_vendored_assets_come_back_without_the_network(tmp_path):
    """With node_modules as package-lock.json pins it (make setup), restoring the vendored
    MathJax copies it from there: no `npm ci`, so no network."""
    assert (ROOT / "node_modules" / ".package-lock.json").is_file(), "run `make setup` first"
    fake = tmp_path / "no-npm"
    fake.mkdir()
    (fake / "npm").write_text("#!/bin/sh\necho 'npm was called' >&2\nexit 97\n")
    (fake / "npm").chmod(0o755)
    build_dir = tmp_path / "_build"
    result = subprocess.run(["make", "--no-print-directory", "vendor", f"BUILD={build_dir}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}"))
    assert result.returncode == 0 and "npm was called" not in result.stderr, result.stderr
    assert (build_dir / "vendor" / "mathjax" / "tex-chtml.js").stat().st_size > 100_000
