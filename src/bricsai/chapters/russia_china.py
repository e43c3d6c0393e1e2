"""The Russia–China link chapter: the dated facts as tables and the numbers our data give.

Two kinds of numbers meet here. Figures that only public reports give (China's share of
Russia's chip imports, DeepSeek's share of AI use in Russia) come from
``data/russia_china.yml``; where a report gives amounts, the share or multiple is computed
here from those amounts, never typed. Figures our data sets give (open-weight models by
country, AI publications) are measured on the committed extracts through
:func:`bricsai.chapters.evidence.measure`, the same measuring function the claims and the pros
and cons use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from bricsai.chapters import evidence
from bricsai.ledger import linkfacts
from bricsai.ledger.claims import cite

OPEN_WEIGHTS = "epoch_models_open_weights"
PUBLICATIONS = "cset_ai_publications"
# The last pre-war year: every "since the war" change is measured from it.
BASE_YEAR = 2021


def fact_share(fact: Mapping[str, Any]) -> float | None:
    """China's share in a fact: computed from part/whole where the source gives amounts,
    as stated where it gives only a share; None if the fact has neither."""
    if "share" in fact:
        return fact["share"]["part"] / fact["share"]["whole"]
    if "reported_share" in fact:
        return float(fact["reported_share"]["value"])
    return None


def fact_change(fact: Mapping[str, Any]) -> float | None:
    """The after/before multiple of a fact's ``change`` (None if it has none)."""
    if "change" not in fact:
        return None
    return fact["change"]["after"] / fact["change"]["before"]


