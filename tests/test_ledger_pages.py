"""The claims ledger and pros/cons pages: the book's measure on the committed extracts, and the
built pages showing every claim and point with the verdicts the code computes."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import measure_oracle
import pandas as pd
import pytest

from bricsai.chapters import evidence
from bricsai.chapters import ledger as chapter
from bricsai.chapters import proscons as proscons_chapter
from bricsai.ledger import claims, proscons
from bricsai.paths import ROOT
from bricsai.present import report
from bricsai.sources import extracts

HTML = ROOT / "_build" / "html" / "notebooks"


# --- the measure on the committed extracts (no build needed) ---------------------------------

def _share(group, indicator, year, key="scenario"):
    return {"metric": "world_share", key: group, "indicator": indicator, "year": year}


def test_brics5_population_share_2023_is_plausible():
    value = evidence.measure(_share("BRICS-5", "SP.POP.TOTL", 2023))
    assert 0.40 <= value <= 0.41


def test_gdp_shares_are_plausible_and_ordered():
    nominal = evidence.measure(_share("BRICS-5", "NY.GDP.MKTP.CD", 2023))
    ppp = evidence.measure(_share("BRICS-5", "NY.GDP.MKTP.PP.CD.DERIVED", 2023))
    bigger = evidence.measure(_share("BRICS-10", "NY.GDP.MKTP.CD", 2023))
    assert 0.2 < nominal < ppp < 0.45
    assert nominal < bigger


def test_incomplete_group_gives_no_value_and_says_why():
    # The latest WDI year lacks some members' GDP: the share must not be a partial sum.
    wdi = extracts.load("wdi_economy")
    gdp = wdi[wdi["indicator"] == "NY.GDP.MKTP.CD"]
    latest = int(gdp["year"].max())
    members = evidence.members("BRICS-10")
    have = set(gdp.loc[gdp["year"] == latest, "entity"].astype(str))
    info = evidence.explain(_share("BRICS-10", "NY.GDP.MKTP.CD", latest))
    if set(members) <= have:
        pytest.skip("every BRICS-10 member has GDP in the latest year")
    assert math.isnan(info["value"])
    assert "incomplete" in info["problem"] and info["missing"]


def test_partial_year_gives_no_value():
    info = evidence.explain({"metric": "world_share", "entity": "USA", "indicator": "epoch_gpu_h100e", "year": 2025})
    assert math.isnan(info["value"]) and "partial" in info["problem"]
    notes = " ".join(extracts.metadata("epoch_gpu_clusters")["notes"])
    assert "2025 is partial" in notes


def test_year_outside_the_data_gives_no_value():
    info = evidence.explain(_share("BRICS-5", "SP.POP.TOTL", 1900))
    assert math.isnan(info["value"]) and "not in the data" in info["problem"]


def test_counts_treat_absent_countries_as_zero():
    # South Africa has no GPU cluster in Epoch's data: zero, not missing.
    spec = {"metric": "value", "entity": "ZAF", "indicator": "epoch_gpu_h100e", "year": 2024}
    assert evidence.measure(spec) == 0.0
    # ... but a population is never assumed zero.
    assert math.isnan(evidence.measure({"metric": "value", "entity": "ZZZ", "indicator": "SP.POP.TOTL", "year": 2023}))


def test_zero_denominator_gives_no_value():
    spec = {"metric": "ratio", "entity": "USA", "to": "ZAF", "indicator": "epoch_gpu_h100e", "year": 2024}
    info = evidence.explain(spec)
    assert math.isnan(info["value"]) and "zero" in info["problem"]


def test_book_measure_agrees_with_reference_implementation():
    """Where both give a value, evidence.measure equals claims.make_measure on the same data."""
    names = ["wdi_economy", "wdi_innovation", "epoch_notable_models", "epoch_gpu_clusters", "top500",
             "eto_semiconductor_shares"]
    tidy = pd.concat([extracts.load(n)[["entity", "indicator", "year", "value"]] for n in names])
    tidy = tidy.assign(entity=tidy["entity"].astype(str), indicator=tidy["indicator"].astype(str))
    counts = [i for i in tidy["indicator"].unique() if evidence.is_count(i)]
    ref = measure_oracle.make_measure(tidy, {n: evidence.members(n) for n in ["BRICS-5", "BRICS-10", "BRICS-10+SAU",
                                                                      "BRICS-10 excl. China", "G7"]},
                              absent_is_zero=counts)
    specs = [chapter._plain(ch["measure"]) for c in chapter.claim_list() if c["kind"] == "quantitative"
             for ch in c["evidence"]["checks"]]
    specs += [ev["measure"] for i in proscons.load_pros_cons() for ev in i["evidence"] if "measure" in ev]
    compared = 0
    for spec in specs:
        ours = evidence.measure(spec)
        assert not math.isnan(ours), f"no value for {spec}: {evidence.explain(spec)['problem']}"
        assert ours == pytest.approx(ref(spec), rel=1e-12), spec
        compared += 1
    assert compared >= 20


def test_checks_detail_says_why_a_value_is_missing():
    claim = next(c for c in chapter.claim_list() if c["kind"] == "quantitative")

    def nothing(spec):
        return {**evidence.explain(spec), "value": float("nan"), "problem": "test: no data"}

    detail = evidence.checks_detail([claim], explain_fn=nothing)
    assert detail["passed"].isna().all()
    assert (detail["result"] == "no value: test: no data").all()
    assert claims.evaluate_claims([claim], lambda s: float("nan")).loc[0, "verdict"] == "unverified"


def test_table_widths_reach_html_and_latex():
    from unittest import mock

    import IPython.display

    shown = []
    with mock.patch.object(IPython.display, "display", shown.append):
        report.table(pd.DataFrame({"a": [1], "b": ["x"]}), "tbl-x", "Cap.", widths=[30, 70])
    text = shown[0].data
    assert ":widths: 30 70" in text and "{tabularcolumns}" in text and r"\X{30}{100}" in text
    assert ":class: longtable" in text
    with pytest.raises(ValueError):
        report.table(pd.DataFrame({"a": [1]}), "tbl-y", "Cap.", widths=[1, 2])


# --- the built pages ---------------------------------------------------------------------------

class _Rows(HTMLParser):
    """Cells of every table row (a list of cell texts), keyed by the ids of elements inside it."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self._ids: list[str] | None = None
        self._cells: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._ids, self._cells = [], []
        elif self._ids is not None:
            if tag in ("td", "th"):
                self._cells.append([])
            self._ids += [v for k, v in attrs if k == "id" and v]

    def handle_endtag(self, tag):
        if tag == "tr" and self._ids is not None:
            cells = [" ".join("".join(c).split()) for c in self._cells]
            for i in self._ids:
                self.rows[i] = cells
            self._ids = None

    def handle_data(self, data):
        if self._ids is not None and self._cells:
            self._cells[-1].append(data)


