"""Broken YAML data files: every message names the file, the entry and the field, and one
broken file fails the tests that read it while the rest of the suite runs and reports.

The files are written as a person edits them (plain YAML text, unquoted dates), not produced
by a YAML dumper that would quote the very values that break the parser.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_repository

from bricsai import yamlfile
from bricsai.errors import DataError
from bricsai.groups import blocs
from bricsai.ledger import claims, proscons
from bricsai.paths import DATA
from bricsai.sources import countries


def _edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (DATA / name).read_text(encoding="utf-8")
    assert old in text, f"test fixture: {old!r} not in {name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _message(load, path) -> str:
    with pytest.raises(DataError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    return message


# --- blocs.yml ---------------------------------------------------------------------------------

EGYPT = "- {iso3: EGY, role: member, from: 2024-01-01,"

BLOCS_CASES = [
    # id, old text, new text, what the message must say (regex, after the file name)
    ("impossible date", EGYPT, EGYPT.replace("2024-01-01", "2024-13-01"),
     r"bloc 'BRICS', entry 6 \(EGY\), field 'from': bad date '2024-13-01' \(month must be in 1\.\.12"),
    ("day out of month", EGYPT, EGYPT.replace("2024-01-01", "2024-02-30"),
     r"entry 6 \(EGY\), field 'from': bad date '2024-02-30'"),
    ("year out of range", EGYPT, EGYPT.replace("from: 2024-01-01", "from: 20240"),
     r"entry 6 \(EGY\), field 'from': year 20240 is outside"),
    ("misspelt field", EGYPT, EGYPT.replace("from:", "form:"),
     r"bloc 'BRICS', entry 6 \(EGY\): unknown field\(s\) \['form'\]"),
    ("unknown role", EGYPT, EGYPT.replace("role: member", "role: observer"),
     r"entry 6 \(EGY\), field 'role': unknown role 'observer'"),
    ("entry not a mapping", EGYPT, "- EGY\n      " + EGYPT,
     r"bloc 'BRICS', entry 6: expected a mapping of fields, got str 'EGY'"),
    ("unknown code in a scenario", "members: [BRA, RUS, IND, CHN, ZAF]",
     "members: [BRA, RUS, IND, CHN, ZZZ]", r"scenario 'BRICS-5', field 'members': unknown ISO3 code\(s\) \['ZZZ'\]"),
    ("bad scenario date", "as_of: 2024-06-30", "as_of: 2024-06-31",
     r"scenario 'BRICS-9', field 'as_of': bad date '2024-06-31'"),
    ("count not a number", "expect: 5", "expect: five",
     r"scenario 'BRICS-5', field 'expect': expected a whole number, got str 'five'"),
    ("key given twice", "    expect: 5\n", "    expect: 5\n    expect: 6\n",
     r"not valid YAML: line \d+, column 5: found the key 'expect' twice \(first on line \d+\)"),
    ("not YAML", "scenarios:\n", "scenarios:\n  - [unclosed\n",
     r"not valid YAML: line \d+, column \d+"),
]


@pytest.mark.parametrize("case", BLOCS_CASES, ids=[c[0] for c in BLOCS_CASES])
def test_blocs_yml_errors_name_file_entry_and_field(case, tmp_path):
    _, old, new, expected = case
    message = _message(blocs.load, _edited(tmp_path, "blocs.yml", old, new))
    assert re.search(expected, message), message


def test_blocs_yml_control(tmp_path):
    """The unedited copy loads, so each failure above comes from its edit."""
    path = _edited(tmp_path, "blocs.yml", EGYPT, EGYPT)
    assert blocs.load(path)["blocs"]["BRICS"][5]["iso3"] == "EGY"


def test_yaml_dates_stay_text():
    """The loader leaves dates to the validators, which know the entry and the field."""
    assert yamlfile.load(DATA / "blocs.yml")["scenarios"]["BRICS-9"]["as_of"] == "2024-06-30"


# --- claims.yml and pros_cons.yml ------------------------------------------------------------

def _first_claim_id() -> str:
    return re.search(r"- id: (c\d\S*)", (DATA / "claims.yml").read_text(encoding="utf-8"))[1]


def test_claims_yml_errors_name_file_claim_and_field(tmp_path):
    cid = _first_claim_id()
    path = _edited(tmp_path, "claims.yml", f"- id: {cid}\n", f"- id: {cid}\n  colour: red\n")
    message = _message(lambda p: claims.load_claims(p, bib=claims.bib_keys()), path)
    assert f"claim {cid}: (entry): Additional properties are not allowed ('colour'" in message

    path = _edited(tmp_path, "claims.yml", "year: 2021", "year: 2021-06-30")
    message = _message(claims.load_claims, path)
    assert re.search(r"claim [a-z0-9-]+: evidence\.checks\.\d+\.measure\.year: '2021-06-30' is not "
                     r"valid under any of the given schemas", message), message


def test_claims_yml_syntax_error_names_the_line(tmp_path):
    path = _edited(tmp_path, "claims.yml", "claims:\n", "claims:\n  - {id: broken\n")
    assert re.search(r"not valid YAML: line \d+, column \d+", _message(claims.load_claims, path))


def test_pros_cons_yml_errors_name_file_item_and_field(tmp_path):
    text = (DATA / "pros_cons.yml").read_text(encoding="utf-8")
    item = re.search(r"- id: (\S+)", text)[1]
    path = _edited(tmp_path, "pros_cons.yml", f"- id: {item}\n", f"- id: {item}\n  colour: red\n")
    message = _message(proscons.load_pros_cons, path)
    assert f"item {item}: (entry): Additional properties are not allowed ('colour'" in message


# --- country_names.yml -------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, expected", [
    ("  MAL: MYS", "  MAL: my", r"source 'eto', name 'MAL': 'my' is not a code"),
    ("epoch:\n", "epoch: [Multinational]\nepoch_old:\n", r"source 'epoch': expected a mapping"),
    ('  "World": IMF_WORLD\n', '  "World": IMF_WORLD\n  "World": IMF_W\n', r"found the key 'World' twice"),
], ids=["not a code", "not a mapping", "name given twice"])
def test_country_names_yml_errors_name_file_source_and_name(old, new, expected, tmp_path):
    path = _edited(tmp_path, "country_names.yml", old, new)
    message = _message(countries.exceptions, path)
    assert re.search(expected, message), message


# --- one broken file does not stop the test run ------------------------------------------------

BROKEN = {  # file: (old, new, what the failing tests must say)
    "claims.yml": ("kind: quantitative", "kind: quantitativ", "claims.yml: invalid claims"),
    "pros_cons.yml": ("kind: pro", "kind: pr0", "pros_cons.yml: invalid pros/cons"),
    "blocs.yml": (EGYPT, EGYPT.replace("2024-01-01", "2024-13-01"), "blocs.yml: bloc 'BRICS', entry 6"),
}


@pytest.mark.slow
def test_broken_data_files_fail_their_tests_not_the_run(tmp_path):
    """In a copy of the repository with claims.yml, pros_cons.yml and blocs.yml all broken,
    pytest collects every test, the tests that read a broken file fail with its message, and
    the others pass."""
    copy = copy_repository(tmp_path / "copy", git=False)
    for name, (old, new, _) in BROKEN.items():
        text = (copy / "data" / name).read_text(encoding="utf-8")
        assert old in text, f"test fixture: {old!r} not in {name}"
        (copy / "data" / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    env = {"PYTHONPATH": str(copy / "src"), "PATH": "/usr/local/bin:/usr/bin:/bin",
           "COLUMNS": "400"}  # pytest's summary lines are cut at the terminal width
    pytest_cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]

    collect = subprocess.run(pytest_cmd + ["--collect-only", "tests"], cwd=copy, env=env,
                             capture_output=True, text=True)
    assert collect.returncode == 0, collect.stdout[-3000:] + collect.stderr[-2000:]
    assert "error" not in collect.stdout.lower().split("collected")[-1]

    run = subprocess.run(pytest_cmd + ["-rf", "tests/test_claims.py", "tests/test_proscons.py",
                                       "tests/test_blocs.py"], cwd=copy, env=env,
                         capture_output=True, text=True)
    summary = run.stdout
    assert run.returncode == 1, summary[-3000:]
    assert re.search(r"\d+ failed, \d+ passed", summary), summary[-2000:]
    failed = [line for line in summary.splitlines() if line.startswith("FAILED")]
    for _, _, says in BROKEN.values():
        assert any(says in line for line in failed), f"no test failed with {says!r}:\n" + "\n".join(failed)
