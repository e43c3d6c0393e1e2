"""CSET Emerging Technology Observatory AI publications by country and year (Our World in Data's copy).

Descriptions of the extract are in ``datasets.yml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.readers import (
    check_unique,
    file_label,
    map_countries,
    read_csv_checked,
    tidy_rows,
    to_number,
)
from bricsai.sources.tidy import Dataset, describe

CSET_PUBS_FILE = "ai/cset_eto/ai_publications_cset_owid.csv"  # relative to the raw data folder

CSET_PUBS_SOURCE = "CSET ETO via Our World in Data"
CSET_VALUE = "AI scholarly publications - Field: All"


def load_cset_publications(path: str | Path) -> pd.DataFrame:
    """``entity, year, value``: AI publications per country-year (whole counting).

    Countries are mapped from ``Entity`` and must agree with OWID's ``Code``. OWID aggregates
    keep their ``OWID_*`` codes, except World, which becomes ``WLD`` like every other world
    total here. CSET's own regional aggregates carry no code and are dropped.
    """
    file = file_label(path)
    raw = read_csv_checked(path, ["Entity", "Code", "Year", CSET_VALUE])
    check_unique(raw, ["Entity", "Year"], file)
    value = to_number(raw[CSET_VALUE], CSET_VALUE, file, lo=0)
    year = to_number(raw["Year"], "Year", file, 1900, 2100)
    iso = map_countries(raw["Entity"], "cset", file)
    code = raw["Code"].astype("string")
    clash = iso.notna() & code.notna() & ~code.str.startswith("OWID_") & (iso != code)
    if clash.any():
        i = clash[clash].index[0]
        raise DataError(file, f"{raw.at[i, 'Entity']!r} maps to {iso[i]} but OWID codes it {code[i]}")
    entity = iso.where(iso.notna(), code.where(code.str.startswith("OWID_", na=False)))
    out = pd.DataFrame({"entity": entity, "year": year.astype(int), "value": value})
    out = out[out["entity"].notna()]
    check_unique(out, ["entity", "year"], file)
    return out.reset_index(drop=True)


def build_cset_publications(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: CSET AI publications by country and year."""
    pubs = load_cset_publications(Path(raw_dir) / CSET_PUBS_FILE)
    return tidy_rows(pubs, "cset_ai_publications", "publications", CSET_PUBS_SOURCE)

CSET_PUBS_DATASET = describe(
    "cset_ai_publications",
    inputs=(CSET_PUBS_FILE,),
    build=build_cset_publications,
)

DATASETS: tuple[Dataset, ...] = (CSET_PUBS_DATASET,)