def by_id(facts: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {f["id"]: f for f in facts}


def _when(period: str) -> str:
    return period.replace("..", "–")


def shares_table(facts: Iterable[Mapping[str, Any]], topic: str = "trade") -> pd.DataFrame:
    """One row per fact of ``topic`` that carries a share: Period | What is measured | China's
    share | How obtained | Standing | Source. Ordered by period."""
    rows = []
    for f in facts:
        share = fact_share(f)
        if share is None or f["topic"] != topic:
            continue
        if "share" in f:
            how = f"computed: {f['share']['part']:,g} of {f['share']['whole']:,g} {f['share']['unit']}"
        elif "low" in f["reported_share"]:
            rs = f["reported_share"]
            how = f"computed: midpoint of the reported range {rs['low'] * 100:g}–{rs['high'] * 100:g}%"
        else:
            how = "as reported"
        measure = f["share"]["measure"] if "share" in f else f["reported_share"]["measure"]
        rows.append({"Period": _when(f["period"]), "What is measured": measure,
                     "China's share": f"{share * 100:.0f}%", "How obtained": how,
                     "Standing": linkfacts.STANDING_LABELS[f["standing"]],
                     "Source": cite(f["refs"])})
    df = pd.DataFrame(rows, columns=["Period", "What is measured", "China's share", "How obtained",
                                     "Standing", "Source"])
    return df.sort_values("Period", kind="stable").reset_index(drop=True)


def facts_table(facts: Iterable[Mapping[str, Any]], topic: str) -> pd.DataFrame:
    """When | What the sources say | Standing, for one topic (sources cited in the middle cell).
    Unverified facts keep their label in the row, so the table never states them as fact."""
    if topic not in linkfacts.TOPICS:
        raise ValueError(f"unknown topic {topic!r}; expected one of {linkfacts.TOPICS}")
    rows = []
    for f in facts:
        if f["topic"] != topic:
            continue
        text = f["statement"].rstrip(".") + "."
        if f["refs"]:
            text += " " + cite(f["refs"])
        else:
            text += f" (not found; we searched {f['searched'].rstrip('.')})"
        rows.append({"When": _when(f["period"]), "What the sources say": f"[]{{#fact-{f['id']}}}" + text,
                     "Standing": linkfacts.STANDING_LABELS[f["standing"]]})
    return pd.DataFrame(rows, columns=["When", "What the sources say", "Standing"])


def standing_counts(facts: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many facts each standing has (every standing listed, zero included)."""
    out = dict.fromkeys(linkfacts.STANDINGS, 0)
    for f in facts:
        out[f["standing"]] += 1
    return out


# --- numbers from the book's own data ---------------------------------------------------------

def _share(entity, indicator: str, year: int) -> float:
    return evidence.measure({"metric": "world_share", "entity": entity, "indicator": indicator, "year": year})


def _multiple(entity, indicator: str, year: int, base: int) -> float:
    return evidence.measure({"metric": "ratio", "entity": entity, "to": entity, "to_year": base,
                             "indicator": indicator, "year": year})


def complete_years(indicator: str) -> list[int]:
    """Years the extract has a world row for, minus the years its source marks partial."""
    name = evidence.dataset_of(indicator)
    table = evidence._values(indicator)
    world = table["WLD"].dropna() if "WLD" in table.columns else table.dropna(how="all")
    return sorted(int(y) for y in world.index if evidence.partial_year(name, int(y)) is None)


def open_weight_shares(first: int = 2018) -> pd.DataFrame:
    """Year | China | United States | world count: each country's share of the world's notable
    open-weight models (whole counting, so shares of co-developed models overlap)."""
    years = [y for y in complete_years(OPEN_WEIGHTS) if y >= first]
    rows = [{"year": y, "China": _share("CHN", OPEN_WEIGHTS, y), "United States": _share("USA", OPEN_WEIGHTS, y),
             "world": evidence.measure({"metric": "value", "entity": "WLD", "indicator": OPEN_WEIGHTS, "year": y})}
            for y in years]
    return pd.DataFrame(rows, columns=["year", "China", "United States", "world"])


def publications_index(base: int = BASE_YEAR) -> pd.DataFrame:
    """Year | Russia | China | World: AI publications as a multiple of the base year."""
    years = complete_years(PUBLICATIONS)
    rows = [{"year": y, **{name: _multiple(code, PUBLICATIONS, y, base)
                           for name, code in (("Russia", "RUS"), ("China", "CHN"), ("World", "WLD"))}}
            for y in years]
    return pd.DataFrame(rows, columns=["year", "Russia", "China", "World"])


def compute(facts: list[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Everything the chapter prints: the facts, the tables' inputs and the measured values."""
    facts = linkfacts.load_facts() if facts is None else facts
    f = by_id(facts)
    ow = open_weight_shares()
    pubs = publications_index()
    ow_last = int(ow["year"].max())
    pub_last = int(pubs["year"].max())
    return {
        "facts": facts,
        "standing": standing_counts(facts),
        "semis_2020": fact_share(f["rc01-chips-2020"]),
        "ics_2020": fact_share(f["rc02-ics-2020"]),
        "ic_exports_multiple": fact_change(f["rc03-ic-exports-2022"]),
        "chips_2022": fact_share(f["rc05-chips-share-2022"]),
        "microelectronics_2023": fact_share(f["rc08-microelectronics-2023"]),
        "deepseek_russia": fact_share(f["rc29-deepseek-share-2026"]),
        "open_weights": ow,
        "ow_year": ow_last,
        "ow_china_last": float(ow.loc[ow["year"] == ow_last, "China"].iloc[0]),
        "ow_usa_last": float(ow.loc[ow["year"] == ow_last, "United States"].iloc[0]),
        "ow_china_2023": float(ow.loc[ow["year"] == 2023, "China"].iloc[0]),
        "publications": pubs,
        "pub_year": pub_last,
        "pub_rus_multiple": float(pubs.loc[pubs["year"] == pub_last, "Russia"].iloc[0]),
        "pub_chn_multiple": float(pubs.loc[pubs["year"] == pub_last, "China"].iloc[0]),
        "pub_wld_multiple": float(pubs.loc[pubs["year"] == pub_last, "World"].iloc[0]),
        "pub_rus_share_base": _share("RUS", PUBLICATIONS, BASE_YEAR),
        "pub_rus_share_last": _share("RUS", PUBLICATIONS, pub_last),
        "datasets": evidence.datasets([{"indicator": OPEN_WEIGHTS}, {"indicator": PUBLICATIONS}]),
    }


def figure(values: Mapping[str, Any]):
    """Two panels: China's and the US's shares of the world's notable open-weight models, and
    AI publications of Russia, China and the world as a multiple of the pre-war year.
    Returns (fig, data) with the plotted numbers in long form for the figure's download."""
    from matplotlib.ticker import MaxNLocator

    from bricsai.present import figures

    ow, pubs = values["open_weights"], values["publications"]
    fig, (left, right) = figures.new_figure(1, 2, figsize=(7.0, 3.4))
    colours = {"China": figures.PALETTE[3], "United States": figures.PALETTE[0],
               "Russia": figures.PALETTE[2], "World": figures.GREY}
    for name in ("China", "United States"):
        left.plot(ow["year"], ow[name] * 100, marker="o", color=colours[name], label=name)
    left.set_title("Notable open-weight models")
    left.set_ylabel("share of the world's, %")
    left.set_ylim(0, 100)
    left.legend(loc="best")  # where it covers no line
    for name in ("China", "World", "Russia"):
        right.plot(pubs["year"], pubs[name], marker="o", markersize=3, color=colours[name], label=name)
    right.axhline(1.0, color="#BBBBBB", linewidth=0.8)
    right.set_title("AI publications")
    right.set_ylabel(f"multiple of {BASE_YEAR}")
    right.legend(loc="best")
    for ax in (left, right):
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    fig.tight_layout()
    data = pd.concat([
        ow.melt(id_vars="year", value_vars=["China", "United States"], var_name="country",
                value_name="value").assign(series="share of world notable open-weight models"),
        pubs.melt(id_vars="year", value_vars=["Russia", "China", "World"], var_name="country",
                  value_name="value").assign(series=f"AI publications, multiple of {BASE_YEAR}"),
    ], ignore_index=True)[["series", "country", "year", "value"]]
    return fig, data


# Glued names and the values behind them (per cent where the prose says per cent).
_PERCENT = ("semis_2020", "ics_2020", "chips_2022", "microelectronics_2023", "deepseek_russia",
            "ow_china_last", "ow_usa_last", "ow_china_2023", "pub_rus_share_base", "pub_rus_share_last")
_PLAIN = ("ic_exports_multiple", "ow_year", "pub_year", "pub_rus_multiple", "pub_chn_multiple",
          "pub_wld_multiple")


def glue(values: Mapping[str, Any]) -> None:
    """Glue every number the chapter's prose prints, as ``rc-<name>`` (dashes for underscores),
    and the count of facts by standing as ``rc-n-<standing>``."""
    from bricsai.present import report

    for key in _PERCENT:
        report.glue_number("rc-" + key.replace("_", "-"), values[key], scale=100)
    for key in _PLAIN:
        report.glue_number("rc-" + key.replace("_", "-"), values[key])
    report.glue_number("rc-n-facts", len(values["facts"]))
    for standing, n in values["standing"].items():
        report.glue_number(f"rc-n-{standing}", n)


def figure_title(values: Mapping[str, Any]) -> str:
    """The finding drawn above the chapter's figure."""
    change = values["pub_rus_multiple"] - 1
    return (f"China made {values['ow_china_last']:.0%} of the world's notable open-weight models in "
            f"{values['ow_year']}; Russia's AI publications {'fell' if change < 0 else 'rose'} by "
            f"{abs(change):.0%} from {BASE_YEAR} to {values['pub_year']}")


def figure_alt(values: Mapping[str, Any]) -> str:
    """Alt text of the chapter's figure, stating both findings with the measured numbers."""
    return (f"Two line charts. Left: China's share of the world's notable open-weight AI models rose from "
            f"{values['ow_china_2023']:.0%} in 2023 to {values['ow_china_last']:.0%} in {values['ow_year']}, "
            f"while the United States' share was {values['ow_usa_last']:.0%} in {values['ow_year']}. "
            f"Right: by {values['pub_year']} Russia's AI publications were {values['pub_rus_multiple']:.2f} times "
            f"their {BASE_YEAR} level, China's {values['pub_chn_multiple']:.2f} times and the world's "
            f"{values['pub_wld_multiple']:.2f} times.")
