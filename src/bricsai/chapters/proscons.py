"""The pros and cons chapter: the policy matrix computed from ``data/pros_cons.yml``.

:func:`evaluate` measures every item's values, applies its bands and attaches the ledger's
verdict of every claim it cites (read from the ledger, so the two pages cannot disagree).
The table functions render the matrix and its details as MyST text; :func:`scenarios_table`
reads each scenario's indicators from the book's data as of today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from bricsai.ledger import proscons as pc
from bricsai.ledger.claims import cite, describe_test, format_value

KIND_TITLES = {"pro": "Advantages", "con": "Risks", "challenge": "Challenges"}
STAKEHOLDER_NAMES = {"russia": "Russia", "china": "China", "others": "other members", "west": "the West"}
HORIZON_NAMES = {"short": "now to 2026", "medium": "2027–2030", "long": "after 2030"}
# Okabe-Ito colours, one per direction.
DIRECTION_COLOURS = {"supports": "#0072B2", "mixed": "#E69F00", "against": "#D55E00", "unclear": "#6F6F6F"}

COLUMNS = ["id", "label", "topic", "origin", "kind", "point", "stakes", "horizon", "direction",
           "direction_source", "decided_value", "confidence", "reason", "counter", "refs", "sources",
           "claims", "measured", "values", "derive"]


def ledger_verdicts() -> dict[str, str]:
    """Claim id -> verdict as the ledger computes it."""
    from bricsai.chapters import ledger

    frame = ledger.ledger_frame()
    return dict(zip(frame["id"], frame["verdict"], strict=True))


def evaluate(items: Iterable[Mapping], measure: Callable[[Mapping], float],
             verdicts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per item (columns :data:`COLUMNS`). ``measure(spec) -> float`` as in the claims;
    ``verdicts`` maps claim ids to the ledger's verdicts (default: computed from the ledger)."""
    verdicts = ledger_verdicts() if verdicts is None else verdicts
    rows = []
    for item in items:
        values, measured, sources, cited = {}, [], [], []
        derive = item.get("derive")
        for ev in item["evidence"]:
            if "ref" in ev:
                sources.append({"ref": ev["ref"], "note": ev["note"]})
            elif "claim" in ev:
                cited.append({"claim": ev["claim"], "note": ev["note"], "verdict": verdicts[ev["claim"]]})
            else:
                value = measure(ev["measure"])
                values[ev["id"]] = float("nan") if value is None else float(value)
                measured.append({"id": ev["id"], "label": ev["label"], "spec": ev["measure"],
                                 "display": ev.get("display"), "value": values[ev["id"]],
                                 "decides": derive is not None and ev["id"] in (derive["from"],
                                                                                 derive.get("relative_to"))})
        if derive:
            decided = pc.decided_value(derive, values)
            direction, source = pc.derive_direction(derive, decided), "computed"
        else:
            decided, direction, source = float("nan"), item["direction"], "typed"
        rows.append({"id": item["id"], "label": item["label"], "topic": item["topic"],
                     "origin": item["origin"], "kind": item["kind"], "point": item["point"],
                     "stakes": dict(item["stakes"]), "horizon": item["horizon"], "direction": direction,
                     "direction_source": source, "decided_value": decided,
                     "confidence": item["confidence"], "reason": item["reason"], "counter": item["counter"],
                     "refs": [s["ref"] for s in sources], "sources": sources, "claims": cited,
                     "measured": measured, "values": values, "derive": derive})
    return pd.DataFrame(rows, columns=COLUMNS)


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Counts of items by kind (rows) and direction (columns)."""
    return pd.crosstab(df["kind"], df["direction"]).reindex(index=list(pc.KINDS), columns=list(pc.DIRECTIONS),
                                                            fill_value=0)


KIND_NOUNS = {"pro": "advantages", "con": "risks", "challenge": "challenges"}
DIRECTION_PHRASES = {"supports": "supports {n}", "mixed": "is mixed on {n}", "against": "tells against {n}",
                     "unclear": "does not settle {n}"}


def kind_summary(grid: pd.DataFrame, kind: str) -> str:
    """One sentence on where the evidence points for one kind of item, from :func:`summary`:
    "Of the 8 advantages, the evidence supports 0, is mixed on 3, …" (directions with no item
    are left out, except that a count of none supported is said)."""
    row = grid.loc[kind]
    parts = [DIRECTION_PHRASES[d].format(n=int(row[d])) for d in pc.DIRECTIONS
             if row[d] or d == "supports"]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of the {int(row.sum())} {KIND_NOUNS[kind]}, the evidence {listed}."


def complete(df: pd.DataFrame) -> list[str]:
    """Items of the evaluated matrix that lack a field (empty list when the matrix is complete)."""
    gaps = []
    for r in df.itertuples(index=False):
        for field in ("label", "point", "horizon", "direction", "confidence", "reason", "counter"):
            if not getattr(r, field):
                gaps.append(f"{r.id}: {field}")
        if set(r.stakes) != set(pc.STAKEHOLDERS):
            gaps.append(f"{r.id}: stakes")
        if not (r.sources or r.claims or r.measured):
            gaps.append(f"{r.id}: evidence")
    return gaps


# --- presentation ------------------------------------------------------------------------------

def stakes_text(stakes: Mapping[str, str]) -> str:
    """'Gains: Russia, China. Loses: the West.' (stakeholders with 'none' left out)."""
    parts = []
    for word in ("gains", "loses", "mixed"):
        who = [STAKEHOLDER_NAMES[s] for s in pc.STAKEHOLDERS if stakes[s] == word]
        if who:
            parts.append(f"{'Mixed for' if word == 'mixed' else word.capitalize() + ':'} {', '.join(who)}.")
    return " ".join(parts)


def direction_text(r) -> str:
    return f"**{r.direction}**" + (" (computed)" if r.direction_source == "computed" else "")


def point_cell(r, anchor: str = "point") -> str:
    """'p06 **Label**', anchored as ``<anchor>-<id>`` (the matrix and the detail tables each
    have their own anchor, so an id is never used twice on the page)."""
    added = " *(not in the article)*" if r.origin == "added" else ""
    return f"[{r.id.split('-')[0]}]{{#{anchor}-{r.id}}} **{r.label}**{added}"


def matrix_table(df: pd.DataFrame) -> pd.DataFrame:
    """The policy matrix, one row per item: Point | Who gains, who loses | When | Evidence
    points | Confidence."""
    rows = [{"Point": point_cell(r, "matrix"), "Who gains, who loses": stakes_text(r.stakes),
             "When": HORIZON_NAMES[r.horizon], "Evidence": direction_text(r), "Confidence": r.confidence}
            for r in df.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["Point", "Who gains, who loses", "When", "Evidence", "Confidence"])


VERDICT_WORDS = {"supported": "supported", "partly-supported": "partly supported",
                 "not-supported": "not supported", "not-checkable": "not checkable"}


def band_rule(derive: Mapping, fmt: Callable[[float], str] | None = None) -> str:
    """The bands in words: 'supports if below 0.01; mixed if below 0.03; else against'."""
    words = {">": "above", ">=": "at least", "<": "below", "<=": "at most"}

    def one(b):
        if fmt is None:
            return describe_test(b)
        if b["op"] == "between":
            return f"from {fmt(b['low'])} to {fmt(b['high'])}"
        return f"{words[b['op']]} {fmt(b['threshold'])}"
    return "; ".join([f"{b['direction']} if {one(b)}" for b in derive["bands"]] + [f"else {derive['otherwise']}"])


def detail_table(df: pd.DataFrame, kind: str, fmt) -> pd.DataFrame:
    """Point | Evidence | Direction and why | Strongest counter-argument, for one kind.
    ``fmt(spec, value, display)`` formats a measured value (the book passes
    :func:`bricsai.chapters.evidence.format_measured`)."""
    rows = []
    for r in df[df["kind"] == kind].itertuples(index=False):
        parts = [f"{m['label']}: **{fmt(m['spec'], m['value'], m['display'])}**." for m in r.measured]
        parts += [f"{s['note'].rstrip('.')} {cite([s['ref']])}." for s in r.sources]
        parts += [f"Ledger, claim {c['claim'].split('-')[0]}: *{VERDICT_WORDS.get(c['verdict'], c['verdict'])}* "
                  f"(see {{ref}}`claims-ledger`)." for c in r.claims]
        why = r.reason
        if r.derive:
            if r.derive.get("relative_to"):
                why += (f" Tested value: {r.derive['from']} divided by {r.derive['relative_to']} = "
                        f"{format_value(r.decided_value)}; rule: {band_rule(r.derive)}.")
            else:
                m = next(m for m in r.measured if m["id"] == r.derive["from"])
                why += f" Rule: {band_rule(r.derive, lambda x, m=m: fmt(m['spec'], x, m['display']))}."
        rows.append({"Point": f"{point_cell(r)}: {r.point}", "Evidence": " ".join(parts),
                     "Direction, confidence and why": f"{direction_text(r)}; confidence {r.confidence}. {why}",
                     "Strongest counter-argument": r.counter})
    return pd.DataFrame(rows, columns=["Point", "Evidence", "Direction, confidence and why",
                                       "Strongest counter-argument"])


def scenarios_table(scenarios: Iterable[Mapping], measure: Callable[[Mapping], float], fmt) -> pd.DataFrame:
    """Scenario | Indicator | Today | Points to this scenario if ...: one row per indicator;
    'Today' is read from the book's data (with its year) or names the sources to watch."""
    rows = []
    for sc in scenarios:
        for i, ind in enumerate(sc["indicators"]):
            if "measure" in ind:
                spec = ind["measure"]
                today = f"{fmt(spec, measure(spec), ind.get('display'))} ({spec['year']})"
            else:
                today = f"watch {cite(ind['refs'])}"
            rows.append({"Scenario": f"**{sc['title']}**" if i == 0 else "", "Indicator": ind["label"],
                         "Today": today, "Points this way if it": ind["signal"]})
    return pd.DataFrame(rows, columns=["Scenario", "Indicator", "Today", "Points this way if it"])


