"""The AI-capacity chapter's numbers and frames, computed from the committed extracts.

Each function returns plain values or frames that the chapter glues, tabulates or draws; none
formats text and none draws. The chapter notebook only calls these.

Policies that shape the numbers (the prose states them):

* **Groups** are the book's comparison set (``comparison`` in ``data/blocs.yml``), with the ten
  members of BRICS as of 30 June 2025; BRICS-10+SAU is the upper variant (Saudi Arabia invited,
  not confirmed). Group totals and shares come from :func:`bricsai.groups.arithmetic.total_share`
  and headline measures from the registry (:mod:`bricsai.ledger.measures`).
* **Absent is zero for counts.** The Epoch, TOP500 and CSET extracts list a country only where it
  has something, so a member without a row has no models, clusters, systems or papers.
* **Reference periods** are the as-of policy's (:mod:`bricsai.ledger.asof`): the last complete
  year of notable models and of GPU clusters (end-2024 while 2025 is partial), the latest TOP500
  list, the latest complete year of publications, and the latest year with population and GDP
  for every country compared. Partial years (from each extract's metadata) appear only in time
  series, flagged ``partial``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.groups import arithmetic, blocs
from bricsai.ledger import asof
from bricsai.ledger.measures import registry
from bricsai.paths import DATA
from bricsai.sources import extracts

WORLD = "WLD"


def groups() -> tuple[str, ...]:
    """The book's comparison groups, read when asked (a broken blocs.yml then fails the call
    that needs it, with the file's name, not the import of this module)."""
    return tuple(blocs.comparison_groups())


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
    """A group's total per period from a wide table, by the book's one total function
    (absent member = 0, the policy of these count extracts)."""
    codes = members(group) if isinstance(group, str) else list(group)
    # total_share reads years as integers: TOP500 lists ("2025-11") travel as positions.
    tidy = (wide.set_axis(range(len(wide)), axis=0).rename_axis(index="year", columns="entity")
            .stack().rename("value").reset_index().assign(indicator="x"))
    out = arithmetic.total_share(tidy, "x", codes, range(len(wide)), of=None, absent="zero")
    return pd.Series(out["total"].to_numpy(), index=wide.index)


def partial_years(extract: str) -> set[int]:
    """Years the source itself leaves incomplete, from the extract's metadata."""
    return set(asof.dataset_periods(extract)["partial"])


@lru_cache(maxsize=1)
def periods() -> dict:
    """The chapter's reference periods, from the as-of policy, and the partial years after them."""
    reg = registry()
    return {"models": int(reg.period("models")), "models_partial": max(partial_years("epoch_notable_models")),
            "gpu": int(reg.period("gpu")), "gpu_partial": max(partial_years("epoch_gpu_clusters")),
            "top500": reg.period("top500"), "top500_first": list(_top500_wide().index)[0],
            "pubs": int(reg.period("publications")), "economy": int(reg.period("economy"))}


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
    comparison = groups()
    for name in list(comparison) + countries + [WORLD]:
        codes = [name] if name == WORLD else members(name)
        kind = "world" if name == WORLD else ("group" if name in comparison else "country")
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
    entities = entities or ["USA", "CHN", "JPN", "DEU", "RUS", "IND", "SAU", "ARE", "BRA"] + list(groups())
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
        v[f"ai-pp-{key}-pop-share"] = 100 * registry().value("pop_share", name, p["economy"])
        v[f"ai-pp-{key}-gdp-share"] = 100 * registry().value("gdp_share", name, p["economy"])
        v[f"ai-pp-{key}-pubs-per-m"] = r["pubs_per_m"]
        v[f"ai-pp-{key}-h100e-per-m"] = r["h100e_per_m"]
        v[f"ai-pp-{key}-models-per-100m"] = r["models_per_100m"]
        v[f"ai-pp-{key}-h100e-share"] = 100 * registry().value("gpu_share", name, p["gpu"])
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
    # Anonymised clusters among those the book counts (its filter, end of the GPU period), not
    # in the whole file, which also holds planned and decommissioned rows.
    v["ai-fs-anonymised-n"] = int(steps["clusters"].iloc[4] - steps["clusters"].iloc[5])
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


# ============================================================================================
# The chapter's other sections: models, compute, research, readiness, chips, summary, Russia
# ============================================================================================

