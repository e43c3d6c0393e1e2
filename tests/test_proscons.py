"""The pros and cons as a policy matrix: validation messages, completeness of the matrix, and
every computed direction checked against an independent computation written here."""

from __future__ import annotations

import copy
import math
from collections import defaultdict

import measure_oracle
import pandas as pd
import pytest
import yaml
from conftest import params_from

from bricsai.chapters import evidence
from bricsai.chapters import proscons as chapter
from bricsai.errors import DataError
from bricsai.ledger import claims, proscons
from bricsai.paths import DATA, EXTRACTS

SCENARIOS = {"BRICS-5", "BRICS-10", "G7"}
INDICATORS = {"SP.POP.TOTL", "epoch_gpu_h100e"}
BIB = {"keyone"}
CLAIMS = {"c01-one"}
_SPEC = {"metric": "world_share", "entity": "RUS", "indicator": "epoch_gpu_h100e", "year": 2024}


def _item(**over):
    item = {"id": "p01-typed", "label": "A", "topic": "sber", "origin": "article", "kind": "pro",
            "point": "a", "stakes": {"russia": "gains", "china": "none", "others": "none", "west": "loses"},
            "horizon": "short", "evidence": [{"ref": "keyone", "note": "n"}, {"claim": "c01-one", "note": "n"}],
            "direction": "mixed", "reason": "r", "confidence": "low", "counter": "c"}
    item.update(over)
    return item


def _raw():
    derived = _item(id="p02-derived", kind="challenge", topic="sanctions", origin="added",
                    evidence=[{"id": "share", "label": "share", "note": "n", "measure": dict(_SPEC)},
                              {"id": "base", "label": "base", "note": "n", "measure": {**_SPEC, "entity": "WLD"}}],
                    derive={"from": "share", "otherwise": "against",
                            "bands": [{"op": "<", "threshold": 0.01, "direction": "supports"},
                                      {"op": "<", "threshold": 0.03, "direction": "mixed"}]})
    del derived["direction"]
    scen = [{"id": f"s{i}", "title": "T", "story": "s",
             "indicators": [{"label": "l", "signal": "up", "measure": dict(_SPEC)},
                            {"label": "m", "signal": "down", "refs": ["keyone"]}]} for i in (1, 2)]
    return {"items": [_item(), derived], "scenarios": scen}


def _validate(raw):
    return proscons.validate_file(raw, "pros_cons.yml", bib=BIB, scenarios=SCENARIOS,
                                  indicators=INDICATORS, claim_ids=CLAIMS)


def _error(raw) -> str:
    with pytest.raises(DataError) as info:
        _validate(raw)
    return str(info.value)


def test_synthetic_file_validates():
    assert len(_validate(_raw())["items"]) == 2


@pytest.mark.parametrize("field", ["stakes", "horizon", "confidence", "counter", "origin", "point", "reason"])
def test_every_matrix_field_is_required(field):
    raw = _raw()
    del raw["items"][0][field]
    msg = _error(raw)
    assert msg.startswith("pros_cons.yml:") and "item p01-typed" in msg and f"'{field}'" in msg


@pytest.mark.parametrize("edit, expected", [
    (lambda r: r["items"][0].update(kind="maybe"), "'maybe'"),
    (lambda r: r["items"][0].update(direction="great"), "'great'"),
    (lambda r: r["items"][0].update(confidence="total"), "'total'"),
    (lambda r: r["items"][0].update(horizon="soon"), "'soon'"),
    (lambda r: r["items"][0]["stakes"].update(china="wins"), "'wins'"),
    (lambda r: r["items"][0]["stakes"].pop("west"), "'west'"),
    (lambda r: r["items"][0]["evidence"][0].update(ref="nokey"), "unknown bib key 'nokey'"),
    (lambda r: r["items"][0]["evidence"][1].update(claim="c99-ghost"), "unknown claim 'c99-ghost'"),
    (lambda r: r["items"][0].update(stakes=dict.fromkeys(proscons.STAKEHOLDERS, "none")), "nobody gains or loses"),
    (lambda r: r["items"][1].update(direction="supports"), "exactly one of 'direction'"),
    (lambda r: r["items"][1]["derive"].update(relative_to="ghost"), "derive.relative_to: 'ghost'"),
    (lambda r: r["items"][1]["evidence"][0]["measure"].update(indicator="nope"), "'nope'"),
    (lambda r: r["scenarios"][0]["indicators"][1].update(measure=dict(_SPEC)), "exactly one of 'measure'"),
    (lambda r: r["scenarios"][1]["indicators"][1].update(refs=["nokey"]),
     "scenario s2: indicators[2]: unknown bib key"),
    (lambda r: r["scenarios"].pop(), "scenarios"),
])
def test_bad_entries_name_file_entry_and_problem(edit, expected):
    raw = copy.deepcopy(_raw())
    edit(raw)
    msg = _error(raw)
    assert msg.startswith("pros_cons.yml:") and expected in msg, msg


