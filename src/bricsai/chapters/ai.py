"""The AI-capacity chapter's numbers and frames, computed from the committed extracts.

Each function returns plain values or frames that the chapter glues, tabulates or draws; none
formats text and none draws. The chapter notebook only calls these.

Policies that shape the numbers (the prose states them):

* **Groups** are the book's comparison set (:data:`GROUPS`), with the ten members of BRICS as
  of 30 June 2025; BRICS-10+SAU is the upper variant (Saudi Arabia invited, not confirmed).
* **Absent is zero for counts.** The Epoch, TOP500 and CSET extracts list a country only where it
  has something, so a member without a row has no models, clusters, systems or papers.
* **Reference periods.** A continuously updated source's newest year is partial: the models'
  reference year is the one before the newest; GPU clusters are read at the end of the last
  complete year (end-2024 while 2025 is partial); TOP500 at its latest list; publications in
  their latest year; population and GDP in the latest year complete for every country compared.
  Partial periods appear only in time series, flagged ``partial``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.groups import blocs
from bricsai.paths import DATA
from bricsai.sources import extracts

WORLD = "WLD"
GROUPS = ("BRICS-5", "BRICS-10", "BRICS-10+SAU", "BRICS-10 excl. China", "G7", "GPAI")
CHINA = "CHN"
ORIGINAL_FOUR = ("BRA", "RUS", "IND", "ZAF")  # BRICS-5 without China
PUBLISHED_FILE = DATA / "published_figures.yml"

MODELS, MODELS_FRAC = "epoch_models", "epoch_models_frac"
H100E, CLUSTERS = "epoch_gpu_h100e", "epoch_gpu_clusters"
PUBS = "cset_ai_publications"
POP, GDP = "SP.POP.TOTL", "NY.GDP.MKTP.CD"

# The four measures of AI output compared over time: (label, extract, indicator).
OUTPUTS = (("AI publications", "cset_ai_publications", PUBS),
           ("Notable models", "epoch_notable_models", MODELS_FRAC),
           ("GPU capacity", "epoch_gpu_clusters", H100E),
           ("TOP500 performance", "top500", "top500_rmax"))


# --------------------------------------------------------------------------------------------
# Groups and periods
# --------------------------------------------------------------------------------------------

def members(group: str) -> list[str]:
    """ISO3 codes of a comparison group, or ``[code]`` for a country code."""
    scen = blocs.scenarios()
    return list(scen[group]) if group in scen else [group]


def later_members() -> list[str]:
    """Members that joined after the original five (BRICS-10 order), then Saudi Arabia."""
    b5 = set(members("BRICS-5"))
    return [c for c in members("BRICS-10+SAU") if c not in b5]


@lru_cache(maxsize=32)
def _wide(extract: str, indicator: str) -> pd.DataFrame:
    """year x entity values of one indicator (NaN where the extract has no row)."""
    df = extracts.load(extract)
    df = df[df["indicator"] == indicator]
    if df.empty:
        raise DataError(extract, f"no rows for indicator {indicator!r}")
    return df.pivot_table(index="year", columns="entity", values="value", aggfunc="first",
                          observed=True).astype("float64")


def _top500_wide(measure: str = "rmax") -> pd.DataFrame:
    """list x entity table of one TOP500 measure; the index is the list, e.g. '2025-11'."""
    parts = []
    for month, suffix in (("06", "jun"), ("11", "nov")):
        w = _wide("top500", f"top500_{measure}_{suffix}")
        parts.append(w.set_axis([f"{y}-{month}" for y in w.index], axis=0))
    return pd.concat(parts).sort_index()


def _counts(extract: str, indicator: str) -> pd.DataFrame:
    if indicator == "top500_rmax":
        return _top500_wide("rmax").fillna(0.0)
    if indicator == "top500_systems":
        return _top500_wide("systems").fillna(0.0)
    return _wide(extract, indicator).fillna(0.0)


def total(wide: pd.DataFrame, group: str | list[str]) -> pd.Series:
    """A group's total per period from a zero-filled wide table (absent member = 0)."""
    codes = members(group) if isinstance(group, str) else list(group)
    return wide.reindex(columns=codes, fill_value=0.0).sum(axis=1)


