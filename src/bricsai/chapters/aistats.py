"""Small, pure computations for the AI-capacity chapter: bloc shares, weighted means, heatmaps.

Every function takes tidy frames (``entity, indicator, year, value``) and lists of member
codes and returns plain numbers or frames, so the chapter's arithmetic is tested here on small
synthetic frames rather than typed into the notebook.

Two kinds of metric are treated differently, and the chapter says which is which:

* **additive** (counts, capacity, market shares): a group's value is the sum over its members,
  reported as a share of the source's world total (``WLD``). For the AI sources an absent row
  means zero (see ``bricsai.sources.readers``), so ``absent_zero=True`` there; for World Bank data
  an absent value is unknown and is reported as missing instead.
* **intensive** (per person, per cent of GDP, index scores): a group's value is a weighted mean
  of each member's latest available value (weights: population or GDP in the same year as the
  value), or the median of the members' scores for indices where a weighted mean has no
  meaning.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from bricsai.errors import DataError

WORLD = "WLD"


def _sel(tidy: pd.DataFrame, indicator: str) -> pd.DataFrame:
    sub = tidy[tidy["indicator"] == indicator]  # categorical == str: no copy of the column
    if sub.empty:
        raise DataError("aistats", f"indicator {indicator!r} not in the frame")
    return sub.assign(entity=sub["entity"].astype(str))


def total(tidy: pd.DataFrame, indicator: str, members: Iterable[str], years: Iterable[int],
          absent_zero: bool = True) -> tuple[float, tuple[str, ...]]:
    """Sum of ``indicator`` over ``members`` and ``years``; returns ``(total, missing members)``.

    With ``absent_zero`` a member without rows adds 0 and is not reported missing; otherwise a
    member without any value in ``years`` is listed in ``missing`` (its part of the sum is
    unknown, not zero).
    """
    members = list(dict.fromkeys(members))
    years = [int(y) for y in years]
    sub = _sel(tidy, indicator)
    sub = sub[sub["entity"].isin(members) & sub["year"].isin(years)]
    missing = () if absent_zero else tuple(m for m in members if m not in set(sub["entity"]))
    return float(sub["value"].sum()), missing


def share_of_world(tidy: pd.DataFrame, indicator: str, members: Iterable[str], years: Iterable[int],
                   world: str = WORLD, absent_zero: bool = True) -> tuple[float, tuple[str, ...]]:
    """Members' summed value over the world's, over the same ``years`` (a fraction)."""
    years = [int(y) for y in years]
    part, missing = total(tidy, indicator, members, years, absent_zero)
    whole, _ = total(tidy, indicator, [world], years, absent_zero=False)
    if whole == 0:
        raise DataError("aistats", f"world total of {indicator!r} is zero in {years}")
    return part / whole, missing


def share_of_group(tidy: pd.DataFrame, indicator: str, part: Iterable[str], members: Iterable[str],
                   years: Iterable[int]) -> float:
    """``part``'s summed value over the whole group's (e.g. China within BRICS-10); absent = 0."""
    years = list(years)
    p, _ = total(tidy, indicator, part, years)
    g, _ = total(tidy, indicator, members, years)
    if g == 0:
        raise DataError("aistats", f"group total of {indicator!r} is zero")
    return p / g


def latest_values(tidy: pd.DataFrame, indicator: str, entities: Sequence[str],
                  since: int | None = None, until: int | None = None) -> pd.DataFrame:
    """Each entity's latest non-missing value: ``entity, year, value`` (NaN where none).

    ``since``/``until`` bound the years searched; entities keep the order given.
    """
    sub = _sel(tidy, indicator)
    sub = sub[sub["entity"].isin(list(entities)) & sub["value"].notna()]
    if since is not None:
        sub = sub[sub["year"] >= since]
    if until is not None:
        sub = sub[sub["year"] <= until]
    last = sub.sort_values("year").groupby("entity").tail(1).set_index("entity")
    out = pd.DataFrame({"entity": list(entities)})
    out["year"] = out["entity"].map(last["year"]).astype("Int64")
    out["value"] = out["entity"].map(last["value"]).astype("float64")
    return out


def weighted_latest(tidy: pd.DataFrame, indicator: str, members: Sequence[str], weights: pd.DataFrame,
                    weight_indicator: str, since: int | None = None, until: int | None = None) -> dict:
    """Weighted mean of members' latest values, each weighted by its weight in the same year.

    Returns ``value, n_members, n_present, missing, year_min, year_max``. Members without a
    value (or without a weight in that year) are listed in ``missing`` and left out.
    """
    lv = latest_values(tidy, indicator, members, since, until)
    w = _sel(weights, weight_indicator).set_index(["entity", "year"])["value"]
    keys = list(zip(lv["entity"], lv["year"].astype("float64").fillna(-1).astype(int)))
    lv["weight"] = [w.get(k, np.nan) for k in keys]
    ok = lv["value"].notna() & lv["weight"].notna()
    res = {"n_members": len(lv), "n_present": int(ok.sum()),
           "missing": tuple(lv.loc[~ok, "entity"]), "value": np.nan, "year_min": None, "year_max": None}
    if ok.any():
        v, wt = lv.loc[ok, "value"], lv.loc[ok, "weight"]
        res["value"] = float((v * wt).sum() / wt.sum())
        res["year_min"], res["year_max"] = int(lv.loc[ok, "year"].min()), int(lv.loc[ok, "year"].max())
    return res


def median_latest(tidy: pd.DataFrame, indicator: str, members: Sequence[str],
                  since: int | None = None, until: int | None = None) -> dict:
    """Median of members' latest values (for index scores); same keys as ``weighted_latest``."""
    lv = latest_values(tidy, indicator, members, since, until)
    ok = lv["value"].notna()
    res = {"n_members": len(lv), "n_present": int(ok.sum()), "missing": tuple(lv.loc[~ok, "entity"]),
           "value": np.nan, "year_min": None, "year_max": None}
    if ok.any():
        res["value"] = float(lv.loc[ok, "value"].median())
        res["year_min"], res["year_max"] = int(lv.loc[ok, "year"].min()), int(lv.loc[ok, "year"].max())
    return res


