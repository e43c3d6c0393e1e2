"""Sphinx extension: two builds of the same sources give the same bytes.

- **Dates.** Every date a build writes comes from ``SOURCE_DATE_EPOCH``
  (:mod:`bricsai.book.sourcedate`). ``python -m bricsai.book.build`` sets it; when Sphinx is started some
  other way (``jupyter-book build .``) this extension sets it for the build process, and so for
  the notebook kernels and for LaTeX, which inherit it.
- **Asset links.** Sphinx appends a checksum (``?v=...``) to a stylesheet link only when the
  file is already in ``_static`` as the page is written. myst-nb copies its stylesheet there at
  the end of the build, so a clean build linked it without the checksum and every later build
  with it; the stylesheet is now copied before any page is written.
- **Notebook downloads.** A MyST notebook read by jupytext gets random cell ids, so every
  build wrote different ``.ipynb`` files; after the build the downloads get ids numbered in
  cell order and lose any execution timing the kernel client recorded.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx

from bricsai.book import sourcedate


def fix_notebook(nb) -> bool:
    """Give ``nb``'s cells ids ``cell-1``, ``cell-2`` ... and drop execution timestamps.
    Returns whether anything changed."""
    changed = False
    for i, cell in enumerate(nb.get("cells", []), 1):
        if "id" in cell and cell["id"] != f"cell-{i}":
            cell["id"] = f"cell-{i}"
            changed = True
        if "execution" in cell.get("metadata", {}):
            del cell["metadata"]["execution"]
            changed = True
    return changed


def _mystnb_css_first(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    from myst_nb.sphinx_ext import add_global_html_resources

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)


def _fix_downloads(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    for path in sorted(Path(app.outdir).rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if fix_notebook(nb):
            nbformat.write(nb, path)


def setup(app: Sphinx):
    for name, value in sourcedate.environ(Path(app.confdir)).items():
        os.environ.setdefault(name, value)
    app.connect("builder-inited", _mystnb_css_first)
    # After the downloads are written (bricsai.book.sphinxext, default priority 500).
    app.connect("build-finished", _fix_downloads, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
