"""One plotting style for every figure, and the record each figure leaves for the book.

A notebook draws a figure with ``new_figure``, then calls ``publish_figure`` with the data behind
it, the extracts it came from, an alt text and a title that state the finding. That call checks
that the figure is legible in print (no text under ``MIN_TEXT_PT`` at the PDF's text width, no
labels on top of each other), then writes the data as CSV and a small JSON record; the book's
Sphinx extension reads the record to give the figure its alt text, its source line, a table of
its data and a download bundle (``bricsai.present.bundle``).

Formats: the notebook output carries SVG and PDF. myst-nb picks by builder: SVG for HTML (its
html priority ranks image/svg+xml before image/png) and PDF for LaTeX (application/pdf first), so
both the web page and the printed report get vector figures.
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

# The PDF's text block: A4 (210 mm) less Sphinx's 1-inch side margins. LaTeX scales a wider
# figure down to this width, so text is checked at the size it is printed
# (tests/test_figures.py reads the width LaTeX actually used from the build log).
PRINT_WIDTH_IN = 8.2677 - 2.0
# The smallest text a figure may print (points, after any scaling to the text block).
MIN_TEXT_PT = 7.0
# Default width: a little narrower than the text block, so that text prints at its nominal size.
WIDTH_IN = 6.0

STYLE = {
    "figure.facecolor": "white",  # opaque, so figures read in dark mode too
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.figsize": (WIDTH_IN, 3.6),  # fits the PDF's text block, printed at 100 %
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
    # Vector output: glyphs as paths in SVG (the same look in every browser, no font needed);
    # fixed ids, so that two builds give the same bytes; TrueType in PDF (selectable text).
    "svg.fonttype": "path",
    "svg.hashsalt": "bricsai",
    "pdf.fonttype": 42,
}

_NAME = re.compile(r"^fig-[a-z0-9-]+$")


class FigureRecordError(LookupError):
    """A caption names a figure that its notebook did not record."""


class FigureLegibilityError(ValueError):
    """A figure has text too small to read in print, or labels on top of each other."""


def use_style() -> None:
    """Apply the report style; in a notebook also emit SVG (HTML) and PDF (LaTeX) outputs."""
    import matplotlib as mpl

    mpl.rcParams.update(STYLE)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", "pdf")
    except Exception:  # outside IPython there is no inline backend to configure
        pass


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """A figure in the report style.

    A ``figsize`` wider than ``WIDTH_IN`` is scaled down (keeping its proportions), so that the
    figure is drawn at the size it prints and its font sizes are the printed ones.
    """
    import matplotlib.pyplot as plt

    use_style()
    if "figsize" in kwargs:
        width, height = kwargs["figsize"]
        if width > WIDTH_IN:
            kwargs["figsize"] = (WIDTH_IN, height * WIDTH_IN / width)
    return plt.subplots(nrows, ncols, **kwargs)


def log_scale(ax, axis: str = "y") -> None:
    """Put ``axis`` ("x" or "y") on a log scale with plain tick labels ("1", "10", "1,000").
    Matplotlib's default labels are powers of ten whose exponents are set as superscripts,
    smaller than the 7-pt minimum in print."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    target.set_minor_formatter(NullFormatter())


def source_line(datasets: list[str]) -> str:
    """'Source: ...' naming each extract's source and release, read from its metadata."""
    from bricsai.sources import extracts

    parts = [extracts.metadata(name)["citation"] for name in datasets]
    unique = list(dict.fromkeys(parts))
    return "Source: " + "; ".join(unique) + "."


