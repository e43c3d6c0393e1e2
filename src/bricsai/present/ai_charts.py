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
    return name if not name.isupper() or len(name) != 3 or name in ai.groups() else _LABELS[name]


@dataclass
class Chart:
    fig: object
    name: str
    data: pd.DataFrame
    datasets: list[str]
    title: str
    alt: str


def show(chart: Chart) -> None:
    """Publish a chart (data file, source line, title, alt text) and display it once; the
    title is drawn above the figure by :func:`bricsai.present.figures.publish_figure`."""
    chart.fig.tight_layout()
    figures.publish_figure(chart.fig, chart.name, chart.data, chart.datasets, alt=chart.alt,
                           title=chart.title)


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
    for ax, (col, title) in zip(axes, PER_PERSON_PANELS, strict=True):
        ax.barh(names, rows[col], color=colours, height=0.7)
        ax.set_title(title, fontsize=9, fontweight="normal")
        figures.log_scale(ax, "x")
        ax.grid(axis="y", visible=False)
        left = max(rows[col][rows[col] > 0].min() / 3, 1e-2)
        ax.set_xlim(left=left, right=rows[col].max() * 12)
        for i, v in enumerate(rows[col]):
            # A zero has no bar on a log scale: say "none" inside the panel, at its left edge.
            text = "none" if v == 0 else (f"{v:,.1f}" if v < 10 else f"{v:,.0f}")
            ax.text(v * 1.15 if v > 0 else left * 1.15, i, text, va="center", fontsize=7.5)
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
        whole, part = d[~d["partial"]], d[d["partial"]]
        xw = [_period_x(p) for p in whole["period"]]
        ax.plot(xw, whole["share"] * 100, marker="o", markersize=3.5, color=MEASURE_COLOURS[measure],
                label=measure)
        if not part.empty:
            ax.plot([xw[-1]] + [_period_x(p) for p in part["period"]],
                    [whole["share"].iloc[-1] * 100] + list(part["share"] * 100), linestyle=":",
                    marker="o", markerfacecolor="white", markersize=4, color=MEASURE_COLOURS[measure])
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
    for (_, row), colour in zip(parts.iterrows(), palette, strict=True):
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
    fig, ax = figures.new_figure(figsize=(7.0, 6.4))
    h = 0.4
    ax.barh(y + h / 2, rows["top500_rmax_share"] * 100, height=h, color=C[1],
            label=f"TOP500 performance (Rmax), {ai.list_label(p['top500'])} list")
    ax.barh(y - h / 2, rows["gpu_h100e_share"] * 100, height=h, color=C[0],
            label=f"Epoch GPU clusters (H100e), end-{p['gpu']}")
    for yy, a, b in zip(y, rows["top500_rmax_share"], rows["gpu_h100e_share"], strict=True):
        ax.text(a * 100 + 0.8, yy + h / 2, _pct(a, 1), va="center", fontsize=7.5)
        ax.text(b * 100 + 0.8, yy - h / 2, _pct(b, 1), va="center", fontsize=7.5)
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
    top = float(counts[["USA", ai.CHINA]].max().max())
    # Headroom above the tallest bar, so that the legend and the note sit on white, not on bars.
    ax.set_ylim(0, top * 1.5)
    ax.annotate("recent years likely to rise", xy=(recent - 0.5, top * 1.08), ha="center",
                fontsize=7.5, color=figures.GREY)
    ax.set_ylabel("Notable models (whole counts)")
    tick_labels = [str(y) if not p else f"{y}\n(partial)"
                   for y, p in zip(counts["year"], counts["partial"], strict=True)]
    ax.set_xticks(counts["year"], tick_labels, fontsize=8)
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


# ============================================================================================
# The chapter's other figures and tables
# ============================================================================================

SERIES_COLOURS = {"United States": C[0], "China": C[3], "BRICS-10 excl. China": C[1], "G7 excl. US": C[2],
                  "India": C[4], "BRICS-10 excl. China and India": C[1], "Japan": C[5], "Germany": C[7]}


def _lines(ax, frame: pd.DataFrame, x: str, y: str, scale: float = 1.0) -> None:
    for name, d in frame.groupby("group", sort=False):
        ax.plot(d[x], d[y] / scale, color=SERIES_COLOURS[name], label=name, marker="o", markersize=3)


