"""Advantages, risks and challenges named by the article, weighed against evidence.

``data/pros_cons.yml`` lists each point with its evidence: bibliography keys with a note, or
measure specifications (same vocabulary and ``measure(spec) -> float`` contract as
:mod:`bricsai.ledger.claims`). An item's assessment is either typed (with a reason tied to the cited
evidence) or derived in code from one measured value and the bands written in the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from bricsai.ledger.claims import (MEASURE_SCHEMA, TEST_SCHEMA, Measure, _ID, _STR, _missing, bib_keys,
                     describe_test, format_value, known_indicators, known_scenarios,
                     measure_problems, passes, read_yaml, schema_problems, test_problems)
from bricsai.errors import DataError
from bricsai.paths import DATA

PROS_CONS_FILE = DATA / "pros_cons.yml"

KINDS = ("pro", "con", "challenge")
TOPICS = ("sber", "sanctions", "alliance", "success")
ASSESSMENTS = ("strong", "mixed", "weak", "unclear")

_REF_EVIDENCE = {"type": "object", "required": ["ref", "note"],
                 "properties": {"ref": _STR, "note": _STR}, "additionalProperties": False}
DISPLAYS = ("percent", "times", "number", "rank")
_MEASURED_EVIDENCE = {"type": "object", "required": ["id", "label", "measure", "note"],
                      "properties": {"id": _ID, "label": _STR, "measure": MEASURE_SCHEMA, "note": _STR,
                                     "display": {"enum": list(DISPLAYS)}},
                      "additionalProperties": False}
_BAND = {**TEST_SCHEMA, "required": ["op", "assessment"],
         "properties": {**TEST_SCHEMA["properties"], "assessment": {"enum": list(ASSESSMENTS)}}}

ITEM_SCHEMA = {
    "type": "object",
    "required": ["id", "label", "topic", "kind", "article_point", "evidence", "reason"],
    "properties": {
        "id": _ID,
        "label": _STR,
        "topic": {"enum": list(TOPICS)},
        "kind": {"enum": list(KINDS)},
        "article_point": _STR,
        "evidence": {"type": "array", "minItems": 1,
                     "items": {"oneOf": [_REF_EVIDENCE, _MEASURED_EVIDENCE]}},
        "assessment": {"enum": list(ASSESSMENTS)},
        "derive": {"type": "object", "required": ["from", "bands", "otherwise"],
                   "properties": {"from": _ID, "bands": {"type": "array", "items": _BAND, "minItems": 1},
                                  "otherwise": {"enum": list(ASSESSMENTS)}},
                   "additionalProperties": False},
        "reason": _STR,
    },
    "additionalProperties": False,
}

SCHEMA = {"type": "object", "required": ["items"],
          "properties": {"items": {"type": "array", "items": ITEM_SCHEMA, "minItems": 1}},
          "additionalProperties": False}


def validate_pros_cons(raw: Any, source: str | Path = PROS_CONS_FILE, *,
                       bib: Iterable[str] | None = None,
                       scenarios: Iterable[str] | None = None,
                       indicators: Iterable[str] | None = None) -> list[dict]:
    """Check the parsed YAML; return the items or raise DataError naming the file and item id."""
    problems = schema_problems(raw, SCHEMA, "items", "item")
    if problems:
        raise DataError(source, "invalid pros/cons:\n  " + "\n  ".join(problems))
    bib = set(bib_keys() if bib is None else bib)
    scenarios = set(known_scenarios() if scenarios is None else scenarios)
    indicators = set(known_indicators() if indicators is None else indicators)

    seen: set[str] = set()
    for item in raw["items"]:
        where = f"item {item['id']}"
        if item["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(item["id"])
        measured = {}
        for ev in item["evidence"]:
            if "ref" in ev:
                if ev["ref"] not in bib:
                    problems.append(f"{where}: evidence: unknown bib key {ev['ref']!r}")
            else:
                if ev["id"] in measured:
                    problems.append(f"{where}: evidence {ev['id']}: duplicate id")
                measured[ev["id"]] = ev
                problems += [f"{where}: evidence {ev['id']}: measure: {p}"
                             for p in measure_problems(ev["measure"], scenarios, indicators)]
        if ("assessment" in item) == ("derive" in item):
            problems.append(f"{where}: give exactly one of 'assessment' (typed) or 'derive' (computed)")
        if "derive" in item:
            if item["derive"]["from"] not in measured:
                problems.append(f"{where}: derive.from: {item['derive']['from']!r} is not a measured evidence id")
            for i, band in enumerate(item["derive"]["bands"], 1):
                problems += [f"{where}: derive.bands[{i}]: {p}" for p in test_problems(band)]
    if problems:
        raise DataError(source, "invalid pros/cons:\n  " + "\n  ".join(problems))
    return raw["items"]


def load_pros_cons(path: str | Path = PROS_CONS_FILE, **registries) -> list[dict]:
    """Read and validate a pros/cons file (registries: bib, scenarios, indicators)."""
    return validate_pros_cons(read_yaml(path), path, **registries)


def derive_assessment(derive: Mapping, value) -> str:
    """First band the value passes gives the assessment; ``otherwise`` if none; unclear if missing."""
    if _missing(value):
        return "unclear"
    for band in derive["bands"]:
        if passes(band, value):
            return band["assessment"]
    return derive["otherwise"]


def evaluate_pros_cons(items: Iterable[Mapping], measure: Measure) -> pd.DataFrame:
    """One row per item: id, label, topic, kind, article_point, evidence, refs, sources
    ({ref, note} per cited source), values, measured
    (list of {id, label, spec, display, value, decides}), assessment, assessment_source
    (typed | computed), reason (with the band rule for computed ones), item_reason, derive."""
    rows = []
    for item in items:
        values, parts, refs, measured, sources = {}, [], [], [], []
        for ev in item["evidence"]:
            if "ref" in ev:
                refs.append(ev["ref"])
                sources.append({"ref": ev["ref"], "note": ev["note"]})
                continue
            value = measure(ev["measure"])
            values[ev["id"]] = float("nan") if _missing(value) else float(value)
            parts.append(f"{ev['id']} = {format_value(value)}")
            measured.append({"id": ev["id"], "label": ev["label"], "spec": ev["measure"],
                             "display": ev.get("display"), "value": values[ev["id"]],
                             "decides": ev["id"] == item.get("derive", {}).get("from")})
        if "derive" in item:
            value = values[item["derive"]["from"]]
            assessment, source = derive_assessment(item["derive"], value), "computed"
            bands = "; ".join(f"{describe_test(b)} -> {b['assessment']}" for b in item["derive"]["bands"])
            reason = f"{item['reason']} ({item['derive']['from']} = {format_value(value)}; {bands}; else {item['derive']['otherwise']})"
        else:
            assessment, source, reason = item["assessment"], "typed", item["reason"]
        rows.append({"id": item["id"], "label": item["label"], "topic": item["topic"], "kind": item["kind"],
                     "article_point": item["article_point"], "evidence": "; ".join(parts),
                     "refs": refs, "sources": sources, "values": values, "measured": measured,
                     "assessment": assessment,
                     "assessment_source": source, "reason": reason, "item_reason": item["reason"],
                     "derive": item.get("derive")})
    return pd.DataFrame(rows, columns=["id", "label", "topic", "kind", "article_point", "evidence", "refs",
                                       "sources", "values", "measured", "assessment", "assessment_source", "reason",
                                       "item_reason", "derive"])


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Counts of items by kind (rows) and assessment (columns)."""
    table = pd.crosstab(df["kind"], df["assessment"])
    return table.reindex(index=[k for k in KINDS], columns=list(ASSESSMENTS), fill_value=0)


