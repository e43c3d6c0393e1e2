"""A valid ISO3 code that is not the intended country (IRQ for IRN, say) never ends in a bare
``KeyError``: the measure names the extract that lacks it, a count counted as zero is listed,
and a chapter's labels name any country of a scenario."""

from __future__ import annotations

import math

import pytest

from bricsai.chapters import evidence
from bricsai.errors import DataError
from bricsai.sources import countries, extracts


def _entities(name: str, indicator: str | None = None) -> set[str]:
    df = extracts.load(name)
    if indicator is not None:
        df = df[df["indicator"] == indicator]
    return set(df["entity"].astype(str))


def _a_country_missing_from(name: str) -> str:
    """An economy of the World Bank's list that the extract has no row for."""
    lacking = sorted(set(extracts.economies()) - _entities(name))
    assert lacking, f"test fixture: {name} has every economy"
    return lacking[0]


def test_value_measure_names_the_extract_that_lacks_a_code():
    code = _a_country_missing_from("imf_weo_gdp")
    info = evidence.explain({"metric": "world_share", "entity": ["CHN", code],
                             "indicator": "PPPGDP", "year": 2023})
    assert math.isnan(info["value"])
    assert info["problem"] == f"incomplete: imf_weo_gdp has no row at all for {code}"
    assert info["missing"] == [code]


def test_rank_names_the_extract_that_lacks_a_code():
    code = sorted(set(extracts.economies()) - _entities("epoch_notable_models", "epoch_models"))[0]
    info = evidence.explain({"metric": "rank", "entity": code, "indicator": "epoch_models",
                             "year": 2023})
    assert math.isnan(info["value"])
    assert info["problem"] == f"epoch_notable_models has no row at all for {code}"


def test_count_counted_as_zero_is_listed():
    """Epoch has rows only where a country has capacity: IRQ adds zero, and says so."""
    assert "IRQ" not in _entities("epoch_gpu_clusters", "epoch_gpu_h100e")
    spec = {"metric": "world_share", "indicator": "epoch_gpu_h100e", "year": 2024}
    both = evidence.explain({**spec, "entity": ["IRQ", "CHN"]})
    china = evidence.explain({**spec, "entity": "CHN"})
    assert both["absent"] == ["IRQ"] and china["absent"] == []
    df = extracts.load("epoch_gpu_clusters")
    rows = df[(df["indicator"] == "epoch_gpu_h100e") & (df["year"] == 2024)]
    expected = rows.loc[rows["entity"] == "CHN", "value"].sum() / rows.loc[rows["entity"] == "WLD", "value"].sum()
    assert both["value"] == pytest.approx(expected)


def test_unknown_indicator_names_the_extracts():
    with pytest.raises(DataError, match=r"extracts: no committed extract holds indicator 'NO.SUCH.CODE'"):
        evidence.explain({"metric": "value", "entity": "CHN", "indicator": "NO.SUCH.CODE",
                          "year": 2023})


def test_labels_name_any_country_and_refuse_a_non_code():
    labels = countries.Labels({"ARE": "UAE"})
    assert labels["ARE"] == "UAE"
    assert labels["IRQ"] == "Iraq"
    with pytest.raises(DataError, match=r"no country has the ISO3 code 'ZZQ'"):
        labels["ZZQ"]
