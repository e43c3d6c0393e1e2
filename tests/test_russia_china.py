"""The Russia–China chapter: the facts file's validation, and every computed number checked
against a computation written here from the raw YAML and the extract CSVs."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml

from bricsai.chapters import russia_china as rc
from bricsai.errors import DataError
from bricsai.ledger import linkfacts
from bricsai.paths import DATA, EXTRACTS


def _raw() -> dict:
    return {"facts": [
        {"id": "rc01-a", "topic": "trade", "period": "2020", "reported": "2022-03-04",
         "standing": "independent", "statement": "s", "refs": ["k1"],
         "share": {"part": 1, "whole": 4, "unit": "US$ m", "measure": "chips"}},
        {"id": "rc02-b", "topic": "partners", "period": "2021..2022", "reported": "unknown",
         "standing": "state-media", "statement": "t", "refs": ["k1"]},
    ]}


def _error(raw) -> str:
    with pytest.raises(DataError) as info:
        linkfacts.validate_facts(raw, "russia_china.yml", bib={"k1"})
    return str(info.value)


def test_synthetic_file_validates():
    assert len(linkfacts.validate_facts(_raw(), "russia_china.yml", bib={"k1"})) == 2


def test_absence_and_range_are_worded_as_what_they_are():
    """A recorded absence says what was searched; a midpoint of a range is called computed."""
    raw = copy.deepcopy(_raw())
    raw["facts"][0].update(refs=[], searched="the trade studies cited here")
    raw["facts"][1].update(topic="trade", reported_share={"value": 0.475, "low": 0.45, "high": 0.50,
                                                          "measure": "all goods"})
    facts = linkfacts.validate_facts(raw, "russia_china.yml", bib={"k1"})
    cell = rc.facts_table(facts, "trade").iloc[0]["What the sources say"]
    assert "(not found; we searched the trade studies cited here)" in cell
    how = rc.shares_table(facts).set_index("What is measured").loc["all goods", "How obtained"]
    assert how == "computed: midpoint of the reported range 45–50%"


@pytest.mark.parametrize("edit, expected", [
    (lambda f: f[0].update(topic="gossip"), "'gossip'"),
    (lambda f: f[0].update(refs=["nokey"]), "unknown bib key 'nokey'"),
    (lambda f: f[0].update(period="spring 2020"), "period: 'spring 2020'"),
    (lambda f: f[0].update(reported="2020/03"), "reported: '2020/03'"),
    (lambda f: f[1].update(refs=[]), "a state-media fact needs a source"),
    (lambda f: f[0]["share"].update(part=5), "exceeds whole"),
    (lambda f: f[1].update(id="rc01-a"), "duplicate id"),
    (lambda f: f[0].pop("standing"), "'standing'"),
    (lambda f: f[0].update(refs=[]), "a fact without sources must say what was searched"),
    (lambda f: f[0].update(searched="news reports"), "only for a recorded absence"),
    (lambda f: f[1].update(reported_share={"value": 0.5, "low": 0.45, "measure": "m"}),
     "give both 'low' and 'high'"),
    (lambda f: f[1].update(reported_share={"value": 0.5, "low": 0.45, "high": 0.50, "measure": "m"}),
     "value must be the midpoint of low and high"),
])
def test_bad_facts_name_file_fact_and_problem(edit, expected):
    raw = copy.deepcopy(_raw())
    edit(raw["facts"])
    msg = _error(raw)
    assert msg.startswith("russia_china.yml:") and expected in msg
    assert "fact rc0" in msg


def _yaml_facts() -> dict:
    """The facts file read with plain PyYAML, independently of the package's loader."""
    with open(DATA / "russia_china.yml", encoding="utf-8") as fh:
        return {f["id"]: f for f in yaml.safe_load(fh)["facts"]}


def test_real_file_validates_and_covers_every_topic():
    facts = linkfacts.load_facts()
    assert {f["topic"] for f in facts} == set(linkfacts.TOPICS)
    assert len(facts) == len(_yaml_facts())


def test_shares_are_computed_from_the_amounts():
    raw = _yaml_facts()
    values = rc.compute()
    assert values["semis_2020"] == pytest.approx(248.57 / 439.84)
    assert values["ics_2020"] == pytest.approx(246.34 / 1250)
    c = raw["rc03-ic-exports-2022"]["change"]
    assert values["ic_exports_multiple"] == pytest.approx(c["after"] / c["before"])
    assert values["microelectronics_2023"] == raw["rc08-microelectronics-2023"]["reported_share"]["value"]
    table = rc.shares_table(linkfacts.load_facts())
    expected = sorted(i for i, f in raw.items() if ("share" in f or "reported_share" in f) and f["topic"] == "trade")
    assert len(table) == len(expected)
    assert f"{248.57 / 439.84 * 100:.0f}%" in set(table["China's share"])


