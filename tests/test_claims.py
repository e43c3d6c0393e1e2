"""The claims ledger: the file's rules, the verdicts that follow from them, the map from every
statement of the article to its entries, the sensitivity table and the honest counts.

Expected values are computed here by a route of their own (plain pandas on the extracts, the
rule written out as a table), never by the functions that made them.
"""

from __future__ import annotations

import copy
import math
import re

import measure_oracle
import pandas as pd
import pytest
from conftest import params_from

from bricsai.chapters import evidence
from bricsai.chapters import ledger as chapter
from bricsai.errors import DataError
from bricsai.ledger import claims
from bricsai.paths import DATA, ROOT, shared_data_dir

STORY = ROOT / "book" / "story"
SEED = shared_data_dir().parent / "seed" / "article.txt"

SCENARIOS = {"BRICS-5", "BRICS-10", "BRICS-10+SAU", "G7", "GPAI"}
INDICATORS = {"SP.POP.TOTL", "NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD.DERIVED"}
BIB = {"keyone", "keytwo"}
SCALE = [{"id": v, "label": v.replace("-", " "), "definition": "d"} for v in
         ("supported", "partly-supported", "not-supported", "unverified", "opinion-or-forecast")]


def _raw():
    return {
        "verdicts": copy.deepcopy(SCALE),
        "part_statuses": [{"id": s, "definition": "d"} for s in
                          ("evidenced", "self-reported", "not-found", "contradicted", "not-checkable")],
        "kinds": [{"id": k, "definition": "d"} for k in ("dated-fact", "judgement", "forecast", "quantitative")],
        "out_of_scope": {"heading": "A heading."},
        "claims": [
            {"id": "c01-fact", "section": "directive", "quote": "Putin said so", "kind": "dated-fact",
             "evidence": {"refs": ["keyone"], "note": "n"},
             "parts": [{"text": "he said it", "status": "evidenced"},
                       {"text": "he said it twice", "status": "not-found"}],
             "verdict": "partly-supported", "reason": "r"},
            {"id": "c02-share", "section": "brics", "quote": "over 40%", "kind": "quantitative",
             "evidence": {"note": "n", "checks": [
                 {"id": "a", "role": "primary", "test": {"op": ">", "threshold": 0.4},
                  "readings": [{"op": ">", "threshold": 0.4}, {"op": ">", "threshold": 0.45}],
                  "measure": {"metric": "world_share", "scenario": "BRICS-5", "indicator": "SP.POP.TOTL",
                              "year": "economy"}},
                 {"id": "b", "role": "today", "test": {"op": ">", "threshold": 0.4},
                  "measure": {"metric": "world_share", "scenario": "BRICS-10", "indicator": "SP.POP.TOTL",
                              "year": 2024}},
                 {"id": "c", "role": "context", "test": {"op": "between", "low": 0.2, "high": 0.25},
                  "measure": {"metric": "world_share", "scenario": "BRICS-10", "indicator": "NY.GDP.MKTP.CD",
                              "year": 2024}},
             ]},
             "parts": [{"text": "the five hold over 40%", "checks": ["a"]},
                       {"text": "today's bloc still does", "checks": ["b"]}],
             "reading": "t", "reason": "r"},
        ],
        "statements": [
            {"quote": "A heading", "out": "heading"},
            {"quote": "Putin said so", "claims": ["c01-fact"]},
            {"quote": "over 40%", "claims": ["c02-share"], "points": ["p01-x"]},
        ],
    }


def _validate(raw, **kw):
    kw = {"bib": BIB, "scenarios": SCENARIOS, "indicators": INDICATORS, "points": {"p01-x"}, **kw}
    return claims.validate_file(raw, "claims.yml", **kw)


def _error(raw, **kw) -> str:
    with pytest.raises(DataError) as info:
        _validate(raw, **kw)
    return str(info.value)


def test_synthetic_file_validates():
    assert [c["id"] for c in _validate(_raw())["claims"]] == ["c01-fact", "c02-share"]


