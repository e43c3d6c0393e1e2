"""Oxford Insights, Government AI Readiness Index (GAIRI), 2024 and 2025 editions.

The two editions use different frameworks, hence separate indicator codes. Descriptions of the
extract are in ``datasets.yml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.readers import (
    check_unique,
    file_label,
    map_countries,
    read_sheet_checked,
    slug,
    to_number,
    wide_to_tidy,
)
from bricsai.sources.tidy import Dataset, describe

# Relative to the raw data folder.
GAIRI_2025_FILE = "ai/oxford_insights_gairi/2025-Government-AI-Readiness-Index-data-1.xlsx"
GAIRI_2024_FILE = "ai/oxford_insights_gairi/2024-GAIRI-data.xlsx"

GAIRI_SOURCE = "Oxford Insights GAIRI"
GAIRI25_PILLARS = [
    "Policy Capacity", "AI Infrastructure", "Governance", "Public Sector Adoption",
    "Development & Diffusion", "Resilience",
]
GAIRI25_DIMENSIONS = [
    "Policy vision", "Policy commitment", "Compute capacity", "Enabling technical infrastructure",
    "Data quality", "Governance principles", "Regulatory compliance", "Government digital policy",
    "e-Government delivery", "Human capital", "AI sector maturity", "AI technology diffusion",
    "Societal transition", "Safety and security",
]
GAIRI24_PILLARS = ["Government", "Technology Sector", "Data and Infrastructure"]
GAIRI24_DIMENSIONS = [
    "Vision", "Governance and Ethics", "Digital Capacity", "Adaptability", "Maturity",
    "Innovation Capacity", "Human Capital", "Infrastructure", "Data Availability",
    "Data Representativeness",
]


def _gairi_frame(
    ranking: pd.DataFrame, scores: pd.DataFrame, cols: dict[str, str], edition: int, where: str
) -> pd.DataFrame:
    """Join one edition's ranking and score sheets into ``entity, year, <code>...`` (wide)."""
    check_unique(ranking, ["Country"], where)
    check_unique(scores, ["Country"], where)
    out = pd.DataFrame({"Country": ranking["Country"]})
    out[f"oxford_gairi{edition % 100}_total"] = to_number(ranking[cols["total"]], cols["total"], where, 0, 100)
    out[f"oxford_gairi{edition % 100}_rank"] = to_number(ranking[cols["rank"]], cols["rank"], where, 1)
    wide = scores.set_index("Country")
    for kind, names in (("pillar", cols["pillars"]), ("dim", cols["dimensions"])):
        for name in names:
            code = f"oxford_gairi{edition % 100}_{kind}_{slug(name)}"
            values = to_number(wide[name], name, where, 0, 100)
            out[code] = out["Country"].map(values)
    missing = out.isna().any(axis=1)
    if missing.any():
        raise DataError(where, f"country {out.loc[missing, 'Country'].iloc[0]!r} lacks pillar or dimension scores")
    out["entity"] = map_countries(out["Country"], "oxford", where)
    out["year"] = edition
    return out.drop(columns="Country")


def load_gairi_2025(path: str | Path) -> pd.DataFrame:
    """GAIRI 2025, wide: one row per country, columns ``oxford_gairi25_*`` (0–100, rank)."""
    file = file_label(path)
    ranking = read_sheet_checked(path, "Global Rankings", 1, ["Ranking", "Country", "Total Score"])
    scores = read_sheet_checked(
        path, "Dimensions-Pillars", 1, ["Country", "Total Score", *GAIRI25_PILLARS, *GAIRI25_DIMENSIONS]
    )
    # Both sheets carry the total; a disagreement means one of them was edited.
    total = to_number(scores["Total Score"], "Total Score", f"{file} [Dimensions-Pillars]", 0, 100)
    ranked = to_number(ranking["Total Score"], "Total Score", f"{file} [Global Rankings]", 0, 100)
    both = pd.Series(ranked.values, index=ranking["Country"])
    diff = (both - pd.Series(total.values, index=scores["Country"])).abs()
    if (diff > 0.01).any():
        raise DataError(file, f"total score differs between sheets for {diff[diff > 0.01].index[0]!r}")
    cols = {"total": "Total Score", "rank": "Ranking", "pillars": GAIRI25_PILLARS, "dimensions": GAIRI25_DIMENSIONS}
    return _gairi_frame(ranking, scores, cols, 2025, file)


def load_gairi_2024(path: str | Path) -> pd.DataFrame:
    """GAIRI 2024, wide: one row per country, columns ``oxford_gairi24_*`` (0–100, rank)."""
    file = file_label(path)
    ranking = read_sheet_checked(path, "Ranking", 0, ["Rank", "Country", "2024 Total"])
    scores = read_sheet_checked(
        path, "Scores per pillar and dimension", 1, ["Country", *GAIRI24_PILLARS, *GAIRI24_DIMENSIONS]
    )
    cols = {"total": "2024 Total", "rank": "Rank", "pillars": GAIRI24_PILLARS, "dimensions": GAIRI24_DIMENSIONS}
    return _gairi_frame(ranking, scores, cols, 2024, file)


def build_gairi(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: GAIRI 2024 and 2025 (separate indicator codes: not comparable)."""
    shared = Path(raw_dir)
    wide = pd.concat(
        [load_gairi_2024(shared / GAIRI_2024_FILE), load_gairi_2025(shared / GAIRI_2025_FILE)],
        ignore_index=True,
    )
    return wide_to_tidy(wide, GAIRI_SOURCE, {"rank": "rank", "*": "score (0-100)"})

GAIRI_DATASET = describe(
    "oxford_gairi",
    inputs=(GAIRI_2024_FILE, GAIRI_2025_FILE),
    build=build_gairi,
)

DATASETS: tuple[Dataset, ...] = (GAIRI_DATASET,)
