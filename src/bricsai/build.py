"""Build the book: HTML, then PDF, with the warning gate on.

The Makefile and the tests call the same functions, so the gate that CI checks is the gate a
reader's ``make book`` runs. Usage: ``python -m bricsai.build html|pdf|all [ROOT]``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import ROOT
from .sphinxext import PDF_NAME

GATE = ["-W", "-n", "--keep-going"]


def _jupyter_book() -> str:
    here = Path(sys.executable).parent / "jupyter-book"
    return str(here) if here.exists() else "jupyter-book"


def run_build(root: Path, builder: str) -> subprocess.CompletedProcess:
    """Run one Jupyter Book build of ``root`` and return the finished process (output captured)."""
    cmd = [_jupyter_book(), "build", str(root), "--builder", builder, *GATE]
    # Figure records and glued values belong to the book being built, so that builds of
    # other copies (tests, benchmarks) never mix their records with this one's.
    env = dict(os.environ,
               BRICSAI_FIGURE_DIR=str(root / "_build" / "figure-data"),
               BRICSAI_GLUE_DIR=str(root / "_build" / "glue-values"))
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env)


def pdf_path(root: Path) -> Path:
    return root / "_build" / "latex" / "book.pdf"


def build(root: Path, what: str) -> dict[str, subprocess.CompletedProcess]:
    """Build ``html``, ``pdf`` or ``all``; stops at the first failing builder.

    Returns the finished processes by builder. The PDF is copied into the HTML site, where
    every page links to it.
    """
    builders = {"html": ["html"], "pdf": ["pdflatex"], "all": ["html", "pdflatex"]}[what]
    results = {}
    for builder in builders:
        results[builder] = run_build(root, builder)
        if results[builder].returncode != 0:
            break
    html = root / "_build" / "html"
    if pdf_path(root).exists() and html.exists():
        shutil.copy2(pdf_path(root), html / PDF_NAME)
    return results


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "all"
    root = Path(argv[1]).resolve() if len(argv) > 1 else ROOT
    for builder, result in build(root, what).items():
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            print(f"\nbuild failed: jupyter-book {builder} exited with {result.returncode}",
                  file=sys.stderr)
            return result.returncode
    if what in ("pdf", "all"):
        print(f"\nHTML: {root / '_build' / 'html' / 'index.html'}\nPDF:  {pdf_path(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
