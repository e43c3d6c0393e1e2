"""The book's ``measure(spec)``: the claim and pros/cons specifications measured on the
committed extracts.

:mod:`bricsai.ledger.claims` and :mod:`bricsai.ledger.proscons` take a ``measure(spec) -> float`` (the
contract is in the :mod:`bricsai.ledger.claims` docstring). This module is the one the book uses. It
reads every tidy extract in ``data/extracts`` and never sums a group short in silence:
:func:`explain` returns the value together with its coverage and, when there is no value, the
reason; :func:`measure` returns just the value (NaN when :func:`explain` gives none).

Decisions
---------
- **Which extract.** An indicator code is looked up in the extract that lists it in its
  metadata (codes are unique across extracts).
- **World.** The extract's world row: ``IMF_WORLD`` for the IMF extract, ``WLD`` otherwise. For
  count indicators without a world row the world is the sum over countries; for any other
  indicator a missing world row gives no value (a partial world would inflate shares).
- **Absent is zero for counts.** ``epoch_*`` (notable models, GPU clusters and their H100
  equivalents) and ``top500_*`` (systems and performance on a list) are counts of things that
  exist: the extracts have a row only where the count is positive, so a country without a row
  in a year the extract covers has none (e.g. South Africa has no GPU cluster in Epoch's data).
  Every other indicator (World Bank, IMF, indices) needs a value for every member; one missing
  member makes the group total missing, and :func:`explain` names the member.
- **Years.** A year the extract does not cover (no row for the indicator in that year, or no
  world row where one is needed) gives no value. Years the extract's metadata marks as partial
  or as projections (:func:`partial_year`) give no value either: a cumulative stock read in the
  middle of a year must not pass for a year-end value.
- **Sums** are :func:`bricsai.groups.arithmetic.total_share`, the book's one group total.
- **Ratios** with a zero denominator give no value.
- **Ranks** are among countries only (the World Bank's aggregates and the world rows excluded),
  1 = highest, ties share the best rank.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from bricsai.errors import DataError
from bricsai.groups import arithmetic, blocs
from bricsai.sources import extracts

COUNT_PREFIXES = ("epoch_", "top500_")
WORLD_ROW = {"imf_weo_gdp": "IMF_WORLD"}
DEFAULT_WORLD = "WLD"

def partial_year(name: str, year: int) -> str | None:
    """Why ``year`` of extract ``name`` gives no value, if its metadata marks it as partial or as
    a projection (``partial_years``, ``projection_years``); None otherwise."""
    meta = extracts.metadata(name)
    if int(year) in meta.get("partial_years", []):
        return f"{name} holds {year} only in part (its metadata marks {year} as partial)"
    if int(year) in meta.get("projection_years", []):
        return f"{year} is a projection in {name}, not an estimate"
    return None


# Short readable names of the indicators that the claims and pros/cons use.
LABELS = {
    "SP.POP.TOTL": "population",
    "NY.GDP.MKTP.CD": "GDP at market exchange rates",
    "NY.GDP.MKTP.PP.CD.DERIVED": "GDP at PPP",
    "BX.KLT.DINV.CD.WD": "net FDI inflows",
    "epoch_models": "notable AI models",
    "epoch_models_frac": "notable AI models (fractional count)",
    "epoch_gpu_h100e": "GPU-cluster capacity (H100 equivalents)",
    "top500_rmax_jun": "TOP500 performance (June list)",
    "top500_rmax_nov": "TOP500 performance (November list)",
}

# Bibliography keys of the data sets behind each extract (for captions and table cells).
DATASET_KEYS = {
    "wdi_economy": "worldbank2026wdi", "wdi_innovation": "worldbank2026wdi",
    "imf_weo_gdp": "imf2025weo", "epoch_notable_models": "epoch2026models",
    "epoch_gpu_clusters": "epoch2025gpuclusters", "top500": "top500",
    "oxford_gairi": "oxford2025gairi", "tortoise_global_ai_index": "tortoise2021gaii",
    "cset_ai_publications": "cset2025publications", "eto_semiconductor_shares": "cset2022supplychain",
}

NAN = float("nan")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@lru_cache(maxsize=1)
def _tidy_names() -> tuple[str, ...]:
    return tuple(n for n in extracts.available() if "indicators" in extracts.metadata(n))


@lru_cache(maxsize=1)
def _indicator_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in _tidy_names():
        for code in extracts.metadata(name)["indicators"]:
            out.setdefault(code, name)
    return out


def dataset_of(indicator: str) -> str:
    """The extract that holds ``indicator``; DataError naming the extracts folder if none does."""
    try:
        return _indicator_index()[indicator]
    except KeyError:
        raise DataError(extracts.EXTRACTS, f"no committed extract holds indicator {indicator!r}; "
                                           f"the extracts hold {sorted(_indicator_index())}") from None


def label(indicator: str) -> str:
    return LABELS.get(indicator, indicator)


def is_count(indicator: str) -> bool:
    """Whether a country without a row has zero (see the module docstring)."""
    return indicator.startswith(COUNT_PREFIXES)


@lru_cache(maxsize=32)
def _values(indicator: str) -> pd.DataFrame:
    """year x entity table of one indicator (NaN where there is no row)."""
    df = extracts.load(dataset_of(indicator))
    df = df[df["indicator"] == indicator]
    df = df.assign(entity=df["entity"].astype(str), year=df["year"].astype(int))
    return df.pivot_table(index="year", columns="entity", values="value", aggfunc="first")


@lru_cache(maxsize=32)
def _rows(indicator: str) -> pd.DataFrame:
    """The extract's rows of one indicator (entity as text)."""
    df = extracts.load(dataset_of(indicator))
    df = df[df["indicator"] == indicator]
    return df.assign(entity=df["entity"].astype(str), year=df["year"].astype(int))


