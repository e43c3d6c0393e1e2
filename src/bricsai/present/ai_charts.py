"""Figures and tables of the AI-capacity chapter, drawn from the frames of
:mod:`bricsai.chapters.ai`.

Each ``draw_*`` function takes the chapter's frame and returns a :class:`Chart` (figure, name,
data, source extracts, a title that states the finding and the alt text); :func:`show` publishes
it through :func:`bricsai.present.figures.publish_figure`. Each ``table_*`` function returns a
frame of display strings for :func:`bricsai.present.report.table`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bricsai.chapters import ai
from bricsai.present import figures
from bricsai.sources.countries import Labels

C = figures.PALETTE
_LABELS = Labels({"WLD": "World", "USA": "United States", "ARE": "UAE", "KOR": "South Korea"})
MEASURE_COLOURS = {"AI publications": C[0], "Notable models": C[3], "GPU capacity": C[2],
                   "TOP500 performance": C[1]}


def label(name: str) -> str:
    """A group's name as it is, a country's short name for an ISO3 code."""
    return name if name in ai.GROUPS or not name.isupper() or len(name) != 3 else _LABELS[name]


@dataclass
class Chart:
    fig: object
    name: str
    data: pd.DataFrame
    datasets: list[str]
    title: str
    alt: str


def show(chart: Chart) -> None:
    """Publish a chart (data file, source line, alt text) and display it once."""
    chart.fig.suptitle(chart.title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    chart.fig.tight_layout()
    figures.publish_figure(chart.fig, chart.name, chart.data, chart.datasets, alt=chart.alt)


def _pct(x: float, digits: int = 0) -> str:
    return f"{x * 100:.{digits}f}%"


# --------------------------------------------------------------------------------------------
# Per person
# --------------------------------------------------------------------------------------------

PER_PERSON_PANELS = (("pubs_per_m", "AI publications\nper million people"),
                     ("h100e_per_m", "GPU capacity (H100e)\nper million people"),
                     ("models_per_100m", "Notable models\nper 100 million people"))


def draw_per_person(frame: pd.DataFrame) -> Chart:
    p = ai.periods()
    rows = frame[frame["kind"].isin(["group", "world"]) | frame["name"].isin(["CHN", "IND", "RUS", "USA"])]
    rows = rows.iloc[::-1]
    names = [label(n) for n in rows["name"]]
    colours = [C[3] if n.startswith("BRICS") or n in ("CHN", "IND", "RUS") else
               (figures.GREY if n == ai.WORLD else C[0]) for n in rows["name"]]
    fig, axes = figures.new_figure(1, 3, figsize=(7.0, 4.4), sharey=True)
    for ax, (col, title) in zip(axes, PER_PERSON_PANELS):
        ax.barh(names, rows[col], color=colours, height=0.7)
        ax.set_title(title, fontsize=9, fontweight="normal")
        ax.set_xscale("log")
        ax.grid(axis="y", visible=False)
        for i, v in enumerate(rows[col]):
            ax.text(v * 1.15 if v > 0 else 0.02, i, f"{v:,.1f}" if v < 10 else f"{v:,.0f}",
                    va="center", fontsize=7)
        ax.set_xlim(left=max(rows[col][rows[col] > 0].min() / 3, 1e-2), right=rows[col].max() * 12)
    axes[0].tick_params(axis="y", labelsize=8)
    data = frame[["name", "kind", "population_m", "publications", "h100e", "models", "pubs_per_m",
                  "h100e_per_m", "models_per_100m", "h100e_per_gdp_bn", "pubs_per_gdp_bn"]].assign(
        population_year=p["economy"], publications_year=p["pubs"], gpu_year_end=p["gpu"],
        models_year=p["models"])
    r = frame.set_index("name")
    alt = (f"Three bar charts of AI capacity per person, log scales. Per million people BRICS-10 has "
           f"{r.loc['BRICS-10', 'pubs_per_m']:.0f} AI publications ({p['pubs']}) against "
           f"{r.loc['G7', 'pubs_per_m']:.0f} in the G7, and {r.loc['BRICS-10', 'h100e_per_m']:.0f} H100-equivalents "
           f"of GPU capacity (end {p['gpu']}) against {r.loc['G7', 'h100e_per_m']:,.0f}; it has "
           f"{r.loc['BRICS-10', 'models_per_100m']:.1f} notable models per 100 million people ({p['models']}) "
           f"against {r.loc['G7', 'models_per_100m']:.1f}. Without China the bloc has "
           f"{r.loc['BRICS-10 excl. China', 'h100e_per_m']:.1f} H100-equivalents per million and no notable model.")
    title = "Per person, the bloc's AI capacity is a small fraction of the G7's"
    return Chart(fig, "fig-ai-per-person", data,
                 ["cset_ai_publications", "epoch_gpu_clusters", "epoch_notable_models", "wdi_economy"], title, alt)


def table_per_person(frame: pd.DataFrame) -> pd.DataFrame:
    p = ai.periods()
    rows = frame[frame["kind"] != "world"]
    return pd.DataFrame({
        "Group or country": [label(n) for n in rows["name"]],
        f"Population {p['economy']} (% of world)": [_pct(v, 1) for v in rows["population_m_share"]],
        f"AI papers {p['pubs']} (% of world)": [_pct(v, 1) for v in rows["publications_share"]],
        "Papers per million people": [f"{v:,.0f}" for v in rows["pubs_per_m"]],
        f"GPU capacity end-{p['gpu']} (% of world)": [_pct(v, 1) for v in rows["h100e_share"]],
        "H100e per million people": [f"{v:,.0f}" if v >= 10 else f"{v:.1f}" for v in rows["h100e_per_m"]],
        "H100e per US$ bn of GDP": [f"{v:,.1f}" for v in rows["h100e_per_gdp_bn"]],
        f"Models {p['models']} per 100 m people": [f"{v:.1f}" for v in rows["models_per_100m"]],
    })


# --------------------------------------------------------------------------------------------
# China and the rest of the bloc
# --------------------------------------------------------------------------------------------

def draw_china_share(frame: pd.DataFrame) -> Chart:
    fig, ax = figures.new_figure(figsize=(7.0, 3.8))
    for measure, d in frame.groupby("measure", sort=False):
        x = [_period_x(p) for p in d["period"]]
        whole, part = d[~d["partial"]], d[d["partial"]]
        xw = [_period_x(p) for p in whole["period"]]
        ax.plot(xw, whole["share"] * 100, marker="o", markersize=3.5, color=MEASURE_COLOURS[measure],
                label=measure)
        if not part.empty:
            ax.plot([xw[-1]] + [_period_x(p) for p in part["period"]],
                    [whole["share"].iloc[-1] * 100] + list(part["share"] * 100), linestyle=":",
                    marker="o", markerfacecolor="white", markersize=4, color=MEASURE_COLOURS[measure])
        del x
    ax.set_ylim(0, 105)
    ax.set_ylabel("China's share of BRICS-10 (%)")
    ax.legend(loc="lower left", ncol=2, fontsize=8)
    ax.text(0.99, 0.02, "open markers, dotted: partial year", transform=ax.transAxes, ha="right",
            fontsize=7.5, color=figures.GREY)
    last = frame[~frame["partial"]].groupby("measure", sort=False).tail(1).set_index("measure")
    alt = ("Line chart of China's share of the BRICS-10 total, by year, for four measures. At the latest "
           "complete period China has " + ", ".join(
               f"{_pct(r.share)} of the bloc's {m.lower()} ({r.period})" for m, r in last.iterrows())
           + ". Its TOP500 share falls because China stopped submitting systems, not necessarily because "
             "its capacity fell.")
    title = "China is most of the bloc's AI output on every measure but TOP500"
    return Chart(fig, "fig-ai-china-share", frame, [d for _, d, _ in ai.OUTPUTS], title, alt)


def _period_x(period: str) -> float:
    """A year as itself, a TOP500 list 'YYYY-MM' as a fraction of its year."""
    if "-" in str(period):
        y, m = str(period).split("-")
        return int(y) + (int(m) - 0.5) / 12
    return float(period)


def draw_rest_of_bloc(frame: pd.DataFrame) -> Chart:
    measures = [m for m, _, _ in ai.OUTPUTS]
    parts = frame[~frame["line"].str.startswith("BRICS-10")]
    fig, ax = figures.new_figure(figsize=(7.0, 3.4))
    left = np.zeros(len(measures))
    palette = [C[0], C[1], C[2], C[4], C[5], C[6], C[7]]
    for (i, row), colour in zip(parts.iterrows(), palette):
        vals = np.array([row[m] * 100 for m in measures])
        name = row["line"] if len(row["line"]) != 3 else label(row["line"])
        if row["line"] == "SAU":
            name += " (upper variant)"
        ax.barh(measures, vals, left=left, color=colour, label=name, height=0.6,
                hatch="//" if row["line"] == "SAU" else None, edgecolor="white")
        left += vals
    ax.invert_yaxis()
    ax.set_xlabel("Share of the world total (%)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=7.5)
    r = frame.set_index("line")
    nine = r.loc["BRICS-10 excl. China"]
    four = r.iloc[0]
    alt = ("Stacked bar chart of the BRICS members other than China, as shares of the world total. "
           f"Together the nine hold {_pct(nine['AI publications'], 1)} of AI publications, "
           f"{_pct(nine['GPU capacity'], 1)} of GPU capacity, {_pct(nine['TOP500 performance'], 1)} of TOP500 "
           f"performance and no notable model; the original four (Brazil, Russia, India, South Africa) "
           f"account for {_pct(four['AI publications'], 1)} of publications, most of it India's. Saudi Arabia "
           f"would add {_pct(r.loc['SAU', 'TOP500 performance'], 1)} of TOP500 performance.")
    title = "Without China, the bloc's AI output is small, and the later members add little"
    return Chart(fig, "fig-ai-rest-of-bloc", frame, [d for _, d, _ in ai.OUTPUTS], title, alt)


# --------------------------------------------------------------------------------------------
# Two views of compute
# --------------------------------------------------------------------------------------------

def draw_compute_views(frame: pd.DataFrame) -> Chart:
    p = ai.periods()
    rows = frame[~frame["name"].isin(["BRICS-5", "BRICS-10+SAU", "GPAI"])].iloc[::-1]
    names = [label(n) for n in rows["name"]]
    y = np.arange(len(rows))
    fig, ax = figures.new_figure(figsize=(7.0, 4.6))
    h = 0.38
    ax.barh(y + h / 2, rows["top500_rmax_share"] * 100, height=h, color=C[1],
            label=f"TOP500 performance (Rmax), {ai.list_label(p['top500'])} list")
    ax.barh(y - h / 2, rows["gpu_h100e_share"] * 100, height=h, color=C[0],
            label=f"Epoch GPU clusters (H100e), end-{p['gpu']}")
    for yy, a, b in zip(y, rows["top500_rmax_share"], rows["gpu_h100e_share"]):
        ax.text(a * 100 + 0.8, yy + h / 2, _pct(a, 1), va="center", fontsize=7)
        ax.text(b * 100 + 0.8, yy - h / 2, _pct(b, 1), va="center", fontsize=7)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of the world total in each source (%)")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.12), ncol=1, fontsize=8)
    r = frame.set_index("name")
    alt = (f"Paired bar chart comparing two measures of compute. The United States has "
           f"{_pct(r.loc['USA', 'top500_rmax_share'])} of TOP500 performance and "
           f"{_pct(r.loc['USA', 'gpu_h100e_share'])} of reported GPU-cluster capacity; China "
           f"{_pct(r.loc['CHN', 'top500_rmax_share'], 1)} and {_pct(r.loc['CHN', 'gpu_h100e_share'], 1)}; "
           f"Japan and Germany have far more TOP500 than GPU-cluster share. The BRICS-10 hold "
           f"{_pct(r.loc['BRICS-10', 'top500_rmax_share'], 1)} and {_pct(r.loc['BRICS-10', 'gpu_h100e_share'], 1)}.")
    title = "TOP500 and the GPU-cluster register disagree most about China"
    data = frame.assign(top500_list=p["top500"], gpu_year_end=p["gpu"])
    return Chart(fig, "fig-ai-compute-views", data, ["top500", "epoch_gpu_clusters"], title, alt)


def table_filters(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Filter": frame["step"],
        "Clusters": frame["clusters"].map(lambda v: f"{v:,}"),
        "US": frame["USA"].map(lambda v: _pct(v, 1)),
        "China": frame["CHN"].map(lambda v: _pct(v, 1)),
        "Russia": frame["RUS"].map(lambda v: _pct(v, 2)),
        "BRICS-10": frame["BRICS-10"].map(lambda v: _pct(v, 1)),
        "BRICS-10+SAU": frame["BRICS-10+SAU"].map(lambda v: _pct(v, 1)),
    })


# --------------------------------------------------------------------------------------------
# Model counts and their revision
# --------------------------------------------------------------------------------------------

def draw_model_revision(counts: pd.DataFrame, revision: pd.DataFrame) -> Chart:
    fig, ax = figures.new_figure(figsize=(7.0, 3.6))
    w = 0.38
    for off, iso, colour in ((-w / 2, "USA", C[0]), (w / 2, ai.CHINA, C[3])):
        full = counts[~counts["partial"]]
        part = counts[counts["partial"]]
        ax.bar(full["year"] + off, full[iso], width=w, color=colour, label=label(iso))
        ax.bar(part["year"] + off, part[iso], width=w, color="white", edgecolor=colour, hatch="///")
    rev = revision.set_index("entity")
    year = int(rev["year"].iloc[0])
    for off, iso in ((-w / 2, "USA"), (w / 2, ai.CHINA)):
        ax.plot([year + off], [rev.loc[iso, "ai_index"]], marker="D", color="black", markersize=5,
                linestyle="none", label="AI Index 2025 count (Epoch snapshot of March 2025)" if iso == "USA" else None)
    recent = counts[~counts["partial"]]["year"].max()
    ax.annotate("recent years likely to rise", xy=(recent - 0.5, counts["USA"].max() * 0.98), ha="center",
                fontsize=7.5, color=figures.GREY)
    ax.set_ylabel("Notable models (whole counts)")
    ax.set_xticks(counts["year"], [str(y) if not p else f"{y}\n(partial)" for y, p in zip(counts["year"], counts["partial"])],
                  fontsize=8)
    ax.legend(loc="upper left", fontsize=8)
    alt = (f"Bar chart of notable AI models per year for the United States and China. For {year} the book's "
           f"later copy of Epoch's list has {rev.loc['USA', 'epoch_now']:.0f} US and {rev.loc['CHN', 'epoch_now']:.0f} "
           f"Chinese models; the AI Index 2025, using Epoch's snapshot of {rev['ai_index_snapshot'].iloc[0]}, reported "
           f"{rev.loc['USA', 'ai_index']:.0f} and {rev.loc['CHN', 'ai_index']:.0f}. The last year is partial.")
    title = "Counts for recent years rise as Epoch adds models after the fact"
    data = counts.merge(revision[["entity", "year", "ai_index"]].pivot(index="year", columns="entity",
                                                                       values="ai_index").add_prefix("ai_index_"),
                        left_on="year", right_index=True, how="left")
    return Chart(fig, "fig-ai-model-revision", data, ["epoch_notable_models"], title, alt)