MODELS_START = 2016  # the period over which the bloc's models are summed
OPEN, CLOSED = "epoch_models_open_weights", "epoch_models_closed_weights"
MODEL_KINDS = (("All notable models", MODELS), ("Open weights", OPEN), ("Closed weights", CLOSED),
               ("Trained with ≥10²³ FLOP", "epoch_models_ge1e23flop"),
               ("Trained with ≥10²⁵ FLOP", "epoch_models_ge1e25flop"),
               ("Frontier (Epoch)", "epoch_models_frontier"))
# World Bank rates shown in the talent table: code -> label.
WDI_RATES = {"SP.POP.SCIE.RD.P6": "Researchers per million", "GB.XPD.RSDV.GD.ZS": "R&D (% of GDP)",
             "SE.TER.ENRR": "Tertiary enrolment (gross %)", "IP.PAT.RESD": "Resident patent applications",
             "IT.NET.USER.ZS": "Internet users (%)", "EG.USE.ELEC.KH.PC": "Electricity use (kWh per person)"}
# Rates summarised for a group as a weighted mean of members' latest values: (code, label, weight).
WEIGHTED = (("SP.POP.SCIE.RD.P6", "Researchers per million", POP),
            ("GB.XPD.RSDV.GD.ZS", "R&D, % of GDP", GDP),
            ("SE.TER.ENRR", "Tertiary enrolment, %", POP),
            ("IT.NET.USER.ZS", "Internet users, %", POP),
            ("EG.USE.ELEC.KH.PC", "Electricity, kWh per person", POP))


def names(codes, last: str = "and") -> str:
    """'Brazil, Egypt and Iran' from ISO3 codes (country_converter's short names)."""
    from bricsai.sources.countries import Labels

    words = [Labels({"ARE": "the UAE", "USA": "the United States"})[c] for c in codes]
    return ", ".join(words[:-1]) + f" {last} " + words[-1] if len(words) > 1 else "".join(words)


def _share(wide: pd.DataFrame, group, periods_) -> float:
    """A group's summed value over the world's, over the same periods (absent = 0)."""
    rows = wide.loc[list(periods_)]
    return float(total(rows, group).sum() / rows[WORLD].sum())


def _latest(code: str, entities, since: int | None = None) -> pd.DataFrame:
    """Each entity's latest World Bank value: ``entity -> year, value`` (NaN where none)."""
    df = extracts.load("wdi_innovation")
    df = df[(df["indicator"] == code) & df["entity"].isin(list(entities)) & df["value"].notna()]
    if since is not None:
        df = df[df["year"] >= since]
    last = df.sort_values("year").groupby("entity").tail(1).set_index("entity")[["year", "value"]]
    return last.reindex(list(entities))


# --- models ---------------------------------------------------------------------------------

def models_values() -> dict:
    p = periods()
    latest, partial, start = p["models"], p["models_partial"], MODELS_START
    whole, frac = _counts("epoch_notable_models", MODELS), _counts("epoch_notable_models", MODELS_FRAC)
    b10, bx = members("BRICS-10"), members("BRICS-10 excl. China")
    g7x = [c for c in members("G7") if c != "USA"]
    span = range(start, latest + 1)
    v = {"ai-models-latest-year": latest, "ai-models-partial-year": partial, "ai-models-period-start": start,
         "ai-china-share-brics-models": 100 * total(frac.loc[span], [CHINA]).sum() / total(frac.loc[span], b10).sum(),
         "ai-bx-models-frac-period": total(frac.loc[span], bx).sum()}
    for iso, key in (("USA", "us"), (CHINA, "china"), (WORLD, "world")):
        v[f"ai-{key}-models-latest"] = whole.loc[latest, iso]
        if iso != WORLD:
            v[f"ai-{key}-models-partial"] = whole.loc[partial, iso]
    reg = registry()
    for key, group in (("us", "USA"), ("china", CHINA), ("bx", "BRICS-10 excl. China"), ("g7x", "+".join(g7x))):
        v[f"ai-{key}-models-frac-share-latest"] = 100 * reg.value("models_share", group, latest)
    absent = [c for c in b10 if whole.get(c, pd.Series(dtype=float)).sum() == 0]
    v["ai-models-absent"] = names(absent, "or")
    ru = whole.get("RUS", pd.Series(0.0, index=whole.index))
    n_ru = int(ru.sum())
    v["ai-rus-models-all"] = n_ru
    v["ai-rus-models-phrase"] = ("not at all" if n_ru == 0 else f"once, in {int(ru[ru > 0].index[0])}"
                                 if n_ru == 1 else f"{n_ru} times, last in {int(ru[ru > 0].index.max())}")
    w3 = range(latest - 2, latest + 1)
    v["ai-w3-start"] = latest - 2
    opens = _counts("epoch_notable_models", OPEN)
    for iso, key in (("USA", "us"), (CHINA, "china"), (WORLD, "world")):
        v[f"ai-{key}-open-latest"] = opens.loc[latest, iso]
    for key, group in (("us", ["USA"]), ("china", [CHINA]), ("bx", bx)):
        for ind in ("epoch_models_ge1e23flop", "epoch_models_ge1e25flop", "epoch_models_frontier"):
            v[f"ai-{key}-{ind.split('_')[-1]}-w3"] = total(_counts("epoch_notable_models", ind).loc[w3], group).sum()
    v["ai-world-ge1e25flop-w3"] = _counts("epoch_notable_models", "epoch_models_ge1e25flop").loc[w3, WORLD].sum()
    compute_known = _counts("epoch_notable_models", "epoch_models_compute_known").loc[w3, WORLD].sum()
    v["ai-compute-known-share-w3"] = 100 * (compute_known / whole.loc[w3, WORLD].sum())
    return v


