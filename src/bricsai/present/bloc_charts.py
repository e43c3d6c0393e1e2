"""The figures of the chapter "The BRICS bloc in numbers", drawn from what
:func:`bricsai.chapters.blocs.compute` returns (nothing is computed here but the drawing)."""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from bricsai.chapters.blocs import GDP, MEASURES, POP, PPP
from bricsai.present import figures

SOURCES = ["wdi_economy"]
DARK_FILLS = (figures.PALETTE[0], figures.PALETTE[2], figures.PALETTE[3], figures.GREY)


def _colours(ch: dict) -> dict[str, str]:
    return dict(zip(ch["groups"], figures.PALETTE, strict=False))


def shares(ch: dict) -> None:
    """Shares of the world over time by group, with the article's thresholds."""
    wide, t, waves = ch["frames"]["wide"], ch["thresholds"], ch["waves"]
    first, last, latest = ch["first_year"], ch["last_year"], ch["latest"]
    colour = _colours(ch)
    fig, axes = figures.new_figure(1, 3, figsize=(7.2, 3.6), sharey=True)
    for ax, (ind, title) in zip(axes, MEASURES.items(), strict=True):
        for n in ch["groups"]:
            ax.plot(wide[ind].index, 100 * wide[ind][n], color=colour[n], label=n, lw=1.5,
                    ls="--" if n == "BRICS-10+SAU" else "-")
        if ind == POP:
            ax.axhline(100 * t["pop"], color="black", ls="--", lw=0.9)
        else:
            ax.axhspan(100 * t["gdp_low"], 100 * t["gdp_high"], color=figures.GREY, alpha=0.25, lw=0)
        for y in waves:
            ax.axvline(y, color=figures.GREY, ls=":", lw=1)
        ax.set_title(title, fontsize=9.5)
        ax.set_xlim(first, last + 1)
        ax.set_xticks([1990, 2005, 2020])
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    axes[0].set_ylim(0, 90)
    axes[0].text(waves[0] - 0.8, 88, "new\nmembers", ha="right", va="top", fontsize=7.5, color=figures.GREY)
    handles, labels = axes[0].get_legend_handles_labels()
    handles += [Line2D([], [], color="black", ls="--", lw=0.9), Patch(color=figures.GREY, alpha=0.25, lw=0)]
    band = f'{t["gdp_low"]:.0%}–{t["gdp_high"]:.0%}'
    labels += [f'"over {t["pop"]:.0%}" of people', f'"nearly a quarter" of GDP ({band})']
    fig.legend(handles, labels, loc="upper center", ncol=3, bbox_to_anchor=(0.5, 0.02), fontsize=8)
    fig.tight_layout()
    data = ch["frames"]["shares"][["scenario", "indicator", "year", "share", "complete"]]
    w = {ind: wide[ind].loc[latest] for ind in MEASURES}
    figures.publish_figure(fig, "fig-bloc-shares", data, SOURCES, title=(
        f"BRICS-10 has {w[POP]['BRICS-10']:.0%} of the world's people but {w[GDP]['BRICS-10']:.0%} of its GDP "
        f"at market rates ({latest})"), alt=(
        f"Three line charts, {first}–{last}. In {latest} BRICS-5 held {w[POP]['BRICS-5']:.1%} of the world's "
        f"population (above {t['pop']:.0%} in every year), BRICS-10 {w[POP]['BRICS-10']:.1%}. BRICS-5 held "
        f"{w[GDP]['BRICS-5']:.1%} of world GDP at market rates and {w[PPP]['BRICS-5']:.1%} at PPP; BRICS-10 "
        f"{w[GDP]['BRICS-10']:.1%} and {w[PPP]['BRICS-10']:.1%}; the G7 {w[GDP]['G7']:.1%} and {w[PPP]['G7']:.1%}."))


