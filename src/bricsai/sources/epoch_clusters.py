"""Epoch AI, 'Data on GPU Clusters': AI supercomputer capacity by country, cumulative at year end.

Descriptions of the extract are in ``datasets.yml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.readers import (
    WORLD,
    check_unique,
    file_label,
    map_countries,
    read_csv_checked,
    tidy_rows,
    to_number,
)
from bricsai.sources.tidy import Dataset, TableDataset, describe

EPOCH_CLUSTERS_FILE = "ai/epoch_gpu_clusters/gpu_clusters.csv"  # relative to the raw data folder

EPOCH_CLUSTERS_SOURCE = "Epoch AI GPU clusters"
CLUSTER_COLUMNS = [
    "Name",
    "Status",
    "Country",
    "H100 equivalents",
    "First Operational Date",
    "Include in Standard Analysis",
]
CLUSTER_STATUSES = {"Existing", "Planned", "Decommissioned"}
CLUSTER_YEARS = tuple(range(2019, 2026))
# Epoch lists undisclosed Chinese systems under one shared name, so identical rows are distinct
# clusters, not duplicates.
ANONYMISED_NAME = "Anonymized Chinese System"


def load_epoch_clusters(path: str | Path) -> pd.DataFrame:
    """Clusters in Epoch's standard analysis that exist: ``name, entity, h100e, date``.

    Filter: ``Status == "Existing"`` and ``Include in Standard Analysis`` true (Epoch's
    de-duplicated set). ``entity`` is ISO3 or None when the country is blank; ``h100e`` is
    NaN when Epoch gives no H100-equivalent figure; ``date`` is NaT when unknown.
    """
    file = file_label(path)
    raw = read_csv_checked(path, CLUSTER_COLUMNS)
    status = raw["Status"].astype(str).str.strip()
    bad = ~status.isin(CLUSTER_STATUSES)
    if bad.any():
        raise DataError(file, f"column 'Status' has unexpected value {raw.loc[bad, 'Status'].iloc[0]!r}")
    include = raw["Include in Standard Analysis"].astype(str).str.strip().str.lower()
    odd = ~include.isin(["true", "false", "nan", ""])
    if odd.any():
        raise DataError(file, f"column 'Include in Standard Analysis' has value {raw.loc[odd, 'Include in Standard Analysis'].iloc[0]!r}")
    sel = raw[(status == "Existing") & (include == "true")].copy()
    if sel.empty:
        raise DataError(file, "no existing clusters in the standard analysis")
    named = sel[sel["Name"] != ANONYMISED_NAME]
    check_unique(named, ["Name"], file)

    h100e = to_number(sel["H100 equivalents"], "H100 equivalents", file, lo=0, allow_blank=True)
    date = pd.to_datetime(sel["First Operational Date"], format="%Y-%m-%d", errors="coerce")
    bad_date = date.isna() & sel["First Operational Date"].notna()
    if bad_date.any():
        raise DataError(file, f"column 'First Operational Date' has an unreadable date {sel.loc[bad_date, 'First Operational Date'].iloc[0]!r}")
    entity = pd.Series(None, index=sel.index, dtype=object)
    has = sel["Country"].notna()
    if has.any():
        entity[has] = map_countries(sel.loc[has, "Country"], "epoch", file)
    return pd.DataFrame(
        {"name": sel["Name"], "entity": entity, "h100e": h100e, "date": date}
    ).reset_index(drop=True)


def cumulative_cluster_capacity(clusters: pd.DataFrame, years: Iterable[int] = CLUSTER_YEARS) -> pd.DataFrame:
    """Clusters operational by 31 December of each year: ``entity, year, clusters, h100e``.

    Cumulative because a cluster keeps its capacity once built (the filter already drops
    decommissioned ones). Clusters without a date are left out; blank H100e counts as 0. The
    WLD row includes clusters whose country is blank.
    """
    dated = clusters[clusters["date"].notna()].copy()
    dated["start"] = dated["date"].dt.year
    rows = []
    for year in years:
        live = dated[dated["start"] <= year]
        for entity, grp in [(WORLD, live)] + list(live[live["entity"].notna()].groupby("entity")):
            rows.append(
                {"entity": entity, "year": int(year), "clusters": float(len(grp)),
                 "h100e": float(grp["h100e"].fillna(0).sum())}
            )
    out = pd.DataFrame(rows, columns=["entity", "year", "clusters", "h100e"])
    return out[out["clusters"] > 0].reset_index(drop=True)


def epoch_clusters_tidy(clusters: pd.DataFrame, years: Iterable[int] = CLUSTER_YEARS) -> pd.DataFrame:
    """Tidy cumulative H100-equivalents and cluster counts by country and year."""
    cap = cumulative_cluster_capacity(clusters, years)
    return pd.concat(
        [
            tidy_rows(cap, "epoch_gpu_h100e", "H100-equivalents", EPOCH_CLUSTERS_SOURCE, value="h100e"),
            tidy_rows(cap, "epoch_gpu_clusters", "clusters", EPOCH_CLUSTERS_SOURCE, value="clusters"),
        ],
        ignore_index=True,
    )


def build_epoch_clusters(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Epoch GPU clusters → cumulative capacity by country, 2019–2025."""
    return epoch_clusters_tidy(load_epoch_clusters(Path(raw_dir) / EPOCH_CLUSTERS_FILE))

