"""A group's total and its share of a denominator: the one function the book uses for it.

:func:`total_share` takes a tidy frame (``entity, indicator, year, value``), one indicator, the
members of a group and optionally a denominator (``"world"`` or another list of members), and
returns one row per year with the total, the denominator, the share and the coverage:

``year, total, denominator, share, n_members, n_present, complete, missing, absent``

Absent-member policy (``absent``), stated by the caller, never guessed:

- ``"require"`` (default): every member needs a value; a year in which one lacks it has no
  total (NaN) and ``missing`` names the members. Right for population, GDP and indices, where a
  missing value is unknown, not zero.
- ``"zero"``: a member without a value counts as zero, and ``absent`` lists it. Right for counts
  of things that exist (notable models, GPU clusters, TOP500 systems): the extracts hold a row
  only where the count is positive. A year the extract does not cover at all still gives NaN.
- ``"skip"``: the partial sum over the members that have a value; ``complete`` is False.

The world is the extract's world row (``WLD`` unless ``world`` says otherwise). When that row
is missing and the policy is ``"zero"``, the world is the sum over every entity of the frame
that is not an aggregate (``aggregates``); for any other policy a missing world gives no share,
since a partial world would inflate it. Shares are fractions (0-1), not percent.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from bricsai.errors import DataError

WORLD = "WLD"
POLICIES = ("require", "zero", "skip")
COLUMNS = ["year", "total", "denominator", "share", "n_members", "n_present", "complete",
           "missing", "absent"]


def _codes(members: Iterable[str], what: str) -> list[str]:
    if isinstance(members, str):
        members = [members]
    out = list(dict.fromkeys(str(m) for m in members))
    if not out:
        raise DataError("arithmetic", f"{what} needs at least one member")
    return out


def wide(df: pd.DataFrame, indicator: str, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Values of ``indicator`` as a year x entity table (NaN where the extract has no row)."""
    sub = df[df["indicator"] == indicator]
    if sub.empty:
        raise DataError("arithmetic", f"indicator {indicator!r} is not in the frame")
    if sub.duplicated(["entity", "year"]).any():
        raise DataError("arithmetic", f"duplicate (entity, year) rows for {indicator!r}")
    table = sub.pivot(index="year", columns="entity", values="value").astype("float64")
    table.index = table.index.astype("int64")
    if years is not None:
        table = table.reindex(sorted({int(y) for y in years}))
    return table


def _sum(table: pd.DataFrame, members: list[str], absent: str) -> pd.DataFrame:
    vals = table.reindex(columns=members)
    present = vals.notna()
    covered = table.notna().any(axis=1)  # a year the extract covers at all
    missing = [tuple(m for m in members if not present.at[y, m]) for y in table.index]
    raw = vals.sum(axis=1, min_count=1)
    if absent == "zero":
        total = vals.fillna(0.0).sum(axis=1).where(covered)
        complete = covered
    elif absent == "skip":
        total = raw
        complete = present.all(axis=1)
    else:
        complete = present.all(axis=1)
        total = raw.where(complete)
    return pd.DataFrame({
        "total": total.to_numpy(dtype="float64"),
        "n_members": len(members),
        "n_present": present.sum(axis=1).to_numpy().astype("int64"),
        "complete": complete.to_numpy(dtype=bool),
        "missing": [() if absent == "zero" else m for m in missing],
        "absent": [m if absent == "zero" else () for m in missing],
    }, index=table.index)


def total_share(df: pd.DataFrame, indicator: str, members: Iterable[str], years: Iterable[int] | None = None,
                *, of: str | Iterable[str] | None = "world", absent: str = "require", world: str = WORLD,
                aggregates: Iterable[str] = ()) -> pd.DataFrame:
    """The group's total of ``indicator`` per year, its denominator and share, with coverage.

    ``of``: ``"world"`` (the world row), a list of members (a share within another group, under
    the same absent-member policy), or None (no share). ``years`` limits and orders the years
    (a year not in the extract gives a row of NaN). See the module docstring for ``absent``.
    """
    if absent not in POLICIES:
        raise DataError("arithmetic", f"unknown absent-member policy {absent!r}; expected one of {POLICIES}")
    members = _codes(members, "a group")
    table = wide(df, indicator, years)
    out = _sum(table, members, absent)
    if of is None:
        den = pd.Series(np.nan, index=table.index)
    elif isinstance(of, str) and of == "world":
        if world in table.columns:
            den = table[world]
        else:
            den = pd.Series(np.nan, index=table.index)
        if absent == "zero":
            skip = set(aggregates) | {world}
            countries = [c for c in table.columns if c not in skip]
            fallback = table[countries].sum(axis=1, min_count=1).where(table.notna().any(axis=1))
            den = den.fillna(fallback)
    else:
        den = _sum(table, _codes(of, "a denominator"), absent)["total"]
    out.insert(1, "denominator", den.to_numpy(dtype="float64"))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["total"] / out["denominator"].where(out["denominator"] != 0)
    out.insert(2, "share", share.to_numpy(dtype="float64"))
    out = out.reset_index(names="year")
    out["year"] = out["year"].astype("int64")
    return out[COLUMNS]


def total(df: pd.DataFrame, indicator: str, members: Iterable[str], year: int, *, absent: str = "require",
          world: str = WORLD) -> float:
    """The group's total in one year (NaN where the policy gives none)."""
    return float(total_share(df, indicator, members, [year], of=None, absent=absent, world=world)["total"].iloc[0])


def share(df: pd.DataFrame, indicator: str, members: Iterable[str], year: int, *,
          of: str | Iterable[str] = "world", absent: str = "require", world: str = WORLD,
          aggregates: Iterable[str] = ()) -> float:
    """The group's share of ``of`` in one year (a fraction; NaN where the policy gives none)."""
    r = total_share(df, indicator, members, [year], of=of, absent=absent, world=world, aggregates=aggregates)
    return float(r["share"].iloc[0])