def draw_models_by_year(frame: pd.DataFrame) -> Chart:
    fig, ax = figures.new_figure()
    _lines(ax, frame, "year", "models")
    years = sorted(frame["year"].unique())
    ax.set_ylabel("Notable models (fractional count)")
    ax.set_xticks(years[::2])
    ax.legend(loc="upper left")
    last = frame[frame["year"] == years[-1]].set_index("group")["models"]
    alt = (f"Line chart of notable AI models per year, {years[0]}-{years[-1]}. In {years[-1]} the United States "
           f"had {last['United States']:.0f} (fractional count), China {last['China']:.0f}, the other nine BRICS "
           f"members {last['BRICS-10 excl. China']:.0f} and the rest of the G7 {last['G7 excl. US']:.0f}; China has "
           f"grown since 2020 while the other BRICS members stay near zero.")
    title = (f"{last.idxmax()} led on notable AI models in {years[-1]}; the other nine BRICS members "
             f"together had {last['BRICS-10 excl. China']:.0f}")
    return Chart(fig, "fig-ai-models-by-year", frame, ["epoch_notable_models"], title, alt)


def draw_model_kinds(frame: pd.DataFrame) -> Chart:
    kinds = list(dict.fromkeys(frame["kind"]))
    who = list(dict.fromkeys(frame["group"]))
    fig, ax = figures.new_figure(figsize=(7.0, 4.2))
    h = 0.26
    ypos = np.arange(len(kinds))
    for i, name in enumerate(who):
        d = frame[frame["group"] == name].set_index("kind").loc[kinds]
        bars = ax.barh(ypos + (i - 1) * h, d["share"] * 100, height=h, color=SERIES_COLOURS[name], label=name)
        for b, s, n in zip(bars, d["share"], d["models"], strict=True):
            ax.text(b.get_width() + 1, b.get_y() + h / 2, f"{s:.0%} ({n:.0f})", va="center", fontsize=7.5)
    world = frame.drop_duplicates("kind").set_index("kind")["world"]
    ax.set_yticks(ypos, [f"{k} (world {int(world[k])})" for k in kinds])
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    ax.set_xlabel(f"Share of the world's models of that kind, {frame['years'].iloc[0]} (%)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=3)
    d = frame.set_index(["kind", "group"])["share"]
    alt = (f"Grouped bar chart of shares of notable AI models, {frame['years'].iloc[0]}. The United States took part "
           f"in {d['Closed weights', 'United States']:.0%} of closed-weight models and China in "
           f"{d['Closed weights', 'China']:.0%}; for open-weight models the figures are "
           f"{d['Open weights', 'United States']:.0%} and {d['Open weights', 'China']:.0%}. The other nine BRICS "
           f"members account for at most {frame.loc[frame['group'] == 'BRICS-10 excl. China', 'share'].max():.0%} "
           f"of any kind.")
    title = (f"China took part in {d['Open weights', 'China']:.0%} of open-weight models, "
             f"against {d['Closed weights', 'China']:.0%} of closed-weight ones")
    return Chart(fig, "fig-ai-models-kinds", frame, ["epoch_notable_models"], title, alt)


def draw_gpu_capacity(frame: pd.DataFrame) -> Chart:
    fig, ax = figures.new_figure()
    for name, d in frame.groupby("group", sort=False):
        full, part = d[~d["partial"]], d[d["partial"]]
        ax.plot(full["year"], full["h100e"], color=SERIES_COLOURS[name], label=name, marker="o", markersize=3)
        if not part.empty:
            ax.plot([full["year"].iloc[-1], *part["year"]], [full["h100e"].iloc[-1], *part["h100e"]], linestyle=":",
                    color=SERIES_COLOURS[name], marker="o", markerfacecolor="white", markersize=4)
    figures.log_scale(ax, "y")
    ax.set_ylabel("H100-equivalents (log scale)")
    ax.legend(loc="upper left")
    ref = int(frame.loc[~frame["partial"], "year"].max())
    end = frame[frame["year"] == ref].set_index("group")["h100e"]
    alt = (f"Line chart on a log scale of GPU-cluster capacity, {frame['year'].min()}-{frame['year'].max()} (the last "
           f"year partial). At the end of {ref} the United States had about {end['United States']:,.0f} "
           f"H100-equivalents, China {end['China']:,.0f}, the other nine BRICS members "
           f"{end['BRICS-10 excl. China']:,.0f} and the rest of the G7 {end['G7 excl. US']:,.0f}.")
    title = (f"The United States had {end['United States'] / end['China']:.0f} times China's reported "
             f"GPU-cluster capacity at the end of {ref}")
    return Chart(fig, "fig-ai-gpu-capacity", frame, ["epoch_gpu_clusters"], title, alt)


def draw_top500(frame: pd.DataFrame) -> Chart:
    lists = list(dict.fromkeys(frame["list"]))
    fig, (a1, a2) = figures.new_figure(1, 2, figsize=(7.0, 3.6))
    x = np.arange(len(lists))
    ticks = [ai.list_label(lst)[:3] + "\n" + lst[:4] for lst in lists]
    for name, d in frame.groupby("group", sort=False):
        a1.plot(x, d["systems"], color=SERIES_COLOURS[name], marker="o", markersize=4, label=name)
        a2.plot(x, d["rmax_share"] * 100, color=SERIES_COLOURS[name], marker="o", markersize=4, label=name)
    for a, t in ((a1, "Systems on the list"), (a2, "Share of list Rmax (%)")):
        a.set_xticks(x, ticks)
        a.set_title(t, fontsize=10, fontweight="normal")
        a.set_ylim(bottom=0)
    a2.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    d = frame.set_index(["group", "list"])
    first, last = lists[0], lists[-1]
    alt = (f"Two line charts of TOP500 lists from {ai.list_label(first)} to {ai.list_label(last)}. China's systems "
           f"fell from {d.loc[('China', first), 'systems']:.0f} to {d.loc[('China', last), 'systems']:.0f} while the "
           f"United States kept about {d.loc[('United States', last), 'systems']:.0f}; the US share of combined "
           f"performance was {d.loc[('United States', last), 'rmax_share']:.0%} on the latest list and the nine other "
           f"BRICS members {d.loc[('BRICS-10 excl. China', last), 'rmax_share']:.0%}.")
    title = (f"China's TOP500 systems fell from {d.loc[('China', first), 'systems']:.0f} to "
             f"{d.loc[('China', last), 'systems']:.0f}; the US holds "
             f"{d.loc[('United States', last), 'rmax_share']:.0%} of the list's performance")
    return Chart(fig, "fig-ai-top500", frame, ["top500"], title, alt)


def draw_publications(frame: pd.DataFrame) -> Chart:
    fig, ax = figures.new_figure()
    _lines(ax, frame, "year", "publications", scale=1000)
    ax.set_ylabel("AI publications (thousands)")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    y = frame["year"].max()
    end = frame[frame["year"] == y].set_index("group")["publications"]
    alt = (f"Line chart of AI publications, {frame['year'].min()}-{y}. In {y} China had {end['China']:,.0f}, "
           f"the United States {end['United States']:,.0f}, India {end['India']:,.0f}, the other eight BRICS members "
           f"{end['BRICS-10 excl. China and India']:,.0f} and the rest of the G7 {end['G7 excl. US']:,.0f}.")
    title = (f"{end.idxmax()} published the most AI papers in {y}, {end.max() / end.drop(end.idxmax()).max():.1f} "
             f"times as many as {end.drop(end.idxmax()).idxmax()}")
    return Chart(fig, "fig-ai-publications", frame, ["cset_ai_publications"], title, alt)


def table_talent(frame: pd.DataFrame) -> pd.DataFrame:
    fmt = {"SP.POP.SCIE.RD.P6": "{:,.0f}", "GB.XPD.RSDV.GD.ZS": "{:.2f}", "SE.TER.ENRR": "{:.0f}",
           "IP.PAT.RESD": "{:,.0f}", "IT.NET.USER.ZS": "{:.0f}", "EG.USE.ELEC.KH.PC": "{:,.0f}"}
    entities = list(dict.fromkeys(frame["entity"]))
    out = pd.DataFrame({"Country": [label(e) for e in entities]})
    for code, d in frame.groupby("code", sort=False):
        d = d.set_index("entity").loc[entities]
        out[d["label"].iloc[0]] = ["–" if pd.isna(v) else f"{fmt[code].format(v)} ({int(y)})"
                                   for v, y in zip(d["value"], d["year"], strict=True)]
    return out


def draw_readiness(frame: pd.DataFrame) -> Chart:
    gcol = {"BRICS-10": C[1], "G7": C[0], "Invited (Saudi Arabia)": C[5]}
    fig, ax = figures.new_figure(figsize=(7.0, 4.6))
    ax.barh([label(e) for e in frame["entity"]], frame["score"], color=[gcol[g] for g in frame["group"]], height=0.7)
    for i, (s, r) in enumerate(zip(frame["score"], frame["rank"], strict=True)):
        ax.text(s + 0.8, i, f"{s:.0f}  (#{r:.0f})", va="center", fontsize=7.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Total score, 2025 (0–100)")
    ax.grid(axis="y", visible=False)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=v, label=k) for k, v in gcol.items()], loc="upper center",
              bbox_to_anchor=(0.5, -0.14), ncol=3)
    s = frame.set_index("entity")
    b10 = frame[frame["group"] == "BRICS-10"]["score"].median()
    g7 = frame[frame["group"] == "G7"]["score"].median()
    alt = (f"Bar chart of 2025 government AI readiness scores. The United States leads with "
           f"{s.loc['USA', 'score']:.0f}; China scores {s.loc['CHN', 'score']:.0f} (rank {s.loc['CHN', 'rank']:.0f}), "
           f"Russia {s.loc['RUS', 'score']:.0f} (rank {s.loc['RUS', 'rank']:.0f}) and Ethiopia, the lowest BRICS "
           f"member, {s.loc['ETH', 'score']:.0f}. The median BRICS-10 member scores {b10:.0f}, the median G7 member "
           f"{g7:.0f}.")
    title = f"AI readiness: the median G7 member scores {g7:.0f}, the median BRICS-10 member {b10:.0f}"
    return Chart(fig, "fig-ai-readiness", frame, ["oxford_gairi"], title, alt)