def models_by_year(first: int = 2015) -> pd.DataFrame:
    """Fractional counts per year for the US, China, the rest of BRICS-10 and the rest of the G7."""
    frac = _counts("epoch_notable_models", MODELS_FRAC)
    series = {"United States": ["USA"], "China": [CHINA], "BRICS-10 excl. China": members("BRICS-10 excl. China"),
              "G7 excl. US": [c for c in members("G7") if c != "USA"]}
    years = range(first, periods()["models"] + 1)
    return pd.DataFrame([{"year": y, "group": name, "models": total(frac, m)[y]}
                         for name, m in series.items() for y in years])


def model_kinds() -> pd.DataFrame:
    """Share of the world's models of each kind over the last three complete years (whole counts)."""
    latest = periods()["models"]
    w3 = range(latest - 2, latest + 1)
    who = {"United States": ["USA"], "China": [CHINA], "BRICS-10 excl. China": members("BRICS-10 excl. China")}
    rows = []
    for kind, ind in MODEL_KINDS:
        wide = _counts("epoch_notable_models", ind).loc[w3]
        world = wide[WORLD].sum()
        for name, m in who.items():
            n = total(wide, m).sum()
            rows.append({"kind": kind, "group": name, "models": n, "world": world, "share": n / world,
                         "years": f"{w3[0]}-{w3[-1]}"})
    return pd.DataFrame(rows)


# --- compute --------------------------------------------------------------------------------

def gpu_values() -> dict:
    y = periods()["gpu"]
    gpu, nclus = _counts("epoch_gpu_clusters", H100E), _counts("epoch_gpu_clusters", CLUSTERS)
    b10 = members("BRICS-10")
    v = {"ai-gpu-year": y, "ai-gpu-partial-year": periods()["gpu_partial"],
         "ai-rus-h100e": gpu.loc[y, "RUS"], "ai-us-china-h100e-ratio": gpu.loc[y, "USA"] / gpu.loc[y, CHINA]}
    reg = registry()
    for key, group in (("russia", "RUS"), ("us", "USA"), ("china", CHINA), ("bx", "BRICS-10 excl. China"),
                       ("brics", "BRICS-10"), ("g7", "G7")):
        v[f"ai-{key}-share-world-h100e"] = 100 * reg.value("gpu_share", group, y)
    v["ai-china-share-brics-h100e"] = 100 * reg.value("gpu_share", CHINA, y, of="BRICS-10")
    for key, iso in (("china", CHINA), ("us", "USA")):
        v[f"ai-{key}-share-world-h100e-2022"] = 100 * reg.value("gpu_share", iso, 2022)
    for key, iso in (("rus", "RUS"), ("china", CHINA), ("us", "USA")):
        v[f"ai-{key}-clusters"] = nclus.loc[y, iso]
    v["ai-gpu-absent"] = names([c for c in b10 if gpu.loc[y].get(c, 0.0) == 0], "or")
    return v


def gpu_by_year() -> pd.DataFrame:
    """Reported capacity (H100e) at the end of each year, with the partial year flagged."""
    gpu = _counts("epoch_gpu_clusters", H100E)
    series = {"United States": ["USA"], "China": [CHINA], "BRICS-10 excl. China": members("BRICS-10 excl. China"),
              "G7 excl. US": [c for c in members("G7") if c != "USA"]}
    part = partial_years("epoch_gpu_clusters")
    return pd.DataFrame([{"year": int(y), "group": name, "h100e": total(gpu, m)[y], "partial": y in part}
                         for name, m in series.items() for y in gpu.index])