def membership(ch: dict) -> None:
    """The bloc as it stood at the end of each year against the fixed five and ten."""
    wide, waves, colour = ch["frames"]["wide"], ch["waves"], _colours(ch)
    actual = {ind: f.set_index("year") for ind, f in ch["frames"]["as_it_stood"].groupby("indicator", sort=False)}
    start = min(actual[POP].index)
    fig, axes = figures.new_figure(1, 3, figsize=(7.2, 3.2), sharey=True)
    for ax, (ind, title) in zip(axes, MEASURES.items(), strict=True):
        for n in ("BRICS-5", "BRICS-10"):
            s = wide[ind][n].loc[start:]
            ax.plot(s.index, 100 * s, color=colour[n], lw=1.4, label=f"{n} (fixed)")
        a = actual[ind]["share"]
        ax.plot(a.index, 100 * a, color="black", lw=1.6, marker="o", ms=2.5, label="BRICS members at the time")
        for y in waves:
            ax.axvline(y, color=figures.GREY, ls=":", lw=1)
        ax.set_title(title, fontsize=9.5)
        ax.set_xticks([2000, 2010, 2020])
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    axes[0].set_ylim(0, 60)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, bbox_to_anchor=(0.5, -0.06))
    fig.tight_layout()
    p = actual[POP]["share"]
    figures.publish_figure(fig, "fig-bloc-membership", ch["frames"]["as_it_stood"], SOURCES, title=(
        f"Enlargement in {waves[0]} lifted the bloc from {p.loc[waves[0] - 1]:.1%} to {p.loc[waves[0]]:.1%} "
        "of the world's people"), alt=(
        f"Three line charts from {start}: the bloc as it stood each year held {p.loc[waves[0] - 1]:.1%} of the "
        f"world's population in {waves[0] - 1}, {p.loc[waves[0]]:.1%} in {waves[0]} and {p.loc[waves[-1]]:.1%} in "
        f"{waves[-1]}; its line follows the fixed five until {waves[0] - 1} and jumps towards the fixed ten when "
        "members joined."))


def composition(ch: dict) -> None:
    """How the BRICS-10 totals divide between the members in the reference year."""
    parts, names, latest = ch["frames"]["parts"], ch["names"], ch["latest"]
    top = list(parts[GDP].sort_values(ascending=False).index[:5])
    rest = [m for m in parts.index if m not in top]
    labels = [names[m] for m in top] + [f"Other {len(rest)} members"]
    colours = figures.PALETTE[: len(top)] + [figures.GREY]
    fig, ax = figures.new_figure(figsize=(7.0, 2.6))
    for i, ind in enumerate(MEASURES):
        vals = [parts.loc[m, ind] for m in top] + [parts.loc[rest, ind].sum()]
        left = 0.0
        for v, c, lab in zip(vals, colours, labels, strict=True):
            ax.barh(i, 100 * v, left=100 * left, color=c, edgecolor="white", height=0.62, label=lab if i == 0 else None)
            if v >= 0.06:
                ax.text(100 * (left + v / 2), i, f"{v:.0%}", ha="center", va="center", fontsize=8,
                        color="white" if c in DARK_FILLS else "black")
            left += v
    ax.set_yticks(range(len(MEASURES)), list(MEASURES.values()))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"Share of the BRICS-10 total, {latest}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.32), ncol=6, fontsize=8, handlelength=1.2, columnspacing=1.0)
    data = parts.rename(columns=MEASURES).reset_index().assign(year=latest)
    figures.publish_figure(fig, "fig-bloc-composition", data, SOURCES, title=(
        f"China produces {parts.loc['CHN', GDP]:.0%} of BRICS-10 GDP at market rates; India and China hold "
        f"{parts.loc[['IND', 'CHN'], POP].sum():.0%} of its people"), alt=(
        f"Stacked bar chart, {latest}: India holds {parts.loc['IND', POP]:.0%} and China {parts.loc['CHN', POP]:.0%} "
        f"of the BRICS-10 population, but China produces {parts.loc['CHN', GDP]:.0%} of the bloc's GDP at market "
        f"rates and {parts.loc['CHN', PPP]:.0%} at PPP."))


def concentration(ch: dict) -> None:
    """China's share of the BRICS-10 totals, and the HHI of group GDP, over time."""
    china, conc, colour = ch["frames"]["china"], ch["frames"]["concentration"], _colours(ch)
    first, latest = ch["first_year"], ch["latest"]
    fig, (a1, a2) = figures.new_figure(1, 2, figsize=(7.2, 3.2))
    labels = {POP: "People", GDP: "GDP, US$", PPP: "GDP, PPP"}
    for (ind, label), c in zip(labels.items(), figures.PALETTE, strict=False):
        a1.plot(china.index, 100 * china[ind], color=c, lw=1.6, label=label)
    a1.set_ylim(0, 100)
    a1.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    a1.set_title("China's share of BRICS-10", fontsize=9.5)
    a1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8)
    for n in conc.columns:
        a2.plot(conc.index, conc[n], color=colour[n], lw=1.6, label=n)
    a2.set_ylim(0, 0.6)
    a2.set_title("Concentration of GDP (HHI)", fontsize=9.5)
    a2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8)
    for ax in (a1, a2):
        ax.set_xticks([1990, 2000, 2010, 2020])
    fig.tight_layout()
    data = pd.concat([china.rename(columns=lambda c: f"CHN share of BRICS-10 {c}"),
                      conc.rename(columns=lambda c: f"HHI {c} {GDP}")], axis=1).reset_index()
    h = conc["BRICS-10"]
    figures.publish_figure(fig, "fig-bloc-concentration", data, SOURCES, title=(
        f"China's share of BRICS-10 GDP rose from {china.loc[first, GDP]:.0%} in {first} to "
        f"{china.loc[latest, GDP]:.0%} in {latest}"), alt=(
        f"Two line charts: China's share of BRICS-10 GDP at market rates rose from {china.loc[first, GDP]:.0%} in "
        f"{first} to {china.loc[latest, GDP]:.0%} in {latest}; the bloc's HHI rose from {h.loc[first]:.2f} to "
        f"{h.loc[latest]:.2f}, above the G7's {conc.loc[latest, 'G7']:.2f}."))


