"""A PDF that looks typeset: tables, headings, floats and running heads (LaTeX builder only).

- **Tables** get column widths from their content (:func:`column_widths`): no column narrower
  than its longest word (so nothing runs into the next column or the margin, and short columns
  break no words), the rest of the width to the columns with running text, and a table of short
  columns only as wide as it needs. Cells are set ragged-right without hyphenation. A long table
  (more than :data:`BREAKABLE_ROWS` rows or :data:`BREAKABLE_LINES` lines) may break across
  pages instead of leaving a gap.
- **Headings** take the next lines with them to the next page (``needspace``).
- **Floats** may fill more of a page, so a figure that does not fit leaves less white space.
- **Running heads**: the pages between the contents and the first part carry no stale
  "Contents" mark.
- **Bibliography**: entries start with author and year (:mod:`bricsai.book.bibstyle`), so the
  list has no labels, with a hanging indent.

The LaTeX log of a build is checked for overfull boxes by the tests (``tests/test_pdf_layout.py``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

#: Width of the text block in em of the body font (A4, Sphinx's default margins, 10 pt).
TEXT_WIDTH_EM = 45.0
#: Space LaTeX puts around each cell's text (2 \tabcolsep = 12 pt) plus the rule, in em.
CELL_PAD_EM = 1.5
#: Tables with more rows than this, or taller than this many lines, may break across pages
#: (longtable): a table that cannot break leaves the rest of a page empty when it does not fit.
BREAKABLE_ROWS = 8
BREAKABLE_LINES = 15

# Approximate advance widths (em) of the body serif; bold sans in header cells is wider.
_NARROW = set("fijlrt.,;:'!|()[]` ")
_WIDE = set("mwMW@%&")


MONO_START, MONO_END = "\x01", "\x02"  # mark inline literals (monospace) in a cell's text


def text_width_em(text: str, bold: bool = False) -> float:
    """Estimated width of ``text`` in em; header cells are set in a (wider) sans face, inline
    literals (between MONO_START and MONO_END) in monospace."""
    width, mono = 0.0, False
    for ch in text:
        if ch in (MONO_START, MONO_END):
            mono = ch == MONO_START
        elif mono:
            width += 0.62
        elif ch in _NARROW:
            width += 0.3
        elif ch in _WIDE:
            width += 0.85
        elif ch.isupper():
            width += 0.68
        elif ch.isdigit():
            width += 0.5
        else:
            width += 0.48
    return width * (1.3 if bold else 1.0)


def _words(text: str) -> list[str]:
    """The pieces LaTeX cannot break: text breaks at spaces and after a hyphen; an inline
    literal also after a slash or a full stop (Sphinx's breakable literals)."""
    words = []
    for word in re.split(r"\s+", text):
        if MONO_START in word or MONO_END in word:
            pieces = re.split(r"(?<=[/._\-])", word.strip(MONO_START + MONO_END))
            words += [MONO_START + w + MONO_END for w in pieces if w]
        else:
            words += [w for w in re.split(r"(?<=-)", word) if w]
    return words


def minimum_widths(rows: list[list[str]], header_rows: int = 1) -> list[float]:
    """Each column's longest unbreakable piece, in em, with the cell's padding."""
    ncols = max(len(r) for r in rows)
    minimum = [0.0] * ncols
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            longest = max((text_width_em(w, i < header_rows) for w in _words(cell)), default=0.0)
            minimum[j] = max(minimum[j], longest + CELL_PAD_EM)
    return minimum


def column_widths(rows: list[list[str]], header_rows: int = 1,
                  text_width: float = TEXT_WIDTH_EM) -> list[float]:
    """Column widths in em for a table of cell texts (first ``header_rows`` rows bold).

    Each column gets at least its longest word; what is left of ``text_width`` goes to the
    columns whose longest cell would not fit on one line, in proportion to what they lack. When
    every cell fits on one line the table is only as wide as that needs.
    """
    ncols = max(len(r) for r in rows)
    minimum = [0.0] * ncols
    natural = [0.0] * ncols
    for i, row in enumerate(rows):
        bold = i < header_rows
        for j, cell in enumerate(row):
            longest = max((text_width_em(w, bold) for w in _words(cell)), default=0.0)
            minimum[j] = max(minimum[j], longest + CELL_PAD_EM)
            natural[j] = max(natural[j], text_width_em(cell, bold) + CELL_PAD_EM)
    if sum(natural) <= text_width:
        return natural
    spare = text_width - sum(minimum)
    if spare <= 0:
        return minimum  # too many columns for the page: the test of the log will say so
    lack = [n - m for n, m in zip(natural, minimum, strict=True)]
    total_lack = sum(lack) or 1.0
    return [m + spare * lk / total_lack for m, lk in zip(minimum, lack, strict=True)]


_ALIGN_SPEC = re.compile(r"^\s*([LRCJlrcj|\s]+)\s*$")


def _cell_text(entry) -> str:
    parts = []
    for text in entry.findall(nodes.Text):
        if isinstance(text.parent, nodes.raw):
            continue
        mono = any(isinstance(a, nodes.literal) for a in _ancestors(text))
        parts.append(MONO_START + text.astext() + MONO_END if mono else text.astext())
    return "".join(parts)


def _cell_rows(tgroup) -> tuple[list[list[str]], int] | None:
    rows, header_rows = [], 0
    for part in tgroup.children:
        if isinstance(part, (nodes.thead, nodes.tbody)):
            for row in part.children:
                entries = [e for e in row.children if isinstance(e, nodes.entry)]
                if any(e.get("morecols") or e.get("morerows") for e in entries):
                    return None  # merged cells: left to Sphinx
                rows.append([_cell_text(e) for e in entries])
                if isinstance(part, nodes.thead):
                    header_rows += 1
    return (rows, header_rows) if rows else None


class TableLayout(SphinxPostTransform):
    """Column widths from the content for every table whose widths the author did not give.

    A table may come with a ``tabularcolumns`` spec that only gives each column's alignment
    (``LRR``, for LaTeX's tabulary, which squeezes short columns until words overflow); that
    spec is replaced by widths with the same alignment. A spec with widths is the author's
    choice and is kept.
    """

    default_priority = 400
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        pending = None
        wanted = (addnodes.tabular_col_spec, nodes.table)
        for node in list(self.document.findall(lambda n: isinstance(n, wanted))):
            if isinstance(node, addnodes.tabular_col_spec):
                pending = node
                continue
            spec_node, pending = pending, None
            if "colwidths-given" in node.get("classes", []) and spec_node is None:
                continue
            align = None
            if spec_node is not None:
                match = _ALIGN_SPEC.match(spec_node["spec"])
                if not match:  # widths given by the author: kept, unless a word cannot fit
                    given = [int(w) / int(total) * TEXT_WIDTH_EM for w, total in
                             re.findall(r"\\X\{(\d+)\}\{(\d+)\}", spec_node["spec"])]
                    tgroup = node.next_node(nodes.tgroup)
                    found = _cell_rows(tgroup) if tgroup is not None else None
                    if not (found and given and len(given) == len(found[0][0])):
                        continue
                    if all(g >= m for g, m in zip(given, minimum_widths(*found), strict=True)):
                        _keep_heading_with_table(node, found[0], found[1], given)
                        continue
                    align = ["L"] * len(given)
                else:
                    align = [c.upper() for c in match.group(1) if c.upper() in "LRCJ"]
            tgroup = node.next_node(nodes.tgroup)
            found = _cell_rows(tgroup) if tgroup is not None else None
            if found is None:
                continue
            rows, header_rows = found
            ncols = max(len(r) for r in rows)
            if align is None or len(align) != ncols:
                align = ["L"] * ncols
            widths = column_widths(rows, header_rows)
            # \X{w}{total} is a share of the line: a total above the sum leaves a table of
            # short columns narrower than the line.
            tenths = [max(1, round(w * 10)) for w in widths]
            total = max(sum(tenths), round(TEXT_WIDTH_EM * 10))
            side = {"R": r"\raggedleft", "C": r"\centering"}
            spec = "".join(">{" + side.get(a, r"\raggedright") + r"\arraybackslash}"
                           + rf"\X{{{w}}}{{{total}}}" for a, w in zip(align, tenths, strict=True))
            if spec_node is None:
                spec_node = addnodes.tabular_col_spec()
                node.parent.insert(node.parent.index(node), spec_node)
            spec_node["spec"] = spec
            if ((len(rows) - header_rows > BREAKABLE_ROWS or _height(rows, header_rows, widths) > BREAKABLE_LINES)
                    and "longtable" not in node["classes"]):
                node["classes"].append("longtable")
            _keep_heading_with_table(node, rows, header_rows, widths)


_NOT_CONTENT = (nodes.title, nodes.target, nodes.comment, nodes.raw, addnodes.tabular_col_spec)


def _first_content(section):
    """The first element after a section's title, looking inside wrappers (notebook cells and
    their outputs) down to the first table, figure or paragraph."""
    node = section
    while True:
        children = [c for c in node.children if isinstance(c, nodes.Element)
                    and not isinstance(c, _NOT_CONTENT)]
        if not children:
            return None
        node = children[0]
        if isinstance(node, (nodes.table, nodes.figure, nodes.paragraph, nodes.section)):
            return node


def _lines(text: str, width_em: float, bold: bool = False) -> int:
    return max(1, -(-int(text_width_em(text, bold)) // max(1, int(width_em - CELL_PAD_EM))))


def _height(rows, header_rows, widths) -> int:
    """Estimated height of a table in lines: each row as tall as its tallest cell, plus a rule."""
    return sum(max(_lines(cell, w, bold=i < header_rows) for cell, w in zip(row, widths, strict=True)) + 1
               for i, row in enumerate(rows))


class BreakableLiterals(SphinxPostTransform):
    """Long inline literals in table cells (file names, paths) may break after ``/``, ``.``
    and ``_``: LaTeX does not break them by itself inside a link, and a column can rarely hold
    a whole path."""

    default_priority = 390  # before the widths are measured
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for entry in list(self.document.findall(nodes.entry)):
            for literal in list(entry.findall(nodes.literal)):
                for text in list(literal.findall(nodes.Text)):
                    value = text.astext()
                    if len(value) < 16:
                        continue
                    parent = text.parent
                    pieces = [p for p in re.split(r"(?<=[/._])", value) if p]
                    new = []
                    for k, piece in enumerate(pieces):
                        new.append(nodes.Text(piece))
                        if k < len(pieces) - 1:
                            new.append(nodes.raw("", r"\allowbreak{}", format="latex"))
                    index = parent.index(text)
                    parent.remove(text)
                    for k, node in enumerate(new):
                        parent.insert(index + k, node)


def _keep_heading_with_table(table, rows, header_rows, widths) -> None:
    """A section that opens with a table: the heading needs room for the caption, the header
    and the first row below it, or it is left alone at the foot of a page (the table cannot
    start in less). Asks for that room before the heading."""
    section = next((a for a in _ancestors(table) if isinstance(a, nodes.section)), None)
    if section is None or section.parent is None:
        return
    first = _first_content(section)
    if first is not table:
        return
    caption = table.next_node(nodes.title)
    lines = 4  # the heading and the space around it
    if caption is not None:
        lines += _lines(caption.astext(), TEXT_WIDTH_EM)
    for i in range(min(len(rows), header_rows + 1)):
        lines += max(_lines(cell, w, bold=i < header_rows) for cell, w in zip(rows[i], widths, strict=True)) + 1
    raw = nodes.raw("", rf"\needspace{{{lines}\baselineskip}}" + "\n", format="latex")
    section.parent.insert(section.parent.index(section), raw)


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


PREAMBLE = r"""
% --- bricsai.book.latexlayout -------------------------------------------------------------
\usepackage{needspace}
\usepackage{etoolbox}
% Headings take at least a few lines of what follows to the next page.
\pretocmd{\section}{\needspace{7\baselineskip}}{}{}
\pretocmd{\subsection}{\needspace{6\baselineskip}}{}{}
\pretocmd{\subsubsection}{\needspace{5\baselineskip}}{}{}
% Floats may take more of a page, so that fewer pages are left part-empty.
\renewcommand{\topfraction}{0.9}
\renewcommand{\bottomfraction}{0.8}
\renewcommand{\textfraction}{0.07}
\renewcommand{\floatpagefraction}{0.75}
\setcounter{topnumber}{3}
\setcounter{totalnumber}{4}
\raggedbottom
% Table cells: no hyphenation (column widths leave room for the longest word; alignment is
% set per column by TableLayout).
\makeatletter
\newcolumntype{\X}[2]{>{\hyphenpenalty=10000}p{\dimexpr
      (\linewidth-\spx@arrayrulewidth)*#1/#2-\tw@\tabcolsep-\spx@arrayrulewidth\relax}}
% The bibliography: no labels (each entry starts with its author and year), hanging indent.
\renewcommand\@biblabel[1]{}
\AtBeginEnvironment{sphinxthebibliography}{%
  \let\bricsai@list\list
  \def\list#1#2{\bricsai@list{#1}{#2\setlength{\labelwidth}{0pt}\setlength{\labelsep}{0pt}%
    \setlength{\leftmargin}{1.5em}\setlength{\itemindent}{-1.5em}}}}
\makeatother
"""

TABLE_OF_CONTENTS = r"""\sphinxtableofcontents
% The landing text follows the contents: its pages carry no "Contents" mark.
\markboth{}{}
"""


def _configure(app: Sphinx, config) -> None:
    elements = dict(config.latex_elements or {})
    if "bricsai.book.latexlayout" not in elements.get("preamble", ""):
        elements["preamble"] = elements.get("preamble", "") + PREAMBLE
    elements["tableofcontents"] = TABLE_OF_CONTENTS
    config.latex_elements = elements


def setup(app: Sphinx):
    app.add_post_transform(BreakableLiterals)
    app.add_post_transform(TableLayout)
    app.connect("config-inited", _configure)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
