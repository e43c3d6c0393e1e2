"""The chapter "The BRICS bloc in numbers": every value and frame it shows, from one function.

:func:`compute` returns ``{"values": {name: number or text}, "frames": {name: DataFrame},
"groups": {name: [ISO3]}, "latest": year, ...}``. The notebook glues ``values`` and draws
``frames`` (:mod:`bricsai.present.bloc_charts`); it computes nothing itself. Shares are fractions
in the frames and percent in ``values`` (the text prints them as they are).

Everything a group adds up goes through :func:`bricsai.groups.arithmetic.total_share`; the
headline values at the reference year are the registry's (:mod:`bricsai.ledger.measures`), so
this chapter, the landing page and the ledger state the same numbers for the same period.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from bricsai.errors import DataError
from bricsai.groups import arithmetic, blocs
from bricsai.ledger import claims
from bricsai.ledger.measures import registry
from bricsai.sources import extracts

POP = "SP.POP.TOTL"
GDP = "NY.GDP.MKTP.CD"
PPP = "NY.GDP.MKTP.PP.CD.DERIVED"
MEASURES = {POP: "Population", GDP: "GDP, current US$", PPP: "GDP at PPP"}
SHORT = {POP: "pop", GDP: "gdp", PPP: "ppp"}
WORDS = {POP: "population", GDP: "GDP at market exchange rates", PPP: "GDP at PPP"}
FIRST_YEAR = 1990
MEMBERSHIP_START = 2000  # the "bloc as it stood" figure starts here
TREND_YEARS = 10  # window of the population-share trend, ending at the reference year
PPP_CROSSING_PRECISION = 0.1  # percentage points: below this a PPP crossing year is not stated as exact
EN_DASH = "\u2013"


# --- small helpers on years and words --------------------------------------------------------

def runs(years: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive years grouped into (first, last) runs: [1990, 1991, 1995] -> [(1990, 1991), (1995, 1995)]."""
    out: list[tuple[int, int]] = []
    for y in sorted({int(y) for y in years}):
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def describe_runs(years: Iterable[int], none: str = "no year") -> str:
    """Runs of years in words: "2012\u20132020 and 2023\u20132025", "1995", or ``none``."""
    parts = [str(a) if a == b else f"{a}{EN_DASH}{b}" for a, b in runs(years)]
    if not parts:
        return none
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def join_words(items: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [str(i) for i in items]
    return "".join(items) if len(items) <= 1 else ", ".join(items[:-1]) + " and " + items[-1]


def short_names(codes: Iterable[str]) -> dict[str, str]:
    """ISO3 -> short English name (country_converter's ``name_short``), e.g. RUS -> Russia."""
    from bricsai.sources.countries import _converter

    codes = list(dict.fromkeys(str(c) for c in codes))
    names = _converter().convert(codes, src="ISO3", to="name_short", not_found=None)
    names = [names] if isinstance(names, str) else names
    return {c: (n if isinstance(n, str) and n else c) for c, n in zip(codes, names, strict=True)}


def claim_test(claim_id: str, role: str = "primary", ledger: list[dict] | None = None) -> dict:
    """The test of a claim's first check with ``role``, so that the chapter draws the thresholds
    the claims ledger applies (never a second copy of them)."""
    for c in ledger if ledger is not None else claims.load_claims():
        if c.get("id") == claim_id:
            for check in c.get("evidence", {}).get("checks", []):
                if check.get("role") == role:
                    return dict(check["test"])
            raise DataError("claims.yml", f"claim {claim_id!r} has no {role!r} check")
    raise DataError("claims.yml", f"no claim {claim_id!r}")


def years_passing(series: pd.Series, test: Mapping) -> list[int]:
    """Years in which the ledger's test passes on the value (a missing value never passes)."""
    return sorted(int(y) for y, v in series.items() if claims.passes(test, v) is True)


def hhi(values: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of the values' shares of their total (1/n equal, 1 one holds all)."""
    v = np.asarray(list(values), dtype="float64")
    if len(v) == 0 or np.isnan(v).any() or v.sum() <= 0:
        return math.nan
    return float(((v / v.sum()) ** 2).sum())


def trend(series: pd.Series, end: int, years: int = TREND_YEARS) -> dict:
    """Least-squares pace of a share over the ``years`` years ending at ``end`` (per year), and
    the first year it would cross 40% if that pace held: an extrapolation, not a forecast."""
    window = series.loc[end - years + 1:end].dropna()
    if len(window) < 3:
        raise DataError("wdi_economy", f"too few years for a trend ending {end}")
    slope, _ = np.polyfit(window.index.astype(float), window.to_numpy(), 1)
    return {"first": int(window.index.min()), "last": int(window.index.max()), "slope": float(slope)}


# --- the chapter ---------------------------------------------------------------------------------

def _shares(wdi: pd.DataFrame, groups: Mapping[str, list[str]], years) -> pd.DataFrame:
    frames = []
    for ind in MEASURES:
        for name, members in groups.items():
            f = arithmetic.total_share(wdi, ind, members, years)
            frames.append(f.assign(scenario=name, indicator=ind))
    return pd.concat(frames, ignore_index=True)


def _as_it_stood(wdi: pd.DataFrame, years) -> pd.DataFrame:
    """Share of the world held by the members at the end of each year."""
    rows = []
    for ind in MEASURES:
        for y in years:
            members = blocs.members("BRICS", as_of=f"{y}-12-31")
            r = arithmetic.total_share(wdi, ind, members, [y]).iloc[0] if members else {"share": math.nan,
                                                                                         "complete": False}
            rows.append({"indicator": ind, "year": int(y), "share": r["share"], "n_members": len(members),
                         "members": " ".join(members), "complete": bool(r["complete"])})
    return pd.DataFrame(rows)


def _gaps(shares: pd.DataFrame, groups: Mapping[str, list[str]], names: Mapping[str, str], last_year: int):
    """Members that lack a value inside the series (not at its end), and where PPP ends."""
    holes, ends = [], {}
    for (ind, name), f in shares.groupby(["indicator", "scenario"], sort=False):
        lacking: dict[str, list[int]] = {}
        for y, missing in zip(f["year"], f["missing"], strict=True):
            for m in missing:
                lacking.setdefault(m, []).append(int(y))
        everyone = set.intersection(*map(set, lacking.values())) if len(lacking) == len(groups[name]) else set()
        for m, ys in sorted(lacking.items()):
            rest = [y for y in ys if y not in everyone]
            if rest:
                holes.append(f"{names.get(m, m)} has no {WORDS[ind]} for {describe_runs(rest)}")
        if everyone:
            ends[ind] = min(ends.get(ind, last_year), min(everyone) - 1)
    return "; ".join(dict.fromkeys(holes)) or "none", ends


def compute() -> dict:
    """Every value and frame of the chapter (see the module docstring)."""
    reg = registry()
    full = extracts.load("wdi_economy")
    # only the rows the chapter reads: every group sum then pivots a small frame
    wdi = full[full["indicator"].isin(list(MEASURES))]
    groups = blocs.comparison_groups()
    latest = int(reg.period("economy"))
    last_year = int(extracts.metadata("wdi_economy")["years"][1])
    years = list(range(FIRST_YEAR, last_year + 1))
    b5, b10 = groups["BRICS-5"], groups["BRICS-10"]
    people = groups["BRICS-10+SAU"]
    names = short_names(sorted({m for ms in groups.values() for m in ms}))
    v: dict[str, object] = {}

    shares = _shares(wdi, groups, years)
    wide = {ind: f.pivot(index="year", columns="scenario", values="share")[list(groups)]
            for ind, f in shares.groupby("indicator", sort=False)}
    ledger = claims.load_claims()
    pop_test, gdp_test = claim_test("c21-population-share", ledger=ledger), claim_test("c22-gdp-share", ledger=ledger)
    band = {"op": "between", "low": gdp_test["low"], "high": gdp_test["high"]}

    # The bloc's history from blocs.yml
    brics = [e for e in blocs.entries("BRICS") if e["role"] == "member"]
    waves = sorted({e["from"].year for e in brics if e["iso3"] not in b5})
    joined = {y: [names.get(e["iso3"], e["iso3"]) for e in brics if e["from"].year == y and e["iso3"] not in b5]
              for y in waves}
    sau = next(e for e in blocs.entries("BRICS") if e["iso3"] == "SAU")
    v.update({
        "bloc-latest-year": latest, "bloc-first-year": FIRST_YEAR, "bloc-last-year": last_year,
        "bloc-pop-threshold": f"{pop_test['threshold']:.0%}",
        "bloc-gdp-band": f"{gdp_test['low']:.0%}{EN_DASH}{gdp_test['high']:.0%}",
        "bloc-wave-2024-members": join_words(joined[waves[0]]), "bloc-wave-2024-year": waves[0],
        "bloc-wave-2025-members": join_words(joined[waves[-1]]), "bloc-wave-2025-year": waves[-1],
        "bloc-sau-invited": f"{sau['invited']:%B %Y}", "bloc-brics10-n": len(b10),
        "bloc-brics10-asof": blocs.membership("BRICS-10").removeprefix("as of "),
        "bloc-gpai-n": len(groups["GPAI"]), "bloc-gpai28-n": len(blocs.scenario("GPAI-28")),
        "bloc-oecd-n": len(blocs.members("OECD", as_of=blocs.load()["scenarios"]["GPAI"]["as_of"])),
        "bloc-gpai-since": f"{blocs.load()['scenarios']['GPAI']['as_of']:%-d %B %Y}",
        "bloc-membership-note": blocs.membership_note(groups),
    })

    # Shares over time
    pop5, gdp5 = wide[POP]["BRICS-5"], wide[GDP]["BRICS-5"]
    v["bloc-pop40-brics5-years"] = describe_runs(years_passing(pop5, pop_test))
    v["bloc-pop40-brics10-years"] = describe_runs(years_passing(wide[POP]["BRICS-10"], pop_test))
    v["bloc-pop-share-brics5-first"] = 100 * pop5.loc[FIRST_YEAR]
    v["bloc-pop-margin-brics5-latest"] = 100 * (pop5.loc[latest] - pop_test["threshold"])
    for ind in (GDP, PPP):
        for n in ("BRICS-5", "BRICS-10", "BRICS-10+SAU"):
            key = f"bloc-{SHORT[ind]}band-{n.lower().replace('-', '').replace('+', '')}-years"
            v[key] = describe_runs(years_passing(wide[ind][n], band))
    v["bloc-gdp-peak-brics5-year"] = int(gdp5.idxmax())
    v["bloc-gdp-peak-brics5"] = 100 * gdp5.max()
    v["bloc-gdp-share-brics5-first"] = 100 * gdp5.loc[FIRST_YEAR]
    v["bloc-gdp-share-g7-first"] = 100 * wide[GDP].loc[FIRST_YEAR, "G7"]
    for n in ("BRICS-5", "BRICS-10"):
        gap = wide[PPP][n] - wide[PPP]["G7"]
        over = [int(y) for y, d in gap.items() if d > 0]
        start = runs(over)[-1][0]
        key = n.lower().replace('-', '')
        v[f"bloc-ppp-over-g7-{key}-year"] = start
        # A crossing by less than the uncertainty of the derived PPP totals (about 0.1 point for
        # Russia alone, see the methods) is not a dated event: the text says so.
        margin = 100 * gap.loc[start]
        v[f"bloc-ppp-over-g7-{key}-note"] = (
            f" (by only {margin:.1g} percentage points that year, less than the uncertainty of the "
            "derived PPP totals, so the year is not precise)" if margin < PPP_CROSSING_PRECISION
            else f" (by {margin:.1f} percentage points that year)")
    v["bloc-gaps"], ends = _gaps(shares, groups, names, last_year)
    v["bloc-ppp-last-year"] = ends.get(PPP, last_year)

    # The population claim's trend: the pace of the last years, extrapolated (not a forecast)
    t = trend(pop5, latest)
    v["bloc-pop-trend-first"], v["bloc-pop-trend-last"] = t["first"], t["last"]
    v["bloc-pop-trend-n"] = t["last"] - t["first"] + 1
    v["bloc-pop-trend-pace"] = -100 * t["slope"]  # percentage points lost per year
    margin = pop5.loc[latest] - pop_test["threshold"]
    v["bloc-pop-trend-below-year"] = (latest + math.floor(margin / -t["slope"]) + 1) if t["slope"] < 0 else "never"

    # The bloc as it stood in each year
    actual = _as_it_stood(wdi, range(MEMBERSHIP_START, last_year + 1))
    a = {ind: f.set_index("year") for ind, f in actual.groupby("indicator", sort=False)}
    before = waves[0] - 1
    count = a[POP]["n_members"]
    first_summit = min(e["from"].year for e in brics)
    d5 = wide[GDP].loc[waves[0], "BRICS-5"] - wide[GDP].loc[before, "BRICS-5"]
    v.update({
        "bloc-wave-before-year": before,
        "bloc-pop-share-actual-before": 100 * a[POP].loc[before, "share"],
        "bloc-pop-share-actual-wave1": 100 * a[POP].loc[waves[0], "share"],
        "bloc-pop-share-actual-wave2": 100 * a[POP].loc[waves[-1], "share"],
        "bloc-gdp-brics5-direction": "fell" if d5 < 0 else "rose",
        "bloc-gdp-brics5-change": 100 * abs(d5),
        "bloc-gdp-share-actual-jump": 100 * (a[GDP].loc[waves[0], "share"] - a[GDP].loc[before, "share"]),
        "bloc-first-summit-year": first_summit,
        "bloc-first-summit-n": len(blocs.members("BRICS", as_of=f"{first_summit}-12-31")),
        "bloc-before-wave-n": int(count.loc[before]), "bloc-wave1-n": int(count.loc[waves[0]]),
        "bloc-wave2-n": int(count.loc[waves[-1]]),
    })

    # What BRICS-10 is made of
    parts = pd.DataFrame({ind: {m: arithmetic.share(wdi, ind, [m], latest, of=b10) for m in b10} for ind in MEASURES})
    parts.index.name = "entity"
    new = [m for m in b10 if m not in b5]
    second = parts[GDP].drop("CHN").idxmax()
    china = pd.DataFrame({ind: arithmetic.total_share(wdi, ind, ["CHN"], years, of=b10).set_index("year")["share"]
                          for ind in MEASURES})
    v.update({
        "bloc-china-share-brics10-pop": 100 * parts.loc["CHN", POP],
        "bloc-india-share-brics10-pop": 100 * parts.loc["IND", POP],
        "bloc-china-share-brics10-gdp-first": 100 * china.loc[FIRST_YEAR, GDP],
        "bloc-china-gdp-ratio-second": parts.loc["CHN", GDP] / parts.loc[second, GDP],
        "bloc-second-gdp": names[second],
        "bloc-new-members-share-brics10-gdp": 100 * parts.loc[new, GDP].sum(),
        "bloc-new-members-share-brics10-pop": 100 * parts.loc[new, POP].sum(),
        "bloc-new-members-n": len(new),
    })

    # Concentration
    gdp_wide = arithmetic.wide(wdi, GDP, years)
    conc = pd.DataFrame({n: [hhi(gdp_wide.loc[y].reindex(groups[n])) for y in years]
                         for n in ("BRICS-10", "BRICS-5", "G7")}, index=pd.Index(years, name="year"))
    largest = gdp_wide.reindex(columns=b10).dropna().idxmax(axis=1)
    g7 = gdp_wide.loc[latest].reindex(groups["G7"])
    v.update({
        "bloc-hhi-brics10-latest": conc.loc[latest, "BRICS-10"],
        "bloc-hhi-brics10-first": conc.loc[FIRST_YEAR, "BRICS-10"],
        "bloc-hhi-g7-latest": conc.loc[latest, "G7"], "bloc-hhi-g7-first": conc.loc[FIRST_YEAR, "G7"],
        "bloc-hhi-brics10-equiv": 1 / conc.loc[latest, "BRICS-10"], "bloc-hhi-g7-equiv": 1 / conc.loc[latest, "G7"],
        "bloc-usa-share-g7-gdp": 100 * g7["USA"] / g7.sum(),
        "bloc-largest-brics10-first": names[largest.loc[FIRST_YEAR]],
        "bloc-china-top-brics10-year": runs(largest.index[largest == "CHN"])[-1][0],
    })

    # How rich the members are (total GDP over total people, every row the same way)
    pc_rows = {**{names[m]: m for m in people}, "BRICS-10": "BRICS-10", "G7": "G7", "World": "WLD"}
    pc = pd.DataFrame({k: {label: reg.value(k, g) for label, g in pc_rows.items()}
                       for k in ("gdp_per_capita", "gdp_ppp_per_capita")})
    pc.index.name = "group"
    world = pc.loc["World"]
    for k, key in (("gdp_per_capita", "usd"), ("gdp_ppp_per_capita", "ppp")):
        countries = pc.loc[[names[m] for m in people], k]
        above = [g for g, x in countries.items() if x > world[k]]
        v[f"bloc-pc-{key}-g7-ratio"] = pc.loc["G7", k] / pc.loc["BRICS-10", k]
        v[f"bloc-pc-{key}-above-world"] = join_words(above)
        v[f"bloc-pc-{key}-above-world-n"] = len(above)
    v["bloc-pc-members-n"] = len(people)
    pub = full[(full["indicator"] == "NY.GDP.PCAP.CD") & (full["entity"] == "RUS") & (full["year"] == latest)]["value"]
    v["bloc-pc-usd-russia-published"] = float(pub.iloc[0])

    # Latest values, one row per member and group (the registry's values)
    rows = {**{names[m] + (" (invited)" if m == "SAU" else ""): m for m in sorted(people, key=names.get)},
            **{n: n for n in groups}, "World": "WLD"}
    latest_table = pd.DataFrame({k: {label: reg.value(k, g) for label, g in rows.items()}
                                 for k in ("population", "pop_share", "gdp", "gdp_share", "gdp_ppp_share",
                                           "gdp_per_capita", "gdp_ppp_per_capita")})
    latest_table.index.name = "group"

    # World Bank against IMF, in the latest year both give as estimates
    cmp_year = min(latest, int(reg.period("imf")))
    cmp_rows = {**{n: n for n in groups}, **{names[m]: m for m in ("CHN", "IND", "RUS")}}
    wb_imf = pd.DataFrame({
        "ppp_wb": {k: reg.value("gdp_ppp_share", g, period=cmp_year) for k, g in cmp_rows.items()},
        "ppp_imf": {k: reg.value("imf_ppp_share", g, period=cmp_year) for k, g in cmp_rows.items()},
        "gdp_wb": {k: reg.value("gdp_share", g, period=cmp_year) for k, g in cmp_rows.items()},
        "gdp_imf": {k: reg.value("imf_gdp_share", g, period=cmp_year) for k, g in cmp_rows.items()},
    })
    wb_imf["ppp_gap"] = wb_imf["ppp_wb"] - wb_imf["ppp_imf"]
    wb_imf["gdp_gap"] = wb_imf["gdp_wb"] - wb_imf["gdp_imf"]
    wb_imf.index.name = "group"
    v.update({
        "bloc-cmp-year": cmp_year,
        "bloc-ppp-diff-max": 100 * wb_imf["ppp_gap"].abs().max(),
        "bloc-ppp-diff-max-group": wb_imf["ppp_gap"].abs().idxmax(),
        "bloc-gdp-diff-max": 100 * wb_imf["gdp_gap"].abs().max(),
        "bloc-ppp-diff-russia": 100 * abs(wb_imf.loc[names["RUS"], "ppp_gap"]),
        "bloc-ppp-russia-wb-vs-imf": "lower" if wb_imf.loc[names["RUS"], "ppp_gap"] < 0 else "higher",
    })

    # Compute is bought at market exchange rates: the gap between the two GDP measures
    v["bloc-ppp-over-mer-brics10"] = 100 * (reg.value("gdp_ppp_share", "BRICS-10") - reg.value("gdp_share", "BRICS-10"))
    v["bloc-ppp-over-mer-g7"] = 100 * (reg.value("gdp_share", "G7") - reg.value("gdp_ppp_share", "G7"))

    return {"values": v, "latest": latest, "first_year": FIRST_YEAR, "last_year": last_year, "waves": waves,
            "groups": groups, "names": names, "thresholds": {"pop": pop_test["threshold"], "gdp_low": gdp_test["low"],
                                                             "gdp_high": gdp_test["high"]},
            "frames": {"shares": shares, "wide": wide, "as_it_stood": actual, "parts": parts, "china": china,
                       "concentration": conc, "per_capita": pc, "latest": latest_table, "wb_imf": wb_imf}}
