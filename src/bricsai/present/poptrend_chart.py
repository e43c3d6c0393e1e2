"""The bloc chapter's extrapolation of the population share (compute in
:mod:`bricsai.chapters.poptrend`), drawn in the book's style."""

from __future__ import annotations

from bricsai.present import figures
from bricsai.present.ai_charts import C, Chart


def draw_population_trend(trend: dict, since: int = 2000) -> Chart:
    """BRICS-5's share of the world's population with its recent pace extended: an
    extrapolation, labelled as such, not a forecast."""
    f = trend["frame"]
    obs = f[(f["kind"] == "observed") & (f["year"] >= since)]
    ext = f[f["kind"] == "extrapolated"]
    fig, ax = figures.new_figure(figsize=(7.0, 3.6))
    ax.plot(obs["year"], obs["share"] * 100, color=C[0], marker="o", markersize=2.5, label=f"{trend['group']}, observed")
    ax.plot(ext["year"], ext["share"] * 100, color=C[0], linestyle="--",
            label=f"extrapolation of the {trend['first_fit_year']}–{trend['last_year']} pace (not a forecast)")
    ax.axhline(trend["threshold"] * 100, color=figures.GREY, linewidth=1)
    ax.text(since, trend["threshold"] * 100 + 0.1, f"{trend['threshold']:.0%}", fontsize=8, color=figures.GREY)
    if trend["cross_year"]:
        ax.axvline(trend["cross_year"], color=C[3], linestyle=":", linewidth=1)
    ax.set_ylabel("Share of world population (%)")
    ax.legend(loc="upper right", fontsize=8)
    pace = -trend["slope"] * 100
    when = f"would fall below {trend['threshold']:.0%} in {trend['cross_year']}" if trend["cross_year"] else \
        f"would not fall below {trend['threshold']:.0%} within the horizon shown"
    alt = (f"Line chart of {trend['group']}'s share of the world's population from {since} to {trend['last_year']}, "
           f"when it was {trend['last_share']:.1%}, falling by about {pace:.2f} percentage points a year over "
           f"{trend['first_fit_year']}–{trend['last_year']}; a dashed extrapolation shows that at this pace it {when}. "
           "The extrapolation is not a forecast.")
    title = f"{trend['group']}'s share of the world's people is falling by about {pace:.1f} points a year"
    return Chart(fig, "fig-bloc-population-trend", f.assign(group=trend["group"]), ["wdi_economy"], title, alt)
