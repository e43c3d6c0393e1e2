"""Two clean builds of the same sources give the same bytes, and every date comes from
``SOURCE_DATE_EPOCH``.

The whole book is compared byte for byte by ``benchmarks/run.py`` (two clean builds, HTML and
PDF, every file listed that differs); here a small book with a figure, a glued value and a
notebook download is built clean twice, HTML and PDF.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess

import pytest
from conftest import make_mini_book

from bricsai.book import build, reproducible, sourcedate
from bricsai.paths import ROOT

EPOCH = 1700000000  # 14 November 2023, 22:13:20 UTC: not today, so the wall clock shows

PAGE = """# Page

```{code-cell} ipython3
:tags: [remove-input]
:mystnb:
:  figure:
:    name: fig-mini-line
:    caption: "A line. {figsource}`fig-mini-line`"
import pandas as pd
from myst_nb import glue
from bricsai.present import figures
fig, ax = figures.new_figure()
ax.plot([1, 2, 3], [1, 4, 9])
figures.publish_figure(fig, "fig-mini-line", data=pd.DataFrame({"x": [1, 2, 3], "y": [1, 4, 9]}),
                       datasets=["wdi_economy"], alt="Line chart: y grows from 1 to 9 as x goes from 1 to 3.")
glue("answer", 42, display=False)
```

The answer is {glue:text}`answer`.
"""


def _artefacts(root) -> dict[str, bytes]:
    """Everything a reader gets: the HTML site (pages, images, downloads, figure data) and the
    PDF with its TeX source."""
    out = {p.relative_to(root).as_posix(): p.read_bytes()
           for p in sorted((root / "_build" / "html").rglob("*")) if p.is_file()}
    for name in ("book.pdf", "book.tex"):
        out[f"_build/latex/{name}"] = (root / "_build" / "latex" / name).read_bytes()
    return out


def _clean_build(root) -> dict[str, bytes]:
    shutil.rmtree(root / "_build", ignore_errors=True)
    results = build.build(root, "all", env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    for builder, result in results.items():
        assert result.returncode == 0, f"{builder}: {result.stderr[-3000:]}"
    assert set(results) == {"html", "pdflatex"}
    return _artefacts(root)


def test_two_clean_builds_are_byte_identical(tmp_path):
    root = make_mini_book(tmp_path, PAGE)
    first = _clean_build(root)
    second = _clean_build(root)
    assert {"_build/html/_notebooks/page.ipynb", "_build/html/figure-data/fig-mini-line.csv",
            "_build/latex/book.pdf"} <= set(first)
    assert any(n.startswith("_build/html/_images/") for n in first), "no figure image"
    differing = sorted(n for n in set(first) | set(second) if first.get(n) != second.get(n))
    assert differing == []

    # The dates in the artefacts are SOURCE_DATE_EPOCH's, not today's.
    pdf = root / "_build" / "latex" / "book.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "2023" in next(line for line in info.splitlines() if line.startswith("CreationDate"))
    title = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Built 14 November 2023" in title
    download = json.loads(first["_build/html/_notebooks/page.ipynb"])
    assert [c["id"] for c in download["cells"]] == [f"cell-{i}" for i in
                                                    range(1, len(download["cells"]) + 1)]


def test_fix_notebook_numbers_cells_and_drops_timings():
    nb = {"cells": [{"id": "9793f923", "metadata": {"execution": {"iopub.status.busy": "2026"}}},
                    {"id": "cell-2", "metadata": {}}]}
    assert reproducible.fix_notebook(nb)
    assert [c["id"] for c in nb["cells"]] == ["cell-1", "cell-2"]
    assert nb["cells"][0]["metadata"] == {}
    assert not reproducible.fix_notebook(nb)


# --- where the date comes from -------------------------------------------------------------

def test_source_date_epoch_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert sourcedate.epoch(ROOT) == EPOCH
    assert sourcedate.date(tmp_path) == dt.date(2023, 11, 14)
    assert sourcedate.environ(tmp_path) == {"SOURCE_DATE_EPOCH": str(EPOCH), "FORCE_SOURCE_DATE": "1"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        sourcedate.epoch(ROOT)


def test_last_commit_date_in_a_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(git + ["init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "a.txt").write_text("a\n")
    subprocess.run(git + ["add", "a.txt"], cwd=tmp_path, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "a"], cwd=tmp_path, check=True,
                   env=dict(os.environ, GIT_COMMITTER_DATE="@1600000000 +0000"))
    assert sourcedate.epoch(tmp_path) == 1600000000


def test_fixed_fallback_without_history(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert sourcedate.epoch(tmp_path) == sourcedate.FALLBACK_EPOCH
    assert sourcedate.date(tmp_path) == dt.date(2026, 1, 1)