def test_missing_field_names_file_and_claim():
    raw = _raw()
    del raw["claims"][0]["quote"]
    msg = _error(raw)
    assert msg.startswith("claims.yml:") and "claim c01-fact" in msg and "'quote'" in msg


def test_unknown_verdict_and_kind_are_refused():
    raw = _raw()
    raw["claims"][0]["verdict"] = "not-checkable"
    raw["claims"][0]["kind"] = "rumour"
    msg = _error(raw)
    assert "claim c01-fact" in msg and "'not-checkable'" in msg and "'rumour'" in msg


def test_typed_verdict_must_follow_its_parts():
    raw = _raw()
    raw["claims"][0]["verdict"] = "supported"
    msg = _error(raw)
    assert "claim c01-fact: verdict: 'supported' does not follow from its parts" in msg
    assert "'partly-supported'" in msg


def test_typed_verdict_on_quantitative_claim_is_refused():
    raw = _raw()
    raw["claims"][1]["verdict"] = "supported"
    assert "computed, do not type it" in _error(raw)


def test_quantitative_parts_must_name_every_primary_check_once():
    raw = _raw()
    raw["claims"][1]["parts"] = [{"text": "x", "checks": ["c"]}]
    msg = _error(raw)
    assert "c is not a primary or today check" in msg
    assert "every primary and every today check belongs to exactly one part" in msg


def test_today_check_must_belong_to_a_part():
    """Being out of date lowers a verdict, so a today check cannot be left out of the parts."""
    raw = _raw()
    raw["claims"][1]["parts"] = [{"text": "the five hold over 40%", "checks": ["a"]}]
    assert "every primary and every today check belongs to exactly one part" in _error(raw)


def test_state_media_only_part_must_be_self_reported():
    """The interested-party rule: the two states' own media are the interested party."""
    raw = _raw()
    raw["claims"][0]["parts"][0]["state_media_only"] = True
    msg = _error(raw)
    assert "claim c01-fact: parts: 'he said it' is reported by state media only" in msg
    assert "must be 'self-reported'" in msg
    raw["claims"][0]["parts"][0]["status"] = "self-reported"
    raw["claims"][0]["verdict"] = "unverified"
    _validate(raw)
    raw["claims"][1]["parts"][0]["state_media_only"] = True
    assert "state_media_only is for parts with a status" in _error(raw)


def test_primary_check_needs_readings_that_include_its_own_test():
    raw = _raw()
    raw["claims"][1]["evidence"]["checks"][0]["readings"] = [{"op": ">", "threshold": 0.3},
                                                             {"op": ">", "threshold": 0.45}]
    assert "the check's own test must be one of its readings" in _error(raw)
    del raw["claims"][1]["evidence"]["checks"][0]["readings"]
    assert "a primary check needs readings" in _error(raw)


def test_year_names_a_period_family_or_a_number():
    raw = _raw()
    raw["claims"][1]["evidence"]["checks"][0]["measure"]["year"] = "sometime"
    assert "claim c02-share: evidence.checks.0.measure.year" in _error(raw)


def test_unknown_indicator_scenario_and_bib_key():
    raw = _raw()
    raw["claims"][1]["evidence"]["checks"][0]["measure"]["indicator"] = "XX.FAKE"
    raw["claims"][1]["evidence"]["checks"][1]["measure"]["scenario"] = "BRICS-99"
    raw["claims"][0]["evidence"]["refs"] = ["nosuchkey"]
    msg = _error(raw)
    assert "check a: measure: unknown indicator 'XX.FAKE'" in msg
    assert "check b: measure: unknown scenario 'BRICS-99'" in msg
    assert "claim c01-fact: evidence.refs: unknown bib key 'nosuchkey'" in msg


def test_scale_in_the_file_must_match_the_rules():
    raw = _raw()
    raw["verdicts"] = raw["verdicts"][::-1]
    assert "verdicts: the ids must be supported, partly-supported" in _error(raw)


