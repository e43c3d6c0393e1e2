"""The claims ledger: the seed article's claims, their evidence, and verdicts that follow one rule.

``data/claims.yml`` holds the verdict scale (each verdict defined once), every claim of the
article, and a map from every statement of the article (sentence, list item, heading) to the
claims that check it, to points of the pros and cons chapter, or to a reason it is out of scope.
This module validates the file and applies the rules. It does no data access itself: the caller
injects ``measure(spec) -> float``.

One rule for every verdict
--------------------------
Each claim is split into *parts*, the statements it makes. A part is *evidenced*,
*self-reported* (only the interested party says so; a part that only Russian or Chinese state
media report is self-reported and flagged ``state_media_only``), *not-found*, *contradicted* or
*not-checkable* (opinion, motive, forecast). :func:`verdict_from_parts`:

- *supported* when every part is evidenced;
- *partly supported* when some part is evidenced and some is not;
- *not supported* when no part is evidenced and one is contradicted;
- *unverified* when no part is evidenced or contradicted and one could have been checked
  (not found, or self-reported only);
- *opinion or forecast* when every part is not checkable.

Typed verdicts (dated facts, judgements, forecasts) are written in the file next to their parts,
and validation refuses a verdict that does not follow from them. Quantitative claims have no
typed verdict: each part names primary *checks* (a measure and a test); the part is evidenced if
every one passes, contradicted if one fails, not found if a value is missing, and the verdict
follows by the same rule. *Context* checks are shown but do not count; *today* checks (the bloc
as it is now) say whether a statement true of the original members is out of date, and count
like primary checks: each belongs to a part, so a statement that is out of date is at best
partly supported, as a dated fact whose "at the article's date" part is contradicted is.
A check's *readings* are other reasonable thresholds: :func:`sensitivity` recomputes the verdict
under each of them.

Measure specifications (the ``measure`` mapping of a check)
-----------------------------------------------------------
``metric``, ``indicator`` (a code as in the extracts' ``indicator`` column), ``year`` (an int,
or the name of a period family of the measure registry, e.g. ``economy``, resolved by the
caller's ``measure``) and exactly one group selector: ``scenario`` (a group of
``data/blocs.yml``) or ``entity`` (an ISO3 code or a list of them).

``world_share``  group total / world total (fraction 0-1);
``ratio``        group total / total of the group named by ``to``;
``rank``         rank of one ``entity`` among countries, 1 = highest;
``value``        the group total in the indicator's own unit.

``measure(spec)`` returns the number, or NaN when the data do not have it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.paths import DATA, EXTRACTS, ROOT

CLAIMS_FILE = DATA / "claims.yml"
BIB_FILE = ROOT / "book" / "references.bib"

# The scale, part statuses and kinds are defined (with their wording) in data/claims.yml; the
# code knows their identifiers because the rule below depends on them, and validation checks
# that the file and the code agree.
VERDICTS = ("supported", "partly-supported", "not-supported", "unverified", "opinion-or-forecast")
PART_STATUSES = ("evidenced", "self-reported", "not-found", "contradicted", "not-checkable")
KINDS = ("dated-fact", "judgement", "forecast", "quantitative")
SECTIONS = ("opening", "directive", "sanctions", "brics", "ties")
SETTLED = ("supported", "partly-supported", "not-supported")
METRICS = {
    "world_share": "group total / world total (fraction 0-1)",
    "ratio": "group total / total of the 'to' group (optionally in 'to_year')",
    "rank": "rank of one entity among countries, 1 = highest",
    "value": "group total in the indicator's own unit",
}
OPS = (">", ">=", "<", "<=", "between")
ROLES = ("primary", "context", "today")
# Period families a check's year may name instead of a number (the measure registry's families).
PERIOD_FAMILIES = frozenset({"economy", "models", "gpu", "top500", "publications", "readiness", "imf"})

# Used when the extracts or data/blocs.yml cannot be read (e.g. in a fresh clone before the
# data build). Tests inject their own sets.
CORE_INDICATORS = frozenset({"SP.POP.TOTL", "NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD.DERIVED"})
CORE_SCENARIOS = frozenset({"BRICS-5", "BRICS-10", "BRICS-10+SAU", "G7", "GPAI"})

ISO3 = re.compile(r"^[A-Z]{3}$")
Measure = Callable[[Mapping[str, Any]], float]

_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"}
_STR = {"type": "string", "minLength": 1}
_GROUP = {"oneOf": [{"type": "string", "minLength": 1},
                    {"type": "array", "items": {"type": "string"}, "minItems": 1}]}

MEASURE_SCHEMA = {
    "type": "object",
    "required": ["metric", "indicator", "year"],
    "properties": {
        "metric": _STR, "indicator": _STR,
        "year": {"oneOf": [{"type": "integer"}, {"enum": sorted(PERIOD_FAMILIES)}]},
        "scenario": _STR, "entity": _GROUP, "to": _GROUP, "to_year": {"type": "integer"},
    },
    "additionalProperties": False,
}

TEST_SCHEMA = {
    "type": "object",
    "required": ["op"],
    "properties": {
        "op": {"enum": list(OPS)},
        "threshold": {"type": "number"}, "low": {"type": "number"}, "high": {"type": "number"},
    },
    "additionalProperties": False,
}

CHECK_SCHEMA = {
    "type": "object",
    "required": ["id", "role", "measure", "test"],
    "properties": {"id": _ID, "role": {"enum": list(ROLES)}, "measure": MEASURE_SCHEMA,
                   "test": TEST_SCHEMA, "note": _STR,
                   "readings": {"type": "array", "items": TEST_SCHEMA, "minItems": 2}},
    "additionalProperties": False,
}

PART_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": _STR, "status": {"enum": list(PART_STATUSES)},
                   "checks": {"type": "array", "items": _ID, "minItems": 1},
                   "state_media_only": {"type": "boolean"}},
    "additionalProperties": False,
}

CLAIM_SCHEMA = {
    "type": "object",
    "required": ["id", "section", "quote", "kind", "evidence", "parts", "reason"],
    "properties": {
        "id": _ID,
        "section": {"enum": list(SECTIONS)},
        "quote": _STR,
        "condition": _STR,
        "kind": {"enum": list(KINDS)},
        "evidence": {
            "type": "object",
            "required": ["note"],
            "properties": {"refs": {"type": "array", "items": _STR},
                           "note": _STR,
                           "checks": {"type": "array", "items": CHECK_SCHEMA, "minItems": 1}},
            "additionalProperties": False,
        },
        "parts": {"type": "array", "items": PART_SCHEMA, "minItems": 1},
        "reading": _STR,
        "verdict": {"enum": list(VERDICTS)},
        "reason": _STR,
    },
    "additionalProperties": False,
}

_DEFINED = {"type": "array", "minItems": 1,
            "items": {"type": "object", "required": ["id", "definition"],
                      "properties": {"id": _ID, "label": _STR, "definition": _STR},
                      "additionalProperties": False}}

STATEMENT_SCHEMA = {
    "type": "object",
    "required": ["quote"],
    "properties": {"quote": _STR,
                   "claims": {"type": "array", "items": _ID, "minItems": 1},
                   "points": {"type": "array", "items": _ID, "minItems": 1},
                   "out": _ID},
    "additionalProperties": False,
}

SCHEMA = {
    "type": "object",
    "required": ["verdicts", "part_statuses", "kinds", "out_of_scope", "claims", "statements"],
    "properties": {
        "verdicts": _DEFINED, "part_statuses": _DEFINED, "kinds": _DEFINED,
        "out_of_scope": {"type": "object", "additionalProperties": _STR, "minProperties": 1},
        "claims": {"type": "array", "items": CLAIM_SCHEMA, "minItems": 1},
        "statements": {"type": "array", "items": STATEMENT_SCHEMA, "minItems": 1},
    },
    "additionalProperties": False,
}


# --- registries -----------------------------------------------------------------------------

def bib_keys(path: str | Path = BIB_FILE) -> frozenset[str]:
    """The entry keys of a BibTeX file (parsed with pybtex, so a broken file fails here)."""
    import pybtex.database

    path = Path(path)
    try:
        return frozenset(pybtex.database.parse_file(str(path)).entries.keys())
    except FileNotFoundError:
        raise DataError(path, "bibliography file not found") from None
    except Exception as exc:  # pybtex raises several types for syntax errors
        raise DataError(path, f"cannot parse bibliography: {exc}") from exc


def known_scenarios() -> frozenset[str]:
    """Scenario names from data/blocs.yml, or the core names if it cannot be read."""
    try:
        from bricsai.groups import blocs

        return frozenset(blocs.scenarios()) | CORE_SCENARIOS
    except Exception:
        return CORE_SCENARIOS


def known_indicators(extracts: str | Path = EXTRACTS) -> frozenset[str]:
    """Indicator codes present in the tidy extracts (plus the core WDI codes)."""
    codes = set(CORE_INDICATORS)
    for csv in sorted(Path(extracts).glob("*.csv")):
        try:
            head = pd.read_csv(csv, nrows=0)
            if "indicator" in head.columns:
                codes.update(pd.read_csv(csv, usecols=["indicator"])["indicator"].dropna().unique())
        except (OSError, ValueError):
            continue
    return frozenset(codes)


def known_points() -> frozenset[str] | None:
    """Ids of the pros and cons chapter's points, or None if that file cannot be read."""
    try:
        raw = yamlfile.load(DATA / "pros_cons.yml")
        return frozenset(str(i["id"]) for i in raw["items"])
    except Exception:
        return None


