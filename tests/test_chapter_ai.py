"""The AI-capacity chapter: its small helpers on synthetic input, and the chapter's glued numbers
checked against the data layer's own arithmetic on the committed extracts.

Expected values are recomputed here from the extracts with the AI source modules' helpers
(never typed), so the tests stay true when the data are refreshed.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from ai_helpers import cluster_capacity_table, group_total, share_of_world

from bricsai.chapters import ai as chapter
from bricsai.errors import DataError
from bricsai.groups import blocs
from bricsai.paths import ROOT
from bricsai.present import ai_charts as charts
from bricsai.present.figures import RECORD_DIR
from bricsai.sources import epoch_models, eto, extracts, top500

NOTEBOOK = ROOT / "notebooks" / "ai_capacity.md"


def tidy(rows, indicator="x"):
    """A tidy frame from (entity, year, value) rows."""
    df = pd.DataFrame(rows, columns=["entity", "year", "value"])
    df["indicator"] = indicator
    df["unit"] = "u"
    df["source"] = "s"
    return df


# --------------------------------------------------------------------------------------------
# Small helpers of the chapter module and its charts, on synthetic input
# --------------------------------------------------------------------------------------------

def test_normalise_linear_log_constant_and_nan():
    frame = pd.DataFrame({"lin": [0.0, 5.0, 10.0], "log": [0.0, 9.0, 99.0], "flat": [2.0, 2.0, np.nan]})
    out = chapter.normalise(frame, ["log"])
    assert out["lin"].tolist() == [0.0, 0.5, 1.0]
    assert out["log"].tolist() == pytest.approx([0.0, 0.5, 1.0])  # log10(1+x): 0, 1, 2
    assert out["flat"].iloc[:2].tolist() == [0.5, 0.5] and np.isnan(out["flat"].iloc[2])
    with pytest.raises(DataError):
        chapter.normalise(pd.DataFrame({"log": [-1.0, 1.0]}), ["log"])


@pytest.mark.parametrize("x, text", [(1238989, "1.2M"), (106031, "106k"), (4408.8, "4.4k"), (12.3e9, "12bn"),
                                     (94.36, "94"), (2.41, "2.4"), (0, "0"), (np.nan, "n/a"), (None, "n/a")])
def test_compact(x, text):
    assert charts.compact(x) == text


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                     (12, "12th"), (13, "13th"), (21, "21st"), (22.0, "22nd"), (111, "111th")])
def test_ordinal(n, text):
    assert chapter.ordinal(n) == text


def test_total_counts_an_absent_member_as_zero():
    wide = pd.DataFrame({"A": [3.0, 5.0], "B": [1.0, 0.0], "WLD": [10.0, 20.0]}, index=[2020, 2021])
    assert chapter.total(wide, ["A", "B", "C"]).tolist() == [4.0, 5.0]
    assert chapter._share(wide, ["A", "B"], [2020, 2021]) == pytest.approx((3 + 1 + 5) / (10 + 20))


# --------------------------------------------------------------------------------------------
# The chapter's numbers against the data layer
# --------------------------------------------------------------------------------------------

# Read when a test needs them, not at import: a broken blocs.yml fails these tests with its
# message instead of stopping the whole test run at collection.
@pytest.fixture(scope="module")
def b10():
    return blocs.scenario("BRICS-10")


@pytest.fixture(scope="module")
def bx():
    return blocs.scenario("BRICS-10 excl. China")


@pytest.fixture(scope="module")
def models():
    return extracts.load("epoch_notable_models")


@pytest.fixture(scope="module")
def clusters():
    return extracts.load("epoch_gpu_clusters")


def latest_year(models):
    return int(models["year"].max()) - 1


def test_models_headline_numbers(glued, models, b10):
    year = latest_year(models)
    assert glued("ai-models-latest-year") == year
    whole = epoch_models.epoch_models_by_country(models, ["USA", "CHN"], "epoch_models", (year, year))
    assert glued("ai-us-models-latest") == whole.loc[year, "USA"]
    assert glued("ai-china-models-latest") == whole.loc[year, "CHN"]
    start = int(glued("ai-models-period-start"))
    china = group_total(models, "epoch_models_frac", ["CHN"], "CHN")
    bloc = group_total(models, "epoch_models_frac", b10, "BRICS-10")
    c = china[china.year.between(start, year)]["value"].sum()
    b = bloc[bloc.year.between(start, year)]["value"].sum()
    assert glued("ai-china-share-brics-models") == pytest.approx(100 * c / b)


def test_models_shares_of_world(glued, models):
    year = latest_year(models)
    shares = share_of_world(models, "epoch_models_frac", ["USA", "CHN"])
    s = shares[shares.year == year].set_index("entity")["share"]
    assert glued("ai-us-models-frac-share-latest") == pytest.approx(100 * s["USA"])
    assert glued("ai-china-models-frac-share-latest") == pytest.approx(100 * s["CHN"])
    ow = epoch_models.epoch_models_by_country(models, ["USA", "CHN"], "epoch_models_open_weights", (year, year))
    assert glued("ai-china-open-latest") == ow.loc[year, "CHN"]
    assert glued("ai-us-open-latest") == ow.loc[year, "USA"]


def test_gpu_capacity_numbers(glued, clusters, b10):
    year = int(clusters["year"].max()) - 1  # the newest year of the snapshot is partial: read end of the year before
    table = cluster_capacity_table(clusters, b10 + ["USA"], year)
    assert glued("ai-gpu-year") == year
    assert glued("ai-china-share-brics-h100e") == pytest.approx(
        100 * table.loc["CHN", "h100e"] / table.loc[b10, "h100e"].sum())
    assert glued("ai-russia-share-world-h100e") == pytest.approx(100 * table.loc["RUS", "share_h100e"])
    assert glued("ai-us-share-world-h100e") == pytest.approx(100 * table.loc["USA", "share_h100e"])
    assert glued("ai-rus-clusters") == table.loc["RUS", "clusters"]


def test_top500_numbers(glued):
    top = extracts.load("top500")
    systems, rmax = top500.top500_table(top, "systems"), top500.top500_table(top, "rmax")
    first, last = systems.columns[0], systems.columns[-1]
    assert glued("ai-china-top500-systems-first") == systems.loc["CHN", first]
    assert glued("ai-china-top500-systems-last") == systems.loc["CHN", last]
    assert glued("ai-us-top500-rmax-share-last") == pytest.approx(100 * rmax.loc["USA", last] / rmax.loc["WLD", last])
    assert glued("ai-rus-top500-systems-last") == systems.loc["RUS", last]


def test_publications_numbers(glued):
    pubs = extracts.load("cset_ai_publications")
    year = int(pubs["year"].max())
    s = share_of_world(pubs, "cset_ai_publications", ["CHN", "USA"])
    s = s[s.year == year].set_index("entity")["share"]
    assert glued("ai-pubs-latest-year") == year
    assert glued("ai-china-pubs-share-latest") == pytest.approx(100 * s["CHN"])
    assert glued("ai-us-pubs-share-latest") == pytest.approx(100 * s["USA"])


def test_chip_supply_numbers(glued, bx):
    table = eto.eto_share_table(extracts.load("eto_semiconductor_shares"), extracts.load("eto_semiconductor_inputs"))
    assert glued("ai-eto-n-items") == table["input_id"].nunique()
    assert glued("ai-eto-china-items") == table.loc[table.country == "CHN", "input_id"].nunique()
    assert glued("ai-eto-bx-items") == table.loc[table.country.isin(bx), "input_id"].nunique()
    design = table[(table.input_id == "S1") & (table.country == "USA")]["share"].iloc[0]
    assert glued("ai-eto-usa-design") == pytest.approx(100 * design)


def test_russia_investment_and_migration(glued):
    wdi = extracts.load("wdi_innovation")
    rus = wdi[(wdi.entity == "RUS") & (wdi.year >= 2010)]
    fdi = rus[rus.indicator == "BX.KLT.DINV.CD.WD"].set_index("year")["value"]
    mig = rus[rus.indicator == "SM.POP.NETM"].set_index("year")["value"]
    assert glued("ai-rus-fdi-first-negative") == fdi[fdi < 0].index.min()
    assert glued("ai-rus-fdi-latest") == pytest.approx(fdi.iloc[-1] / 1e9)
    assert glued("ai-rus-mig-2022") == pytest.approx(mig.loc[2022] / 1e3)
    assert glued("ai-rus-mig-latest-year") == mig.index.max()


def test_readiness_ranks(glued):
    gairi = extracts.load("oxford_gairi")
    rank = gairi[gairi.indicator == "oxford_gairi25_rank"].set_index("entity")["value"]
    assert glued("ai-rus-gairi25-rank") == rank["RUS"]
    r = int(rank["RUS"])
    suffix = "th" if 10 <= r % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(r % 10, "th")
    assert glued("ai-rus-gairi25-rank-ord") == f"{r}{suffix}"
    tort = extracts.load("tortoise_global_ai_index")
    trank = tort[tort.indicator == "tortoise_rank"].set_index("entity")["value"]
    assert glued("ai-rus-tortoise-rank") == trank["RUS"]


def test_every_glue_reference_was_glued(glued):
    text = NOTEBOOK.read_text(encoding="utf-8")
    keys = set(re.findall(r"\{glue:text\}`([a-z0-9\-]+)", text))
    assert keys and all(k.startswith("ai-") for k in keys)
    for key in sorted(keys):
        glued(key)  # raises KeyError if the notebook did not glue it


def test_figures_have_records_with_alt_text(built_book):
    text = NOTEBOOK.read_text(encoding="utf-8")
    names = re.findall(r":    name: (fig-[a-z0-9-]+)", text)
    assert len(names) == len(set(names)) >= 7
    for name in names:
        assert f"{{figsource}}`{name}`" in text, name
        record = json.loads((RECORD_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert len(record["alt"]) > 40 and re.search(r"\d", record["alt"]), name
        assert (RECORD_DIR / f"{name}.csv").exists(), name