def top500_values() -> dict:
    rmax, systems = _counts("top500", "top500_rmax"), _counts("top500", "top500_systems")
    first, last = rmax.index[0], rmax.index[-1]
    bx, b10 = members("BRICS-10 excl. China"), members("BRICS-10")
    v = {"ai-top500-first": list_label(first), "ai-top500-last": list_label(last),
         "ai-china-top500-systems-first": systems.loc[first, CHINA],
         "ai-china-top500-systems-last": systems.loc[last, CHINA],
         "ai-us-top500-systems-last": systems.loc[last, "USA"],
         "ai-rus-top500-systems-last": systems.loc[last, "RUS"],
         "ai-china-top500-rmax-share-first": 100 * registry().value("top500_rmax_share", CHINA, first),
         "ai-china-top500-rmax-share-last": 100 * registry().value("top500_rmax_share", CHINA, last),
         "ai-us-top500-rmax-share-last": 100 * registry().value("top500_rmax_share", "USA", last),
         "ai-rus-top500-rmax-share-last": 100 * registry().value("top500_rmax_share", "RUS", last),
         "ai-bx-top500-rmax-share-last": 100 * registry().value("top500_rmax_share", "BRICS-10 excl. China", last),
         "ai-bx-top500-systems-last": total(systems, bx)[last]}
    v["ai-top500-absent"] = names([c for c in b10 if total(systems, [c]).sum() == 0])
    return v


def top500_by_list() -> pd.DataFrame:
    rmax, systems = _counts("top500", "top500_rmax"), _counts("top500", "top500_systems")
    series = {"United States": ["USA"], "China": [CHINA], "Japan": ["JPN"], "Germany": ["DEU"],
              "BRICS-10 excl. China": members("BRICS-10 excl. China")}
    return pd.DataFrame([{"list": lst, "group": name, "systems": total(systems, m)[lst],
                          "rmax_share": total(rmax, m)[lst] / rmax.loc[lst, WORLD]}
                         for name, m in series.items() for lst in rmax.index])


# --- research and skills --------------------------------------------------------------------

def pubs_values() -> dict:
    pubs = _counts("cset_ai_publications", PUBS)
    y = periods()["pubs"]
    v = {"ai-pubs-latest-year": y, "ai-pubs-first-year": int(pubs.index.min())}
    for key, group in (("china", CHINA), ("us", "USA"), ("india", "IND"), ("bx", "BRICS-10 excl. China"),
                       ("brics", "BRICS-10"), ("russia", "RUS"), ("g7", "G7")):
        v[f"ai-{key}-pubs-share-latest"] = 100 * registry().value("publications_share", group, y)
    ru = pubs["RUS"]
    v.update({"ai-rus-pubs-peak": ru.max(), "ai-rus-pubs-peak-year": int(ru.idxmax()), "ai-rus-pubs-latest": ru[y],
              "ai-china-pubs-latest": pubs.loc[y, CHINA], "ai-us-pubs-latest": pubs.loc[y, "USA"]})
    return v


def pubs_by_year() -> pd.DataFrame:
    pubs = _counts("cset_ai_publications", PUBS)
    bx = members("BRICS-10 excl. China")
    series = {"China": [CHINA], "United States": ["USA"], "India": ["IND"],
              "BRICS-10 excl. China and India": [c for c in bx if c != "IND"],
              "G7 excl. US": [c for c in members("G7") if c != "USA"]}
    return pd.DataFrame([{"year": int(y), "group": name, "publications": total(pubs, m)[y]}
                         for name, m in series.items() for y in pubs.index])


def talent_table() -> pd.DataFrame:
    """Each BRICS-10 member's and the US's latest World Bank value per rate: long
    ``entity, code, label, year, value``."""
    rows = members("BRICS-10") + ["USA"]
    out = []
    for code, label in WDI_RATES.items():
        lv = _latest(code, rows)
        out += [{"entity": e, "code": code, "label": label, "year": lv.loc[e, "year"], "value": lv.loc[e, "value"]}
                for e in rows]
    return pd.DataFrame(out)


