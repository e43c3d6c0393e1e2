"""The raw snapshots in data/raw and their manifest: complete, lean, checked, and enough to
rebuild every extract byte for byte."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rawdata
import yaml

from bricsai.__main__ import main
from bricsai.errors import DataError
from bricsai.paths import EXTRACTS, RAW, ROOT
from bricsai.sources import extracts, raw

POP = "wdi/API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv"


def entries() -> dict[str, dict]:
    return yaml.safe_load((RAW / "manifest.yml").read_text(encoding="utf-8"))["files"]


def test_manifest_lists_exactly_the_files_the_extracts_read():
    used = {p for d in extracts.all_datasets() for p in d.inputs}
    assert set(entries()) == used
    on_disk = ({p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file()}
               - {"manifest.yml", ".gitattributes"})
    # Lean: nothing in data/raw that no extract reads.
    assert on_disk <= used, sorted(on_disk - used)


def test_redistributable_files_are_committed_with_their_checksums():
    for rel, e in entries().items():
        p = RAW / rel
        if not e["redistributable"]:
            continue
        data = p.read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"], rel
        assert len(data) == e["size"], rel
        for field in ("title", "publisher", "source_url", "release", "retrieved", "licence", "fetch_url"):
            assert str(e[field]).strip(), (rel, field)


def test_files_the_repository_may_not_carry_are_ignored_and_have_fixtures():
    closed = [rel for rel, e in entries().items() if not e["redistributable"]]
    assert closed, "the TOP500 full list and the Tortoise index are not redistributable"
    for rel in closed:
        assert (rawdata.FIXTURES / rel).is_file(), rel
        ignored = subprocess.run(["git", "check-ignore", "-q", f"data/raw/{rel}"], cwd=ROOT)
        assert ignored.returncode == 0, f"data/raw/{rel} must be git-ignored"
        assert "make fetch" in entries()[rel]["note"]


def test_make_data_rebuilds_every_extract_byte_for_byte():
    """The committed extracts equal a fresh build from data/raw (datasets whose raw file may not
    be in the repository are kept as committed, and counted here)."""
    todo, kept = extracts.select(extracts.all_datasets(), RAW, EXTRACTS, raw.MANIFEST)
    assert {d.name for d in kept} <= {"top500", "tortoise_global_ai_index"}
    assert len(todo) + len(kept) == len(extracts.available())
    assert extracts.verify() == []


def copy_of_raw(tmp_path: Path) -> Path:
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst


def test_tampered_raw_file_stops_make_data_and_changes_nothing(tmp_path, capsys):
    raw_dir = copy_of_raw(tmp_path)
    pop = raw_dir / POP
    pop.write_bytes(pop.read_bytes().replace(b'"China","CHN"', b'"China","CHN" ', 1))
    out = tmp_path / "extracts"
    shutil.copytree(EXTRACTS, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    manifest_before = (raw_dir / "manifest.yml").read_bytes()
    code = main(["data", "--raw", str(raw_dir), "--manifest", str(raw_dir / "manifest.yml"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv" in err and "SHA-256" in err and "differs" in err
    assert "nothing was written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert (raw_dir / "manifest.yml").read_bytes() == manifest_before
    assert not list(tmp_path.glob(".extracts-staging-*"))


def test_accepting_a_new_release_records_its_checksum(tmp_path):
    raw_dir = copy_of_raw(tmp_path)
    pop = raw_dir / POP
    pop.write_bytes(pop.read_bytes() + b"\r\n")
    manifest = raw_dir / "manifest.yml"
    status = raw.check(raw_dir, [POP], manifest, accept=True)
    assert status.present == (POP,)
    entry = raw.load(manifest)[POP]
    assert entry["sha256"] == hashlib.sha256(pop.read_bytes()).hexdigest()
    assert entry["size"] == pop.stat().st_size
    raw.check(raw_dir, [POP], manifest)  # now it matches


def test_missing_redistributable_file_is_named(tmp_path):
    raw_dir = copy_of_raw(tmp_path)
    (raw_dir / POP).unlink()
    with pytest.raises(DataError) as exc:
        raw.check(raw_dir, [POP], raw_dir / "manifest.yml")
    assert POP.split("/")[-1] in str(exc.value) and "missing" in str(exc.value)


def test_absent_closed_file_without_committed_extract_says_make_fetch(tmp_path):
    raw_dir = copy_of_raw(tmp_path)
    top = [d for d in extracts.all_datasets() if d.name == "top500"]
    with pytest.raises(DataError) as exc:
        extracts.select(top, raw_dir, tmp_path / "no-extracts", raw_dir / "manifest.yml")
    assert "june2025.xlsx" in str(exc.value) and "make fetch" in str(exc.value)


@pytest.mark.parametrize("field, value, words", [
    ("sha256", "abc", "not a hex SHA-256"),
    ("redistributable", "yes", "true or false"),
    ("format", "pdf", "'format' must be one of"),
    ("licence", None, "lacks field(s) ['licence']"),
])
def test_manifest_errors_name_entry_and_field(tmp_path, field, value, words):
    files = entries()
    if value is None:
        del files[POP][field]
    else:
        files[POP][field] = value
    path = tmp_path / "manifest.yml"
    path.write_text(yaml.safe_dump({"files": files}), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        raw.load(path)
    assert POP in str(exc.value) and words in str(exc.value) and "manifest.yml" in str(exc.value)


def test_raw_files_behind_a_dataset():
    files = raw.raw_files("wdi_economy")
    assert POP in [f["path"] for f in files]
    pop = next(f for f in files if f["path"] == POP)
    assert pop["publisher"] == "The World Bank" and pop["licence"].startswith("CC BY 4.0")
    tortoise_paths = [f["path"] for f in raw.raw_files("tortoise_global_ai_index")]
    assert tortoise_paths == ["ai/tortoise_global_ai_index/AI_index_db.csv"]
    with pytest.raises(DataError, match="unknown dataset"):
        raw.raw_files("no_such_dataset")


def test_every_raw_file_feeds_an_extract():
    using = raw.extracts_using()
    assert all(using.values()), [k for k, v in using.items() if not v]
    assert using[POP] == ["wdi_economy"]


def test_provenance_table_has_every_file_and_its_extracts():
    table = raw.provenance_table()
    files = entries()
    assert len(table) == len(files)
    for (rel, e), row in zip(files.items(), table.itertuples(index=False), strict=True):
        assert (rel if "-" in rel else f"`{rel}`") in row[0] and e["source_url"] in row[0]
        assert row[0].endswith(", ".join(raw.extracts_using()[rel]))
        assert e["licence"] in row[1] and e["publisher"] in row[1] and e["release"] in row[1]
        assert row[2].startswith(e["sha256"][:8])
    closed = table[table["Raw file → extracts"].str.contains("not in the repository")]
    assert len(closed) == sum(not e["redistributable"] for e in files.values())


def test_methods_page_lists_every_raw_file(built_book):
    html = (ROOT / "_build" / "html" / "book" / "methods.html").read_text(encoding="utf-8")
    section = html.split('id="methods-raw-files"', 1)[1]
    for rel, e in entries().items():
        assert rel in section, rel
        assert e["sha256"][:8] in section, rel
    assert "tortoise_global_ai_index" in section and "not in the repository" in section


def test_a_skip_fails_the_run_unless_it_is_the_article(tmp_path):
    tests = Path(__file__).parent
    (tmp_path / "test_demo.py").write_text(
        "import pytest\n"
        "def test_ok():\n    pass\n"
        "@pytest.mark.skipif(True, reason='the seed article is not beside the repository')\n"
        "def test_article():\n    pass\n", encoding="utf-8")

    def run():
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "noskip", "-p", "no:cacheprovider",
                               "--rootdir", str(tmp_path), str(tmp_path)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(tests)}, cwd=tmp_path)

    ok = run()
    assert ok.returncode == 0, ok.stdout
    with open(tmp_path / "test_demo.py", "a", encoding="utf-8") as fh:
        fh.write("def test_data():\n    pytest.skip('raw data not available')\n")
    bad = run()
    assert bad.returncode == 1, bad.stdout
    assert "test_demo.py::test_data: Skipped: raw data not available" in bad.stdout
    assert "test_article" not in bad.stdout.split("FAILED:")[1]
