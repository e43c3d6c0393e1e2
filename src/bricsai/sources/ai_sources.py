"""AI-capacity sources: read each file as its publisher ships it, check it, and make it tidy.

Every loader takes a path, checks columns, value ranges, duplicates and country names, and
raises ``DataError(file, problem)`` on anything it cannot vouch for. Every ``*_tidy`` function
turns a loaded frame into the long shape of ``bricsai.sources.tidy``. ``DATASETS`` lists one
``Dataset`` per source for the extract builder. The convenience functions at the end are pure
(frames in, frames out) so that chapter notebooks can call them on extracts or on test frames.

Conventions used throughout:

* counts are emitted only where they are positive; an absent (entity, indicator, year) row
  means zero, not "unknown";
* ``WLD`` is the world total of a source (all records, whatever their country), so that
  shares can be computed against it;
* country names go through :func:`bricsai.sources.countries.to_iso3`; exceptions live in
  ``data/country_names.yml`` under the source keys ``epoch``, ``top500``, ``oxford``,
  ``tortoise``, ``cset`` and ``eto``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from bricsai.sources.countries import to_iso3
from bricsai.errors import DataError
from bricsai.sources.tidy import TIDY_COLUMNS, Dataset, TableDataset, validate_tidy

WORLD = "WLD"

# Paths relative to the shared data folder (``shared_data_dir()``).
EPOCH_MODELS_FILE = "ai/epoch_notable_ai_models/notable_ai_models.csv"
EPOCH_CLUSTERS_FILE = "ai/epoch_gpu_clusters/gpu_clusters.csv"
TOP500_AGG_FILE = "ai/top500/top500_country_aggregates.csv"
TOP500_JUN2025_FILE = "ai/top500/june2025.xlsx"
GAIRI_2025_FILE = "ai/oxford_insights_gairi/2025-Government-AI-Readiness-Index-data-1.xlsx"
GAIRI_2024_FILE = "ai/oxford_insights_gairi/2024-GAIRI-data.xlsx"
TORTOISE_FILE = "ai/tortoise_global_ai_index/AI_index_db.csv"
CSET_PUBS_FILE = "ai/cset_eto/ai_publications_cset_owid.csv"
ETO_DIR = "ai/cset_eto/eto_supply_chain"


# --------------------------------------------------------------------------------------------
# Shared readers and checks
# --------------------------------------------------------------------------------------------


def _name(path: str | Path) -> str:
    """The file's name as errors show it: the last two path parts are enough to find it."""
    p = Path(path)
    return str(Path(p.parent.name) / p.name) if p.parent.name else p.name


