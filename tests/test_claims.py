"""The claim ledger: schema errors name file and claim, computed verdicts follow the thresholds."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from bricsai.ledger import claims
from bricsai.chapters import evidence
from bricsai.errors import DataError
from bricsai.paths import ROOT
import measure_oracle
from conftest import params_from

STORY = ROOT / "book" / "story"
SEED = ROOT.parent / "shared" / "seed" / "article.txt"

SCENARIOS = {"BRICS-5", "BRICS-10", "BRICS-10+SAU", "G7", "GPAI"}
INDICATORS = {"SP.POP.TOTL", "NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD.DERIVED"}
BIB = {"keyone", "keytwo"}


def _raw():
    return {"claims": [
        {"id": "c01-fact", "section": "directive", "quote": "Putin said so", "kind": "dated-fact",
         "evidence": {"refs": ["keyone"], "note": "n"}, "verdict": "supported", "reason": "r"},
        {"id": "c02-share", "section": "brics", "quote": "over 40%", "kind": "quantitative",
         "evidence": {"note": "n", "checks": [
             {"id": "a", "role": "primary", "test": {"op": ">", "threshold": 0.4},
              "measure": {"metric": "world_share", "scenario": "BRICS-5", "indicator": "SP.POP.TOTL", "year": 2023}},
             {"id": "b", "role": "context", "test": {"op": "between", "low": 0.2, "high": 0.25},
              "measure": {"metric": "world_share", "scenario": "BRICS-10", "indicator": "NY.GDP.MKTP.CD", "year": 2023}},
         ]},
         "rule": {"supported_if": "all", "partly_if": "any", "text": "t"}, "reason": "r"},
    ]}


def _validate(raw, **kw):
    kw = {"bib": BIB, "scenarios": SCENARIOS, "indicators": INDICATORS, **kw}
    return claims.validate_claims(raw, "claims.yml", **kw)


def _error(raw, **kw) -> str:
    with pytest.raises(DataError) as info:
        _validate(raw, **kw)
    return str(info.value)


def test_synthetic_file_validates():
    assert [c["id"] for c in _validate(_raw())] == ["c01-fact", "c02-share"]


def test_missing_field_names_file_and_claim():
    raw = _raw()
    del raw["claims"][0]["quote"]
    msg = _error(raw)
    assert msg.startswith("claims.yml:") and "claim c01-fact" in msg and "'quote'" in msg


def test_missing_verdict_for_dated_fact():
    raw = _raw()
    del raw["claims"][0]["verdict"]
    msg = _error(raw)
    assert "claims.yml:" in msg and "claim c01-fact" in msg and "verdict" in msg


def test_unknown_verdict():
    raw = _raw()
    raw["claims"][0]["verdict"] = "probably"
    msg = _error(raw)
    assert "claims.yml:" in msg and "claim c01-fact" in msg and "'probably'" in msg


def test_typed_verdict_on_quantitative_claim_is_refused():
    raw = _raw()
    raw["claims"][1]["verdict"] = "supported"
    msg = _error(raw)
    assert "claim c02-share" in msg and "computed" in msg


def test_unknown_kind():
    raw = _raw()
    raw["claims"][0]["kind"] = "rumour"
    msg = _error(raw)
    assert "claims.yml:" in msg and "claim c01-fact" in msg and "'rumour'" in msg


def test_unknown_indicator():
    raw = _raw()
    raw["claims"][1]["evidence"]["checks"][0]["measure"]["indicator"] = "XX.FAKE"
    msg = _error(raw)
    assert "claims.yml:" in msg and "claim c02-share" in msg and "check a" in msg and "'XX.FAKE'" in msg


def test_unknown_scenario():
    raw = _raw()
    raw["claims"][1]["evidence"]["checks"][1]["measure"]["scenario"] = "BRICS-99"
    msg = _error(raw)
    assert "claim c02-share" in msg and "check b" in msg and "'BRICS-99'" in msg


def test_unknown_metric():
    raw = _raw()
    raw["claims"][1]["evidence"]["checks"][0]["measure"]["metric"] = "vibes"
    msg = _error(raw)
    assert "claim c02-share" in msg and "unknown metric 'vibes'" in msg


def test_unknown_bib_key():
    raw = _raw()
    raw["claims"][0]["evidence"]["refs"] = ["nosuchkey"]
    msg = _error(raw)
    assert "claims.yml:" in msg and "claim c01-fact" in msg and "'nosuchkey'" in msg


def test_injected_registries_are_used():
    raw = _raw()
    with pytest.raises(DataError, match="unknown indicator 'SP.POP.TOTL'"):
        _validate(raw, indicators={"NY.GDP.MKTP.CD"})


def test_unknown_op():
    raw = _raw()
    raw["claims"][1]["evidence"]["checks"][0]["test"]["op"] = "~"
    assert "claim c02-share" in _error(raw)


# --- the real files ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_claims():
    return claims.load_claims()


def test_real_claims_validate(real_claims):
    assert len(real_claims) >= 20
    kinds = {c["kind"] for c in real_claims}
    assert kinds == set(claims.KINDS)


def test_real_quantitative_claims_cover_scenarios_and_bases(real_claims):
    specs = [ch["measure"] for c in real_claims if c["kind"] == "quantitative" for ch in c["evidence"]["checks"]]
    assert {"BRICS-5", "BRICS-10", "BRICS-10+SAU"} <= {s.get("scenario") for s in specs}
    assert {"NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD.DERIVED", "SP.POP.TOTL"} <= {s["indicator"] for s in specs}


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_real_quotes_are_word_for_word_and_short(real_claims):
    article = SEED.read_text(encoding="utf-8").replace("\u2019", "'")
    for claim in real_claims:
        assert claim["quote"] in article, claim["id"]
        assert len(claim["quote"].split()) < 20, claim["id"]


# --- verdicts flip at thresholds -----------------------------------------------------------------

EPS = 1e-6


def _values_around(test):
    """(passing, failing) values on either side of the test's boundary (both sides for between)."""
    op = test["op"]
    if op == "between":
        return [(test["low"], test["low"] - EPS), (test["high"], test["high"] + EPS)]
    t = test["threshold"]
    return {">": [(t + EPS, t)], ">=": [(t, t - EPS)], "<": [(t - EPS, t)], "<=": [(t, t + EPS)]}[op]


