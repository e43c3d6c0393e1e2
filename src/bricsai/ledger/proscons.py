"""The pros and cons as a policy matrix: reading and validating ``data/pros_cons.yml``.

Each item (an advantage, risk or challenge, the article's own or one it leaves out) states who
gains and who loses, when it would be felt, which way the evidence points and, separately,
how far that evidence can be trusted, and the strongest counter-argument. Evidence is cited
sources, claims of the ledger (whose verdicts are read from the ledger, never restated) and
measured values (the measure specifications of :mod:`bricsai.ledger.claims`). A direction is
typed with its reason, or derived from one measured value (optionally set against a
comparator's value) and the bands written in the file. The file ends with scenarios to 2030,
each with indicators to watch.

This module only validates and applies the bands; the chapter's computation and tables are in
:mod:`bricsai.chapters.proscons`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bricsai.errors import DataError
from bricsai.ledger.claims import (
    _ID,
    _STR,
    MEASURE_SCHEMA,
    TEST_SCHEMA,
    _missing,
    bib_keys,
    known_indicators,
    known_scenarios,
    measure_problems,
    passes,
    read_yaml,
    schema_problems,
    test_problems,
)
from bricsai.paths import DATA

PROS_CONS_FILE = DATA / "pros_cons.yml"

KINDS = ("pro", "con", "challenge")
TOPICS = ("sber", "sanctions", "alliance", "success")
ORIGINS = ("article", "added")
STAKEHOLDERS = ("russia", "china", "others", "west")
STAKES = ("gains", "loses", "mixed", "none")
HORIZONS = ("short", "medium", "long")
DIRECTIONS = ("supports", "mixed", "against", "unclear")
CONFIDENCES = ("high", "medium", "low")
DISPLAYS = ("percent", "times", "number", "rank")

# Every field an item must have for the matrix to be complete (the schema requires them all,
# and ``direction`` may come from ``derive``).
MATRIX_FIELDS = ("id", "label", "topic", "origin", "kind", "point", "stakes", "horizon", "evidence",
                 "reason", "confidence", "counter")

_REF_EVIDENCE = {"type": "object", "required": ["ref", "note"],
                 "properties": {"ref": _STR, "note": _STR}, "additionalProperties": False}
_CLAIM_EVIDENCE = {"type": "object", "required": ["claim", "note"],
                   "properties": {"claim": _ID, "note": _STR}, "additionalProperties": False}
_MEASURED_EVIDENCE = {"type": "object", "required": ["id", "label", "measure", "note"],
                      "properties": {"id": _ID, "label": _STR, "measure": MEASURE_SCHEMA, "note": _STR,
                                     "display": {"enum": list(DISPLAYS)}},
                      "additionalProperties": False}
_BAND = {**TEST_SCHEMA, "required": ["op", "direction"],
         "properties": {**TEST_SCHEMA["properties"], "direction": {"enum": list(DIRECTIONS)}}}

ITEM_SCHEMA = {
    "type": "object",
    "required": list(MATRIX_FIELDS),
    "properties": {
        "id": _ID,
        "label": _STR,
        "topic": {"enum": list(TOPICS)},
        "origin": {"enum": list(ORIGINS)},
        "kind": {"enum": list(KINDS)},
        "point": _STR,
        "stakes": {"type": "object", "required": list(STAKEHOLDERS),
                   "properties": {s: {"enum": list(STAKES)} for s in STAKEHOLDERS},
                   "additionalProperties": False},
        "horizon": {"enum": list(HORIZONS)},
        "evidence": {"type": "array", "minItems": 1,
                     "items": {"oneOf": [_REF_EVIDENCE, _CLAIM_EVIDENCE, _MEASURED_EVIDENCE]}},
        "direction": {"enum": list(DIRECTIONS)},
        "derive": {"type": "object", "required": ["from", "bands", "otherwise"],
                   "properties": {"from": _ID, "relative_to": _ID,
                                  "bands": {"type": "array", "items": _BAND, "minItems": 1},
                                  "otherwise": {"enum": list(DIRECTIONS)}},
                   "additionalProperties": False},
        "reason": _STR,
        "confidence": {"enum": list(CONFIDENCES)},
        "counter": _STR,
    },
    "additionalProperties": False,
}

_INDICATOR = {"type": "object", "required": ["label", "signal"],
              "properties": {"label": _STR, "signal": _STR, "measure": MEASURE_SCHEMA,
                             "refs": {"type": "array", "items": _STR, "minItems": 1},
                             "display": {"enum": list(DISPLAYS)}},
              "additionalProperties": False}
SCENARIO_SCHEMA = {"type": "object", "required": ["id", "title", "story", "indicators"],
                   "properties": {"id": _ID, "title": _STR, "story": _STR,
                                  "indicators": {"type": "array", "items": _INDICATOR, "minItems": 1}},
                   "additionalProperties": False}

SCHEMA = {"type": "object", "required": ["items", "scenarios"],
          "properties": {"items": {"type": "array", "items": ITEM_SCHEMA, "minItems": 1},
                         "scenarios": {"type": "array", "items": SCENARIO_SCHEMA, "minItems": 2,
                                       "maxItems": 3}},
          "additionalProperties": False}


def _claim_ids() -> frozenset[str]:
    from bricsai.ledger import claims

    return frozenset(c["id"] for c in claims.load_claims())


def _check(raw: Any, source, bib, scenarios, indicators, claim_ids) -> list[str]:
    problems = schema_problems(raw, SCHEMA, "items", "item")
    if problems:
        return problems
    bib = set(bib_keys() if bib is None else bib)
    scenarios = set(known_scenarios() if scenarios is None else scenarios)
    indicators = set(known_indicators() if indicators is None else indicators)
    claim_ids = set(_claim_ids() if claim_ids is None else claim_ids)

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
            elif "claim" in ev:
                if ev["claim"] not in claim_ids:
                    problems.append(f"{where}: evidence: unknown claim {ev['claim']!r} (not in data/claims.yml)")
            else:
                if ev["id"] in measured:
                    problems.append(f"{where}: evidence {ev['id']}: duplicate id")
                measured[ev["id"]] = ev
                problems += [f"{where}: evidence {ev['id']}: measure: {p}"
                             for p in measure_problems(ev["measure"], scenarios, indicators)]
        if ("direction" in item) == ("derive" in item):
            problems.append(f"{where}: give exactly one of 'direction' (typed) or 'derive' (computed)")
        if "derive" in item:
            for key in ("from", "relative_to"):
                ref = item["derive"].get(key)
                if ref is not None and ref not in measured:
                    problems.append(f"{where}: derive.{key}: {ref!r} is not a measured evidence id")
            for i, band in enumerate(item["derive"]["bands"], 1):
                problems += [f"{where}: derive.bands[{i}]: {p}" for p in test_problems(band)]
        if all(v == "none" for v in item["stakes"].values()):
            problems.append(f"{where}: stakes: nobody gains or loses; name at least one stakeholder")
    seen = set()
    for sc in raw["scenarios"]:
        where = f"scenario {sc['id']}"
        if sc["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(sc["id"])
        for i, ind in enumerate(sc["indicators"], 1):
            if ("measure" in ind) == ("refs" in ind):
                problems.append(f"{where}: indicators[{i}]: give exactly one of 'measure' (from the data) "
                                f"or 'refs' (sources to watch)")
            if "measure" in ind:
                problems += [f"{where}: indicators[{i}]: measure: {p}"
                             for p in measure_problems(ind["measure"], scenarios, indicators)]
            problems += [f"{where}: indicators[{i}]: unknown bib key {k!r}" for k in ind.get("refs", [])
                         if k not in bib]
    return problems


def validate_file(raw: Any, source: str | Path = PROS_CONS_FILE, *,
                  bib: Iterable[str] | None = None,
                  scenarios: Iterable[str] | None = None,
                  indicators: Iterable[str] | None = None,
                  claim_ids: Iterable[str] | None = None) -> dict:
    """Check the parsed YAML; return it, or raise DataError naming the file, the item or
    scenario, and the field."""
    problems = _check(raw, source, bib, scenarios, indicators, claim_ids)
    if problems:
        raise DataError(source, "invalid pros/cons:\n  " + "\n  ".join(problems))
    return raw


def validate_pros_cons(raw: Any, source: str | Path = PROS_CONS_FILE, **registries) -> list[dict]:
    """The validated items (the whole file is checked, scenarios included)."""
    return validate_file(raw, source, **registries)["items"]


def load_pros_cons(path: str | Path = PROS_CONS_FILE, **registries) -> list[dict]:
    """Read and validate the file; return its items (registries: bib, scenarios, indicators,
    claim_ids)."""
    return validate_pros_cons(read_yaml(path), path, **registries)


def load_scenarios(path: str | Path = PROS_CONS_FILE, **registries) -> list[dict]:
    """Read and validate the file; return its scenarios."""
    return validate_file(read_yaml(path), path, **registries)["scenarios"]


def decided_value(derive: Mapping, values: Mapping[str, float]) -> float:
    """The value a derived direction tests: ``from``, divided by ``relative_to`` when given.
    NaN when either is missing or the comparator is not positive (a change set against a
    shrinking-to-nothing or negative yardstick has no meaning)."""
    value = values.get(derive["from"], float("nan"))
    if "relative_to" not in derive:
        return value
    ref = values.get(derive["relative_to"], float("nan"))
    if _missing(value) or _missing(ref) or ref <= 0:
        return float("nan")
    return value / ref


def derive_direction(derive: Mapping, value) -> str:
    """First band the value passes gives the direction; ``otherwise`` if none; unclear if the
    value is missing."""
    if _missing(value):
        return "unclear"
    for band in derive["bands"]:
        if passes(band, value):
            return band["direction"]
    return derive["otherwise"]