def overview_figure(df: pd.DataFrame):
    """Dot chart of every item by direction (filled: computed; open: typed), grouped by kind.
    Returns (fig, data, alt, title)."""
    from bricsai.present import figures

    fig, ax = figures.new_figure(figsize=(5.8, 6.6))
    xpos = {a: i for i, a in enumerate(pc.DIRECTIONS)}
    ticks, labels, heads, y = [], [], [], 0
    for kind in pc.KINDS:
        heads.append(y)
        ticks.append(y)
        labels.append(KIND_TITLES[kind])
        y += 1
        for r in df[df["kind"] == kind].itertuples():
            colour = DIRECTION_COLOURS[r.direction]
            filled = r.direction_source == "computed"
            ax.scatter([xpos[r.direction]], [y], s=80, zorder=3, linewidths=1.8,
                       facecolors=colour if filled else "white", edgecolors=colour,
                       marker="o" if r.origin == "article" else "D")
            ticks.append(y)
            labels.append(f"{r.id.split('-')[0]}  {r.label}")
            y += 1
    ax.set_yticks(ticks, labels)
    for lab, t in zip(ax.get_yticklabels(), ticks, strict=True):
        if t in heads:
            lab.set_fontweight("bold")
    for h in heads[1:]:
        ax.axhline(h - 0.5, color="#BBBBBB", linewidth=0.8)
    ax.set_xticks(range(len(pc.DIRECTIONS)), [f"evidence {d}" if d != "unclear" else d for d in pc.DIRECTIONS])
    ax.xaxis.tick_top()
    ax.set_xlim(-0.5, len(pc.DIRECTIONS) - 0.5)
    ax.set_ylim(y - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="both", length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    grey = figures.GREY
    ax.scatter([], [], s=80, facecolors=grey, edgecolors=grey, label="computed from data")
    ax.scatter([], [], s=80, facecolors="white", edgecolors=grey, linewidths=1.8, label="from cited sources")
    ax.scatter([], [], s=80, facecolors="white", edgecolors=grey, linewidths=1.8, marker="D",
               label="not in the article")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=3, fontsize=9)
    grid = summary(df)
    alt = ("Dot chart of the " + str(len(df)) + " points of the matrix by the direction of the evidence. "
           + "; ".join(f"{KIND_TITLES[k]}: " + ", ".join(f"{int(grid.loc[k, d])} {d}" for d in pc.DIRECTIONS
                                                         if grid.loc[k, d]) for k in pc.KINDS) + ".")
    data = df[["id", "label", "kind", "origin", "direction", "direction_source", "confidence", "horizon"]]
    title = (f"The evidence supports {int(grid.loc['pro', 'supports'])} of the {int(grid.loc['pro'].sum())} "
             f"advantages but {int(grid.loc['challenge', 'supports'])} of the "
             f"{int(grid.loc['challenge'].sum())} challenges")
    return fig, data, alt, title