def _pass_value(test):
    return _values_around(test)[0][0]


def _fail_value(test):
    return _values_around(test)[0][1]


def _quantitative_checks():
    out = []
    for claim in claims.load_claims():
        if claim["kind"] == "quantitative":
            for check in claim["evidence"]["checks"]:
                out.append(pytest.param(claim, check, id=f"{claim['id']}/{check['id']}"))
    return out


def _measure_for(claim, target, target_value, others_pass: bool):
    by_spec = {}
    for check in claim["evidence"]["checks"]:
        if check is target:
            value = target_value
        else:
            value = _pass_value(check["test"]) if others_pass else _fail_value(check["test"])
        by_spec[repr(sorted(check["measure"].items()))] = value
    return lambda spec: by_spec[repr(sorted(spec.items()))]


@pytest.mark.parametrize(("claim", "check"), params_from(_quantitative_checks, 2))
def test_verdict_flips_when_value_crosses_threshold(claim, check):
    for good, bad in _values_around(check["test"]):
        assert claims.passes(check["test"], good) is True
        assert claims.passes(check["test"], bad) is False
        flipped = False
        for others_pass in (True, False):
            verdicts = [claims.evaluate_claims([claim], _measure_for(claim, check, v, others_pass))
                        .loc[0, "verdict"] for v in (good, bad)]
            flipped |= verdicts[0] != verdicts[1]
        assert flipped, f"{claim['id']}/{check['id']}: verdict does not depend on this check"


