"""Country names as each publisher spells them, mapped to ISO 3166 alpha-3 codes.

The mapping is country_converter's; the few names it cannot place, or places where a
publisher means something else, are listed in ``data/country_names.yml`` (one place, tested).
A name that neither knows is an error, never a silent drop.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.paths import DATA

EXCEPTIONS_FILE = DATA / "country_names.yml"


@lru_cache(maxsize=1)
def _converter():
    import country_converter as coco

    # coco logs every miss at WARNING; misses are handled (and reported) here instead.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return coco.CountryConverter()


# An ISO3 code, or one of the book's codes for a publisher's group (IMF_WORLD, ...).
CODE = re.compile(r"^(?:[A-Z]{3}|IMF_[A-Z0-9_]+)$")


@lru_cache(maxsize=4)
def exceptions(path: Path | str = EXCEPTIONS_FILE) -> dict[str, dict[str, str | None]]:
    """Per-source overrides: ``{source: {name: ISO3 or None}}``; ``None`` means not a country.

    Raises DataError naming the file, the source (entry) and the name (field) of any problem.
    """
    path = Path(path)
    raw = yamlfile.load(path)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataError(path, f"top level: expected a mapping of sources, got {yamlfile.kind(raw)}")
    out: dict[str, dict[str, str | None]] = {}
    for source, names in raw.items():
        if names is None:
            names = {}
        if not isinstance(names, dict):
            raise DataError(path, f"source {source!r}: expected a mapping of names to codes, "
                                  f"got {yamlfile.kind(names)}")
        for name, code in names.items():
            if code is not None and not (isinstance(code, str) and CODE.match(code)):
                raise DataError(path, f"source {source!r}, name {str(name)!r}: {code!r} is not a "
                                      "code (an ISO3 code such as 'MYS', or IMF_...), nor null")
        out[str(source)] = {str(k): v for k, v in names.items()}
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
        for name, code in zip(todo, codes, strict=True):
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


class Labels(dict):
    """Short country names for figure and table labels: the names given, and for any other
    ISO3 code country_converter's short name. A chapter's labels so follow the scenarios in
    ``data/blocs.yml``: a country added there gets its name instead of a ``KeyError``, and a
    code that names no country fails with a message that says so."""

    def __missing__(self, code: str) -> str:
        name = _converter().convert(str(code), src="ISO3", to="name_short", not_found=None)
        if not isinstance(name, str) or not name or name == code:
            raise DataError("country labels", f"no country has the ISO3 code {code!r}; check the "
                                              "codes in data/blocs.yml and data/claims.yml")
        self[code] = name
        return name