def compute(measure: Callable[[Mapping], float] | None = None) -> dict[str, Any]:
    """Everything the chapter prints."""
    from bricsai.chapters import evidence, ledger

    # The ledger's measure: family names in a spec's year resolve to the registry's period.
    measure = ledger.measure if measure is None else measure
    items = pc.load_pros_cons()
    df = evaluate(items, measure)
    values = {k: v for vals in df["values"] for k, v in vals.items()}
    fdi = df.set_index("id").loc["p06-foreign-investment"]
    return {"df": df, "scenarios": pc.load_scenarios(), "summary": summary(df), "values": values,
            "fdi_relative": fdi["decided_value"],
            "datasets": evidence.datasets(m["spec"] for ms in df["measured"] for m in ms)}


def glue(values: Mapping[str, Any]) -> None:
    """Glue the counts and values the chapter's prose prints (``proscons-*``)."""
    from bricsai.present import report

    df, grid, v = values["df"], values["summary"], values["values"]
    report.glue_number("proscons-total", len(df))
    report.glue_number("proscons-article", int((df["origin"] == "article").sum()))
    report.glue_number("proscons-added", int((df["origin"] == "added").sum()))
    for kind in pc.KINDS:
        report.glue_number(f"proscons-{kind}", int((df["kind"] == kind).sum()))
        report.glue_text(f"proscons-{kind}-summary", kind_summary(grid, kind))
    for d in pc.DIRECTIONS:
        report.glue_number(f"proscons-{d}", int((df["direction"] == d).sum()))
    for c in pc.CONFIDENCES:
        report.glue_number(f"proscons-confidence-{c}", int((df["confidence"] == c).sum()))
    report.glue_number("proscons-computed", int((df["direction_source"] == "computed").sum()))
    report.glue_number("proscons-pro-supports", int(grid.loc["pro", "supports"]))
    report.glue_number("proscons-challenge-supports", int(grid.loc["challenge", "supports"]))
    report.glue_number("proscons-scenarios", len(values["scenarios"]))
    for key, name, scale in (("china-share-of-brics-compute", "proscons-china-share-brics-compute", 100),
                             ("brics-excl-china-compute", "proscons-brics-excl-china-compute", 100),
                             ("us-china-compute", "proscons-us-china-compute", 100),
                             ("brics-vs-g7-compute", "proscons-brics-g7-compute", 1),
                             ("brics-vs-g7-gdp", "proscons-brics-g7-gdp", 1),
                             ("rus-compute-share", "proscons-rus-compute-share", 100),
                             ("rus-fdi-vs-2021", "proscons-rus-fdi", 1),
                             ("wld-fdi-vs-2021", "proscons-wld-fdi", 1),
                             ("china-open-weights", "proscons-china-open-weights", 100)):
        report.glue_number(name, v[key], scale=scale)
    report.glue_number("proscons-fdi-relative", values["fdi_relative"])
    words = {"supports": "supports", "mixed": "partly supports", "against": "tells against",
             "unclear": "does not settle"}
    report.glue_text("proscons-p06-direction", words[df.set_index("id").loc["p06-foreign-investment", "direction"]])
