"""Epoch AI, 'Data on GPU Clusters': AI supercomputer capacity by country, cumulative at year end.

Descriptions of the extract are in ``datasets.yml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

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
from bricsai.sources.tidy import Dataset, describe

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
        first_odd = raw.loc[odd, "Include in Standard Analysis"].iloc[0]
        raise DataError(file, f"column 'Include in Standard Analysis' has value {first_odd!r}")
    sel = raw[(status == "Existing") & (include == "true")].copy()
    if sel.empty:
        raise DataError(file, "no existing clusters in the standard analysis")
    named = sel[sel["Name"] != ANONYMISED_NAME]
    check_unique(named, ["Name"], file)

    h100e = to_number(sel["H100 equivalents"], "H100 equivalents", file, lo=0, allow_blank=True)
    date = pd.to_datetime(sel["First Operational Date"], format="%Y-%m-%d", errors="coerce")
    bad_date = date.isna() & sel["First Operational Date"].notna()
    if bad_date.any():
        unreadable = sel.loc[bad_date, "First Operational Date"].iloc[0]
        raise DataError(file, f"column 'First Operational Date' has an unreadable date {unreadable!r}")
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

EPOCH_CLUSTERS_DATASET = describe(
    "epoch_gpu_clusters",
    inputs=(EPOCH_CLUSTERS_FILE,),
    build=build_epoch_clusters,
)

DATASETS: tuple[Dataset, ...] = (EPOCH_CLUSTERS_DATASET,)
