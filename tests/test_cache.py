"""A stale result cannot reach the book.

Jupyter Book 1's execution cache keys on a notebook's code cells only, and Sphinx decides by
modification time. The book's cache guard (``bricsai.book.cacheguard``) watches the files the
notebooks read, by content, with its record kept inside the execution cache. These tests build
small temporary books and change only what the guard must notice:

- a watched data file (the control build, with nothing watched, shows that without the guard
  the stale value would be published), in HTML and in the PDF;
- a page and a data file changed with their old modification times;
- the execution cache, or the notebooks' side files, deleted on their own;
- a value pasted from another notebook.

``test_real_book_fail_then_restore`` runs the issue's sequence (corrupt a value and break the
build, restore, rebuild) on a copy of the real book.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

from conftest import copy_repository, make_mini_book

from bricsai.book import build, cacheguard, sourcedate
from bricsai.paths import ROOT

PAGE = """# Page

```{code-cell} ipython3
from pathlib import Path
from myst_nb import glue
value = (Path.cwd().parent / "data" / "value.txt").read_text().strip()
glue("value", value, display=False)
```

The value is {glue:text}`value`.
"""

# As PAGE, and the value is also written as a side file, as the book's notebooks do.
PAGE_WITH_SIDE_FILE = PAGE.replace('glue("value", value, display=False)',
                                   'glue("value", value, display=False)\n'
                                   'from bricsai.present import report\n'
                                   'report.glue_text("side-value", value)')

def _built_value(root) -> str:
    html = (root / "_build" / "html" / "notebooks" / "page.html").read_text("utf-8")
    match = re.search(r"The value is\s*(?:<[^>]+>\s*)*([A-Za-z0-9-]+)", html)
    assert match, "the page shows no value"
    return match.group(1)


def _side_value(root) -> str:
    return json.loads((root / "_build" / "glue-values" / "side-value.json").read_text())["value"]


def _book(tmp_path, watch: str, page: str = PAGE, more_pages=None):
    root = make_mini_book(tmp_path, page, extra_config=f"bricsai_watch_paths: {watch}\n",
                          more_pages=more_pages)
    (root / "data").mkdir()
    (root / "data" / "value.txt").write_text("first-4711\n")
    return root


def _build(root):
    result = build.run_build(root, "html")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


def _pages(root) -> dict[str, bytes]:
    html = root / "_build" / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in sorted(html.rglob("*.html"))}


def _differing(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))


def test_without_the_guard_the_cache_would_serve_a_stale_value(tmp_path):
    root = _book(tmp_path, "[]")
    _build(root)
    (root / "data" / "value.txt").write_text("second-4712\n")
    _build(root)
    assert _built_value(root) == "first-4711", "the control no longer shows the cache's blind spot"


def test_changed_data_reaches_the_pdf(tmp_path):
    """The PDF built after a data change (without an HTML build in between) is fresh too."""
    root = _book(tmp_path, "[data]")
    _build(root)
    (root / "data" / "value.txt").write_text("second-4712\n")
    result = build.run_build(root, "pdflatex")
    assert result.returncode == 0, result.stderr[-3000:]
    text = subprocess.run(["pdftotext", str(build.pdf_path(root)), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "second-4712" in text and "first-4711" not in text


def _replace_keeping_mtime(path, old: str, new: str) -> None:
    stat = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_changes_by_content_and_lost_cache_files(tmp_path):
    """One book, built again after each of: a page, then a data file, replaced with their old
    modification times (``cp -p``); only ``_build/.jupyter_cache`` deleted (which broke every
    later build before); only the glued values a notebook wrote deleted."""
    root = _book(tmp_path, "[data]", PAGE_WITH_SIDE_FILE)
    _build(root)
    page_html = root / "_build" / "html" / "notebooks" / "page.html"
    _replace_keeping_mtime(root / "notebooks" / "page.md", "# Page", "# Page\n\nMarker-4713.")
    _build(root)
    assert "Marker-4713" in page_html.read_text()
    _replace_keeping_mtime(root / "data" / "value.txt", "first-4711", "second-4712")
    _build(root)
    assert _built_value(root) == "second-4712" and _side_value(root) == "second-4712"
    good = _pages(root)

    cache = root / "_build" / ".jupyter_cache"
    shutil.rmtree(cache)
    _build(root)
    assert _differing(good, _pages(root)) == []
    assert (root / "_build" / "html" / "_notebooks" / "page.ipynb").is_file()
    assert (cache / cacheguard.RECORD).is_file(), "the guard's record is not in the cache"

    shutil.rmtree(root / "_build" / "glue-values")
    _build(root)
    assert _side_value(root) == "second-4712", "the side file was not written again"
    assert _differing(good, _pages(root)) == []


def test_a_value_pasted_on_another_page_follows_its_notebook(tmp_path):
    """A chapter pastes a value glued by the last notebook of the book; editing that notebook's
    code changes the value, and the chapter (not itself changed, and neither the root nor a
    neighbour of the notebook, which Sphinx writes again anyway) must show the new one."""
    plain = "# Middle\n\n```{code-cell} ipython3\nx = 1 + 1\n```\n"
    paster = plain.replace("# Middle", "# Page\n\nThe notebook says {glue}`source.md::n`.")
    source = ("# Source\n\n```{code-cell} ipython3\nfrom myst_nb import glue\n"
              "glue(\"n\", \"v-4711\", display=False)\n```\n")
    root = make_mini_book(tmp_path, paster, more_pages={"middle": plain, "source": source})
    _build(root)
    html = root / "_build" / "html" / "notebooks" / "page.html"
    assert "v-4711" in html.read_text()
    notebook = root / "notebooks" / "source.md"
    notebook.write_text(notebook.read_text().replace("v-4711", "v-4712"))
    _build(root)
    assert "v-4712" in html.read_text() and "v-4711" not in html.read_text()


def test_stale_reason_names_what_changed(tmp_path):
    """The guard's decision, without a build: unknown record, changed input, lost side file."""
    inputs = {"data/a.csv": "1", "data/b.csv": "2"}
    dirs = {"BRICSAI_GLUE_DIR": tmp_path}
    assert "no record" in cacheguard.stale_reason(None, inputs, dirs)
    assert cacheguard.stale_reason({"inputs": dict(inputs)}, inputs, dirs) is None
    changed = cacheguard.stale_reason({"inputs": {**inputs, "data/b.csv": "3"}}, inputs, dirs)
    assert "changed: data/b.csv" in changed
    deleted = cacheguard.stale_reason({"inputs": {"data/a.csv": "1"}}, inputs, dirs)
    assert "added: data/b.csv" in deleted
    (tmp_path / "k.json").write_text("{}")
    record = {"inputs": inputs, "side_files": {"BRICSAI_GLUE_DIR": ["k.json", "gone.json"]}}
    assert "gone.json" in cacheguard.stale_reason(record, inputs, dirs)


