"""Dated facts on the Russia–China technology link (``data/russia_china.yml``).

Each fact says what it describes (``period``), when it was published (``reported``), who vouches
for it (``standing``) and where it comes from (``refs``). The file is the one source of these
figures: the chapter computes shares and multiples from the amounts stored here and never
types them again.

A share the source gives as a range is stored with ``low`` and ``high`` and its midpoint as
``value`` (validated), so tables can say the value is computed. A recorded absence (no
``refs``) says in ``searched`` what was searched.

Why ``standing`` is a field and not a comment: the chapter must never state an unverified
fact as fact, and must label official claims and state media wherever they are the only
source. Keeping the label with the fact lets the code word each sentence accordingly and lets
a test check that no unverified fact appears without its label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bricsai.errors import DataError
from bricsai.ledger.claims import _ID, _STR, bib_keys, read_yaml, schema_problems
from bricsai.paths import DATA

LINK_FILE = DATA / "russia_china.yml"

TOPICS = ("trade", "partners", "pullback", "research", "open-models", "sanctions")
STANDINGS = ("independent", "official-claim", "company-claim", "state-media", "unverified")

# How each standing is named to the reader (tables and prose).
STANDING_LABELS = {
    "independent": "independent source",
    "official-claim": "official claim (no published data)",
    "company-claim": "company's own claim",
    "state-media": "state media only",
    "unverified": "unverified (not confirmed independently)",
}

_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
PERIOD = re.compile(rf"^{_DATE}(\.\.{_DATE})?$")
REPORTED = re.compile(rf"^({_DATE}|unknown)$")
_POSITIVE = {"type": "number", "exclusiveMinimum": 0}

FACT_SCHEMA = {
    "type": "object",
    "required": ["id", "topic", "period", "reported", "standing", "statement", "refs"],
    "properties": {
        "id": _ID,
        "topic": {"enum": list(TOPICS)},
        "period": _STR,
        "reported": _STR,
        "standing": {"enum": list(STANDINGS)},
        "statement": _STR,
        "refs": {"type": "array", "items": _STR},
        "searched": _STR,
        "share": {"type": "object", "required": ["part", "whole", "unit", "measure"],
                  "properties": {"part": _POSITIVE, "whole": _POSITIVE, "unit": _STR, "measure": _STR},
                  "additionalProperties": False},
        "reported_share": {"type": "object", "required": ["value", "measure"],
                           "properties": {"value": {"type": "number", "minimum": 0, "maximum": 1},
                                          "low": {"type": "number", "minimum": 0, "maximum": 1},
                                          "high": {"type": "number", "minimum": 0, "maximum": 1},
                                          "measure": _STR},
                           "additionalProperties": False},
        "change": {"type": "object", "required": ["before", "after", "unit", "measure", "from", "to"],
                   "properties": {"before": _POSITIVE, "after": {"type": "number"}, "unit": _STR,
                                  "measure": _STR, "from": {"type": "integer"}, "to": {"type": "integer"}},
                   "additionalProperties": False},
    },
    "additionalProperties": False,
}

SCHEMA = {"type": "object", "required": ["facts"],
          "properties": {"facts": {"type": "array", "items": FACT_SCHEMA, "minItems": 1}},
          "additionalProperties": False}


def validate_facts(raw: Any, source: str | Path = LINK_FILE, *,
                   bib: Iterable[str] | None = None) -> list[dict]:
    """Check the parsed YAML; return the facts or raise DataError naming the file and fact id."""
    problems = schema_problems(raw, SCHEMA, "facts", "fact")
    if problems:
        raise DataError(source, "invalid Russia–China facts:\n  " + "\n  ".join(problems))
    bib = set(bib_keys() if bib is None else bib)
    seen: set[str] = set()
    for fact in raw["facts"]:
        where = f"fact {fact['id']}"
        if fact["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(fact["id"])
        if not PERIOD.match(fact["period"]):
            problems.append(f"{where}: period: {fact['period']!r} is not YYYY[-MM[-DD]] or a range A..B")
        if not REPORTED.match(fact["reported"]):
            problems.append(f"{where}: reported: {fact['reported']!r} is not a date or 'unknown'")
        problems += [f"{where}: refs: unknown bib key {k!r}" for k in fact["refs"] if k not in bib]
        # A fact with no source is allowed only as a recorded absence, which is independent
        # by construction (our own search); anything else needs a source.
        if not fact["refs"] and fact["standing"] != "independent":
            problems.append(f"{where}: refs: a {fact['standing']} fact needs a source")
        # A recorded absence says what was searched, so the reader is not sent elsewhere to
        # find out; a fact with sources cites them instead.
        if not fact["refs"] and "searched" not in fact:
            problems.append(f"{where}: searched: a fact without sources must say what was searched")
        if fact["refs"] and "searched" in fact:
            problems.append(f"{where}: searched: only for a recorded absence (a fact without refs)")
        rs = fact.get("reported_share", {})
        if ("low" in rs) != ("high" in rs):
            problems.append(f"{where}: reported_share: give both 'low' and 'high', or neither")
        elif "low" in rs and not (rs["low"] <= rs["high"] and abs(rs["value"] - (rs["low"] + rs["high"]) / 2) < 1e-9):
            problems.append(f"{where}: reported_share: value must be the midpoint of low and high")
        if "share" in fact and fact["share"]["part"] > fact["share"]["whole"]:
            problems.append(f"{where}: share: part {fact['share']['part']} exceeds whole {fact['share']['whole']}")
        if "change" in fact and fact["change"]["from"] >= fact["change"]["to"]:
            problems.append(f"{where}: change: 'from' must be before 'to'")
    if problems:
        raise DataError(source, "invalid Russia–China facts:\n  " + "\n  ".join(problems))
    return raw["facts"]


def load_facts(path: str | Path = LINK_FILE, **registries) -> list[dict]:
    """Read and validate the facts file (``bib`` may be injected by tests)."""
    return validate_facts(read_yaml(path), path, **registries)