# --- validation -----------------------------------------------------------------------------

def read_yaml(path: str | Path) -> Any:
    """The parsed file; DataError naming the file and the line if it is not valid YAML."""
    return yamlfile.load(path)


def _item_label(raw: Any, list_key: str, index: int, noun: str) -> str:
    try:
        item = raw[list_key][index]
        if isinstance(item, Mapping) and item.get("id"):
            return f"{noun} {item['id']}"
        if isinstance(item, Mapping) and item.get("quote"):
            return f"{noun} #{index + 1} ({str(item['quote'])[:40]!r})"
    except (KeyError, IndexError, TypeError):
        pass
    return f"{noun} #{index + 1}"


def schema_problems(raw: Any, schema: Mapping, list_key: str, noun: str) -> list[str]:
    """jsonschema errors as readable lines naming the item's id and the field."""
    problems = []
    validator = jsonschema.Draft202012Validator(schema)
    nouns = {list_key: noun, "statements": "statement"}
    for err in sorted(validator.iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(err.absolute_path)
        if len(path) >= 2 and path[0] in nouns and isinstance(path[1], int):
            where = _item_label(raw, path[0], path[1], nouns[path[0]])
            field = ".".join(str(p) for p in path[2:]) or "(entry)"
        else:
            where, field = "file", ".".join(str(p) for p in path) or "(top level)"
        problems.append(f"{where}: {field}: {err.message}")
    return problems


def _group_problems(value, scenarios, field) -> list[str]:
    items = value if isinstance(value, list) else [value]
    bad = [v for v in items if not (ISO3.match(str(v)) or v in scenarios)]
    if bad:
        return [f"{field}: unknown scenario or ISO3 code {', '.join(map(repr, bad))} "
                f"(known scenarios: {', '.join(sorted(scenarios))})"]
    return []


def measure_problems(spec: Mapping, scenarios: Iterable[str], indicators: Iterable[str]) -> list[str]:
    """Semantic problems of one measure spec (the schema has already checked its shape)."""
    scenarios, indicators = set(scenarios), set(indicators)
    out = []
    metric = spec.get("metric")
    if metric not in METRICS:
        out.append(f"unknown metric {metric!r} (known: {', '.join(METRICS)})")
    if spec.get("indicator") not in indicators:
        out.append(f"unknown indicator {spec.get('indicator')!r}")
    has_scenario, has_entity = "scenario" in spec, "entity" in spec
    if has_scenario == has_entity:
        out.append("give exactly one of 'scenario' or 'entity'")
    if has_scenario and spec["scenario"] not in scenarios:
        out.append(f"unknown scenario {spec['scenario']!r} (known: {', '.join(sorted(scenarios))})")
    if has_entity:
        ents = spec["entity"] if isinstance(spec["entity"], list) else [spec["entity"]]
        bad = [e for e in ents if not ISO3.match(str(e))]
        if bad:
            out.append(f"entity must be ISO3 codes, got {', '.join(map(repr, bad))}")
    if metric == "ratio":
        if "to" not in spec:
            out.append("metric 'ratio' needs 'to'")
        else:
            out += _group_problems(spec["to"], scenarios, "to")
    elif "to" in spec or "to_year" in spec:
        out.append(f"'to'/'to_year' only apply to metric 'ratio', not {metric!r}")
    if metric == "rank" and (has_scenario or isinstance(spec.get("entity"), list)):
        out.append("metric 'rank' needs a single 'entity'")
    return out


def test_problems(test: Mapping) -> list[str]:
    if test.get("op") == "between":
        if "low" not in test or "high" not in test:
            return ["op 'between' needs 'low' and 'high'"]
        if test["low"] > test["high"]:
            return ["'low' is above 'high'"]
        if "threshold" in test:
            return ["op 'between' takes 'low'/'high', not 'threshold'"]
    elif "threshold" not in test:
        return [f"op {test.get('op')!r} needs 'threshold'"]
    return []


def _defined_problems(raw: Mapping, key: str, expected: tuple[str, ...]) -> list[str]:
    ids = tuple(d["id"] for d in raw[key])
    if ids != expected:
        return [f"file: {key}: the ids must be {', '.join(expected)} in this order "
                f"(the rules in bricsai.ledger.claims use them), got {', '.join(ids)}"]
    if key == "verdicts" and not all(d.get("label") for d in raw[key]):
        return [f"file: {key}: every verdict needs a label"]
    return []


def _claim_problems(claim: Mapping, bib: set, scenarios: set, indicators: set) -> list[str]:
    where = f"claim {claim['id']}"
    out: list[str] = []
    ev = claim["evidence"]
    out += [f"{where}: evidence.refs: unknown bib key {k!r}" for k in ev.get("refs", []) if k not in bib]
    parts = claim["parts"]
    if claim["kind"] == "quantitative":
        if "verdict" in claim:
            out.append(f"{where}: verdict: a quantitative claim's verdict is computed, do not type it")
        if "checks" not in ev:
            return out + [f"{where}: evidence.checks: a quantitative claim needs checks"]
        if "reading" not in claim:
            out.append(f"{where}: reading: say how the article's words are read as thresholds")
        ids: set[str] = set()
        for check in ev["checks"]:
            cw = f"{where}: check {check['id']}"
            if check["id"] in ids:
                out.append(f"{cw}: duplicate check id")
            ids.add(check["id"])
            out += [f"{cw}: measure: {p}" for p in measure_problems(check["measure"], scenarios, indicators)]
            out += [f"{cw}: test: {p}" for p in test_problems(check["test"])]
            for reading in check.get("readings", []):
                out += [f"{cw}: readings: {p}" for p in test_problems(reading)]
            if "readings" in check and dict(check["test"]) not in [dict(r) for r in check["readings"]]:
                out.append(f"{cw}: readings: the check's own test must be one of its readings")
        # Primary checks test the claim as stated; today checks test it for the bloc as it is
        # now. Both count in the verdict (being out of date lowers it), so each belongs to a part.
        counted = {c["id"] for c in ev["checks"] if c["role"] in ("primary", "today")}
        named: list[str] = []
        for part in parts:
            if "status" in part or "checks" not in part:
                out.append(f"{where}: parts: a part of a quantitative claim names its checks, not a status")
                continue
            if part.get("state_media_only"):
                out.append(f"{where}: parts: state_media_only is for parts with a status, not checks")
            named += part["checks"]
            bad = [c for c in part["checks"] if c not in counted]
            if bad:
                out.append(f"{where}: parts: {', '.join(bad)} is not a primary or today check of this claim")
        if sorted(named) != sorted(counted):
            out.append(f"{where}: parts: every primary and every today check belongs to exactly one part "
                       f"(primary and today: {sorted(counted)}, named: {sorted(named)})")
        for check in ev["checks"]:
            if check["role"] == "primary" and "readings" not in check:
                out.append(f"{where}: check {check['id']}: readings: a primary check needs readings "
                           f"(the sensitivity table)")
    else:
        if "verdict" not in claim:
            out.append(f"{where}: verdict: 'verdict' is a required property for kind {claim['kind']!r}")
        if not ev.get("refs"):
            out.append(f"{where}: evidence.refs: at least one bib key is required")
        if "checks" in ev or "reading" in claim:
            out.append(f"{where}: checks/reading are only for quantitative claims")
        # The interested-party rule: the two states' own media reporting on them are the
        # interested party, so a part that only they report is self-reported, not evidenced.
        for p in parts:
            if p.get("state_media_only") and p.get("status") != "self-reported":
                out.append(f"{where}: parts: {p['text']!r} is reported by state media only, so its "
                           f"status must be 'self-reported', not {p.get('status')!r}")
        if any("status" not in p or "checks" in p for p in parts):
            out.append(f"{where}: parts: each part needs a status (and no checks)")
        elif "verdict" in claim:
            rule = verdict_from_parts([p["status"] for p in parts])
            if claim["verdict"] != rule:
                out.append(f"{where}: verdict: {claim['verdict']!r} does not follow from its parts "
                           f"({', '.join(p['status'] for p in parts)} gives {rule!r})")
    return out


def _statement_problems(raw: Mapping, claim_ids: set, points: frozenset | None) -> list[str]:
    out = []
    used: set[str] = set()
    for i, st in enumerate(raw["statements"], 1):
        where = f"statement #{i} ({st['quote'][:40]!r})"
        if "out" in st and ("claims" in st or "points" in st):
            out.append(f"{where}: either out of scope or mapped to claims/points, not both")
        if not any(k in st for k in ("out", "claims", "points")):
            out.append(f"{where}: map it to claims or points, or give 'out' (a reason key)")
        if "out" in st and st["out"] not in raw["out_of_scope"]:
            out.append(f"{where}: out: unknown reason {st['out']!r} (known: {', '.join(raw['out_of_scope'])})")
        for cid in st.get("claims", []):
            if cid not in claim_ids:
                out.append(f"{where}: claims: unknown claim {cid!r}")
            used.add(cid)
        if points is not None:
            out += [f"{where}: points: unknown point {p!r} (data/pros_cons.yml)"
                    for p in st.get("points", []) if p not in points]
    out += [f"claim {cid}: no statement of the article maps to it" for cid in sorted(claim_ids - used)]
    return out


def validate_file(raw: Any, source: str | Path = CLAIMS_FILE, *,
                  bib: Iterable[str] | None = None,
                  scenarios: Iterable[str] | None = None,
                  indicators: Iterable[str] | None = None,
                  points: Iterable[str] | None = None) -> dict:
    """Check the parsed YAML; return it, or raise DataError naming the file and the entry."""
    problems = schema_problems(raw, SCHEMA, "claims", "claim")
    if problems:
        raise DataError(source, "invalid claims:\n  " + "\n  ".join(problems))
    bib = set(bib_keys() if bib is None else bib)
    scenarios = set(known_scenarios() if scenarios is None else scenarios)
    indicators = set(known_indicators() if indicators is None else indicators)
    points = known_points() if points is None else frozenset(points)
    problems += _defined_problems(raw, "verdicts", VERDICTS)
    problems += _defined_problems(raw, "part_statuses", PART_STATUSES)
    problems += _defined_problems(raw, "kinds", KINDS)
    seen: set[str] = set()
    for claim in raw["claims"]:
        if claim["id"] in seen:
            problems.append(f"claim {claim['id']}: duplicate id")
        seen.add(claim["id"])
        problems += _claim_problems(claim, bib, scenarios, indicators)
    problems += _statement_problems(raw, seen, points)
    if problems:
        raise DataError(source, "invalid claims:\n  " + "\n  ".join(problems))
    return raw


def load_file(path: str | Path = CLAIMS_FILE, **registries) -> dict:
    """The whole validated file (verdicts, part_statuses, kinds, out_of_scope, claims, statements)."""
    return validate_file(read_yaml(path), path, **registries)


def load_claims(path: str | Path = CLAIMS_FILE, **registries) -> list[dict]:
    """The validated claims. ``registries``: bib, scenarios, indicators, points (see validate_file)."""
    return load_file(path, **registries)["claims"]


@lru_cache(maxsize=1)
def _scale() -> tuple[tuple[str, str, str], ...]:
    raw = read_yaml(CLAIMS_FILE)
    return tuple((d["id"], d["label"], d["definition"]) for d in raw["verdicts"])


def verdict_labels() -> dict[str, str]:
    """Verdict id -> the label the reader sees (from data/claims.yml)."""
    return {v: label for v, label, _ in _scale()}


def verdict_label(verdict: str) -> str:
    return verdict_labels()[verdict]


class _Labels(Mapping):
    """Verdict id -> label, read from data/claims.yml when first used (a broken file then fails
    the code that needs a label, not every import of this module)."""

    def __getitem__(self, key: str) -> str:
        return verdict_labels()[key]

    def __iter__(self):
        return iter(verdict_labels())

    def __len__(self) -> int:
        return len(verdict_labels())


VERDICT_LABELS: Mapping[str, str] = _Labels()


def verdicts() -> dict[str, str]:
    """{claim id: verdict} as the ledger page shows them (for the ``{verdict}`` role)."""
    from bricsai.chapters import ledger

    frame = ledger.ledger_frame()
    return dict(zip(frame["id"], frame["verdict"], strict=True))


def scale_table(raw: Mapping | None = None) -> pd.DataFrame:
    """The verdict scale, as defined in the file: verdict, label, definition."""
    rows = (raw or read_yaml(CLAIMS_FILE))["verdicts"]
    return pd.DataFrame([{"verdict": d["id"], "label": d["label"], "definition": " ".join(d["definition"].split())}
                         for d in rows])


# --- the rule -------------------------------------------------------------------------------

def verdict_from_parts(statuses: Iterable[str]) -> str:
    """The one rule for compound claims (see the module docstring)."""
    statuses = list(statuses)
    unknown = set(statuses) - set(PART_STATUSES)
    if not statuses or unknown:
        raise ValueError(f"part statuses must be some of {PART_STATUSES}, got {statuses}")
    if all(s == "evidenced" for s in statuses):
        return "supported"
    if "evidenced" in statuses:
        return "partly-supported"
    if "contradicted" in statuses:
        return "not-supported"
    if any(s in ("not-found", "self-reported") for s in statuses):
        return "unverified"
    return "opinion-or-forecast"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def passes(test: Mapping, value) -> bool | None:
    """Whether ``value`` passes ``test``; None if the value is missing."""
    if _missing(value):
        return None
    value = float(value)
    op = test["op"]
    if op == "between":
        return test["low"] <= value <= test["high"]
    t = test["threshold"]
    return {">": value > t, ">=": value >= t, "<": value < t, "<=": value <= t}[op]


def part_status(results: Iterable[bool | None]) -> str:
    """A quantitative part from its primary checks' results: every one passes -> evidenced; one
    fails -> contradicted; otherwise (a value is missing) not-found."""
    results = list(results)
    if results and all(r is True for r in results):
        return "evidenced"
    if any(r is False for r in results):
        return "contradicted"
    return "not-found"


def describe_test(test: Mapping) -> str:
    if test["op"] == "between":
        return f"in [{test['low']:g}, {test['high']:g}]"
    return f"{test['op']} {test['threshold']:g}"


def format_value(value) -> str:
    return "n/a" if _missing(value) else f"{float(value):.3g}"


def _quant_verdict(claim: Mapping, results: Mapping[str, bool | None]) -> tuple[str, list[dict]]:
    parts = [{"text": p["text"], "status": part_status(results[c] for c in p["checks"]),
              "checks": list(p["checks"])} for p in claim["parts"]]
    return verdict_from_parts(p["status"] for p in parts), parts


def _out_of_date(claim: Mapping, results: Mapping[str, bool | None], groups: Mapping[str, str]) -> str:
    """For a claim with 'today' checks: whether it holds as stated but not for today's bloc."""
    checks = claim["evidence"].get("checks", [])
    today = [c for c in checks if c["role"] == "today"]
    if not today:
        return ""
    primary = [c for c in checks if c["role"] == "primary"]
    then = [results[c["id"]] for c in primary]
    now = [results[c["id"]] for c in today]
    named = ", ".join(groups[c["id"]] for c in primary)
    current = ", ".join(groups[c["id"]] for c in today)
    if None in then or None in now:
        return "Out of date? Cannot say: a value is missing."
    if all(then) and not all(now):
        return f"Out of date? Yes: true of {named}, not of today's bloc ({current})."
    if all(then) and all(now):
        return f"Out of date? No: true of {named} and of today's bloc ({current})."
    if not all(then) and all(now):
        return f"Out of date? No: not true of {named}, but true of today's bloc ({current})."
    return f"Out of date? No: true neither of {named} nor of today's bloc ({current})."


def _group_of(spec: Mapping) -> str:
    group = spec.get("scenario", spec.get("entity"))
    return "+".join(group) if isinstance(group, list) else str(group)


def evaluate_claims(claims: Iterable[Mapping], measure: Measure) -> pd.DataFrame:
    """One row per claim, in the file's order.

    Columns: id, section, quote, condition, kind, checks (one-line summary), values (check id ->
    value), refs, parts (list of {text, status[, checks]}), verdict, verdict_source (typed or
    computed), state_media_only (a part is evidenced by state media only), out_of_date (a
    sentence, or ''), reading, reason.
    """
    rows = []
    for claim in claims:
        row = {"id": claim["id"], "section": claim["section"], "quote": claim["quote"],
               "condition": claim.get("condition", ""), "kind": claim["kind"], "checks": "",
               "values": {}, "refs": list(claim["evidence"].get("refs", [])),
               "reading": " ".join(claim.get("reading", "").split()), "out_of_date": ""}
        if claim["kind"] == "quantitative":
            results, summary, groups = {}, [], {}
            for check in claim["evidence"]["checks"]:
                value = measure(check["measure"])
                ok = passes(check["test"], value)
                results[check["id"]] = ok
                groups[check["id"]] = _group_of(check["measure"])
                row["values"][check["id"]] = float("nan") if _missing(value) else float(value)
                outcome = {True: "pass", False: "fail", None: "missing"}[ok]
                summary.append(f"{check['id']} = {format_value(value)} {describe_test(check['test'])}: {outcome}")
            row["checks"] = "; ".join(summary)
            row["verdict"], row["parts"] = _quant_verdict(claim, results)
            row["verdict_source"] = "computed"
            row["out_of_date"] = _out_of_date(claim, results, groups)
            row["reason"] = claim["reason"]
        else:
            row["parts"] = [dict(p) for p in claim["parts"]]
            row["verdict"] = claim["verdict"]
            row["verdict_source"] = "typed"
            row["reason"] = claim["reason"]
        row["state_media_only"] = any(p.get("state_media_only") for p in row["parts"])
        rows.append(row)
    return pd.DataFrame(rows, columns=["id", "section", "quote", "condition", "kind", "checks", "values",
                                       "refs", "parts", "verdict", "verdict_source", "state_media_only",
                                       "out_of_date", "reading", "reason"])


def sensitivity(claims: Iterable[Mapping], measure: Measure) -> pd.DataFrame:
    """How each computed verdict moves when one primary check's threshold moves within its
    readings (the other checks at the file's own thresholds).

    One row per (claim, check, reading): claim, check, reading (the test in words), base (the
    file's own threshold), value, passed, verdict.
    """
    rows = []
    for claim in claims:
        if claim["kind"] != "quantitative":
            continue
        checks = claim["evidence"]["checks"]
        values = {c["id"]: measure(c["measure"]) for c in checks}
        base = {c["id"]: passes(c["test"], values[c["id"]]) for c in checks}
        for check in checks:
            for reading in check.get("readings", []):
                results = {**base, check["id"]: passes(reading, values[check["id"]])}
                verdict, _ = _quant_verdict(claim, results)
                rows.append({"claim": claim["id"], "check": check["id"], "reading": describe_test(reading),
                             "test": dict(reading), "base": dict(reading) == dict(check["test"]),
                             "value": float("nan") if _missing(values[check["id"]]) else float(values[check["id"]]),
                             "passed": results[check["id"]], "verdict": verdict})
    return pd.DataFrame(rows, columns=["claim", "check", "reading", "test", "base", "value", "passed", "verdict"])


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Count of claims by verdict (every verdict of the scale, in order), with a total row."""
    counts = df["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)
    out = counts.rename_axis("verdict").reset_index(name="claims")
    return pd.concat([out, pd.DataFrame([{"verdict": "total", "claims": int(counts.sum())}])],
                     ignore_index=True)


def coverage(statements: Iterable[Mapping], ledger: pd.DataFrame) -> dict[str, int]:
    """Honest counts of the article's statements (sentences, list items, headings).

    statements: all of them; out_of_scope: named as out of scope; in_scope: the rest;
    covered: mapped to at least one claim of this ledger; points_only: checked only as a point of
    the pros and cons chapter; settled: covered, and every claim mapped to it has a verdict of
    supported, partly supported or not supported; claims: entries in the ledger.
    """
    verdict = dict(zip(ledger["id"], ledger["verdict"], strict=True))
    statements = list(statements)
    covered = [s for s in statements if s.get("claims")]
    return {
        "statements": len(statements),
        "out_of_scope": sum("out" in s for s in statements),
        "in_scope": sum("out" not in s for s in statements),
        "covered": len(covered),
        "points_only": sum(bool(s.get("points")) and not s.get("claims") for s in statements),
        "settled": sum(all(verdict[c] in SETTLED for c in s["claims"]) for s in covered),
        "claims": len(ledger),
    }


SECTION_TITLES = {
    "opening": "The opening image",
    "directive": "Putin's directive and Sberbank",
    "sanctions": "Sanctions",
    "brics": "BRICS and the global picture",
    "ties": "Russia-China ties",
}
KIND_LABELS = {"quantitative": "quantitative", "dated-fact": "dated fact", "judgement": "judgement",
               "forecast": "opinion or forecast"}
STATUS_LABELS = {"evidenced": "evidenced", "self-reported": "self-reported only", "not-found": "not found",
                 "contradicted": "contradicted", "not-checkable": "not checkable"}


def cite(keys: Iterable[str]) -> str:
    """MyST citation role for bib keys ('' for none)."""
    keys = [k for k in dict.fromkeys(keys) if k != "seedarticle"]
    return f"{{cite:p}}`{','.join(keys)}`" if keys else ""


def quoted(row) -> str:
    """The quote as the reader sees it, with the article's condition where it has one."""
    cond = getattr(row, "condition", "") or ""
    return f'"{cond} ... {row.quote}"' if cond else f'"{row.quote}"'


def verdict_table(df: pd.DataFrame) -> pd.DataFrame:
    """Claims by verdict (rows, in scale order) and kind (columns), with totals."""
    tab = pd.crosstab(df["verdict"], df["kind"]).reindex(index=list(VERDICTS), columns=list(KINDS),
                                                         fill_value=0)
    tab["total"] = tab.sum(axis=1)
    tab.loc["total"] = tab.sum(axis=0)
    labels = verdict_labels()
    tab.index = [labels.get(v, v) for v in tab.index]
    tab.columns = ["dated facts", "judgements", "opinions, forecasts", "quantitative", "all claims"]
    return tab.rename_axis("Verdict").reset_index()


def parts_text(parts: Iterable[Mapping]) -> str:
    """'Parts: x (evidenced); y (not found).' with state-media-only parts labelled."""
    out = []
    for p in parts:
        label = STATUS_LABELS[p["status"]]
        if p.get("state_media_only"):
            label += ", state media only"
        out.append(f"{p['text']} ({label})")
    return "Parts: " + "; ".join(out) + "."


def section_table(df: pd.DataFrame, section: str, checks_ref: str | None = None,
                  measured: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The compact ledger of one article section: Claim | Quote and kind | Verdict | Reason and sources.

    Cells are MyST text: quotes in double quotes, sources as citations, computed verdicts marked,
    each claim's parts with what the evidence shows for them. ``measured`` maps claim ids to a
    line of measured values, added to the reason.
    """
    rows = []
    labels = verdict_labels()
    for r in df[df["section"] == section].itertuples(index=False):
        verdict = labels[r.verdict] + (" (computed)" if r.verdict_source == "computed" else "")
        reason = f"{r.reason} {parts_text(r.parts)}"
        if measured and r.id in measured:
            reason += " " + measured[r.id]
        if r.out_of_date:
            reason += " " + r.out_of_date
        if r.state_media_only:
            reason += (" A part is reported only by Russian or Chinese state media, so it counts as"
                       " self-reported, not evidenced.")
        if r.verdict_source == "computed" and checks_ref:
            reason += f" Checks in {{numref}}`{checks_ref}`."
        sources = cite(r.refs)
        rows.append({"Claim": f"[{r.id}]{{#claim-{r.id}}}",
                     "Quote and kind": f"{quoted(r)} ({KIND_LABELS[r.kind]})",
                     "Verdict": f"**{verdict}**",
                     "Reason and sources": f"{reason} {sources}".strip()})
    return pd.DataFrame(rows, columns=["Claim", "Quote and kind", "Verdict", "Reason and sources"])


# Okabe-Ito colours, one per verdict (the same on every page that shows verdicts).
VERDICT_COLOURS = {"supported": "#009E73", "partly-supported": "#E69F00",
                   "not-supported": "#D55E00", "unverified": "#0072B2",
                   "opinion-or-forecast": "#6F6F6F"}
