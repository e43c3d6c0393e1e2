"""The registry of headline measures: every number the book states about a group or a country.

``data/measures.yml`` defines each measure once (metric, indicator, denominator, unit,
family); :mod:`bricsai.ledger.asof` picks the family's reference period; the value is computed
by the one group-arithmetic function (:func:`bricsai.groups.arithmetic.total_share`).

    from bricsai.ledger.measures import registry
    reg = registry()
    reg.period("economy")                    # 2024
    reg.value("pop_share", "BRICS-5")        # 0.403 (a fraction; reg.text() formats it)
    reg.value("gpu_share", "CHN", period=2023)
    reg.describe("gdp_share")                # label, unit, family, period, dataset, coverage ...
    reg.series("gpu_share", "USA")           # by year; .attrs["partial"] lists partial years

A group is a scenario of ``data/blocs.yml`` ("BRICS-10"), an ISO3 code ("CHN") or several
joined by "+" ("CHN+RUS"). Pages insert measures with the ``{measure}`` role
(:mod:`bricsai.book.roles`), which calls :meth:`Registry.text`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.groups import arithmetic, blocs
from bricsai.ledger import asof
from bricsai.paths import DATA
from bricsai.sources import extracts

MEASURES_FILE = DATA / "measures.yml"
KINDS = ("share", "total", "per_capita", "count")
FAMILY_KEYS = {"datasets", "rule", "absent", "world", "groups", "description"}
MEASURE_KEYS = {"family", "indicator", "kind", "of", "per", "unit", "prefix", "scale", "digits", "label"}


def _check(raw: Any, file: Path) -> tuple[dict, dict]:
    if not isinstance(raw, dict) or set(raw) != {"families", "measures"}:
        raise DataError(file, "top level: expected exactly the keys 'families' and 'measures'")
    families, measures = raw["families"], raw["measures"]
    available = set(extracts.available())
    for name, f in families.items():
        where = f"family {name!r}"
        if not isinstance(f, dict) or set(f) - FAMILY_KEYS:
            raise DataError(file, f"{where}: expected a mapping with some of {sorted(FAMILY_KEYS)}")
        if f.get("rule") not in asof.RULES:
            raise DataError(file, f"{where}, field 'rule': {f.get('rule')!r} is not one of {list(asof.RULES)}")
        ds = f.get("datasets")
        if not isinstance(ds, list) or not ds or any(d not in available for d in ds):
            raise DataError(file, f"{where}, field 'datasets': {ds!r} must list extracts from {sorted(available)}")
        if f.get("absent", "require") not in arithmetic.POLICIES:
            raise DataError(file, f"{where}, field 'absent': expected one of {arithmetic.POLICIES}")
    for name, m in measures.items():
        where = f"measure {name!r}"
        if not isinstance(m, dict) or set(m) - MEASURE_KEYS:
            raise DataError(file, f"{where}: expected a mapping with some of {sorted(MEASURE_KEYS)}")
        if m.get("family") not in families:
            raise DataError(file, f"{where}, field 'family': unknown family {m.get('family')!r}")
        if m.get("kind") not in KINDS:
            raise DataError(file, f"{where}, field 'kind': {m.get('kind')!r} is not one of {KINDS}")
        if m["kind"] == "per_capita" and not m.get("per"):
            raise DataError(file, f"{where}: a per_capita measure needs 'per' (the indicator divided by)")
        if not m.get("indicator") or not m.get("label"):
            raise DataError(file, f"{where}: needs 'indicator' and 'label'")
    return families, measures


class Registry:
    """The headline measures of ``data/measures.yml`` over the committed extracts."""

    def __init__(self, path: Path | str = MEASURES_FILE):
        self.file = Path(path)
        self.families, self.measures = _check(yamlfile.load(self.file), self.file)
        self._periods: dict[str, Any] = {}
        self._rows: dict[tuple[str, str], pd.DataFrame] = {}

    # --- groups and periods -------------------------------------------------------------
    @staticmethod
    def members(group: str) -> list[str]:
        """ISO3 codes of a scenario name, an ISO3 code or codes joined by "+"."""
        known = blocs.scenarios()
        if group in known:
            return list(known[group])
        return [g for g in str(group).split("+") if g]

    def _spec(self, measure: str) -> dict:
        if measure not in self.measures:
            raise DataError(self.file, f"unknown measure {measure!r}; known: {sorted(self.measures)}")
        return self.measures[measure]

    def _family(self, key: str) -> str:
        if key in self.families:
            return key
        return self._spec(key)["family"]

    def period(self, key: str):
        """The reference period of a family or of a measure's family (a year, or "2025-11")."""
        family = self._family(key)
        if family not in self._periods:
            spec = self.families[family]
            indicators = sorted({m["indicator"] for m in self.measures.values() if m["family"] == family}
                                | {m["per"] for m in self.measures.values() if m["family"] == family and m.get("per")})
            groups = ({g: blocs.scenario(g) for g in spec["groups"]} if spec.get("groups")
                      else blocs.comparison_groups())
            self._periods[family] = asof.reference_period(family, spec, indicators, groups)
        return self._periods[family]

    def period_label(self, key: str, period=None) -> str:
        return asof.period_label(self.period(key) if period is None else period)

    # --- values ---------------------------------------------------------------------------
    def _frame(self, family: str, indicator: str | None = None) -> pd.DataFrame:
        """The family's extract, or only its rows for ``indicator`` (kept: the registry is asked
        for many groups and periods of the same indicator)."""
        if indicator is None:
            return extracts.load(self.families[family]["datasets"][0])
        key = (family, indicator)
        if key not in self._rows:
            frame = self._frame(family)
            self._rows[key] = frame[frame["indicator"] == indicator]
        return self._rows[key]

    def _where(self, spec: dict, period) -> tuple[str, str, int]:
        """(family, indicator code, year) of a measure at a period."""
        family = spec["family"]
        if self.families[family]["rule"] == "latest-list":
            ind, year = asof.list_indicator(spec["indicator"], period)
            return family, ind, year
        return family, spec["indicator"], int(period)

    def explain(self, measure: str, group: str, period=None, of: str | None = None) -> dict:
        """The value with what stands behind it: value, period, total, denominator, coverage."""
        spec = self._spec(measure)
        period = self.period(measure) if period is None else period
        family, ind, year = self._where(spec, period)
        fam = self.families[family]
        absent, world = fam.get("absent", "require"), fam.get("world", arithmetic.WORLD)
        members = self.members(group)
        if spec["kind"] == "share":
            den = of or spec.get("of") or "world"
            den = "world" if den == "world" else self.members(den)
            r = arithmetic.total_share(self._frame(family, ind), ind, members, [year], of=den, absent=absent,
                                       world=world, aggregates=self._aggregates()).iloc[0]
            value = r["share"]
        elif spec["kind"] == "per_capita":
            r = arithmetic.total_share(self._frame(family, ind), ind, members, [year], of=None, absent=absent,
                                       world=world).iloc[0]
            p = arithmetic.total_share(self._frame(family, spec["per"]), spec["per"], members, [year], of=None,
                                       absent=absent, world=world).iloc[0]
            value = r["total"] / p["total"] if p["total"] else math.nan
        else:
            r = arithmetic.total_share(self._frame(family, ind), ind, members, [year], of=None, absent=absent,
                                       world=world).iloc[0]
            value = r["total"]
        return {"measure": measure, "group": group, "value": float(value), "period": period,
                "period_label": asof.period_label(period), "indicator": ind, "year": year,
                "total": float(r["total"]), "denominator": float(r["denominator"]),
                "n_members": int(r["n_members"]), "n_present": int(r["n_present"]),
                "missing": list(r["missing"]), "absent": list(r["absent"])}

    @staticmethod
    @lru_cache(maxsize=1)
    def _aggregates() -> frozenset[str]:
        c = extracts.load("wdi_countries")
        return frozenset(c.loc[c["is_aggregate"].astype(bool), "code"]) | {"WLD"}

    def value(self, measure: str, group: str, period=None, of: str | None = None) -> float:
        """The measure for a group at its reference period (or ``period``); shares as fractions."""
        return self.explain(measure, group, period, of)["value"]

    def series(self, measure: str, group: str, of: str | None = None) -> pd.Series:
        """The measure for a group in every year of its extract (NaN where it has none);
        ``.attrs["partial"]`` lists the partial or projected years, which a chart must mark."""
        spec = self._spec(measure)
        family = spec["family"]
        if self.families[family]["rule"] == "latest-list":
            frame = self._frame(family)
            periods = sorted({asof.list_period(y, i.rsplit("_", 1)[1]) for i, y in
                              frame.loc[frame["indicator"].str.startswith(spec["indicator"] + "_"),
                                        ["indicator", "year"]].itertuples(index=False)})
            partial: list = []
        else:
            p = asof.dataset_periods(self.families[family]["datasets"][0])
            periods = list(range(p["first"], p["last"] + 1))
            partial = p["partial"] + p["projection"]
        out = pd.Series({per: self.value(measure, group, per, of) for per in periods}, name=measure, dtype="float64")
        out.index.name = "period"
        out.attrs["partial"] = partial
        return out

    # --- words ----------------------------------------------------------------------------
    def format(self, measure: str, value: float, digits: int | None = None) -> str:
        """A value as the book prints it: "40.3%", "US$ 1,234 bn", "1,234"."""
        spec = self._spec(measure)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "no value"
        if digits is not None:
            digits = int(digits)
        elif spec.get("unit") == "%" and 0 < abs(100 * value) < 1:
            # A share under 1% keeps two significant figures (0.18%, not 0.2%), on every page.
            digits = max(int(spec.get("digits", 1)), 1 - math.floor(math.log10(abs(100 * value))))
        else:
            digits = int(spec.get("digits", 1))
        if spec.get("unit") == "%":
            return f"{100 * value:.{digits}f}%"
        sign = "\u2212" if value < 0 else ""
        text = f"{abs(value) / float(spec.get('scale', 1)):,.{digits}f}"
        if spec.get("prefix"):
            text = f"{spec['prefix']}\u00a0{text}" if spec["prefix"][-1].isalpha() else spec["prefix"] + text
        if spec.get("unit"):
            text = f"{text}\u00a0{spec['unit']}"
        return sign + text

    def text(self, measure: str, group: str, period=None, of: str | None = None, digits: int | None = None) -> str:
        return self.format(measure, self.value(measure, group, period, of), digits)

    def describe(self, measure: str) -> dict:
        """What a measure is: label, unit, family, period, dataset, indicator, coverage note."""
        spec = self._spec(measure)
        fam = self.families[spec["family"]]
        return {"measure": measure, "label": spec["label"], "unit": spec.get("unit", ""),
                "kind": spec["kind"], "family": spec["family"], "period": self.period(measure),
                "period_label": self.period_label(measure), "dataset": fam["datasets"][0],
                "indicator": spec["indicator"], "of": spec.get("of", "world" if spec["kind"] == "share" else None),
                "rule": asof.RULES[fam["rule"]],
                "coverage": {"require": "every member needs a value", "zero": "a member without a row counts as zero",
                             "skip": "members without a value are left out"}[fam.get("absent", "require")]}

    def table(self, measures: list[str], groups: Mapping[str, str] | list[str], period=None) -> pd.DataFrame:
        """Values of several measures for several groups (rows = groups), as fractions/totals."""
        names = list(groups)
        return pd.DataFrame({m: [self.value(m, g, period) for g in names] for m in measures}, index=names)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry of ``data/measures.yml`` (cached; ``registry.cache_clear()`` reads it again)."""
    return Registry()