def _page(name: str) -> str:
    path = HTML / f"{name}.html"
    assert path.exists(), f"{path} was not built"
    return path.read_text(encoding="utf-8")


def _rows(html: str) -> dict[str, str]:
    parser = _Rows()
    parser.feed(html)
    return parser.rows


@pytest.fixture(scope="module")
def ledger():
    return chapter.ledger_frame()


@pytest.fixture(scope="module")
def ledger_html(built_book):
    return _page("claims_ledger")


@pytest.fixture(scope="module")
def proscons_html(built_book):
    return _page("pros_cons")


def test_every_claim_is_on_the_ledger_page(ledger_html):
    text = re.sub(r"<[^>]+>", " ", ledger_html)
    rows = _rows(ledger_html)
    for claim in claims.load_claims():
        assert claim["id"] in text, f"{claim['id']} is not shown on the ledger page"
        assert f"claim-{claim['id']}" in rows, f"{claim['id']} has no anchored table row"


def test_every_claim_row_shows_its_verdict(ledger_html, ledger):
    rows = _rows(ledger_html)
    for r in ledger.itertuples():
        cells = rows[f"claim-{r.id}"]
        label = claims.verdict_label(r.verdict)
        if r.verdict_source == "computed":
            label += " (computed)"
        assert cells[0] == r.id and cells[2] == label, f"{r.id}: expected {label!r}, row {cells!r}"


def test_computed_verdicts_match_the_committed_extracts(ledger_html, ledger):
    rows = _rows(ledger_html)
    quant = ledger[ledger["kind"] == "quantitative"]
    assert len(quant) >= 4
    labels = {f"{claims.verdict_label(v)} (computed)": v for v in claims.VERDICTS}
    for r in quant.itertuples():
        shown = labels.get(rows[f"claim-{r.id}"][2])
        assert shown == r.verdict, f"{r.id}: page shows {shown}, data give {r.verdict}"


def test_checks_table_shows_every_measured_value(ledger_html):
    text = " ".join(re.sub(r"<[^>]+>", " ", ledger_html).split())
    for row in evidence.checks_detail(chapter.claim_list()).itertuples():
        assert row.check in text
        assert row.shown in text, f"{row.check}: value {row.shown} not on the page"


def test_glued_counts_equal_the_summary(glued, ledger):
    counts = claims.summary(ledger).set_index("verdict")["claims"]
    assert glued("claims-total") == counts["total"] == len(claims.load_claims())
    assert glued("claims-supported") == counts["supported"]
    assert glued("claims-partly") == counts["partly-supported"]
    assert glued("claims-not-supported") == counts["not-supported"]
    assert glued("claims-unverified") == counts["unverified"]
    assert glued("claims-opinion") == counts["opinion-or-forecast"]
    assert (glued("claims-supported") + glued("claims-partly") + glued("claims-not-supported")
            + glued("claims-unverified") + glued("claims-opinion")) == glued("claims-total")
    coverage = chapter.coverage()
    for key in ("statements", "out_of_scope", "in_scope", "covered", "points_only", "settled"):
        assert glued(f"claims-statements-{key.replace('_', '-')}") == coverage[key], key


