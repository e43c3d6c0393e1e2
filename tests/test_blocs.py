"""blocs.yml: dates, scenarios and validation errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.groups import blocs

FIVE = {"BRA", "RUS", "IND", "CHN", "ZAF"}
JOINED_2024 = {"EGY", "ETH", "IRN", "ARE"}
PARTNERS_2025_01_01 = {"BLR", "BOL", "KAZ", "CUB", "MYS", "THA", "UGA", "UZB"}


def test_membership_by_date():
    assert set(blocs.members("BRICS", as_of="2009-12-31")) == FIVE - {"ZAF"}
    assert set(blocs.members("BRICS", as_of="2010-06-30")) == FIVE
    assert set(blocs.members("BRICS", as_of="2023-12-31")) == FIVE
    assert set(blocs.members("BRICS", as_of="2024-01-01")) == FIVE | JOINED_2024
    assert "IDN" not in blocs.members("BRICS", as_of="2025-01-05")
    assert "IDN" in blocs.members("BRICS", as_of=dt.date(2025, 1, 6))


def test_partners_by_date():
    p = lambda d: set(blocs.members("BRICS", as_of=d, roles=("partner",)))  # noqa: E731
    assert p("2024-12-31") == set()
    assert p("2025-01-01") == PARTNERS_2025_01_01
    assert p("2025-01-17") == PARTNERS_2025_01_01 | {"NGA"}
    assert p("2025-06-13") == PARTNERS_2025_01_01 | {"NGA", "VNM"}


def test_saudi_and_argentina_are_not_members():
    for name in ("BRICS-10", "BRICS+partners"):
        assert "SAU" not in blocs.scenario(name)
        assert "ARG" not in blocs.scenario(name)
    assert "SAU" in blocs.scenario("BRICS-10+SAU")
    assert blocs.members("BRICS", roles=("invited",)) == ["SAU"]
    assert blocs.members("BRICS", roles=("declined",)) == ["ARG"]


def test_scenarios():
    s = blocs.scenarios()
    assert list(s)[:2] == ["BRICS-5", "BRICS-9"]
    assert set(s["BRICS-5"]) == FIVE
    assert set(s["BRICS-10"]) == FIVE | JOINED_2024 | {"IDN"}
    assert set(s["BRICS-10 excl. China"]) == set(s["BRICS-10"]) - {"CHN"}
    assert set(s["BRICS+partners"]) == set(s["BRICS-10"]) | PARTNERS_2025_01_01 | {"NGA", "VNM"}
    assert set(s["G7"]) == {"USA", "JPN", "DEU", "GBR", "FRA", "ITA", "CAN"}
    assert len(s["GPAI"]) == 44 and len(s["GPAI-28"]) == 28 and {"BRA", "IND", "AUT"} <= set(s["GPAI"])
    assert set(s["GPAI-28"]) <= set(s["GPAI"]) and blocs.is_derived("GPAI") and not blocs.is_derived("GPAI-28")
    assert not {"CHN", "RUS"} & set(s["GPAI"])


def test_every_entry_has_a_source_except_g7():
    for bloc in ("BRICS", "GPAI"):
        for e in blocs.entries(bloc):
            assert e.get("source"), e


# --- broken yml --------------------------------------------------------------------------

def _broken(tmp_path: Path, edit) -> Path:
    raw = yamlfile.load(blocs.BLOCS_FILE)
    edit(raw)
    p = tmp_path / "blocs_broken.yml"
    p.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return p


def test_unknown_iso_code(tmp_path):
    p = _broken(tmp_path, lambda r: r["blocs"]["BRICS"]["countries"][0].update(iso3="XXQ"))
    with pytest.raises(DataError, match=r"blocs_broken.yml: .*unknown ISO3 code 'XXQ'"):
        blocs.load(p)


def test_bad_date(tmp_path):
    p = _broken(tmp_path, lambda r: r["blocs"]["BRICS"]["countries"][5].update({"from": "2024-13-01"}))
    with pytest.raises(DataError, match=r"blocs_broken.yml: .*bad date '2024-13-01'"):
        blocs.load(p)


def test_unknown_scenario_name():
    with pytest.raises(DataError, match=r"blocs.yml: unknown scenario 'BRICS-99'"):
        blocs.scenario("BRICS-99")


def test_scenario_with_unknown_bloc(tmp_path):
    p = _broken(tmp_path, lambda r: r["scenarios"]["G7"].update(bloc="G8"))
    with pytest.raises(DataError, match=r"blocs_broken.yml: scenario 'G7', field 'bloc': unknown bloc 'G8'"):
        blocs.load(p)


def test_expected_count_guards_edits(tmp_path):
    p = _broken(tmp_path, lambda r: r["scenarios"]["BRICS-10"].update(as_of="2024-06-30"))
    with pytest.raises(DataError,
                       match=r"scenario 'BRICS-10', field 'expect': the scenario gives 9 countries, expected 10"):
        blocs.load(p)


def test_unknown_role(tmp_path):
    p = _broken(tmp_path, lambda r: r["blocs"]["BRICS"]["countries"][0].update(role="observer"))
    with pytest.raises(DataError, match=r"unknown role 'observer'"):
        blocs.load(p)
