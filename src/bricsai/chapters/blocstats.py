"""Computations behind the chapter "The BRICS bloc in numbers", as pure functions.

They sit on top of ``aggregate`` (which sums blocs and flags gaps) and answer the chapter's
questions: in which years did a share lie inside a band, what is the latest year every series
covers, how the bloc's total splits between its members over time, how concentrated it is,
how rich each member is per person, and the latest-year summary table. Shares are fractions
(0-1) like everywhere in ``aggregate``; the notebook scales them for print.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from bricsai.groups import aggregate
from bricsai.errors import DataError

POP = "SP.POP.TOTL"
GDP = "NY.GDP.MKTP.CD"
PPP = "NY.GDP.MKTP.PP.CD.DERIVED"
EN_DASH = "\u2013"


def years_between(frame: pd.DataFrame, lo: float = -np.inf, hi: float = np.inf,
                  column: str = "share") -> list[int]:
    """Years (sorted) in which ``lo <= frame[column] <= hi``; missing values never count."""
    if not {"year", column} <= set(frame.columns):
        raise DataError("blocstats", f"frame needs columns 'year' and {column!r}")
    if lo > hi:
        raise DataError("blocstats", f"empty band: lo {lo} > hi {hi}")
    v = frame[column].astype("float64")
    keep = v.notna() & (v >= lo) & (v <= hi)
    return sorted(int(y) for y in frame.loc[keep, "year"])


def runs(years: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive years grouped into (first, last) runs: [1990, 1991, 1995] -> [(1990, 1991), (1995, 1995)]."""
    out: list[tuple[int, int]] = []
    for y in sorted(set(int(y) for y in years)):
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
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def latest_common_year(frames: Iterable[pd.DataFrame], column: str = "share") -> int:
    """The latest year in which every frame has a value in ``column`` (a year some frame lacks
    does not count). Raises DataError if no year is shared."""
    common: set[int] | None = None
    for f in frames:
        ys = set(int(y) for y in f.loc[f[column].notna(), "year"])
        common = ys if common is None else common & ys
    if not common:
        raise DataError("blocstats", "no year has a value in every series")
    return max(common)


def gaps(frame: pd.DataFrame) -> dict[str, list[int]]:
    """From an ``aggregate`` result with ``year`` and ``missing``: {member: [years it lacks]}."""
    out: dict[str, list[int]] = {}
    for y, missing in zip(frame["year"], frame["missing"]):
        for m in missing:
            out.setdefault(str(m), []).append(int(y))
    return {k: sorted(v) for k, v in sorted(out.items())}


def member_shares(df: pd.DataFrame, members: Iterable[str], indicator: str, years) -> pd.DataFrame:
    """Each member's share of the bloc total per year (wide: year index x member columns).

    A year in which any member lacks a value is all NaN: a split of an incomplete total would
    overstate the members that report.
    """
    members = list(dict.fromkeys(members))
    wide = aggregate._wide(df, indicator, members, years)
    total = wide.sum(axis=1, min_count=1)
    shares = wide.div(total, axis=0)
    shares[wide.isna().any(axis=1)] = np.nan
    shares.index.name = "year"
    return shares


def hhi_by_year(df: pd.DataFrame, members: Iterable[str], indicator: str, years) -> pd.DataFrame:
    """Herfindahl index of the members' shares of the bloc total, with the largest member, per year.

    Columns: year, hhi, largest, largest_share, complete (HHI NaN where a member lacks a value).
    """
    rows = []
    for y in years:
        c = aggregate.concentration(df, members, indicator, int(y))
        rows.append({k: c[k] for k in ("year", "hhi", "largest", "largest_share", "complete")})
    return pd.DataFrame(rows)


def per_capita_by_group(df: pd.DataFrame, groups: Mapping[str, Iterable[str]], year: int,
                        gdp: str = GDP, pop: str = POP, world: str = aggregate.WORLD) -> pd.DataFrame:
    """GDP per person (sum of GDP / sum of people) for each group in one year.

    A group of one country gives that country's own value. Columns: group, per_capita,
    world_per_capita, complete.
    """
    rows = []
    for label, members in groups.items():
        r = aggregate.per_capita(df, members, [year], gdp=gdp, pop=pop, world=world).iloc[0]
        rows.append({"group": label, "per_capita": float(r["per_capita"]),
                     "world_per_capita": float(r["world_per_capita"]), "complete": bool(r["complete"])})
    return pd.DataFrame(rows)


def latest_values(df: pd.DataFrame, groups: Mapping[str, Iterable[str]], year: int,
                  world: str = aggregate.WORLD) -> pd.DataFrame:
    """One row per group for ``year``: population, GDP (US$), GDP (PPP), each as a total and a
    share of the world, and GDP per person in US$ and PPP $. NaN where a member lacks a value."""
    rows = []
    for label, members in groups.items():
        members = list(members)
        row = {"group": label, "n_members": len(members)}
        for key, ind in (("population", POP), ("gdp", GDP), ("ppp", PPP)):
            s = aggregate.share_of_world(df, members, ind, [year], world).iloc[0]
            row[key] = float(s["total"])
            row[f"{key}_share"] = float(s["share"])
        row["gdp_per_capita"] = row["gdp"] / row["population"]
        row["ppp_per_capita"] = row["ppp"] / row["population"]
        rows.append(row)
    return pd.DataFrame(rows)


def claim_test(claims: Iterable[Mapping], claim_id: str, role: str = "primary") -> dict:
    """The test of a claim's first check with ``role`` (from ``claims.load_claims()``), so that
    the chapter draws the same thresholds the claims ledger applies."""
    for c in claims:
        if c.get("id") == claim_id:
            for check in c.get("evidence", {}).get("checks", []):
                if check.get("role") == role:
                    return dict(check["test"])
            raise DataError("blocstats", f"claim {claim_id!r} has no {role!r} check")
    raise DataError("blocstats", f"no claim {claim_id!r}")


def short_names(codes: Iterable[str]) -> dict[str, str]:
    """ISO3 -> short English name (country_converter's ``name_short``), e.g. RUS -> Russia."""
    from bricsai.sources.countries import _converter

    codes = list(dict.fromkeys(str(c) for c in codes))
    names = _converter().convert(codes, src="ISO3", to="name_short", not_found=None)
    if isinstance(names, str):
        names = [names]
    return {c: (n if isinstance(n, str) and n else c) for c, n in zip(codes, names)}


def join_words(items: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
