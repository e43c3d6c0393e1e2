"""Shared fixtures: one real build of the book per test session.

The build is the slowest step, so it runs once (HTML, then PDF) and every test that reads the
output shares it. Tests that must see a build fail use small temporary books instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from bricsai.book import build
from bricsai.paths import ROOT

HTML = ROOT / "_build" / "html"


# --- data files read while tests are collected ---------------------------------------------
# A test parametrized from data/claims.yml (say) reads the file while pytest collects the
# tests. If the file is broken, that must fail those tests with the file's message, not stop
# the whole run at collection with no test run at all.

def pytest_configure(config):
    config.addinivalue_line("markers", "data_error(message): the data file the test is "
                                       "parametrized from cannot be read; the test fails with its message")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    mark = pyfuncitem.get_closest_marker("data_error")
    if mark is not None:
        pytest.fail(mark.args[0], pytrace=False)


def params_from(make, argnames: int = 1) -> list:
    """``make()``'s parameters, built from a data file; if the file cannot be read, a single
    parameter that fails with the file's message (see ``pytest_pyfunc_call``)."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001 - any failure to read is reported by the test
        message = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
        return [pytest.param(*([None] * argnames), id="data-file-unreadable",
                             marks=pytest.mark.data_error(message))]


@pytest.fixture(scope="session")
def built_book():
    """Build the real book once; returns {builder: CompletedProcess}."""
    results = build.build(ROOT, "all")
    return results


@pytest.fixture(scope="session")
def html_pages(built_book):
    """Every content page of the built HTML site (the root redirect page excluded)."""
    pages = sorted(p for p in HTML.rglob("*.html")
                   if "_static" not in p.parts and not _is_redirect(p))
    assert pages, "the HTML build produced no pages"
    return pages


def _is_redirect(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    return len(text) < 300 and re.search(r'http-equiv="Refresh"', text, re.I) is not None



@pytest.fixture(scope="session")
def glued(built_book):
    """glued("pop-share-latest") -> the value the book printed in this session's build."""
    from bricsai.present.report import glued_value

    return glued_value


NOTEBOOK_HEAD = textwrap.dedent("""\
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---
    """)


def make_mini_book(tmp_path: Path, page: str, extra_config: str = "",
                   more_pages: dict[str, str] | None = None) -> Path:
    """A temporary book with the real configuration, bibliography and one notebook page
    (``notebooks/page.md``), plus ``more_pages`` (``{name: content}``, more notebook pages).

    ``extra_config`` is appended to the ``sphinx: config:`` block of the copied _config.yml.
    """
    root = tmp_path / "book"
    (root / "book").mkdir(parents=True)
    (root / "notebooks").mkdir()
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    if extra_config:
        config = config.replace("  config:\n", "  config:\n" + textwrap.indent(extra_config, "    "), 1)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    shutil.copy2(ROOT / "book" / "references.bib", root / "book" / "references.bib")
    shutil.copytree(ROOT / "book" / "_latex", root / "book" / "_latex")
    pages = {"page": page, **(more_pages or {})}
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n" + "".join(
        f"  - file: notebooks/{name}\n" for name in pages), encoding="utf-8")
    (root / "book" / "intro.md").write_text("# Intro\n\nA page.\n", encoding="utf-8")
    for name, text in pages.items():
        (root / "notebooks" / f"{name}.md").write_text(NOTEBOOK_HEAD + text, encoding="utf-8")
    return root


# What a clone holds besides the sources: never copied into a repository copy.
NOT_SOURCES = {".git", ".venv", "_build", "node_modules", ".pytest_cache", ".hypothesis",
               "__pycache__", ".ipynb_checkpoints", "*.egg-info"}


def copy_repository(dest: Path, git: bool = True) -> Path:
    """A copy of the repository's working tree (sources only) at ``dest``.

    The vendored front-end assets come along (``_build/vendor``). With ``git`` the copy is a
    repository with one commit of everything, so that a test can
    restore files as a maintainer would (``git checkout -- data``). Build it with
    :func:`bricsai.book.build.run_build`, which uses the copy's own package.
    """
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*NOT_SOURCES), symlinks=True)
    vendor = ROOT / "_build" / "vendor"
    if vendor.is_dir():  # the MathJax the HTML serves (make vendor), not a source
        shutil.copytree(vendor, dest / "_build" / "vendor")
    if git:
        def run(*args):
            subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@invalid",
                            "-c", "commit.gpgsign=false", *args], cwd=dest, check=True,
                           capture_output=True)
        run("init", "-q")
        run("add", "-A")
        run("commit", "-q", "-m", "copy")
    return dest


# --- raw data -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory):
    """Every raw file the extracts read: data/raw, with committed fixtures for the files whose
    licence keeps them out of the repository (see tests/rawdata.py)."""
    import rawdata

    return rawdata.complete(tmp_path_factory.mktemp("raw"))


# --- no skips for want of data ----------------------------------------------------------------
# tests/noskip.py fails the run when a test skips for any reason but the copyrighted article.
from noskip import pytest_runtest_logreport, pytest_sessionfinish  # noqa: E402,F401 - hooks