@lru_cache(maxsize=1)
def _not_countries() -> frozenset[str]:
    c = extracts.load("wdi_countries")
    return frozenset(c.loc[c["is_aggregate"].astype(bool), "code"].astype(str)) | {"WLD", "IMF_WORLD"} | {
        e for e in _values_all_entities() if e.startswith("IMF_")}


@lru_cache(maxsize=1)
def _values_all_entities() -> frozenset[str]:
    out = set()
    for name in _tidy_names():
        out |= set(extracts.load(name)["entity"].astype(str).unique())
    return frozenset(out)


@lru_cache(maxsize=1)
def _scenarios() -> dict[str, list[str]]:
    return blocs.scenarios()


def members(group) -> list[str]:
    """ISO3 codes of a scenario name, an ISO3 code or a list of codes."""
    if isinstance(group, str):
        return list(_scenarios().get(group, [group]))
    return list(group)


def group_label(group) -> str:
    return "+".join(group) if isinstance(group, list) else str(group)


def _lacking(name: str, year: int, codes: list[str], table: pd.DataFrame) -> str:
    """Which members the extract lacks, and whether it lacks them in this year or altogether:
    a valid ISO3 code that is not the intended country (IRQ for IRN) shows up as the latter."""
    never = [c for c in codes if c not in table.columns]
    gaps = [c for c in codes if c in table.columns]
    parts = ([f"{name} has no {year} value for {', '.join(gaps)}"] if gaps else []) + (
        [f"{name} has no row at all for {', '.join(never)}"] if never else [])
    return "; ".join(parts)


