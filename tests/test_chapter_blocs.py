"""The chapter "The BRICS bloc in numbers": the values :func:`bricsai.chapters.blocs.compute`
returns, against independent computations written here in plain pandas on the committed
extract files (never the chapter's, the registry's or the group arithmetic's functions), and the
notebook's form (thin, no typed numbers). No book build is needed."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from bricsai.chapters import blocs as chapter
from bricsai.paths import DATA, EXTRACTS, ROOT

NOTEBOOK = ROOT / "notebooks" / "bloc_numbers.md"
POP, GDP, PPP = "SP.POP.TOTL", "NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD.DERIVED"
# Written out here on purpose (from facts.md), so that a wrong blocs.yml cannot pass unseen.
BRICS5 = ["BRA", "RUS", "IND", "CHN", "ZAF"]
BRICS10 = BRICS5 + ["EGY", "ETH", "IRN", "ARE", "IDN"]
G7 = ["USA", "JPN", "DEU", "GBR", "FRA", "ITA", "CAN"]
OECD = ("AUS AUT BEL CAN CHL COL CRI CZE DNK EST FIN FRA DEU GRC HUN ISL IRL ISR ITA JPN KOR LVA LTU LUX "
        "MEX NLD NZL NOR POL PRT SVK SVN ESP SWE CHE TUR GBR USA").split()
GPAI28 = ("AUS CAN FRA DEU IND ITA JPN MEX NZL KOR SGP SVN GBR USA ARG BEL BRA CZE DNK IRL ISR NLD POL SEN SRB "
          "ESP SWE TUR").split()
GROUPS = {"BRICS-5": BRICS5, "BRICS-10": BRICS10, "BRICS-10+SAU": BRICS10 + ["SAU"],
          "BRICS-10 excl. China": [m for m in BRICS10 if m != "CHN"], "G7": G7,
          "GPAI": sorted(set(OECD) | set(GPAI28))}


@pytest.fixture(scope="module")
def ch():
    return chapter.compute()


@pytest.fixture(scope="module")
def wdi():
    df = pd.read_csv(EXTRACTS / "wdi_economy.csv", keep_default_na=False, na_values=[""])
    return df.pivot_table(index=["indicator", "year"], columns="entity", values="value", aggfunc="first")


def share(wdi, ind, members, year, of=("WLD",)):
    row = wdi.loc[(ind, year)]
    if row.reindex(members).isna().any():
        return float("nan")
    return float(row[members].sum() / row[list(of)].sum())


def test_groups_are_the_comparison_set(ch):
    assert list(ch["groups"]) == list(GROUPS)
    for name, members in GROUPS.items():
        assert sorted(ch["groups"][name]) == sorted(members), name
    assert len(GROUPS["GPAI"]) == 44  # the official total, which the derivation must reproduce


def test_reference_year_is_the_latest_complete_for_every_group(ch, wdi):
    years = sorted({y for _, y in wdi.index}, reverse=True)
    everyone = sorted({m for ms in GROUPS.values() for m in ms})
    latest = next(y for y in years if all(not math.isnan(share(wdi, ind, everyone, y)) for ind in (POP, GDP, PPP)))
    assert ch["latest"] == latest == ch["values"]["bloc-latest-year"]


def test_shares_over_time(ch, wdi):
    wide = ch["frames"]["wide"]
    for ind in (POP, GDP, PPP):
        for name, members in GROUPS.items():
            for year in (1990, 2000, ch["latest"]):
                expected = share(wdi, ind, members, year)
                got = wide[ind].loc[year, name]
                assert (math.isnan(expected) and math.isnan(got)) or got == pytest.approx(expected, rel=1e-12)


def test_population_claim_years_and_trend(ch, wdi):
    v, latest = ch["values"], ch["latest"]
    years = range(1990, ch["last_year"] + 1)
    pop5 = pd.Series({y: share(wdi, POP, BRICS5, y) for y in years})
    above = [y for y, s in pop5.items() if s > 0.40]
    assert v["bloc-pop40-brics5-years"] == chapter.describe_runs(above)
    assert v["bloc-pop-margin-brics5-latest"] == pytest.approx(100 * (pop5[latest] - 0.40))
    # pace: ordinary least squares over the ten years to the reference year, written out
    x = np.arange(latest - 9, latest + 1, dtype=float)
    y = pop5.loc[latest - 9:latest].to_numpy()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    assert v["bloc-pop-trend-pace"] == pytest.approx(-100 * slope, rel=1e-9)
    below = next(yr for yr in range(latest + 1, 2200) if pop5[latest] + slope * (yr - latest) < 0.40)
    assert v["bloc-pop-trend-below-year"] == below
    assert (v["bloc-pop-trend-first"], v["bloc-pop-trend-last"], v["bloc-pop-trend-n"]) == (latest - 9, latest, 10)


def test_gdp_band_years_use_the_ledger_band(ch, wdi):
    band = [y for y in range(1990, ch["last_year"] + 1) if 0.22 <= share(wdi, GDP, BRICS5, y) <= 0.25]
    assert ch["values"]["bloc-gdpband-brics5-years"] == chapter.describe_runs(band)
    assert ch["values"]["bloc-gdp-band"] == "22%\u201325%"


def test_china_weight_and_concentration(ch, wdi):
    latest = ch["latest"]
    gdp = wdi.loc[(GDP, latest)]
    parts = ch["frames"]["parts"]
    assert parts.loc["CHN", GDP] == pytest.approx(gdp["CHN"] / gdp[BRICS10].sum())
    s10 = gdp[BRICS10] / gdp[BRICS10].sum()
    assert ch["values"]["bloc-hhi-brics10-latest"] == pytest.approx(float((s10 ** 2).sum()))
    s7 = gdp[G7] / gdp[G7].sum()
    assert ch["values"]["bloc-hhi-g7-latest"] == pytest.approx(float((s7 ** 2).sum()))
    assert ch["values"]["bloc-usa-share-g7-gdp"] == pytest.approx(100 * s7["USA"])
    assert ch["values"]["bloc-second-gdp"] == "India"
    new = ["EGY", "ETH", "IRN", "ARE", "IDN"]
    assert ch["values"]["bloc-new-members-share-brics10-gdp"] == pytest.approx(100 * s10[new].sum())


def test_bloc_as_it_stood(ch, wdi):
    a = ch["frames"]["as_it_stood"].query("indicator == @POP").set_index("year")
    assert a.loc[2023, "n_members"] == 5 and a.loc[2024, "n_members"] == 9 and a.loc[2025, "n_members"] == 10
    assert a.loc[2024, "share"] == pytest.approx(share(wdi, POP, BRICS10[:-1], 2024))
    assert math.isnan(a.loc[2005, "share"])  # no bloc yet


def test_per_capita_and_latest_table(ch, wdi):
    latest = ch["latest"]
    gdp, pop = wdi.loc[(GDP, latest)], wdi.loc[(POP, latest)]
    pc = ch["frames"]["per_capita"]
    assert pc.loc["G7", "gdp_per_capita"] == pytest.approx(gdp[G7].sum() / pop[G7].sum())
    assert pc.loc["World", "gdp_per_capita"] == pytest.approx(gdp["WLD"] / pop["WLD"])
    above = sorted(m for m in BRICS10 + ["SAU"] if gdp[m] / pop[m] > gdp["WLD"] / pop["WLD"])
    assert ch["values"]["bloc-pc-usd-above-world-n"] == len(above)
    t = ch["frames"]["latest"]
    assert t.loc["GPAI", "pop_share"] == pytest.approx(pop[GROUPS["GPAI"]].sum() / pop["WLD"])
    assert t.loc["BRICS-10+SAU", "gdp"] == pytest.approx(gdp[BRICS10 + ["SAU"]].sum())


def test_imf_crosscheck_uses_no_projection(ch):
    meta = json.loads((EXTRACTS / "imf_weo_gdp.meta.json").read_text(encoding="utf-8"))
    year = ch["values"]["bloc-cmp-year"]
    assert year not in meta["projection_years"] and year <= ch["latest"]
    weo = pd.read_csv(EXTRACTS / "imf_weo_gdp.csv", keep_default_na=False, na_values=[""])
    ppp = weo[(weo["indicator"] == "PPPGDP") & (weo["year"] == year)].set_index("entity")["value"]
    assert ch["frames"]["wb_imf"].loc["BRICS-10", "ppp_imf"] == pytest.approx(ppp[BRICS10].sum() / ppp["IMF_WORLD"])


def test_membership_dates_in_the_group_tables(ch):
    note = ch["values"]["bloc-membership-note"]
    for name in GROUPS:
        assert f"{name}:" in note
    assert "derivation" in note and "GPAI" in note
    text = NOTEBOOK.read_text(encoding="utf-8")
    for label in ("tbl-bloc-latest", "tbl-bloc-wb-imf"):
        cell = text[text.index(f'"{label}"'):].split("```")[0]
        assert "bloc-membership-note" in cell, label


def test_every_value_is_finite_or_text(ch):
    assert len(ch["values"]) > 60
    for k, v in ch["values"].items():
        assert (isinstance(v, str) and v) or math.isfinite(v), k


def test_runs_hhi_and_trend_helpers():
    assert chapter.runs([1995, 1990, 1991, 1991]) == [(1990, 1991), (1995, 1995)]
    assert chapter.describe_runs([1, 2, 5, 7, 8]) == "1\u20132, 5 and 7\u20138"
    assert chapter.describe_runs([], none="never") == "never"
    assert chapter.join_words(["a", "b", "c"]) == "a, b and c"
    assert chapter.hhi([1, 1, 1, 1]) == pytest.approx(0.25) and math.isnan(chapter.hhi([1, float("nan")]))
    s = pd.Series([0.5, 0.4, 0.3], index=[2000, 2001, 2002])
    assert chapter.trend(s, 2002, 3)["slope"] == pytest.approx(-0.1)


# --- the notebook's form ---------------------------------------------------------------------

def _cells(text: str) -> tuple[list[str], list[str]]:
    code = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, flags=re.S)
    code_lines = [ln for c in code for ln in c.splitlines() if ln.strip() and not ln.startswith(":")]
    body = re.sub(r"```\{code-cell\}.*?```", "", re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S), flags=re.S)
    return code_lines, [ln for ln in body.splitlines() if ln.strip()]


def test_notebook_is_thin():
    text = NOTEBOOK.read_text(encoding="utf-8")
    code, prose = _cells(text)
    assert len(code) <= (len(code) + len(prose)) / 4, f"{len(code)} code lines against {len(prose)} of text"
    joined = "\n".join(code)
    for pattern in (r"^\s*def ", r"^\s*assert ", r"^\s*[A-Z_]+\s*=\s*\{", r"lambda"):
        assert not re.search(pattern, joined, flags=re.M), pattern


def _prose(text: str) -> str:
    body = re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)
    body = re.sub(r"^---\n.*?\n---\n", "", body, flags=re.S)
    body = re.sub(r"\{(glue:text|cite|numref|ref|measure|period|verdict)\}`[^`]*`", "", body)
    body = re.sub(r'"[^"]{1,120}"', "", body)  # short quotes of the article's claims
    return re.sub(r"BRICS-\d+", "", body)


def test_prose_has_no_typed_numbers():
    prose = _prose(NOTEBOOK.read_text(encoding="utf-8"))
    typed = re.findall(r"\b\d{2,}\b|\d+(?:\.\d+)?\s?%", prose)
    assert typed == [], f"numbers typed in the prose instead of glued: {typed}"


def test_prose_check_catches_a_typed_number():
    assert re.findall(r"\b\d{2,}\b|\d+(?:\.\d+)?\s?%", _prose("China holds 62% of the {glue:text}`x:.1f` total"))


def test_blocs_file_agrees_with_facts():
    import yaml

    raw = yaml.safe_load((DATA / "blocs.yml").read_text(encoding="utf-8"))
    assert sorted(e["iso3"] for e in raw["blocs"]["OECD"]["countries"]) == sorted(OECD)
    assert raw["scenarios"]["GPAI"]["derived"] is True and raw["scenarios"]["GPAI-28"]["expect"] == 28


def test_ppp_crossing_note_reads_the_margin_from_the_data(ch):
    """The year BRICS-5's PPP share passed the G7's is only stated as exact when the margin in
    that year is at least the stated precision; recomputed here from the extract."""
    eco = pd.read_csv(EXTRACTS / "wdi_economy.csv")
    ppp = eco[eco["indicator"] == "NY.GDP.MKTP.PP.CD.DERIVED"].pivot_table(index="year", columns="entity",
                                                                            values="value")
    share5 = ppp[BRICS5].sum(axis=1, min_count=5) / ppp["WLD"]
    share7 = ppp[G7].sum(axis=1, min_count=7) / ppp["WLD"]
    year = int(ch["values"]["bloc-ppp-over-g7-brics5-year"])
    margin = 100 * (share5 - share7).loc[year]
    assert margin > 0 and (share5 - share7).loc[year - 1] <= 0
    note = ch["values"]["bloc-ppp-over-g7-brics5-note"]
    assert ("not precise" in note) == (margin < chapter.PPP_CROSSING_PRECISION)
    assert f"{margin:.1g}" in note or f"{margin:.1f}" in note
