"""The shape every extract shares, and the description each source module gives of itself.

A tidy extract is long: one row per (entity, indicator, year), with the value's unit and the
source it came from. ``entity`` is an ISO 3166 alpha-3 code for an economy, or the publisher's
own code for an aggregate (the World Bank's ``WLD`` for the world, for example).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from bricsai.errors import DataError

TIDY_COLUMNS = ["entity", "indicator", "year", "value", "unit", "source"]


@dataclass(frozen=True)
class Dataset:
    """One extract: what it is, where it comes from and how to build it.

    ``inputs`` are paths relative to the shared data folder; their SHA-256 goes into the
    extract's metadata. ``build`` takes the shared data folder and returns a tidy frame.
    """

    name: str
    title: str
    publisher: str
    licence: str
    release: str
    inputs: tuple[str, ...]
    build: Callable[..., pd.DataFrame]
    derivation: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Short attribution for figure source lines, e.g. "World Bank, WDI (release 2026-07-13)".
    citation: str = ""
    # Periods the publisher's file does not cover in full (a snapshot taken mid-year, a file
    # updated continuously) and years that are projections: written into the extract's metadata,
    # where the as-of policy (bricsai.ledger.asof) reads them. Never typed anywhere else.
    partial_years: tuple[int, ...] = ()
    projection_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class TableDataset(Dataset):
    """A lookup table written as-is (not tidy); ``columns`` fixes its column order."""

    columns: tuple[str, ...] = ()


def validate_tidy(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a frame has the tidy shape and return it sorted, with fixed dtypes.

    Raises DataError naming ``source`` on missing columns, empty frames, non-numeric values,
    missing keys or duplicate (entity, indicator, year) rows.
    """
    missing = [c for c in TIDY_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(source, f"tidy extract lacks column(s) {missing}")
    if df.empty:
        raise DataError(source, "tidy extract is empty")
    out = df[TIDY_COLUMNS].copy()
    for col in ("entity", "indicator", "unit", "source"):
        if out[col].isna().any() or (out[col].astype(str).str.strip() == "").any():
            raise DataError(source, f"column {col!r} has empty values")
        out[col] = out[col].astype(str)
    year = pd.to_numeric(out["year"], errors="coerce")
    if year.isna().any() or (year % 1 != 0).any():
        raise DataError(source, "column 'year' has values that are not whole years")
    out["year"] = year.astype("int64")
    value = pd.to_numeric(out["value"], errors="coerce")
    bad = value.isna() & out["value"].notna()
    if bad.any():
        example = out.loc[bad, "value"].iloc[0]
        raise DataError(source, f"column 'value' has a non-numeric value {example!r}")
    if value.isna().any():
        raise DataError(source, "column 'value' has missing values (drop them before writing)")
    out["value"] = value.astype("float64")
    dup = out.duplicated(["entity", "indicator", "year"], keep=False)
    if dup.any():
        first = out.loc[dup, ["entity", "indicator", "year"]].iloc[0].tolist()
        raise DataError(source, f"duplicate rows for (entity, indicator, year) = {first}")
    return out.sort_values(["indicator", "entity", "year"], kind="mergesort").reset_index(drop=True)
