"""A stale result cannot reach the book.

Jupyter Book 1's execution cache keys on a notebook's code cells only. The book's extension
watches the package and data/ as well; these tests change only a watched data file between two
builds of a temporary book and check that the second build shows the new value. The control
build, with nothing watched, shows that without the guard the stale value would be published.
"""

from __future__ import annotations

import re

from bricsai import build
from conftest import make_mini_book

PAGE = """# Page

```{code-cell} ipython3
from pathlib import Path
from myst_nb import glue
value = (Path.cwd().parent / "data" / "value.txt").read_text().strip()
glue("value", value, display=False)
```

The value is {glue:text}`value`.
"""


def _built_value(root) -> str:
    html = (root / "_build" / "html" / "notebooks" / "page.html").read_text("utf-8")
    match = re.search(r"The value is\s*(?:<[^>]+>\s*)*([A-Za-z0-9-]+)", html)
    assert match, "the page shows no value"
    return match.group(1)


def _book(tmp_path, watch: str):
    root = make_mini_book(tmp_path, PAGE, extra_config=f"bricsai_watch_paths: {watch}\n")
    (root / "data").mkdir()
    (root / "data" / "value.txt").write_text("first-4711\n")
    return root


def _build(root):
    result = build.run_build(root, "html")
    assert result.returncode == 0, result.stderr[-3000:]


def test_changed_data_reexecutes_the_notebook(tmp_path):
    root = _book(tmp_path, "[data]")
    _build(root)
    assert _built_value(root) == "first-4711"
    (root / "data" / "value.txt").write_text("second-4712\n")
    _build(root)
    assert _built_value(root) == "second-4712"


def test_without_the_guard_the_cache_would_serve_a_stale_value(tmp_path):
    root = _book(tmp_path, "[]")
    _build(root)
    (root / "data" / "value.txt").write_text("second-4712\n")
    _build(root)
    assert _built_value(root) == "first-4711", "the control no longer shows the cache's blind spot"


def test_changed_data_reaches_the_pdf(tmp_path):
    """The PDF built after a data change (without an HTML build in between) is fresh too."""
    import subprocess

    root = _book(tmp_path, "[data]")
    _build(root)
    (root / "data" / "value.txt").write_text("second-4712\n")
    result = build.run_build(root, "pdflatex")
    assert result.returncode == 0, result.stderr[-3000:]
    text = subprocess.run(["pdftotext", str(build.pdf_path(root)), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "second-4712" in text and "first-4711" not in text
