"""Aggregation arithmetic on small frames the tests make, plus property tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bricsai.groups import aggregate as A
from bricsai.errors import DataError


def frame(values: dict[tuple[str, int], float], indicator: str = "X") -> pd.DataFrame:
    rows = [{"entity": e, "indicator": indicator, "year": y, "value": v, "unit": "u", "source": "s"}
            for (e, y), v in values.items()]
    return pd.DataFrame(rows)


DF = frame({("A", 2000): 10.0, ("B", 2000): 30.0, ("WLD", 2000): 100.0,
            ("A", 2001): 20.0, ("WLD", 2001): 200.0})


def test_share_of_world_and_coverage():
    s = A.share_of_world(DF, ["A", "B"], "X").set_index("year")
    assert s.loc[2000, "total"] == 40.0 and s.loc[2000, "share"] == pytest.approx(0.4)
    assert s.loc[2000, "complete"] and s.loc[2000, "missing"] == ()
    # 2001: B missing -> flagged, not summed short
    assert not s.loc[2001, "complete"] and s.loc[2001, "missing"] == ("B",)
    assert math.isnan(s.loc[2001, "total"]) and math.isnan(s.loc[2001, "share"])
    assert s.loc[2001, "n_present"] == 1 and s.loc[2001, "n_members"] == 2


def test_partial_sum_only_when_asked():
    s = A.share_of_world(DF, ["A", "B"], "X", require_complete=False).set_index("year")
    assert s.loc[2001, "total"] == 20.0 and not s.loc[2001, "complete"]


def test_requested_year_without_any_data_is_incomplete():
    s = A.bloc_total(DF, ["A"], "X", years=[1999])
    assert len(s) == 1 and not s["complete"].iloc[0] and s["missing"].iloc[0] == ("A",)


def test_contributions_and_concentration():
    c = A.contributions(DF, ["A", "B"], "X", 2000).set_index("entity")
    assert c.loc["B", "share_of_bloc"] == pytest.approx(0.75)
    assert c.loc["A", "share_of_world"] == pytest.approx(0.1)
    k = A.concentration(DF, ["A", "B"], "X", 2000)
    assert k["largest"] == "B" and k["largest_share"] == pytest.approx(0.75)
    assert k["hhi"] == pytest.approx(0.75 ** 2 + 0.25 ** 2)
    assert math.isnan(A.concentration(DF, ["A", "B"], "X", 2001)["hhi"])


def test_per_capita():
    df = pd.concat([
        frame({("A", 2000): 100.0, ("B", 2000): 300.0, ("WLD", 2000): 1000.0}, "GDP"),
        frame({("A", 2000): 1.0, ("B", 2000): 3.0, ("WLD", 2000): 20.0}, "POP"),
    ])
    r = A.per_capita(df, ["A", "B"], gdp="GDP", pop="POP").iloc[0]
    assert r["per_capita"] == pytest.approx(100.0) and r["world_per_capita"] == pytest.approx(50.0)


def test_shares_by_year_several_scenarios():
    s = A.shares_by_year(DF, {"ab": ["A", "B"], "a": ["A"]}, "X")
    assert set(s["scenario"]) == {"ab", "a"} and len(s) == 4
    assert s.set_index(["scenario", "year"]).loc[("a", 2001), "share"] == pytest.approx(0.1)


def test_shares_by_year_with_changing_membership():
    s = A.shares_by_year(DF, {"grows": lambda y: ["A"] if y == 2000 else ["A", "B"],
                              "none": lambda y: []}, "X", years=[2000, 2001])
    s = s.set_index(["scenario", "year"])
    assert s.loc[("grows", 2000), "share"] == pytest.approx(0.1)
    assert s.loc[("grows", 2001), "missing"] == ("B",) and math.isnan(s.loc[("grows", 2001), "share"])
    assert s.loc[("none", 2000), "n_members"] == 0 and math.isnan(s.loc[("none", 2000), "share"])


def test_economies_vs_world_reports_gap():
    r = A.economies_vs_world(DF, ["A", "B"], "X", 2000, rtol=0.01)
    assert r["gap"] == 60.0 and not r["within_tolerance"]
    assert A.economies_vs_world(DF, ["A", "B"], "X", 2000, rtol=0.7)["within_tolerance"]


def test_crosscheck_side_by_side():
    wb = frame({("A", 2000): 10.0, ("WLD", 2000): 100.0}, "W")
    imf = frame({("A", 2000): 1.2, ("IMF_WORLD", 2000): 10.0}, "I")
    r = A.crosscheck_shares(wb, imf, {"A": ["A"]}, [2000], wb_indicator="W", imf_indicator="I").iloc[0]
    assert r["wb_share"] == pytest.approx(0.1) and r["imf_share"] == pytest.approx(0.12)
    assert r["diff"] == pytest.approx(-0.02)


def test_errors():
    with pytest.raises(DataError, match="not in the frame"):
        A.bloc_total(DF, ["A"], "NOPE")
    with pytest.raises(DataError, match="at least one member"):
        A.bloc_total(DF, [], "X")
    with pytest.raises(DataError, match="non-negative"):
        A.hhi([1.0, -1.0])
    dup = pd.concat([DF, DF.iloc[:1]])
    with pytest.raises(DataError, match="duplicate"):
        A.bloc_total(dup, ["A"], "X")


# --- properties --------------------------------------------------------------------------

values = st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False)


@st.composite
def bloc_frames(draw):
    n = draw(st.integers(1, 8))
    members = [f"M{i}" for i in range(n)]
    vals = draw(st.lists(st.one_of(st.none(), values), min_size=n, max_size=n))
    extra = draw(values)  # non-members' part of the world
    present = sum(v for v in vals if v is not None)
    data = {(m, 2000): v for m, v in zip(members, vals) if v is not None}
    data[("WLD", 2000)] = present + extra
    return members, vals, frame(data)


@settings(max_examples=150, deadline=None)
@given(bloc_frames())
def test_property_coverage_and_share_bounds(case):
    members, vals, df = case
    s = A.share_of_world(df, members, "X", years=[2000], require_complete=False).iloc[0]
    missing = tuple(m for m, v in zip(members, vals) if v is None)
    assert s["missing"] == missing
    assert s["complete"] == (not missing)
    assert s["n_present"] == len(members) - len(missing)
    if not np.isnan(s["share"]):
        assert -1e-12 <= s["share"] <= 1 + 1e-12
    strict = A.share_of_world(df, members, "X", years=[2000]).iloc[0]
    assert (not missing) or np.isnan(strict["share"])


@settings(max_examples=150, deadline=None)
@given(st.lists(values, min_size=1, max_size=12))
def test_property_contributions_add_up_and_hhi_bounds(vals):
    members = [f"M{i}" for i in range(len(vals))]
    data = {(m, 2000): v for m, v in zip(members, vals)}
    data[("WLD", 2000)] = sum(vals) * 2 + 1.0
    df = frame(data)
    c = A.contributions(df, members, "X", 2000)
    total = A.bloc_total(df, members, "X", [2000])["total"].iloc[0]
    assert math.isclose(c["value"].sum(), total, rel_tol=1e-12, abs_tol=1e-9)
    assert ((c["share_of_world"] >= 0) & (c["share_of_world"] <= 1)).all()
    if total > 0:
        assert math.isclose(c["share_of_bloc"].sum(), 1.0, rel_tol=1e-9)
        h = A.hhi(vals)
        assert 1 / len(vals) - 1e-12 <= h <= 1 + 1e-12
