"""Small helpers that notebooks use to put computed numbers and tables into the book.

- ``glue_number`` glues a plain Python float (numpy scalars would be glued as their repr,
  ``np.float64(...)``, which the book cannot format).
- ``glue_text`` glues a ready-made string (a year, a country name, a verdict).
- ``table`` displays a DataFrame as a numbered, captioned MyST table: a real table in HTML and
  in the PDF (a DataFrame's own HTML would reach LaTeX as monospace text).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from bricsai.paths import ROOT

# What the notebooks glued, one small JSON file per key, so that tests can compare the numbers
# the book printed with the data layer's own arithmetic.
GLUE_DIR = Path(os.environ.get("BRICSAI_GLUE_DIR", ROOT / "_build" / "glue-values"))


def _record(name: str, value) -> None:
    GLUE_DIR.mkdir(parents=True, exist_ok=True)
    (GLUE_DIR / f"{name}.json").write_text(json.dumps({"name": name, "value": value}) + "\n",
                                           encoding="utf-8")


def glued_value(name: str):
    """The value a notebook glued under ``name`` in the last build."""
    path = GLUE_DIR / f"{name}.json"
    if not path.exists():
        raise KeyError(f"nothing glued under {name!r} ({path} missing)")
    return json.loads(path.read_text(encoding="utf-8"))["value"]


def glue_number(name: str, value, scale: float = 1.0) -> float:
    """Glue ``value * scale`` as a Python float and return it. NaN is refused: a number the
    prose relies on must exist."""
    from myst_nb import glue

    number = float(value) * scale
    if math.isnan(number):
        raise ValueError(f"glue {name!r}: value is missing (NaN)")
    glue(name, number, display=False)
    _record(name, number)
    return number


def glue_text(name: str, text) -> None:
    # Returns nothing: a cell that ends with this call would otherwise print the text.
    from myst_nb import glue

    text = str(text)
    glue(name, text, display=False)
    _record(name, text)


def _cell(value, fmt) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if fmt is None:
        return str(value).replace("|", "\\|")
    return fmt(value) if callable(fmt) else format(value, fmt)


_NUMBER = re.compile(r"^[+\-\u2212\u2013<>≈~]?\s*[$]?[\d.,]+\s*[%×x]?(\s*\(\d{4}\))?$|^[\u2013-]$")


def _numeric_column(values: pd.Series) -> bool:
    """Numbers, or numbers already formatted as text ("1,234", "12.5%", "3.4 (2021)", "–")."""
    if pd.api.types.is_numeric_dtype(values):
        return True
    cells = [str(v).strip() for v in values if v is not None and str(v).strip() not in ("", "nan")]
    return bool(cells) and all(_NUMBER.match(c) for c in cells)


def to_myst_table(df: pd.DataFrame, name: str, caption: str,
                  formats: Mapping[str, str | Callable] | None = None,
                  align: Mapping[str, str] | None = None,
                  widths: list[int] | None = None, classes: str = "") -> str:
    """MyST source of a captioned, labelled table (``{numref}`name``` refers to it).

    ``widths`` (relative, one per column) fixes the column widths: LaTeX then wraps every cell
    inside its column (the default ``tabulary`` squeezes short columns until words overflow),
    and the table becomes a ``longtable`` that breaks across pages. ``classes`` adds HTML
    classes to the table (e.g. ``bricsai-stack``: on a phone each row becomes a block).
    """
    formats = dict(formats or {})
    align = dict(align or {})
    if not name.startswith("tbl-"):
        raise ValueError(f"table name {name!r} must start with 'tbl-'")
    if widths is not None and len(widths) != len(df.columns):
        raise ValueError(f"{name}: {len(widths)} widths for {len(df.columns)} columns")
    header = "| " + " | ".join(str(c) for c in df.columns) + " |"
    sides = [align.get(col) or ("right" if _numeric_column(df[col]) else "left")
             for col in df.columns]
    marks = ["---:" if side == "right" else ":---" for side in sides]
    rule = "| " + " | ".join(marks) + " |"
    rows = ["| " + " | ".join(_cell(v, formats.get(c)) for c, v in zip(df.columns, row, strict=True)) + " |"
            for row in df.itertuples(index=False)]
    body = "\n".join([header, rule, *rows])
    options = f":name: {name}\n:align: center\n"
    prefix = ""
    if widths:
        options += f":widths: {' '.join(map(str, widths))}\n:class: {' '.join(['longtable', *classes.split()])}\n"
        # The same widths for LaTeX, with ragged-right cells (justified narrow cells leave gaps).
        total = sum(widths)
        spec = "".join(f">{{\\raggedright\\arraybackslash}}\\X{{{w}}}{{{total}}}" for w in widths)
        prefix = f"```{{tabularcolumns}} {spec}\n```\n\n"
    else:
        # LaTeX's tabulary sizes the columns itself; it only needs each column's alignment.
        spec = "".join("R" if side == "right" else "L" for side in sides)
        prefix = f"```{{tabularcolumns}} {spec}\n```\n\n"
        if classes:
            options += f":class: {classes}\n"
    return f"{prefix}:::{{table}} {caption}\n{options}\n{body}\n:::\n"


def table(df: pd.DataFrame, name: str, caption: str,
          formats: Mapping[str, str | Callable] | None = None,
          align: Mapping[str, str] | None = None,
          widths: list[int] | None = None, classes: str = ""):
    """Display ``df`` as a numbered table in the book."""
    from IPython.display import Markdown, display

    display(Markdown(to_myst_table(df, name, caption, formats, align, widths, classes)))


def glue_all(values: Mapping[str, object]) -> None:
    """Glue every value of a chapter's ``{name: value}``: numbers with :func:`glue_number`,
    anything else as text."""
    for name, value in values.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            glue_number(name, value)
        else:
            glue_text(name, value)


def glue_values(values: Mapping[str, object]) -> None:
    """Like :func:`glue_all`, but whole numbers as text, so that years print as "2024" without a
    format; other numbers as floats for the page to format (``{glue:text}`name:.1f```)."""
    for name, value in values.items():
        if isinstance(value, float):
            glue_number(name, value)
        else:
            glue_text(name, value)