def per_capita(ch: dict) -> None:
    """GDP per person of each member and of the groups, at market rates and at PPP."""
    pc, colour, latest = ch["frames"]["per_capita"], _colours(ch), ch["latest"]
    world = pc.loc["World"]
    body = pc.drop(["BRICS-10", "G7", "World"])
    order = body["gdp_ppp_per_capita"].sort_values().index.tolist() + ["BRICS-10", "G7"]
    fig, axes = figures.new_figure(1, 2, figsize=(7.2, 4.0), sharey=True)
    for ax, key, title in ((axes[0], "gdp_per_capita", "Market exchange rates, US$"),
                           (axes[1], "gdp_ppp_per_capita", "PPP, international $")):
        v = pc[key].reindex(order) / 1000
        ax.hlines(range(len(order)), 0, v, color="#BBBBBB", lw=1)
        ax.scatter(v, range(len(order)), color=[colour.get(g, "#333333") for g in order], s=28, zorder=3)
        ax.axvline(world[key] / 1000, color="black", ls="--", lw=0.9)
        ax.text(world[key] / 1000, len(order) - 0.4, " world", fontsize=7.5, va="bottom")
        ax.set_title(title, fontsize=9.5)
        ax.set_xlabel("thousand per person")
        ax.set_xlim(0, None)
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(range(len(order)), order)
    axes[0].set_ylim(-0.7, len(order) + 0.3)
    fig.tight_layout()
    ratio = {k: pc.loc["G7", k] / pc.loc["BRICS-10", k] for k in ("gdp_per_capita", "gdp_ppp_per_capita")}
    figures.publish_figure(fig, "fig-bloc-per-capita", pc.reset_index().assign(year=latest), SOURCES, title=(
        f"The G7 produces {ratio['gdp_per_capita']:.1f} times as much per person as BRICS-10 at market rates, "
        f"{ratio['gdp_ppp_per_capita']:.1f} times at PPP"), alt=(
        f"Dot chart, {latest}: GDP per person was US${pc.loc['BRICS-10', 'gdp_per_capita']:,.0f} in BRICS-10, "
        f"US${world['gdp_per_capita']:,.0f} in the world and US${pc.loc['G7', 'gdp_per_capita']:,.0f} in the G7; at "
        f"PPP {pc.loc['BRICS-10', 'gdp_ppp_per_capita']:,.0f}, {world['gdp_ppp_per_capita']:,.0f} and "
        f"{pc.loc['G7', 'gdp_ppp_per_capita']:,.0f} international dollars."))


def latest_table(ch: dict) -> pd.DataFrame:
    """The latest-values table as printed (columns named for the reader)."""
    t = ch["frames"]["latest"]
    return pd.DataFrame({
        "Country or group": t.index,
        "People, million": t["population"].to_numpy() / 1e6,
        "People, % of world": 100 * t["pop_share"].to_numpy(),
        "GDP, US\\$ bn": t["gdp"].to_numpy() / 1e9,
        "GDP, % of world": 100 * t["gdp_share"].to_numpy(),
        "GDP at PPP, % of world": 100 * t["gdp_ppp_share"].to_numpy(),
        "GDP per person, US\\$ / PPP \\$": [f"{a:,.0f}\u00a0/\u00a0{b:,.0f}" for a, b in
                                             zip(t["gdp_per_capita"], t["gdp_ppp_per_capita"], strict=True)],
    })


def wb_imf_table(ch: dict) -> pd.DataFrame:
    """World Bank against IMF shares as printed."""
    x = ch["frames"]["wb_imf"]
    return pd.DataFrame({
        "Group or country": x.index,
        "PPP, WB %": 100 * x["ppp_wb"].to_numpy(), "PPP, IMF %": 100 * x["ppp_imf"].to_numpy(),
        "PPP, gap (pp)": 100 * x["ppp_gap"].to_numpy(),
        "US\\$, WB %": 100 * x["gdp_wb"].to_numpy(), "US\\$, IMF %": 100 * x["gdp_imf"].to_numpy(),
        "US\\$, gap (pp)": 100 * x["gdp_gap"].to_numpy(),
    })