def table_chips(mat: pd.DataFrame) -> pd.DataFrame:
    short = {"Design": "design", "Fabrication": "fab.", "Assembly, testing, and packaging (ATP)": "ATP"}
    names_short = {"Assembly, testing, and packaging (ATP)": "Assembly, test, packaging",
                   "Electronic design automation software": "Design software (EDA)",
                   "Core intellectual property": "Core IP"}
    tab = pd.DataFrame({"Input (stage)": [
        (f"**{names_short.get(n, n)} (stage)**" if i.startswith("S")
         else f"{names_short.get(n, n)} ({short.get(s, s)})")
        for i, n, s in zip(mat["input_id"], mat["input"], mat["stage"], strict=True)]})
    head = {"USA": "US", "TWN": "Taiwan", "KOR": "Korea", "JPN": "Japan", "NLD": "Neth.", "CHN": "China",
            "Other BRICS": "Other BRICS"}
    for col, name in head.items():
        tab[name] = mat[col].map(lambda v: "–" if v == 0 else _small_pct(v))
    return tab


def _small_pct(x: float) -> str:
    return f"{x:.0%}" if x >= 0.01 else "<1%"


def table_summary(frame: pd.DataFrame) -> pd.DataFrame:
    def cell(v, metric, measure):
        if pd.isna(v):
            return "–"
        if "share" in measure:
            return _small_pct(v) if v < 0.995 or v == 1 else f"{v:.0%}"
        if "kWh" in metric or "Researchers" in metric:
            return f"{v:,.0f}"
        if "R&D" in metric:
            return f"{v:.2f}"
        return f"{v:.0f}"

    out = pd.DataFrame({"Measure": [f"{m} ({s})" for m, s in zip(frame["metric"], frame["measure"], strict=True)]})
    for g in ai.groups() + ("USA",):
        out[{"BRICS-10 excl. China": "BRICS-10 excl. CHN", "USA": "US"}.get(g, g)] = [
            cell(v, m, s) for v, m, s in zip(frame[g], frame["metric"], frame["measure"], strict=True)]
    out["Period"] = frame["period"]
    return out