def _total(indicator: str, year: int, group) -> dict[str, Any]:
    """Group total with coverage: {value, n_members, n_present, missing, absent, problem}.

    ``absent``: members of a count indicator that the extract has no row for at all, counted
    as zero (see the module docstring); listed so that a wrong code does not pass unseen.
    """
    ms = members(group)
    out = {"value": NAN, "n_members": len(ms), "n_present": 0, "missing": [], "absent": [],
           "problem": None}
    name = dataset_of(indicator)
    partial = partial_year(name, int(year))
    table = _values(indicator)
    if partial:
        out["problem"] = partial
        return out
    if int(year) not in table.index:
        out["problem"] = f"{year} is not in the data ({label(indicator)}: {table.index.min()}-{table.index.max()})"
        return out
    count = is_count(indicator)
    r = arithmetic.total_share(_rows(indicator), indicator, ms, [int(year)], of=None,
                               absent="zero" if count else "require").iloc[0]
    missing = list(r["missing"])
    if count:
        out["absent"] = [iso for iso in ms if iso not in table.columns]
    out["n_present"] = len(ms) - len(missing)
    out["missing"] = missing
    if missing:
        out["problem"] = f"incomplete: {_lacking(name, int(year), missing, table)}"
    else:
        out["value"] = float(r["total"])
    return out


def _world(indicator: str, year: int) -> tuple[float, str | None]:
    name = dataset_of(indicator)
    table = _values(indicator)
    if int(year) not in table.index:
        return NAN, f"{year} is not in the data"
    row = table.loc[int(year)]
    w = row.get(WORLD_ROW.get(name, DEFAULT_WORLD), NAN)
    if not _missing(w):
        return float(w), None
    if is_count(indicator):
        return float(row[[e for e in row.index if e not in _not_countries()]].sum()), None
    return NAN, f"no world value for {year}"


