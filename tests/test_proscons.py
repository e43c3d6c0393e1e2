"""Pros, cons and challenges: validation messages and computed assessments."""

from __future__ import annotations

import pytest

from bricsai.ledger import claims
from bricsai.ledger import proscons
from bricsai.errors import DataError
from conftest import params_from

SCENARIOS = {"BRICS-5", "BRICS-10", "G7"}
INDICATORS = {"SP.POP.TOTL", "epoch_gpu_h100e"}
BIB = {"keyone"}


def _raw():
    return {"items": [
        {"id": "p01-typed", "label": "A", "topic": "sber", "kind": "pro", "article_point": "a",
         "evidence": [{"ref": "keyone", "note": "n"}], "assessment": "mixed", "reason": "r"},
        {"id": "p02-derived", "label": "B", "topic": "sanctions", "kind": "challenge", "article_point": "b",
         "evidence": [{"id": "share", "label": "share", "note": "n",
                       "measure": {"metric": "world_share", "entity": "RUS", "indicator": "epoch_gpu_h100e", "year": 2025}}],
         "derive": {"from": "share", "otherwise": "weak",
                    "bands": [{"op": "<", "threshold": 0.01, "assessment": "strong"},
                              {"op": "<", "threshold": 0.03, "assessment": "mixed"}]},
         "reason": "r"},
    ]}


def _validate(raw, **kw):
    kw = {"bib": BIB, "scenarios": SCENARIOS, "indicators": INDICATORS, **kw}
    return proscons.validate_pros_cons(raw, "pros_cons.yml", **kw)


def _error(raw) -> str:
    with pytest.raises(DataError) as info:
        _validate(raw)
    return str(info.value)


def test_synthetic_file_validates():
    assert len(_validate(_raw())) == 2


def test_missing_field():
    raw = _raw()
    del raw["items"][0]["reason"]
    msg = _error(raw)
    assert msg.startswith("pros_cons.yml:") and "item p01-typed" in msg and "'reason'" in msg


def test_unknown_kind_and_assessment():
    raw = _raw()
    raw["items"][0]["kind"] = "maybe"
    raw["items"][0]["assessment"] = "great"
    msg = _error(raw)
    assert "item p01-typed" in msg and "'maybe'" in msg and "'great'" in msg


def test_unknown_bib_key():
    raw = _raw()
    raw["items"][0]["evidence"][0]["ref"] = "nokey"
    msg = _error(raw)
    assert "pros_cons.yml:" in msg and "item p01-typed" in msg and "'nokey'" in msg


def test_unknown_indicator_and_scenario():
    raw = _raw()
    spec = raw["items"][1]["evidence"][0]["measure"]
    spec["indicator"] = "nope"
    msg = _error(raw)
    assert "item p02-derived" in msg and "'nope'" in msg
    raw = _raw()
    spec = raw["items"][1]["evidence"][0]["measure"]
    del spec["entity"]
    spec["scenario"] = "BRICS-77"
    assert "'BRICS-77'" in _error(raw)


def test_typed_and_derived_are_exclusive():
    raw = _raw()
    raw["items"][1]["assessment"] = "strong"
    assert "exactly one of 'assessment'" in _error(raw)
    raw = _raw()
    raw["items"][1]["derive"]["from"] = "ghost"
    assert "'ghost' is not a measured evidence id" in _error(raw)


def test_real_file_validates():
    items = proscons.load_pros_cons()
    assert {i["kind"] for i in items} == set(proscons.KINDS)
    assert {i["topic"] for i in items} == set(proscons.TOPICS)
    assert any("derive" in i for i in items)


def _edges(test, eps=1e-6):
    """(inside, outside) value pairs on each boundary of a band."""
    if test["op"] == "between":
        return [(test["low"], test["low"] - eps), (test["high"], test["high"] + eps)]
    t = test["threshold"]
    return {">": [(t + eps, t)], ">=": [(t, t - eps)], "<": [(t - eps, t)], "<=": [(t, t + eps)]}[test["op"]]


def _derived_items():
    return [pytest.param(i, id=i["id"]) for i in proscons.load_pros_cons() if "derive" in i]


@pytest.mark.parametrize("item", params_from(_derived_items))
def test_real_derived_assessment_follows_bands(item):
    """Every band boundary in the real file changes the assessment when the value crosses it."""
    derive = item["derive"]
    other = {ev["id"]: 1.0 for ev in item["evidence"] if "measure" in ev}
    specs = {repr(sorted(ev["measure"].items())): ev["id"] for ev in item["evidence"] if "measure" in ev}
    for band in derive["bands"]:
        edges = _edges(band)
        for inside, outside in edges:
            results = []
            for v in (inside, outside):
                vals = {**other, derive["from"]: v}
                df = proscons.evaluate_pros_cons([item], lambda s: vals[specs[repr(sorted(s.items()))]])
                results.append(df.loc[0, "assessment"])
            assert results[0] != results[1], f"{item['id']}: band {band} does not change the assessment"
            assert df.loc[0, "assessment_source"] == "computed"


def test_evaluate_and_summary():
    items = _validate(_raw())
    df = proscons.evaluate_pros_cons(items, lambda spec: 0.02)
    row = df.set_index("id").loc["p02-derived"]
    assert row["assessment"] == "mixed" and row["values"] == {"share": 0.02}
    assert "share = 0.02" in row["reason"]
    assert df.set_index("id").loc["p01-typed", "assessment"] == "mixed"
    assert proscons.evaluate_pros_cons(items, lambda spec: float("nan")).loc[1, "assessment"] == "unclear"
    table = proscons.summary(df)
    assert table.loc["pro", "mixed"] == 1 and table.loc["challenge", "mixed"] == 1


def test_same_bibliography_as_claims():
    keys = claims.bib_keys()
    for item in proscons.load_pros_cons():
        for ev in item["evidence"]:
            if "ref" in ev:
                assert ev["ref"] in keys