def test_all_pass_is_supported_and_all_fail_is_not_supported():
    for claim in claims.load_claims():
        if claim["kind"] != "quantitative":
            continue
        checks = claim["evidence"]["checks"]
        ok = {repr(sorted(c["measure"].items())): _pass_value(c["test"]) for c in checks}
        bad = {repr(sorted(c["measure"].items())): _fail_value(c["test"]) for c in checks}
        assert claims.evaluate_claims([claim], lambda s: ok[repr(sorted(s.items()))]).loc[0, "verdict"] == "supported"
        assert claims.evaluate_claims([claim], lambda s: bad[repr(sorted(s.items()))]).loc[0, "verdict"] == "not-supported"


def test_missing_values_make_claim_not_checkable():
    raw = _raw()
    df = claims.evaluate_claims(_validate(raw), lambda spec: float("nan"))
    assert df.set_index("id").loc["c02-share", "verdict"] == "not-checkable"
    assert df.set_index("id").loc["c01-fact", "verdict"] == "supported"


def test_combine_rules():
    rule = {"supported_if": "primary", "partly_if": "any", "text": ""}
    assert claims.combine(rule, [("primary", True), ("context", False)]) == "supported"
    assert claims.combine(rule, [("primary", False), ("context", True)]) == "partly-supported"
    assert claims.combine({**rule, "partly_if": "primary"}, [("primary", False), ("context", True)]) == "not-supported"
    assert claims.combine({**rule, "supported_if": "all"}, [("primary", True), ("context", False)]) == "partly-supported"
    assert claims.combine(rule, [("primary", None)]) == "not-checkable"


def test_evaluate_and_summary_shape():
    raw = _raw()
    values = {"SP.POP.TOTL": 0.45, "NY.GDP.MKTP.CD": 0.30}
    df = claims.evaluate_claims(_validate(raw), lambda spec: values[spec["indicator"]])
    row = df.set_index("id").loc["c02-share"]
    assert row["verdict"] == "partly-supported" and row["verdict_source"] == "computed"
    assert row["values"] == {"a": 0.45, "b": 0.30}
    assert "a = 0.45 > 0.4: pass" in row["checks"]
    checks = evidence.checks_detail(
        _validate(raw),
        explain_fn=lambda spec: {"value": values[spec["indicator"]], "group": "G", "dataset": "d",
                                 "n_members": 1, "n_present": 1, "problem": None})
    assert list(checks["passed"]) == [True, False]
    s = claims.summary(df).set_index("verdict")["claims"]
    assert s["supported"] == 1 and s["partly-supported"] == 1 and s["total"] == 2


def test_make_measure_reference_implementation():
    tidy = pd.DataFrame([
        ("SP.POP.TOTL", 2023, "AAA", 30.0), ("SP.POP.TOTL", 2023, "BBB", 10.0),
        ("SP.POP.TOTL", 2023, "WLD", 100.0), ("SP.POP.TOTL", 2023, "CCC", 60.0),
        ("x", 2023, "AAA", 1.0), ("x", 2023, "BBB", 3.0),
    ], columns=["indicator", "year", "entity", "value"])
    m = measure_oracle.make_measure(tidy, {"AB": ["AAA", "BBB"]})
    assert m({"metric": "world_share", "scenario": "AB", "indicator": "SP.POP.TOTL", "year": 2023}) == 0.4
    assert m({"metric": "ratio", "entity": "AAA", "to": "BBB", "indicator": "SP.POP.TOTL", "year": 2023}) == 3.0
    assert m({"metric": "rank", "entity": "AAA", "indicator": "SP.POP.TOTL", "year": 2023}) == 2.0
    assert m({"metric": "world_share", "entity": ["BBB"], "indicator": "x", "year": 2023}) == 0.75  # no WLD: sum
    assert math.isnan(m({"metric": "value", "entity": "ZZZ", "indicator": "x", "year": 2023}))


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


def test_unparseable_bibliography_is_a_data_error(tmp_path):
    bad = tmp_path / "bad.bib"
    bad.write_text("@misc{broken, title = {unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="bad.bib"):
        claims.bib_keys(bad)
