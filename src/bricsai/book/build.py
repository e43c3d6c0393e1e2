"""Build the book: HTML, then PDF, with the warning gate on.

The Makefile and the tests call the same functions, so the gate that CI checks is the gate a
reader's ``make book`` runs. Usage: ``python -m bricsai.book.build html|pdf|all [ROOT] [--if-changed]``;
``--if-changed`` (what make runs) skips the build when no source changed since the last
successful build of the same target (:mod:`bricsai.book.stamp`).

Light at import (no Sphinx, no pandas): make's no-op runs through here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bricsai.book import sourcedate, stamp
from bricsai.paths import ROOT

GATE = ["-W", "-n", "--keep-going"]


def _jupyter_book() -> str:
    here = Path(sys.executable).parent / "jupyter-book"
    return str(here) if here.exists() else "jupyter-book"


def side_dirs(root: Path) -> dict[str, Path]:
    """Where the notebooks of a build of ``root`` write their side files, by variable:
    figure records (``bricsai.present.figures``) and glued values (``bricsai.present.report``)."""
    build = Path(root) / "_build"
    return {"BRICSAI_FIGURE_DIR": build / "figure-data", "BRICSAI_GLUE_DIR": build / "glue-values"}


def build_env(root: Path) -> dict[str, str]:
    """The environment of a build of ``root``.

    - Figure records and glued values belong to the book being built, so that builds of other
      copies (tests, benchmarks) never mix their records with this one's.
    - A copy with its own package (``src/bricsai``) is built with that package, in Sphinx and in
      every notebook kernel, not with whichever one is installed.
    - Every date in the artefacts comes from ``SOURCE_DATE_EPOCH`` (:mod:`bricsai.book.sourcedate`).
    """
    root = Path(root)
    env = dict(os.environ, **{k: str(v) for k, v in side_dirs(root).items()})
    env.update(sourcedate.environ(root))
    if (root / "src" / "bricsai").is_dir():
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(root / "src"), os.environ.get("PYTHONPATH", "")) if p)
    return env


def run_build(root: Path, builder: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run one Jupyter Book build of ``root`` and return the finished process (output captured).

    ``env`` adds to (or overrides) the variables of :func:`build_env`.
    """
    cmd = [_jupyter_book(), "build", str(root), "--builder", builder, *GATE]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True,
                          env={**build_env(root), **(env or {})})


def pdf_path(root: Path) -> Path:
    return root / "_build" / "latex" / "book.pdf"


def _pdf_name() -> str:
    from bricsai.book.sphinxext import PDF_NAME  # imports Sphinx: only once a build has run

    return PDF_NAME


def build(root: Path, what: str, env: dict[str, str] | None = None) -> dict[str, subprocess.CompletedProcess]:
    """Build ``html``, ``pdf`` or ``all``; stops at the first failing builder.

    Returns the finished processes by builder. The PDF is copied into the HTML site, where
    every page links to it.
    """
    builders = {"html": ["html"], "pdf": ["pdflatex"], "all": ["html", "pdflatex"]}[what]
    results = {}
    for builder in builders:
        results[builder] = run_build(root, builder, env)
        if results[builder].returncode != 0:
            break
    html = root / "_build" / "html"
    if pdf_path(root).exists() and html.exists():
        shutil.copy2(pdf_path(root), html / _pdf_name())
    return results


def outputs(root: Path, what: str) -> list[Path]:
    """The files a successful build of ``what`` must leave (listed in its stamp)."""
    html = root / "_build" / "html"
    if what == "html":
        return [html / "index.html"]
    return [pdf_path(root), html / _pdf_name()] + ([html / "index.html"] if what == "all" else [])


def main(argv: list[str]) -> int:
    if_changed = "--if-changed" in argv
    args = [a for a in argv if a != "--if-changed"]
    what = args[0] if args else "all"
    root = Path(args[1]).resolve() if len(args) > 1 else ROOT
    if if_changed and what == "all":
        return main(["html", str(root), "--if-changed"]) or main(["pdf", str(root), "--if-changed"])
    now = None
    if if_changed:
        now = stamp.state(root)
        reason = stamp.stale(root, what, now)
        if reason is None:
            print(f"{what}: up to date (no source changed since its last successful build)")
            return 0
        print(f"{what}: building ({reason})", flush=True)
        stamp.clear(root, what)
    for builder, result in build(root, what).items():
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            print(f"\nbuild failed: jupyter-book {builder} exited with {result.returncode}",
                  file=sys.stderr)
            return result.returncode
    if now is not None:
        stamp.write(root, what, now, outputs(root, what))
    if what in ("pdf", "all"):
        print(f"\nHTML: {root / '_build' / 'html' / 'index.html'}\nPDF:  {pdf_path(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