def talent_values() -> dict:
    t = talent_table().set_index(["code", "entity"])
    res, rd = "SP.POP.SCIE.RD.P6", "GB.XPD.RSDV.GD.ZS"
    v = {"ai-bra-researchers-year": t.loc[(res, "BRA"), "year"], "ai-ind-rd-year": t.loc[(rd, "IND"), "year"],
         "ai-ind-researchers-year": t.loc[(res, "IND"), "year"], "ai-eth-researchers-year": t.loc[(res, "ETH"), "year"],
         "ai-eth-tertiary-year": t.loc[("SE.TER.ENRR", "ETH"), "year"], "ai-rus-rd-year": t.loc[(rd, "RUS"), "year"]}
    pat_year = int(t.loc["IP.PAT.RESD", "year"].max())
    v["ai-patents-year"] = pat_year
    for iso in ("RUS", "CHN", "USA", "IND", "BRA"):
        v[f"ai-{iso.lower()}-researchers"] = t.loc[(res, iso), "value"]
        v[f"ai-{iso.lower()}-rd"] = t.loc[(rd, iso), "value"]
    pat = _wide("wdi_innovation", "IP.PAT.RESD").loc[pat_year]
    v["ai-china-patents-share-brics"] = 100 * pat[CHINA] / pat.reindex(members("BRICS-10")).sum()
    ru = _wide("wdi_innovation", res)["RUS"].dropna()
    v["ai-rus-researchers-2010"] = ru[2010]
    v["ai-rus-researchers-decline"] = 100 * (1 - ru.iloc[-1] / ru[2010])
    return v


# --- readiness ------------------------------------------------------------------------------

def _gairi(code: str) -> pd.Series:
    g = extracts.load("oxford_gairi")
    return g[g["indicator"] == code].set_index("entity")["value"].astype(float)


def ordinal(n: float) -> str:
    """1 -> '1st', 22 -> '22nd', 11 -> '11th' (ranks in prose)."""
    n = int(round(float(n)))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def readiness_values() -> dict:
    v = {"ai-gairi25-n": len(_gairi("oxford_gairi25_total")), "ai-gairi24-n": len(_gairi("oxford_gairi24_total"))}
    for iso in ("RUS", "CHN", "IND", "USA", "BRA", "ARE"):
        for ed in ("25", "24"):
            rank = _gairi(f"oxford_gairi{ed}_rank")[iso]
            v[f"ai-{iso.lower()}-gairi{ed}-rank"] = rank
            v[f"ai-{iso.lower()}-gairi{ed}-rank-ord"] = ordinal(rank)
        v[f"ai-{iso.lower()}-gairi25-total"] = _gairi("oxford_gairi25_total")[iso]
    v["ai-rus-gairi25-infra"] = _gairi("oxford_gairi25_pillar_ai_infrastructure")["RUS"]
    v["ai-usa-gairi25-infra"] = _gairi("oxford_gairi25_pillar_ai_infrastructure")["USA"]
    v["ai-rus-gairi25-resilience"] = _gairi("oxford_gairi25_pillar_resilience")["RUS"]
    v["ai-chn-gairi25-adoption"] = _gairi("oxford_gairi25_pillar_public_sector_adoption")["CHN"]
    tot = _gairi("oxford_gairi25_total")
    v["ai-gairi25-median-brics"] = tot.reindex(members("BRICS-10")).median()
    v["ai-gairi25-median-g7"] = tot.reindex(members("G7")).median()
    t = extracts.load("tortoise_global_ai_index")
    v["ai-tortoise-n"] = int((t["indicator"] == "tortoise_total_score").sum())
    trank = t[t["indicator"] == "tortoise_rank"].set_index("entity")["value"]
    for iso in ("RUS", "CHN", "IND", "USA", "BRA", "ZAF"):
        v[f"ai-{iso.lower()}-tortoise-rank"] = trank[iso]
        v[f"ai-{iso.lower()}-tortoise-rank-ord"] = ordinal(trank[iso])
    v["ai-tortoise-missing"] = names([c for c in members("BRICS-10") if c not in trank.index])
    return v


def readiness_scores() -> pd.DataFrame:
    """2025 score and rank for BRICS-10, Saudi Arabia and the G7: ``entity, score, rank, group``."""
    b10, g7 = members("BRICS-10"), members("G7")
    who = b10 + ["SAU"] + g7
    tot, rnk = _gairi("oxford_gairi25_total"), _gairi("oxford_gairi25_rank")
    out = pd.DataFrame({"entity": who, "score": tot.reindex(who).to_numpy(), "rank": rnk.reindex(who).to_numpy()})
    out["group"] = np.where(out["entity"].isin(g7), "G7",
                            np.where(out["entity"] == "SAU", "Invited (Saudi Arabia)", "BRICS-10"))
    return out.sort_values("score").reset_index(drop=True)


# --- chips ----------------------------------------------------------------------------------