# --- the same sequence on a copy of the real book ---------------------------------------------

def _site(html) -> dict[str, bytes]:
    """What a reader gets from an HTML build: pages, notebook downloads, figure data, images."""
    keep = ("*.html", "_notebooks/*.ipynb", "figure-data/*.csv", "_images/*")
    return {p.relative_to(html).as_posix(): p.read_bytes()
            for pattern in keep for p in sorted(html.glob(pattern if "/" in pattern else "**/" + pattern))}


def test_real_book_fail_then_restore(built_book, glued, tmp_path):
    """On a copy of the book: raise China's population in the chapter's latest year (x 1.7) in
    the WDI extract, delete another extract (the Tortoise index, read by the AI chapter only) so
    that the build fails after the bloc chapter ran, restore both with ``git checkout -- data``,
    rebuild. Every page, download, figure and data file must equal the session's clean build of
    the same sources (the old guard published BRICS-10 at 60.1% of the world's people instead of
    47.9%). Then a page the table of contents lists is deleted: the build must fail."""
    assert built_book["html"].returncode == 0, "the session's build failed"
    copy = copy_repository(tmp_path / "copy")
    env = {"SOURCE_DATE_EPOCH": str(sourcedate.epoch(ROOT))}

    wdi = copy / "data" / "extracts" / "wdi_economy.csv"
    lines = wdi.read_text(encoding="utf-8").splitlines(keepends=True)
    year = glued("bloc-latest-year")  # the latest year the chapter reports
    latest = next(i for i, line in enumerate(lines) if line.startswith(f"CHN,SP.POP.TOTL,{year},"))
    fields = lines[latest].split(",")
    fields[3] = repr(float(fields[3]) * 1.7)
    lines[latest] = ",".join(fields)
    wdi.write_text("".join(lines), encoding="utf-8")
    (copy / "data" / "extracts" / "tortoise_global_ai_index.csv").unlink()

    failed = build.run_build(copy, "html", env)
    assert failed.returncode != 0, "the build without the Tortoise extract should have failed"
    key = "bloc-china-share-brics10-pop"  # China's share of the BRICS-10 population
    corrupted = json.loads((copy / "_build" / "glue-values" / f"{key}.json").read_text())["value"]
    assert corrupted > glued(key) + 1, "the failed build did not execute the bloc chapter: no test"

    subprocess.run(["git", "checkout", "--", "data"], cwd=copy, check=True)
    rebuilt = build.run_build(copy, "html", env)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    clean, after = _site(ROOT / "_build" / "html"), _site(copy / "_build" / "html")
    assert len(clean) > 20
    assert _differing(clean, after) == []
    restored = json.loads((copy / "_build" / "glue-values" / f"{key}.json").read_text())["value"]
    assert restored == glued(key), "the glued value a test reads is still the corrupted one"

    # A page the table of contents lists is deleted: the build fails, as a clean one would
    # (before, the parent page was not read again and the build passed without the chapter).
    subprocess.run(["git", "rm", "-q", "book/story/faq.md"], cwd=copy, check=True)
    deleted = build.run_build(copy, "html", env)
    assert deleted.returncode != 0 and "book/story/faq" in deleted.stdout + deleted.stderr