def test_glued_counts_are_printed(ledger_html, glued):
    text = " ".join(re.sub(r"<[^>]+>", " ", ledger_html).split())
    assert f"Of the {glued('claims-total'):.0f} claims, {glued('claims-supported'):.0f} are supported" in text


def test_every_pros_cons_point_is_on_its_page(proscons_html):
    rows = _rows(proscons_html)
    for item in proscons.load_pros_cons():
        assert item["id"] in proscons_html
        assert f"point-{item['id']}" in rows, f"{item['id']} has no anchored table row"


def test_pros_cons_directions_match_the_data(proscons_html, glued):
    rows = _rows(proscons_html)
    df = proscons_chapter.evaluate(proscons.load_pros_cons(), evidence.measure)
    for r in df.itertuples():
        expected = r.direction + (" (computed)" if r.direction_source == "computed" else "")
        cells = rows[f"point-{r.id}"]
        assert cells[2].startswith(f"{expected}; confidence {r.confidence}."), f"{r.id}: row {cells!r}"
        for m in r.measured:
            assert evidence.format_measured(m["spec"], m["value"], m["display"]) in cells[1]
        matrix = rows[f"matrix-{r.id}"]
        assert (matrix[3], matrix[4]) == (expected, r.confidence), f"{r.id}: matrix row {matrix!r}"
    assert glued("proscons-total") == len(df)
    for kind in proscons.KINDS:
        assert glued(f"proscons-{kind}") == (df["kind"] == kind).sum()


def test_citations_in_tables_are_rendered(ledger_html, proscons_html):
    for html in (ledger_html, proscons_html):
        assert "{cite" not in html, "a citation role was not parsed"
        assert "{numref" not in html
    # the ledger's section tables link their sources to the bibliography
    cells = _rows(ledger_html)["claim-c01-putin-directive"]
    assert "Reuters" in cells[3]
    for html in (ledger_html, proscons_html):
        assert 'class="bibtex-citation"' in html and "references.html#" in html


# --- the ledger as data: explorer, downloads, ClaimReview ----------------------------------------

def test_explorer_lists_every_entry_with_filters_and_sort(ledger_html, ledger):
    body = ledger_html[ledger_html.index("data-bricsai-ledger"):]
    body = body[:body.index("</table>")]
    rows = re.findall(r'<tr data-verdict="([^"]+)" data-kind="([^"]+)" data-section="([^"]+)">'
                      r'<td data-sort="\d+"><a href="#claim-([^"]+)">', body)
    assert [(r[3], r[0], r[1], r[2]) for r in rows] == list(
        zip(ledger["id"], ledger["verdict"], ledger["kind"], ledger["section"], strict=True))
    for name in ("verdict", "kind", "section"):
        assert f'<select data-filter="{name}">' in body
    assert body.count('<button type="button" data-sort-col=') == 4
    assert "bricsai-ledger.js" in ledger_html
    assert not re.search(r'<script[^>]+src="https?://', ledger_html), "no remote script"


def test_explorer_script_is_local_and_has_no_library():
    from bricsai.book import ledgerext

    # The source the build copies into _static: this test needs no built book.
    js = (ROOT / "src" / "bricsai" / "book" / "static" / "bricsai-ledger.js").read_text(encoding="utf-8")
    assert "data-filter" in js or "dataset.filter" in js
    assert "http" not in js and "import " not in js
    assert ledgerext.LEDGER_PAGE == "notebooks/claims_ledger"


def test_downloads_match_the_ledger(built_book, ledger):
    import json

    from bricsai.book import ledgerext

    folder = ROOT / "_build" / "html" / ledgerext.DATA_DIR
    csv = pd.read_csv(folder / ledgerext.CSV_NAME, keep_default_na=False)
    assert list(csv["id"]) == list(ledger["id"]) and list(csv["verdict"]) == list(ledger["verdict"])
    data = json.loads((folder / ledgerext.JSON_NAME).read_text(encoding="utf-8"))
    assert [e["verdict"] for e in data["entries"]] == list(ledger["verdict"])
    assert [v["verdict"] for v in data["verdicts"]] == list(claims.VERDICTS)


def test_ledger_page_publishes_one_claim_review_per_entry(ledger_html, ledger):
    import json

    from test_claims import check_claim_reviews

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', ledger_html, re.S)
    reviews = [json.loads(b) for b in blocks]
    reviews = [r for r in reviews if r.get("@type") == "ClaimReview"]
    check_claim_reviews(reviews, ledger)


def test_sensitivity_table_on_the_page(ledger_html):
    text = " ".join(re.sub(r"<[^>]+>", " ", ledger_html).split())
    sens = chapter.compute()["sensitivity"]
    assert "(ours)" in text
    for row in sens.itertuples():
        assert row.Reading in text
