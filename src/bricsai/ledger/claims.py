"""The claim ledger: the seed article's checkable claims, their evidence and their verdicts.

``data/claims.yml`` lists every claim. Dated facts and judgements carry a typed verdict with
bibliography keys as evidence. Quantitative claims never carry a typed verdict: they carry
*checks*, each a measure specification and a test, and a *rule* that combines the checks into
the claim's verdict. This module validates the file and computes those verdicts. It does no
data access itself: the caller injects ``measure(spec) -> float``.

Measure specifications (the ``measure`` mapping of a check)
-----------------------------------------------------------
Every spec has ``metric``, ``indicator`` (an indicator code as in the ``indicator`` column of
``data/extracts/*.csv``, e.g. ``SP.POP.TOTL`` or ``epoch_models``) and ``year`` (int), and
exactly one group selector:

- ``scenario``: a scenario name from ``data/blocs.yml`` (``BRICS-5``, ``BRICS-10``, ``G7`` ...);
- ``entity``: one ISO 3166 alpha-3 code, or a list of them (values are summed).

The metric vocabulary (``METRICS``):

``world_share``
    total of the group's values / the world value (entity ``WLD``, where the extract has one;
    otherwise the sum over all countries), a fraction in [0, 1].
``ratio``
    total of the group / total of the group named by ``to`` (scenario name, ISO3 or list).
    Optional ``to_year`` compares with another year (default: the same year).
``rank``
    rank of a single ``entity`` among countries (aggregates excluded), 1 = highest value.
``value``
    the group's total (sum of the members' values) in the extract's own unit.

The contract for ``measure(spec) -> float``: return the number the spec describes, or NaN when
the data do not have it (the check then counts as missing). Raise for a spec it cannot
understand. Members with missing values are the measure's business; it should return NaN rather
than a silently partial total.

Verdict rule of a quantitative claim
------------------------------------
``rule: {supported_if: all|primary, partly_if: any|primary|none, text}``. Each check has
``role: primary|context``. ``supported`` if every check (``all``) or every primary check
(``primary``) passes; otherwise ``partly-supported`` if any check (``any``) or any primary
check (``primary``) passes; otherwise ``not-supported``. A missing value never passes; if every
value is missing the verdict is ``not-checkable``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.paths import DATA, EXTRACTS, ROOT

CLAIMS_FILE = DATA / "claims.yml"
BIB_FILE = ROOT / "book" / "references.bib"

KINDS = ("quantitative", "dated-fact", "judgement")
VERDICTS = ("supported", "partly-supported", "not-supported", "not-checkable")
SECTIONS = ("opening", "directive", "sanctions", "brics", "ties")
METRICS = {
    "world_share": "group total / world total (fraction 0-1)",
    "ratio": "group total / total of the 'to' group (optionally in 'to_year')",
    "rank": "rank of one entity among countries, 1 = highest",
    "value": "group total in the indicator's own unit",
}
OPS = (">", ">=", "<", "<=", "between")
ROLES = ("primary", "context")
SUPPORTED_IF = ("all", "primary")
PARTLY_IF = ("any", "primary", "none")

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
        "metric": _STR, "indicator": _STR, "year": {"type": "integer"},
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
                   "test": TEST_SCHEMA, "note": _STR},
    "additionalProperties": False,
}

CLAIM_SCHEMA = {
    "type": "object",
    "required": ["id", "section", "quote", "kind", "evidence", "reason"],
    "properties": {
        "id": _ID,
        "section": {"enum": list(SECTIONS)},
        "quote": _STR,
        "kind": {"enum": list(KINDS)},
        "evidence": {
            "type": "object",
            "required": ["note"],
            "properties": {"refs": {"type": "array", "items": _STR},
                           "note": _STR,
                           "checks": {"type": "array", "items": CHECK_SCHEMA, "minItems": 1}},
            "additionalProperties": False,
        },
        "rule": {
            "type": "object",
            "required": ["supported_if", "partly_if", "text"],
            "properties": {"supported_if": {"enum": list(SUPPORTED_IF)},
                           "partly_if": {"enum": list(PARTLY_IF)}, "text": _STR},
            "additionalProperties": False,
        },
        "verdict": {"enum": list(VERDICTS)},
        "reason": _STR,
    },
    "additionalProperties": False,
}

SCHEMA = {
    "type": "object",
    "required": ["claims"],
    "properties": {"claims": {"type": "array", "items": CLAIM_SCHEMA, "minItems": 1}},
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


# --- validation -----------------------------------------------------------------------------

def read_yaml(path: str | Path) -> Any:
    """The parsed file; DataError naming the file and the line if it is not valid YAML."""
    return yamlfile.load(path)


def _item_label(raw: Any, list_key: str, index: int, noun: str) -> str:
    try:
        item = raw[list_key][index]
        if isinstance(item, Mapping) and item.get("id"):
            return f"{noun} {item['id']}"
    except (KeyError, IndexError, TypeError):
        pass
    return f"{noun} #{index + 1}"


def schema_problems(raw: Any, schema: Mapping, list_key: str, noun: str) -> list[str]:
    """jsonschema errors as readable lines naming the item's id and the field."""
    problems = []
    validator = jsonschema.Draft202012Validator(schema)
    for err in sorted(validator.iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(err.absolute_path)
        if len(path) >= 2 and path[0] == list_key and isinstance(path[1], int):
            where = _item_label(raw, list_key, path[1], noun)
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


def validate_claims(raw: Any, source: str | Path = CLAIMS_FILE, *,
                    bib: Iterable[str] | None = None,
                    scenarios: Iterable[str] | None = None,
                    indicators: Iterable[str] | None = None) -> list[dict]:
    """Check the parsed YAML; return the list of claims or raise DataError naming file and claim."""
    problems = schema_problems(raw, SCHEMA, "claims", "claim")
    if problems:
        raise DataError(source, "invalid claims:\n  " + "\n  ".join(problems))
    bib = set(bib_keys() if bib is None else bib)
    scenarios = set(known_scenarios() if scenarios is None else scenarios)
    indicators = set(known_indicators() if indicators is None else indicators)

    seen: set[str] = set()
    for claim in raw["claims"]:
        cid = claim["id"]
        where = f"claim {cid}"
        if cid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(cid)
        ev = claim["evidence"]
        for key in ev.get("refs", []):
            if key not in bib:
                problems.append(f"{where}: evidence.refs: unknown bib key {key!r}")
        if claim["kind"] == "quantitative":
            if "verdict" in claim:
                problems.append(f"{where}: verdict: a quantitative claim's verdict is computed, do not type it")
            if "checks" not in ev:
                problems.append(f"{where}: evidence.checks: a quantitative claim needs checks")
            if "rule" not in claim:
                problems.append(f"{where}: rule: a quantitative claim needs a rule")
            check_ids: set[str] = set()
            for check in ev.get("checks", []):
                cw = f"{where}: check {check['id']}"
                if check["id"] in check_ids:
                    problems.append(f"{cw}: duplicate check id")
                check_ids.add(check["id"])
                problems += [f"{cw}: measure: {p}" for p in measure_problems(check["measure"], scenarios, indicators)]
                problems += [f"{cw}: test: {p}" for p in test_problems(check["test"])]
            rule = claim.get("rule", {})
            if "primary" in (rule.get("supported_if"), rule.get("partly_if")) and not any(
                    c["role"] == "primary" for c in ev.get("checks", [])):
                problems.append(f"{where}: rule: refers to primary checks but none is marked primary")
        else:
            if "verdict" not in claim:
                problems.append(f"{where}: verdict: 'verdict' is a required property for kind {claim['kind']!r}")
            if not ev.get("refs"):
                problems.append(f"{where}: evidence.refs: at least one bib key is required")
            if "checks" in ev or "rule" in claim:
                problems.append(f"{where}: checks/rule are only for quantitative claims")
    if problems:
        raise DataError(source, "invalid claims:\n  " + "\n  ".join(problems))
    return raw["claims"]


def load_claims(path: str | Path = CLAIMS_FILE, **registries) -> list[dict]:
    """Read and validate a claims file. ``registries``: bib, scenarios, indicators (see validate_claims)."""
    return validate_claims(read_yaml(path), path, **registries)


# --- evaluation -----------------------------------------------------------------------------

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


def describe_test(test: Mapping) -> str:
    if test["op"] == "between":
        return f"in [{test['low']:g}, {test['high']:g}]"
    return f"{test['op']} {test['threshold']:g}"


def format_value(value) -> str:
    return "n/a" if _missing(value) else f"{float(value):.3g}"


def combine(rule: Mapping, results: list[tuple[str, bool | None]]) -> str:
    """Verdict from (role, passed) pairs under a rule (see the module docstring)."""
    if not results or all(p is None for _, p in results):
        return "not-checkable"
    primary = [p for role, p in results if role == "primary"]
    every = [p for _, p in results]
    pool = {"all": every, "primary": primary}
    if all(p is True for p in pool[rule["supported_if"]]):
        return "supported"
    partly = rule["partly_if"]
    if partly != "none" and any(p is True for p in {"any": every, "primary": primary}[partly]):
        return "partly-supported"
    return "not-supported"


def evaluate_claims(claims: Iterable[Mapping], measure: Measure) -> pd.DataFrame:
    """One row per claim: id, section, quote, kind, checks, values, verdict, verdict_source, reason.

    Typed verdicts are passed through; quantitative verdicts are computed from ``measure``.
    ``values`` maps check id -> measured value; ``checks`` is a readable one-line summary.
    """
    rows = []
    for claim in claims:
        row = {"id": claim["id"], "section": claim["section"], "quote": claim["quote"],
               "kind": claim["kind"], "checks": "", "values": {}, "refs": list(claim["evidence"].get("refs", []))}
        if claim["kind"] == "quantitative":
            results, parts = [], []
            for check in claim["evidence"]["checks"]:
                value = measure(check["measure"])
                ok = passes(check["test"], value)
                results.append((check["role"], ok))
                row["values"][check["id"]] = float("nan") if _missing(value) else float(value)
                outcome = {True: "pass", False: "fail", None: "missing"}[ok]
                parts.append(f"{check['id']} = {format_value(value)} {describe_test(check['test'])}: {outcome}")
            row["checks"] = "; ".join(parts)
            row["verdict"] = combine(claim["rule"], results)
            row["verdict_source"] = "computed"
            n_pass = sum(ok is True for _, ok in results)
            row["reason"] = (f"{claim['reason']} {n_pass} of {len(results)} checks pass "
                             f"({claim['rule']['supported_if']} needed for supported).")
        else:
            row["verdict"] = claim["verdict"]
            row["verdict_source"] = "typed"
            row["reason"] = claim["reason"]
        rows.append(row)
    return pd.DataFrame(rows, columns=["id", "section", "quote", "kind", "checks", "values", "refs",
                                       "verdict", "verdict_source", "reason"])


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Count of claims by verdict (all four verdicts listed, in order), with a total row."""
    counts = df["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)
    out = counts.rename_axis("verdict").reset_index(name="claims")
    return pd.concat([out, pd.DataFrame([{"verdict": "total", "claims": int(counts.sum())}])],
                     ignore_index=True)


SECTION_TITLES = {
    "opening": "The opening image",
    "directive": "Putin's directive and Sberbank",
    "sanctions": "Sanctions",
    "brics": "BRICS and the global picture",
    "ties": "Russia-China ties",
}
VERDICT_LABELS = {"supported": "supported", "partly-supported": "partly supported",
                  "not-supported": "not supported", "not-checkable": "not checkable"}
KIND_LABELS = {"quantitative": "quantitative", "dated-fact": "dated fact", "judgement": "judgement"}


def cite(keys: Iterable[str]) -> str:
    """MyST citation role for bib keys ('' for none)."""
    keys = [k for k in dict.fromkeys(keys) if k != "seedarticle"]
    return f"{{cite:p}}`{','.join(keys)}`" if keys else ""


def verdict_table(df: pd.DataFrame) -> pd.DataFrame:
    """Claims by verdict (rows, in order) and kind (columns), with totals."""
    tab = pd.crosstab(df["verdict"], df["kind"]).reindex(index=list(VERDICTS), columns=list(KINDS),
                                                         fill_value=0)
    tab["total"] = tab.sum(axis=1)
    tab.loc["total"] = tab.sum(axis=0)
    tab.index = [VERDICT_LABELS.get(v, v) for v in tab.index]
    tab.columns = ["quantitative", "dated facts", "judgements", "all claims"]
    return tab.rename_axis("Verdict").reset_index()


def section_table(df: pd.DataFrame, section: str, checks_ref: str | None = None,
                  measured: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The compact ledger of one article section: Claim | Quote | Verdict | Reason and sources.

    Cells are MyST text: quotes in double quotes, sources as citations, computed verdicts marked.
    ``measured`` maps claim ids to a line of measured values (see
    :func:`bricsai.chapters.evidence.check_summaries`), added to the reason.
    """
    rows = []
    for r in df[df["section"] == section].itertuples(index=False):
        verdict = VERDICT_LABELS[r.verdict] + (" (computed)" if r.verdict_source == "computed" else "")
        reason = r.reason
        if measured and r.id in measured:
            reason += " " + measured[r.id]
        if r.verdict_source == "computed" and checks_ref:
            reason += f" Checks in {{numref}}`{checks_ref}`."
        sources = cite(r.refs)
        rows.append({"Claim": f"[{r.id}]{{#claim-{r.id}}}",
                     "Quote and kind": f'"{r.quote}" ({KIND_LABELS[r.kind]})',
                     "Verdict": f"**{verdict}**",
                     "Reason and sources": f"{reason} {sources}".strip()})
    return pd.DataFrame(rows, columns=["Claim", "Quote and kind", "Verdict", "Reason and sources"])

# Okabe-Ito colours, one per verdict (the same on every page that shows verdicts).
VERDICT_COLOURS = {"supported": "#009E73", "partly-supported": "#E69F00",
                   "not-supported": "#D55E00", "not-checkable": "#6F6F6F"}