def test_statement_map_errors_name_the_statement():
    raw = _raw()
    raw["statements"][0]["out"] = "nonsense"
    raw["statements"][1]["claims"] = ["c99-none"]
    raw["statements"][2]["points"] = ["p99-none"]
    msg = _error(raw)
    assert "statement #1 ('A heading'): out: unknown reason 'nonsense'" in msg
    assert "statement #2 ('Putin said so'): claims: unknown claim 'c99-none'" in msg
    assert "unknown point 'p99-none'" in msg
    assert "claim c01-fact: no statement of the article maps to it" in msg


def test_statement_cannot_be_both_out_of_scope_and_mapped():
    raw = _raw()
    raw["statements"][0]["claims"] = ["c01-fact"]
    assert "either out of scope or mapped" in _error(raw)


# --- the rule, written out as a table --------------------------------------------------------

RULE_CASES = [
    (["evidenced"], "supported"),
    (["evidenced", "evidenced"], "supported"),
    (["evidenced", "not-found"], "partly-supported"),
    (["evidenced", "self-reported"], "partly-supported"),
    (["evidenced", "contradicted"], "partly-supported"),
    (["evidenced", "not-checkable"], "partly-supported"),
    (["contradicted"], "not-supported"),
    (["contradicted", "not-found"], "not-supported"),
    (["contradicted", "not-checkable"], "not-supported"),
    (["not-found"], "unverified"),
    (["self-reported"], "unverified"),
    (["not-found", "not-checkable"], "unverified"),
    (["not-checkable"], "opinion-or-forecast"),
    (["not-checkable", "not-checkable"], "opinion-or-forecast"),
]


@pytest.mark.parametrize(("statuses", "expected"), RULE_CASES)
def test_verdict_from_parts(statuses, expected):
    assert claims.verdict_from_parts(statuses) == expected


def test_verdict_from_parts_refuses_unknown_status():
    with pytest.raises(ValueError):
        claims.verdict_from_parts(["probably"])


def _expected(statuses):
    return dict((tuple(s), v) for s, v in RULE_CASES).get(tuple(statuses)) or _by_hand(statuses)


def _by_hand(statuses):
    ev = [s == "evidenced" for s in statuses]
    if all(ev):
        return "supported"
    if any(ev):
        return "partly-supported"
    if "contradicted" in statuses:
        return "not-supported"
    if set(statuses) & {"not-found", "self-reported"}:
        return "unverified"
    return "opinion-or-forecast"


def test_synthetic_quantitative_verdict_and_out_of_date():
    raw = _validate(_raw())
    values = {("BRICS-5", "SP.POP.TOTL"): 0.405, ("BRICS-10", "SP.POP.TOTL"): 0.38,
              ("BRICS-10", "NY.GDP.MKTP.CD"): 0.3}
    df = claims.evaluate_claims(raw["claims"], lambda s: values[(s["scenario"], s["indicator"])])
    row = df.set_index("id").loc["c02-share"]
    # True of the five but out of date for today's bloc: the today part is contradicted.
    assert row["verdict"] == "partly-supported" and row["verdict_source"] == "computed"
    assert [p["status"] for p in row["parts"]] == ["evidenced", "contradicted"]
    assert row["out_of_date"] == "Out of date? Yes: true of BRICS-5, not of today's bloc (BRICS-10)."
    values[("BRICS-10", "SP.POP.TOTL")] = 0.45
    df = claims.evaluate_claims(raw["claims"], lambda s: values[(s["scenario"], s["indicator"])])
    assert df.set_index("id").loc["c02-share", "verdict"] == "supported"
    values[("BRICS-10", "SP.POP.TOTL")] = 0.38
    values[("BRICS-5", "SP.POP.TOTL")] = 0.39
    df = claims.evaluate_claims(raw["claims"], lambda s: values[(s["scenario"], s["indicator"])])
    assert df.set_index("id").loc["c02-share", "verdict"] == "not-supported"
    df = claims.evaluate_claims(raw["claims"], lambda s: float("nan"))
    assert df.set_index("id").loc["c02-share", "verdict"] == "unverified"
    assert df.set_index("id").loc["c01-fact", "verdict"] == "partly-supported"


