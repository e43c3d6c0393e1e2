"""Across the built book, each registry measure has one value, and states its period.

The ``{measure}`` role writes ``<span class="bricsai-m" data-key=... data-value=...
data-period-label=...>``. This test reads every built HTML page and fails when

- one key (measure, group, denominator, period) appears with two values anywhere in the book,
- a printed share does not round from its value (the text was edited, not the number), or
- the block that states a value (paragraph, list item, table with its caption, figure caption)
  does not also state its period.

A second test doctors a copy of a built page and shows that each check fails.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

BLOCKS = ("p", "li", "figcaption", "dd", "dt", "h1", "h2", "h3", "h4", "blockquote", "caption")


def _block(span):
    table = span.find_parent("table")
    if table is not None:
        return table  # a value in a cell states its period in the caption or the header
    return span.find_parent(BLOCKS) or span.parent


def _text_matches(text: str, value: float) -> bool:
    """A printed share ("40.3%") must round from the value; other units are not parsed here."""
    m = re.fullmatch(r"[\u2212-]?([\d,]+)(?:\.(\d+))?%", text.strip())
    if not m:
        return True
    digits = len(m.group(2) or "")
    shown = float(text.strip().rstrip("%").replace(",", "").replace("\u2212", "-"))
    return round(100 * value, digits) == pytest.approx(shown, abs=10 ** -(digits + 3))


def problems_in(pages: dict[str, str]) -> list[str]:
    """Every breach of the rules above in ``{page name: html}``."""
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    out = []
    for name, html in pages.items():
        soup = BeautifulSoup(html, "html.parser")
        for span in soup.select("span.bricsai-m"):
            key, value, label = span["data-key"], span["data-value"], span["data-period-label"]
            seen[key][value].append(name)
            if not _text_matches(span.get_text(), float(value)):
                out.append(f"{name}: {key} is printed as {span.get_text()!r} but its value is {value}")
            block = _block(span)
            if label not in block.get_text(" "):
                out.append(f"{name}: {key} = {span.get_text()!r} without its period ({label}) in the same "
                           f"block: {block.get_text(' ')[:120]!r}")
    for key, values in seen.items():
        if len(values) > 1:
            where = "; ".join(f"{v} on {', '.join(sorted(set(p)))}" for v, p in values.items())
            out.append(f"{key} has {len(values)} values: {where}")
    return out


def _pages(html_pages) -> dict[str, str]:
    return {str(p.name): p.read_text(encoding="utf-8") for p in html_pages}


@pytest.mark.book
def test_one_value_per_measure_with_its_period(html_pages):
    pages = _pages(html_pages)
    n = sum(html.count('class="bricsai-m"') for html in pages.values())
    assert n >= 10, f"only {n} registry values in the book; the landing page alone states more"
    assert problems_in(pages) == []


@pytest.mark.book
def test_the_check_fails_on_a_doctored_page(html_pages):
    pages = _pages(html_pages)
    name = next(n for n, h in pages.items() if 'class="bricsai-m"' in h)
    soup = BeautifulSoup(pages[name], "html.parser")
    span = soup.select_one("span.bricsai-m")
    label = span["data-period-label"]

    # A second page states the same measure with another value (number and text changed).
    other = BeautifulSoup(str(span), "html.parser").span
    other["data-value"] = repr(float(span["data-value"]) * 1.01)
    other.string = "99.9%" if span.get_text().endswith("%") else "1"
    doctored = {**pages, "doctored.html": f"<p>In {label}: {other}</p>"}
    found = problems_in(doctored)
    assert any(span["data-key"] in p and "values" in p for p in found), found

    # The printed text no longer rounds from the value.
    if span.get_text().endswith("%"):
        span.string = "12.3%"
        assert any("printed as" in p for p in problems_in({**pages, name: str(soup)}))

    # A block that states the value without its period.
    bare = f'<p>The bloc holds {span}.</p>'
    assert any("without its period" in p for p in problems_in({"bare.html": bare}))


def test_checker_on_small_pages():
    """The checker itself, on hand-written pages (no book build needed)."""
    span = ('<span class="bricsai-m" data-key="pop_share|BRICS-5|world|2024" data-value="0.4031" '
            'data-period="2024" data-period-label="2024">40.3%</span>')
    good = {"a.html": f"<p>In 2024 the five held {span}.</p>",
            "b.html": f"<table><caption>Shares, 2024</caption><tr><td>{span}</td></tr></table>"}
    assert problems_in(good) == []
    two = {**good, "c.html": "<p>In 2024: " + span.replace("0.4031", "0.41").replace("40.3%", "41.0%") + "</p>"}
    assert any("2 values" in p for p in problems_in(two))
    assert any("printed as" in p for p in problems_in({"d.html": "<p>2024: " + span.replace("40.3%", "40.5%") + "</p>"}))
    assert any("without its period" in p for p in problems_in({"e.html": f"<p>They held {span}.</p>"}))

