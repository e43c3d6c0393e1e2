"""One plotting style for every figure, and the record each figure leaves for the book.

A notebook draws a figure with ``new_figure``, then calls ``publish_figure`` with the data behind
it, the extracts it came from and an alt text that states the finding. That call writes the
data as CSV and a small JSON record; the book's Sphinx extension reads the record to give the
figure its alt text and its source line, and copies the CSV into the HTML site for download.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from typing import TYPE_CHECKING

from cycler import cycler

if TYPE_CHECKING:  # pandas and matplotlib load only when a figure is drawn
    import pandas as pd

from bricsai.paths import ROOT

RECORD_DIR = Path(os.environ.get("BRICSAI_FIGURE_DIR", ROOT / "_build" / "figure-data"))
HTML_DATA_DIR = "figure-data"

# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print
# the order still separates dark from light.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
GREY = "#6F6F6F"

STYLE = {
    "figure.facecolor": "white",  # opaque, so figures read in dark mode too
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.figsize": (7.0, 4.0),  # fits a PDF text block at full width
    "figure.dpi": 110,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=PALETTE),
    "legend.frameon": False,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "lines.linewidth": 2.0,
}

_NAME = re.compile(r"^fig-[a-z0-9-]+$")


class FigureRecordError(LookupError):
    """A caption names a figure that its notebook did not record."""


def use_style() -> None:
    """Apply the report style; in a notebook also emit PNG (HTML) and PDF (LaTeX) outputs."""
    import matplotlib as mpl

    mpl.rcParams.update(STYLE)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", "pdf")
    except Exception:  # outside IPython there is no inline backend to configure
        pass


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure in the report style."""
    import matplotlib.pyplot as plt

    use_style()
    return plt.subplots(nrows, ncols, **kwargs)


def source_line(datasets: list[str]) -> str:
    """'Source: ...' naming each extract's source and release, read from its metadata."""
    from bricsai.sources import extracts

    parts = [extracts.metadata(name)["citation"] for name in datasets]
    unique = list(dict.fromkeys(parts))
    return "Source: " + "; ".join(unique) + "."


def publish_figure(fig, name: str, data: pd.DataFrame, datasets: list[str], alt: str,
                   record_dir: Path | None = None):
    """Record a figure's data, source line and alt text, then display it once.

    ``name`` must match the figure's ``mystnb.figure.name`` so that the book can find it.
    """
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r} must look like 'fig-some-name'")
    if not alt or len(alt) < 20:
        raise ValueError(f"figure {name}: alt text must state the finding, got {alt!r}")
    if data is None or data.empty:
        raise ValueError(f"figure {name}: no data to publish")
    target = Path(record_dir or RECORD_DIR)
    target.mkdir(parents=True, exist_ok=True)
    data.to_csv(target / f"{name}.csv", index=False, float_format="%.6g")
    record = {"name": name, "alt": " ".join(alt.split()), "source": source_line(datasets),
              "datasets": list(datasets)}
    (target / f"{name}.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n",
                                         encoding="utf-8")
    _display(fig)


def _display(fig) -> None:
    import matplotlib.pyplot as plt

    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(fig)
    # Closing stops the inline backend from drawing the figure a second time.
    plt.close(fig)


def read_record(name: str, record_dir: Path | None = None) -> dict:
    path = Path(record_dir or RECORD_DIR) / f"{name}.json"
    if not path.exists():
        raise FigureRecordError(
            f"figure {name!r} has no record at {path}; the notebook must call "
            f"figures.publish_figure(fig, {name!r}, ...)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def publish(dest: Path, record_dir: Path | None = None) -> None:
    """Copy every recorded figure's CSV into the HTML site."""
    src = Path(record_dir or RECORD_DIR)
    if not src.exists():
        return
    dest.mkdir(parents=True, exist_ok=True)
    for csv in sorted(src.glob("fig-*.csv")):
        shutil.copy2(csv, dest / csv.name)