def publish_figure(fig, name: str, data: pd.DataFrame, datasets: list[str], alt: str,
                   record_dir: Path | None = None, title: str | None = None,
                   columns: dict[str, str] | None = None, derivation: str | None = None):
    """Check a figure's legibility, record its data, source line, alt text and title, then
    display it once.

    ``name`` must match the figure's ``mystnb.figure.name`` so that the book can find it.
    ``title`` states the finding; it is drawn above the figure, left-aligned.
    ``columns`` describes the CSV's columns (meaning and unit) and ``derivation`` how the values
    were computed from the extracts; both go into the download bundle's README.
    Raises :class:`FigureLegibilityError` when any text would print under ``MIN_TEXT_PT`` or two
    labels overlap.
    """
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r} must look like 'fig-some-name'")
    if not alt or len(alt) < 20:
        raise ValueError(f"figure {name}: alt text must state the finding, got {alt!r}")
    if data is None or data.empty:
        raise ValueError(f"figure {name}: no data to publish")
    if title is not None:
        title = " ".join(str(title).split())
        if len(title) < 10:
            raise ValueError(f"figure {name}: the title must state the finding, got {title!r}")
        add_title(fig, title)
    problems = legibility_problems(fig)
    if problems:
        import matplotlib.pyplot as plt

        plt.close(fig)
        raise FigureLegibilityError(
            f"figure {name} is not legible in print (text block {PRINT_WIDTH_IN:.2f} in, "
            f"minimum {MIN_TEXT_PT:g} pt):\n  " + "\n  ".join(problems))
    target = Path(record_dir or RECORD_DIR)
    target.mkdir(parents=True, exist_ok=True)
    data.to_csv(target / f"{name}.csv", index=False, float_format="%.6g")
    unknown = sorted(set(columns or {}) - set(map(str, data.columns)))
    if unknown:
        raise ValueError(f"figure {name}: columns described but not in the data: {unknown}")
    record = {"name": name, "alt": " ".join(alt.split()), "source": source_line(datasets),
              "datasets": list(datasets), "title": title,
              "columns": [{"name": str(c), "description": (columns or {}).get(str(c), "")}
                          for c in data.columns],
              "derivation": " ".join((derivation or "").split()),
              "code": _cell_source()}
    (target / f"{name}.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n",
                                         encoding="utf-8")
    _display(fig)


def _cell_source() -> str:
    """The notebook cell that is drawing the figure: the exact recipe of its data."""
    try:
        from IPython import get_ipython
    except ImportError:
        return ""
    shell = get_ipython()
    if shell is None:
        return ""
    history = shell.user_ns.get("In") or [""]
    cell = str(history[-1]).strip()
    if not cell:
        return ""
    return cell + "\n" + _called_sources(cell, shell.user_ns)


def _called_sources(cell: str, namespace: dict) -> str:
    """The source of the package functions a cell calls (``module.function(``), so that a thin
    notebook cell still gives the whole recipe: the computation and the drawing."""
    import inspect
    import types

    parts = []
    for module_name, func_name in dict.fromkeys(re.findall(r"\b(\w+)\.(\w+)\(", cell)):
        module = namespace.get(module_name)
        if not isinstance(module, types.ModuleType) or not module.__name__.startswith("bricsai."):
            continue
        func = getattr(module, func_name, None)
        if not inspect.isfunction(func) or func_name in ("publish_figure", "show"):
            continue
        try:
            code = inspect.getsource(func)
        except (OSError, TypeError):
            continue
        parts.append(f"\n# --- {module.__name__}.{func_name} ---\n{code}")
    return "".join(parts)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def add_title(fig, title: str, fontsize: float = 11.0) -> None:
    """Put the finding above everything the figure draws, left-aligned with it, wrapped to
    the figure's width. The saved figure grows upwards to hold it (``bbox_inches='tight'``)."""
    renderer = _renderer(fig)
    box = fig.get_tightbbox(renderer)  # inches
    x = box.x0 / fig.get_figwidth()
    y = (box.y1 + 0.08) / fig.get_figheight()
    text = fig.text(x, y, title, ha="left", va="bottom", fontsize=fontsize, fontweight="bold",
                    color="#1a1a1a")
    width = max(box.width, PRINT_WIDTH_IN * 0.6) * fig.dpi
    chars = len(title)
    while text.get_window_extent(renderer).width > width and chars > 20:
        chars = int(chars * 0.9)
        text.set_text(_wrap(title, chars))
    fig._bricsai_title = text


