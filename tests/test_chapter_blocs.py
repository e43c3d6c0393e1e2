"""The chapter "The BRICS bloc in numbers": its helper functions on small frames, and the
numbers it printed against the data layer's own arithmetic on the committed extracts."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from bricsai.groups import aggregate
from bricsai.groups import blocs
from bricsai.chapters import blocstats as S
from bricsai.sources import extracts
from bricsai.sources import imf
from bricsai.errors import DataError
from bricsai.paths import ROOT

NOTEBOOK = ROOT / "notebooks" / "bloc_numbers.md"
NAMES = ["BRICS-5", "BRICS-10", "BRICS-10+SAU", "G7", "GPAI"]
INDICATORS = [S.POP, S.GDP, S.PPP]


def frame(values: dict[tuple[str, str, int], float]) -> pd.DataFrame:
    rows = [{"entity": e, "indicator": i, "year": y, "value": v, "unit": "u", "source": "s"}
            for (e, i, y), v in values.items()]
    return pd.DataFrame(rows)


# --- blocstats on synthetic frames -------------------------------------------------------

def test_years_between_is_inclusive_and_skips_missing():
    f = pd.DataFrame({"year": [2000, 2001, 2002, 2003], "share": [0.21, 0.22, np.nan, 0.25]})
    assert S.years_between(f, lo=0.22, hi=0.25) == [2001, 2003]
    assert S.years_between(f, lo=0.23) == [2003]
    assert S.years_between(f, hi=0.215) == [2000]
    with pytest.raises(DataError):
        S.years_between(f, lo=0.3, hi=0.2)
    with pytest.raises(DataError):
        S.years_between(f.rename(columns={"share": "x"}))


def test_runs_and_their_description():
    assert S.runs([1995, 1990, 1991, 1991]) == [(1990, 1991), (1995, 1995)]
    assert S.describe_runs([1990, 1991, 1995]) == "1990\u20131991 and 1995"
    assert S.describe_runs([1, 2, 5, 7, 8]) == "1\u20132, 5 and 7\u20138"
    assert S.describe_runs([], none="never") == "never"
    assert S.join_words(["a", "b", "c"]) == "a, b and c" and S.join_words(["a"]) == "a"


def test_latest_common_year():
    a = pd.DataFrame({"year": [2000, 2001, 2002], "share": [0.1, 0.2, 0.3]})
    b = pd.DataFrame({"year": [2000, 2001, 2002], "share": [0.1, 0.2, np.nan]})
    assert S.latest_common_year([a, b]) == 2001
    assert S.latest_common_year([a]) == 2002
    with pytest.raises(DataError):
        S.latest_common_year([a.assign(share=np.nan), b])


def test_gaps_lists_missing_years_per_member():
    f = pd.DataFrame({"year": [2000, 2001, 2002], "missing": [("B",), (), ("A", "B")]})
    assert S.gaps(f) == {"A": [2002], "B": [2000, 2002]}


DF = frame({("A", "G", 2000): 10.0, ("B", "G", 2000): 30.0, ("WLD", "G", 2000): 100.0,
            ("A", "G", 2001): 20.0, ("WLD", "G", 2001): 200.0,
            ("A", "P", 2000): 1.0, ("B", "P", 2000): 3.0, ("WLD", "P", 2000): 20.0,
            ("A", "P", 2001): 1.0, ("B", "P", 2001): 3.0, ("WLD", "P", 2001): 20.0})


def test_member_shares_blank_an_incomplete_year():
    m = S.member_shares(DF, ["A", "B"], "G", [2000, 2001])
    assert m.loc[2000, "B"] == pytest.approx(0.75) and m.loc[2000].sum() == pytest.approx(1.0)
    assert m.loc[2001].isna().all()


def test_hhi_by_year():
    h = S.hhi_by_year(DF, ["A", "B"], "G", [2000, 2001]).set_index("year")
    assert h.loc[2000, "hhi"] == pytest.approx(0.25 ** 2 + 0.75 ** 2)
    assert h.loc[2000, "largest"] == "B" and h.loc[2000, "largest_share"] == pytest.approx(0.75)
    assert math.isnan(h.loc[2001, "hhi"]) and not h.loc[2001, "complete"]


def test_per_capita_by_group_and_latest_values():
    df = pd.concat([DF, DF[DF["indicator"] == "G"].assign(indicator="Q")])
    pc = S.per_capita_by_group(df, {"AB": ["A", "B"], "A": ["A"]}, 2000, gdp="G", pop="P").set_index("group")
    assert pc.loc["AB", "per_capita"] == pytest.approx(40 / 4)
    assert pc.loc["A", "per_capita"] == pytest.approx(10.0)
    assert pc.loc["A", "world_per_capita"] == pytest.approx(5.0)
    tidy = df.replace({"indicator": {"G": S.GDP, "P": S.POP, "Q": S.PPP}})
    lv = S.latest_values(tidy, {"AB": ["A", "B"]}, 2000).iloc[0]
    assert lv["population"] == 4 and lv["population_share"] == pytest.approx(0.2)
    assert lv["gdp_share"] == pytest.approx(0.4) and lv["gdp_per_capita"] == pytest.approx(10.0)
    lv01 = S.latest_values(tidy, {"AB": ["A", "B"]}, 2001).iloc[0]
    assert math.isnan(lv01["gdp"]) and math.isnan(lv01["gdp_per_capita"])  # B lacks GDP in 2001


def test_claim_test_reads_the_primary_check():
    claims = [{"id": "c", "evidence": {"checks": [
        {"role": "context", "test": {"op": ">", "threshold": 0.1}},
        {"role": "primary", "test": {"op": ">", "threshold": 0.4}}]}}]
    assert S.claim_test(claims, "c") == {"op": ">", "threshold": 0.4}
    with pytest.raises(DataError):
        S.claim_test(claims, "missing")
    with pytest.raises(DataError):
        S.claim_test(claims, "c", role="other")


def test_short_names():
    assert S.short_names(["RUS", "ZAF"]) == {"RUS": "Russia", "ZAF": "South Africa"}


# --- the chapter's printed numbers against the extracts ------------------------------------

@pytest.fixture(scope="module")
def wdi():
    return extracts.load("wdi_economy")


def _share(df, scenario, indicator, year, world="WLD"):
    members = blocs.scenario(scenario)
    sub = df[(df["indicator"] == indicator) & (df["year"] == year)].set_index("entity")["value"]
    if not set(members) <= set(sub.index):
        return float("nan")
    return float(sub[members].sum() / sub[world])


def _latest_year(wdi) -> int:
    """Latest year in which every scenario has every member for all three measures."""
    years = sorted(wdi["year"].unique(), reverse=True)
    for y in years:
        if all(not math.isnan(_share(wdi, n, i, y)) for n in NAMES for i in INDICATORS):
            return int(y)
    raise AssertionError("no complete year")


def test_latest_year_is_the_last_complete_one(glued, wdi):
    latest = _latest_year(wdi)
    assert int(glued("bloc-latest-year")) == latest


@pytest.mark.parametrize("key, scenario, indicator", [
    ("bloc-pop-share-brics5-latest", "BRICS-5", S.POP),
    ("bloc-pop-share-brics10-latest", "BRICS-10", S.POP),
    ("bloc-gdp-share-brics5-latest", "BRICS-5", S.GDP),
    ("bloc-gdp-share-brics10-latest", "BRICS-10", S.GDP),
    ("bloc-ppp-share-brics10-latest", "BRICS-10", S.PPP),
    ("bloc-ppp-share-g7-latest", "G7", S.PPP),
    ("bloc-pop-share-gpai-latest", "GPAI", S.POP),
    ("bloc-gdp-share-brics10sau-latest", "BRICS-10+SAU", S.GDP),
])
def test_landing_page_shares(glued, wdi, key, scenario, indicator):
    year = int(glued("bloc-latest-year"))
    assert glued(key) == pytest.approx(100 * _share(wdi, scenario, indicator, year), rel=1e-12)
    via_aggregate = aggregate.share_of_world(wdi, blocs.scenario(scenario), indicator, [year])["share"].iloc[0]
    assert glued(key) == pytest.approx(100 * via_aggregate, rel=1e-12)


def test_china_weight_and_concentration(glued, wdi):
    year = int(glued("bloc-latest-year"))
    b10 = blocs.scenario("BRICS-10")
    gdp = wdi[(wdi["indicator"] == S.GDP) & (wdi["year"] == year)].set_index("entity")["value"]
    assert glued("bloc-china-share-brics10-gdp") == pytest.approx(100 * gdp["CHN"] / gdp[b10].sum())
    shares = gdp[b10] / gdp[b10].sum()
    assert glued("bloc-hhi-brics10-latest") == pytest.approx(float((shares ** 2).sum()))
    g7 = gdp[blocs.scenario("G7")]
    assert glued("bloc-hhi-g7-latest") == pytest.approx(float(((g7 / g7.sum()) ** 2).sum()))
    assert glued("bloc-hhi-brics10-equiv") == pytest.approx(1 / glued("bloc-hhi-brics10-latest"))


def test_claim_years(glued, wdi):
    years = range(int(glued("bloc-first-year")), int(glued("bloc-last-year")) + 1)
    pop5 = [y for y in years if _share(wdi, "BRICS-5", S.POP, y) > 0.40]
    assert glued("bloc-pop40-brics5-years") == S.describe_runs(pop5)
    band = [y for y in years if 0.22 <= _share(wdi, "BRICS-5", S.GDP, y) <= 0.25]
    assert glued("bloc-gdpband-brics5-years") == S.describe_runs(band)
    assert glued("bloc-gdp-band") == "22%\u201325%"  # the claims ledger's band


def test_per_capita_and_imf_crosscheck(glued, wdi):
    year = int(glued("bloc-latest-year"))
    g7 = blocs.scenario("G7")
    sub = wdi[wdi["year"] == year]
    gdp = sub[sub["indicator"] == S.GDP].set_index("entity")["value"]
    pop = sub[sub["indicator"] == S.POP].set_index("entity")["value"]
    assert glued("bloc-pc-usd-g7") == pytest.approx(gdp[g7].sum() / pop[g7].sum())
    assert glued("bloc-pc-usd-world") == pytest.approx(gdp["WLD"] / pop["WLD"])
    cmp_year = int(glued("bloc-cmp-year"))
    assert cmp_year < imf.PROJECTION_FROM  # no projection in the comparison
    weo = extracts.load("imf_weo_gdp")
    ppp = weo[(weo["indicator"] == "PPPGDP") & (weo["year"] == cmp_year)].set_index("entity")["value"]
    b10 = blocs.scenario("BRICS-10")
    assert glued("bloc-ppp-imf-brics10") == pytest.approx(100 * ppp[b10].sum() / ppp["IMF_WORLD"])


def test_every_bloc_glue_is_a_finite_number_or_text(glued):
    from bricsai.present.report import GLUE_DIR

    keys = sorted(p.stem for p in GLUE_DIR.glob("bloc-*.json"))
    assert len(keys) > 40
    for k in keys:
        v = glued(k)
        assert isinstance(v, str) and v or math.isfinite(v), k


def _prose(text: str) -> str:
    body = re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)
    body = re.sub(r"^---\n.*?\n---\n", "", body, flags=re.S)
    body = re.sub(r"\{(glue:text|cite|numref|ref)\}`[^`]*`", "", body)
    body = re.sub(r'"[^"]{1,120}"', "", body)  # short quotes of the article's claims
    return re.sub(r"BRICS-\d+", "", body)


def test_prose_has_no_typed_numbers():
    prose = _prose(NOTEBOOK.read_text(encoding="utf-8"))
    typed = re.findall(r"\b\d{2,}\b|\d+(?:\.\d+)?\s?%", prose)
    assert typed == [], f"numbers typed in the prose instead of glued: {typed}"


def test_prose_check_catches_a_typed_number():
    assert re.findall(r"\b\d{2,}\b|\d+(?:\.\d+)?\s?%", _prose("China holds 62% of the {glue:text}`x:.1f` total"))
