"""IMF World Economic Outlook, October 2025, as DataMapper exports (2025-11-19).

Two workbooks (see ``data/raw/manifest.yml``):

* ``imf-dm-export-20251119_PPP.xls``, sheet ``PPPGDP``: GDP at PPP, billions of international $;
* ``imf-dm-export-20251119_MER.xls``, sheet ``NGDPD``: GDP at market exchange rates, billions of US$.

The files are old OLE2 ``.xls`` with slightly damaged structure: ``pandas.read_excel`` fails, so
they are opened with ``xlrd.open_workbook(..., ignore_workbook_corruption=True)``.

Layout: row 1 holds the title (which names the unit) and the years 1980-2030; row 2 is blank;
then one row per country, then the IMF's groups, a blank row and "(c)IMF, 2025". Missing cells
say "no data". Country labels are mapped to ISO3 through ``bricsai.sources.countries.to_iso3`` with
source ``"imf"``; the IMF's groups map (in ``data/country_names.yml``) to stable ``IMF_*`` codes,
e.g. ``IMF_WORLD`` (the denominator for IMF shares) and ``IMF_G7``.

Values are kept in the file's unit (billions). The export does not say which values are actual
and which are estimates or projections: for most countries 2025 onwards are projections, and
some countries' estimates start earlier. ``PROJECTION_FROM`` records the year the book treats
as the start of projections; anything from then on must be labelled as such.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.countries import to_iso3
from bricsai.sources.tidy import Dataset, validate_tidy

IMF_DIR = "imf-weo"
PROJECTION_FROM = 2025
GROUP_PREFIX = "IMF_"
WORLD = "IMF_WORLD"
SOURCE = "IMF WEO 2025-10"  # repeated on every row; details in the metadata

# file -> (sheet/indicator, required phrase in the title, unit written to the extract)
FILES = {
    "imf-dm-export-20251119_PPP.xls": ("PPPGDP", "billions of international dollars",
                                       "billion current international $ (PPP)"),
    "imf-dm-export-20251119_MER.xls": ("NGDPD", "billions of u.s. dollars", "billion current US$"),
}
NO_DATA = "no data"


def _open(path: Path):
    import xlrd

    if not path.exists():
        raise DataError(path, "file is missing")
    if path.stat().st_size == 0:
        raise DataError(path, "file is empty")
    try:
        return xlrd.open_workbook(str(path), ignore_workbook_corruption=True)
    except Exception as exc:  # xlrd raises several unrelated types for unreadable files
        raise DataError(path, f"cannot open as an .xls workbook ({type(exc).__name__}: {exc})") from None


def read_workbook(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Read one DataMapper export into long rows (label, indicator, year, value, unit).

    Returns the frame (labels not yet mapped) and the list of labels in file order.
    """
    path = Path(path)
    if path.name not in FILES:
        raise DataError(path, f"unexpected IMF file name; expected one of {sorted(FILES)}")
    sheet_name, unit_phrase, unit = FILES[path.name]
    book = _open(path)
    if sheet_name not in book.sheet_names():
        raise DataError(path, f"sheet {sheet_name!r} not found (sheets: {book.sheet_names()})")
    sh = book.sheet_by_name(sheet_name)
    if sh.nrows < 4:
        raise DataError(path, f"sheet {sheet_name!r} has only {sh.nrows} row(s): truncated")
    header = sh.row_values(0)
    title = str(header[0])
    # The unit lives only in the title; a different unit would silently mix scales.
    if unit_phrase not in title.lower():
        raise DataError(path, f"title {title!r} does not state the expected unit {unit_phrase!r} (mixed units?)")
    years = []
    for cell in header[1:]:
        if isinstance(cell, float) and cell.is_integer() and 1900 < cell < 2100:
            years.append(int(cell))
        else:
            raise DataError(path, f"header cell {cell!r} is not a year")
    rows, labels, seen_footer = [], [], False
    for r in range(1, sh.nrows):
        vals = sh.row_values(r)
        label = str(vals[0]).strip()
        if label.startswith("©IMF"):
            seen_footer = True
            break
        if not label:
            continue
        if label in labels:
            raise DataError(path, f"duplicate row for {label!r}")
        labels.append(label)
        for year, cell in zip(years, vals[1:], strict=True):
            if cell == "" or (isinstance(cell, str) and cell.strip().lower() == NO_DATA):
                continue
            if not isinstance(cell, float):
                raise DataError(path, f"non-numeric value {cell!r} for {label!r} {year}")
            rows.append((label, year, cell))
    if not seen_footer:
        raise DataError(path, "no '©IMF' footer row: file truncated?")
    if not rows:
        raise DataError(path, "no values")
    df = pd.DataFrame(rows, columns=["label", "year", "value"])
    if (df["value"] < 0).any():
        bad = df.loc[df["value"] < 0].iloc[0]
        raise DataError(path, f"negative GDP {bad['value']} for {bad['label']!r} {bad['year']}")
    df["indicator"] = sheet_name
    df["unit"] = unit
    return df, labels


