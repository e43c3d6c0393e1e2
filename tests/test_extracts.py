"""Extract builder: determinism, committed files equal a fresh build, metadata, readers."""

from __future__ import annotations

import hashlib
import sys
import types

import pytest

from bricsai.errors import DataError
from bricsai.paths import EXTRACTS, RAW
from bricsai.sources import extracts, imf, wdi

SHARED = RAW  # the World Bank and IMF files are all in the repository
MINE = list(wdi.DATASETS) + list(imf.DATASETS)


def test_two_builds_are_byte_identical(tmp_path):
    a, b = tmp_path / "a" / "x", tmp_path / "b" / "x"
    extracts.build(SHARED, a, datasets=MINE)
    extracts.build(SHARED, b, datasets=MINE)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert len(files) == 2 * len(MINE)
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_committed_extracts_equal_fresh_build():
    assert extracts.verify(SHARED, EXTRACTS, datasets=MINE) == []


def test_metadata_records_inputs_with_sha256(tmp_path):
    out = tmp_path / "x"
    extracts.build(SHARED, out, datasets=MINE)
    for ds in MINE:
        meta = extracts.metadata(ds.name, out)
        assert meta["publisher"] and meta["licence"] and meta["release"]
        assert [i["path"] for i in meta["inputs"]] == list(ds.inputs)
        for i in meta["inputs"]:
            assert i["sha256"] == hashlib.sha256((SHARED / i["path"]).read_bytes()).hexdigest()
        csv_bytes = (out / f"{ds.name}.csv").read_bytes()
        assert meta["csv_sha256"] == hashlib.sha256(csv_bytes).hexdigest()
        assert meta["rows"] == csv_bytes.count(b"\n") - 1
        assert b"\r" not in csv_bytes
    assert "DERIVED" in extracts.metadata("wdi_economy", out)["derivation"] or \
        wdi.DERIVED_PPP in extracts.metadata("wdi_economy", out)["derivation"]


def test_successful_build_replaces_files(tmp_path):
    out = tmp_path / "x"
    out.mkdir()
    (out / "wdi_countries.csv").write_text("old")
    extracts.build(SHARED, out, datasets=[wdi.DATASETS[2]])
    assert (out / "wdi_countries.csv").read_text().startswith("code,name,region")


def test_load_indicator_and_economies():
    df = extracts.load("wdi_economy")
    assert list(df.columns) == ["entity", "indicator", "year", "value", "unit", "source"]
    assert extracts.load("wdi_economy") is not extracts.load("wdi_economy")  # copies, cache safe
    pop = extracts.indicator("SP.POP.TOTL", entities=["CHN"], years=[2020])
    assert len(pop) == 1 and pop["value"].iloc[0] > 1e9
    eco = extracts.economies()
    assert "WLD" not in eco and "INX" not in eco and "CHN" in eco


def test_loaded_values_equal_fresh_build_values():
    """The CSV float format keeps every value to 15 significant digits."""
    fresh = wdi.build_innovation(SHARED)
    loaded = extracts.load("wdi_innovation")
    assert (fresh["value"].to_numpy() == loaded["value"].to_numpy()).all()


# Population: WLD is the 217 economies plus Taiwan, China, which the WB counts in its aggregates
# but does not publish as an economy (about 23 million people, 0.28-0.38% of the world since
# 1990). So the sum of economies falls short of WLD by that much; 0.5% is the stated tolerance.
POPULATION_RTOL = 0.005


def _economies_vs_world(df, economies, indicator, year):
    row = df[(df["indicator"] == indicator) & (df["year"] == year)].set_index("entity")["value"]
    vals = row.reindex(economies)
    return float(vals.sum()), float(row["WLD"]), list(vals.index[vals.isna()])


def test_sum_of_economies_matches_world_population():
    """WLD = economies + Taiwan (not a WDI economy): gap positive and under 0.5% every year."""
    df = extracts.load("wdi_economy")
    eco = extracts.economies()
    years = range(1990, int(df.loc[df["indicator"] == "SP.POP.TOTL", "year"].max()) + 1)
    for y in years:
        total, world, missing = _economies_vs_world(df, eco, "SP.POP.TOTL", y)
        assert missing == [], (y, missing)
        assert 0 < (world - total) / world < POPULATION_RTOL, y


def test_gdp_economies_vs_world_gap_is_reported():
    df = extracts.load("wdi_economy")
    total, world, _ = _economies_vs_world(df, extracts.economies(), "NY.GDP.MKTP.CD", 2023)
    assert world > total > 0 and (world - total) <= 0.05 * world


def test_every_source_module_contributes_its_datasets():
    names = [d.name for d in extracts.all_datasets()]
    assert names[: len(MINE)] == [d.name for d in MINE]
    assert [d.name for d in extracts.all_datasets(include_ai=False)] == [d.name for d in MINE]
    assert names[len(MINE):] == [d.name for d in extracts.ai_datasets()]
    assert len(names) == len(set(names)) == len(extracts.available())


def test_a_module_without_datasets_stops_the_build(monkeypatch):
    broken = types.ModuleType("bricsai.sources.tortoise")  # exists, but has no DATASETS
    monkeypatch.setitem(sys.modules, "bricsai.sources.tortoise", broken)
    with pytest.raises(AttributeError):
        extracts.all_datasets()


def test_dataset_prose_comes_from_datasets_yml(tmp_path, monkeypatch):
    from bricsai.sources import tidy, tortoise

    assert tortoise.TORTOISE_DATASET.title.startswith("Tortoise Global AI Index")
    bad = tmp_path / "datasets.yml"
    bad.write_text("tortoise_global_ai_index:\n  title: T\n  publisher: P\n  licence: L\n  release: R\n"
                   "  notes: not a list\n", encoding="utf-8")
    monkeypatch.setattr(tidy, "DESCRIPTIONS", bad)
    tidy._descriptions.cache_clear()
    try:
        with pytest.raises(DataError, match="tortoise_global_ai_index: field 'notes' must be a list"):
            tidy.describe("tortoise_global_ai_index", inputs=(), build=lambda d: None)
        with pytest.raises(DataError, match="no description for dataset 'nothing'"):
            tidy.describe("nothing", inputs=(), build=lambda d: None)
    finally:
        tidy._descriptions.cache_clear()
