"""The as-of policy: which period every headline number refers to, decided in one place.

Each extract's metadata says which years it covers (``years``), which of them the publisher's
file holds only in part (``partial_years``: a snapshot taken mid-year, a file updated
continuously) and which are projections (``projection_years``). Nothing else in the book
types a year. A rule per metric family (``families`` in ``data/measures.yml``) then picks the
reference period:

- ``latest-complete-for-all-groups``: the latest year, neither partial nor a projection, in
  which every member of every compared group, and the world, has a value for every indicator
  the family's measures use. Shares of different groups then compare like with like.
- ``latest-complete-year``: the latest year of the extract that is neither partial nor a
  projection (counts: a country without a row has none, so coverage is not a question).
- ``latest-estimate``: the latest year before the projections start.
- ``latest-list``: TOP500's latest list (lists are coded as year + ``_jun``/``_nov``).

Partial periods may appear only in time series (:meth:`Registry.series` flags them).
:func:`policy_table` prints the policy and the resulting reference periods on the methods page.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources import extracts

RULES = {
    "latest-complete-for-all-groups": "the latest year, not partial, in which every member of every compared "
                                      "group and the world has a value",
    "latest-complete-year": "the latest year the source holds in full (partial years excluded)",
    "latest-estimate": "the latest year before the source's projections start",
    "latest-list": "the latest published list",
}
LISTS = {"jun": 6, "nov": 11}
MONTHS = {6: "June", 11: "November"}


def dataset_periods(name: str) -> dict:
    """First and last year of an extract and its partial and projection years, from its metadata."""
    meta = extracts.metadata(name)
    if "years" not in meta:
        raise DataError(f"{name}.meta.json", "has no 'years': not a tidy extract")
    if "partial_years" not in meta:
        raise DataError(f"{name}.meta.json", "has no 'partial_years'; rebuild the extracts with `make data`")
    first, last = (int(y) for y in meta["years"])
    partial = [int(y) for y in meta.get("partial_years", [])]
    projection = [int(y) for y in meta.get("projection_years", [])]
    complete = [y for y in range(first, last + 1) if y not in partial and y not in projection]
    return {"first": first, "last": last, "partial": partial, "projection": projection, "complete": complete}


def period_label(period) -> str:
    """A period for a reader: 2024 -> "2024", "2025-11" -> "November 2025"."""
    if isinstance(period, str) and "-" in period:
        year, month = period.split("-")
        return f"{MONTHS.get(int(month), month)} {year}"
    return str(period)


def list_period(year: int, suffix: str) -> str:
    """TOP500 list code: (2025, "nov") -> "2025-11"."""
    return f"{int(year)}-{LISTS[suffix]:02d}"


def list_indicator(indicator: str, period) -> tuple[str, int]:
    """TOP500: ("top500_rmax", "2025-11") -> ("top500_rmax_nov", 2025)."""
    year, month = str(period).split("-")
    suffix = {v: k for k, v in LISTS.items()}[int(month)]
    return f"{indicator}_{suffix}", int(year)


def _latest_list(frame: pd.DataFrame, indicators: list[str]) -> str:
    periods = []
    for ind in indicators:
        for suffix in LISTS:
            years = frame.loc[frame["indicator"] == f"{ind}_{suffix}", "year"]
            periods += [list_period(y, suffix) for y in years.unique()]
    if not periods:
        raise DataError("measures.yml", f"no TOP500 list holds {indicators}")
    return max(periods)


def reference_period(family: str, spec: Mapping, indicators: list[str], groups: Mapping[str, list[str]]):
    """The reference period of one family under its rule (see the module docstring)."""
    rule = spec["rule"]
    (dataset,) = spec["datasets"][:1]
    periods = dataset_periods(dataset)
    frame = extracts.load(dataset)
    if rule == "latest-list":
        return _latest_list(frame, indicators)
    usable = set(periods["complete"])
    if rule == "latest-estimate":
        usable = {y for y in usable if not periods["projection"] or y < min(periods["projection"])}
    if rule in ("latest-complete-year", "latest-estimate"):
        have = set(frame.loc[frame["indicator"].isin(indicators), "year"].astype(int))
        years = sorted(usable & have)
        if not years:
            raise DataError(f"{dataset}.meta.json", f"family {family!r}: no complete year with data")
        return years[-1]
    if rule == "latest-complete-for-all-groups":
        world = spec.get("world", "WLD")
        needed = sorted({m for ms in groups.values() for m in ms} | {world})
        ok = usable
        for ind in indicators:
            sub = frame[(frame["indicator"] == ind) & frame["entity"].isin(needed) & frame["value"].notna()]
            counts = sub.groupby("year")["entity"].nunique()
            ok = ok & {int(y) for y, n in counts.items() if n == len(needed)}
        if not ok:
            raise DataError(f"{dataset}.csv", f"family {family!r}: no year in which every member of "
                                              f"{list(groups)} has {indicators}")
        return max(ok)
    raise DataError("measures.yml", f"family {family!r}: unknown rule {rule!r}; expected one of {list(RULES)}")


def policy_table(registry=None) -> pd.DataFrame:
    """The policy and its result, one row per family, for the methods page.

    Columns: Family, Source, Rule, Reference period, Partial or projected periods, Measures.
    """
    from bricsai.ledger.measures import registry as _registry

    reg = registry or _registry()
    rows = []
    for family, spec in reg.families.items():
        periods = dataset_periods(spec["datasets"][0])
        excluded = [f"{y} (partial)" for y in periods["partial"]]
        if periods["projection"]:
            excluded.append(f"{min(periods['projection'])}–{max(periods['projection'])} (projections)")
        rows.append({
            "Family": family,
            "Source": spec.get("description", ", ".join(spec["datasets"])),
            "Rule": RULES[spec["rule"]],
            "Reference period": reg.period_label(family),
            "Partial or projected periods": ", ".join(excluded) or "none",
            "Measures": ", ".join(m for m, s in reg.measures.items() if s["family"] == family),
        })
    return pd.DataFrame(rows)
