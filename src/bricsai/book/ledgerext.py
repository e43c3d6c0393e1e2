"""The claims ledger as data, in the HTML site.

- ``ledger-data/claims-ledger.csv`` and ``.json``: every entry, written when the HTML build
  finishes, from the same frame the ledger page shows (:mod:`bricsai.chapters.ledger`).
- One schema.org ``ClaimReview`` (JSON-LD) per entry in the head of the ledger page, as
  fact-checkers publish them.
- The explorer's script and style (static ``bricsai-ledger.js`` / ``.css``), on every page but
  doing nothing where there is no explorer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from sphinx.application import Sphinx

from bricsai.book import sourcedate
from bricsai.paths import ROOT

LEDGER_PAGE = "notebooks/claims_ledger"
DATA_DIR = "ledger-data"
CSV_NAME = "claims-ledger.csv"
JSON_NAME = "claims-ledger.json"


@lru_cache(maxsize=1)
def _records() -> tuple[dict, ...]:
    from bricsai.chapters import ledger

    return tuple(ledger.records(ledger.ledger_frame()))


def _meta(app: Sphinx) -> dict:
    from bricsai.ledger import claims

    return {"title": f"Claims ledger: {app.config.project}", "date": sourcedate.date(ROOT).isoformat(),
            "verdicts": claims.scale_table().to_dict(orient="records"),
            "licence": "CC BY 4.0 for the ledger's own text; sources under their own terms"}


def _page_url(app: Sphinx) -> str:
    base = (app.config.html_baseurl or "").rstrip("/")
    name = LEDGER_PAGE + ".html"
    return f"{base}/{name}" if base else Path(name).name


def _json_ld(app: Sphinx, pagename: str, templatename, context, doctree):
    if pagename != LEDGER_PAGE or "metatags" not in context:
        return
    from bricsai.chapters import ledger

    reviews = ledger.claim_reviews(list(_records()), page_url=_page_url(app),
                                   date=sourcedate.date(ROOT).isoformat(), author=app.config.author)
    # "</" never appears inside the script element (JSON allows "<\/").
    tags = "".join('\n<script type="application/ld+json">'
                   + json.dumps(r, ensure_ascii=False).replace("</", "<\\/") + "</script>" for r in reviews)
    context["metatags"] += tags


def _write_data(app: Sphinx, exception):
    if exception is not None or app.builder.format != "html" or LEDGER_PAGE not in app.env.found_docs:
        return
    from bricsai.chapters import ledger

    target = Path(app.outdir) / DATA_DIR
    target.mkdir(exist_ok=True)
    recs = list(_records())
    (target / CSV_NAME).write_text(ledger.records_csv(recs), encoding="utf-8")
    (target / JSON_NAME).write_text(ledger.records_json(recs, _meta(app)), encoding="utf-8")


def _fresh(app: Sphinx):
    _records.cache_clear()


def setup(app: Sphinx):
    app.connect("builder-inited", _fresh)
    app.connect("html-page-context", _json_ld)
    app.connect("build-finished", _write_data)
    app.add_css_file("bricsai-ledger.css")
    app.add_js_file("bricsai-ledger.js")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
