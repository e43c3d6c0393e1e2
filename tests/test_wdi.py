"""WDI loaders: synthetic files in the WB's own layout, plus checks of the real files against an
independent reading with the csv module."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from bricsai.errors import DataError
from bricsai.paths import RAW
from bricsai.sources import wdi

SHARED = RAW  # the World Bank and IMF files are all in the repository


def wb_file(path: Path, code: str, rows: list[tuple[str, str, list[str]]], years=("2000", "2001", "2002")) -> Path:
    """Write a file laid out like the WB download: BOM, preamble, CRLF, trailing commas."""
    def q(cells):
        return ",".join(f'"{c}"' for c in cells) + ",\r\n"
    text = q(["Data Source", "World Development Indicators"]) + "\r\n"
    text += q(["Last Updated Date", "2026-07-13"]) + "\r\n"
    text += q(["Country Name", "Country Code", "Indicator Name", "Indicator Code", *years])
    for name, cc, vals in rows:
        text += q([name, cc, "Some indicator", code, *vals])
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


KNOWN = {"AAA", "BBB", "WLD"}


def test_original_layout_reads_values_and_drops_empty_cells(tmp_path):
    p = wb_file(tmp_path / "API_SP.POP.TOTL_DS2_en_csv_v2_1.csv", "SP.POP.TOTL",
                [("A", "AAA", ["1", "", "3.5"]), ("World", "WLD", ["10", "11", "12"])])
    df, updated = wdi.read_original(p, KNOWN)
    assert updated == "2026-07-13"
    got = {(r.entity, r.year): r.value for r in df.itertuples()}
    assert got == {("AAA", 2000): 1.0, ("AAA", 2002): 3.5,
                   ("WLD", 2000): 10.0, ("WLD", 2001): 11.0, ("WLD", 2002): 12.0}
    assert set(df["unit"]) == {"people"} and set(df["indicator"]) == {"SP.POP.TOTL"}


def test_original_rejects_bad_file_name(tmp_path):
    p = wb_file(tmp_path / "population.csv", "SP.POP.TOTL", [("A", "AAA", ["1", "2", "3"])])
    with pytest.raises(DataError, match="population.csv: file name"):
        wdi.read_original(p, KNOWN)


def test_original_rejects_percent_out_of_range(tmp_path):
    p = wb_file(tmp_path / "API_IT.NET.USER.ZS_DS2_en_csv_v2_1.csv", "IT.NET.USER.ZS",
                [("A", "AAA", ["1", "101", "3"])])
    with pytest.raises(DataError, match=r"API_IT.NET.USER.ZS.*above 100"):
        wdi.read_original(p, KNOWN)


def test_original_rejects_zero_population(tmp_path):
    p = wb_file(tmp_path / "API_SP.POP.TOTL_DS2_en_csv_v2_1.csv", "SP.POP.TOTL", [("A", "AAA", ["0", "1", "2"])])
    with pytest.raises(DataError, match="must be > 0"):
        wdi.read_original(p, KNOWN)


def test_net_flows_may_be_negative(tmp_path):
    (tmp_path / "sm.pop.netm").mkdir()
    (tmp_path / "sm.pop.netm" / "datapackage.json").write_text(
        '{"name": "sm.pop.netm", "worldbank": {"indicator": "sm.pop.netm"}}')
    (tmp_path / "sm.pop.netm" / "data.csv").write_text("Country Name,Country Code,Year,Value\r\nA,AAA,2000,-5\r\n")
    df = wdi.read_datahub(tmp_path / "sm.pop.netm", "SM.POP.NETM", KNOWN)
    assert df["value"].tolist() == [-5.0]


def test_datahub_duplicate_rows(tmp_path):
    d = tmp_path / "se.ter.enrr"
    d.mkdir()
    (d / "datapackage.json").write_text('{"name": "se.ter.enrr"}')
    (d / "data.csv").write_text("Country Name,Country Code,Year,Value\nA,AAA,2000,5\nA,AAA,2000,6\n")
    with pytest.raises(DataError, match=r"data.csv: duplicate rows"):
        wdi.read_datahub(d, "SE.TER.ENRR", KNOWN)


def test_country_metadata_flags_aggregates_and_adds_inx(tmp_path):
    p = tmp_path / "Metadata_Country_x.csv"
    p.write_bytes(b'\xef\xbb\xbf"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\r\n'
                  b'"AAA","Europe","High income","","A land",\r\n"WLD","","","","World",\r\n')
    c = wdi.read_countries(p).set_index("code")
    assert not c.loc["AAA", "is_aggregate"]
    assert c.loc["WLD", "is_aggregate"] and c.loc["INX", "is_aggregate"]


def test_derive_gdp_ppp_multiplies_matching_rows_only():
    pc = pd.DataFrame({"entity": ["A", "A", "B"], "year": [2000, 2001, 2000], "value": [2.0, 3.0, 4.0]})
    pop = pd.DataFrame({"entity": ["A", "B", "C"], "year": [2000, 2000, 2000], "value": [10.0, 5.0, 7.0]})
    d = wdi.derive_gdp_ppp(pc, pop).set_index("entity")["value"]
    assert d.to_dict() == {"A": 20.0, "B": 20.0}


# --- the real files ----------------------------------------------------------------------

def _csv_module_read(path: Path) -> dict[tuple[str, int], float]:
    """Independent reader for the WB layout: plain csv, no pandas."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[4]
    out = {}
    for r in rows[5:]:
        for y, v in zip(header[4:], r[4:], strict=True):
            if y and v:
                out[(r[1], int(y))] = float(v)
    return out


@pytest.mark.parametrize("code", sorted(wdi.ORIGINAL))
def test_real_original_files_match_independent_reading(code):
    path = SHARED / "wdi" / wdi.ORIGINAL[code]
    expected = _csv_module_read(path)
    known = set(wdi.read_countries(SHARED / wdi.COUNTRY_META)["code"])
    df, _ = wdi.read_original(path, known)
    got = dict(zip(zip(df["entity"], df["year"], strict=True), df["value"], strict=True))
    assert got == expected


def test_real_derived_ppp_equals_product_of_datahub_files():
    def read(folder):
        with open(SHARED / wdi.DATAHUB_DIR / folder / "data.csv", encoding="utf-8", newline="") as fh:
            return {(r["Country Code"], int(r["Year"])): float(r["Value"]) for r in csv.DictReader(fh)}
    pc, pop = read("ny.gdp.pcap.pp.cd"), read("sp.pop.totl")
    df = wdi.build_economy(SHARED)
    d = df[df["indicator"] == wdi.DERIVED_PPP]
    got = dict(zip(zip(d["entity"], d["year"], strict=True), d["value"], strict=True))
    assert set(got) == set(pc) & set(pop)
    for key in [("WLD", 2024), ("CHN", 2020), ("IND", 1995)]:
        assert math.isclose(got[key], pc[key] * pop[key], rel_tol=1e-15)


def test_real_countries_table():
    c = wdi.build_countries(SHARED)
    assert c["code"].is_unique
    eco = c[~c["is_aggregate"]]
    # PROVENANCE: 217 economies, 47 aggregates, plus INX (and FCS from the older release)
    assert len(eco) == 217
    assert {"WLD", "INX"} <= set(c.loc[c["is_aggregate"], "code"])
    assert {"CHN", "RUS", "BRA", "IND", "ZAF"} <= set(eco["code"])