def test_standing_is_printed_with_every_fact():
    facts = linkfacts.load_facts()
    for topic in linkfacts.TOPICS:
        table = rc.facts_table(facts, topic)
        mine = [f for f in facts if f["topic"] == topic]
        assert len(table) == len(mine)
        for f, (_, row) in zip(mine, table.iterrows(), strict=True):
            assert f"#fact-{f['id']}" in row["What the sources say"]
            assert row["Standing"] == linkfacts.STANDING_LABELS[f["standing"]]
    unverified = [f for f in facts if f["standing"] == "unverified"]
    assert unverified, "the file records at least one unconfirmed claim"
    assert all("unverified" in linkfacts.STANDING_LABELS["unverified"] for _ in unverified)
    with pytest.raises(ValueError, match="unknown topic"):
        rc.facts_table(facts, "weather")


def test_standing_counts_add_up():
    facts = linkfacts.load_facts()
    counts = rc.standing_counts(facts)
    assert sum(counts.values()) == len(facts)
    assert counts == {s: sum(f["standing"] == s for f in _yaml_facts().values()) for s in linkfacts.STANDINGS}


def _extract(name: str, indicator: str) -> pd.DataFrame:
    df = pd.read_csv(EXTRACTS / f"{name}.csv")
    return df[df["indicator"] == indicator].pivot_table(index="year", columns="entity", values="value")


def test_open_weight_shares_match_the_extract():
    table = _extract("epoch_notable_models", "epoch_models_open_weights").fillna(0)
    ow = rc.open_weight_shares()
    assert 2026 not in set(ow["year"]), "a partial year must not be shown"
    assert ow["year"].min() == 2018 and ow["year"].max() == 2025
    for row in ow.itertuples():
        assert row.China == pytest.approx(table.loc[row.year, "CHN"] / table.loc[row.year, "WLD"])
        assert row._3 == pytest.approx(table.loc[row.year, "USA"] / table.loc[row.year, "WLD"])


def test_publication_multiples_match_the_extract():
    table = _extract("cset_ai_publications", "cset_ai_publications")
    pubs = rc.publications_index()
    for row in pubs.itertuples():
        for col, code in (("Russia", "RUS"), ("China", "CHN"), ("World", "WLD")):
            assert getattr(row, col) == pytest.approx(table.loc[row.year, code] / table.loc[2021, code])
    values = rc.compute()
    last = values["pub_year"]
    assert values["pub_rus_share_last"] == pytest.approx(table.loc[last, "RUS"] / table.loc[last, "WLD"])
    # the finding the prose states: Russia's output fell while China's and the world's grew
    assert values["pub_rus_multiple"] < 1 < values["pub_wld_multiple"] < values["pub_chn_multiple"]


def test_figure_data_and_alt_state_the_numbers():
    values = rc.compute()
    fig, data = rc.figure(values)
    assert set(data["country"]) == {"China", "United States", "Russia", "World"}
    assert not data["value"].isna().any()
    alt = rc.figure_alt(values)
    assert f"{values['ow_china_last']:.0%}" in alt and str(values["pub_year"]) in alt


@pytest.mark.parametrize("multiple, words", [(0.7, "fell by 30%"), (1.25, "rose by 25%")])
def test_figure_title_says_which_way_publications_moved(multiple, words):
    values = {"ow_china_last": 0.5, "ow_year": 2025, "pub_rus_multiple": multiple, "pub_year": 2024}
    assert words in rc.figure_title(values)


@pytest.mark.parametrize("name", ["russia_china", "pros_cons"])
def test_notebook_is_thin(name):
    """The chapter's notebook reads like the report: code cells only call the package (no
    function definitions, helper dicts or asserts) and make up at most a quarter of the
    non-blank lines."""
    import re

    from bricsai.paths import ROOT

    text = (ROOT / "notebooks" / f"{name}.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", body, re.S)
    code = [ln for c in cells for ln in c.splitlines() if ln.strip() and not ln.lstrip().startswith(":")]
    nonblank = [ln for ln in body.splitlines() if ln.strip()]
    assert len(code) <= len(nonblank) / 4, f"{name}: {len(code)} code lines of {len(nonblank)}"
    joined = "\n".join(code)
    assert not re.search(r"^\s*(def|class|assert)\b", joined, re.M)
    assert not re.search(r"=\s*\{", joined), "no helper dicts in the notebook"
