"""Readers and checks shared by the AI-capacity source modules.

Every reader takes a path, checks columns, value ranges, duplicates and country names, and raises
``DataError(file, problem)`` on anything it cannot vouch for. Conventions of the AI extracts:

* counts are emitted only where they are positive; an absent (entity, indicator, year) row
  means zero, not "unknown";
* ``WLD`` is the world total of a source (all records, whatever their country), so that
  shares can be computed against it;
* country names go through :func:`bricsai.sources.countries.to_iso3`; exceptions live in
  ``data/country_names.yml`` under the source keys ``epoch``, ``top500``, ``oxford``,
  ``tortoise``, ``cset`` and ``eto``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.countries import to_iso3
from bricsai.sources.tidy import TIDY_COLUMNS

WORLD = "WLD"


def file_label(path: str | Path) -> str:
    """The file's name as errors show it: the last two path parts are enough to find it."""
    p = Path(path)
    return str(Path(p.parent.name) / p.name) if p.parent.name else p.name


def read_csv_checked(path: str | Path, required: Sequence[str], **kwargs) -> pd.DataFrame:
    """Read a CSV, failing with DataError if it is missing, empty or lacks ``required`` columns.

    ``utf-8-sig`` because some ETO files start with a byte-order mark, which would otherwise
    become part of the first column's name.
    """
    file = file_label(path)
    if not Path(path).is_file():
        raise DataError(file, "file not found")
    try:
        # Only truly blank cells are missing: "n/a" or "NA" in a number column should fail
        # loudly rather than pass as a gap.
        df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""], **kwargs)
    except pd.errors.EmptyDataError:
        raise DataError(file, "file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(file, f"cannot be parsed as CSV ({exc})") from None
    require_columns(df, required, file)
    if df.empty:
        raise DataError(file, "file has a header but no data rows")
    return df


def read_sheet_checked(
    path: str | Path, sheet: str, header: int, required: Sequence[str]
) -> pd.DataFrame:
    """Read one worksheet with its header on row ``header`` (0-based) and check its columns.

    Blank separator columns (no header, no values) are dropped because publishers use them
    only for layout.
    """
    file = file_label(path)
    if not Path(path).is_file():
        raise DataError(file, "file not found")
    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad workbook
        raise DataError(file, f"cannot be opened as a workbook ({exc})") from None
    with book:
        if sheet not in book.sheet_names:
            raise DataError(file, f"sheet {sheet!r} not found (sheets: {book.sheet_names})")
        df = book.parse(sheet, header=header, keep_default_na=False, na_values=[""])
    blank = [c for c in df.columns if str(c).startswith("Unnamed") and df[c].isna().all()]
    df = df.drop(columns=blank).dropna(how="all")
    df.columns = [str(c).strip() for c in df.columns]
    require_columns(df, required, f"{file} [{sheet}]")
    if df.empty:
        raise DataError(f"{file} [{sheet}]", "sheet has no data rows")
    return df


def require_columns(df: pd.DataFrame, required: Iterable[str], file: str) -> None:
    """Raise DataError naming every required column the frame lacks."""
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(file, f"missing column(s) {missing}")


def check_unique(df: pd.DataFrame, keys: Sequence[str], file: str) -> None:
    """Raise DataError on the first duplicated key, because a duplicate would double-count."""
    dup = df.duplicated(list(keys), keep=False)
    if dup.any():
        first = df.loc[dup, list(keys)].iloc[0].tolist()
        raise DataError(file, f"duplicate rows for {list(keys)} = {first}")


def to_number(
    s: pd.Series,
    column: str,
    file: str,
    lo: float | None = None,
    hi: float | None = None,
    allow_blank: bool = False,
) -> pd.Series:
    """Coerce a column to float, rejecting text, blanks (unless allowed) and out-of-range values."""
    out = pd.to_numeric(s, errors="coerce")
    bad = out.isna() & s.notna() & (s.astype(str).str.strip() != "")
    if bad.any():
        raise DataError(file, f"column {column!r} has a non-numeric value {s[bad].iloc[0]!r}")
    if not allow_blank and out.isna().any():
        raise DataError(file, f"column {column!r} has blank values")
    if lo is not None and (out < lo).any():
        raise DataError(file, f"column {column!r} has a value below {lo}: {out[out < lo].iloc[0]}")
    if hi is not None and (out > hi).any():
        raise DataError(file, f"column {column!r} has a value above {hi}: {out[out > hi].iloc[0]}")
    return out.astype("float64")


def map_countries(names: pd.Series, source: str, file: str) -> pd.Series:
    """Names → ISO3 through ``to_iso3``; listed non-countries become None (dropped by callers)."""
    names = names.astype(str).str.strip()
    mapping = to_iso3(names.unique(), source, file)
    return names.map(mapping)


def tidy_rows(df: pd.DataFrame, indicator: str, unit: str, source: str, value: str = "value"):
    """Rename a frame with entity/year/value columns into the tidy shape for one indicator."""
    out = df[["entity", "year", value]].rename(columns={value: "value"}).copy()
    out["indicator"] = indicator
    out["unit"] = unit
    out["source"] = source
    return out[TIDY_COLUMNS]


def slug(text: str) -> str:
    """Lower-case snake_case for indicator codes ("Development & Diffusion" → development_diffusion)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def wide_to_tidy(wide: pd.DataFrame, source: str, units: dict[str, str]) -> pd.DataFrame:
    """Melt ``entity, year, <indicator>...`` into tidy rows; ``units`` maps code suffix → unit."""
    wide = wide[wide["entity"].notna()]
    long = wide.melt(id_vars=["entity", "year"], var_name="indicator", value_name="value")
    # Editions stacked together leave the other edition's columns blank: not data, drop them.
    long = long[long["value"].notna()]
    long["unit"] = long["indicator"].map(lambda c: units.get(c.rsplit("_", 1)[-1], units["*"]))
    long["source"] = source
    return long[TIDY_COLUMNS]