def normalise(frame: pd.DataFrame, log_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Scale each column to 0–1 (min–max over the rows); ``log_columns`` use log10(1 + x) first.

    NaN stays NaN; a column whose values are all equal becomes 0.5 (no spread to show).
    """
    out = frame.astype("float64").copy()
    for col in log_columns:
        if (out[col] < 0).any():
            raise DataError("aistats", f"column {col!r} has negative values; cannot take a log")
        out[col] = np.log10(1 + out[col])
    lo, hi = out.min(), out.max()
    span = (hi - lo).replace(0, np.nan)
    scaled = (out - lo) / span
    for col in out.columns:
        if pd.isna(span[col]):
            scaled[col] = out[col].where(out[col].isna(), 0.5)
    return scaled


def compact(x: float | None) -> str:
    """A short label for a heatmap cell: 1238989 → '1.2M', 106031 → '106k', 2.41 → '2.4', 0 → '0'."""
    if x is None or pd.isna(x):
        return "n/a"
    a = abs(float(x))
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if a >= size:
            v = x / size
            return f"{v:.1f}{suffix}" if abs(v) < 10 else f"{v:.0f}{suffix}"
    if a == 0:
        return "0"
    return f"{x:.0f}" if a >= 10 else f"{x:.1f}"


def latest_complete_year(tidy: pd.DataFrame, indicator: str) -> int:
    """The last year before the newest one in the data (a continuously updated source's newest
    year is partial)."""
    years = _sel(tidy, indicator)["year"]
    return int(years.max()) - 1


def groups_table(rows: Sequence[Mapping]) -> pd.DataFrame:
    """Rows of ``{metric, measure, <group>: value, ..., year}`` as a frame, order kept."""
    if not rows:
        raise DataError("aistats", "no rows for the summary table")
    return pd.DataFrame(list(rows))


def ordinal(n: float) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 22 → '22nd' (for ranks in prose)."""
    n = int(round(float(n)))
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
