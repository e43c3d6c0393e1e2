"""Shared fixtures: one real build of the book per test session.

The build is the slowest step, so it runs once (HTML, then PDF) and every test that reads the
output shares it. Tests that must see a build fail use small temporary books instead.
"""

from __future__ import annotations

import re
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