def explain(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The measured value of a spec with what stands behind it.

    Keys: value (float, NaN if none), dataset, indicator, year, group, n_members, n_present,
    missing (members without a value), absent (members of a count indicator without any row in
    the extract, counted as zero), problem (why there is no value, naming the extract and the
    members it lacks; else None), denominator (world or comparison total, where the metric has
    one).
    """
    metric, ind, year = spec["metric"], spec["indicator"], int(spec["year"])
    group = spec.get("scenario", spec.get("entity"))
    info = {"dataset": dataset_of(ind), "indicator": ind, "year": year, "group": group_label(group),
            "metric": metric, "denominator": NAN, "absent": []}
    if metric == "rank":
        table = _values(ind)
        if year not in table.index:
            return {**info, "value": NAN, "n_members": 1, "n_present": 0, "missing": [group],
                    "problem": f"{year} is not in the data"}
        col = table.loc[year].dropna()
        col = col[~col.index.isin(_not_countries())]
        if group not in col.index:
            return {**info, "value": NAN, "n_members": 1, "n_present": 0, "missing": [group],
                    "problem": _lacking(info["dataset"], year, [group], table)}
        return {**info, "value": float(col.rank(ascending=False, method="min")[group]),
                "n_members": 1, "n_present": 1, "missing": [], "problem": None}
    num = _total(ind, year, group)
    info.update({k: num[k] for k in ("n_members", "n_present", "missing", "absent")})
    value, problem = num["value"], num["problem"]
    if metric == "value":
        pass
    elif metric == "world_share":
        if problem is None:
            world, problem = _world(ind, year)
            info["denominator"] = world
            value = value / world if problem is None and world else NAN
    elif metric == "ratio":
        if problem is None:
            den = _total(ind, int(spec.get("to_year", year)), spec["to"])
            problem = den["problem"]
            info["denominator"] = den["value"]
            if problem is None and den["value"] == 0:
                problem = f"the comparison total ({group_label(spec['to'])}) is zero"
            value = value / den["value"] if problem is None else NAN
    else:
        raise ValueError(f"unknown metric {metric!r}")
    if problem is not None:
        value = NAN
    return {**info, "value": float(value), "problem": problem}


def measure(spec: Mapping[str, Any]) -> float:
    """The book's ``measure(spec)`` (see :func:`explain`): a float, NaN when there is no value."""
    return explain(spec)["value"]


def datasets(specs: Iterable[Mapping[str, Any]]) -> list[str]:
    """The extracts behind a set of specs, in first-use order."""
    return list(dict.fromkeys(dataset_of(s["indicator"]) for s in specs))


def format_measured(spec: Mapping[str, Any], value, display: str | None = None) -> str:
    """A measured value for a reader: shares in per cent, ratios as 'n x', ranks as '#n'."""
    if _missing(value):
        return "no value"
    display = display or {"world_share": "percent", "ratio": "times", "rank": "rank"}.get(spec["metric"], "number")
    value = float(value)
    if display == "percent":
        return f"{value:.1%}" if abs(value) >= 0.001 or value == 0 else f"{value:.2%}"
    if display == "times":
        return f"{value:.2f}×" if abs(value) < 10 else f"{value:.1f}×"
    if display == "rank":
        return f"#{value:.0f}"
    return f"{value:,.3g}"


def cache_clear() -> None:
    for f in (_tidy_names, _indicator_index, _values, _rows, _not_countries, _values_all_entities, _scenarios):
        f.cache_clear()


# --- the quantitative checks, for the ledger page ------------------------------------------------

def _describe_test(test: Mapping[str, Any], spec: Mapping[str, Any]) -> str:
    def f(x):
        return format_measured(spec, x)
    if test["op"] == "between":
        return f"from {f(test['low'])} to {f(test['high'])}"
    return {">": "above", ">=": "at least", "<": "below", "<=": "at most"}[test["op"]] + f" {f(test['threshold'])}"


def checks_detail(claims: Iterable[Mapping[str, Any]], explain_fn=None) -> pd.DataFrame:
    """One row per check of every quantitative claim, measured on the committed extracts.

    Columns: claim, check, role, group, basis, year, value (float), shown (formatted), test
    (in words), passed (True/False/None), result (in words; says why a value is missing),
    dataset, n_members, n_present.
    """
    from bricsai.ledger.claims import passes

    explain_fn = explain_fn or explain
    rows = []
    for claim in claims:
        if claim["kind"] != "quantitative":
            continue
        for check in claim["evidence"]["checks"]:
            spec = check["measure"]
            info = explain_fn(spec)
            ok = passes(check["test"], info["value"])
            group = info["group"]
            if spec["metric"] == "ratio":
                group = f"{group} vs {group_label(spec['to'])}"
            result = {True: "pass", False: "fail", None: f"no value: {info['problem']}"}[ok]
            rows.append({"claim": claim["id"], "check": check["id"], "role": check["role"],
                         "group": group, "basis": label(spec["indicator"]), "year": int(spec["year"]),
                         "value": info["value"], "shown": format_measured(spec, info["value"]),
                         "test": _describe_test(check["test"], spec), "passed": ok, "result": result,
                         "dataset": info["dataset"], "n_members": info["n_members"],
                         "n_present": info["n_present"]})
    return pd.DataFrame(rows)


SHORT_LABELS = {"NY.GDP.MKTP.CD": "nominal", "NY.GDP.MKTP.PP.CD.DERIVED": "PPP",
                "epoch_models": "models", "epoch_models_frac": "models", "epoch_gpu_h100e": "compute",
                "top500_rmax_jun": "TOP500", "top500_rmax_nov": "TOP500"}


def check_summaries(claims: Iterable[Mapping[str, Any]], detail: pd.DataFrame | None = None) -> dict[str, str]:
    """One line per quantitative claim listing its measured values, e.g.
    'Measured: BRICS-5 40.5% (pass), BRICS-10 48.3% (pass).'"""
    claims = list(claims)
    detail = checks_detail(claims) if detail is None else detail
    specs = {ch["id"]: ch["measure"] for c in claims if c["kind"] == "quantitative"
             for ch in c["evidence"]["checks"]}
    out = {}
    for cid, rows in detail.groupby("claim", sort=False):
        several = len({specs[r]["indicator"] for r in rows["check"]}) > 1
        parts = []
        for r in rows.itertuples():
            basis = SHORT_LABELS.get(specs[r.check]["indicator"], "") if several else ""
            outcome = {True: "pass", False: "fail"}.get(r.passed, "no value")
            parts.append(" ".join(p for p in (r.group, basis, r.shown) if p) + f" ({outcome})")
        out[cid] = "Measured: " + ", ".join(parts) + "."
    return out
