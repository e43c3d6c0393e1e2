"""Tortoise Media, Global AI Index (about the 2021 edition): pillar scores, total and a derived rank.

Descriptions of the extract are in ``datasets.yml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bricsai.sources.readers import (
    check_unique,
    file_label,
    map_countries,
    read_csv_checked,
    slug,
    to_number,
    wide_to_tidy,
)
from bricsai.sources.tidy import Dataset, describe

TORTOISE_FILE = "ai/tortoise_global_ai_index/AI_index_db.csv"  # relative to the raw data folder

TORTOISE_SOURCE = "Tortoise Global AI Index"
TORTOISE_SCORES = [
    "Talent", "Infrastructure", "Operating Environment", "Research", "Development",
    "Government Strategy", "Commercial", "Total score",
]
TORTOISE_YEAR = 2021


def load_tortoise(path: str | Path) -> pd.DataFrame:
    """Wide: ``entity, year`` and ``tortoise_<score>`` (0–100) plus a derived ``tortoise_rank``.

    The file has no year; 2021 is the edition its methodology and ranking match (approximate).
    The rank is ours: 1 = highest total score, ties share the best rank.
    """
    file = file_label(path)
    raw = read_csv_checked(path, ["Country", *TORTOISE_SCORES])
    check_unique(raw, ["Country"], file)
    out = pd.DataFrame({"entity": map_countries(raw["Country"], "tortoise", file), "year": TORTOISE_YEAR})
    check_unique(out.dropna(subset=["entity"]), ["entity"], file)
    for col in TORTOISE_SCORES:
        out[f"tortoise_{slug(col)}"] = to_number(raw[col], col, file, 0, 100)
    out["tortoise_rank"] = out["tortoise_total_score"].rank(ascending=False, method="min")
    return out


def build_tortoise(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Tortoise Global AI Index (~2021) scores and derived rank."""
    wide = load_tortoise(Path(raw_dir) / TORTOISE_FILE)
    return wide_to_tidy(wide, TORTOISE_SOURCE, {"rank": "rank", "*": "score (0-100)"})

TORTOISE_DATASET = describe(
    "tortoise_global_ai_index",
    inputs=(TORTOISE_FILE,),
    build=build_tortoise,
)

DATASETS: tuple[Dataset, ...] = (TORTOISE_DATASET,)