def test_synthetic_sensitivity():
    raw = _validate(_raw())
    sens = claims.sensitivity(raw["claims"], lambda s: 0.42 if s["scenario"] == "BRICS-5" else 0.5)
    assert list(sens["reading"]) == ["> 0.4", "> 0.45"]
    assert list(sens["base"]) == [True, False]
    # The today part (BRICS-10 at 0.5) passes, so failing the primary reading leaves it partly supported.
    assert list(sens["verdict"]) == ["supported", "partly-supported"]


# --- the real file ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_file():
    return claims.load_file()


@pytest.fixture(scope="module")
def real_ledger():
    return chapter.ledger_frame()


def test_real_file_has_every_kind_and_verdict(real_file, real_ledger):
    assert len(real_file["claims"]) >= 45
    assert {c["kind"] for c in real_file["claims"]} == set(claims.KINDS)
    assert set(real_ledger["verdict"]) == set(claims.VERDICTS)


def test_every_typed_verdict_follows_its_parts(real_file):
    for c in real_file["claims"]:
        if c["kind"] != "quantitative":
            assert c["verdict"] == _by_hand([p["status"] for p in c["parts"]]), c["id"]


def test_regraded_claims(real_ledger):
    """The compound claims the review named are no longer 'supported' on one half."""
    v = real_ledger.set_index("id")["verdict"]
    for cid in ("c10-sber-aligned-priorities", "c15-technology-constraints", "c17-brain-drain",
                "c18-diversify-partners", "c29-new-era-partnership"):
        assert v[cid] == "partly-supported", cid
    for cid in ("c02-directive-technology-transfer", "c03-directive-joint-labs",
                "c04-directive-chinese-tech-giants", "c05-directive-joint-standards"):
        assert v[cid] == "unverified", cid
    assert v["c31-critics-order"] != "opinion-or-forecast"
    assert v["c00-image-laboratory"] == "opinion-or-forecast"


def test_article_conditional_is_kept(real_file):
    by_id = {c["id"]: c for c in real_file["claims"]}
    assert by_id["c23-gpai-counterweight"]["condition"] == "if realized"


def test_state_media_only_entries_are_labelled(real_ledger):
    flagged = set(real_ledger.loc[real_ledger["state_media_only"], "id"])
    assert {"c28-new-year-greetings", "c46-visit-agreements"} <= flagged
    html = claims.section_table(real_ledger, "ties")
    for cid in ("c28-", "c46-"):
        row = html[html["Claim"].str.contains(cid)].iloc[0]
        assert "state media only" in row["Reason and sources"]
        assert "counts as self-reported" in row["Reason and sources"]
    # No part that only state media report counts as evidence (the interested-party rule).
    for r in real_ledger.itertuples():
        for p in r.parts:
            if p.get("state_media_only"):
                assert p["status"] == "self-reported", (r.id, p["text"])


def test_out_of_date_lowers_every_verdict_alike(real_file, real_ledger):
    """One rule for out-of-date statements: the dated facts c20 and c32 and the number c22 are
    all marked down for what no longer held at the article's date."""
    v = real_ledger.set_index("id")
    for cid in ("c20-brics-five-members", "c32-xi-first-trip-abroad"):
        assert "contradicted" in [p["status"] for p in v.loc[cid, "parts"]], cid
    for cid in ("c21-population-share", "c22-gdp-share"):
        row = v.loc[cid]
        if row["out_of_date"].startswith("Out of date? Yes"):
            assert row["verdict"] == "partly-supported", cid
            assert row["parts"][-1]["status"] == "contradicted", cid


