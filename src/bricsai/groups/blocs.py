"""Country groupings (BRICS, G7, GPAI) and the named scenarios the book uses.

Everything comes from ``data/blocs.yml`` (dates and sources there); this module only reads,
validates and answers questions about it.

Scenarios (short, stable names):

* ``BRICS-5``               Brazil, Russia, India, China, South Africa (fixed)
* ``BRICS-9``               members as of 2024-06-30 (the five + Egypt, Ethiopia, Iran, UAE)
* ``BRICS-10``              members as of 2025-06-30, incl. Indonesia; Saudi Arabia not counted
* ``BRICS-10+SAU``          BRICS-10 plus Saudi Arabia (invited, unconfirmed)
* ``BRICS+partners``        BRICS-10 plus the 10 partner countries as of 2025-06-30
* ``BRICS-10 excl. China``  BRICS-10 without China (for AI comparisons)
* ``G7``                    the seven countries (EU excluded)
* ``GPAI``                  GPAI's 44 countries since 3 July 2024, *derived* as the union of the
                            OECD's 38 members and GPAI's 28 earlier countries (no official list)
* ``GPAI-28``               GPAI's 28 country members before July 2024 (the dated variant)

:func:`comparison_groups` gives the set every comparison of blocs uses (``comparison`` in the
yml), and :func:`membership` the date of a scenario's membership for table captions.

Dates given only as a year (``precision: year``) count from the start of that year; a
``year-upper-bound`` date means "a member no later than that year".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.paths import DATA

BLOCS_FILE = DATA / "blocs.yml"
ROLES = {"member", "partner", "invited", "declined"}
PRECISIONS = {"day", "year", "year-upper-bound"}


@lru_cache(maxsize=1)
def _iso3_codes() -> frozenset[str]:
    from bricsai.sources.countries import _converter

    return frozenset(str(c) for c in _converter().data["ISO3"])


BLOC_KEYS = {"name", "facts", "countries", "notes"}
ENTRY_KEYS = {"iso3", "role", "from", "until", "precision", "invited", "note", "source"}
SCENARIO_KEYS = {"description", "bloc", "members", "as_of", "roles", "add", "remove", "expect",
                 "plus_blocs", "derived", "membership"}


def _date(value, file: Path, where: str) -> dt.date | None:
    """Parse a YAML date (YYYY-MM-DD text or a bare year) to the first day it covers.

    ``where`` names the entry and the field for the message.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if 1900 <= value <= 2100:
            return dt.date(value, 1, 1)
        raise DataError(file, f"{where}: year {value} is outside 1900-2100")
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataError(file, f"{where}: bad date {value!r} ({exc}; use YYYY-MM-DD or YYYY)") from None


def _mapping(value, file: Path, where: str, allowed: set[str] | None = None) -> dict:
    if not isinstance(value, dict):
        raise DataError(file, f"{where}: expected a mapping of fields, got {yamlfile.kind(value)}")
    unknown = sorted(str(k) for k in value if k not in (allowed or value))
    if unknown:
        raise DataError(file, f"{where}: unknown field(s) {unknown}; expected some of {sorted(allowed)}")
    return value


