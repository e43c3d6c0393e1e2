"""Every notebook of the book reruns on its own, outside the book build, from any directory.

A reader opens a chapter in JupyterLab (jupytext) and runs it; this test does the same with
nbclient, from a temporary working directory, with figure records and glued values kept out of
the book's own build folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from bricsai.paths import ROOT

NOTEBOOKS = sorted(p for p in [*ROOT.glob("notebooks/*.md"), *ROOT.glob("book/*.md")]
                   if "kernelspec:" in p.read_text(encoding="utf-8")[:600])


def test_the_book_has_notebooks():
    names = {p.stem for p in NOTEBOOKS}
    assert {"bloc_numbers", "ai_capacity", "claims_ledger", "pros_cons"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_standalone(path: Path, tmp_path, monkeypatch):
    monkeypatch.setenv("BRICSAI_FIGURE_DIR", str(tmp_path / "figures"))
    monkeypatch.setenv("BRICSAI_GLUE_DIR", str(tmp_path / "glue"))
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    nb = jupytext.read(path)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if any("publish_figure" in c.source for c in nb.cells if c.cell_type == "code"):
        assert list((tmp_path / "figures").glob("fig-*.csv")), "no figure data was written"
    assert os.getcwd() == str(workdir)