def _pieces(text: str) -> list[str]:
    """The article's statements by a route of this test's own: each non-empty line, split after
    sentence-ending punctuation; lone list markers dropped."""
    text = text.replace("\u2019", "'")
    out = []
    for line in text.splitlines():
        for piece in re.split(r"(?<=[.!?])\s+", line.strip()):
            piece = piece.strip()
            if piece and piece not in ("-", "."):
                out.append(piece)
    return out


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not beside the repository")
def test_every_statement_of_the_article_is_mapped_in_order(real_file):
    pieces = _pieces(SEED.read_text(encoding="utf-8"))
    statements = real_file["statements"]
    assert len(statements) == len(pieces), (len(statements), len(pieces))
    for i, (piece, st) in enumerate(zip(pieces, statements, strict=True), 1):
        assert st["quote"] in piece, f"statement #{i}: {st['quote']!r} is not in {piece[:60]!r}"


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not beside the repository")
def test_real_quotes_are_word_for_word_and_short(real_file):
    article = SEED.read_text(encoding="utf-8").replace("\u2019", "'")
    for claim in real_file["claims"]:
        assert claim["quote"] in article, claim["id"]
        assert len(claim["quote"].split()) < 20, claim["id"]
        if "condition" in claim:
            sentence = next(p for p in _pieces(article) if claim["quote"] in p)
            assert claim["condition"] in sentence, claim["id"]
    for st in real_file["statements"]:
        assert len(st["quote"].split()) < 12, st["quote"]


def test_coverage_counts_by_hand(real_file, real_ledger):
    statements = real_file["statements"]
    verdict = dict(zip(real_ledger["id"], real_ledger["verdict"], strict=True))
    covered = [s for s in statements if s.get("claims")]
    settled = [s for s in covered
               if all(verdict[c] in ("supported", "partly-supported", "not-supported") for c in s["claims"])]
    out = [s for s in statements if "out" in s]
    got = chapter.coverage()
    assert got["statements"] == len(statements) == 80
    assert got["out_of_scope"] == len(out)
    assert got["in_scope"] == len(statements) - len(out)
    assert got["covered"] == len(covered)
    assert got["settled"] == len(settled)
    assert got["points_only"] == len([s for s in statements if s.get("points") and not s.get("claims")])
    assert got["covered"] + got["points_only"] + got["out_of_scope"] == got["statements"]
    assert got["claims"] == len(real_file["claims"])


# --- computed verdicts, independently --------------------------------------------------------

def _tidy():
    from bricsai.sources import extracts

    names = ["wdi_economy", "epoch_notable_models", "epoch_gpu_clusters", "eto_semiconductor_shares"]
    tidy = pd.concat([extracts.load(n)[["entity", "indicator", "year", "value"]] for n in names])
    return tidy.assign(entity=tidy["entity"].astype(str), indicator=tidy["indicator"].astype(str),
                       year=tidy["year"].astype(int))


@pytest.fixture(scope="module")
def oracle():
    tidy = _tidy()
    counts = [i for i in tidy["indicator"].unique() if i.startswith("epoch_")]
    not_countries = {"WLD"} | {e for e in tidy["entity"].unique() if not re.fullmatch(r"[A-Z]{3}", e)}
    wdi_aggregates = set(pd.read_csv(ROOT / "data" / "extracts" / "wdi_countries.csv")
                         .query("is_aggregate")["code"].astype(str))
    groups = {n: evidence.members(n) for n in ["BRICS-5", "BRICS-10", "BRICS-10+SAU"]}
    return measure_oracle.make_measure(tidy, groups, absent_is_zero=counts,
                                       aggregates=not_countries | wdi_aggregates)


def test_economy_checks_use_the_reference_year(real_file):
    """The ledger tests the economy in the same year as the chapters (2024, not 2023)."""
    years = {chapter.resolve(ch["measure"])["year"] for c in real_file["claims"]
             for ch in c["evidence"].get("checks", []) if ch["measure"]["year"] == "economy"}
    assert years == {chapter.period("economy")}
    assert chapter.period("economy") >= 2024