CHIP_ROWS = ("S1", "S2", "S3", "N84", "N85", "N26", "N20", "N22", "N38", "N80", "N77")
CHIP_COUNTRIES = ("USA", "TWN", "KOR", "JPN", "NLD", CHINA)


def chip_shares() -> pd.DataFrame:
    """ETO's market shares with input names: ``input_id, input, type, stage, country, share``."""
    from bricsai.sources.eto import eto_share_table

    return eto_share_table(extracts.load("eto_semiconductor_shares"), extracts.load("eto_semiconductor_inputs"))


def chip_matrix() -> pd.DataFrame:
    """Selected inputs x (the six leading countries, 'Other BRICS'), with names and stages."""
    from bricsai.sources.eto import eto_stage_matrix

    bx = members("BRICS-10 excl. China")
    mat = eto_stage_matrix(chip_shares(), extracts.load("eto_semiconductor_inputs"), list(CHIP_ROWS),
                           list(CHIP_COUNTRIES) + bx)
    mat["Other BRICS"] = mat[bx].sum(axis=1)
    return mat[["input_id", "input", "stage", *CHIP_COUNTRIES, "Other BRICS"]]


def chip_values() -> dict:
    chips = chip_shares()
    bx = members("BRICS-10 excl. China")
    v = {"ai-eto-n-items": chips["input_id"].nunique(),
         "ai-eto-china-items": chips.loc[chips["country"] == CHINA, "input_id"].nunique(),
         "ai-eto-bx-items": chips.loc[chips["country"].isin(bx), "input_id"].nunique(),
         "ai-eto-blr-items": chips.loc[chips["country"] == "BLR", "input_id"].nunique(),
         "ai-eto-n-countries": chips["country"].nunique()}
    stage = chips[chips["type"] == "stage"].pivot_table(index="country", columns="input_id", values="share",
                                                         observed=True).fillna(0)
    for sid, name in (("S1", "design"), ("S2", "fab"), ("S3", "atp")):
        for iso in ("USA", CHINA, "TWN", "KOR"):
            v[f"ai-eto-{iso.lower()}-{name}"] = 100 * (stage.loc[iso, sid] if iso in stage.index else 0.0)
    top_cn = chips[chips["country"] == CHINA].sort_values("share", ascending=False).iloc[0]
    v["ai-eto-china-top-input"] = top_cn["input"].lower()
    v["ai-eto-china-top-share"] = 100 * top_cn["share"]
    return v


# --- how much is China: summary across measures ---------------------------------------------

def _weighted_latest(code: str, group: list[str], weight: str) -> dict:
    """Weighted mean of members' latest values since 2010, each weighted by its weight in the
    value's year; members without a value or weight are listed in ``missing`` and left out."""
    lv = _latest(code, group, since=2010)
    w = _wide("wdi_economy", weight)
    lv["weight"] = [w.at[int(y), e] if pd.notna(y) and int(y) in w.index and e in w.columns else np.nan
                    for e, y in zip(lv.index, lv["year"], strict=True)]
    ok = lv["value"].notna() & lv["weight"].notna()
    value = (float((lv.loc[ok, "value"] * lv.loc[ok, "weight"]).sum() / lv.loc[ok, "weight"].sum())
             if ok.any() else np.nan)
    years = lv.loc[ok, "year"]
    return {"value": value, "missing": list(lv.index[~ok]),
            "year_min": int(years.min()) if ok.any() else None, "year_max": int(years.max()) if ok.any() else None}