def compact(x) -> str:
    """A short heatmap label: 1238989 -> '1.2M', 106031 -> '106k', 2.41 -> '2.4', NaN -> 'n/a'."""
    if x is None or pd.isna(x):
        return "n/a"
    a = abs(float(x))
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if a >= size:
            v = x / size
            return f"{v:.1f}{suffix}" if abs(v) < 10 else f"{v:.0f}{suffix}"
    if a == 0:
        return "0"
    return f"{x:.0f}" if a >= 10 else f"{x:.1f}"


def draw_overview(raw: pd.DataFrame, log_columns: list[str]) -> Chart:
    """Heatmap of unlike measures on one scale: each value relative to the median of the G7
    countries shown, on a shared log scale (:func:`bricsai.present.charts.relative_log`)."""
    import matplotlib as mpl

    from bricsai.present import charts

    norm = ai.normalise(raw, log_columns)
    # Colours on one scale for every column: each value as a multiple of the median of the G7
    # countries shown (log scale), so that one colour means the same thing in every column.
    raw = raw.copy()
    g7 = [label(e) for e in raw.index if e in ai.members("G7")]
    norm.index = raw.index = [label(e) for e in raw.index]
    rel = charts.relative_log(raw, g7)
    fig, ax = figures.new_figure(figsize=(7.0, 6.4))
    cmap = mpl.colormaps["PuOr_r"].copy()
    cmap.set_bad("#E8E8E8")
    im = ax.imshow(np.ma.masked_invalid(rel.to_numpy()), cmap=cmap, vmin=-2, vmax=2, aspect="auto",
                   interpolation="nearest")
    ax.grid(False)
    for i in range(rel.shape[0]):
        for j in range(rel.shape[1]):
            v = rel.iat[i, j]
            ax.text(j, i, compact(raw.iat[i, j]), ha="center", va="center", fontsize=7,
                    color="white" if not pd.isna(v) and abs(v) > 1.2 else "black")
    ax.set_xticks(range(rel.shape[1]), rel.columns, fontsize=7, rotation=45, ha="right")
    ax.set_yticks(range(rel.shape[0]), rel.index, fontsize=8)
    ax.axhline(len(ai.members("BRICS-10")) - 0.5, color="white", linewidth=2)
    for s in ax.spines.values():
        s.set_visible(False)
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02, ticks=[-2, -1, 0, 1, 2])
    cb.ax.set_yticklabels([charts.ratio_label(t) for t in (-2, -1, 0, 1, 2)])
    cb.set_label("Value relative to the median G7 country shown (log scale)", fontsize=8)
    cb.ax.tick_params(labelsize=7.5)
    long = raw.reset_index(names="country").melt(id_vars="country", var_name="metric", value_name="value")
    long["log10_ratio_to_g7_median"] = rel.reset_index(drop=True).melt()["value"].to_numpy()
    long["metric"] = long["metric"].str.replace("\n", " ")
    top_in = int((norm.idxmax() == "United States").sum())
    cn_second = sum(1 for m in norm.columns if norm[m].drop("United States").idxmax() == "China")
    bottom = list(norm.mean(axis=1).nsmallest(3).index)
    above = (rel.drop(g7) > 0).sum(axis=1)
    res = [c for c in raw.columns if c.startswith("Researchers")][0]
    alt = (f"Heatmap of {norm.shape[1]} AI-capacity measures for the ten BRICS members and five G7 countries. The "
           f"United States is highest on {top_in} of the {norm.shape[1]} measures; leaving the US aside, China is "
           f"highest on {cn_second}. On average {bottom[0]}, {bottom[1]} and {bottom[2]} are lowest, and Russia scores "
           f"mid-range on rates such as researchers per million ({raw.loc['Russia', res]:,.0f}) but low on models "
           f"and compute.")
    title = (f"{above.idxmax()} is above the median of the five G7 countries shown on {above.max()} of "
             f"{rel.shape[1]} measures; "
             f"no other BRICS member on more than {above.drop(above.idxmax()).max()}")
    return Chart(fig, "fig-ai-overview", long,
                 ["epoch_notable_models", "epoch_gpu_clusters", "top500", "cset_ai_publications", "wdi_innovation",
                  "oxford_gairi", "tortoise_global_ai_index"], title, alt)


