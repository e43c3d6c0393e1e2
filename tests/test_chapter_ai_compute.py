"""The AI chapter's compute module against independent computations written here.

Each expected value is computed in this file with plain pandas, from the committed extracts or
from the raw snapshot, never with the function the chapter used.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bricsai.chapters import ai
from bricsai.errors import DataError
from bricsai.groups import blocs
from bricsai.paths import RAW
from bricsai.sources import epoch_cluster_list, extracts

RAW_CLUSTERS = RAW / "ai" / "epoch_gpu_clusters" / "gpu_clusters.csv"
RAW_MODELS = RAW / "ai" / "epoch_notable_ai_models" / "notable_ai_models.csv"


def _value(extract, indicator, entity, year):
    df = extracts.load(extract)
    sel = df[(df["indicator"] == indicator) & (df["entity"] == entity) & (df["year"] == year)]
    return float(sel["value"].sum())


def _sum(extract, indicator, entities, year):
    df = extracts.load(extract)
    sel = df[(df["indicator"] == indicator) & df["entity"].isin(list(entities)) & (df["year"] == year)]
    return float(sel["value"].sum())


@pytest.fixture(scope="module")
def raw_clusters():
    raw = pd.read_csv(RAW_CLUSTERS)
    raw["when"] = pd.to_datetime(raw["First Operational Date"], errors="coerce")
    return raw


def test_periods_follow_the_extracts():
    p = ai.periods()
    models = extracts.load("epoch_notable_models")
    assert p["models"] == models["year"].max() - 1
    gpu = extracts.load("epoch_gpu_clusters")
    assert p["gpu"] == gpu["year"].max() - 1  # the newest GPU year is partial
    eco = extracts.load("wdi_economy")
    gdp = eco[(eco["indicator"] == "NY.GDP.MKTP.CD") & (eco["entity"] == "ETH")]
    assert p["economy"] <= gdp["year"].max()


def test_per_person_against_pandas():
    p = ai.periods()
    frame = ai.per_person().set_index("name")
    b10 = blocs.scenario("BRICS-10")
    pop = _sum("wdi_economy", "SP.POP.TOTL", b10, p["economy"])
    gpu = _sum("epoch_gpu_clusters", "epoch_gpu_h100e", b10, p["gpu"])
    pubs = _sum("cset_ai_publications", "cset_ai_publications", b10, p["pubs"])
    assert frame.loc["BRICS-10", "h100e_per_m"] == pytest.approx(gpu / (pop / 1e6))
    assert frame.loc["BRICS-10", "pubs_per_m"] == pytest.approx(pubs / (pop / 1e6))
    g7 = blocs.scenario("G7")
    models = _sum("epoch_notable_models", "epoch_models_frac", g7, p["models"])
    pop7 = _sum("wdi_economy", "SP.POP.TOTL", g7, p["economy"])
    assert frame.loc["G7", "models_per_100m"] == pytest.approx(models / pop7 * 1e8)
    gdp_us = _value("wdi_economy", "NY.GDP.MKTP.CD", "USA", p["economy"])
    gpu_us = _value("epoch_gpu_clusters", "epoch_gpu_h100e", "USA", p["gpu"])
    assert frame.loc["USA", "h100e_per_gdp_bn"] == pytest.approx(gpu_us / (gdp_us / 1e9))
    # The bloc chapter's headline: BRICS-5 just above 40 per cent of the world's people.
    wld = _value("wdi_economy", "SP.POP.TOTL", "WLD", p["economy"])
    b5 = _sum("wdi_economy", "SP.POP.TOTL", ["BRA", "RUS", "IND", "CHN", "ZAF"], p["economy"])
    assert frame.loc["BRICS-5", "population_m_share"] == pytest.approx(b5 / wld)


def test_china_share_over_time_against_pandas():
    frame = ai.china_share_over_time()
    b10 = blocs.scenario("BRICS-10")
    pubs = frame[frame["measure"] == "AI publications"].set_index("period")
    for year in (2016, 2024):
        expect = _value("cset_ai_publications", "cset_ai_publications", "CHN", year) / _sum(
            "cset_ai_publications", "cset_ai_publications", b10, year)
        assert pubs.loc[str(year), "share"] == pytest.approx(expect)
    top = extracts.load("top500")
    nov = top[(top["indicator"] == "top500_rmax_nov") & (top["year"] == 2025)]
    expect = nov.loc[nov["entity"] == "CHN", "value"].sum() / nov.loc[nov["entity"].isin(b10), "value"].sum()
    top500_share = frame.set_index(["measure", "period"]).loc[("TOP500 performance", "2025-11"), "share"]
    assert top500_share == pytest.approx(expect)
    # Partial years are flagged, and only the newest year of each Epoch file is.
    part = frame[frame["partial"]]
    assert set(part["measure"]) == {"Notable models", "GPU capacity"}
    assert part.groupby("measure")["period"].count().eq(1).all()


def test_rest_of_bloc_adds_up():
    frame = ai.rest_of_bloc().set_index("line")
    later = [c for c in blocs.scenario("BRICS-10") if c not in blocs.scenario("BRICS-5")]
    for col in ("AI publications", "GPU capacity", "TOP500 performance"):
        assert frame.iloc[0][col] + frame.loc[later, col].sum() == pytest.approx(
            frame.loc["BRICS-10 excl. China", col])
        assert frame.loc["BRICS-10 excl. China", col] + frame.loc["SAU", col] == pytest.approx(
            frame.loc["BRICS-10+SAU excl. China", col])
    p = ai.periods()
    india = _value("cset_ai_publications", "cset_ai_publications", "IND", p["pubs"])
    world = _value("cset_ai_publications", "cset_ai_publications", "WLD", p["pubs"])
    four = sum(_value("cset_ai_publications", "cset_ai_publications", c, p["pubs"])
               for c in ("BRA", "RUS", "IND", "ZAF"))
    assert frame.iloc[0]["AI publications"] == pytest.approx(four / world)
    assert india / world > 0.5 * four / world  # the rest of the bloc is mostly India


def test_compute_views_against_pandas():
    frame = ai.compute_views().set_index("name")
    top = extracts.load("top500")
    nov = top[(top["indicator"] == "top500_rmax_nov") & (top["year"] == 2025)].set_index("entity")["value"]
    assert frame.loc["USA", "top500_rmax_share"] == pytest.approx(nov["USA"] / nov["WLD"])
    sysn = top[(top["indicator"] == "top500_systems_nov") & (top["year"] == 2025)].set_index("entity")["value"]
    assert frame.loc["SAU", "top500_systems"] == sysn["SAU"]
    y = ai.periods()["gpu"]
    assert frame.loc["CHN", "gpu_h100e_share"] == pytest.approx(
        _value("epoch_gpu_clusters", "epoch_gpu_h100e", "CHN", y)
        / _value("epoch_gpu_clusters", "epoch_gpu_h100e", "WLD", y))


def test_epoch_headline_reproduced_from_the_raw_file(raw_clusters):
    """Epoch's data insight of 5 June 2025: US about three-quarters, China about 15% of AI
    supercomputer performance as of May 2025, for clusters with a known country, first
    operational date and 16-bit performance, operational since 2019."""
    r = raw_clusters
    keep = (r["Country"].notna() & r["when"].notna() & r["16-bit OP/s"].notna()
            & (r["when"] >= "2019-01-01") & (r["when"] <= "2025-05-31"))
    by = r[keep].groupby("Country")["H100 equivalents"].sum()
    us, cn = by["United States of America"] / by.sum(), by["China"] / by.sum()
    published = ai.published()["epoch_ai_supercomputer_shares"]["shares"]
    assert abs(us - published["USA"]["value"]) < 0.03, us
    assert abs(cn - published["CHN"]["value"]) < 0.02, cn
    # The chapter's first filter row is the same computation.
    row = ai.filter_steps("2025-05-31").iloc[0]
    assert row["USA"] == pytest.approx(us) and row["CHN"] == pytest.approx(cn)
    assert row["clusters"] == int(keep.sum())


def test_book_filter_matches_the_headline_extract():
    """The filter table's book row gives the shares of the epoch_gpu_clusters extract, which a
    different loader builds from the same raw file."""
    y = ai.periods()["gpu"]
    row = ai.filter_steps().set_index("step").iloc[4]
    world = _value("epoch_gpu_clusters", "epoch_gpu_h100e", "WLD", y)
    assert row["USA"] == pytest.approx(_value("epoch_gpu_clusters", "epoch_gpu_h100e", "USA", y) / world)
    assert row["CHN"] == pytest.approx(_value("epoch_gpu_clusters", "epoch_gpu_h100e", "CHN", y) / world)
    assert row["clusters"] == _value("epoch_gpu_clusters", "epoch_gpu_clusters", "WLD", y)


def test_single_cluster_step_moves_china_most(raw_clusters):
    steps = ai.filter_steps()
    drops = steps["CHN"].diff().iloc[1:4]
    assert drops.idxmin() == 2  # the "single cluster" row
    r = raw_clusters
    multi = r[(r["Country"] == "China") & (r["Single cluster?"] != "Yes") & (r["Status"] == "Existing")]
    assert multi["H100 equivalents"].sum() > 0


def test_model_revision_against_the_raw_file():
    raw = pd.read_csv(RAW_MODELS, usecols=["Publication date", "Country (of organization)"])
    raw = raw[pd.to_datetime(raw["Publication date"], errors="coerce").dt.year == 2024]
    countries = raw["Country (of organization)"].fillna("").str.split(",")
    us = countries.map(lambda cs: "United States of America" in [c.strip() for c in cs]).sum()
    cn = countries.map(lambda cs: "China" in [c.strip() for c in cs]).sum()
    rev = ai.model_revision().set_index("entity")
    assert rev.loc["USA", "epoch_now"] == us and rev.loc["CHN", "epoch_now"] == cn
    assert (rev["epoch_now"] > rev["ai_index"]).all()  # models added after the AI Index's snapshot


def test_cluster_list_extract_keeps_every_row(raw_clusters):
    rows = extracts.load("epoch_gpu_cluster_list")
    assert len(rows) == len(raw_clusters)
    assert rows["status"].value_counts().to_dict() == raw_clusters["Status"].value_counts().to_dict()


def test_cluster_list_refuses_an_unknown_status(tmp_path):
    raw = pd.read_csv(RAW_CLUSTERS).head(3)
    raw.loc[0, "Status"] = "Rumoured"
    bad = tmp_path / "gpu_clusters.csv"
    raw.to_csv(bad, index=False)
    with pytest.raises(DataError, match="gpu_clusters.csv.*Status"):
        epoch_cluster_list.load_cluster_list(bad)


def test_new_values_state_the_frames():
    v = ai.new_values()
    pp = ai.per_person().set_index("name")
    assert v["ai-pp-b10-h100e-per-m"] == pytest.approx(pp.loc["BRICS-10", "h100e_per_m"])
    assert v["ai-eh-pub-usa"] == "about three-quarters"
    assert all(isinstance(x, (float, str)) for x in v.values())


def test_notebook_is_thin():
    """The chapter notebook only calls the package: no definitions, dicts or asserts, and at
    most a quarter of its non-blank lines are code (fences included; cell options, which hold
    the figure captions, are prose and not counted as code)."""
    import re

    from bricsai.paths import ROOT

    text = (ROOT / "notebooks" / "ai_capacity.md").read_text(encoding="utf-8")
    body = text.split("---", 2)[2]
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", body, re.S)
    code = [ln for c in cells for ln in c.splitlines() if ln.strip() and not ln.startswith(":")]
    assert not [ln for ln in code if re.match(r"\s*(def|class|assert|lambda)\b", ln) or "lambda" in ln]
    assert not [ln for ln in code if re.search(r"=\s*\{|\bdict\(", ln)]
    total = len([ln for ln in body.splitlines() if ln.strip()])
    assert len(code) + 2 * len(cells) <= total / 4, (len(code), len(cells), total)
