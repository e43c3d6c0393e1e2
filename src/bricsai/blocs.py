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
* ``GPAI``                  GPAI's 28 country members before July 2024 (EU excluded)

Dates given only as a year (``precision: year``) count from the start of that year; a
``year-upper-bound`` date means "a member no later than that year".
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import DataError
from .paths import DATA

BLOCS_FILE = DATA / "blocs.yml"
ROLES = {"member", "partner", "invited", "declined"}
PRECISIONS = {"day", "year", "year-upper-bound"}


@lru_cache(maxsize=1)
def _iso3_codes() -> frozenset[str]:
    from .countries import _converter

    return frozenset(str(c) for c in _converter().data["ISO3"])


def _date(value, file: Path, where: str) -> dt.date | None:
    """Parse a YAML date (date, YYYY-MM-DD string or bare year) to the first day it covers."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 1900 <= value <= 2100:
        return dt.date(value, 1, 1)
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataError(file, f"{where}: bad date {value!r} (use YYYY-MM-DD or YYYY)") from None


def _validate(raw: dict, file: Path) -> dict:
    if not isinstance(raw, dict) or "blocs" not in raw or "scenarios" not in raw:
        raise DataError(file, "expected top-level keys 'blocs' and 'scenarios'")
    known = _iso3_codes()
    blocs: dict[str, list[dict]] = {}
    for bloc, spec in raw["blocs"].items():
        entries = []
        for i, c in enumerate(spec.get("countries") or []):
            where = f"bloc {bloc!r} entry {i + 1}"
            iso = str(c.get("iso3", ""))
            if iso not in known:
                raise DataError(file, f"{where}: unknown ISO3 code {iso!r}")
            role = c.get("role")
            if role not in ROLES:
                raise DataError(file, f"{where} ({iso}): unknown role {role!r}; expected one of {sorted(ROLES)}")
            prec = c.get("precision", "day" if c.get("from") else None)
            if prec is not None and prec not in PRECISIONS:
                raise DataError(file, f"{where} ({iso}): unknown precision {prec!r}")
            start = _date(c.get("from"), file, f"{where} ({iso}) 'from'")
            until = _date(c.get("until"), file, f"{where} ({iso}) 'until'")
            if start and until and until < start:
                raise DataError(file, f"{where} ({iso}): 'until' {until} is before 'from' {start}")
            entries.append({**c, "iso3": iso, "from": start, "until": until, "precision": prec,
                            "invited": _date(c.get("invited"), file, f"{where} ({iso}) 'invited'")})
        isos = [e["iso3"] for e in entries]
        dups = sorted({x for x in isos if isos.count(x) > 1})
        if dups:
            raise DataError(file, f"bloc {bloc!r}: countries listed twice {dups}")
        blocs[bloc] = entries
    scenarios = {}
    for name, s in raw["scenarios"].items():
        if s.get("bloc") not in blocs:
            raise DataError(file, f"scenario {name!r}: unknown bloc {s.get('bloc')!r}")
        for key in ("members", "add", "remove"):
            for iso in s.get(key) or []:
                if iso not in known:
                    raise DataError(file, f"scenario {name!r}: unknown ISO3 code {iso!r} in {key!r}")
        for r in s.get("roles") or []:
            if r not in ROLES:
                raise DataError(file, f"scenario {name!r}: unknown role {r!r}")
        scenarios[name] = {**s, "as_of": _date(s.get("as_of"), file, f"scenario {name!r} 'as_of'")}
    out = {"blocs": blocs, "scenarios": scenarios, "raw": raw, "file": file}
    for name, s in scenarios.items():
        got = _scenario_members(out, name)
        if "expect" in s and len(got) != s["expect"]:
            raise DataError(file, f"scenario {name!r} gives {len(got)} countries, expected {s['expect']}: {got}")
    return out


@lru_cache(maxsize=4)
def load(path: Path | str = BLOCS_FILE) -> dict:
    """Read and validate ``blocs.yml``; raises DataError naming the file on any problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, "file is missing") from None
    except yaml.YAMLError as exc:
        raise DataError(path, f"not valid YAML ({exc})") from None
    return _validate(raw, path)


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
        as_of = _date(as_of, cfg["file"], "as_of argument")
    return _members(cfg, bloc, as_of, roles)


def _scenario_members(cfg: dict, name: str) -> list[str]:
    s = cfg["scenarios"][name]
    if s.get("members"):
        base = set(s["members"])
    else:
        base = set(_members(cfg, s["bloc"], s["as_of"], s.get("roles") or ["member"]))
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