def test_population_and_gdp_shares_by_hand():
    """BRICS-5 shares in the reference year, summed here straight from the World Bank extract."""
    wdi = pd.read_csv(ROOT / "data" / "extracts" / "wdi_economy.csv")
    year = chapter.period("economy")
    five = ["BRA", "RUS", "IND", "CHN", "ZAF"]

    def share(indicator):
        d = wdi[(wdi["indicator"] == indicator) & (wdi["year"] == year)].set_index("entity")["value"]
        return d[five].sum() / d["WLD"]

    row = chapter.ledger_frame().set_index("id")
    assert math.isclose(row.loc["c21-population-share", "values"]["brics5-pop"], share("SP.POP.TOTL"), rel_tol=1e-9)
    assert math.isclose(row.loc["c22-gdp-share", "values"]["brics5-gdp-nominal"], share("NY.GDP.MKTP.CD"),
                        rel_tol=1e-9)


def _passes_by_hand(test, value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    if test["op"] == "between":
        return test["low"] <= value <= test["high"]
    return {">": value > test["threshold"], ">=": value >= test["threshold"],
            "<": value < test["threshold"], "<=": value <= test["threshold"]}[test["op"]]


def _status_by_hand(results):
    if results and all(r is True for r in results):
        return "evidenced"
    if any(r is False for r in results):
        return "contradicted"
    return "not-found"


def _quant_by_hand(claim, values, override=None):
    results = {}
    for ch in claim["evidence"]["checks"]:
        test = override[1] if override and override[0] == ch["id"] else ch["test"]
        results[ch["id"]] = _passes_by_hand(test, values[ch["id"]])
    return _by_hand([_status_by_hand([results[c] for c in p["checks"]]) for p in claim["parts"]])


def _quant_claims():
    return [pytest.param(c, id=c["id"]) for c in chapter.claim_list() if c["kind"] == "quantitative"]


@pytest.mark.parametrize("claim", params_from(_quant_claims))
def test_computed_verdict_follows_the_rule_on_independent_values(claim, oracle, real_ledger):
    values = {ch["id"]: oracle(chapter._plain(ch["measure"])) for ch in claim["evidence"]["checks"]}
    row = real_ledger.set_index("id").loc[claim["id"]]
    for cid, v in values.items():
        if not math.isnan(v):
            assert math.isclose(row["values"][cid], v, rel_tol=1e-9), cid
    assert row["verdict"] == _quant_by_hand(claim, values)


@pytest.mark.parametrize("claim", params_from(_quant_claims))
def test_sensitivity_rows_by_hand(claim, oracle):
    sens = claims.sensitivity([claim], chapter.measure)
    values = {ch["id"]: oracle(chapter._plain(ch["measure"])) for ch in claim["evidence"]["checks"]}
    expected = [(ch["id"], r, _quant_by_hand(claim, values, (ch["id"], r)))
                for ch in claim["evidence"]["checks"] for r in ch.get("readings", [])]
    assert len(sens) == len(expected) >= 3
    for row, (cid, reading, verdict) in zip(sens.itertuples(), expected, strict=True):
        assert (row.check, row.test, row.verdict) == (cid, reading, verdict)
    # the file's own reading reproduces the ledger's verdict
    base = sens[sens["base"]]
    assert set(base["verdict"]) == {_quant_by_hand(claim, values)}


def test_c22_primary_is_market_rates_and_says_it_is_out_of_date(real_file, real_ledger):
    c22 = next(c for c in real_file["claims"] if c["id"] == "c22-gdp-share")
    primary = [ch for ch in c22["evidence"]["checks"] if ch["role"] == "primary"]
    assert [ch["measure"]["indicator"] for ch in primary] == ["NY.GDP.MKTP.CD"]
    assert [ch["measure"]["scenario"] for ch in primary] == ["BRICS-5"]
    readings = [(r["low"], r["high"]) for r in primary[0]["readings"]]
    assert {(0.20, 0.25), (0.22, 0.25), (0.23, 0.25)} <= set(readings)
    row = real_ledger.set_index("id").loc["c22-gdp-share"]
    today = row["values"]["brics10-gdp-nominal"]
    expected = "Yes" if (0.22 <= row["values"]["brics5-gdp-nominal"] <= 0.25 and not 0.22 <= today <= 0.25) else "No"
    assert row["out_of_date"].startswith(f"Out of date? {expected}")


def test_c24_uses_chip_supply_chain_not_deployed_gpus(real_file):
    c24 = next(c for c in real_file["claims"] if c["id"] == "c24-us-leads-hardware-software")
    indicators = {ch["measure"]["indicator"] for ch in c24["evidence"]["checks"]}
    assert "epoch_gpu_h100e" not in indicators
    assert any(i.startswith("eto_share:") for i in indicators)


def test_no_claim_that_thresholds_came_first():
    text = (ROOT / "notebooks" / "claims_ledger.md").read_text(encoding="utf-8")
    assert "before the numbers" not in text and "set in advance" not in text


# --- the ledger as data -----------------------------------------------------------------------

def test_records_csv_and_json_round_trip(real_ledger):
    import io
    import json

    recs = chapter.records(real_ledger)
    assert [r["id"] for r in recs] == list(real_ledger["id"])
    csv = pd.read_csv(io.StringIO(chapter.records_csv(recs)), keep_default_na=False)
    assert list(csv["id"]) == list(real_ledger["id"])
    assert list(csv["verdict"]) == list(real_ledger["verdict"])
    data = json.loads(chapter.records_json(recs, {"title": "t"}))
    assert len(data["entries"]) == len(real_ledger) and data["title"] == "t"


REQUIRED_REVIEW = {"@context", "@type", "url", "claimReviewed", "datePublished", "author", "reviewRating",
                   "itemReviewed"}


def check_claim_reviews(reviews: list[dict], ledger: pd.DataFrame) -> None:
    """Required properties present, one per entry, ratings mapped consistently."""
    assert len(reviews) == len(ledger)
    labels = claims.verdict_labels()
    by_verdict: dict[str, set] = {}
    for review, r in zip(reviews, ledger.itertuples(), strict=True):
        assert REQUIRED_REVIEW <= set(review), review
        assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
        assert review["url"].endswith(f"#claim-{r.id}")
        assert r.quote in review["claimReviewed"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
        assert review["author"]["name"] and review["itemReviewed"]["@type"] == "Claim"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"] == labels[r.verdict]
        by_verdict.setdefault(r.verdict, set()).add(rating.get("ratingValue"))
        if "ratingValue" in rating:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert all(len(v) == 1 for v in by_verdict.values()), by_verdict
    value = {v: next(iter(s)) for v, s in by_verdict.items()}
    assert value["supported"] > value["partly-supported"] > value["not-supported"]
    assert value["unverified"] is None and value["opinion-or-forecast"] is None


def test_claim_reviews(real_ledger):
    reviews = chapter.claim_reviews(chapter.records(real_ledger), page_url="claims_ledger.html",
                                    date="2026-01-01", author="A")
    check_claim_reviews(reviews, real_ledger)


def test_claim_review_check_fails_on_a_bad_rating(real_ledger):
    reviews = chapter.claim_reviews(chapter.records(real_ledger), page_url="p.html", date="2026-01-01", author="A")
    first = list(real_ledger["verdict"]).index("supported")
    reviews[first]["reviewRating"]["ratingValue"] = 2
    with pytest.raises(AssertionError):
        check_claim_reviews(reviews, real_ledger)
    reviews = chapter.claim_reviews(chapter.records(real_ledger), page_url="p.html", date="2026-01-01", author="A")
    del reviews[1]["claimReviewed"]
    with pytest.raises(AssertionError):
        check_claim_reviews(reviews, real_ledger)


# --- the notebook stays thin ------------------------------------------------------------------

def test_ledger_notebook_is_thin():
    text = (ROOT / "notebooks" / "claims_ledger.md").read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, re.S)
    code = [ln for c in cells for ln in c.splitlines() if ln.strip() and not ln.lstrip().startswith(":")]
    total = [ln for ln in text.split("---", 2)[2].splitlines() if ln.strip()]
    assert len(code) * 4 <= len(total), (len(code), len(total))
    assert not any(re.match(r"\s*(def |class |assert )", ln) for ln in code)
    assert not any(re.search(r"=\s*\{", ln) for ln in code), "no helper dicts in the notebook"


# --- the narrative's citations ---------------------------------------------------------------

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def test_every_cited_key_in_story_exists():
    keys = claims.bib_keys()
    pages = sorted(STORY.glob("*.md"))
    assert pages, "no story pages"
    cited = {k.strip() for page in pages for group in CITE.findall(page.read_text(encoding="utf-8"))
             for k in group.split(",")}
    assert cited, "story pages cite nothing"
    assert not cited - keys, f"cited but not in references.bib: {sorted(cited - keys)}"


def test_story_has_no_unsourced_sweeping_statements():
    """Sentences the review found stating facts without a source stay out of the retelling."""
    text = " ".join(p.read_text(encoding="utf-8") for p in STORY.glob("*.md"))
    for phrase in ("The record bears this out", "The only foreign country named",
                   "does not appear in any source we read"):
        assert phrase not in text, phrase


def test_every_story_page_starts_with_label_and_title():
    for page in sorted(STORY.glob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        assert re.fullmatch(r"\(story(-[a-z]+)?\)=", lines[0]), page.name
        assert lines[1].startswith("# "), page.name


def test_bibliography_parses_and_has_dataset_entries():
    keys = claims.bib_keys()
    assert {"seedarticle", "worldbank2026wdi", "imf2025weo", "epoch2026models", "epoch2025gpuclusters",
            "top500", "oxford2025gairi", "oxford2024gairi", "tortoise2021gaii", "cset2025publications",
            "cset2022supplychain"} <= keys


def test_new_web_sources_have_url_and_access_date():
    """Entries added for the ledger carry what the bibliography style needs."""
    import pybtex.database

    bib = pybtex.database.parse_file(str(claims.BIB_FILE))
    used = {k for c in claims.load_claims() for k in c["evidence"].get("refs", [])}
    for key in used:
        entry = bib.entries[key]
        fields = {f.lower() for f in entry.fields}
        if "url" in fields:
            assert "urldate" in fields, key
        assert "title" in fields and "year" in fields and entry.persons.get("author") or "author" in fields, key


def test_ai_index_is_cited_as_the_report_itself():
    import pybtex.database

    entry = pybtex.database.parse_file(str(claims.BIB_FILE)).entries["aiindex2025"]
    assert "hai.stanford.edu" in entry.fields["url"]
    assert "github" not in " ".join(entry.fields.values()).lower()


def test_enlargement_is_cited_to_post_event_sources(real_file):
    c20 = next(c for c in real_file["claims"] if c["id"] == "c20-brics-five-members")
    assert "dailytrust2023brics" not in c20["evidence"]["refs"]
    story = (STORY / "alliance.md").read_text(encoding="utf-8")
    assert "dailytrust2023brics" not in story


def test_unparseable_bibliography_is_a_data_error(tmp_path):
    bad = tmp_path / "bad.bib"
    bad.write_text("@misc{broken, title = {unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="bad.bib"):
        claims.bib_keys(bad)


def test_data_file_is_the_one_read():
    assert claims.CLAIMS_FILE == DATA / "claims.yml"


def test_headline_checks_read_the_registry():
    """The ledger's population and GDP shares are the registry's numbers, in its period."""
    from bricsai.ledger.measures import registry

    reg = registry()
    found = 0
    for c in chapter.claim_list():
        for ch in c["evidence"].get("checks", []):
            spec = chapter._plain(ch["measure"])
            name = chapter.registry_measure(spec)
            if name is None:
                continue
            found += 1
            assert spec["year"] == reg.period(name)
            assert chapter.measure(spec) == reg.value(name, chapter._group(spec), period=spec["year"])
    assert found >= 8
