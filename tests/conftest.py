"""Shared fixtures: one real build of the book per test session.

The build is the slowest step, so it runs once (HTML, then PDF) and every test that reads the
output shares it. Tests that must see a build fail use small temporary books instead.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from bricsai import build
from bricsai.paths import ROOT

HTML = ROOT / "_build" / "html"


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
    from bricsai.report import glued_value

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


def make_mini_book(tmp_path: Path, page: str, extra_config: str = "") -> Path:
    """A temporary book with the real configuration, bibliography and one notebook page.

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
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n"
                                   "  - file: notebooks/page\n", encoding="utf-8")
    (root / "book" / "intro.md").write_text("# Intro\n\nA page.\n", encoding="utf-8")
    (root / "notebooks" / "page.md").write_text(NOTEBOOK_HEAD + page, encoding="utf-8")
    return root