def _codes(value, file: Path, where: str, known: frozenset[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DataError(file, f"{where}: expected a list of ISO3 codes, got {yamlfile.kind(value)}")
    bad = [c for c in value if str(c) not in known]
    if bad:
        raise DataError(file, f"{where}: unknown ISO3 code(s) {bad}")
    return [str(c) for c in value]


def _validate_entry(c, file: Path, bloc: str, i: int, known: frozenset[str]) -> dict:
    label = f"bloc {bloc!r}, entry {i}"
    if isinstance(c, dict) and c.get("iso3"):
        label += f" ({c['iso3']})"
    c = _mapping(c, file, label, ENTRY_KEYS)
    iso = str(c.get("iso3", ""))
    if iso not in known:
        raise DataError(file, f"{label}, field 'iso3': unknown ISO3 code {c.get('iso3')!r}")
    label = f"bloc {bloc!r}, entry {i} ({iso})"
    role = c.get("role")
    if role not in ROLES:
        raise DataError(file, f"{label}, field 'role': unknown role {role!r}; expected one of {sorted(ROLES)}")
    prec = c.get("precision", "day" if c.get("from") else None)
    if prec is not None and prec not in PRECISIONS:
        raise DataError(file, f"{label}, field 'precision': unknown precision {prec!r}; "
                              f"expected one of {sorted(PRECISIONS)}")
    dates = {key: _date(c.get(key), file, f"{label}, field {key!r}") for key in ("from", "until", "invited")}
    if dates["from"] and dates["until"] and dates["until"] < dates["from"]:
        raise DataError(file, f"{label}, field 'until': {dates['until']} is before 'from' {dates['from']}")
    return {**c, "iso3": iso, "precision": prec, **dates}


def _validate(raw: dict, file: Path) -> dict:
    raw = _mapping(raw, file, "top level", {"blocs", "scenarios", "comparison"})
    if "blocs" not in raw or "scenarios" not in raw:
        raise DataError(file, "top level: expected the keys 'blocs' and 'scenarios'")
    known = _iso3_codes()
    blocs: dict[str, list[dict]] = {}
    for bloc, spec in _mapping(raw["blocs"], file, "blocs").items():
        spec = _mapping(spec, file, f"bloc {bloc!r}", BLOC_KEYS)
        countries = spec.get("countries") or []
        if not isinstance(countries, list):
            raise DataError(file, f"bloc {bloc!r}, field 'countries': expected a list, got {yamlfile.kind(countries)}")
        entries = [_validate_entry(c, file, bloc, i, known) for i, c in enumerate(countries, 1)]
        isos = [e["iso3"] for e in entries]
        dups = sorted({x for x in isos if isos.count(x) > 1})
        if dups:
            raise DataError(file, f"bloc {bloc!r}, field 'countries': countries listed twice {dups}")
        blocs[bloc] = entries
    scenarios = {}
    for name, s in _mapping(raw["scenarios"], file, "scenarios").items():
        label = f"scenario {name!r}"
        s = _mapping(s, file, label, SCENARIO_KEYS)
        if s.get("bloc") not in blocs:
            raise DataError(file, f"{label}, field 'bloc': unknown bloc {s.get('bloc')!r}; known: {sorted(blocs)}")
        codes = {key: _codes(s.get(key), file, f"{label}, field {key!r}", known)
                 for key in ("members", "add", "remove")}
        roles = s.get("roles") or []
        if not isinstance(roles, list) or any(r not in ROLES for r in roles):
            raise DataError(file, f"{label}, field 'roles': expected a list of {sorted(ROLES)}, got {roles!r}")
        plus = s.get("plus_blocs") or []
        if not isinstance(plus, list) or any(b not in blocs for b in plus):
            raise DataError(file, f"{label}, field 'plus_blocs': expected a list of blocs from {sorted(blocs)}, "
                                  f"got {plus!r}")
        if not isinstance(s.get("derived", False), bool):
            raise DataError(file, f"{label}, field 'derived': expected true or false")
        expect = s.get("expect")
        if expect is not None and (not isinstance(expect, int) or isinstance(expect, bool)):
            raise DataError(file, f"{label}, field 'expect': expected a whole number, got {yamlfile.kind(expect)}")
        scenarios[name] = {**s, **codes, "as_of": _date(s.get("as_of"), file, f"{label}, field 'as_of'")}
    comparison = raw.get("comparison") or []
    if not isinstance(comparison, list) or any(c not in scenarios for c in comparison):
        unknown = [c for c in comparison if c not in scenarios] if isinstance(comparison, list) else comparison
        raise DataError(file, f"field 'comparison': unknown scenario(s) {unknown}; known: {list(scenarios)}")
    out = {"blocs": blocs, "scenarios": scenarios, "raw": raw, "file": file, "comparison": list(comparison)}
    for name, s in scenarios.items():
        got = _scenario_members(out, name)
        if "expect" in s and len(got) != s["expect"]:
            raise DataError(file, f"scenario {name!r}, field 'expect': the scenario gives {len(got)} "
                                  f"countries, expected {s['expect']}: {got}")
    return out


@lru_cache(maxsize=4)
def load(path: Path | str = BLOCS_FILE) -> dict:
    """Read and validate ``blocs.yml``; raises DataError naming the file, the entry and the
    field on any problem."""
    path = Path(path)
    return _validate(yamlfile.load(path), path)


def _in_force(e: dict, as_of: dt.date) -> bool:
    start = e["from"]
    if start is not None and e["precision"] in ("year", "year-upper-bound"):
        if as_of.year < start.year:
            return False
    elif start is not None and as_of < start:
        return False
    return e["until"] is None or as_of <= e["until"]


def _members(cfg: dict, bloc: str, as_of: dt.date | None, roles) -> list[str]:
    if bloc not in cfg["blocs"]:
        raise DataError(cfg["file"], f"unknown bloc {bloc!r}; known: {sorted(cfg['blocs'])}")
    roles = set(roles)
    return sorted(e["iso3"] for e in cfg["blocs"][bloc]
                  if e["role"] in roles and (as_of is None or _in_force(e, as_of)))


def members(bloc: str, as_of: dt.date | str | None = None, roles=("member",),
            path: Path | str = BLOCS_FILE) -> list[str]:
    """ISO3 codes (sorted) of ``bloc`` with one of ``roles``, optionally as of a date.

    ``as_of=None`` gives everyone with the role regardless of dates.
    """
    cfg = load(path)
    if isinstance(as_of, str):
        as_of = _date(as_of, cfg["file"], "the as_of argument")
    return _members(cfg, bloc, as_of, roles)


def _scenario_members(cfg: dict, name: str) -> list[str]:
    s = cfg["scenarios"][name]
    if s.get("members"):
        base = set(s["members"])
    else:
        base = set(_members(cfg, s["bloc"], s["as_of"], s.get("roles") or ["member"]))
    for other in s.get("plus_blocs") or []:
        base |= set(_members(cfg, other, s["as_of"], ["member"]))
    return sorted((base | set(s.get("add") or [])) - set(s.get("remove") or []))


def scenario(name: str, path: Path | str = BLOCS_FILE) -> list[str]:
    """ISO3 codes (sorted) of a named scenario, e.g. ``scenario("BRICS-10")``."""
    cfg = load(path)
    if name not in cfg["scenarios"]:
        raise DataError(cfg["file"], f"unknown scenario {name!r}; known: {list(cfg['scenarios'])}")
    return _scenario_members(cfg, name)


def scenarios(path: Path | str = BLOCS_FILE) -> dict[str, list[str]]:
    """All scenarios in file order: ``{name: [ISO3, ...]}``."""
    cfg = load(path)
    return {n: _scenario_members(cfg, n) for n in cfg["scenarios"]}


def describe(name: str, path: Path | str = BLOCS_FILE) -> str:
    """The scenario's one-line description from the yml (for captions)."""
    cfg = load(path)
    if name not in cfg["scenarios"]:
        raise DataError(cfg["file"], f"unknown scenario {name!r}")
    return str(cfg["scenarios"][name].get("description", name))


def entries(bloc: str, path: Path | str = BLOCS_FILE) -> list[dict]:
    """The bloc's country entries as in the yml (dates parsed), for tables in the book."""
    cfg = load(path)
    if bloc not in cfg["blocs"]:
        raise DataError(cfg["file"], f"unknown bloc {bloc!r}")
    return [dict(e) for e in cfg["blocs"][bloc]]


def comparison_groups(path: Path | str = BLOCS_FILE) -> dict[str, list[str]]:
    """The groups every comparison of blocs uses, in the yml's order: ``{name: [ISO3, ...]}``
    (BRICS-5, BRICS-10, BRICS-10+SAU as the upper variant, BRICS-10 excl. China, G7, GPAI)."""
    cfg = load(path)
    return {n: _scenario_members(cfg, n) for n in cfg["comparison"]}


def is_derived(name: str, path: Path | str = BLOCS_FILE) -> bool:
    """True for a composition that is our derivation, not an official list (GPAI's 44)."""
    cfg = load(path)
    if name not in cfg["scenarios"]:
        raise DataError(cfg["file"], f"unknown scenario {name!r}")
    return bool(cfg["scenarios"][name].get("derived", False))


def membership(name: str, path: Path | str = BLOCS_FILE) -> str:
    """The date of a scenario's membership in words ("as of 30 June 2025"), for captions;
    a derived composition says so."""
    cfg = load(path)
    if name not in cfg["scenarios"]:
        raise DataError(cfg["file"], f"unknown scenario {name!r}")
    s = cfg["scenarios"][name]
    text = str(s.get("membership") or (f"as of {s['as_of']:%-d %B %Y}" if s.get("as_of") else "fixed list"))
    return text


def membership_note(names: Iterable[str], path: Path | str = BLOCS_FILE) -> str:
    """One sentence for a group table's caption: each group's membership date, and which
    compositions are derived."""
    names = list(names)
    parts = [f"{n}: {membership(n, path)}" for n in names]
    derived = [n for n in names if is_derived(n, path)]
    text = "Membership: " + "; ".join(parts) + "."
    if derived:
        text += (f" {', '.join(derived)} is our derivation (the union of the OECD's members and GPAI's "
                 "earlier countries), not an official list.")
    return text