# --- presentation (the pros and cons page) -----------------------------------------------------

KIND_TITLES = {"pro": "Advantages", "con": "Risks", "challenge": "Challenges"}


def band_rule(derive: Mapping, fmt=None) -> str:
    """The bands of a derived assessment in words: 'strong if < 0.01; mixed if < 0.03; else weak'
    (``fmt`` formats the thresholds, e.g. as per cent)."""
    words = {">": "above", ">=": "at least", "<": "below", "<=": "at most"}

    def one(b):
        if fmt is None:
            return describe_test(b)
        if b["op"] == "between":
            return f"from {fmt(b['low'])} to {fmt(b['high'])}"
        return f"{words[b['op']]} {fmt(b['threshold'])}"
    parts = [f"{b['assessment']} if {one(b)}" for b in derive["bands"]]
    return "; ".join(parts + [f"else {derive['otherwise']}"])


def kind_table(df: pd.DataFrame, kind: str, fmt) -> pd.DataFrame:
    """Point | Evidence | Assessment | Why for one kind. ``fmt(spec, value, display)`` formats a
    measured value (the book passes :func:`bricsai.chapters.evidence.format_measured`)."""
    from bricsai.ledger.claims import cite

    rows = []
    for r in df[df["kind"] == kind].itertuples(index=False):
        measured = [f"{m['label']}: **{fmt(m['spec'], m['value'], m['display'])}**" for m in r.measured]
        evidence = "; ".join(measured) + ("." if measured else "")
        cited = [f"{ev['note'].rstrip('.')} {cite([ev['ref']])}." for ev in r.sources]
        evidence = " ".join([evidence, *cited]).strip()
        assessment = f"**{r.assessment}**" + (" (computed)" if r.assessment_source == "computed" else "")
        why = r.item_reason
        if r.derive:
            m = next(m for m in r.measured if m["decides"])
            why += f" Rule: {band_rule(r.derive, lambda x: fmt(m['spec'], x, m['display']))}."
        rows.append({"Point": f"[{r.id}]{{#point-{r.id}}}: **{r.label}.** {r.article_point}",
                     "Evidence": evidence, "Assessment": assessment, "Why": why})
    return pd.DataFrame(rows, columns=["Point", "Evidence", "Assessment", "Why"])

# Okabe-Ito colours, one per assessment.
ASSESSMENT_COLOURS = {"strong": "#0072B2", "mixed": "#E69F00", "weak": "#D55E00", "unclear": "#6F6F6F"}