# --- every cluster, one row each, for filter comparisons -----------------------------------
# The tidy extract above is already filtered. To show how country shares move with the filter,
# and to reproduce Epoch's own published headline, the chapter needs the rows before any filter.

LIST_COLUMNS = ("name", "status", "certainty", "single_cluster", "entity", "first_operational",
           "decommissioned", "h100e", "op16", "standard", "possible_duplicate", "anonymised")

LIST_RAW_COLUMNS = ["Name", "Status", "Certainty", "Single cluster?", "Country", "First Operational Date",
               "Decommissioned Date (if applicable)", "H100 equivalents", "16-bit OP/s",
               "Include in Standard Analysis", "Possible Duplicate"]


def _flag(values: pd.Series, column: str, file: str) -> pd.Series:
    """Epoch's flag columns hold True or nothing; anything else is an error, not a False."""
    text = values.astype(str).str.strip().str.lower()
    odd = ~text.isin(["true", "false", "nan", ""])
    if odd.any():
        raise DataError(file, f"column {column!r} has value {values[odd].iloc[0]!r}")
    return text == "true"


def _date(values: pd.Series, column: str, file: str, month_ok: bool = False) -> pd.Series:
    """Dates kept as text; a decommissioning date may be given to the month only (kept so)."""
    text = values.fillna("").astype(str).str.strip()
    pattern = r"\d{4}-\d{2}(-\d{2})?" if month_ok else r"\d{4}-\d{2}-\d{2}"
    ok = text.eq("") | (text.str.fullmatch(pattern) & pd.to_datetime(text.str.pad(10, "right", "x").str.replace(
        "xxx", "-01"), format="%Y-%m-%d", errors="coerce").notna())
    if not ok.all():
        raise DataError(file, f"column {column!r} has an unreadable date {text[~ok].iloc[0]!r}")
    return text


def load_cluster_list(path: str | Path) -> pd.DataFrame:
    """Every row of Epoch's cluster file in the shape of :data:`COLUMNS` (blank = unknown)."""
    file = file_label(path)
    raw = read_csv_checked(path, LIST_RAW_COLUMNS)
    status = raw["Status"].astype(str).str.strip()
    if not status.isin(CLUSTER_STATUSES).all():
        raise DataError(file, f"column 'Status' has unexpected value {status[~status.isin(CLUSTER_STATUSES)].iloc[0]!r}")
    entity = pd.Series("", index=raw.index, dtype=object)
    has = raw["Country"].notna()
    entity[has] = map_countries(raw.loc[has, "Country"], "epoch", file).fillna("")
    out = pd.DataFrame({
        "name": raw["Name"].astype(str).str.strip(),
        "status": status,
        "certainty": raw["Certainty"].fillna("").astype(str).str.strip(),
        "single_cluster": raw["Single cluster?"].fillna("").astype(str).str.strip(),
        "entity": entity,
        "first_operational": _date(raw["First Operational Date"], "First Operational Date", file),
        "decommissioned": _date(raw["Decommissioned Date (if applicable)"],
                                "Decommissioned Date (if applicable)", file, month_ok=True),
        "h100e": to_number(raw["H100 equivalents"], "H100 equivalents", file, lo=0, allow_blank=True),
        "op16": to_number(raw["16-bit OP/s"], "16-bit OP/s", file, lo=0, allow_blank=True),
        "standard": _flag(raw["Include in Standard Analysis"], "Include in Standard Analysis", file),
        "possible_duplicate": _flag(raw["Possible Duplicate"], "Possible Duplicate", file),
    })
    out["anonymised"] = out["name"] == ANONYMISED_NAME
    return out[list(LIST_COLUMNS)].reset_index(drop=True)


def build_cluster_list(shared_dir: str | Path) -> pd.DataFrame:
    return load_cluster_list(Path(shared_dir) / EPOCH_CLUSTERS_FILE)


EPOCH_CLUSTERS_DATASET = describe(
    "epoch_gpu_clusters",
    inputs=(EPOCH_CLUSTERS_FILE,),
    build=build_epoch_clusters,
)

CLUSTER_LIST_DATASET = describe("epoch_gpu_cluster_list", (EPOCH_CLUSTERS_FILE,), build_cluster_list,
                                cls=TableDataset, columns=LIST_COLUMNS)

DATASETS: tuple[Dataset, ...] = (EPOCH_CLUSTERS_DATASET, CLUSTER_LIST_DATASET)
