"""The registry and the as-of policy against independent computations (plain pandas on the
extracts), never the registry's own arithmetic."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bricsai.errors import DataError
from bricsai.groups import arithmetic
from bricsai.ledger import asof
from bricsai.ledger.measures import Registry, registry
from bricsai.paths import DATA, EXTRACTS

BRICS5 = ["BRA", "RUS", "IND", "CHN", "ZAF"]
BRICS10 = BRICS5 + ["EGY", "ETH", "IRN", "ARE", "IDN"]
G7 = ["USA", "JPN", "DEU", "GBR", "FRA", "ITA", "CAN"]


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(EXTRACTS / f"{name}.csv", keep_default_na=False, na_values=[""])


def _meta(name: str) -> dict:
    return json.loads((EXTRACTS / f"{name}.meta.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wdi():
    return _csv("wdi_economy")


def _value(df, ind, iso, year):
    v = df[(df["indicator"] == ind) & (df["entity"] == iso) & (df["year"] == year)]["value"]
    return float(v.iloc[0]) if len(v) else float("nan")


def test_economy_period_is_latest_year_every_compared_member_has(wdi):
    import yaml

    raw = yaml.safe_load((DATA / "blocs.yml").read_text(encoding="utf-8"))
    from bricsai.groups import blocs

    members = {m for g in raw["comparison"] for m in blocs.scenario(g)} | {"WLD"}
    ok = None
    for ind in ("SP.POP.TOTL", "NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD.DERIVED"):
        sub = wdi[(wdi["indicator"] == ind) & wdi["entity"].isin(members) & wdi["value"].notna()]
        years = {y for y, n in sub.groupby("year")["entity"].nunique().items() if n == len(members)}
        ok = years if ok is None else ok & years
    assert registry().period("economy") == max(ok) == registry().period("pop_share")


def test_shares_equal_plain_sums(wdi):
    reg = registry()
    y = reg.period("economy")
    for ind, measure in (("SP.POP.TOTL", "pop_share"), ("NY.GDP.MKTP.CD", "gdp_share")):
        for group, ms in (("BRICS-5", BRICS5), ("BRICS-10", BRICS10), ("G7", G7)):
            expected = sum(_value(wdi, ind, m, y) for m in ms) / _value(wdi, ind, "WLD", y)
            assert reg.value(measure, group) == pytest.approx(expected, rel=1e-12)
    china = _value(wdi, "NY.GDP.MKTP.CD", "CHN", y) / sum(_value(wdi, "NY.GDP.MKTP.CD", m, y) for m in BRICS10)
    assert reg.value("gdp_share", "CHN", of="BRICS-10") == pytest.approx(china, rel=1e-12)
    pc = _value(wdi, "NY.GDP.MKTP.CD", "RUS", y) / _value(wdi, "SP.POP.TOTL", "RUS", y)
    assert reg.value("gdp_per_capita", "RUS") == pytest.approx(pc, rel=1e-12)


def test_partial_years_come_from_metadata_and_are_never_the_reference():
    reg = registry()
    for family, spec in reg.families.items():
        meta = _meta(spec["datasets"][0])
        assert "partial_years" in meta, spec["datasets"][0]
        period = reg.period(family)
        if isinstance(period, int):
            assert period not in meta["partial_years"] + meta.get("projection_years", []), family
    gpu = _meta("epoch_gpu_clusters")
    assert gpu["partial_years"] == [gpu["years"][1]]  # the snapshot's last year is partial
    assert reg.period("gpu") == gpu["years"][1] - 1


def test_gpu_share_is_end_of_last_complete_year():
    df = _csv("epoch_gpu_clusters")
    y = registry().period("gpu")
    h = df[(df["indicator"] == "epoch_gpu_h100e") & (df["year"] == y)].set_index("entity")["value"]
    assert registry().value("gpu_share", "RUS") == pytest.approx(h.get("RUS", 0.0) / h["WLD"])
    # a member without a row has none (absent = zero): South Africa has no cluster
    assert registry().value("gpu_h100e", "BRICS-5") == pytest.approx(sum(h.get(m, 0.0) for m in BRICS5))


def test_top500_period_is_latest_list():
    df = _csv("top500")
    nov = df[df["indicator"] == "top500_systems_nov"]["year"].max()
    jun = df[df["indicator"] == "top500_systems_jun"]["year"].max()
    expected = f"{nov}-11" if nov >= jun else f"{jun}-06"
    assert registry().period("top500") == expected
    sub = df[(df["indicator"] == "top500_systems_nov") & (df["year"] == nov)].set_index("entity")["value"]
    assert registry().value("top500_systems", "USA") == sub["USA"]
    assert asof.period_label(expected).endswith(expected[:4])


def test_series_flags_partial_years():
    s = registry().series("gpu_share", "USA")
    assert s.attrs["partial"] == _meta("epoch_gpu_clusters")["partial_years"]
    assert s.loc[registry().period("gpu")] == pytest.approx(registry().value("gpu_share", "USA"))


def test_format_and_describe():
    reg = registry()
    assert reg.format("pop_share", 0.40312) == "40.3%"
    assert reg.format("pop_share", 0.40312, digits=0) == "40%"
    # under 1%: two significant figures unless the page asks for fewer
    assert reg.format("pop_share", 0.0017612) == "0.18%"
    assert reg.format("pop_share", 0.00047) == "0.047%"
    assert reg.format("pop_share", 0.0017612, digits=1) == "0.2%"
    assert reg.format("gdp", 2.5e12) == "US$2,500\u00a0bn"
    d = reg.describe("gpu_share")
    assert d["period"] == reg.period("gpu") and d["dataset"] == "epoch_gpu_clusters"


def test_policy_table_lists_every_family():
    t = asof.policy_table()
    assert list(t["Family"]) == list(registry().families)
    assert (t["Reference period"] != "").all()


def test_bad_measures_file_names_file_and_entry(tmp_path):
    bad = tmp_path / "measures.yml"
    bad.write_text("families:\n  economy: {datasets: [wdi_economy], rule: newest}\nmeasures: {}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"measures.yml.*family 'economy'.*rule"):
        Registry(bad)
    bad.write_text("families:\n  economy: {datasets: [wdi_economy], rule: latest-complete-year}\n"
                   "measures:\n  x: {family: nope, indicator: SP.POP.TOTL, kind: share, label: x}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"measure 'x'.*family"):
        Registry(bad)


def test_arithmetic_absent_member_policies():
    df = pd.DataFrame({"entity": ["A", "B", "WLD", "A", "WLD"], "indicator": "x",
                       "year": [2000, 2000, 2000, 2001, 2001], "value": [1.0, 2.0, 10.0, 4.0, 20.0]})
    req = arithmetic.total_share(df, "x", ["A", "B"], absent="require").set_index("year")
    assert req.loc[2000, "share"] == pytest.approx(0.3) and pd.isna(req.loc[2001, "total"])
    assert req.loc[2001, "missing"] == ("B",) and not req.loc[2001, "complete"]
    zero = arithmetic.total_share(df, "x", ["A", "B"], absent="zero").set_index("year")
    assert zero.loc[2001, "total"] == 4.0 and zero.loc[2001, "absent"] == ("B",)
    skip = arithmetic.total_share(df, "x", ["A", "B"], absent="skip").set_index("year")
    assert skip.loc[2001, "share"] == pytest.approx(0.2) and not skip.loc[2001, "complete"]
    within = arithmetic.total_share(df, "x", ["A"], [2000], of=["A", "B"])
    assert within["share"].iloc[0] == pytest.approx(1 / 3)
    with pytest.raises(DataError, match="policy"):
        arithmetic.total_share(df, "x", ["A"], absent="maybe")
