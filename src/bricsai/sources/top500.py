"""TOP500 lists: systems, Rmax and Rpeak by installation country, one column set per list.

Descriptions of the extract are in ``datasets.yml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.readers import (
    WORLD,
    check_unique,
    file_label,
    map_countries,
    read_csv_checked,
    read_sheet_checked,
    tidy_rows,
    to_number,
)
from bricsai.sources.tidy import Dataset, describe

# Relative to the raw data folder.
TOP500_AGG_FILE = "ai/top500/top500_country_aggregates.csv"
TOP500_JUN2025_FILE = "ai/top500/june2025.xlsx"

TOP500_SOURCE = "TOP500"
TOP500_AGG_COLUMNS = ["list", "country", "systems", "rmax_pflops", "rpeak_pflops"]
TOP500_SHEET = "65"
TOP500_XLSX_COLUMNS = ["Rank", "Country", "Rmax [TFlop/s]", "Rpeak [TFlop/s]"]
LIST_MONTHS = {"06": "jun", "11": "nov"}


def check_list_total(agg: pd.DataFrame, file: str) -> None:
    """Each TOP500 list has exactly 500 systems; anything else means rows were lost or doubled."""
    totals = agg.groupby("list")["systems"].sum()
    wrong = totals[totals != 500]
    if not wrong.empty:
        raise DataError(file, f"list {wrong.index[0]!r} sums to {int(wrong.iloc[0])} systems, not 500")


def load_top500_aggregates(path: str | Path) -> pd.DataFrame:
    """Third-party country aggregates: ``list, entity, year, suffix, systems, rmax, rpeak``.

    ``list`` is ``YYYY_MM``; ``year`` and ``suffix`` (``jun``/``nov``) encode it for indicators.
    """
    file = file_label(path)
    raw = read_csv_checked(path, TOP500_AGG_COLUMNS, dtype={"list": str})
    check_unique(raw, ["list", "country"], file)
    m = raw["list"].str.fullmatch(r"(\d{4})_(06|11)")
    if not m.all():
        raise DataError(file, f"column 'list' has value {raw.loc[~m, 'list'].iloc[0]!r} (expected YYYY_06 or YYYY_11)")
    out = pd.DataFrame({"list": raw["list"]})
    out["systems"] = to_number(raw["systems"], "systems", file, lo=0, hi=500)
    if (out["systems"] % 1 != 0).any():
        raise DataError(file, "column 'systems' has non-whole counts")
    out["rmax"] = to_number(raw["rmax_pflops"], "rmax_pflops", file, lo=0)
    out["rpeak"] = to_number(raw["rpeak_pflops"], "rpeak_pflops", file, lo=0)
    check_list_total(out, file)
    out["entity"] = map_countries(raw["country"], "top500", file)
    out["year"] = raw["list"].str[:4].astype(int)
    out["suffix"] = raw["list"].str[5:].map(LIST_MONTHS)
    out = out[out["entity"].notna()]
    check_unique(out, ["list", "entity"], file)
    return out.reset_index(drop=True)


def load_top500_list(path: str | Path, sheet: str = TOP500_SHEET) -> pd.DataFrame:
    """A full TOP500 list as exported by top500.org: ``rank, entity, rmax, rpeak`` (PFlop/s)."""
    file = file_label(path)
    raw = read_sheet_checked(path, sheet, 0, TOP500_XLSX_COLUMNS)
    where = f"{file} [{sheet}]"
    rank = to_number(raw["Rank"], "Rank", where, lo=1, hi=500)
    if len(raw) != 500 or rank.duplicated().any():
        raise DataError(where, f"expected ranks 1–500 once each, found {len(raw)} rows")
    return pd.DataFrame(
        {
            "rank": rank.astype(int),
            "entity": map_countries(raw["Country"], "top500", where),
            "rmax": to_number(raw["Rmax [TFlop/s]"], "Rmax [TFlop/s]", where, lo=0) / 1000,
            "rpeak": to_number(raw["Rpeak [TFlop/s]"], "Rpeak [TFlop/s]", where, lo=0) / 1000,
        }
    )


def aggregate_top500_list(systems: pd.DataFrame, list_id: str) -> pd.DataFrame:
    """Country aggregates of one full list, in the shape ``load_top500_aggregates`` returns."""
    agg = systems.groupby("entity", as_index=False).agg(
        systems=("rank", "size"), rmax=("rmax", "sum"), rpeak=("rpeak", "sum")
    )
    agg["systems"] = agg["systems"].astype(float)
    agg["list"] = list_id
    agg["year"] = int(list_id[:4])
    agg["suffix"] = LIST_MONTHS[list_id[5:]]
    check_list_total(agg, list_id)
    return agg


def top500_tidy(agg: pd.DataFrame) -> pd.DataFrame:
    """Indicators ``top500_{systems,rmax,rpeak}_{jun,nov}`` per list year, plus WLD totals."""
    world = agg.groupby(["list", "year", "suffix"], as_index=False)[["systems", "rmax", "rpeak"]].sum()
    world["entity"] = WORLD
    both = pd.concat([agg, world], ignore_index=True)
    parts = []
    for suffix, grp in both.groupby("suffix"):
        for col, unit in (("systems", "systems"), ("rmax", "PFlop/s"), ("rpeak", "PFlop/s")):
            parts.append(tidy_rows(grp, f"top500_{col}_{suffix}", unit, TOP500_SOURCE, value=col))
    return pd.concat(parts, ignore_index=True)


def build_top500(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Nov 2023, Jun 2024, Nov 2025 aggregates plus Jun 2025 from the full list."""
    shared = Path(raw_dir)
    agg = load_top500_aggregates(shared / TOP500_AGG_FILE)
    jun25 = aggregate_top500_list(load_top500_list(shared / TOP500_JUN2025_FILE), "2025_06")
    if (agg["list"] == "2025_06").any():
        raise DataError(TOP500_AGG_FILE, "already holds list 2025_06, which would clash with june2025.xlsx")
    return top500_tidy(pd.concat([agg, jun25], ignore_index=True))


def top500_table(tidy: pd.DataFrame, measure: str = "systems") -> pd.DataFrame:
    """Entity × list table (columns like ``2025-11``) of one TOP500 measure."""
    sel = tidy[tidy["indicator"].str.fullmatch(f"top500_{measure}_(jun|nov)")]
    month = sel["indicator"].str[-3:].map({"jun": "06", "nov": "11"})
    sel = sel.assign(list=sel["year"].astype(str) + "-" + month)
    return sel.pivot_table(index="entity", columns="list", values="value", aggfunc="sum",
                           observed=True).fillna(0.0)

TOP500_DATASET = describe(
    "top500",
    inputs=(TOP500_AGG_FILE, TOP500_JUN2025_FILE),
    build=build_top500,
)

DATASETS: tuple[Dataset, ...] = (TOP500_DATASET,)