def summary() -> pd.DataFrame:
    """Every measure for the comparison groups and the US: ``metric, measure, <groups>, period``.

    Additive measures are shares of the world total; rates are weighted means of members'
    latest values since 2010 (weighted by population or GDP); index scores are the median member.
    """
    p = periods()
    latest, span = p["models"], range(MODELS_START, p["models"] + 1)
    w3 = range(latest - 2, latest + 1)
    frac = _counts("epoch_notable_models", MODELS_FRAC)
    big = _counts("epoch_notable_models", "epoch_models_ge1e23flop")
    pat = _wide("wdi_innovation", "IP.PAT.RESD")
    pat_year = int(pat.dropna(how="all").index.max())
    eto = extracts.load("eto_semiconductor_shares")
    rows = []

    def add(metric, measure, period, fn):
        rows.append({"metric": metric, "measure": measure, **{g: fn(members(g)) for g in groups() + ("USA",)},
                     "period": period})

    add("Notable AI models", "share, fractional", f"{span[0]}–{span[-1]}", lambda m: _share(frac, m, span))
    add("Models ≥10²³ FLOP", "share, whole", f"{w3[0]}–{w3[-1]}", lambda m: _share(big, m, w3))
    reg = registry()
    for metric, measure, key, period, label in (
            ("GPU capacity (H100e)", "share", "gpu_share", p["gpu"], f"end-{p['gpu']}"),
            ("TOP500 Rmax", "share", "top500_rmax_share", p["top500"], list_label(p["top500"])),
            ("AI publications", "share, whole", "publications_share", p["pubs"], str(p["pubs"]))):
        rows.append({"metric": metric, "measure": measure,
                     **{g: reg.value(key, g, period) for g in groups() + ("USA",)}, "period": label})
    # Patents: an absent member is unknown, not zero, so a group with a gap has no share.
    add("Patent applications", "share", str(pat_year),
        lambda m: pat.loc[pat_year].reindex(m).sum(min_count=len(m)) / pat.loc[pat_year, WORLD])
    # ETO shares are already fractions of the world market: a group's share is their sum.
    for sid, metric in (("S2", "Chip fabrication"), ("S1", "Chip design")):
        ind = eto[eto["indicator"] == f"eto_share:{sid}"].set_index("entity")["value"]
        add(metric, "share", "≈2021", lambda m, ind=ind: float(ind.reindex(m).fillna(0).sum()))
    for code, metric, weight in WEIGHTED:
        res = {g: _weighted_latest(code, members(g), weight) for g in groups() + ("USA",)}
        ys = [r[k] for r in res.values() for k in ("year_min", "year_max") if r[k] is not None]
        rows.append({"metric": metric, "measure": "pop.-weighted" if weight == POP else "GDP-weighted",
                     **{g: r["value"] for g, r in res.items()},
                     "period": f"{min(ys)}–{max(ys)}" if min(ys) != max(ys) else str(min(ys)),
                     "missing": ",".join(sorted({c for r in res.values() for c in r["missing"]}))})
    for code, metric, period in (("oxford_gairi25_total", "AI readiness 2025", "2025"),):
        s = _gairi(code)
        add(metric, "median", period, lambda m, s=s: float(s.reindex(m).median()))
    t = extracts.load("tortoise_global_ai_index")
    ts = t[t["indicator"] == "tortoise_total_score"].set_index("entity")["value"]
    add("Tortoise index", "median", "≈2021", lambda m: float(ts.reindex(m).median()))
    return pd.DataFrame(rows)


def summary_values() -> dict:
    s = summary().set_index("metric")
    v = {"ai-summary-bx-h100e": 100 * s.loc["GPU capacity (H100e)", "BRICS-10 excl. China"],
         "ai-summary-brics-pubs": 100 * s.loc["AI publications", "BRICS-10"],
         "ai-summary-bx-pubs": 100 * s.loc["AI publications", "BRICS-10 excl. China"],
         "ai-summary-brics-researchers": s.loc["Researchers per million", "BRICS-10"],
         "ai-summary-bx-researchers": s.loc["Researchers per million", "BRICS-10 excl. China"],
         "ai-summary-gpai-researchers": s.loc["Researchers per million", "GPAI"]}
    missing = s.loc["Researchers per million", "missing"]
    v["ai-summary-researchers-missing"] = names(missing.split(",")) if missing else "none"
    return v


OVERVIEW_ROWS = ("USA", "JPN", "DEU", "GBR", "FRA")


