"""Epoch AI, 'Data on AI Models' (notable subset): models by country of the developing organisation.

Counts are emitted only where positive (an absent row means zero); ``WLD`` counts every dated
model once, whatever its country. Descriptions of the extract are in ``datasets.yml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from bricsai.errors import DataError
from bricsai.sources.countries import to_iso3
from bricsai.sources.readers import WORLD, check_unique, file_label, read_csv_checked, tidy_rows, to_number
from bricsai.sources.tidy import Dataset, describe

EPOCH_MODELS_FILE = "ai/epoch_notable_ai_models/notable_ai_models.csv"  # relative to the raw data folder

EPOCH_MODELS_SOURCE = "Epoch AI notable models"
EPOCH_MODEL_COLUMNS = [
    "Model",
    "Publication date",
    "Country (of organization)",
    "Training compute (FLOP)",
    "Model accessibility",
    "Frontier model",
    "Open model weights?",
]
COMPUTE_THRESHOLDS = {"1e23": 1e23, "1e25": 1e25}


def load_epoch_models(path: str | Path) -> pd.DataFrame:
    """One row per notable model: ``model, year, countries, open_weights, frontier, compute``.

    ``countries`` is a tuple of the *distinct* ISO3 codes in ``Country (of organization)``.
    The cell lists one country per organisation, so repeats only mean several organisations
    from one country; a model counts once per distinct country. ``Multinational`` is not a
    country and is dropped from the tuple (the model still counts in the world total).
    ``open_weights`` is True/False, or NA where Epoch records no accessibility.
    Models without a publication date are dropped (they cannot be placed in a year).
    """
    file = file_label(path)
    raw = read_csv_checked(path, EPOCH_MODEL_COLUMNS)
    check_unique(raw, ["Model", "Publication date"], file)

    date = pd.to_datetime(raw["Publication date"], format="%Y-%m-%d", errors="coerce")
    bad = date.isna() & raw["Publication date"].notna()
    if bad.any():
        raise DataError(
            file, f"column 'Publication date' has an unreadable date {raw.loc[bad, 'Publication date'].iloc[0]!r}"
        )
    compute = to_number(raw["Training compute (FLOP)"], "Training compute (FLOP)", file, lo=0, allow_blank=True)

    cells = raw["Country (of organization)"].fillna("")
    parts = cells.str.split(",").apply(lambda xs: [x.strip() for x in xs if x.strip()])
    all_names = sorted({n for xs in parts for n in xs})
    mapping = to_iso3(all_names, "epoch", file) if all_names else {}
    countries = parts.apply(lambda xs: tuple(sorted({mapping[n] for n in xs if mapping[n]})))

    weights = raw["Open model weights?"].map({"Yes": True, "No": False})
    unknown = raw["Open model weights?"].notna() & weights.isna()
    if unknown.any():
        first_unknown = raw.loc[unknown, "Open model weights?"].iloc[0]
        raise DataError(file, f"column 'Open model weights?' has value {first_unknown!r} (expected Yes/No)")
    # Where the Yes/No column is blank, fall back on the accessibility label.
    access = raw["Model accessibility"]
    from_access = access.str.startswith("Open weights").where(access.notna())
    open_weights = weights.where(weights.notna(), from_access)

    frontier_raw = raw["Frontier model"].astype(str).str.strip().str.lower()
    frontier = frontier_raw.isin(["true", "1", "yes"])
    odd = ~frontier_raw.isin(["true", "1", "yes", "false", "0", "no", "nan", ""])
    if odd.any():
        raise DataError(file, f"column 'Frontier model' has value {raw.loc[odd, 'Frontier model'].iloc[0]!r}")

    out = pd.DataFrame(
        {
            "model": raw["Model"],
            "year": date.dt.year,
            "countries": countries,
            "open_weights": open_weights.astype("boolean"),
            "frontier": frontier,
            "compute": compute,
        }
    )
    return out[out["year"].notna()].astype({"year": "int64"}).reset_index(drop=True)


def explode_model_countries(models: pd.DataFrame) -> pd.DataFrame:
    """One row per (model, distinct country) with ``weight`` = 1/n for fractional counting.

    Models with no country are left out here; they still count in the world total.
    """
    m = models.assign(n=models["countries"].apply(len))
    m = m[m["n"] > 0].explode("countries").rename(columns={"countries": "entity"})
    m["weight"] = 1.0 / m["n"]
    return m.drop(columns="n").reset_index(drop=True)


def _count(models: pd.DataFrame, mask: pd.Series | None, weight: str | None = None) -> pd.DataFrame:
    """Country-year counts plus a WLD row per year, for the models selected by ``mask``."""
    sel = models if mask is None else models[mask.fillna(False).astype(bool)]
    ex = explode_model_countries(sel)
    val = ex[weight] if weight else pd.Series(1.0, index=ex.index)
    by_country = ex.assign(value=val).groupby(["entity", "year"], as_index=False)["value"].sum()
    world = sel.groupby("year", as_index=False).size().rename(columns={"size": "value"})
    world["entity"] = WORLD
    out = pd.concat([by_country, world[["entity", "year", "value"]]], ignore_index=True)
    return out[out["value"] > 0]


def epoch_models_tidy(models: pd.DataFrame) -> pd.DataFrame:
    """Country-year counts of notable models (see ``EPOCH_MODELS_DATASET.notes`` for the codes)."""
    u = "models"
    s = EPOCH_MODELS_SOURCE
    parts = [
        tidy_rows(_count(models, None), "epoch_models", u, s),
        tidy_rows(_count(models, None, weight="weight"), "epoch_models_frac", u, s),
        tidy_rows(_count(models, models["open_weights"] == True), "epoch_models_open_weights", u, s),  # noqa: E712
        tidy_rows(_count(models, models["open_weights"] == False), "epoch_models_closed_weights", u, s),  # noqa: E712
        tidy_rows(_count(models, models["frontier"]), "epoch_models_frontier", u, s),
        tidy_rows(_count(models, models["compute"].notna()), "epoch_models_compute_known", u, s),
    ]
    for label, flop in COMPUTE_THRESHOLDS.items():
        parts.append(tidy_rows(_count(models, models["compute"] >= flop), f"epoch_models_ge{label}flop", u, s))
    return pd.concat(parts, ignore_index=True)


def build_epoch_models(raw_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Epoch notable models → tidy country-year counts."""
    return epoch_models_tidy(load_epoch_models(Path(raw_dir) / EPOCH_MODELS_FILE))


def epoch_models_by_country(
    tidy: pd.DataFrame,
    entities: Sequence[str] | None = None,
    indicator: str = "epoch_models",
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Year × entity table of one Epoch model indicator, zeros filled (absent rows mean 0)."""
    sel = tidy[tidy["indicator"] == indicator]
    if years:
        sel = sel[sel["year"].between(*years)]
    table = sel.pivot_table(index="year", columns="entity", values="value", aggfunc="sum",
                            observed=True).fillna(0.0)
    if entities is not None:
        table = table.reindex(columns=list(entities), fill_value=0.0)
    if years:
        table = table.reindex(range(years[0], years[1] + 1), fill_value=0.0)
    return table


EPOCH_MODELS_DATASET = describe(
    "epoch_notable_models",
    inputs=(EPOCH_MODELS_FILE,),
    build=build_epoch_models,
)

DATASETS: tuple[Dataset, ...] = (EPOCH_MODELS_DATASET,)
