"""IMF WEO DataMapper exports: the loader against a direct xlrd reading of the same cells."""

from __future__ import annotations

import pytest

from bricsai.errors import DataError
from bricsai.paths import RAW
from bricsai.sources import imf
from bricsai.sources.countries import to_iso3

SHARED = RAW  # the World Bank and IMF files are all in the repository


@pytest.fixture(scope="module")
def tidy():
    return imf.build(SHARED)


def _raw(name: str) -> dict[tuple[str, int], float]:
    import xlrd

    sh = xlrd.open_workbook(str(SHARED / "imf-weo" / name), ignore_workbook_corruption=True).sheet_by_index(0)
    years = [int(y) for y in sh.row_values(0)[1:]]
    out = {}
    for r in range(2, sh.nrows):
        row = sh.row_values(r)
        if not str(row[0]).strip() or str(row[0]).startswith("©"):
            continue
        for y, v in zip(years, row[1:], strict=True):
            if isinstance(v, float):
                out[(str(row[0]).strip(), y)] = v
    return out


@pytest.mark.parametrize("name", sorted(imf.FILES))
def test_values_equal_direct_cell_reading(tidy, name):
    indicator = imf.FILES[name][0]
    raw = _raw(name)
    mapping = to_iso3({k for k, _ in raw}, source="imf")
    expected = {(mapping[k], y): v for (k, y), v in raw.items()}
    sub = tidy[tidy["indicator"] == indicator]
    got = dict(zip(zip(sub["entity"], sub["year"], strict=True), sub["value"], strict=True))
    assert got == expected


def test_groups_have_imf_codes_and_world_exists(tidy):
    ents = set(tidy["entity"])
    groups = {e for e in ents if imf.is_group(e)}
    assert {"IMF_WORLD", "IMF_G7", "IMF_EU"} <= groups
    assert all(len(e) == 3 for e in ents - groups)
    assert {"CHN", "RUS", "IRN", "TUR", "XKX"} <= ents


def test_years_run_to_2030_and_projection_note(tidy):
    assert tidy["year"].max() == 2030
    assert imf.PROJECTION_FROM == 2025
    assert any("projection" in n for n in imf.DATASETS[0].notes)


def test_world_ppp_about_equals_sum_of_countries(tidy):
    """IMF world = sum of its economies (IMF covers ~all); checked independently of the book."""
    sub = tidy[(tidy["indicator"] == "PPPGDP") & (tidy["year"] == 2024)]
    countries = sub[~sub["entity"].map(imf.is_group)]["value"].sum()
    world = sub.loc[sub["entity"] == "IMF_WORLD", "value"].iloc[0]
    assert abs(countries / world - 1) < 0.01


def test_unexpected_file_name(tmp_path):
    p = tmp_path / "weo.xls"
    p.write_bytes(b"x")
    with pytest.raises(DataError, match="weo.xls: unexpected IMF file name"):
        imf.read_workbook(p)


def test_not_an_xls(tmp_path):
    p = tmp_path / "imf-dm-export-20251119_PPP.xls"
    p.write_bytes(b"this is not a workbook")
    with pytest.raises(DataError, match=r"_PPP.xls: cannot open"):
        imf.read_workbook(p)
