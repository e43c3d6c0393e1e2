"""World Bank World Development Indicators (WDI), read as the World Bank ships them.

Two layouts are read (see ``data/raw/manifest.yml``):

* the original per-indicator download ``API_<code>_DS2_en_csv_v2_<n>.csv``: UTF-8 with BOM,
  four preamble lines ("Data Source", "Last Updated Date"), header on line 5, one column per
  year and a trailing comma on every row (an empty last column);
* the datahub.io long copies ``datahub-wdi-2026-07-01/<code>/data.csv`` (+ ``datapackage.json``),
  used only for indicators with no original-layout file here.

``Metadata_Country_*.csv`` tells economies from aggregates: aggregates have an empty Region.
``INX`` ("Not classified", all files) and ``FCS`` (2026-02-24 release) are in data files but not
in the metadata; they are added as aggregates so that "economies only" never includes them.

Extracts built here (``DATASETS``):

* ``wdi_economy``     SP.POP.TOTL, NY.GDP.MKTP.CD, NY.GDP.PCAP.CD, NY.GDP.PCAP.PP.CD,
  NY.GNP.MKTP.PP.CD and the derived NY.GDP.MKTP.PP.CD.DERIVED (GDP at PPP = per capita x population);
* ``wdi_innovation``  GB.XPD.RSDV.GD.ZS, SP.POP.SCIE.RD.P6, IP.PAT.RESD, IT.NET.USER.ZS,
  EG.USE.ELEC.KH.PC, SE.TER.ENRR, BX.KLT.DINV.CD.WD, SM.POP.NETM, TX.VAL.TECH.CD, IP.JRN.ARTC.SC;
* ``wdi_countries``   a lookup table (not tidy): code, name, region, income_group, is_aggregate.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.tidy import Dataset, TableDataset, validate_tidy

WDI_DIR = "wdi"
DATAHUB_DIR = f"{WDI_DIR}/datahub-wdi-2026-07-01"
COUNTRY_META = f"{WDI_DIR}/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_33086.csv"
# Short source labels: they repeat on every row of the extract; the metadata has the details.
SOURCE_ORIGINAL = "WDI"
SOURCE_DATAHUB = "WDI datahub"
LICENCE = "CC BY 4.0 (World Bank; catalogue adds dispute-resolution terms)"
PUBLISHER = "The World Bank: World Development Indicators"

# Original-layout files, preferred wherever one exists.
ORIGINAL = {
    "SP.POP.TOTL": "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv",
    "NY.GDP.MKTP.CD": "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_234.csv",
    "NY.GDP.PCAP.CD": "API_NY.GDP.PCAP.CD_DS2_en_csv_v2_33610.csv",
    "NY.GDP.PCAP.PP.CD": "API_NY.GDP.PCAP.PP.CD_DS2_en_csv_v2_35.csv",
    "GB.XPD.RSDV.GD.ZS": "API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv",
    "SP.POP.SCIE.RD.P6": "API_SP.POP.SCIE.RD.P6_DS2_en_csv_v2_37695.csv",
    "IP.PAT.RESD": "API_IP.PAT.RESD_DS2_en_csv_v2_72.csv",
    "IT.NET.USER.ZS": "API_IT.NET.USER.ZS_DS2_en_csv_v2_33086.csv",
    "EG.USE.ELEC.KH.PC": "API_EG.USE.ELEC.KH.PC_DS2_en_csv_v2_258.csv",
}
# Long datahub copies, only for indicators without an original-layout file.
DATAHUB = ["SE.TER.ENRR", "BX.KLT.DINV.CD.WD", "SM.POP.NETM", "TX.VAL.TECH.CD",
           "IP.JRN.ARTC.SC", "NY.GNP.MKTP.PP.CD"]

DERIVED_PPP = "NY.GDP.MKTP.PP.CD.DERIVED"
# The derivation uses one release for both factors (datahub 2026-07-01), so that per-capita and
# population share a population base; see PROVENANCE section 3.
DERIVED_INPUTS = ("NY.GDP.PCAP.PP.CD", "SP.POP.TOTL")

# unit, lower bound, upper bound (None = open). Bounds catch unit mix-ups and sign errors;
# gross enrolment can exceed 100 by definition, net flows can be negative.
INDICATORS: dict[str, tuple[str, float | None, float | None]] = {
    "SP.POP.TOTL": ("people", 0.0, None),
    "NY.GDP.MKTP.CD": ("current US$", 0.0, None),
    "NY.GDP.PCAP.CD": ("current US$ per person", 0.0, None),
    "NY.GDP.PCAP.PP.CD": ("current international $ (PPP) per person", 0.0, None),
    "NY.GNP.MKTP.PP.CD": ("current international $ (PPP)", 0.0, None),
    DERIVED_PPP: ("current international $ (PPP)", 0.0, None),
    "GB.XPD.RSDV.GD.ZS": ("% of GDP", 0.0, 100.0),
    "SP.POP.SCIE.RD.P6": ("researchers per million people", 0.0, 1e6),
    "IP.PAT.RESD": ("applications", 0.0, None),
    "IT.NET.USER.ZS": ("% of population", 0.0, 100.0),
    "EG.USE.ELEC.KH.PC": ("kWh per person", 0.0, None),
    "SE.TER.ENRR": ("% gross", 0.0, None),
    "BX.KLT.DINV.CD.WD": ("current US$", None, None),
    "SM.POP.NETM": ("people", None, None),
    "TX.VAL.TECH.CD": ("current US$", 0.0, None),
    "IP.JRN.ARTC.SC": ("articles", 0.0, None),
}
# Population must be strictly positive; other lower bounds are inclusive.
STRICTLY_POSITIVE = {"SP.POP.TOTL", "NY.GDP.PCAP.PP.CD", "NY.GDP.PCAP.CD"}

NOT_CLASSIFIED = "INX"
# Aggregate codes that appear in data files but not in the 2026-07-13 metadata file: INX
# ("Not classified") in every file, FCS in the 2026-02-24 release only. Listed so that an
# unexpected code is still an error.
EXTRA_AGGREGATES = {
    NOT_CLASSIFIED: "Not classified",
    "FCS": "Fragile and conflict affected situations (2026-02-24 release; not in the 2026-07-13 metadata)",
}
_FILE_RE = re.compile(r"^API_(?P<code>.+)_DS2_en_csv_v2_(?P<n>\d+)\.csv$")
_HEAD = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
_LONG_HEAD = ["Country Name", "Country Code", "Year", "Value"]
_META_HEAD = ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]


def _read_text(path: Path) -> str:
    if not path.exists():
        raise DataError(path, "file is missing")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, "file is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text ({exc})") from None


# --- country metadata -------------------------------------------------------------------

def read_countries(path: Path) -> pd.DataFrame:
    """Read ``Metadata_Country_*.csv``: one row per WB code, aggregates flagged.

    Returns columns code, name, region, income_group, is_aggregate; ``INX`` is added as an
    aggregate (it is in the data files but not here).
    """
    text = _read_text(path)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    cols = [c for c in df.columns if not c.startswith("Unnamed")]
    if cols != _META_HEAD:
        raise DataError(path, f"expected columns {_META_HEAD}, found {cols}")
    if df["Country Code"].duplicated().any():
        dup = df.loc[df["Country Code"].duplicated(), "Country Code"].iloc[0]
        raise DataError(path, f"duplicate country code {dup!r}")
    bad = df.loc[~df["Country Code"].str.fullmatch(r"[A-Z0-9]{3}"), "Country Code"]
    if len(bad):
        raise DataError(path, f"malformed country code {bad.iloc[0]!r}")
    out = pd.DataFrame({
        "code": df["Country Code"],
        "name": df["TableName"],
        "region": df["Region"],
        "income_group": df["IncomeGroup"],
        "is_aggregate": df["Region"].str.strip() == "",
    })
    extra = [{"code": c, "name": n, "region": "", "income_group": "", "is_aggregate": True}
             for c, n in EXTRA_AGGREGATES.items() if c not in set(out["code"])]
    if extra:
        out = pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
    return out.sort_values("code", kind="mergesort").reset_index(drop=True)


# --- checks shared by both layouts ------------------------------------------------------

def _check_values(df: pd.DataFrame, code: str, path: Path, known: set[str]) -> None:
    """Range, duplicate and country-code checks on a tidy frame for one indicator."""
    unknown = sorted(set(df["entity"]) - known)
    if unknown:
        raise DataError(path, f"unknown country code(s) {unknown[:10]} (not in the WB country metadata)")
    dup = df.duplicated(["entity", "year"], keep=False)
    if dup.any():
        first = df.loc[dup, ["entity", "year"]].iloc[0].tolist()
        raise DataError(path, f"duplicate rows for (country, year) = {first}")
    _, lo, hi = INDICATORS[code]
    v = df["value"]
    if code in STRICTLY_POSITIVE and (v <= 0).any():
        row = df.loc[v <= 0].iloc[0]
        raise DataError(path, f"{code} must be > 0, found {row['value']} for {row['entity']} {row['year']}")
    if lo is not None and (v < lo).any():
        row = df.loc[v < lo].iloc[0]
        raise DataError(path, f"{code} below {lo}: {row['value']} for {row['entity']} {row['year']}")
    if hi is not None and (v > hi).any():
        row = df.loc[v > hi].iloc[0]
        raise DataError(path, f"{code} above {hi}: {row['value']} for {row['entity']} {row['year']}")


def _to_number(values: pd.Series, path: Path, where: pd.DataFrame) -> pd.Series:
    # Python's float() rounds correctly; pandas' fast parser can be off in the last digit,
    # which would make extracts differ from the publisher's decimals.
    out = np.empty(len(values), dtype="float64")
    for i, v in enumerate(values.to_numpy()):
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            raise DataError(path, f"non-numeric value {v!r} for {where.iloc[i].tolist()}") from None
    if not np.isfinite(out).all():
        i = int(np.flatnonzero(~np.isfinite(out))[0])
        raise DataError(path, f"non-finite value {values.iloc[i]!r} for {where.iloc[i].tolist()}")
    return pd.Series(out, index=values.index)


# --- original per-indicator files -------------------------------------------------------

def read_original(path: Path, known: set[str]) -> tuple[pd.DataFrame, str]:
    """Read one ``API_<code>_DS2_en_csv_v2_<n>.csv``; return (tidy frame, "Last Updated Date").

    ``known`` is the set of valid country/aggregate codes (from the country metadata).
    """
    m = _FILE_RE.match(path.name)
    if not m:
        raise DataError(path, "file name is not API_<code>_DS2_en_csv_v2_<n>.csv")
    code = m["code"]
    if code not in INDICATORS:
        raise DataError(path, f"indicator {code!r} is not one this project knows")
    text = _read_text(path)
    lines = text.splitlines()
    if len(lines) < 6:
        raise DataError(path, f"truncated: only {len(lines)} line(s), expected a 4-line preamble, header and data")
    pre = [next(csv.reader([ln]), []) for ln in lines[:4]]
    if not pre[0] or pre[0][0] != "Data Source":
        raise DataError(path, "missing preamble: line 1 should start with \"Data Source\"")
    if not pre[2] or pre[2][0] != "Last Updated Date" or len(pre[2]) < 2:
        raise DataError(path, "missing preamble: line 3 should be \"Last Updated Date\",<date>")
    if not text.endswith("\n"):
        raise DataError(path, "truncated: the file ends mid-line (every WB file ends with a line break)")
    updated = pre[2][1]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", updated):
        raise DataError(path, f"bad \"Last Updated Date\" {updated!r}")
    try:
        wide = pd.read_csv(io.StringIO("\n".join(lines[4:])), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise DataError(path, f"cannot parse CSV body ({exc})") from None
    cols = list(wide.columns)
    if wide.isna().any().any():
        raise DataError(path, "truncated: a row has fewer cells than the header")
    if cols[:4] != _HEAD:
        raise DataError(path, f"expected header starting {_HEAD}, found {cols[:4]}")
    years = [c for c in cols[4:] if not c.startswith("Unnamed")]
    if not years or not all(re.fullmatch(r"\d{4}", y) for y in years):
        raise DataError(path, f"expected year columns after {_HEAD[-1]!r}, found {years[:5]}")
    extra = [c for c in cols[4:] if c.startswith("Unnamed") and (wide[c].str.strip() != "").any()]
    if extra:
        raise DataError(path, f"rows have more cells than the header (column {extra[0]}): truncated or shifted row")
    if wide.empty:
        raise DataError(path, "no data rows after the header")
    codes = set(wide["Indicator Code"])
    if codes != {code}:
        raise DataError(path, f"indicator code in file {sorted(codes)} does not match file name {code!r}")
    long = wide.melt(id_vars=["Country Code"], value_vars=years, var_name="year", value_name="raw")
    long = long[long["raw"].str.strip() != ""]
    long = long.rename(columns={"Country Code": "entity"}).reset_index(drop=True)
    long["value"] = _to_number(long["raw"], path, long[["entity", "year"]])
    long["year"] = long["year"].astype("int64")
    if wide["Country Code"].duplicated().any():
        dup = wide.loc[wide["Country Code"].duplicated(), "Country Code"].iloc[0]
        raise DataError(path, f"duplicate rows for country code {dup!r}")
    _check_values(long, code, path, known)
    return _tidy(long, code, f"{SOURCE_ORIGINAL} {updated}"), updated


# --- datahub long copies ----------------------------------------------------------------

def read_datahub(folder: Path, code: str, known: set[str]) -> pd.DataFrame:
    """Read ``<folder>/data.csv`` + ``datapackage.json`` (datahub long layout) for ``code``."""
    pkg_path = folder / "datapackage.json"
    data_path = folder / "data.csv"
    pkg_text = _read_text(pkg_path)
    try:
        pkg = json.loads(pkg_text)
    except json.JSONDecodeError as exc:
        raise DataError(pkg_path, f"not valid JSON ({exc})") from None
    name = str(pkg.get("worldbank", {}).get("indicator") or pkg.get("name", ""))
    if name.upper() != code:
        raise DataError(pkg_path, f"indicator {name!r} does not match the expected {code!r}")
    text = _read_text(data_path)
    if not text.endswith("\n"):
        raise DataError(data_path, "truncated: the file ends mid-line")
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise DataError(data_path, f"cannot parse CSV ({exc})") from None
    if list(df.columns) != _LONG_HEAD:
        raise DataError(data_path, f"expected columns {_LONG_HEAD}, found {list(df.columns)}")
    if df.empty:
        raise DataError(data_path, "no data rows after the header")
    df = df.rename(columns={"Country Code": "entity", "Year": "year"})
    year = pd.to_numeric(df["year"], errors="coerce")
    if year.isna().any():
        raise DataError(data_path, f"non-numeric year {df.loc[year.isna(), 'year'].iloc[0]!r}")
    df["year"] = year.astype("int64")
    empty = df["Value"].str.strip() == ""
    if empty.any():
        first_empty = df.loc[empty, ["entity", "year"]].iloc[0].tolist()
        raise DataError(data_path, f"empty value for {first_empty} (truncated row?)")
    df["value"] = _to_number(df["Value"], data_path, df[["entity", "year"]])
    _check_values(df, code, data_path, known)
    return _tidy(df, code, f"{SOURCE_DATAHUB} 2026-07-01")


def _tidy(df: pd.DataFrame, code: str, source: str) -> pd.DataFrame:
    return pd.DataFrame({
        "entity": df["entity"].to_numpy(), "indicator": code, "year": df["year"].to_numpy(),
        "value": df["value"].astype("float64").to_numpy(), "unit": INDICATORS[code][0], "source": source,
    })


def derive_gdp_ppp(pcap: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """GDP at PPP = GDP per capita at PPP x population, for every (entity, year) with both."""
    a = pcap[["entity", "year", "value"]].rename(columns={"value": "pc"})
    b = pop[["entity", "year", "value"]].rename(columns={"value": "pop"})
    m = a.merge(b, on=["entity", "year"], how="inner")
    m["value"] = m["pc"] * m["pop"]
    return _tidy(m, DERIVED_PPP, "WDI datahub 2026-07-01 derived")


# --- dataset builders -------------------------------------------------------------------

def _known(shared: Path) -> set[str]:
    return set(read_countries(Path(shared) / COUNTRY_META)["code"])


def _read_indicators(shared: Path, codes: list[str]) -> pd.DataFrame:
    shared = Path(shared)
    known = _known(shared)
    frames = []
    for code in codes:
        if code in ORIGINAL:
            frames.append(read_original(shared / WDI_DIR / ORIGINAL[code], known)[0])
        else:
            frames.append(read_datahub(shared / DATAHUB_DIR / code.lower(), code, known))
    return pd.concat(frames, ignore_index=True)


ECONOMY = ["SP.POP.TOTL", "NY.GDP.MKTP.CD", "NY.GDP.PCAP.CD", "NY.GDP.PCAP.PP.CD", "NY.GNP.MKTP.PP.CD"]
INNOVATION = ["GB.XPD.RSDV.GD.ZS", "SP.POP.SCIE.RD.P6", "IP.PAT.RESD", "IT.NET.USER.ZS",
              "EG.USE.ELEC.KH.PC", "SE.TER.ENRR", "BX.KLT.DINV.CD.WD", "SM.POP.NETM",
              "TX.VAL.TECH.CD", "IP.JRN.ARTC.SC"]


def build_economy(shared: Path) -> pd.DataFrame:
    """Tidy frame for ``wdi_economy`` (population, GDP, PPP and the derived GDP at PPP)."""
    shared = Path(shared)
    base = _read_indicators(shared, ECONOMY)
    known = _known(shared)
    pc = read_datahub(shared / DATAHUB_DIR / "ny.gdp.pcap.pp.cd", "NY.GDP.PCAP.PP.CD", known)
    pop = read_datahub(shared / DATAHUB_DIR / "sp.pop.totl", "SP.POP.TOTL", known)
    return validate_tidy(pd.concat([base, derive_gdp_ppp(pc, pop)], ignore_index=True), "wdi_economy")


def build_innovation(shared: Path) -> pd.DataFrame:
    """Tidy frame for ``wdi_innovation`` (R&D, researchers, patents, internet, ...)."""
    return validate_tidy(_read_indicators(shared, INNOVATION), "wdi_innovation")


def build_countries(shared: Path) -> pd.DataFrame:
    """Lookup table for ``wdi_countries`` (code, name, region, income_group, is_aggregate)."""
    return read_countries(Path(shared) / COUNTRY_META)


def _inputs(codes: list[str]) -> tuple[str, ...]:
    out = [COUNTRY_META]
    for c in codes:
        if c in ORIGINAL:
            out.append(f"{WDI_DIR}/{ORIGINAL[c]}")
        else:
            out += [f"{DATAHUB_DIR}/{c.lower()}/data.csv", f"{DATAHUB_DIR}/{c.lower()}/datapackage.json"]
    return tuple(out)


_COMMON_NOTES = (
    "Rows keep World Bank aggregate codes (WLD = World, etc.); use wdi_countries.is_aggregate "
    "to keep economies only. INX ('Not classified') counts as an aggregate.",
    "Original-layout files are preferred; the datahub.io long copies (snapshot 2026-07-01) are used "
    "only for indicators without an original file.",
)

DATASETS: list[Dataset] = [
    Dataset(
        name="wdi_economy",
        citation=("World Bank, World Development Indicators (release 2026-07-13; GDP at PPP derived from "
                  "the datahub.io copy of 2026-07-01)"),
        title="WDI: population, GDP (US$ and PPP), GNI PPP and derived GDP at PPP",
        publisher=PUBLISHER,
        licence=LICENCE,
        release=("2026-07-13 (SP.POP.TOTL, NY.GDP.*.CD); 2026-02-24 (NY.GDP.PCAP.PP.CD); "
                 "datahub 2026-07-01 (NY.GNP.MKTP.PP.CD, derived PPP)"),
        inputs=_inputs(ECONOMY) + (f"{DATAHUB_DIR}/ny.gdp.pcap.pp.cd/data.csv",
                                   f"{DATAHUB_DIR}/ny.gdp.pcap.pp.cd/datapackage.json",
                                   f"{DATAHUB_DIR}/sp.pop.totl/data.csv",
                                   f"{DATAHUB_DIR}/sp.pop.totl/datapackage.json"),
        build=build_economy,
        derivation=(f"{DERIVED_PPP} (GDP, PPP, current international $) = NY.GDP.PCAP.PP.CD x SP.POP.TOTL, "
                    "both from the same datahub 2026-07-01 snapshot (one release, one population base). "
                    "No original NY.GDP.MKTP.PP.CD file from a 2025-26 release was available. Per PROVENANCE "
                    "this reproduces the WB's own total to ~1e-15 for WLD and most countries, but not for RUS "
                    "(-1.7%), UKR, CYP, TZA, MAR, which the WB computes on a different population base."),
        notes=_COMMON_NOTES + (
            "NY.GDP.PCAP.PP.CD here is the original 2026-02-24 file; it differs from the datahub copy in 2 "
            "values (e.g. RUS 2024 47,405.0 vs 47,361.9). The derived PPP total uses the datahub copy.",),
    ),
    Dataset(
        name="wdi_innovation",
        citation="World Bank, World Development Indicators (releases 2026-02-24 to 2026-07-13)",
        title=("WDI: R&D, researchers, patents, internet, electricity, tertiary enrolment, FDI, migration, "
               "high-tech exports, articles"),
        publisher=PUBLISHER,
        licence=LICENCE,
        release="2026-07-13 / 2026-02-24 (original files, see each row's source); datahub 2026-07-01 for the rest",
        inputs=_inputs(INNOVATION),
        build=build_innovation,
        notes=_COMMON_NOTES + ("SE.TER.ENRR is a gross ratio and can exceed 100.",),
    ),
    TableDataset(
        name="wdi_countries",
        citation="World Bank, World Development Indicators country metadata (release 2026-07-13)",
        title="WDI country and aggregate codes with region and income group",
        publisher=PUBLISHER,
        licence=LICENCE,
        release="2026-07-13",
        inputs=(COUNTRY_META,),
        build=build_countries,
        notes=("is_aggregate is true where the WB gives no Region (47 aggregates incl. WLD) and for INX "
               "('Not classified', not in the metadata file).",),
        columns=("code", "name", "region", "income_group", "is_aggregate"),
    ),
]