def partial_years(extract: str) -> set[int]:
    """Years the source itself leaves incomplete, from the extract's metadata: the newest year
    of a continuously updated Epoch file."""
    meta = extracts.metadata(extract)
    if extract in ("epoch_notable_models", "epoch_gpu_clusters"):
        return {int(meta["years"][1])}
    return set()


@lru_cache(maxsize=1)
def periods() -> dict:
    """The chapter's reference periods (see the module docstring)."""
    models_last = int(extracts.metadata("epoch_notable_models")["years"][1])
    gpu_last = int(extracts.metadata("epoch_gpu_clusters")["years"][1])
    lists = list(_top500_wide().index)
    pop, gdp = _wide("wdi_economy", POP), _wide("wdi_economy", GDP)
    every = sorted({c for g in GROUPS for c in members(g)} | {WORLD})
    complete = [y for y in gdp.index if y in pop.index
                and pop.loc[y].reindex(every).notna().all() and gdp.loc[y].reindex(every).notna().all()]
    if not complete:
        raise DataError("wdi_economy", "no year has population and GDP for every country compared")
    return {"models": models_last - 1, "models_partial": models_last,
            "gpu": gpu_last - 1 if gpu_last in partial_years("epoch_gpu_clusters") else gpu_last,
            "gpu_partial": gpu_last,
            "top500": lists[-1], "top500_first": lists[0],
            "pubs": int(_wide("cset_ai_publications", PUBS).index.max()),
            "economy": int(max(complete))}


def list_label(list_id: str) -> str:
    """'2025-11' -> 'November 2025'."""
    year, month = list_id.split("-")
    return f"{ {'06': 'June', '11': 'November'}[month]} {year}"


# --------------------------------------------------------------------------------------------
# Per person and per unit of GDP
# --------------------------------------------------------------------------------------------

def per_person(countries: list[str] | None = None) -> pd.DataFrame:
    """Totals next to rates for the comparison groups and selected countries.

    One row per group or country: population (millions), GDP (US$ bn, market exchange rates),
    AI publications, GPU capacity (H100e), notable models (fractional count), each with its
    rate (per million people; models per 100 million) and share of the world; and GPU capacity
    and publications per US$ bn of GDP. Periods as in :func:`periods`.
    """
    p = periods()
    countries = countries or members("BRICS-10+SAU") + ["USA"]
    pop = _wide("wdi_economy", POP).loc[p["economy"]]
    gdp = _wide("wdi_economy", GDP).loc[p["economy"]]
    pubs = _counts("cset_ai_publications", PUBS).loc[p["pubs"]]
    gpu = _counts("epoch_gpu_clusters", H100E).loc[p["gpu"]]
    mods = _counts("epoch_notable_models", MODELS_FRAC).loc[p["models"]]
    rows = []
    for name in list(GROUPS) + countries + [WORLD]:
        codes = [name] if name == WORLD else members(name)
        kind = "world" if name == WORLD else ("group" if name in GROUPS else "country")
        r = {"name": name, "kind": kind, "n_members": len(codes),
             "population_m": pop.reindex(codes).sum(min_count=len(codes)) / 1e6,
             "gdp_bn": gdp.reindex(codes).sum(min_count=len(codes)) / 1e9,
             "publications": pubs.reindex(codes, fill_value=0).sum(),
             "h100e": gpu.reindex(codes, fill_value=0).sum(),
             "models": mods.reindex(codes, fill_value=0).sum()}
        rows.append(r)
    out = pd.DataFrame(rows)
    world = out[out["kind"] == "world"].iloc[0]
    out["pubs_per_m"] = out["publications"] / out["population_m"]
    out["h100e_per_m"] = out["h100e"] / out["population_m"]
    out["models_per_100m"] = out["models"] / out["population_m"] * 100
    out["h100e_per_gdp_bn"] = out["h100e"] / out["gdp_bn"]
    out["pubs_per_gdp_bn"] = out["publications"] / out["gdp_bn"]
    for col in ("population_m", "gdp_bn", "publications", "h100e", "models"):
        out[f"{col}_share"] = out[col] / world[col]
    return out