def draw_russia(frame: pd.DataFrame) -> Chart:
    fig, (a1, a2) = figures.new_figure(1, 2, figsize=(7.0, 3.4))
    fdi = frame.set_index("year")["fdi_net_inflows_usd"].dropna()
    mig = frame.set_index("year")["net_migration"].dropna()
    for a, s, scale, t in ((a1, fdi, 1e9, "FDI, net inflows (US$ bn)"), (a2, mig, 1e3, "Net migration (thousands)")):
        a.bar(s.index, s / scale, color=[C[0] if v >= 0 else C[3] for v in s], width=0.75)
        a.axhline(0, color="black", linewidth=0.8)
        a.set_title(t, fontsize=10, fontweight="normal")
        a.axvline(2021.5, color=figures.GREY, linestyle="--", linewidth=1)
        a.text(2021.6, a.get_ylim()[1] * 0.92, "2022", fontsize=7.5, color=figures.GREY)
        a.set_xticks(range(2010, int(max(fdi.index.max(), mig.index.max())) + 1, 3))
    neg = fdi[fdi < 0]
    alt = (f"Two bar charts for Russia since 2010. Net FDI inflows were ${fdi[2021] / 1e9:.0f} billion in 2021 and "
           f"negative from {neg.index.min()} to {fdi.index.max()} (${fdi.iloc[-1] / 1e9:.0f} billion in "
           f"{fdi.index.max()}). Net migration peaked at {mig.max() / 1e3:,.0f} thousand in {mig.idxmax()} and turned "
           f"negative in {mig[mig < 0].index.min()}.")
    title = (f"Russia: net FDI inflows negative since {neg.index.min()}, net migration "
             f"negative since {mig[mig < 0].index.min()}")
    return Chart(fig, "fig-ai-russia", frame, ["wdi_innovation"], title, alt)
