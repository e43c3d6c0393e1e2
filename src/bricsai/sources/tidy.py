"""The shape every extract shares, and the description each source module gives of itself.

A tidy extract is long: one row per (entity, indicator, year), with the value's unit and the
source it came from. ``entity`` is an ISO 3166 alpha-3 code for an economy, or the publisher's
own code for an aggregate (the World Bank's ``WLD`` for the world, for example).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from bricsai import yamlfile
from bricsai.errors import DataError

TIDY_COLUMNS = ["entity", "indicator", "year", "value", "unit", "source"]


@dataclass(frozen=True)
class Dataset:
    """One extract: what it is, where it comes from and how to build it.

    ``inputs`` are paths relative to ``data/raw`` (see its manifest); their SHA-256 goes into the
    extract's metadata. ``build`` takes the raw data folder and returns a tidy frame.
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


DESCRIPTIONS = Path(__file__).with_name("datasets.yml")
_PROSE = ("title", "citation", "publisher", "licence", "release", "derivation", "notes")


@lru_cache(maxsize=1)
def _descriptions() -> dict:
    data = yamlfile.load(DESCRIPTIONS)
    if not isinstance(data, dict):
        raise DataError(DESCRIPTIONS, f"expected a mapping of dataset names, found {yamlfile.kind(data)}")
    return data


def describe(name: str, inputs: tuple[str, ...], build: Callable[..., pd.DataFrame],
             cls: type[Dataset] = Dataset, **code: object) -> Dataset:
    """The Dataset ``name``: its prose from ``datasets.yml``, its inputs and build from the code.

    The prose is data (edited without touching code); what the extract reads and how it is
    built stays beside the code that does it.
    """
    entry = _descriptions().get(name)
    if not isinstance(entry, dict):
        raise DataError(DESCRIPTIONS, f"no description for dataset {name!r}")
    unknown = sorted(set(entry) - set(_PROSE) - {"partial_years"})
    if unknown:
        raise DataError(DESCRIPTIONS, f"{name}: unknown field(s) {unknown}")
    for key in ("title", "publisher", "licence", "release"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise DataError(DESCRIPTIONS, f"{name}: field {key!r} must be non-empty text")
    notes = entry.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise DataError(DESCRIPTIONS, f"{name}: field 'notes' must be a list of texts")
    partial = entry.get("partial_years", [])
    if not isinstance(partial, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in partial):
        raise DataError(DESCRIPTIONS, f"{name}: field 'partial_years' must be a list of years")
    prose = {k: entry[k] for k in _PROSE if k in entry and k != "notes"}
    return cls(name=name, inputs=tuple(inputs), build=build, notes=tuple(notes), partial_years=tuple(partial),
               **prose, **code)