# --------------------------------------------------------------------------------------------
# China and the rest of the bloc
# --------------------------------------------------------------------------------------------

def china_share_over_time(group: str = "BRICS-10") -> pd.DataFrame:
    """China's share of the group's total for each AI output, by period.

    Long frame: ``measure, period, china, group_total, share, partial``; ``period`` is a year,
    or a TOP500 list as ``YYYY-MM``. Models from 2016 (fractional counts); a period whose group
    total is zero is left out (no share to state).
    """
    rows = []
    for label, extract, indicator in OUTPUTS:
        wide = _counts(extract, indicator)
        if extract == "epoch_notable_models":
            wide = wide.loc[wide.index >= 2016]
        part = partial_years(extract)
        g, c = total(wide, group), total(wide, [CHINA])
        for period in wide.index:
            if g[period] == 0:
                continue
            rows.append({"measure": label, "period": str(period), "china": c[period],
                         "group_total": g[period], "share": c[period] / g[period],
                         "partial": (period in part)})
    return pd.DataFrame(rows)


def rest_of_bloc() -> pd.DataFrame:
    """The bloc without China, member by member: each output's share of the world.

    Rows: the original four (Brazil, Russia, India, South Africa), each later member alone, the
    nine (BRICS-10 excl. China), and the ten with Saudi Arabia (BRICS-10+SAU excl. China).
    Columns: one per output (fraction of the world total at the reference period) plus
    ``members``. A later member's row shows what adding it brings; the difference between the
    nine and the original four is the sum of the later members of BRICS-10.
    """
    p = periods()
    at = {"AI publications": p["pubs"], "Notable models": p["models"], "GPU capacity": p["gpu"],
          "TOP500 performance": p["top500"]}
    lines = [("Original four (BRA, RUS, IND, ZAF)", list(ORIGINAL_FOUR))]
    lines += [(c, [c]) for c in later_members()]
    lines += [("BRICS-10 excl. China", members("BRICS-10 excl. China")),
              ("BRICS-10+SAU excl. China", [c for c in members("BRICS-10+SAU") if c != CHINA])]
    rows = []
    for name, codes in lines:
        row = {"line": name, "members": ",".join(codes)}
        for label, extract, indicator in OUTPUTS:
            wide = _counts(extract, indicator)
            period = at[label]
            row[label] = total(wide, codes)[period] / wide.loc[period, WORLD]
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Two views of compute
# --------------------------------------------------------------------------------------------

