"""The landing page tells the findings in numbers the registry and the ledger computed, not typed ones."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from bricsai.ledger.measures import registry
from bricsai.paths import ROOT

INTRO = ROOT / "_build" / "html" / "book" / "intro.html"
GLUED = {"claims-total": ".0f", "claims-supported": ".0f", "claims-partly": ".0f",
         "claims-not-supported": ".0f", "claims-not-checkable": ".0f"}
MEASURES = [("pop_share", "BRICS-5"), ("gdp_share", "BRICS-5"), ("pop_share", "BRICS-10"),
            ("gdp_ppp_share", "BRICS-10"), ("gpu_share", "RUS"), ("models", "USA")]


def _text() -> str:
    html = INTRO.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_landing_shows_the_ledger_counts(built_book, glued):
    text = _text()
    for key, fmt in GLUED.items():
        shown = format(glued(key), fmt)
        assert re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", text), f"{key}={shown} missing"
    counts = [glued(k) for k in GLUED]
    assert counts[0] == sum(counts[1:]), "the landing page's counts do not add up to its total"


def test_landing_shows_the_registry_values(built_book):
    soup = BeautifulSoup(INTRO.read_text(encoding="utf-8"), "html.parser")
    shown = {s["data-key"].split("|")[0] + "|" + s["data-key"].split("|")[1]: s.get_text()
             for s in soup.select("span.bricsai-m") if s["data-key"].split("|")[2] in ("world", "None", "")}
    for measure, group in MEASURES:
        assert shown.get(f"{measure}|{group}") == registry().text(measure, group), (measure, group)


def test_landing_source_has_no_typed_numbers():
    source = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    prose = re.sub(r"\{(glue:text|measure|period|verdict|ref|cite)\}`[^`]+`", "", source)
    prose = re.sub(r'"[^"]*"', "", prose)  # the article's quoted claim
    prose = prose.split("## Rerun it, cite it")[0]  # the citation block carries the version
    assert not re.search(r"\d+(\.\d+)?\s*(%|per cent)", prose), "a percentage is typed by hand"
