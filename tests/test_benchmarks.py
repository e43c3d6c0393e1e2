"""The pure parts of benchmarks/run.py: log parsing, page weights, target evaluation.

No timings are asserted here; the benchmark itself runs with `make benchmark`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bricsai_benchmark_run", RUN)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is made
    spec.loader.exec_module(module)
    return module


SAMPLE_LOG = """\
Using jupyter-cache at: /tmp/x/book/_build/.jupyter_cache
\x1b[01mreading sources... \x1b[39;49;00m[ 20%] notebooks/ai_capacity
/tmp/x/book/book/methods.md: Executing notebook using local CWD [mystnb]
/tmp/x/book/book/methods.md: Executed notebook in 2.23 seconds [mystnb]
/tmp/x/book/book/methods.md: Cached executed notebook: ID=1 [mystnb]
\x1b[91m/tmp/x/book/notebooks/ai_capacity.md: Executed notebook in 19.04 seconds [mystnb]\x1b[39;49;00m
/tmp/x/book/notebooks/pros_cons.md: Using cached notebook: ID=5 [mystnb]
/tmp/x/book/notebooks/claims_ledger.md: WARNING: Executing notebook failed: CellExecutionError [mystnb.exec]
/tmp/x/book/notebooks/bloc_numbers.md:12: ERROR: Executing notebook failed: CellExecutionError [mystnb.exec]
/tmp/x/book/book/intro.md:3: WARNING: undefined label: 'nowhere'
"""


def test_execution_times_are_parsed_and_made_relative(bench):
    times = bench.parse_exec_times(SAMPLE_LOG, Path("/tmp/x/book"))
    assert times == {"book/methods.md": 2.23, "notebooks/ai_capacity.md": 19.04}
    assert sum(times.values()) == pytest.approx(21.27)


def test_execution_times_without_a_root_keep_the_logged_path(bench):
    assert "/tmp/x/book/book/methods.md" in bench.parse_exec_times(SAMPLE_LOG)


def test_cache_hits_are_not_counted_as_executions(bench):
    assert "notebooks/pros_cons.md" not in bench.parse_exec_times(SAMPLE_LOG, Path("/tmp/x/book"))


def test_execution_failures_are_found(bench):
    assert bench.parse_exec_failures(SAMPLE_LOG, Path("/tmp/x/book")) == [
        "notebooks/bloc_numbers.md", "notebooks/claims_ledger.md"]
    assert bench.count_warnings(SAMPLE_LOG) == 3


def test_page_weight_counts_html_and_each_local_image_once(bench, tmp_path):
    html = tmp_path / "html"
    (html / "notebooks").mkdir(parents=True)
    (html / "_images").mkdir()
    (html / "_static").mkdir()
    (html / "_images" / "a.png").write_bytes(b"x" * 1000)
    (html / "_images" / "b.png").write_bytes(b"x" * 500)
    page = ('<html><img src="../_images/a.png" alt="a"><img alt="again" src="../_images/a.png">'
            '<img src="../_images/b.png?v=1"><img src="https://example.org/c.png">'
            '<img src="data:image/png;base64,AAAA"><img src="../_images/missing.png"></html>')
    (html / "notebooks" / "chapter.html").write_text(page)
    (html / "intro.html").write_text("<html>" + "y" * 100 + "</html>")
    (html / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=intro.html" />')
    (html / "search.html").write_text("<html>search</html>")
    (html / "_static" / "x.html").write_text("<html>static</html>")

    weights = {w.page: w for w in bench.page_weights(html)}
    assert set(weights) == {"notebooks/chapter.html", "intro.html"}
    chapter = weights["notebooks/chapter.html"]
    assert chapter.html_bytes == len(page)
    assert chapter.images == 2 and chapter.image_bytes == 1500
    assert chapter.total == len(page) + 1500
    summary = bench.weight_summary(list(weights.values()))
    assert summary["pages"] == 2
    assert summary["max_page"] == "notebooks/chapter.html"
    assert summary["median_bytes"] == pytest.approx((chapter.total + 113) / 2)


def test_page_weight_of_an_empty_site(bench, tmp_path):
    assert bench.weight_summary(bench.page_weights(tmp_path))["median_bytes"] is None


def _by_key(results):
    return {r.key: r.status for r in results}


def test_targets_pass_and_fail_at_their_limits(bench):
    m = {"clean_s": 60.0, "exec_sum_s": 30.0, "off_s": 10.0,  # limit 1.5 x 40 = 60
         "make_noop_s": 6.0, "noop_s": 6.0, "edit_s": 21.0, "pdf_s": 60.0, "extract_s": 5.0,
         "page_median_bytes": 1_000_000,
         "repro_differing": 0, "repro_files": 300}
    results = bench.evaluate(m)
    assert set(_by_key(results).values()) == {"PASS"}
    assert bench.exit_code(results) == 0
    worse = {"clean_s": 60.1, "exec_sum_s": 30.0, "off_s": 10.0, "make_noop_s": 6.02,
             "noop_s": 6.02, "edit_s": 21.1, "pdf_s": 60.5, "extract_s": 5.2,
             "page_median_bytes": 1_000_001, "repro_differing": 1, "repro_files": 300}
    results = bench.evaluate(worse)
    assert set(_by_key(results).values()) == {"FAIL"}
    assert bench.exit_code(results) == 1


def test_relative_targets_use_the_clean_build(bench):
    status = _by_key(bench.evaluate({"clean_s": 100.0, "make_noop_s": 9.0, "noop_s": 11.0,
                                     "edit_s": 40.0}))
    assert status["noop"] == "PASS" and status["noop_sphinx"] == "FAIL"
    assert status["edit"] == "FAIL"


def test_the_noop_target_is_make_html_and_the_sphinx_noop_is_shown_not_gating(bench):
    m = {"clean_s": 20.0, "make_noop_s": 0.3, "noop_s": 2.5}
    results = {r.key: r for r in bench.evaluate(m)}
    assert results["noop"].status == "PASS" and results["noop"].gating
    assert "make html" in results["noop"].target
    sphinx = results["noop_sphinx"]
    assert sphinx.status == "FAIL" and not sphinx.gating
    assert "12.5% of clean" in sphinx.measured  # its own percentage is shown
    assert bench.exit_code(list(results.values())) == 0
    m["make_noop_s"] = 2.1  # the make no-op gates
    assert bench.exit_code(bench.evaluate(m)) == 1


def test_missing_measurements_are_skipped(bench):
    status = _by_key(bench.evaluate({"clean_s": 50.0, "extract_s": None}))
    assert status == {"clean": "SKIP", "noop": "SKIP", "noop_sphinx": "SKIP", "edit": "SKIP",
                      "pdf": "SKIP", "extract": "SKIP", "page": "SKIP", "repro": "SKIP"}


def test_latex_phases_from_timestamped_lines(bench):
    lines = [(0.5, "reading sources...\n"), (8.0, "\x1b[01mbuild succeeded.\x1b[39;49;00m\n"),
             (9.0, "Run number 1 of rule 'pdflatex'\n"), (20.0, "Run number 1 of rule 'makeindex book.idx'\n"),
             (20.5, "Run number 2 of rule 'pdflatex'\n")]
    run = bench.Run("pdf", 31.0, 0, "".join(x for _, x in lines), lines)
    phases = bench.latex_phases(run)
    assert phases["Sphinx (read + write LaTeX)"] == 8.0
    assert phases["pdflatex run 1"] == pytest.approx(11.0)
    assert phases["makeindex book.idx run 1"] == pytest.approx(0.5)
    assert phases["pdflatex run 2"] == pytest.approx(10.5)
    assert phases["_xelatex_runs"] == 2
    assert phases["latexmk set-up and other"] == pytest.approx(1.0)


def test_execution_off_is_set_in_the_config(bench, tmp_path):
    (tmp_path / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n  timeout: 300\n")
    bench.set_execution_off(tmp_path)
    assert 'execute_notebooks: "off"' in (tmp_path / "_config.yml").read_text()


def test_a_make_dry_run_that_would_install_is_caught(bench):
    quiet = "make: Nothing to be done for 'venv'.\nmake: Nothing to be done for 'vendor'.\n"
    assert bench.setup_commands(quiet) == []
    would = ("test -x /v/bin/python || python3 -m venv /v\n"
             "/v/bin/python -m pip install --quiet -r requirements.lock\n"
             "npm ci --no-audit --no-fund --loglevel=error\ntouch /v/.installed\n")
    assert len(bench.setup_commands(would)) == 3


def test_a_make_run_that_starts_sphinx_is_recognised(bench):
    assert not bench.started_sphinx("")
    assert not bench.started_sphinx("make: Nothing to be done for 'html'.\n")
    assert not bench.started_sphinx("/v/bin/python -m bricsai.book.build html --if-changed\n"
                                    "html: up to date (no source changed since its last successful build)\n")
    assert bench.started_sphinx("/v/bin/python -m bricsai.book.build html --if-changed\n"
                                "html: building (changed: data/extracts/wdi_economy.csv)\n")
    assert bench.started_sphinx("\x1b[01mRunning Sphinx v7.4.7\x1b[39;49;00m\n")


def test_make_gets_the_real_interpreter_and_a_stamp_only_venv(bench, tmp_path):
    venv = bench.make_stamp_venv(tmp_path)
    assert (venv / ".installed").is_file()
    cmd = bench.make_cmd("html", venv)
    assert cmd[0] == "make" and "html" in cmd and "-n" not in cmd
    assert f"VENV={venv}" in cmd and f"PY={sys.executable}" in cmd
    assert "-n" in bench.make_cmd("venv", venv, dry_run=True)
    env = bench.make_env({"MAKEFLAGS": "-j2", "MAKELEVEL": "1", "PATH": "/bin"})
    assert env == {"PATH": "/bin"}


def test_before_and_after_rows(bench):
    before = {"clean_s": 35.2, "make_noop_s": None, "page_median_bytes": 39_000}
    after = {"clean_s": 17.6, "make_noop_s": 0.12, "page_median_bytes": 39_310, "noop_s": 2.0}
    rows = {r[0]: r[1:] for r in bench.before_after_rows(before, after, {"make_noop_s": "none then"})}
    assert rows["clean HTML build"] == ("35.2 s", "17.6 s", "-50% (-17.6 s)")
    make_row = next(v for k, v in rows.items() if k.startswith("no-op, make level"))
    assert make_row == ("– (none then)", "0.12 s", "–")
    assert rows["median HTML page (HTML + images)"] == ("39 kB", "39 kB", "+0%")
    sphinx_row = next(v for k, v in rows.items() if k.startswith("no-op, Sphinx level"))
    assert sphinx_row == ("–", "2.0 s", "–")  # no before value: no change shown


def test_the_static_before_numbers_are_complete(bench):
    for _, key, _ in bench.COMPARED:
        assert key in bench.BEFORE
    assert bench.BEFORE["clean_s"] == 35.2 and bench.BEFORE["noop_s"] == 4.1


def test_outputs_of_notebooks_offered_for_download(bench, tmp_path):
    import json

    full = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {"image/png": "x", "application/pdf": "y"}},
        {"output_type": "stream", "text": "z"}]}, {"cell_type": "markdown"}]}
    assert bench.count_outputs(full) == (2, 1, 1)
    empty = {"cells": [{"cell_type": "code", "outputs": []}]}
    folder = tmp_path / "_notebooks"
    folder.mkdir()
    (folder / "a.ipynb").write_text(json.dumps(full))
    (folder / "b.ipynb").write_text(json.dumps(empty))
    assert bench.download_outputs(tmp_path) == {"a.ipynb": 2, "b.ipynb": 0}
    assert bench.download_outputs(tmp_path / "missing") == {}


def test_artefacts_compared_byte_for_byte(bench, tmp_path):
    for name in ("a", "b"):
        html = tmp_path / name / "_build" / "html"
        (html / "_notebooks").mkdir(parents=True)
        (html / "index.html").write_text("same")
        (html / "_notebooks" / "ch.ipynb").write_text(f"cell id {name}")
        (tmp_path / name / "_build" / "latex").mkdir()
        (tmp_path / name / "_build" / "latex" / "book.pdf").write_bytes(b"%PDF same")
        (tmp_path / name / "_build" / "latex" / "book.log").write_text(f"log {name}")  # not an artefact
    (tmp_path / "b" / "_build" / "html" / "extra.html").write_text("only in b")
    a, b = bench.artefact_digests(tmp_path / "a"), bench.artefact_digests(tmp_path / "b")
    assert set(a) == {"_build/html/index.html", "_build/html/_notebooks/ch.ipynb", "_build/latex/book.pdf"}
    assert bench.differing(a, b) == ["_build/html/_notebooks/ch.ipynb", "_build/html/extra.html"]
    assert bench.differing(a, a) == []


def test_reproducibility_target(bench):
    results = {r.key: r for r in bench.evaluate({"repro_differing": 0, "repro_files": 300})}
    assert results["repro"].status == "PASS"
    results = {r.key: r for r in bench.evaluate({"repro_differing": 2, "repro_files": 300})}
    assert results["repro"].status == "FAIL" and results["repro"].gating
    assert {r.key: r for r in bench.evaluate({})}["repro"].status == "SKIP"
