"""An independent reference implementation of the claims' ``measure(spec)`` contract.

Tests use it as an oracle: it computes the same quantities as ``bricsai.chapters.evidence`` by a
different route (plain pandas over the concatenated extracts), so the two must agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from bricsai.ledger.claims import Measure, _missing


def make_measure(tidy: pd.DataFrame, scenarios: Mapping[str, Iterable[str]], *,
                 world: str = "WLD", aggregates: Iterable[str] = (),
                 absent_is_zero: Iterable[str] = ()) -> Measure:
    """A reference ``measure`` over a long tidy frame (columns entity, indicator, year, value).

    ``scenarios`` maps scenario names to ISO3 members; ``aggregates`` are entity codes that are
    not countries (excluded from ranks and from the fallback world total). A group total is NaN
    if any member lacks a value, except for indicators in ``absent_is_zero`` (counts such as
    Epoch models or GPU capacity, where a country with no row has none).
    """
    values = tidy.set_index(["indicator", "year", "entity"])["value"].astype(float)
    values = values[~values.index.duplicated(keep="first")]
    not_countries = set(aggregates) | {world}
    zero = set(absent_is_zero)

    def members(group) -> list[str]:
        if isinstance(group, str) and group in scenarios:
            return list(scenarios[group])
        return list(group) if isinstance(group, list) else [group]

    def total(group, indicator, year) -> float:
        out = 0.0
        for iso in members(group):
            v = values.get((indicator, year, iso), 0.0 if indicator in zero else float("nan"))
            if _missing(v):
                return float("nan")
            out += v
        return out

    def world_total(indicator, year) -> float:
        v = values.get((indicator, year, world), float("nan"))
        if not _missing(v):
            return float(v)
        try:
            col = values.xs((indicator, year), level=["indicator", "year"])
        except KeyError:
            return float("nan")
        return float(col[~col.index.isin(not_countries)].sum())

    def measure(spec: Mapping[str, Any]) -> float:
        metric, ind, year = spec["metric"], spec["indicator"], spec["year"]
        group = spec.get("scenario", spec.get("entity"))
        if metric == "value":
            return total(group, ind, year)
        if metric == "world_share":
            return total(group, ind, year) / world_total(ind, year)
        if metric == "ratio":
            return total(group, ind, year) / total(spec["to"], ind, spec.get("to_year", year))
        if metric == "rank":
            try:
                col = values.xs((ind, year), level=["indicator", "year"])
            except KeyError:
                return float("nan")
            col = col[~col.index.isin(not_countries)].dropna()
            if group not in col.index:
                return float("nan")
            return float(col.rank(ascending=False, method="min")[group])
        raise ValueError(f"unknown metric {metric!r}")

    return measure


# --- presentation (the ledger page) -----------------------------------------------------------