def compute_views(entities: list[str] | None = None) -> pd.DataFrame:
    """TOP500 and Epoch's GPU clusters side by side, for countries and groups.

    Columns: ``name, top500_systems, top500_rmax_share`` (latest list) and ``gpu_clusters,
    gpu_h100e_share`` (end of the GPU reference year); shares of each source's world row.
    """
    p = periods()
    entities = entities or ["USA", "CHN", "JPN", "DEU", "RUS", "IND", "SAU", "ARE", "BRA"] + list(GROUPS)
    rmax = _counts("top500", "top500_rmax").loc[p["top500"]]
    systems = _counts("top500", "top500_systems").loc[p["top500"]]
    gpu = _counts("epoch_gpu_clusters", H100E).loc[p["gpu"]]
    nclus = _counts("epoch_gpu_clusters", CLUSTERS).loc[p["gpu"]]
    rmax_world = rmax[WORLD]
    rows = []
    for name in entities:
        codes = members(name)
        rows.append({"name": name,
                     "top500_systems": systems.reindex(codes, fill_value=0).sum(),
                     "top500_rmax_share": rmax.reindex(codes, fill_value=0).sum() / rmax_world,
                     "gpu_clusters": nclus.reindex(codes, fill_value=0).sum(),
                     "gpu_h100e_share": gpu.reindex(codes, fill_value=0).sum() / gpu[WORLD]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# GPU-cluster filters and Epoch's own headline
# --------------------------------------------------------------------------------------------

def cluster_list() -> pd.DataFrame:
    """Epoch's cluster rows with typed columns (dates as Timestamps, numbers as floats)."""
    df = extracts.load("epoch_gpu_cluster_list")
    out = df.copy()
    for col in ("first_operational", "decommissioned"):
        text = df[col].astype(str).str.strip()
        text = text.where(text.str.len() != 7, text + "-01")  # month-only decommissioning dates
        out[col] = pd.to_datetime(text.replace("", None), format="%Y-%m-%d")
    for col in ("h100e", "op16"):
        out[col] = pd.to_numeric(df[col].replace("", None), errors="raise").astype("float64")
    for col in ("standard", "possible_duplicate", "anonymised"):
        out[col] = df[col].astype(str).str.lower().eq("true")
    out["entity"] = df["entity"].astype(str).replace("", None)
    return out


def published() -> dict:
    """Figures published by others that the chapter compares with (``data/published_figures.yml``)."""
    return yamlfile.load(PUBLISHED_FILE)


def epoch_headline_filter(rows: pd.DataFrame, as_of: str) -> pd.Series:
    """Epoch's filter in its data insight of 5 June 2025: a known country, first operational
    date and 16-bit performance, operational from 2019 up to ``as_of``."""
    d = rows["first_operational"]
    return (rows["entity"].notna() & d.notna() & rows["op16"].notna()
            & (d >= pd.Timestamp("2019-01-01")) & (d <= pd.Timestamp(as_of)))


def _shares(rows: pd.DataFrame, value: str, entities: dict[str, list[str]]) -> dict:
    world = rows[value].fillna(0).sum()
    by = rows.groupby("entity")[value].sum()
    return {k: float(by.reindex(v, fill_value=0).sum() / world) for k, v in entities.items()}


def filter_steps(as_of: str | None = None, value: str = "h100e") -> pd.DataFrame:
    """How the country shares of reported GPU capacity move as the filter tightens.

    Each step adds one condition to the one before, starting from Epoch's own headline filter;
    the last two rows are Epoch's standard-analysis flag (the book's filter) and, as a
    sensitivity, the same without anonymised Chinese systems. ``as_of`` defaults to the end of
    the GPU reference year. Columns: ``step, clusters, USA, CHN, RUS, BRICS-10, BRICS-10+SAU``.
    """
    as_of = as_of or f"{periods()['gpu']}-12-31"
    rows = cluster_list()
    who = {"USA": ["USA"], "CHN": [CHINA], "RUS": ["RUS"], "BRICS-10": members("BRICS-10"),
           "BRICS-10+SAU": members("BRICS-10+SAU")}
    alive = rows["decommissioned"].isna() | (rows["decommissioned"] > pd.Timestamp(as_of))
    steps = [("Epoch's headline filter (known country, date, 16-bit performance)",
              epoch_headline_filter(rows, as_of))]
    steps.append(("… and existing (not planned, not decommissioned)",
                  steps[-1][1] & (rows["status"] == "Existing") & alive))
    steps.append(("… and a single cluster", steps[-1][1] & (rows["single_cluster"] == "Yes")))
    steps.append(("… and not a possible duplicate", steps[-1][1] & ~rows["possible_duplicate"]))
    book = (rows["status"] == "Existing") & rows["standard"] & rows["first_operational"].notna() \
        & (rows["first_operational"] <= pd.Timestamp(as_of))
    steps.append(("Epoch's standard analysis, existing (the book's filter)", book))
    steps.append(("… without anonymised Chinese systems", book & ~rows["anonymised"]))
    out = []
    for name, mask in steps:
        sel = rows[mask]
        out.append({"step": name, "clusters": int(len(sel)), **_shares(sel, value, who)})
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------------
# Model counts and their revision
# --------------------------------------------------------------------------------------------

def model_counts(entities: tuple[str, ...] = ("USA", CHINA, WORLD), since: int = 2016) -> pd.DataFrame:
    """Whole counts of notable models by year (``year, <entities>, partial``)."""
    wide = _counts("epoch_notable_models", MODELS)
    out = wide.reindex(columns=list(entities), fill_value=0.0).loc[since:].copy()
    out["partial"] = out.index.isin(partial_years("epoch_notable_models"))
    return out.rename_axis("year").reset_index()


def model_revision() -> pd.DataFrame:
    """The AI Index's count for a year (from Epoch's earlier snapshot) against the same year in
    the book's later copy: ``entity, ai_index, epoch_now, added, ratio`` plus the year and
    snapshot dates as columns."""
    pub = published()["aiindex2025_notable_models"]
    year = int(pub["year"])
    wide = _counts("epoch_notable_models", MODELS)
    rows = []
    for iso, n in pub["counts"].items():
        now = float(wide.loc[year].get(iso, 0.0))
        rows.append({"entity": iso, "year": year, "ai_index": float(n), "epoch_now": now,
                     "added": now - float(n), "ratio": now / float(n),
                     "ai_index_snapshot": str(pub["snapshot"]),
                     "epoch_now_release": extracts.metadata("epoch_notable_models")["release"]})
    return pd.DataFrame(rows)


def cache_clear() -> None:
    for f in (_wide, periods):
        f.cache_clear()




# --------------------------------------------------------------------------------------------
# The values the prose states
# --------------------------------------------------------------------------------------------

def new_values() -> dict:
    """Numbers and words the chapter's sections on rates, China's share, compute views, the
    filter and the model revision state (shares in per cent), keyed by glue name."""
    p = periods()
    v: dict = {"ai-pp-economy-year": p["economy"], "ai-pp-pubs-year": p["pubs"], "ai-pp-gpu-year": p["gpu"],
               "ai-pp-models-year": p["models"], "ai-top500-latest-list": list_label(p["top500"])}
    pp = per_person().set_index("name")
    for name, key in (("BRICS-5", "b5"), ("BRICS-10", "b10"), ("BRICS-10 excl. China", "bx"), ("G7", "g7"),
                      ("GPAI", "gpai"), ("USA", "usa"), ("CHN", "chn"), ("IND", "ind"), ("RUS", "rus"),
                      (WORLD, "wld")):
        r = pp.loc[name]
        v[f"ai-pp-{key}-pop-share"] = 100 * r["population_m_share"]
        v[f"ai-pp-{key}-gdp-share"] = 100 * r["gdp_bn_share"]
        v[f"ai-pp-{key}-pubs-per-m"] = r["pubs_per_m"]
        v[f"ai-pp-{key}-h100e-per-m"] = r["h100e_per_m"]
        v[f"ai-pp-{key}-models-per-100m"] = r["models_per_100m"]
        v[f"ai-pp-{key}-h100e-share"] = 100 * r["h100e_share"]
        v[f"ai-pp-{key}-h100e-per-gdp"] = r["h100e_per_gdp_bn"]
    v["ai-pp-g7-b10-h100e-ratio"] = pp.loc["G7", "h100e_per_m"] / pp.loc["BRICS-10", "h100e_per_m"]
    v["ai-pp-g7-b10-pubs-ratio"] = pp.loc["G7", "pubs_per_m"] / pp.loc["BRICS-10", "pubs_per_m"]

    cs = china_share_over_time()
    done = cs[~cs["partial"]]
    for label, key in (("AI publications", "pubs"), ("Notable models", "models"), ("GPU capacity", "gpu"),
                       ("TOP500 performance", "top500")):
        d = done[done["measure"] == label]
        v[f"ai-cs-{key}-first-period"] = _period_words(d["period"].iloc[0])
        v[f"ai-cs-{key}-first"] = 100 * d["share"].iloc[0]
        v[f"ai-cs-{key}-last-period"] = _period_words(d["period"].iloc[-1])
        v[f"ai-cs-{key}-last"] = 100 * d["share"].iloc[-1]
    m = done[done["measure"] == "Notable models"]
    v["ai-cs-models-years-all-china"] = int((m["share"] == 1).sum())
    v["ai-cs-models-years"] = int(len(m))

    rb = rest_of_bloc().set_index("line")
    four = rb.iloc[0]
    later = [c for c in later_members() if c != "SAU"]
    for label, key in (("AI publications", "pubs"), ("GPU capacity", "gpu"), ("TOP500 performance", "top500")):
        v[f"ai-rb-four-{key}"] = 100 * four[label]
        v[f"ai-rb-later-{key}"] = 100 * rb.loc[later, label].sum()
        v[f"ai-rb-nine-{key}"] = 100 * rb.loc["BRICS-10 excl. China", label]
        v[f"ai-rb-sau-{key}"] = 100 * rb.loc["SAU", label]
        v[f"ai-rb-ind-{key}"] = 100 * _share_at(label, ["IND"])
    v["ai-rb-nine-models"] = 100 * rb.loc["BRICS-10 excl. China", "Notable models"]

    cv = compute_views().set_index("name")
    for name, key in (("USA", "usa"), ("CHN", "chn"), ("JPN", "jpn"), ("DEU", "deu"), ("RUS", "rus"),
                      ("SAU", "sau"), ("BRICS-10", "b10"), ("BRICS-10+SAU", "b10s")):
        v[f"ai-cv-{key}-top500-share"] = 100 * cv.loc[name, "top500_rmax_share"]
        v[f"ai-cv-{key}-top500-systems"] = cv.loc[name, "top500_systems"]
        v[f"ai-cv-{key}-gpu-share"] = 100 * cv.loc[name, "gpu_h100e_share"]
        v[f"ai-cv-{key}-gpu-clusters"] = cv.loc[name, "gpu_clusters"]

    pub = published()["epoch_ai_supercomputer_shares"]
    head = filter_steps(pub["as_of"]).iloc[0]
    head16 = filter_steps(pub["as_of"], value="op16").iloc[0]
    v["ai-eh-usa"], v["ai-eh-chn"], v["ai-eh-n"] = 100 * head["USA"], 100 * head["CHN"], head["clusters"]
    v["ai-eh-usa-op16"], v["ai-eh-chn-op16"] = 100 * head16["USA"], 100 * head16["CHN"]
    v["ai-eh-pub-usa"], v["ai-eh-pub-chn"] = pub["shares"]["USA"]["words"], pub["shares"]["CHN"]["words"]
    steps = filter_steps()
    for i, key in enumerate(("epoch", "existing", "single", "nodup", "book", "noanon")):
        v[f"ai-fs-{key}-chn"] = 100 * steps["CHN"].iloc[i]
        v[f"ai-fs-{key}-usa"] = 100 * steps["USA"].iloc[i]
        v[f"ai-fs-{key}-n"] = steps["clusters"].iloc[i]
    rows = cluster_list()
    v["ai-fs-anonymised-n"] = int(rows["anonymised"].sum())
    v["ai-fs-planned-n"] = int((rows["status"] == "Planned").sum())
    v["ai-fs-decommissioned-n"] = int((rows["status"] == "Decommissioned").sum())

    rev = model_revision().set_index("entity")
    v["ai-mr-year"] = int(rev["year"].iloc[0])
    v["ai-mr-snapshot"] = _date_words(rev["ai_index_snapshot"].iloc[0])
    for iso, key in (("USA", "usa"), (CHINA, "chn")):
        v[f"ai-mr-{key}-aiindex"] = rev.loc[iso, "ai_index"]
        v[f"ai-mr-{key}-now"] = rev.loc[iso, "epoch_now"]
        v[f"ai-mr-{key}-added"] = rev.loc[iso, "added"]
    return {k: (float(x) if isinstance(x, (int, float, np.integer, np.floating)) else str(x)) for k, x in v.items()}


def _share_at(label: str, codes: list[str]) -> float:
    p = periods()
    at = {"AI publications": p["pubs"], "Notable models": p["models"], "GPU capacity": p["gpu"],
          "TOP500 performance": p["top500"]}[label]
    extract, indicator = {m: (e, i) for m, e, i in OUTPUTS}[label]
    wide = _counts(extract, indicator)
    return float(total(wide, codes)[at] / wide.loc[at, WORLD])


def _period_words(period: str) -> str:
    return list_label(period) if "-" in str(period) else str(period)


def _date_words(iso: str) -> str:
    d = pd.Timestamp(iso)
    return f"{d.day} {d.strftime('%B %Y')}"
