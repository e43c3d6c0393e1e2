"""The claims-ledger chapter: every value, table and download the ledger page shows.

The notebook ``notebooks/claims_ledger.md`` calls :func:`compute` and displays what it returns;
the Sphinx extension :mod:`bricsai.book.ledgerext` writes the CSV and JSON downloads and the
schema.org ``ClaimReview`` records from :func:`records` and :func:`claim_reviews`; the landing
page states :func:`coverage`. All of them start from :func:`ledger_frame`, so the page, the
downloads and the landing page cannot disagree.

Computed verdicts read their numbers through :func:`measure`: a check's ``year`` may name a
period family of the measure registry (``economy``, ``models``, ``gpu``), which is resolved to the
registry's reference period, so the ledger tests the same year the chapters report.
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from bricsai.chapters import evidence
from bricsai.ledger import claims as claimsmod


def period(family: str) -> int:
    """The reference period of a family of measures (e.g. ``economy`` -> 2024), from the registry."""
    from bricsai.ledger.measures import registry

    return int(registry().period(family))


def resolve(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A measure spec with a family name in ``year`` replaced by that family's period."""
    spec = dict(spec)
    if isinstance(spec.get("year"), str):
        spec["family"] = spec["year"]
        spec["year"] = period(spec["year"])
    return spec


def resolve_claims(claim_list: Iterable[Mapping]) -> list[dict]:
    """Claims whose checks name concrete years (the family kept under ``family``)."""
    out = []
    for claim in claim_list:
        claim = copy.deepcopy(dict(claim))
        for check in claim["evidence"].get("checks", []):
            check["measure"] = resolve(check["measure"])
        out.append(claim)
    return out


def _plain(spec: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "family"}


def _registry():
    from bricsai.ledger.measures import registry

    return registry()


def registry_measure(spec: Mapping[str, Any]) -> str | None:
    """The registry measure a spec reads, if it is one: a share of the world of an indicator the
    registry lists (population, GDP at market rates or at PPP); None otherwise."""
    reg = _registry()
    if spec.get("metric") != "world_share":
        return None
    for name, m in reg.measures.items():
        if m["indicator"] == spec["indicator"] and m["kind"] == "share" and m.get("of", "world") == "world":
            return name
    return None


def _group(spec: Mapping[str, Any]) -> str:
    group = spec.get("scenario", spec.get("entity"))
    return "+".join(group) if isinstance(group, list) else str(group)


def measure(spec: Mapping[str, Any]) -> float:
    """The ledger's ``measure(spec)``. A headline share comes from the measure registry (the
    number the chapters print, for the same group and period); any other spec is measured on
    the committed extracts by :func:`bricsai.chapters.evidence.measure`."""
    spec = _plain(resolve(spec))
    name = registry_measure(spec)
    if name is not None:
        return float(_registry().value(name, _group(spec), period=spec["year"]))
    return evidence.measure(spec)


def explain(spec: Mapping[str, Any]) -> dict[str, Any]:
    return evidence.explain(_plain(resolve(spec)))


@lru_cache(maxsize=1)
def _file() -> dict:
    return claimsmod.load_file()


def claim_list() -> list[dict]:
    """The validated claims, years resolved."""
    return resolve_claims(_file()["claims"])


def ledger_frame() -> pd.DataFrame:
    """Every entry with its verdict (see :func:`bricsai.ledger.claims.evaluate_claims`)."""
    return claimsmod.evaluate_claims(claim_list(), measure)


def coverage() -> dict[str, int]:
    """How many of the article's statements the ledger covers and how many it could settle.

    Keys: statements, out_of_scope, in_scope, covered, points_only, settled, claims (see
    :func:`bricsai.ledger.claims.coverage`). The landing page and the ledger page state these.
    """
    return claimsmod.coverage(_file()["statements"], ledger_frame())