def overview() -> tuple[pd.DataFrame, list[str]]:
    """Country x measure values for the heatmap (BRICS-10, then five G7 countries), and the
    measures to put on a log scale before scaling."""
    p = periods()
    span = range(MODELS_START, p["models"] + 1)
    rows = members("BRICS-10") + list(OVERVIEW_ROWS)
    frac = _counts("epoch_notable_models", MODELS_FRAC)
    gpu = _counts("epoch_gpu_clusters", H100E)
    rmax = _counts("top500", "top500_rmax")
    pubs = _counts("cset_ai_publications", PUBS)
    cols = {
        f"Notable models\n{span[0]}–{span[-1]}": ("log", frac.loc[span].reindex(columns=rows, fill_value=0).sum()),
        f"GPU capacity\nH100e end-{p['gpu']}": ("log", gpu.loc[p["gpu"]].reindex(rows, fill_value=0)),
        f"TOP500 Rmax\nPF/s {p['top500'][:4]}": ("log", rmax.loc[p["top500"]].reindex(rows, fill_value=0)),
        f"AI papers\n{p['pubs']}": ("log", pubs.loc[p["pubs"]].reindex(rows, fill_value=0)),
        "Patent\napplications": ("log", _latest("IP.PAT.RESD", rows, since=2010)["value"]),
        "Researchers\nper million": ("lin", _latest("SP.POP.SCIE.RD.P6", rows, since=2010)["value"]),
        "R&D\n% of GDP": ("lin", _latest("GB.XPD.RSDV.GD.ZS", rows, since=2010)["value"]),
        "Internet\nusers %": ("lin", _latest("IT.NET.USER.ZS", rows)["value"]),
        "Electricity\nkWh/person": ("lin", _latest("EG.USE.ELEC.KH.PC", rows)["value"]),
        "Readiness\n2025": ("lin", _gairi("oxford_gairi25_total").reindex(rows)),
    }
    t = extracts.load("tortoise_global_ai_index")
    tortoise_total = t[t["indicator"] == "tortoise_total_score"].set_index("entity")["value"]
    cols["Tortoise\n≈2021"] = ("lin", tortoise_total.reindex(rows))
    raw = pd.DataFrame({k: pd.Series(s.to_numpy(dtype=float), index=rows) for k, (_, s) in cols.items()})
    return raw, [k for k, (kind, _) in cols.items() if kind == "log"]


def normalise(frame: pd.DataFrame, log_columns=()) -> pd.DataFrame:
    """Scale each column to 0–1 over the rows; ``log_columns`` take log10(1 + x) first. A column
    without spread becomes 0.5; NaN stays NaN."""
    out = frame.astype("float64").copy()
    for col in log_columns:
        if (out[col] < 0).any():
            raise DataError("ai chapter", f"column {col!r} has negative values; cannot take a log")
        out[col] = np.log10(1 + out[col])
    lo, hi = out.min(), out.max()
    span = (hi - lo).replace(0, np.nan)
    scaled = (out - lo) / span
    for col in out.columns:
        if pd.isna(span[col]):
            scaled[col] = out[col].where(out[col].isna(), 0.5)
    return scaled


# --- Russia ---------------------------------------------------------------------------------

def russia_series() -> pd.DataFrame:
    """Russia's net FDI inflows (US$) and net migration since 2010: ``year, fdi, migration``."""
    w = extracts.load("wdi_innovation")
    w = w[(w["entity"] == "RUS") & (w["year"] >= 2010)]
    fdi = w[w["indicator"] == "BX.KLT.DINV.CD.WD"].set_index("year")["value"].rename("fdi_net_inflows_usd")
    mig = w[w["indicator"] == "SM.POP.NETM"].set_index("year")["value"].rename("net_migration")
    return pd.concat([fdi, mig], axis=1).rename_axis("year").reset_index()


def russia_values() -> dict:
    s = russia_series().set_index("year")
    fdi, mig = s["fdi_net_inflows_usd"].dropna(), s["net_migration"].dropna()
    first_neg = int(fdi[fdi < 0].index.min())
    return {"ai-rus-fdi-first-negative": first_neg,
            # Whether the outflows lasted: the prose says "in every year since" only if they did.
            "ai-rus-fdi-negative-since": "every year since" if (fdi.loc[first_neg:] < 0).all() else "most years since",
            "ai-rus-fdi-latest-year": int(fdi.index.max()), "ai-rus-fdi-latest": fdi.iloc[-1] / 1e9,
            "ai-rus-fdi-2021": fdi[2021] / 1e9, "ai-rus-fdi-max": fdi.max() / 1e9,
            "ai-rus-fdi-max-year": int(fdi.idxmax()),
            "ai-rus-fdi-2022": fdi[2022] / 1e9, "ai-rus-fdi-mean-2010-2021": fdi.loc[2010:2021].mean() / 1e9,
            "ai-rus-mig-2022": mig[2022] / 1e3, "ai-rus-mig-2021": mig[2021] / 1e3,
            "ai-rus-mig-latest": mig.iloc[-1] / 1e3,
            "ai-rus-mig-latest-year": int(mig.index.max()), "ai-rus-mig-first-negative": int(mig[mig < 0].index.min())}


def values() -> dict:
    """Every number and phrase the chapter's prose states, keyed by glue name."""
    out: dict = {}
    for part in (models_values, gpu_values, top500_values, pubs_values, talent_values, readiness_values,
                 chip_values, summary_values, russia_values, new_values):
        out.update(part())
    return {k: (float(x) if isinstance(x, (int, float, np.integer, np.floating)) else str(x)) for k, x in out.items()}