def _renderer(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _drawn_texts(fig):
    """The text artists actually drawn (visible, non-empty, inside the view), with their
    window extents: found by drawing the figure once and noting each Text that draws."""
    from matplotlib.text import Text

    renderer = _renderer(fig)
    drawn = []
    original = Text.draw

    def recording(self, rend, *args, **kwargs):
        before = getattr(rend, "_bricsai_calls", 0)
        result = original(self, rend, *args, **kwargs)
        if getattr(rend, "_bricsai_calls", 0) > before:
            drawn.append(self)
        return result

    draw_text = renderer.draw_text

    def counting(*args, **kwargs):
        renderer._bricsai_calls = getattr(renderer, "_bricsai_calls", 0) + 1
        return draw_text(*args, **kwargs)

    Text.draw = recording
    renderer.draw_text = counting
    try:
        fig.draw(renderer)
    finally:
        Text.draw = original
        del renderer.draw_text
    return [(t, t.get_window_extent(renderer)) for t in drawn if t.get_text().strip()], renderer


def print_scale(fig) -> float:
    """The factor LaTeX applies to the figure: below 1 when it is wider than the text block."""
    box = fig.get_tightbbox(_renderer(fig))
    width = box.width + 2 * float(__import__("matplotlib").rcParams["savefig.pad_inches"])
    return min(1.0, PRINT_WIDTH_IN / width)


def _quad(text, box, renderer):
    """The four corners of a text's (possibly rotated) box, in display units."""
    import math

    angle = math.radians(text.get_rotation() % 180)
    if abs(math.sin(angle)) < 1e-6:
        return [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    saved = text.get_rotation()
    text.set_rotation(0)
    flat = text.get_window_extent(renderer)
    text.set_rotation(saved)
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    w, h = flat.width / 2, flat.height / 2
    c, s = math.cos(angle), math.sin(angle)
    return [(cx + dx * c - dy * s, cy + dx * s + dy * c)
            for dx, dy in ((-w, -h), (w, -h), (w, h), (-w, h))]


def _overlap(a, b, margin: float) -> bool:
    """Separating-axis test of two convex quadrilaterals, each shrunk by ``margin``."""
    def shrink(q):
        cx = sum(p[0] for p in q) / 4
        cy = sum(p[1] for p in q) / 4
        out = []
        for x, y in q:
            dx, dy = x - cx, y - cy
            d = (dx * dx + dy * dy) ** 0.5 or 1.0
            out.append((x - dx / d * margin, y - dy / d * margin))
        return out

    a, b = shrink(a), shrink(b)
    for quad in (a, b):
        for i in range(4):
            x1, y1 = quad[i]
            x2, y2 = quad[(i + 1) % 4]
            nx, ny = y2 - y1, x1 - x2
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return False
    return True


def legibility_problems(fig, min_pt: float = MIN_TEXT_PT) -> list[str]:
    """What makes the figure hard to read in print: text that prints under ``min_pt`` and
    pairs of labels that overlap. Empty when the figure is fine."""
    texts, renderer = _drawn_texts(fig)
    scale = print_scale(fig)
    problems = []
    for text, _ in texts:
        printed = text.get_fontsize() * scale
        if printed < min_pt - 1e-6:
            problems.append(f"text {_short(text)} prints at {printed:.1f} pt "
                            f"({text.get_fontsize():g} pt scaled by {scale:.2f})")
    quads = [(text, _quad(text, box, renderer)) for text, box in texts]
    margin = 1.0 * fig.dpi / 72  # one point: touching boxes are not an overlap
    for i, (ta, qa) in enumerate(quads):
        for tb, qb in quads[i + 1:]:
            if _overlap(qa, qb, margin):
                problems.append(f"labels overlap: {_short(ta)} and {_short(tb)}")
    return problems


def _short(text) -> str:
    s = " ".join(text.get_text().split())
    return repr(s if len(s) <= 40 else s[:37] + "...")


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


def publish(dest: Path, record_dir: Path | None = None, epoch: int | None = None,
            names: set[str] | None = None) -> None:
    """Copy every recorded figure's CSV into the HTML site, each with its download bundle
    (:mod:`bricsai.present.bundle`). ``names`` limits this to the figures the book shows."""
    from bricsai.present import bundle

    src = Path(record_dir or RECORD_DIR)
    if not src.exists():
        return
    dest.mkdir(parents=True, exist_ok=True)
    for csv in sorted(src.glob("fig-*.csv")):
        if names is not None and csv.stem not in names:
            continue
        shutil.copy2(csv, dest / csv.name)
        record = read_record(csv.stem, src)
        bundle.write_bundle(record, csv, dest, epoch if epoch is not None else 315532800)