def build(shared: Path) -> pd.DataFrame:
    """Tidy frame for ``imf_weo_gdp``: PPPGDP and NGDPD for countries and IMF_* groups, 1980-2030."""
    frames, all_labels, files = [], set(), []
    for name in FILES:
        path = Path(shared) / IMF_DIR / name
        df, labels = read_workbook(path)
        df["file"] = str(path)
        frames.append(df)
        all_labels |= set(labels)
        files.append(str(path))
    # One converter call for both files: country_converter is the slow step.
    mapping = to_iso3(sorted(all_labels), source="imf", file=" and ".join(files))
    df = pd.concat(frames, ignore_index=True)
    dropped = sorted(k for k, v in mapping.items() if v is None)
    if dropped:
        df = df[~df["label"].isin(dropped)]
    df["entity"] = df["label"].map(mapping)
    # Two labels landing on one code would double-count; name the file and both labels.
    per = df.drop_duplicates(["file", "label"]).groupby(["file", "entity"])["label"].agg(list)
    clash = per[per.map(len) > 1]
    if len(clash):
        (file, code), names = clash.index[0], clash.iloc[0]
        raise DataError(file, f"labels {names} all map to {code!r}")
    df["source"] = SOURCE
    return validate_tidy(df, "imf_weo_gdp")


def is_group(code: str) -> bool:
    """True for an IMF group code (``IMF_WORLD``, ``IMF_G7``, ...), False for an ISO3 economy."""
    return str(code).startswith(GROUP_PREFIX)


def actuals_only(df: pd.DataFrame) -> pd.DataFrame:
    """Rows before ``PROJECTION_FROM`` (the years the book may use without a projection label)."""
    return df[df["year"] < PROJECTION_FROM]


DATASETS: list[Dataset] = [
    Dataset(
        name="imf_weo_gdp",
        citation="IMF, World Economic Outlook database (October 2025)",
        title="IMF WEO October 2025: GDP at PPP (PPPGDP) and at market exchange rates (NGDPD)",
        publisher="International Monetary Fund, World Economic Outlook Database, October 2025",
        licence="IMF copyright and terms of use (not CC BY; not checked in detail)",
        release="2025-10 (WEO); DataMapper export 2025-11-19",
        inputs=tuple(f"{IMF_DIR}/{n}" for n in FILES),
        build=build,
        derivation="Values as in the file, in billions. Labels mapped to ISO3 via country_converter; IMF groups "
                   "to IMF_* codes listed in data/country_names.yml.",
        notes=(
            f"The export does not mark projections. Values after each country's latest actual year are IMF "
            f"estimates or projections; for most countries {PROJECTION_FROM} onwards are projections. Years up "
            f"to 2030 are extracted; the book uses years < {PROJECTION_FROM} unless labelled as projections.",
            "Group rows (IMF_WORLD, IMF_G7, IMF_EU, regions ...) are kept; "
            "use bricsai.sources.imf.is_group to drop them.",
            "Citation: International Monetary Fund. (2025). World Economic Outlook Database. "
            "https://www.imf.org/en/Publications/WEO/weo-database/2025/October",
        ),
        projection_years=tuple(range(PROJECTION_FROM, 2031)),
    )
]
