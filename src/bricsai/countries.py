"""Country names as each publisher spells them, mapped to ISO 3166 alpha-3 codes.

The mapping is country_converter's; the few names it cannot place, or places where a
publisher means something else, are listed in ``data/country_names.yml`` (one place, tested).
A name that neither knows is an error, never a silent drop.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterable

import yaml

from .errors import DataError
from .paths import DATA

EXCEPTIONS_FILE = DATA / "country_names.yml"


@lru_cache(maxsize=1)
def _converter():
    import country_converter as coco

    # coco logs every miss at WARNING; misses are handled (and reported) here instead.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return coco.CountryConverter()


@lru_cache(maxsize=1)
def exceptions() -> dict[str, dict[str, str | None]]:
    """Per-source overrides: ``{source: {name: ISO3 or None}}``; ``None`` means not a country."""
    with open(EXCEPTIONS_FILE, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    out: dict[str, dict[str, str | None]] = {}
    for source, names in raw.items():
        out[source] = {str(k): (None if v is None else str(v)) for k, v in (names or {}).items()}
    return out


def to_iso3(names: Iterable[str], source: str, file: str | None = None) -> dict[str, str | None]:
    """Map each distinct name to ISO3 (or None for a listed non-country such as a region).

    ``source`` picks the exception list (``"*"`` applies to all sources). Raises DataError
    naming ``file`` (or ``source``) and every unknown name.
    """
    overrides = {**exceptions().get("*", {}), **exceptions().get(source, {})}
    distinct = sorted({str(n).strip() for n in names})
    todo = [n for n in distinct if n not in overrides]
    result: dict[str, str | None] = {n: overrides[n] for n in distinct if n in overrides}
    if todo:
        codes = _converter().convert(todo, to="ISO3", not_found=None)
        if isinstance(codes, str):
            codes = [codes]
        unknown = []
        for name, code in zip(todo, codes):
            if isinstance(code, list) or code is None or code == name or len(str(code)) != 3:
                unknown.append(name)
            else:
                result[name] = str(code)
        if unknown:
            raise DataError(
                file or source,
                f"unknown country name(s) {unknown}; add them to {EXCEPTIONS_FILE.name} "
                f"under {source!r} if they are real",
            )
    return result
