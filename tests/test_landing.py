"""The landing page tells the findings in numbers the chapters computed, not typed ones."""

from __future__ import annotations

import re

from bricsai.paths import ROOT

INTRO = ROOT / "_build" / "html" / "book" / "intro.html"
KEYS = {"bloc-pop-share-brics5-latest": ".1f", "bloc-gdp-share-brics5-latest": ".1f",
        "bloc-pop-share-brics10-latest": ".1f", "bloc-ppp-share-brics10-latest": ".1f",
        "ai-china-share-brics-models": ".0f", "ai-us-models-latest": ".0f",
        "claims-total": ".0f", "claims-supported": ".0f"}


def _text() -> str:
    html = INTRO.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_landing_shows_the_chapters_numbers(built_book, glued):
    text = _text()
    for key, fmt in KEYS.items():
        shown = format(glued(key), fmt)
        assert re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", text), f"{key}={shown} missing"


def test_landing_source_has_no_typed_percentages():
    source = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    prose = re.sub(r"\{glue:text\}`[^`]+`", "", source)
    prose = re.sub(r'"[^"]*"', "", prose)  # the article's quoted claim
    assert not re.search(r"\d+(\.\d+)?\s*(%|per cent)", prose), "a percentage is typed by hand"