def read_csv_checked(path: str | Path, required: Sequence[str], **kwargs) -> pd.DataFrame:
    """Read a CSV, failing with DataError if it is missing, empty or lacks ``required`` columns.

    ``utf-8-sig`` because some ETO files start with a byte-order mark, which would otherwise
    become part of the first column's name.
    """
    file = _name(path)
    if not Path(path).is_file():
        raise DataError(file, "file not found")
    try:
        # Only truly blank cells are missing: "n/a" or "NA" in a number column should fail
        # loudly rather than pass as a gap.
        df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""], **kwargs)
    except pd.errors.EmptyDataError:
        raise DataError(file, "file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(file, f"cannot be parsed as CSV ({exc})") from None
    require_columns(df, required, file)
    if df.empty:
        raise DataError(file, "file has a header but no data rows")
    return df


def read_sheet_checked(
    path: str | Path, sheet: str, header: int, required: Sequence[str]
) -> pd.DataFrame:
    """Read one worksheet with its header on row ``header`` (0-based) and check its columns.

    Blank separator columns (no header, no values) are dropped because publishers use them
    only for layout.
    """
    file = _name(path)
    if not Path(path).is_file():
        raise DataError(file, "file not found")
    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad workbook
        raise DataError(file, f"cannot be opened as a workbook ({exc})") from None
    with book:
        if sheet not in book.sheet_names:
            raise DataError(file, f"sheet {sheet!r} not found (sheets: {book.sheet_names})")
        df = book.parse(sheet, header=header, keep_default_na=False, na_values=[""])
    blank = [c for c in df.columns if str(c).startswith("Unnamed") and df[c].isna().all()]
    df = df.drop(columns=blank).dropna(how="all")
    df.columns = [str(c).strip() for c in df.columns]
    require_columns(df, required, f"{file} [{sheet}]")
    if df.empty:
        raise DataError(f"{file} [{sheet}]", "sheet has no data rows")
    return df


def require_columns(df: pd.DataFrame, required: Iterable[str], file: str) -> None:
    """Raise DataError naming every required column the frame lacks."""
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(file, f"missing column(s) {missing}")


def check_unique(df: pd.DataFrame, keys: Sequence[str], file: str) -> None:
    """Raise DataError on the first duplicated key, because a duplicate would double-count."""
    dup = df.duplicated(list(keys), keep=False)
    if dup.any():
        first = df.loc[dup, list(keys)].iloc[0].tolist()
        raise DataError(file, f"duplicate rows for {list(keys)} = {first}")


def to_number(
    s: pd.Series,
    column: str,
    file: str,
    lo: float | None = None,
    hi: float | None = None,
    allow_blank: bool = False,
) -> pd.Series:
    """Coerce a column to float, rejecting text, blanks (unless allowed) and out-of-range values."""
    out = pd.to_numeric(s, errors="coerce")
    bad = out.isna() & s.notna() & (s.astype(str).str.strip() != "")
    if bad.any():
        raise DataError(file, f"column {column!r} has a non-numeric value {s[bad].iloc[0]!r}")
    if not allow_blank and out.isna().any():
        raise DataError(file, f"column {column!r} has blank values")
    if lo is not None and (out < lo).any():
        raise DataError(file, f"column {column!r} has a value below {lo}: {out[out < lo].iloc[0]}")
    if hi is not None and (out > hi).any():
        raise DataError(file, f"column {column!r} has a value above {hi}: {out[out > hi].iloc[0]}")
    return out.astype("float64")


def map_countries(names: pd.Series, source: str, file: str) -> pd.Series:
    """Names → ISO3 through ``to_iso3``; listed non-countries become None (dropped by callers)."""
    names = names.astype(str).str.strip()
    mapping = to_iso3(names.unique(), source, file)
    return names.map(mapping)


def _tidy(df: pd.DataFrame, indicator: str, unit: str, source: str, value: str = "value"):
    """Rename a frame with entity/year/value columns into the tidy shape for one indicator."""
    out = df[["entity", "year", value]].rename(columns={value: "value"}).copy()
    out["indicator"] = indicator
    out["unit"] = unit
    out["source"] = source
    return out[TIDY_COLUMNS]


def _slug(text: str) -> str:
    """Lower-case snake_case for indicator codes ("Development & Diffusion" → development_diffusion)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


# --------------------------------------------------------------------------------------------
# 1. Epoch AI notable models
# --------------------------------------------------------------------------------------------

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
    file = _name(path)
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
        raise DataError(file, f"column 'Open model weights?' has value {raw.loc[unknown, 'Open model weights?'].iloc[0]!r} (expected Yes/No)")
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
        _tidy(_count(models, None), "epoch_models", u, s),
        _tidy(_count(models, None, weight="weight"), "epoch_models_frac", u, s),
        _tidy(_count(models, models["open_weights"] == True), "epoch_models_open_weights", u, s),  # noqa: E712
        _tidy(_count(models, models["open_weights"] == False), "epoch_models_closed_weights", u, s),  # noqa: E712
        _tidy(_count(models, models["frontier"]), "epoch_models_frontier", u, s),
        _tidy(_count(models, models["compute"].notna()), "epoch_models_compute_known", u, s),
    ]
    for label, flop in COMPUTE_THRESHOLDS.items():
        parts.append(_tidy(_count(models, models["compute"] >= flop), f"epoch_models_ge{label}flop", u, s))
    return pd.concat(parts, ignore_index=True)


def build_epoch_models(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Epoch notable models → tidy country-year counts."""
    return epoch_models_tidy(load_epoch_models(Path(shared_dir) / EPOCH_MODELS_FILE))


# --------------------------------------------------------------------------------------------
# 2. Epoch AI GPU clusters
# --------------------------------------------------------------------------------------------

EPOCH_CLUSTERS_SOURCE = "Epoch AI GPU clusters"
CLUSTER_COLUMNS = [
    "Name",
    "Status",
    "Country",
    "H100 equivalents",
    "First Operational Date",
    "Include in Standard Analysis",
]
CLUSTER_STATUSES = {"Existing", "Planned", "Decommissioned"}
CLUSTER_YEARS = tuple(range(2019, 2026))
# Epoch lists undisclosed Chinese systems under one shared name, so identical rows are distinct
# clusters, not duplicates.
ANONYMISED_NAME = "Anonymized Chinese System"


def load_epoch_clusters(path: str | Path) -> pd.DataFrame:
    """Clusters in Epoch's standard analysis that exist: ``name, entity, h100e, date``.

    Filter: ``Status == "Existing"`` and ``Include in Standard Analysis`` true (Epoch's
    de-duplicated set). ``entity`` is ISO3 or None when the country is blank; ``h100e`` is
    NaN when Epoch gives no H100-equivalent figure; ``date`` is NaT when unknown.
    """
    file = _name(path)
    raw = read_csv_checked(path, CLUSTER_COLUMNS)
    status = raw["Status"].astype(str).str.strip()
    bad = ~status.isin(CLUSTER_STATUSES)
    if bad.any():
        raise DataError(file, f"column 'Status' has unexpected value {raw.loc[bad, 'Status'].iloc[0]!r}")
    include = raw["Include in Standard Analysis"].astype(str).str.strip().str.lower()
    odd = ~include.isin(["true", "false", "nan", ""])
    if odd.any():
        raise DataError(file, f"column 'Include in Standard Analysis' has value {raw.loc[odd, 'Include in Standard Analysis'].iloc[0]!r}")
    sel = raw[(status == "Existing") & (include == "true")].copy()
    if sel.empty:
        raise DataError(file, "no existing clusters in the standard analysis")
    named = sel[sel["Name"] != ANONYMISED_NAME]
    check_unique(named, ["Name"], file)

    h100e = to_number(sel["H100 equivalents"], "H100 equivalents", file, lo=0, allow_blank=True)
    date = pd.to_datetime(sel["First Operational Date"], format="%Y-%m-%d", errors="coerce")
    bad_date = date.isna() & sel["First Operational Date"].notna()
    if bad_date.any():
        raise DataError(file, f"column 'First Operational Date' has an unreadable date {sel.loc[bad_date, 'First Operational Date'].iloc[0]!r}")
    entity = pd.Series(None, index=sel.index, dtype=object)
    has = sel["Country"].notna()
    if has.any():
        entity[has] = map_countries(sel.loc[has, "Country"], "epoch", file)
    return pd.DataFrame(
        {"name": sel["Name"], "entity": entity, "h100e": h100e, "date": date}
    ).reset_index(drop=True)


def cumulative_cluster_capacity(clusters: pd.DataFrame, years: Iterable[int] = CLUSTER_YEARS) -> pd.DataFrame:
    """Clusters operational by 31 December of each year: ``entity, year, clusters, h100e``.

    Cumulative because a cluster keeps its capacity once built (the filter already drops
    decommissioned ones). Clusters without a date are left out; blank H100e counts as 0. The
    WLD row includes clusters whose country is blank.
    """
    dated = clusters[clusters["date"].notna()].copy()
    dated["start"] = dated["date"].dt.year
    rows = []
    for year in years:
        live = dated[dated["start"] <= year]
        for entity, grp in [(WORLD, live)] + list(live[live["entity"].notna()].groupby("entity")):
            rows.append(
                {"entity": entity, "year": int(year), "clusters": float(len(grp)),
                 "h100e": float(grp["h100e"].fillna(0).sum())}
            )
    out = pd.DataFrame(rows, columns=["entity", "year", "clusters", "h100e"])
    return out[out["clusters"] > 0].reset_index(drop=True)


def epoch_clusters_tidy(clusters: pd.DataFrame, years: Iterable[int] = CLUSTER_YEARS) -> pd.DataFrame:
    """Tidy cumulative H100-equivalents and cluster counts by country and year."""
    cap = cumulative_cluster_capacity(clusters, years)
    return pd.concat(
        [
            _tidy(cap, "epoch_gpu_h100e", "H100-equivalents", EPOCH_CLUSTERS_SOURCE, value="h100e"),
            _tidy(cap, "epoch_gpu_clusters", "clusters", EPOCH_CLUSTERS_SOURCE, value="clusters"),
        ],
        ignore_index=True,
    )


def build_epoch_clusters(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Epoch GPU clusters → cumulative capacity by country, 2019–2025."""
    return epoch_clusters_tidy(load_epoch_clusters(Path(shared_dir) / EPOCH_CLUSTERS_FILE))


# --------------------------------------------------------------------------------------------
# 3. TOP500
# --------------------------------------------------------------------------------------------

TOP500_SOURCE = "TOP500"
TOP500_AGG_COLUMNS = ["list", "country", "systems", "rmax_pflops", "rpeak_pflops"]
TOP500_SHEET = "65"
TOP500_XLSX_COLUMNS = ["Rank", "Country", "Rmax [TFlop/s]", "Rpeak [TFlop/s]"]
LIST_MONTHS = {"06": "jun", "11": "nov"}


def check_list_total(agg: pd.DataFrame, file: str) -> None:
    """Each TOP500 list has exactly 500 systems; anything else means rows were lost or doubled."""
    totals = agg.groupby("list")["systems"].sum()
    wrong = totals[totals != 500]
    if not wrong.empty:
        raise DataError(file, f"list {wrong.index[0]!r} sums to {int(wrong.iloc[0])} systems, not 500")


def load_top500_aggregates(path: str | Path) -> pd.DataFrame:
    """Third-party country aggregates: ``list, entity, year, suffix, systems, rmax, rpeak``.

    ``list`` is ``YYYY_MM``; ``year`` and ``suffix`` (``jun``/``nov``) encode it for indicators.
    """
    file = _name(path)
    raw = read_csv_checked(path, TOP500_AGG_COLUMNS, dtype={"list": str})
    check_unique(raw, ["list", "country"], file)
    m = raw["list"].str.fullmatch(r"(\d{4})_(06|11)")
    if not m.all():
        raise DataError(file, f"column 'list' has value {raw.loc[~m, 'list'].iloc[0]!r} (expected YYYY_06 or YYYY_11)")
    out = pd.DataFrame({"list": raw["list"]})
    out["systems"] = to_number(raw["systems"], "systems", file, lo=0, hi=500)
    if (out["systems"] % 1 != 0).any():
        raise DataError(file, "column 'systems' has non-whole counts")
    out["rmax"] = to_number(raw["rmax_pflops"], "rmax_pflops", file, lo=0)
    out["rpeak"] = to_number(raw["rpeak_pflops"], "rpeak_pflops", file, lo=0)
    check_list_total(out, file)
    out["entity"] = map_countries(raw["country"], "top500", file)
    out["year"] = raw["list"].str[:4].astype(int)
    out["suffix"] = raw["list"].str[5:].map(LIST_MONTHS)
    out = out[out["entity"].notna()]
    check_unique(out, ["list", "entity"], file)
    return out.reset_index(drop=True)


def load_top500_list(path: str | Path, sheet: str = TOP500_SHEET) -> pd.DataFrame:
    """A full TOP500 list as exported by top500.org: ``rank, entity, rmax, rpeak`` (PFlop/s)."""
    file = _name(path)
    raw = read_sheet_checked(path, sheet, 0, TOP500_XLSX_COLUMNS)
    where = f"{file} [{sheet}]"
    rank = to_number(raw["Rank"], "Rank", where, lo=1, hi=500)
    if len(raw) != 500 or rank.duplicated().any():
        raise DataError(where, f"expected ranks 1–500 once each, found {len(raw)} rows")
    return pd.DataFrame(
        {
            "rank": rank.astype(int),
            "entity": map_countries(raw["Country"], "top500", where),
            "rmax": to_number(raw["Rmax [TFlop/s]"], "Rmax [TFlop/s]", where, lo=0) / 1000,
            "rpeak": to_number(raw["Rpeak [TFlop/s]"], "Rpeak [TFlop/s]", where, lo=0) / 1000,
        }
    )


def aggregate_top500_list(systems: pd.DataFrame, list_id: str) -> pd.DataFrame:
    """Country aggregates of one full list, in the shape ``load_top500_aggregates`` returns."""
    agg = systems.groupby("entity", as_index=False).agg(
        systems=("rank", "size"), rmax=("rmax", "sum"), rpeak=("rpeak", "sum")
    )
    agg["systems"] = agg["systems"].astype(float)
    agg["list"] = list_id
    agg["year"] = int(list_id[:4])
    agg["suffix"] = LIST_MONTHS[list_id[5:]]
    check_list_total(agg, list_id)
    return agg


def top500_tidy(agg: pd.DataFrame) -> pd.DataFrame:
    """Indicators ``top500_{systems,rmax,rpeak}_{jun,nov}`` per list year, plus WLD totals."""
    world = agg.groupby(["list", "year", "suffix"], as_index=False)[["systems", "rmax", "rpeak"]].sum()
    world["entity"] = WORLD
    both = pd.concat([agg, world], ignore_index=True)
    parts = []
    for suffix, grp in both.groupby("suffix"):
        for col, unit in (("systems", "systems"), ("rmax", "PFlop/s"), ("rpeak", "PFlop/s")):
            parts.append(_tidy(grp, f"top500_{col}_{suffix}", unit, TOP500_SOURCE, value=col))
    return pd.concat(parts, ignore_index=True)


def build_top500(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Nov 2023, Jun 2024, Nov 2025 aggregates plus Jun 2025 from the full list."""
    shared = Path(shared_dir)
    agg = load_top500_aggregates(shared / TOP500_AGG_FILE)
    jun25 = aggregate_top500_list(load_top500_list(shared / TOP500_JUN2025_FILE), "2025_06")
    if (agg["list"] == "2025_06").any():
        raise DataError(TOP500_AGG_FILE, "already holds list 2025_06, which would clash with june2025.xlsx")
    return top500_tidy(pd.concat([agg, jun25], ignore_index=True))


# --------------------------------------------------------------------------------------------
# 4. Oxford Insights Government AI Readiness Index
# --------------------------------------------------------------------------------------------

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
            code = f"oxford_gairi{edition % 100}_{kind}_{_slug(name)}"
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
    file = _name(path)
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
    file = _name(path)
    ranking = read_sheet_checked(path, "Ranking", 0, ["Rank", "Country", "2024 Total"])
    scores = read_sheet_checked(
        path, "Scores per pillar and dimension", 1, ["Country", *GAIRI24_PILLARS, *GAIRI24_DIMENSIONS]
    )
    cols = {"total": "2024 Total", "rank": "Rank", "pillars": GAIRI24_PILLARS, "dimensions": GAIRI24_DIMENSIONS}
    return _gairi_frame(ranking, scores, cols, 2024, file)


def wide_to_tidy(wide: pd.DataFrame, source: str, units: dict[str, str]) -> pd.DataFrame:
    """Melt ``entity, year, <indicator>...`` into tidy rows; ``units`` maps code suffix → unit."""
    wide = wide[wide["entity"].notna()]
    long = wide.melt(id_vars=["entity", "year"], var_name="indicator", value_name="value")
    # Editions stacked together leave the other edition's columns blank: not data, drop them.
    long = long[long["value"].notna()]
    long["unit"] = long["indicator"].map(lambda c: units.get(c.rsplit("_", 1)[-1], units["*"]))
    long["source"] = source
    return long[TIDY_COLUMNS]


def build_gairi(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: GAIRI 2024 and 2025 (separate indicator codes: not comparable)."""
    shared = Path(shared_dir)
    wide = pd.concat(
        [load_gairi_2024(shared / GAIRI_2024_FILE), load_gairi_2025(shared / GAIRI_2025_FILE)],
        ignore_index=True,
    )
    return wide_to_tidy(wide, GAIRI_SOURCE, {"rank": "rank", "*": "score (0-100)"})


# --------------------------------------------------------------------------------------------
# 5. Tortoise Global AI Index
# --------------------------------------------------------------------------------------------

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
    file = _name(path)
    raw = read_csv_checked(path, ["Country", *TORTOISE_SCORES])
    check_unique(raw, ["Country"], file)
    out = pd.DataFrame({"entity": map_countries(raw["Country"], "tortoise", file), "year": TORTOISE_YEAR})
    check_unique(out.dropna(subset=["entity"]), ["entity"], file)
    for col in TORTOISE_SCORES:
        out[f"tortoise_{_slug(col)}"] = to_number(raw[col], col, file, 0, 100)
    out["tortoise_rank"] = out["tortoise_total_score"].rank(ascending=False, method="min")
    return out


def build_tortoise(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: Tortoise Global AI Index (~2021) scores and derived rank."""
    wide = load_tortoise(Path(shared_dir) / TORTOISE_FILE)
    return wide_to_tidy(wide, TORTOISE_SOURCE, {"rank": "rank", "*": "score (0-100)"})


# --------------------------------------------------------------------------------------------
# 6. CSET AI publications (via OWID)
# --------------------------------------------------------------------------------------------

CSET_PUBS_SOURCE = "CSET ETO via Our World in Data"
CSET_VALUE = "AI scholarly publications - Field: All"


def load_cset_publications(path: str | Path) -> pd.DataFrame:
    """``entity, year, value``: AI publications per country-year (whole counting).

    Countries are mapped from ``Entity`` and must agree with OWID's ``Code``. OWID aggregates
    keep their ``OWID_*`` codes, except World, which becomes ``WLD`` like every other world
    total here. CSET's own regional aggregates carry no code and are dropped.
    """
    file = _name(path)
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


def build_cset_publications(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: CSET AI publications by country and year."""
    pubs = load_cset_publications(Path(shared_dir) / CSET_PUBS_FILE)
    return _tidy(pubs, "cset_ai_publications", "publications", CSET_PUBS_SOURCE)


# --------------------------------------------------------------------------------------------
# 7. ETO semiconductor supply chain
# --------------------------------------------------------------------------------------------

ETO_SOURCE = "CSET ETO Advanced Semiconductor Supply Chain"
ETO_YEAR = 2021


def parse_percent(s: pd.Series, column: str, file: str) -> pd.Series:
    """"61%" → 0.61; blanks stay NaN; anything else that is not a percentage is an error."""
    text = s.astype("string").str.strip()
    m = text.str.fullmatch(r"\d+(\.\d+)?\s*%")
    bad = text.notna() & (text != "") & ~m.fillna(False)
    if bad.any():
        raise DataError(file, f"column {column!r} has a value that is not a percentage: {s[bad].iloc[0]!r}")
    out = pd.to_numeric(text.str.rstrip("%").str.strip(), errors="coerce") / 100
    if (out > 1).any():
        raise DataError(file, f"column {column!r} has a share above 100%")
    return out.astype("float64")


def load_eto(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The ETO tables: ``shares`` (entity, provided_id, share, negligible), ``inputs``, ``stages``.

    ``inputs`` gains a ``stage`` column resolved through sequence.csv (see ``resolve_stages``).

    Only country providers are kept; rows without a percentage (ETO lists the country as a
    provider but gives no share) are dropped. ``Various`` is not a country and is dropped.
    """
    folder = Path(folder)
    prov_file = _name(folder / "provision.csv")
    provision = read_csv_checked(
        folder / "provision.csv",
        ["provider_id", "provided_id", "provided_name", "share_provided", "negligible_market_share"],
    )
    providers = read_csv_checked(folder / "providers.csv", ["provider_name", "provider_id", "provider_type"])
    inputs = read_csv_checked(folder / "inputs.csv", ["input_name", "input_id", "type", "stage_name"])
    stages = read_csv_checked(folder / "stages.csv", ["stage_id", "stage_name"])
    sequence = read_csv_checked(folder / "sequence.csv", ["input_id", "goes_into_id", "is_type_of_id"])
    check_unique(providers, ["provider_id"], _name(folder / "providers.csv"))
    check_unique(inputs, ["input_id"], _name(folder / "inputs.csv"))
    check_unique(stages, ["stage_id"], _name(folder / "stages.csv"))
    countries = providers[providers["provider_type"] == "country"]
    # The provider's name comes from providers.csv, the register of providers.
    rows = provision.drop(columns="provider_name", errors="ignore").merge(
        countries[["provider_id", "provider_name"]], on="provider_id", how="inner"
    )
    # Checked on country rows only: the file repeats one company row (Powertech, ATP), which
    # does not affect country shares.
    check_unique(rows, ["provider_id", "provided_id"], prov_file)
    rows["share"] = parse_percent(rows["share_provided"], "share_provided", prov_file)
    rows = rows[rows["share"].notna()].copy()
    known = set(inputs["input_id"]) | set(stages["stage_id"])
    unknown = sorted(set(rows["provided_id"]) - known)
    if unknown:
        raise DataError(prov_file, f"provided_id(s) {unknown} are neither inputs nor stages")
    rows["entity"] = map_countries(rows["provider_name"], "eto", _name(folder / "providers.csv"))
    rows = rows[rows["entity"].notna()]
    # A share total far above 100% means a row was doubled; ETO rounds tiny shares up to 1%.
    totals = rows.groupby("provided_id")["share"].sum()
    if (totals > 1.10).any():
        raise DataError(prov_file, f"country shares of {totals[totals > 1.10].index[0]!r} add up to more than 110%")
    shares = rows[["entity", "provided_id", "provided_name", "share"]].assign(
        negligible=rows["negligible_market_share"].eq("negligible")
    )
    inputs = inputs.assign(stage=inputs["input_id"].map(resolve_stages(inputs, sequence)))
    return {"shares": shares.reset_index(drop=True), "inputs": inputs, "stages": stages}


def resolve_stages(inputs: pd.DataFrame, sequence: pd.DataFrame) -> pd.Series:
    """Stage name for every input, indexed by ``input_id``.

    ETO gives a stage only for processes; a tool or material inherits the stage of what it
    goes into (or is a type of), followed through sequence.csv until a process is reached.
    Inputs that reach no process (the finished chip) get "".
    """
    own = inputs.set_index("input_id")["stage_name"].dropna().to_dict()
    links: dict[str, list[str]] = {}
    for col in ("goes_into_id", "is_type_of_id"):
        for src, dst in sequence[["input_id", col]].dropna().itertuples(index=False):
            links.setdefault(src, []).append(dst)

    def find(node: str, seen: frozenset) -> str:
        if node in own:
            return own[node]
        for nxt in sorted(links.get(node, [])):
            if nxt not in seen:
                found = find(nxt, seen | {node})
                if found:
                    return found
        return ""

    return pd.Series({i: find(i, frozenset()) for i in inputs["input_id"]}, name="stage")


def eto_tidy(shares: pd.DataFrame, year: int = ETO_YEAR) -> pd.DataFrame:
    """Tidy ``eto_share:<provided_id>`` (share 0–1) per country; the year is approximate."""
    out = shares.assign(year=year, indicator="eto_share:" + shares["provided_id"], unit="share",
                        source=ETO_SOURCE, value=shares["share"])
    return out[TIDY_COLUMNS]


def build_eto(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: ETO country market shares per supply-chain input."""
    return eto_tidy(load_eto(Path(shared_dir) / ETO_DIR)["shares"])


ETO_INPUT_COLUMNS = ("input_id", "input_name", "type", "stage")


def eto_inputs_table(inputs: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """Names of everything ETO gives a share for: ``input_id, input_name, type, stage``.

    One row per input (``type`` as ETO gives it: process, tool_resource, material_resource,
    ultimate_output; ``stage`` resolved through sequence.csv, "" for the finished chip) and one
    row per stage (``type`` 'stage', ``stage`` = its own name), so that the ``eto_share:<id>``
    indicators of the shares extract can all be named from this table alone. Sorted by id in
    natural order (S1 < S2 < N1 < N2 < N10).
    """
    if "stage" not in inputs.columns:
        raise DataError("eto inputs", "inputs need a resolved 'stage' column (see load_eto)")
    rows = pd.concat(
        [
            stages.assign(input_id=stages["stage_id"], input_name=stages["stage_name"], type="stage",
                          stage=stages["stage_name"]),
            inputs,
        ],
        ignore_index=True,
    )[list(ETO_INPUT_COLUMNS)]
    rows = rows.assign(stage=rows["stage"].fillna(""))
    check_unique(rows, ["input_id"], "eto inputs and stages")
    return _natural_order(rows).reset_index(drop=True)


def _natural_order(df: pd.DataFrame, extra: Sequence[str] = (), ascending: Sequence[bool] = ()) -> pd.DataFrame:
    """Sort by ``input_id`` in natural order (stages S* first, then N* by number), then ``extra``."""
    order = df["input_id"].astype(str).str.extract(r"^([A-Z]+)(\d+)$")
    tmp = df.assign(_kind=order[0].map({"S": 0}).fillna(1), _num=pd.to_numeric(order[1]))
    tmp = tmp.sort_values(["_kind", "_num", *extra], ascending=[True, True, *ascending], kind="mergesort")
    return tmp.drop(columns=["_kind", "_num"])


def build_eto_inputs(shared_dir: str | Path) -> pd.DataFrame:
    """Dataset build: the names, types and stages behind the ETO share indicators."""
    eto = load_eto(Path(shared_dir) / ETO_DIR)
    return eto_inputs_table(eto["inputs"], eto["stages"])


# --------------------------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------------------------

EPOCH_MODELS_DATASET = Dataset(
    name="epoch_notable_models",
    citation="Epoch AI, Data on AI Models, notable models (retrieved July 2026)",
    title="Notable AI models by country of developing organisation and year",
    publisher="Epoch AI, 'Data on AI Models' (Notable subset); copy in spragada4/ai-energy-explorer",
    licence="CC BY 4.0",
    release="retrieved ~2026-07 (models published to 2026-07-15)",
    inputs=(EPOCH_MODELS_FILE,),
    build=build_epoch_models,
    derivation=(
        "Year = year of 'Publication date' (models without a date dropped). 'Country (of "
        "organization)' lists one country per organisation; repeats are collapsed, so a model "
        "counts once per distinct country (whole counting, epoch_models) and 1/n for each of its "
        "n distinct countries (fractional counting, epoch_models_frac). 'Multinational' is not a "
        "country and is dropped from the list; a model whose only entry is 'Multinational' or "
        "that has no country counts only in WLD. WLD = every dated model once, whatever its "
        "country, so country whole counts can sum to more than WLD. Open weights = 'Open model "
        "weights?' == Yes (falling back on 'Model accessibility' starting 'Open weights'); "
        "closed = No; models with neither are in neither indicator. Frontier = 'Frontier model' "
        "True. Compute thresholds compare 'Training compute (FLOP)' with 1e23 / 1e25; a blank "
        "compute never passes a threshold. Rows only where the count is positive (absent = 0)."
    ),
    notes=(
        "Indicators (unit models): epoch_models, epoch_models_frac, epoch_models_open_weights, "
        "epoch_models_closed_weights, epoch_models_frontier, epoch_models_compute_known, "
        "epoch_models_ge1e23flop, epoch_models_ge1e25flop.",
        "Training compute is often blank for recent closed models, so threshold counts are lower "
        "bounds; epoch_models_compute_known shows how many models have an estimate.",
        "Notable subset only; it leans to English-language, high-profile labs. Russian models "
        "(GigaChat, YandexGPT) are not in it; the only Russia row is a 2018 LSTM. No model is "
        "attributed to Brazil, South Africa, Egypt, Ethiopia or Indonesia.",
        "Hong Kong (HKG) and Taiwan (TWN) are kept separate from China.",
        "Epoch updates the file continuously; the latest year is partial.",
    ),
    partial_years=(2026,),
)

EPOCH_CLUSTERS_DATASET = Dataset(
    name="epoch_gpu_clusters",
    citation="Epoch AI, Data on GPU Clusters (final public snapshot, 2025)",
    title="AI supercomputer (GPU cluster) capacity by country, cumulative at year end",
    publisher="Epoch AI, 'Data on GPU Clusters'; copy in cnyke/cnyke.github.io",
    licence="CC BY 4.0",
    release="README 2025-04; final public snapshot (no row after 2025-10)",
    inputs=(EPOCH_CLUSTERS_FILE,),
    build=build_epoch_clusters,
    derivation=(
        "Clusters with Status == 'Existing' and 'Include in Standard Analysis' True (Epoch's "
        "de-duplicated set). For each year 2019–2025, sum 'H100 equivalents' (blank = 0) and "
        "count clusters whose 'First Operational Date' falls on or before 31 December, by "
        "'Country' (location). Clusters without a date are excluded. WLD includes clusters with "
        "no country."
    ),
    notes=(
        "Indicators: epoch_gpu_h100e (H100-equivalents), epoch_gpu_clusters (clusters); cumulative.",
        "Publicly reported clusters only; Epoch estimates this is a fraction of world AI compute. "
        "Many Chinese entries are 'Anonymized Chinese System'.",
        "Snapshot ends ~2025-10 and existing clusters run to 2025-07, so 2025 is partial.",
        "Decommissioned clusters are excluded in every year, so earlier years are slightly low.",
        "No clusters for South Africa, Egypt, Ethiopia or Iran; Indonesia's one cluster has no H100e.",
    ),
    partial_years=(2025,),
)

TOP500_DATASET = Dataset(
    name="top500",
    citation="TOP500.org lists Nov 2023 to Nov 2025",
    title="TOP500 supercomputers by installation country: systems, Rmax and Rpeak per list",
    publisher=(
        "TOP500.org; Nov 2023/Jun 2024/Nov 2025 country aggregates by I. Yesmagambetov "
        "(isabay777-dev/ai-inputs-atlas, MIT, Zenodo 10.5281/zenodo.20725737); Jun 2025 full "
        "list from tommygorham/top500"
    ),
    licence="TOP500 terms (no open licence; cite TOP500.org); aggregates file MIT",
    release="lists 2023-11, 2024-06, 2025-06, 2025-11",
    inputs=(TOP500_AGG_FILE, TOP500_JUN2025_FILE),
    build=build_top500,
    derivation=(
        "The list is encoded as year + indicator suffix: top500_<measure>_jun / _nov, so "
        "(top500_systems_nov, 2025) is the November 2025 list. 2023-11, 2024-06 and 2025-11 come "
        "from the third-party aggregates; 2025-06 is aggregated here from the full list (sheet "
        "'65': systems counted, 'Rmax [TFlop/s]' and 'Rpeak [TFlop/s]' summed and divided by "
        "1000). Every list is checked to sum to 500 systems. WLD = list total."
    ),
    notes=(
        "Indicators: top500_systems_{jun,nov} (systems), top500_rmax_{jun,nov} and "
        "top500_rpeak_{jun,nov} (PFlop/s).",
        "China has largely stopped submitting systems (105 → 80 → 40 across lists): treat Chinese "
        "figures as a floor, not a measure of capacity.",
        "Absent from every list: South Africa, Egypt, Ethiopia, Iran, Indonesia.",
    ),
)

GAIRI_DATASET = Dataset(
    name="oxford_gairi",
    citation="Oxford Insights, Government AI Readiness Index 2024 and 2025",
    title="Government AI Readiness Index 2024 and 2025: total, rank, pillars and dimensions",
    publisher="Oxford Insights; copy in caioschiefer-degree/Walsh",
    licence="CC BY-SA 4.0",
    release="2024 edition; 2025 edition (methodology report May 2026)",
    inputs=(GAIRI_2024_FILE, GAIRI_2025_FILE),
    build=build_gairi,
    derivation=(
        "Total and rank from 'Global Rankings' (2025) / 'Ranking' (2024); pillar and dimension "
        "scores from 'Dimensions-Pillars' / 'Scores per pillar and dimension' (header row 2, "
        "blank separator columns dropped). The 2025 total is checked against both sheets. "
        "Codes: oxford_gairi25_* (year 2025) and oxford_gairi24_* (year 2024), each with "
        "_total, _rank, _pillar_<name>, _dim_<name> (snake_case names)."
    ),
    notes=(
        "The 2024 and 2025 frameworks differ (3 pillars/10 dimensions vs 6 pillars/14 "
        "dimensions), hence separate codes: do not compare across editions.",
        "Measures government readiness, not AI output.",
        "Files were re-saved through Excel Online; cell values are the publisher's.",
    ),
)

TORTOISE_DATASET = Dataset(
    name="tortoise_global_ai_index",
    citation="Tortoise Media, Global AI Index (about 2021)",
    title="Tortoise Global AI Index (about the 2021 edition): pillar scores, total and rank",
    publisher="Tortoise Media (Tortoise Intelligence); Kaggle 'AI Global Index' by K. Meleshenko; copy in vitorbordalo/cp2-ai-index",
    licence="not stated (publicly available, licence unknown; attribute Tortoise Media)",
    release="approximately the 2021 edition (143-indicator methodology); no year in the file",
    inputs=(TORTOISE_FILE,),
    build=build_tortoise,
    derivation=(
        "Seven sub-pillar scores and 'Total score' (0–100, best = 100) as published, year set to "
        "2021. tortoise_rank is derived here from 'Total score' (1 = highest; ties share the "
        "best rank), among the 62 countries in the file."
    ),
    notes=(
        "Indicators: tortoise_talent, tortoise_infrastructure, tortoise_operating_environment, "
        "tortoise_research, tortoise_development, tortoise_government_strategy, "
        "tortoise_commercial, tortoise_total_score (score 0-100), tortoise_rank (rank, derived).",
        "The vintage (2021) is inferred, not stated in the file.",
        "Iran and Ethiopia are absent.",
    ),
)

CSET_PUBS_DATASET = Dataset(
    name="cset_ai_publications",
    citation="CSET Emerging Technology Observatory via Our World in Data (data to 2024)",
    title="AI scholarly publications by country and year (whole counting)",
    publisher="CSET Emerging Technology Observatory, Country Activity Tracker (via Our World in Data); copy in isabay777-dev/ai-inputs-atlas",
    licence="CC BY 4.0",
    release="OWID grapher export, data 2016–2024",
    inputs=(CSET_PUBS_FILE,),
    build=build_cset_publications,
    derivation=(
        "Indicator cset_ai_publications (publications): articles with at least one author "
        "affiliated in the country (whole counting, so country values sum to more than the "
        "world). World (OWID_WRL) is recoded WLD; OWID continent aggregates keep their OWID_* "
        "codes; CSET regional aggregates (no code) are dropped. Entity names are mapped to ISO3 "
        "and checked against OWID's Code."
    ),
    notes=(
        "The latest year (2024) may be incomplete because of indexing lag.",
        "Kosovo (OWID code OWID_KOS) is mapped to XKX, country_converter's code.",
        "Whether the file is unmodified could not be checked against OWID.",
    ),
)

ETO_DATASET = Dataset(
    name="eto_semiconductor_shares",
    citation="CSET/ETO, Advanced Semiconductor Supply Chain (market data about 2019-2021)",
    title="Country market shares in the advanced semiconductor supply chain, by input",
    publisher="CSET Emerging Technology Observatory (georgetown-cset/eto-supply-chain)",
    licence="CC BY-NC 4.0",
    release="provision.csv 2022-09, inputs.csv 2022-12; market data ~2019–2021",
    inputs=tuple(f"{ETO_DIR}/{f}.csv" for f in ("provision", "providers", "inputs", "stages", "sequence")),
    build=build_eto,
    derivation=(
        "Country providers only (providers.csv provider_type == 'country'); 'share_provided' "
        "('61%') becomes 0.61. Indicator eto_share:<provided_id> (share, 0–1), where provided_id "
        "is an input (N*) or a stage (S1 Design, S2 Fabrication, S3 ATP). Rows with no "
        "percentage and the 'Various' provider are dropped. Year set to 2021 (publication of "
        "the CSET report; the market data are from ~2019–2021)."
    ),
    notes=(
        "Non-commercial licence.",
        "Shares below 1% are rounded up to 1%, so an input's shares can exceed 100%.",
        "Russia, India, Brazil and the other BRICS members except China provide no input; "
        "Belarus (BLR) appears as a provider.",
        "Old data: the chip industry has moved since 2021.",
    ),
)

ETO_INPUTS_DATASET = TableDataset(
    name="eto_semiconductor_inputs",
    citation="CSET/ETO, Advanced Semiconductor Supply Chain (input and stage names)",
    title="Inputs and stages of the advanced semiconductor supply chain (names, types, stages)",
    publisher="CSET Emerging Technology Observatory (georgetown-cset/eto-supply-chain)",
    licence="CC BY-NC 4.0",
    release="inputs.csv 2022-12; stages.csv and sequence.csv as of the 2025-01 snapshot",
    inputs=tuple(f"{ETO_DIR}/{f}.csv" for f in ("provision", "providers", "inputs", "stages", "sequence")),
    build=build_eto_inputs,
    derivation=(
        "One row per stage (stages.csv: stage_id as input_id, stage_name as input_name and stage, "
        "type 'stage') and one per input (inputs.csv: input_id, input_name, type). An input's stage "
        "is its own stage_name for processes; tools and materials inherit the stage of the input "
        "they go into or are a type of (sequence.csv), followed until a process is reached; the "
        "finished chip (N99) has none (empty). Names the eto_share:<input_id> indicators of "
        "eto_semiconductor_shares."
    ),
    notes=(
        "Lookup table, not tidy: columns input_id, input_name, type, stage.",
        "Built from the same files as eto_semiconductor_shares, so both change together.",
    ),
    columns=ETO_INPUT_COLUMNS,
)

DATASETS: tuple[Dataset, ...] = (
    EPOCH_MODELS_DATASET,
    EPOCH_CLUSTERS_DATASET,
    TOP500_DATASET,
    GAIRI_DATASET,
    TORTOISE_DATASET,
    CSET_PUBS_DATASET,
    ETO_DATASET,
    ETO_INPUTS_DATASET,
)


# --------------------------------------------------------------------------------------------
# Convenience functions for the chapter notebooks (pure: frames in, frames out)
# --------------------------------------------------------------------------------------------


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


def share_of_world(tidy: pd.DataFrame, indicator: str, entities: Sequence[str] | None = None) -> pd.DataFrame:
    """``entity, year, share``: each entity's value divided by the WLD value of the same year."""
    sel = tidy[tidy["indicator"] == indicator]
    world = sel[sel["entity"] == WORLD].set_index("year")["value"]
    out = sel[sel["entity"] != WORLD]
    if entities is not None:
        out = out[out["entity"].isin(entities)]
    out = out.assign(share=out["value"] / out["year"].map(world))
    return out[["entity", "year", "share"]].reset_index(drop=True)


def group_total(tidy: pd.DataFrame, indicator: str, members: Sequence[str], name: str) -> pd.DataFrame:
    """Sum an additive indicator over ``members`` per year, labelled ``name``.

    Only meaningful for additive indicators (counts, capacity, fractional model counts); whole
    counts of co-authored models or papers double-count collaborations between members.
    """
    sel = tidy[(tidy["indicator"] == indicator) & tidy["entity"].isin(members)]
    out = sel.groupby("year", as_index=False)["value"].sum()
    out.insert(0, "entity", name)
    return out


def cluster_capacity_table(tidy: pd.DataFrame, entities: Sequence[str], year: int) -> pd.DataFrame:
    """Entities × (clusters, h100e, share of world H100e) in one year from the clusters extract."""
    sel = tidy[tidy["year"] == year]
    wide = sel.pivot_table(index="entity", columns="indicator", values="value", aggfunc="sum",
                          observed=True)
    wide = wide.reindex(columns=["epoch_gpu_clusters", "epoch_gpu_h100e"]).fillna(0.0)
    world = wide.loc[WORLD, "epoch_gpu_h100e"] if WORLD in wide.index else np.nan
    out = wide.reindex(list(entities), fill_value=0.0)
    out.columns = ["clusters", "h100e"]
    out["share_h100e"] = out["h100e"] / world
    return out


def top500_table(tidy: pd.DataFrame, measure: str = "systems") -> pd.DataFrame:
    """Entity × list table (columns like ``2025-11``) of one TOP500 measure."""
    sel = tidy[tidy["indicator"].str.fullmatch(f"top500_{measure}_(jun|nov)")]
    month = sel["indicator"].str[-3:].map({"jun": "06", "nov": "11"})
    sel = sel.assign(list=sel["year"].astype(str) + "-" + month)
    return sel.pivot_table(index="entity", columns="list", values="value", aggfunc="sum",
                           observed=True).fillna(0.0)


def eto_share_table(
    shares: pd.DataFrame,
    inputs: pd.DataFrame,
    stages: pd.DataFrame | None = None,
    entities: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Readable table for the book: ``input_id, input, type, stage, country, share``.

    ``shares`` is either ``load_eto(...)["shares"]`` or the tidy extract
    ``eto_semiconductor_shares`` (indicator ``eto_share:<id>``). ``inputs`` is either the
    ``eto_semiconductor_inputs`` extract (stages already in it, ``stages`` not needed) or
    ``load_eto(...)["inputs"]`` together with ``stages``. Stages themselves appear with type
    'stage'. Sorted by input in natural order, then share (largest first). A share whose id the
    names table lacks raises DataError rather than giving an unnamed row.
    """
    if "indicator" in shares.columns:
        ind = shares["indicator"].astype(str)
        shares = shares[ind.str.startswith("eto_share:")]
        shares = shares.assign(provided_id=ind[ind.str.startswith("eto_share:")].str.split(":", n=1).str[1],
                               share=shares["value"])
    if stages is not None:
        if "stage" not in inputs.columns:
            inputs = inputs.assign(stage=inputs["stage_name"])
        names = eto_inputs_table(inputs, stages)
    else:
        require_columns(inputs, ETO_INPUT_COLUMNS, "eto inputs")
        names = inputs[list(ETO_INPUT_COLUMNS)]
    names = names.rename(columns={"input_name": "input"}).astype({"input_id": str})
    out = shares.merge(names, left_on="provided_id", right_on="input_id", how="left")
    unnamed = out["input_id"].isna()
    if unnamed.any():
        raise DataError("eto inputs", f"no name for share id {out.loc[unnamed, 'provided_id'].iloc[0]!r}")
    out = out.rename(columns={"entity": "country"})
    out["country"] = out["country"].astype(str)
    if entities is not None:
        out = out[out["country"].isin(list(entities))]
    out = out[["input_id", "input", "type", "stage", "country", "share"]]
    return _natural_order(out, ["share"], [False]).reset_index(drop=True)


def eto_stage_matrix(
    table: pd.DataFrame, names: pd.DataFrame, ids: Sequence[str], countries: Sequence[str]
) -> pd.DataFrame:
    """Input × country matrix of shares from ``eto_share_table`` (0 where a country supplies none).

    ``names`` is the ``eto_semiconductor_inputs`` table; rows follow ``ids`` and carry
    ``input_id, input, stage``, then one column per country. An id unknown to ``names`` raises
    DataError.
    """
    ids = list(ids)
    meta = names.astype({"input_id": str}).set_index("input_id")
    unknown = [i for i in ids if i not in meta.index]
    if unknown:
        raise DataError("eto inputs", f"unknown input id(s) {unknown}")
    sel = table[table["input_id"].isin(ids)]
    wide = sel.pivot_table(index="input_id", columns="country", values="share", aggfunc="sum", observed=True)
    wide = wide.reindex(index=ids, columns=list(countries)).fillna(0.0)
    out = meta.loc[ids, ["input_name", "stage"]].rename(columns={"input_name": "input"})
    out = pd.concat([out, wide], axis=1)
    out.index.name = "input_id"
    return out.reset_index()


def build_all(shared_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Build and validate every AI dataset: ``{name: tidy frame}`` (for notebooks and tests)."""
    return {d.name: validate_tidy(d.build(shared_dir), d.name) for d in DATASETS}