def sensitivity_table(claim_list_: list[dict], ledger: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table for the page: one row per reading of each primary check."""
    sens = claimsmod.sensitivity(claim_list_, measure)
    specs = {ch["id"]: ch["measure"] for c in claim_list_ for ch in c["evidence"].get("checks", [])}
    labels = claimsmod.verdict_labels()
    sens = sens[sens["check"].map(lambda c: any(ch["id"] == c and ch["role"] == "primary"
                                                for cl in claim_list_ for ch in cl["evidence"].get("checks", [])))]
    out = pd.DataFrame({
        "Claim": sens["claim"].str.split("-").str[0],
        "Check": sens["check"],
        "Value": [evidence.format_measured(specs[c], v) for c, v in zip(sens["check"], sens["value"], strict=True)],
        "Reading": [_reading_words(t, specs[c]) + (" (ours)" if b else "")
                    for t, c, b in zip(sens["test"], sens["check"], sens["base"], strict=True)],
        "Check passes": sens["passed"].map({True: "yes", False: "no"}).fillna("no value"),
        "Verdict": sens["verdict"].map(labels),
    })
    return out.reset_index(drop=True)


def _reading_words(test: Mapping, spec: Mapping) -> str:
    def f(x):
        return evidence.format_measured(spec, x)
    if test["op"] == "between":
        return f"from {f(test['low'])} to {f(test['high'])}"
    return {">": "above", ">=": "at least", "<": "below", "<=": "at most"}[test["op"]] + f" {f(test['threshold'])}"


def compute() -> dict[str, Any]:
    """Everything the ledger page shows: frames, counts and the values it glues."""
    raw = _file()
    cl = claim_list()
    ledger = claimsmod.evaluate_claims(cl, measure)
    checks = evidence.checks_detail(cl)
    counts = claimsmod.summary(ledger).set_index("verdict")["claims"]
    cov = claimsmod.coverage(raw["statements"], ledger)
    kinds = ledger["kind"].value_counts()
    quant = ledger[ledger["kind"] == "quantitative"]
    n_missing = int(checks["passed"].isna().sum())
    glue = {
        "claims-total": int(counts["total"]),
        "claims-supported": int(counts["supported"]),
        "claims-partly": int(counts["partly-supported"]),
        "claims-not-supported": int(counts["not-supported"]),
        "claims-unverified": int(counts["unverified"]),
        "claims-opinion": int(counts["opinion-or-forecast"]),
        # Kept for pages written before the scale split unverified from opinion: both together.
        "claims-not-checkable": int(counts["unverified"] + counts["opinion-or-forecast"]),
        "claims-quantitative": int(kinds.get("quantitative", 0)),
        "claims-dated-facts": int(kinds.get("dated-fact", 0)),
        "claims-judgements": int(kinds.get("judgement", 0)),
        "claims-forecasts": int(kinds.get("forecast", 0)),
        "claims-checks": len(checks),
        "claims-checks-passed": int((checks["passed"] == True).sum()),  # noqa: E712
        "claims-checks-missing": n_missing,
        "claims-unverified-directive": int(((ledger["verdict"] == "unverified")
                                            & (ledger["section"] == "directive")).sum()),
        "claims-quantitative-supported": int((quant["verdict"] == "supported").sum()),
        "claims-state-media-only": int(ledger["state_media_only"].sum()),
        **{f"claims-statements-{k.replace('_', '-')}": v for k, v in cov.items() if k != "claims"},
    }
    text = {"claims-checks-missing-text": "none lacks a value" if n_missing == 0 else f"{n_missing} lack a value",
            "claims-economy-period": str(period("economy"))}
    return {"raw": raw, "claims": cl, "ledger": ledger, "checks": checks, "counts": counts,
            "coverage": cov, "glue": glue, "text": text,
            "measured": evidence.check_summaries(cl, checks),
            "sensitivity": sensitivity_table(cl, ledger),
            "scale": claimsmod.scale_table(raw),
            "datasets": evidence.datasets(ch["measure"] for c in cl if c["kind"] == "quantitative"
                                          for ch in c["evidence"]["checks"])}


def scale_markdown(scale: pd.DataFrame) -> str:
    """The verdict scale as a MyST definition list (each verdict defined once, from the data)."""
    return "\n".join(f"{r.label}\n: {r.definition}\n" for r in scale.itertuples())


def basis_label(indicator_label: str) -> str:
    """A readable basis for the ETO supply-chain shares, named from ETO's own list of inputs
    and stages ("eto_share:S1" -> "share of chip supply chain: Design")."""
    if not indicator_label.startswith("eto_share:"):
        return indicator_label
    from bricsai.sources import extracts

    names = extracts.load("eto_semiconductor_inputs").set_index("input_id")["input_name"]
    code = indicator_label.split(":", 1)[1]
    return f"share of chip supply chain: {names.get(code, code)}"


def checks_table(checks: pd.DataFrame) -> pd.DataFrame:
    tab = checks.assign(
        check=lambda d: d["claim"].str.split("-").str[0] + ": " + d["check"] + " (" + d["role"] + ")",
        basis=lambda d: d["basis"].map(basis_label),
    )[["check", "group", "basis", "year", "shown", "test", "result"]]
    tab.columns = ["Claim: check (role)", "Group", "Basis", "Year", "Value", "Test", "Result"]
    return tab


def rules_markdown(claim_list_: list[dict], ledger: pd.DataFrame) -> str:
    """One definition per quantitative claim: its verdict, how its words are read, its data."""
    verdicts = ledger.set_index("id")
    labels = claimsmod.verdict_labels()
    lines = []
    for c in claim_list_:
        if c["kind"] != "quantitative":
            continue
        row = verdicts.loc[c["id"]]
        extra = f" {row['out_of_date']}" if row["out_of_date"] else ""
        lines.append(f"{c['id']}\n: \"{c['quote']}\": **{labels[row['verdict']]}**. {row['reading']}"
                     f"{extra} {' '.join(c['evidence']['note'].split())}\n")
    return "\n".join(lines)


# --- the ledger as data -----------------------------------------------------------------------

RECORD_FIELDS = ["id", "section", "kind", "quote", "condition", "verdict", "verdict_label",
                 "verdict_source", "parts", "reason", "out_of_date", "state_media_only", "sources"]


def records(ledger: pd.DataFrame) -> list[dict[str, Any]]:
    """The ledger as plain records (for the CSV and JSON downloads and the explorer)."""
    labels = claimsmod.verdict_labels()
    out = []
    for r in ledger.itertuples(index=False):
        out.append({"id": r.id, "section": r.section, "kind": r.kind, "quote": r.quote,
                    "condition": r.condition, "verdict": r.verdict, "verdict_label": labels[r.verdict],
                    "verdict_source": r.verdict_source,
                    "parts": [{"text": p["text"], "status": p["status"],
                               "state_media_only": bool(p.get("state_media_only", False))} for p in r.parts],
                    "reason": r.reason, "out_of_date": r.out_of_date,
                    "state_media_only": bool(r.state_media_only),
                    "sources": [k for k in r.refs if k != "seedarticle"]})
    return out


def records_csv(recs: list[dict[str, Any]]) -> str:
    """CSV text: one row per entry; parts as 'text [status]' joined by ' | ', sources by ' '."""
    flat = []
    for r in recs:
        flat.append({**r, "parts": " | ".join(f"{p['text']} [{p['status']}]" for p in r["parts"]),
                     "sources": " ".join(r["sources"])})
    return pd.DataFrame(flat, columns=RECORD_FIELDS).to_csv(index=False, lineterminator="\n")


def records_json(recs: list[dict[str, Any]], meta: Mapping[str, Any]) -> str:
    return json.dumps({**meta, "entries": recs}, ensure_ascii=False, indent=1) + "\n"


# Ratings on the truth scale (1 = not supported ... 3 = supported); the other two verdicts say
# that no truth rating is given, so they carry only the verdict's name.
RATING_VALUES = {"supported": 3, "partly-supported": 2, "not-supported": 1}


def claim_reviews(recs: list[dict[str, Any]], *, page_url: str, date: str, author: str) -> list[dict]:
    """One schema.org ClaimReview per entry (JSON-LD objects)."""
    out = []
    for r in recs:
        rating = {"@type": "Rating", "alternateName": r["verdict_label"]}
        if r["verdict"] in RATING_VALUES:
            rating.update({"ratingValue": RATING_VALUES[r["verdict"]], "bestRating": 3, "worstRating": 1})
        claim_text = f"{r['condition']} ... {r['quote']}" if r["condition"] else r["quote"]
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{page_url}#claim-{r['id']}",
            "claimReviewed": claim_text,
            "datePublished": date,
            "author": {"@type": "Organization", "name": author},
            "reviewRating": rating,
            "reviewBody": r["reason"],
            "itemReviewed": {"@type": "Claim",
                             "author": {"@type": "Organization", "name": "Unknown author"},
                             "appearance": {"@type": "CreativeWork",
                                            "name": "Russia turns to China for AI cooperation "
                                                    "(undated news-style article)"}},
        })
    return out


def explorer_html(recs: list[dict[str, Any]], downloads: Mapping[str, str]) -> str:
    """The ledger explorer: one table of every entry, sortable and filterable (HTML only).

    Filters are native <select>s and the sort controls are <button>s in the column headers, so
    both work from the keyboard; ``bricsai-ledger.js`` wires them and reveals the filter bar
    (hidden without script, when the table simply shows every entry).
    """
    e = html.escape
    kinds = dict(claimsmod.KIND_LABELS)
    scale = claimsmod.verdict_labels()
    order = {v: i for i, v in enumerate(claimsmod.VERDICTS)}

    def select(name: str, label: str, options: Mapping[str, str]) -> str:
        opts = "".join(f'<option value="{e(k)}">{e(v)}</option>' for k, v in options.items())
        return (f'<label>{e(label)} <select data-filter="{name}">'
                f'<option value="">all</option>{opts}</select></label>')

    rows = []
    for i, r in enumerate(recs):
        quote = f"{r['condition']} ... {r['quote']}" if r["condition"] else r["quote"]
        rows.append(
            f'<tr data-verdict="{e(r["verdict"])}" data-kind="{e(r["kind"])}" data-section="{e(r["section"])}">'
            # Claim and verdict first: they are what a reader scans for, and stay in sight
            # when the rest of a row wraps or scrolls.
            f'<td data-sort="{i:03d}"><a href="#claim-{e(r["id"])}">{e(r["id"])}</a></td>'
            f'<td data-sort="{order[r["verdict"]]}"><span class="bricsai-verdict bricsai-verdict-{e(r["verdict"])}">'
            f'{e(r["verdict_label"])}</span>{" (computed)" if r["verdict_source"] == "computed" else ""}</td>'
            f'<td>&#8220;{e(quote)}&#8221;</td>'
            f'<td>{e(r["reason"])}</td>'
            f'<td data-sort="{claimsmod.SECTIONS.index(r["section"])}">{e(claimsmod.SECTION_TITLES[r["section"]])}</td>'
            f'<td data-sort="{claimsmod.KINDS.index(r["kind"])}">{e(kinds[r["kind"]])}</td></tr>')
    head = "".join(
        f'<th scope="col" aria-sort="none"><button type="button" data-sort-col="{i}">{e(t)}</button></th>'
        if sortable else f'<th scope="col">{e(t)}</th>'
        for i, (t, sortable) in enumerate([("Claim", True), ("Verdict", True), ("Quote", False),
                                           ("Reason", False), ("Section", True), ("Kind", True)]))
    links = " · ".join(f'<a href="{e(href)}" download>{e(label)}</a>' for label, href in downloads.items())
    return (
        '<div class="bricsai-ledger" data-bricsai-ledger>\n'
        f'<p class="bricsai-ledger-downloads">Download the ledger: {links}</p>\n'
        '<div class="bricsai-ledger-filters" role="group" aria-label="Filter the ledger" hidden>'
        + select("verdict", "Verdict", scale) + select("kind", "Kind", kinds)
        + select("section", "Section", claimsmod.SECTION_TITLES)
        + '<span class="bricsai-ledger-count" role="status" aria-live="polite">'
        f'{len(recs)} of {len(recs)} entries</span>'
        '</div>\n'
        # The caption sits above the scrolling box, not inside the table: a table caption is as
        # wide as its table, and on a phone half of it would be out of sight.
        '<p class="bricsai-ledger-caption" id="bricsai-ledger-caption">Every entry of the ledger. Choose a '
        'verdict, kind or section to filter; use the column buttons to sort.</p>\n'
        '<div class="bricsai-ledger-scroll" tabindex="0" role="region" aria-labelledby="bricsai-ledger-caption">'
        '<table class="bricsai-ledger-table bricsai-stack" aria-labelledby="bricsai-ledger-caption">'
        f'<thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows) + '\n</tbody></table></div>\n</div>')


def raw_html_block(markup: str) -> str:
    """MyST for markup shown in HTML only (the PDF keeps its static tables)."""
    return "```{raw} html\n" + markup + "\n```\n"


# --- display (called by the notebook) ---------------------------------------------------------

STORY_PAGES = {"opening": "story-sanctions", "directive": "story-directive", "sanctions": "story-sanctions",
               "brics": "story-alliance", "ties": "story-ties"}


def glue_all(res: Mapping[str, Any]) -> None:
    """Glue every number and phrase the page (and the landing page) prints."""
    from bricsai.present import report

    for key, value in res["glue"].items():
        report.glue_number(key, value)
    for key, value in res["text"].items():
        report.glue_text(key, value)


def show_markdown(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))


def show_section(res: Mapping[str, Any], name: str) -> None:
    """One article section's table of claims, with its count and a link to the story page."""
    from bricsai.present import report

    ledger = res["ledger"]
    n = int((ledger["section"] == name).sum())
    show_markdown(f"{n} claim{'s' if n != 1 else ''}. The story is told in {{ref}}`{STORY_PAGES[name]}`.")
    report.table(claimsmod.section_table(ledger, name, checks_ref="tbl-claim-checks", measured=res["measured"]),
                 f"tbl-claims-{name}", f"Claims of the article, section \"{claimsmod.SECTION_TITLES[name]}\".",
                 widths=[19, 29, 14, 38], classes="bricsai-stack")


def show_explorer(res: Mapping[str, Any]) -> None:
    """The explorer (HTML only) with its downloads, next to the page's static tables."""
    from bricsai.book import ledgerext

    base = f"../{ledgerext.DATA_DIR}/"
    show_markdown(raw_html_block(explorer_html(records(res["ledger"]),
                                               {"CSV": base + ledgerext.CSV_NAME,
                                                "JSON": base + ledgerext.JSON_NAME})))


def verdict_figure(res: Mapping[str, Any]) -> None:
    """Bar chart of the claims by verdict, published with its data and alt text."""
    from bricsai.present import figures

    counts, labels = res["counts"], claimsmod.verdict_labels()
    order = list(claimsmod.VERDICTS)
    values = [int(counts[v]) for v in order]
    fig, ax = figures.new_figure(figsize=(7.0, 2.5))
    ax.barh([labels[v] for v in order], values, color=[claimsmod.VERDICT_COLOURS[v] for v in order], height=0.6)
    ax.invert_yaxis()
    for y, v in enumerate(values):
        ax.text(v + 0.2, y, str(v), va="center", fontsize=9)
    ax.set_xlabel("claims")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(values) + 3)
    top = max(order, key=lambda v: counts[v])
    figures.publish_figure(
        fig, "fig-claims-verdicts", data=pd.DataFrame({"verdict": order, "claims": values}),
        datasets=res["datasets"],
        title=(f"Of the {counts['total']} claims, {counts['supported']} are supported, "
               f"{counts['partly-supported']} partly and {counts['not-supported']} not; "
               f"{counts['unverified']} could not be verified"),
        alt=(f"Horizontal bar chart of the {counts['total']} claims by verdict: "
             + ", ".join(f"{counts[v]} {labels[v]}" for v in order)
             + f". The most common verdict is {labels[top]}."))


def verdict_table(res: Mapping[str, Any]) -> pd.DataFrame:
    return claimsmod.verdict_table(res["ledger"])


def show_checks(res: Mapping[str, Any]) -> None:
    from bricsai.present import report

    report.table(checks_table(res["checks"]), "tbl-claim-checks",
                 "Every check of the quantitative claims, measured on the committed data extracts "
                 "when the book was built. Shares are of the world total; ratios compare the first "
                 "group with the second.",
                 widths=[24, 13, 18, 7, 9, 17, 12],
                 formats={"Year": "d"}, align={"Value": "right", "Year": "right"})


def show_sensitivity(res: Mapping[str, Any]) -> None:
    from bricsai.present import report

    report.table(res["sensitivity"], "tbl-claims-sensitivity",
                 "Computed verdicts under other readings of the article's words. \"(ours)\" marks the "
                 "threshold the ledger applies.",
                 widths=[9, 22, 11, 24, 12, 22], align={"Value": "right"})
