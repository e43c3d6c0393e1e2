"""Bloc totals, shares of the world, coverage and concentration, as pure functions on tidy frames.

Every function takes a tidy frame (``entity, indicator, year, value, ...``) and a list of
member codes, and never sums a bloc short in silence: each result row carries ``n_members``,
``n_present``, ``complete`` and ``missing`` (the members without a value). With
``require_complete=True`` (the default) an incomplete bloc-year keeps its row but its total and
share are NaN; with ``require_complete=False`` the partial sum is given and ``complete`` is False.

The world is the World Bank's ``WLD`` row by default; pass ``world="IMF_WORLD"`` for IMF data.
Shares are fractions (0-1), not percent.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from bricsai.errors import DataError

WORLD = "WLD"
# Population: WLD is the 217 economies plus Taiwan, China, which the WB counts in its aggregates
# but does not publish as an economy (about 23 million people, 0.28-0.38% of the world since
# 1990). So the sum of economies falls short of WLD by that much; 0.5% is the stated tolerance.
POPULATION_RTOL = 0.005


def _wide(df: pd.DataFrame, indicator: str, entities: Iterable[str], years=None) -> pd.DataFrame:
    """Values of ``indicator`` as a year x entity table (NaN where missing)."""
    sub = df[df["indicator"] == indicator]
    if sub.empty:
        raise DataError("aggregate", f"indicator {indicator!r} not in the frame")
    ents = list(dict.fromkeys(entities))
    all_years = sorted(sub["year"].unique()) if years is None else sorted(set(int(y) for y in years))
    sub = sub[sub["entity"].isin(ents) & sub["year"].isin(all_years)]
    if sub.duplicated(["entity", "year"]).any():
        raise DataError("aggregate", f"duplicate (entity, year) rows for {indicator!r}")
    wide = sub.pivot(index="year", columns="entity", values="value")
    return wide.reindex(index=all_years, columns=ents).astype("float64")


def _coverage(wide: pd.DataFrame, members: list[str], require_complete: bool) -> pd.DataFrame:
    present = wide[members].notna()
    total = wide[members].sum(axis=1, min_count=1)
    complete = present.all(axis=1)
    missing = present.apply(lambda r: tuple(m for m in members if not r[m]), axis=1)
    out = pd.DataFrame({
        "year": wide.index.astype("int64"),
        "total": total.to_numpy(),
        "n_members": len(members),
        "n_present": present.sum(axis=1).to_numpy().astype("int64"),
        "complete": complete.to_numpy(),
        "missing": list(missing) if len(wide) else [],
    })
    if require_complete:
        out.loc[~out["complete"], "total"] = np.nan
    return out


def _members(members: Iterable[str]) -> list[str]:
    m = list(dict.fromkeys(str(x) for x in members))
    if not m:
        raise DataError("aggregate", "a bloc needs at least one member")
    return m


def bloc_total(df: pd.DataFrame, members: Iterable[str], indicator: str, years=None,
               require_complete: bool = True) -> pd.DataFrame:
    """Sum of ``indicator`` over ``members`` per year, with coverage columns."""
    members = _members(members)
    return _coverage(_wide(df, indicator, members, years), members, require_complete)


def share_of_world(df: pd.DataFrame, members: Iterable[str], indicator: str, years=None,
                   world: str = WORLD, require_complete: bool = True) -> pd.DataFrame:
    """Bloc total over the world row per year: columns year, total, world, share + coverage."""
    members = _members(members)
    wide = _wide(df, indicator, members + [world], years)
    out = _coverage(wide, members, require_complete)
    out["world"] = wide[world].to_numpy()
    out["share"] = out["total"] / out["world"]
    return out[["year", "total", "world", "share", "n_members", "n_present", "complete", "missing"]]


def contributions(df: pd.DataFrame, members: Iterable[str], indicator: str, year: int,
                  world: str = WORLD) -> pd.DataFrame:
    """Each member's value, share of the bloc total and share of the world in one year.

    Members without a value appear with NaN so that gaps stay visible; shares of the bloc are
    over the members that have a value.
    """
    members = _members(members)
    wide = _wide(df, indicator, members + [world], [year])
    vals = wide.iloc[0]
    v = vals[members]
    total = v.sum(min_count=1)
    out = pd.DataFrame({"entity": members, "value": v.to_numpy()})
    out["share_of_bloc"] = out["value"] / total
    out["share_of_world"] = out["value"] / vals[world]
    return out.sort_values("value", ascending=False, na_position="last", kind="mergesort").reset_index(drop=True)


def hhi(values: Iterable[float]) -> float:
    """Herfindahl-Hirschman index on shares of the total (0-1 scale; 1/n = equal, 1 = one holds all)."""
    v = np.asarray([x for x in values if not pd.isna(x)], dtype="float64")
    if len(v) == 0:
        raise DataError("aggregate", "HHI of no values")
    if (v < 0).any():
        raise DataError("aggregate", "HHI needs non-negative values")
    s = v.sum()
    if s == 0:
        raise DataError("aggregate", "HHI of values summing to zero")
    shares = v / s
    return float((shares ** 2).sum())


def concentration(df: pd.DataFrame, members: Iterable[str], indicator: str, year: int,
                  require_complete: bool = True) -> dict:
    """Largest member, its share of the bloc total and the HHI for one year, with coverage."""
    c = contributions(df, members, indicator, year)
    present = c.dropna(subset=["value"])
    missing = tuple(c.loc[c["value"].isna(), "entity"])
    res = {"year": int(year), "n_members": len(c), "n_present": len(present),
           "complete": not missing, "missing": missing,
           "largest": None, "largest_share": np.nan, "hhi": np.nan}
    if present.empty or (require_complete and missing):
        return res
    top = present.iloc[0]
    res.update(largest=top["entity"], largest_share=float(top["share_of_bloc"]), hhi=hhi(present["value"]))
    return res


def per_capita(df: pd.DataFrame, members: Iterable[str], years=None, gdp: str = "NY.GDP.MKTP.CD",
               pop: str = "SP.POP.TOTL", world: str = WORLD, require_complete: bool = True) -> pd.DataFrame:
    """Bloc GDP per person (sum GDP / sum population) and the world's, per year.

    A member counts as present only if it has both GDP and population that year.
    """
    members = _members(members)
    g = _wide(df, gdp, members + [world], years)
    p = _wide(df, pop, members + [world], g.index)
    both = g[members].notna() & p[members].notna()
    gm, pm = g[members].where(both), p[members].where(both)
    cov = _coverage(gm, members, require_complete)
    out = pd.DataFrame({"year": cov["year"], "gdp": cov["total"],
                        "population": pm.sum(axis=1, min_count=1).to_numpy()})
    out.loc[out["gdp"].isna(), "population"] = np.nan
    out["per_capita"] = out["gdp"] / out["population"]
    out["world_per_capita"] = (g[world] / p[world]).to_numpy()
    for col in ("n_members", "n_present", "complete", "missing"):
        out[col] = cov[col]
    return out


def shares_by_year(df: pd.DataFrame, scenarios: Mapping[str, Iterable[str] | Callable[[int], Iterable[str]]],
                   indicator: str, years=None, world: str = WORLD,
                   require_complete: bool = True) -> pd.DataFrame:
    """Share of the world per year for several scenarios at once (long: scenario, year, share, ...).

    A scenario is a list of members, or a function ``year -> members`` for a composition that
    changes over time (e.g. ``lambda y: blocs.members("BRICS", as_of=f"{y}-12-31")``); a year
    in which such a function gives no members gets a row with NaN share and ``n_members`` 0.
    """
    frames = []
    for name, members in scenarios.items():
        if callable(members):
            ys = sorted(df.loc[df["indicator"] == indicator, "year"].unique()) if years is None else list(years)
            parts = []
            for y in ys:
                m = list(members(int(y)))
                if m:
                    parts.append(share_of_world(df, m, indicator, [y], world, require_complete))
                else:
                    parts.append(pd.DataFrame([{"year": int(y), "total": np.nan, "world": np.nan, "share": np.nan,
                                                "n_members": 0, "n_present": 0, "complete": False,
                                                "missing": ()}]))
            s = pd.concat(parts, ignore_index=True)
        else:
            s = share_of_world(df, members, indicator, years, world, require_complete)
        s.insert(0, "scenario", name)
        frames.append(s)
    return pd.concat(frames, ignore_index=True)


def economies_vs_world(df: pd.DataFrame, economies: Iterable[str], indicator: str, year: int,
                       world: str = WORLD, rtol: float = POPULATION_RTOL) -> dict:
    """Sum over all economies against the world row, with the gap and a tolerance verdict.

    ``economies`` is the list of economy codes (aggregates excluded, e.g. from
    ``extracts.economies()``). For population the gap should be within ``rtol``; for GDP it
    shows how much the world total exceeds the economies that report.
    """
    ecos = _members(economies)
    wide = _wide(df, indicator, ecos + [world], [year]).iloc[0]
    vals = wide[ecos]
    total = float(vals.sum(min_count=1))
    w = float(wide[world])
    gap = w - total
    return {"indicator": indicator, "year": int(year), "sum_economies": total, "world": w,
            "gap": gap, "rel_gap": gap / w if w else np.nan, "rtol": rtol,
            "within_tolerance": bool(abs(gap) <= rtol * abs(w)),
            "n_economies": len(ecos), "n_present": int(vals.notna().sum()),
            "missing": tuple(vals.index[vals.isna()])}


def crosscheck_shares(wb: pd.DataFrame, imf: pd.DataFrame, groups: Mapping[str, Iterable[str]], years,
                      wb_indicator: str = "NY.GDP.MKTP.PP.CD.DERIVED", imf_indicator: str = "PPPGDP",
                      wb_world: str = WORLD, imf_world: str = "IMF_WORLD",
                      require_complete: bool = True) -> pd.DataFrame:
    """World Bank vs IMF share of the world, side by side, per group (bloc or country) and year.

    ``groups`` maps a label to member codes (``{"CHN": ["CHN"], "BRICS-10": [...]}``). Units
    cancel in a share, so WB (international $) and IMF (billions) compare directly. ``diff`` is
    ``wb_share - imf_share`` (fraction of world, so 0.01 = one percentage point).
    """
    rows = []
    for label, members in groups.items():
        a = share_of_world(wb, members, wb_indicator, years, wb_world, require_complete)
        b = share_of_world(imf, members, imf_indicator, years, imf_world, require_complete)
        m = pd.DataFrame({"group": label, "year": a["year"], "wb_share": a["share"], "imf_share": b["share"],
                          "wb_complete": a["complete"], "imf_complete": b["complete"],
                          "wb_missing": a["missing"], "imf_missing": b["missing"]})
        rows.append(m)
    out = pd.concat(rows, ignore_index=True)
    out["diff"] = out["wb_share"] - out["imf_share"]
    return out[["group", "year", "wb_share", "imf_share", "diff", "wb_complete", "imf_complete",
                "wb_missing", "imf_missing"]]
