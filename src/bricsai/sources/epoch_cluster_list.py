"""Epoch AI's GPU clusters one row per cluster, with the fields a filter can use.

The tidy ``epoch_gpu_clusters`` extract is already filtered (existing clusters in Epoch's
standard analysis). To show how the country shares move with the filter, and to reproduce
Epoch's own published headline, the chapter needs the rows before any filter: this table keeps
every cluster with its status, flags, country, dates and performance, and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.epoch_clusters import ANONYMISED_NAME, CLUSTER_STATUSES, EPOCH_CLUSTERS_FILE
from bricsai.sources.readers import map_countries, read_csv_checked, to_number
from bricsai.sources.tidy import TableDataset, describe

COLUMNS = ("name", "status", "certainty", "single_cluster", "entity", "first_operational",
           "decommissioned", "h100e", "op16", "standard", "possible_duplicate", "anonymised")

RAW_COLUMNS = ["Name", "Status", "Certainty", "Single cluster?", "Country", "First Operational Date",
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
    file = Path(path).name
    raw = read_csv_checked(path, RAW_COLUMNS)
    status = raw["Status"].astype(str).str.strip()
    if not status.isin(CLUSTER_STATUSES).all():
        first_bad = status[~status.isin(CLUSTER_STATUSES)].iloc[0]
        raise DataError(file, f"column 'Status' has unexpected value {first_bad!r}")
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
    return out[list(COLUMNS)].reset_index(drop=True)


def build_cluster_list(raw_dir: str | Path) -> pd.DataFrame:
    return load_cluster_list(Path(raw_dir) / EPOCH_CLUSTERS_FILE)


CLUSTER_LIST_DATASET = describe(
    "epoch_gpu_cluster_list",
    inputs=(EPOCH_CLUSTERS_FILE,),
    build=build_cluster_list,
    columns=COLUMNS,
    cls=TableDataset,
)

DATASETS: tuple[TableDataset, ...] = (CLUSTER_LIST_DATASET,)
