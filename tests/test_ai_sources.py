"""Tests for the AI-capacity loaders (the AI source modules in bricsai.sources).

Every expectation is computed from the small files written here into tmp_path, never taken
from the real data; the last tests only check that the real files (data/raw, or the committed fixtures where the
repository may not carry a file) build and stay tidy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ai_helpers import group_total, share_of_world

from bricsai.errors import DataError
from bricsai.sources import cset, epoch_clusters, epoch_models, eto, extracts, oxford, readers, top500, tortoise
from bricsai.sources.tidy import TIDY_COLUMNS, TableDataset, validate_tidy

AI_DATASETS = extracts.ai_datasets()
USA = "United States of America"


def value(tidy: pd.DataFrame, entity: str, indicator: str, year: int) -> float:
    """One value from a tidy frame; 0 when the row is absent (counts are emitted only if > 0)."""
    hit = tidy[(tidy.entity == entity) & (tidy.indicator == indicator) & (tidy.year == year)]
    assert len(hit) <= 1
    return float(hit.value.iloc[0]) if len(hit) else 0.0


def write_csv(path: Path, df: pd.DataFrame) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    return path


def assert_data_error(exc: pytest.ExceptionInfo, file: str, *words: str) -> None:
    """The error names the file and says what is wrong."""
    msg = str(exc.value)
    assert file in exc.value.source, msg
    for w in words:
        assert w.lower() in msg.lower(), msg


# --------------------------------------------------------------------------------------------
# Epoch notable models
# --------------------------------------------------------------------------------------------

MODELS = [
    # model, date, countries cell, compute, accessibility, frontier, open?
    ("A", "2020-03-01", "China,China", 1e22, "Open weights (unrestricted)", "", "Yes"),
    ("B", "2020-05-01", f"{USA},China,China", 1e23, "API access", "True", "No"),
    ("C", "2020-07-01", f"{USA},United Kingdom", 5e24, "Unreleased", "True", "No"),
    ("D", "2021-01-01", "Russia", 1e25, "", "", ""),
    ("E", "2021-02-01", "", np.nan, "Open weights (non-commercial)", "", ""),
    ("F", "2021-03-01", "Multinational", 2e25, "API access", "True", "No"),
    ("G", "2021-04-01", f"{USA},{USA}", np.nan, "", "", ""),
]


def models_frame(rows=MODELS) -> pd.DataFrame:
    df = pd.DataFrame(
        rows,
        columns=[
            "Model", "Publication date", "Country (of organization)", "Training compute (FLOP)",
            "Model accessibility", "Frontier model", "Open model weights?",
        ],
    )
    df["Organization"] = "x"  # an extra column, as in the real file
    return df


@pytest.fixture
def models_csv(tmp_path):
    return write_csv(tmp_path / "epoch" / "notable_ai_models.csv", models_frame())


def test_epoch_whole_and_fractional_counts(models_csv):
    models = epoch_models.load_epoch_models(models_csv)
    tidy = epoch_models.epoch_models_tidy(models)
    # Whole counting: once per distinct country, whatever the repeats in the cell.
    expected_whole: dict[tuple[str, int], int] = {}
    expected_frac: dict[tuple[str, int], float] = {}
    iso = {"China": "CHN", USA: "USA", "United Kingdom": "GBR", "Russia": "RUS"}
    for _, date, cell, *_ in MODELS:
        distinct = {iso[c] for c in cell.split(",") if c in iso}
        for c in distinct:
            key = (c, int(date[:4]))
            expected_whole[key] = expected_whole.get(key, 0) + 1
            expected_frac[key] = expected_frac.get(key, 0) + 1 / len(distinct)
    for (c, y), n in expected_whole.items():
        assert value(tidy, c, "epoch_models", y) == n
        assert value(tidy, c, "epoch_models_frac", y) == pytest.approx(expected_frac[(c, y)])
    # Fractional counts of a year add up to the models that have at least one country.
    for year in (2020, 2021):
        frac = tidy[(tidy.indicator == "epoch_models_frac") & (tidy.year == year) & (tidy.entity != "WLD")]
        attributed = sum(
            1 for _, d, cell, *_ in MODELS if d.startswith(str(year)) and any(c in iso for c in cell.split(","))
        )
        assert frac.value.sum() == pytest.approx(attributed)
        # The world counts every model once, with or without a country.
        assert value(tidy, "WLD", "epoch_models", year) == sum(1 for m in MODELS if m[1].startswith(str(year)))
    # Whole counts over countries can exceed the world total (collaborations).
    whole2020 = tidy[(tidy.indicator == "epoch_models") & (tidy.year == 2020) & (tidy.entity != "WLD")]
    assert whole2020.value.sum() > value(tidy, "WLD", "epoch_models", 2020)
    validate_tidy(tidy, "epoch test")


def test_epoch_thresholds_frontier_and_open_weights(models_csv):
    tidy = epoch_models.epoch_models_tidy(epoch_models.load_epoch_models(models_csv))
    frame = models_frame()
    compute = frame["Training compute (FLOP)"]
    for label, flop in (("1e23", 1e23), ("1e25", 1e25)):
        total = sum(value(tidy, "WLD", f"epoch_models_ge{label}flop", y) for y in (2020, 2021))
        assert total == (compute >= flop).sum()  # blanks never pass
    known = sum(value(tidy, "WLD", "epoch_models_compute_known", y) for y in (2020, 2021))
    assert known == compute.notna().sum()
    assert value(tidy, "USA", "epoch_models_frontier", 2020) == 2
    # Open weights from the Yes/No column, falling back on accessibility (model E).
    assert value(tidy, "WLD", "epoch_models_open_weights", 2020) == 1
    assert value(tidy, "WLD", "epoch_models_open_weights", 2021) == 1
    assert value(tidy, "WLD", "epoch_models_closed_weights", 2021) == 1  # F only; D and G unknown
    assert value(tidy, "CHN", "epoch_models_closed_weights", 2020) == 1


def test_epoch_missing_column(tmp_path):
    path = write_csv(tmp_path / "m.csv", models_frame().drop(columns="Country (of organization)"))
    with pytest.raises(DataError) as exc:
        epoch_models.load_epoch_models(path)
    assert_data_error(exc, "m.csv", "missing column", "Country (of organization)")


def test_epoch_unknown_country(tmp_path):
    rows = MODELS + [("H", "2021-05-01", "Atlantis", 1e20, "", "", "")]
    path = write_csv(tmp_path / "m.csv", models_frame(rows))
    with pytest.raises(DataError) as exc:
        epoch_models.load_epoch_models(path)
    assert_data_error(exc, "m.csv", "unknown country", "Atlantis")


def test_epoch_duplicate_rows(tmp_path):
    path = write_csv(tmp_path / "m.csv", models_frame(MODELS + [MODELS[0]]))
    with pytest.raises(DataError) as exc:
        epoch_models.load_epoch_models(path)
    assert_data_error(exc, "m.csv", "duplicate")


def test_epoch_non_numeric_compute(tmp_path):
    df = models_frame()
    df["Training compute (FLOP)"] = df["Training compute (FLOP)"].astype(object)
    df.loc[0, "Training compute (FLOP)"] = "lots"
    with pytest.raises(DataError) as exc:
        epoch_models.load_epoch_models(write_csv(tmp_path / "m.csv", df))
    assert_data_error(exc, "m.csv", "non-numeric", "lots")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError) as exc:
        epoch_models.load_epoch_models(path)
    assert_data_error(exc, "empty.csv", "empty")


def test_header_only_file(tmp_path):
    path = write_csv(tmp_path / "h.csv", models_frame().iloc[0:0])
    with pytest.raises(DataError) as exc:
        epoch_models.load_epoch_models(path)
    assert_data_error(exc, "h.csv", "no data rows")


# --------------------------------------------------------------------------------------------
# Epoch GPU clusters
# --------------------------------------------------------------------------------------------

CLUSTERS = [
    # name, status, country, h100e, date, include
    ("us1", "Existing", USA, 100.0, "2019-06-01", True),
    ("us2", "Existing", USA, 50.0, "2021-12-31", True),
    ("cn1", "Existing", "China", 30.0, "2020-01-15", True),
    ("cn2", "Existing", "China", np.nan, "2020-02-01", True),  # no H100e: counted, adds 0
    ("us3", "Planned", USA, 999.0, "2020-01-01", True),  # planned: excluded
    ("us4", "Existing", USA, 777.0, "2020-01-01", np.nan),  # outside standard analysis
    ("us5", "Existing", USA, 555.0, np.nan, True),  # no date: excluded
    ("xx1", "Existing", np.nan, 7.0, "2021-03-01", True),  # no country: world only
    ("Anonymized Chinese System", "Existing", "China", 5.0, "2021-01-01", True),
    ("Anonymized Chinese System", "Existing", "China", 5.0, "2021-01-01", True),
    ("ru1", "Decommissioned", "Russia", 10.0, "2019-01-01", True),
]


def clusters_frame(rows=CLUSTERS) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["Name", "Status", "Country", "H100 equivalents", "First Operational Date",
                 "Include in Standard Analysis"],
    )


def test_cumulative_cluster_capacity(tmp_path):
    path = write_csv(tmp_path / "gpu_clusters.csv", clusters_frame())
    tidy = epoch_clusters.epoch_clusters_tidy(epoch_clusters.load_epoch_clusters(path), years=range(2019, 2023))
    df = clusters_frame()
    keep = (df.Status == "Existing") & (df["Include in Standard Analysis"] == True) & df[  # noqa: E712
        "First Operational Date"
    ].notna()
    df = df[keep].assign(year=pd.to_datetime(df["First Operational Date"]).dt.year)
    iso = {USA: "USA", "China": "CHN"}
    for year in range(2019, 2023):
        live = df[df.year <= year]
        assert value(tidy, "WLD", "epoch_gpu_h100e", year) == live["H100 equivalents"].fillna(0).sum()
        assert value(tidy, "WLD", "epoch_gpu_clusters", year) == len(live)
        for name, code in iso.items():
            mine = live[live.Country == name]
            assert value(tidy, code, "epoch_gpu_h100e", year) == mine["H100 equivalents"].fillna(0).sum()
            assert value(tidy, code, "epoch_gpu_clusters", year) == len(mine)
    # Capacity never falls from one year end to the next.
    usa = tidy[(tidy.entity == "USA") & (tidy.indicator == "epoch_gpu_h100e")].sort_values("year")
    assert usa.value.is_monotonic_increasing
    assert value(tidy, "RUS", "epoch_gpu_clusters", 2022) == 0


def test_clusters_duplicate_named_rows(tmp_path):
    path = write_csv(tmp_path / "gpu_clusters.csv", clusters_frame(CLUSTERS + [CLUSTERS[0]]))
    with pytest.raises(DataError) as exc:
        epoch_clusters.load_epoch_clusters(path)
    assert_data_error(exc, "gpu_clusters.csv", "duplicate", "us1")


def test_clusters_bad_status(tmp_path):
    rows = CLUSTERS + [("z", "Rumoured", USA, 1.0, "2020-01-01", True)]
    with pytest.raises(DataError) as exc:
        epoch_clusters.load_epoch_clusters(write_csv(tmp_path / "gpu_clusters.csv", clusters_frame(rows)))
    assert_data_error(exc, "gpu_clusters.csv", "Status", "Rumoured")


# --------------------------------------------------------------------------------------------
# TOP500
# --------------------------------------------------------------------------------------------


def top500_agg_frame() -> pd.DataFrame:
    rows = []
    for lst, split in (("2024_06", (300, 150, 50)), ("2025_11", (320, 140, 40))):
        for country, n, r in zip(("United States", "China", "Russia"), split, (10.0, 2.5, 0.5), strict=True):
            rows.append((lst, country, n, n * r, n * r * 1.5, 0, 0.0))
    return pd.DataFrame(
        rows,
        columns=["list", "country", "systems", "rmax_pflops", "rpeak_pflops",
                 "systems_acad_research", "rmax_acad_research"],
    )


def test_top500_aggregates_tidy(tmp_path):
    src = top500_agg_frame()
    agg = top500.load_top500_aggregates(write_csv(tmp_path / "top500_country_aggregates.csv", src))
    tidy = top500.top500_tidy(agg)
    assert value(tidy, "WLD", "top500_systems_jun", 2024) == 500
    assert value(tidy, "WLD", "top500_systems_nov", 2025) == 500
    assert value(tidy, "CHN", "top500_systems_nov", 2025) == 140
    jun = src[src.list == "2024_06"]
    assert value(tidy, "WLD", "top500_rmax_jun", 2024) == pytest.approx(jun.rmax_pflops.sum())
    assert value(tidy, "USA", "top500_rpeak_jun", 2024) == pytest.approx(
        jun.loc[jun.country == "United States", "rpeak_pflops"].iloc[0]
    )
    validate_tidy(tidy, "top500 test")


def test_top500_list_not_500(tmp_path):
    src = top500_agg_frame()
    src.loc[0, "systems"] -= 1
    with pytest.raises(DataError) as exc:
        top500.load_top500_aggregates(write_csv(tmp_path / "top500_country_aggregates.csv", src))
    assert_data_error(exc, "top500_country_aggregates.csv", "2024_06", "499", "not 500")


def test_top500_duplicate_country(tmp_path):
    src = pd.concat([top500_agg_frame(), top500_agg_frame().iloc[[0]]])
    with pytest.raises(DataError) as exc:
        top500.load_top500_aggregates(write_csv(tmp_path / "agg.csv", src))
    assert_data_error(exc, "agg.csv", "duplicate")


def top500_sheet() -> pd.DataFrame:
    countries = ["United States"] * 200 + ["China"] * 150 + ["Russia"] * 100 + ["Brazil"] * 50
    rmax = np.linspace(1000.0, 2.0, 500)
    return pd.DataFrame(
        {"Rank": range(1, 501), "Name": "sys", "Country": countries,
         "Rmax [TFlop/s]": rmax, "Rpeak [TFlop/s]": rmax * 1.4}
    )


def test_top500_full_list_aggregation(tmp_path):
    sheet = top500_sheet()
    path = tmp_path / "june2025.xlsx"
    sheet.to_excel(path, sheet_name="65", index=False)
    agg = top500.aggregate_top500_list(top500.load_top500_list(path), "2025_06")
    assert agg.systems.sum() == 500
    assert agg.rmax.sum() == pytest.approx(sheet["Rmax [TFlop/s]"].sum() / 1000)
    chn = agg.set_index("entity").loc["CHN"]
    assert chn.systems == (sheet.Country == "China").sum()
    assert chn.rmax == pytest.approx(sheet.loc[sheet.Country == "China", "Rmax [TFlop/s]"].sum() / 1000)


def test_top500_wrong_sheet(tmp_path):
    path = tmp_path / "june2025.xlsx"
    top500_sheet().to_excel(path, sheet_name="Sheet1", index=False)
    with pytest.raises(DataError) as exc:
        top500.load_top500_list(path)
    assert_data_error(exc, "june2025.xlsx", "sheet '65' not found")


def test_top500_short_list(tmp_path):
    path = tmp_path / "june2025.xlsx"
    top500_sheet().iloc[:499].to_excel(path, sheet_name="65", index=False)
    with pytest.raises(DataError) as exc:
        top500.load_top500_list(path)
    assert_data_error(exc, "june2025.xlsx", "499 rows")


# --------------------------------------------------------------------------------------------
# Oxford Insights GAIRI
# --------------------------------------------------------------------------------------------

GAIRI_COUNTRIES = ["Russian Federation", USA, "Brazil"]


def write_gairi_2025(path: Path, bad_cell=None) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    total = [40.0, 80.0, 50.0]
    ranking = pd.DataFrame({"Ranking": [3, 1, 2], "Country": GAIRI_COUNTRIES, "Total Score": total})
    scores = pd.DataFrame({"Ranking": [3, 1, 2], "Country": GAIRI_COUNTRIES, "Total Score": total})
    scores[" "] = np.nan  # blank separator column
    for col in oxford.GAIRI25_PILLARS:
        scores[col] = rng.uniform(0, 100, 3).round(2)
    scores["  "] = np.nan
    for col in oxford.GAIRI25_DIMENSIONS:
        scores[col] = rng.uniform(0, 100, 3).round(2)
    if bad_cell:
        scores[bad_cell[0]] = scores[bad_cell[0]].astype(object)
        scores.loc[0, bad_cell[0]] = bad_cell[1]
    with pd.ExcelWriter(path) as xl:
        ranking.to_excel(xl, sheet_name="Global Rankings", index=False, startrow=1, startcol=1)
        scores.to_excel(xl, sheet_name="Dimensions-Pillars", index=False, startrow=1)
    return scores


def test_gairi_2025(tmp_path):
    path = tmp_path / "gairi2025.xlsx"
    scores = write_gairi_2025(path)
    wide = oxford.load_gairi_2025(path)
    tidy = readers.wide_to_tidy(wide, "t", {"rank": "rank", "*": "score (0-100)"})
    assert value(tidy, "RUS", "oxford_gairi25_total", 2025) == 40.0
    assert value(tidy, "USA", "oxford_gairi25_rank", 2025) == 1
    assert value(tidy, "BRA", "oxford_gairi25_dim_compute_capacity", 2025) == scores.loc[2, "Compute capacity"]
    assert value(tidy, "RUS", "oxford_gairi25_pillar_development_diffusion", 2025) == scores.loc[
        0, "Development & Diffusion"
    ]
    n_codes = 2 + len(oxford.GAIRI25_PILLARS) + len(oxford.GAIRI25_DIMENSIONS)
    assert tidy.indicator.nunique() == n_codes
    validate_tidy(tidy, "gairi test")


def test_gairi_non_numeric_score(tmp_path):
    path = tmp_path / "gairi2025.xlsx"
    write_gairi_2025(path, bad_cell=("Human capital", "n/a"))
    with pytest.raises(DataError) as exc:
        oxford.load_gairi_2025(path)
    assert_data_error(exc, "gairi2025.xlsx", "non-numeric", "Human capital")


def test_gairi_score_out_of_range(tmp_path):
    path = tmp_path / "gairi2025.xlsx"
    write_gairi_2025(path, bad_cell=("Resilience", 140))
    with pytest.raises(DataError) as exc:
        oxford.load_gairi_2025(path)
    assert_data_error(exc, "gairi2025.xlsx", "Resilience", "above 100")


def test_gairi_total_differs_between_sheets(tmp_path):
    path = tmp_path / "gairi2025.xlsx"
    write_gairi_2025(path, bad_cell=("Total Score", 41.5))  # ranking sheet says 40.0
    with pytest.raises(DataError) as exc:
        oxford.load_gairi_2025(path)
    assert_data_error(exc, "gairi2025.xlsx", "total score differs", "Russian Federation")


def test_gairi_2024(tmp_path):
    path = tmp_path / "gairi2024.xlsx"
    ranking = pd.DataFrame({"Rank": [2, 1], "Country": ["Russian Federation", USA], "2024 Total": [50.5, 87.0]})
    scores = pd.DataFrame({"Country": ["Russian Federation", USA], "Total": [50.5, 87.0], "Ranking": [2, 1]})
    for i, col in enumerate(oxford.GAIRI24_PILLARS + oxford.GAIRI24_DIMENSIONS):
        scores[col] = [float(i), 100.0 - i]
    with pd.ExcelWriter(path) as xl:
        ranking.to_excel(xl, sheet_name="Ranking", index=False)
        scores.to_excel(xl, sheet_name="Scores per pillar and dimension", index=False, startrow=1)
    tidy = readers.wide_to_tidy(oxford.load_gairi_2024(path), "t", {"rank": "rank", "*": "score (0-100)"})
    assert value(tidy, "RUS", "oxford_gairi24_total", 2024) == 50.5
    assert value(tidy, "RUS", "oxford_gairi24_rank", 2024) == 2
    assert value(tidy, "USA", "oxford_gairi24_dim_human_capital", 2024) == scores.loc[1, "Human Capital"]
    # The two editions never share an indicator code.
    assert not any(code.startswith("oxford_gairi25") for code in tidy.indicator)


def test_gairi_2024_wrong_sheet(tmp_path):
    path = tmp_path / "gairi2024.xlsx"
    pd.DataFrame({"Rank": [1], "Country": [USA], "2024 Total": [80.0]}).to_excel(
        path, sheet_name="Rankings", index=False
    )
    with pytest.raises(DataError) as exc:
        oxford.load_gairi_2024(path)
    assert_data_error(exc, "gairi2024.xlsx", "sheet 'Ranking' not found")


# --------------------------------------------------------------------------------------------
# Tortoise
# --------------------------------------------------------------------------------------------


def tortoise_frame() -> pd.DataFrame:
    df = pd.DataFrame({"Country": [USA, "China", "Russia", "South Africa"]})
    for i, col in enumerate(tortoise.TORTOISE_SCORES):
        df[col] = [100.0, 60.0 + i, 20.0, 20.0]
    df["Region"] = "x"
    return df


def test_tortoise_scores_and_derived_rank(tmp_path):
    src = tortoise_frame()
    wide = tortoise.load_tortoise(write_csv(tmp_path / "AI_index_db.csv", src))
    tidy = readers.wide_to_tidy(wide, "t", {"rank": "rank", "*": "score (0-100)"})
    expected_rank = src["Total score"].rank(ascending=False, method="min")
    for _country, code, rank in zip(src.Country, ["USA", "CHN", "RUS", "ZAF"], expected_rank, strict=True):
        assert value(tidy, code, "tortoise_rank", 2021) == rank
    assert value(tidy, "RUS", "tortoise_rank", 2021) == value(tidy, "ZAF", "tortoise_rank", 2021)  # tie
    assert value(tidy, "CHN", "tortoise_government_strategy", 2021) == src.loc[1, "Government Strategy"]


def test_tortoise_non_numeric_score(tmp_path):
    src = tortoise_frame().astype({"Talent": object})
    src.loc[2, "Talent"] = "high"
    with pytest.raises(DataError) as exc:
        tortoise.load_tortoise(write_csv(tmp_path / "AI_index_db.csv", src))
    assert_data_error(exc, "AI_index_db.csv", "non-numeric", "Talent", "high")


def test_tortoise_unknown_country(tmp_path):
    src = tortoise_frame()
    src.loc[3, "Country"] = "Wakanda"
    with pytest.raises(DataError) as exc:
        tortoise.load_tortoise(write_csv(tmp_path / "AI_index_db.csv", src))
    assert_data_error(exc, "AI_index_db.csv", "unknown country", "Wakanda")


# --------------------------------------------------------------------------------------------
# CSET publications (OWID)
# --------------------------------------------------------------------------------------------


def cset_frame() -> pd.DataFrame:
    rows = [
        ("China", "CHN", 2020, 100), ("China", "CHN", 2021, 120),
        ("Russia", "RUS", 2020, 10), ("World", "OWID_WRL", 2020, 300),
        ("Africa", "OWID_AFR", 2020, 5), ("Africa (CSET)", None, 2020, 6),
    ]
    return pd.DataFrame(rows, columns=["Entity", "Code", "Year", cset.CSET_VALUE])


def test_cset_publications(tmp_path):
    pubs = cset.load_cset_publications(write_csv(tmp_path / "pubs.csv", cset_frame()))
    got = {(e, y): v for e, y, v in pubs.itertuples(index=False)}
    assert got == {("CHN", 2020): 100, ("CHN", 2021): 120, ("RUS", 2020): 10,
                   ("WLD", 2020): 300, ("OWID_AFR", 2020): 5}


def test_cset_code_mismatch(tmp_path):
    df = cset_frame()
    df.loc[2, "Code"] = "RUT"
    with pytest.raises(DataError) as exc:
        cset.load_cset_publications(write_csv(tmp_path / "pubs.csv", df))
    assert_data_error(exc, "pubs.csv", "Russia", "RUT")


def test_cset_negative_count(tmp_path):
    df = cset_frame()
    df.loc[0, cset.CSET_VALUE] = -1
    with pytest.raises(DataError) as exc:
        cset.load_cset_publications(write_csv(tmp_path / "pubs.csv", df))
    assert_data_error(exc, "pubs.csv", "below 0")


# --------------------------------------------------------------------------------------------
# ETO semiconductor supply chain
# --------------------------------------------------------------------------------------------


def write_eto(folder: Path, shares=("60%", "30%", "10%")) -> Path:
    write_csv(folder / "providers.csv", pd.DataFrame(
        [("USA", "P1", "country", None), ("CHN", "P2", "country", None), ("Various", "P5", "country", None),
         ("MAL", "P46", "country", None), ("Intel", "P9", "organization", "USA")],
        columns=["provider_name", "provider_id", "provider_type", "country"]))
    write_csv(folder / "provision.csv", pd.DataFrame(
        [("USA", "P1", "Tool", "N2", shares[0], None), ("CHN", "P2", "Tool", "N2", shares[1], None),
         ("Various", "P5", "Tool", "N2", shares[2], None), ("MAL", "P46", "Tool", "N2", None, "negligible"),
         ("USA", "P1", "Design", "S1", "90%", None), ("Intel", "P9", "Tool", "N2", None, None),
         ("Intel", "P9", "Tool", "N2", None, None)],
        columns=["provider_name", "provider_id", "provided_name", "provided_id", "share_provided",
                 "negligible_market_share"]))
    write_csv(folder / "inputs.csv", pd.DataFrame(
        [("Design process", "N1", "process", "Design"), ("Tool", "N2", "tool_resource", None)],
        columns=["input_name", "input_id", "type", "stage_name"]))
    write_csv(folder / "stages.csv", pd.DataFrame([("S1", "Design")], columns=["stage_id", "stage_name"]))
    write_csv(folder / "sequence.csv", pd.DataFrame(
        [("Tool", "N2", "Design process", "N1", None, None)],
        columns=["input_name", "input_id", "goes_into_name", "goes_into_id", "is_type_of_name", "is_type_of_id"]))
    return folder


def test_eto_shares_and_table(tmp_path):
    tables = eto.load_eto(write_eto(tmp_path / "eto"))
    tidy = eto.eto_tidy(tables["shares"])
    assert value(tidy, "USA", "eto_share:N2", 2021) == pytest.approx(0.60)
    assert value(tidy, "CHN", "eto_share:N2", 2021) == pytest.approx(0.30)
    assert value(tidy, "USA", "eto_share:S1", 2021) == pytest.approx(0.90)
    assert set(tidy.entity) == {"USA", "CHN"}  # Various dropped; MYS has no percentage
    validate_tidy(tidy, "eto test")
    table = eto.eto_share_table(tidy, tables["inputs"], tables["stages"])
    assert list(table.columns) == ["input_id", "input", "type", "stage", "country", "share"]
    tool = table[table.input_id == "N2"]
    assert list(tool.country) == ["USA", "CHN"]  # largest share first
    assert set(tool.stage) == {"Design"}  # inherited through sequence.csv
    assert table.loc[table.input_id == "S1", "type"].iloc[0] == "stage"


def test_eto_inputs_table_names_every_share(tmp_path):
    tables = eto.load_eto(write_eto(tmp_path / "eto"))
    names = eto.eto_inputs_table(tables["inputs"], tables["stages"])
    assert tuple(names.columns) == eto.ETO_INPUT_COLUMNS
    assert list(names.input_id) == ["S1", "N1", "N2"]  # stages first, then natural order
    row = names.set_index("input_id")
    assert row.loc["S1", "type"] == "stage" and row.loc["S1", "stage"] == "Design"
    assert row.loc["N2", "input_name"] == "Tool" and row.loc["N2", "stage"] == "Design"  # via sequence.csv
    tidy = eto.eto_tidy(tables["shares"])
    ids = set(tidy.indicator.str.split(":").str[1])
    assert ids <= set(names.input_id)


def test_eto_share_table_from_extracts_equals_from_raw(tmp_path):
    """The two committed extracts give the same table as the raw files."""
    folder = write_eto(tmp_path / "eto")
    tables = eto.load_eto(folder)
    tidy = validate_tidy(eto.eto_tidy(tables["shares"]), "eto test")
    names = eto.eto_inputs_table(tables["inputs"], tables["stages"])
    # round-trip through CSV as the extract builder writes and extracts.load reads
    names_csv = tmp_path / "names.csv"
    names.to_csv(names_csv, index=False)
    names = pd.read_csv(names_csv, keep_default_na=False)
    tidy = tidy.astype({"indicator": "category"})
    from_extracts = eto.eto_share_table(tidy, names)
    from_raw = eto.eto_share_table(eto.eto_tidy(tables["shares"]), tables["inputs"], tables["stages"])
    pd.testing.assert_frame_equal(from_extracts, from_raw)
    only_usa = eto.eto_share_table(tidy, names, entities=["USA"])
    assert set(only_usa.country) == {"USA"}


def test_eto_share_table_unknown_id(tmp_path):
    tables = eto.load_eto(write_eto(tmp_path / "eto"))
    names = eto.eto_inputs_table(tables["inputs"], tables["stages"])
    with pytest.raises(DataError, match="N2"):
        eto.eto_share_table(eto.eto_tidy(tables["shares"]), names[names.input_id != "N2"])


def test_eto_stage_matrix(tmp_path):
    tables = eto.load_eto(write_eto(tmp_path / "eto"))
    names = eto.eto_inputs_table(tables["inputs"], tables["stages"])
    table = eto.eto_share_table(eto.eto_tidy(tables["shares"]), names)
    m = eto.eto_stage_matrix(table, names, ["N2", "S1", "N1"], ["USA", "CHN", "RUS"])
    assert list(m.columns) == ["input_id", "input", "stage", "USA", "CHN", "RUS"]
    assert list(m.input_id) == ["N2", "S1", "N1"]
    assert m.set_index("input_id").loc["N2", "CHN"] == pytest.approx(0.30)
    assert (m["RUS"] == 0).all()  # no share = supplies none
    assert (m.set_index("input_id").loc["N1", ["USA", "CHN"]] == 0).all()  # named but no shares
    with pytest.raises(DataError, match="N404"):
        eto.eto_stage_matrix(table, names, ["N404"], ["USA"])


def test_eto_bad_percentage(tmp_path):
    with pytest.raises(DataError) as exc:
        eto.load_eto(write_eto(tmp_path / "eto", shares=("60%", "about 30", "10%")))
    assert_data_error(exc, "provision.csv", "not a percentage", "about 30")


def test_eto_shares_above_100(tmp_path):
    with pytest.raises(DataError) as exc:
        eto.load_eto(write_eto(tmp_path / "eto", shares=("90%", "80%", "10%")))
    assert_data_error(exc, "provision.csv", "N2", "more than 110%")


def test_eto_missing_file(tmp_path):
    folder = write_eto(tmp_path / "eto")
    (folder / "stages.csv").unlink()
    with pytest.raises(DataError) as exc:
        eto.load_eto(folder)
    assert_data_error(exc, "stages.csv", "not found")


# --------------------------------------------------------------------------------------------
# Convenience functions
# --------------------------------------------------------------------------------------------


def test_convenience_functions(models_csv):
    tidy = epoch_models.epoch_models_tidy(epoch_models.load_epoch_models(models_csv))
    table = epoch_models.epoch_models_by_country(tidy, ["USA", "CHN", "IND", "WLD"], years=(2019, 2021))
    assert list(table.index) == [2019, 2020, 2021]
    assert table.loc[2019].sum() == 0 and table.loc[2020, "IND"] == 0
    assert table.loc[2020, "CHN"] == value(tidy, "CHN", "epoch_models", 2020)
    shares = share_of_world(tidy, "epoch_models", ["CHN"])
    row = shares[shares.year == 2020].iloc[0]
    assert row.share == pytest.approx(
        value(tidy, "CHN", "epoch_models", 2020) / value(tidy, "WLD", "epoch_models", 2020)
    )
    grp = group_total(tidy, "epoch_models_frac", ["CHN", "RUS"], "BRICS")
    assert grp.set_index("year").loc[2021, "value"] == value(tidy, "RUS", "epoch_models_frac", 2021)


# --------------------------------------------------------------------------------------------
# The real data
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", AI_DATASETS, ids=lambda d: d.name)
def test_real_dataset_builds(dataset, raw_dir):
    for rel in dataset.inputs:
        assert (raw_dir / rel).is_file(), rel
    if isinstance(dataset, TableDataset):
        table = dataset.build(raw_dir)
        assert tuple(table.columns) == dataset.columns and not table.empty
    else:
        tidy = validate_tidy(dataset.build(raw_dir), dataset.name)
        assert list(tidy.columns) == TIDY_COLUMNS
    assert dataset.publisher and dataset.licence and dataset.release and dataset.derivation
    assert dataset.citation


def test_real_eto_inputs_name_every_share(raw_dir):
    names = eto.build_eto_inputs(raw_dir)
    shares = eto.build_eto(raw_dir)
    assert eto.ETO_INPUTS_DATASET in AI_DATASETS
    assert set(shares.indicator.str.split(":").str[1]) <= set(names.input_id)
    assert set(names.loc[names.type == "stage", "input_id"]) == {"S1", "S2", "S3"}
    table = eto.eto_share_table(shares, names)
    assert len(table) == len(shares) and table["input"].notna().all()


def test_dataset_names_unique():
    names = [d.name for d in AI_DATASETS]
    assert len(names) == len(set(names))


def test_real_june2025_list_is_consistent(raw_dir):
    path = raw_dir / top500.TOP500_JUN2025_FILE
    systems = top500.load_top500_list(path)
    agg = top500.aggregate_top500_list(systems, "2025_06")
    assert agg.systems.sum() == 500 == len(systems)
    assert agg.rmax.sum() == pytest.approx(systems.rmax.sum())
    raw = pd.read_excel(path, sheet_name="65")
    assert agg.rmax.sum() == pytest.approx(raw["Rmax [TFlop/s]"].sum() / 1000)