def test_relative_direction_and_missing_values():
    items = _validate(_raw())["items"]
    rel = copy.deepcopy(items[1])
    rel["derive"]["relative_to"] = "base"
    values = {"share": 0.02, "base": 0.5}
    df = chapter.evaluate([rel], lambda spec: values["base" if spec["entity"] == "WLD" else "share"], verdicts={})
    assert df.loc[0, "decided_value"] == pytest.approx(0.04) and df.loc[0, "direction"] == "against"
    # a non-positive yardstick gives no value, so the direction is unclear
    df = chapter.evaluate([rel], lambda spec: -1.0 if spec["entity"] == "WLD" else 0.02, verdicts={})
    assert math.isnan(df.loc[0, "decided_value"]) and df.loc[0, "direction"] == "unclear"
    df = chapter.evaluate(items, lambda spec: float("nan"), verdicts={"c01-one": "supported"})
    assert df.set_index("id").loc["p02-derived", "direction"] == "unclear"
    assert df.set_index("id").loc["p01-typed", "claims"][0]["verdict"] == "supported"


# --- the real file -----------------------------------------------------------------------------

def _yaml() -> dict:
    with open(DATA / "pros_cons.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_real_matrix_is_complete():
    raw = _yaml()
    for item in raw["items"]:
        missing = [f for f in proscons.MATRIX_FIELDS if not item.get(f)]
        assert not missing, f"{item['id']} lacks {missing}"
        assert ("direction" in item) != ("derive" in item)
        assert set(item["stakes"]) == set(proscons.STAKEHOLDERS)
    df = chapter.evaluate(proscons.load_pros_cons(), evidence.measure)
    assert chapter.complete(df) == []
    assert len(df) == len(raw["items"])
    assert {i["kind"] for i in raw["items"]} == set(proscons.KINDS)
    assert 2 <= len(raw["scenarios"]) <= 3
    table = chapter.matrix_table(df)
    assert len(table) == len(df) and not (table == "").any().any()


def test_points_the_article_leaves_out_are_there():
    ids = {i["id"] for i in _yaml()["items"] if i["origin"] == "added"}
    for topic in ("secondary-sanctions", "data-localisation", "hedging", "open-weights", "dual-use"):
        assert any(topic in i for i in ids), topic


def test_p09_is_a_forecast_rated_unclear():
    item = next(i for i in _yaml()["items"] if i["id"].startswith("p09-"))
    assert item["direction"] == "unclear" and "derive" not in item


def test_p06_compares_russia_with_the_world_over_the_same_years():
    item = next(i for i in _yaml()["items"] if i["id"].startswith("p06-"))
    specs = {ev["id"]: ev["measure"] for ev in item["evidence"] if "measure" in ev}
    rus, wld = specs[item["derive"]["from"]], specs[item["derive"]["relative_to"]]
    assert rus["entity"] == "RUS" and wld["entity"] == "WLD"
    assert (rus["year"], rus["to_year"]) == (wld["year"], wld["to_year"])


def _oracle():
    names = ["wdi_economy", "wdi_innovation", "epoch_notable_models", "epoch_gpu_clusters", "top500",
             "cset_ai_publications"]
    columns = ["entity", "indicator", "year", "value"]
    tidy = pd.concat([pd.read_csv(EXTRACTS / f"{n}.csv", dtype={"entity": str})[columns] for n in names])
    counts = [i for i in tidy["indicator"].unique() if i.startswith(("epoch_", "top500_"))]
    groups = {n: evidence.members(n) for n in ["BRICS-5", "BRICS-10", "BRICS-10+SAU", "BRICS-10 excl. China", "G7"]}
    return measure_oracle.make_measure(tidy, groups, absent_is_zero=counts)


def _direction(derive, values) -> str:
    """The bands applied afresh: the first band whose test holds, else ``otherwise``."""
    v = values[derive["from"]]
    if "relative_to" in derive:
        ref = values[derive["relative_to"]]
        v = v / ref if ref > 0 else float("nan")
    if math.isnan(v):
        return "unclear"
    for b in derive["bands"]:
        ok = {"<": v < b.get("threshold", 0), "<=": v <= b.get("threshold", 0), ">": v > b.get("threshold", 0),
              ">=": v >= b.get("threshold", 0)}.get(b["op"], b.get("low", 0) <= v <= b.get("high", 0))
        if ok:
            return b["direction"]
    return derive["otherwise"]


def _derived():
    return [pytest.param(i, id=i["id"]) for i in _yaml()["items"] if "derive" in i]


@pytest.fixture(scope="module")
def oracle():
    return _oracle()


@pytest.fixture(scope="module")
def evaluated():
    """The chapter's evaluation of the whole matrix, once for all items (each test checks one)."""
    return chapter.evaluate(proscons.load_pros_cons(), evidence.measure).set_index("id")


@pytest.mark.parametrize("item", params_from(_derived))
def test_computed_direction_matches_an_independent_computation(item, oracle, evaluated):
    values = {ev["id"]: oracle(ev["measure"]) for ev in item["evidence"] if "measure" in ev}
    expected = _direction(item["derive"], values)
    df = evaluated
    assert df.loc[item["id"], "direction"] == expected
    assert df.loc[item["id"], "direction_source"] == "computed"
    for key, v in values.items():
        assert df.loc[item["id"], "values"][key] == pytest.approx(v, rel=1e-12)


def test_p06_value_by_hand():
    """Russia's 2024/2021 change in net FDI over the world's, straight from the extract."""
    fdi = pd.read_csv(EXTRACTS / "wdi_innovation.csv")
    fdi = fdi[fdi["indicator"] == "BX.KLT.DINV.CD.WD"].set_index(["entity", "year"])["value"]
    expected = (fdi["RUS", 2024] / fdi["RUS", 2021]) / (fdi["WLD", 2024] / fdi["WLD", 2021])
    df = chapter.evaluate(proscons.load_pros_cons(), evidence.measure).set_index("id")
    assert df.loc["p06-foreign-investment", "decided_value"] == pytest.approx(expected)


def _edges(test, eps=1e-6):
    if test["op"] == "between":
        return [(test["low"], test["low"] - eps), (test["high"], test["high"] + eps)]
    t = test["threshold"]
    return {">": [(t + eps, t)], ">=": [(t, t - eps)], "<": [(t - eps, t)], "<=": [(t, t + eps)]}[test["op"]]


@pytest.mark.parametrize("item", params_from(_derived))
def test_every_band_boundary_changes_the_direction(item):
    derive = item["derive"]
    specs = {repr(sorted(ev["measure"].items())): ev["id"] for ev in item["evidence"] if "measure" in ev}
    for band in derive["bands"]:
        for inside, outside in _edges(band):
            results = []
            for v in (inside, outside):
                vals = {k: 1.0 for k in specs.values()} | {derive["from"]: v}
                df = chapter.evaluate([item], lambda s, vals=vals: vals[specs[repr(sorted(s.items()))]],
                                      verdicts=defaultdict(lambda: "supported"))
                results.append(df.loc[0, "direction"])
            assert results[0] != results[1], f"{item['id']}: band {band} does not change the direction"


def test_claim_verdicts_come_from_the_ledger():
    from bricsai.chapters import ledger as ledger_chapter

    # The ledger's own frame (years resolved from the as-of policy), as the ledger page prints it.
    ledger = ledger_chapter.ledger_frame().set_index("id")["verdict"]
    df = chapter.evaluate(proscons.load_pros_cons(), ledger_chapter.measure)
    cited = [c for cs in df["claims"] for c in cs]
    assert cited, "the matrix cites ledger claims"
    for c in cited:
        assert c["verdict"] == ledger[c["claim"]]
    table = chapter.detail_table(df, "challenge", evidence.format_measured)
    assert "claims-ledger" in " ".join(table["Evidence"])


def test_scenario_indicators_read_the_data():
    scen = proscons.load_scenarios()
    table = chapter.scenarios_table(scen, evidence.measure, evidence.format_measured)
    assert len(table) == sum(len(s["indicators"]) for s in scen)
    assert (table["Scenario"] != "").sum() == len(scen)
    measured = [i for s in scen for i in s["indicators"] if "measure" in i]
    assert len(measured) >= len(scen), "each scenario is tied to the book's data"
    oracle = _oracle()
    rows = table[~table["Today"].str.startswith("watch")]
    for ind, today in zip(measured, rows["Today"], strict=True):
        assert today == f"{evidence.format_measured(ind['measure'], oracle(ind['measure']), ind.get('display'))} " \
                        f"({ind['measure']['year']})"


def test_same_bibliography_as_claims():
    keys = claims.bib_keys()
    for item in proscons.load_pros_cons():
        for ev in item["evidence"]:
            if "ref" in ev:
                assert ev["ref"] in keys


def test_kind_summary_counts_every_item_of_its_kind():
    df = pd.DataFrame({"kind": ["pro", "pro", "pro", "con", "con"],
                       "direction": ["mixed", "against", "mixed", "supports", "supports"]})
    grid = chapter.summary(df)
    assert chapter.kind_summary(grid, "pro") == (
        "Of the 3 advantages, the evidence supports 0, is mixed on 2 and tells against 1.")
    assert chapter.kind_summary(grid, "con") == "Of the 2 risks, the evidence supports 2."
