"""Sphinx extension that makes the book trustworthy to build and pleasant to read.

- Cache guard (:mod:`bricsai.book.cacheguard`): the execution cache never serves results computed
  from other inputs; reproducible artefacts (:mod:`bricsai.book.reproducible`).
- Downloads: every HTML page offers the PDF of the whole report, and notebook pages their
  executed notebook (.ipynb).
- Figure sources: the ``{figsource}`name``` role puts a figure's source line (and, in HTML, a
  link to the CSV behind it) into its caption, from what the notebook recorded when it drew it.
- Figures in HTML: each image links to itself at full size (tap or click to enlarge), and under
  each figure the reader can switch to a table of its data and download its bundle
  (:mod:`bricsai.present.bundle`); none of this reaches the PDF.
- Registry numbers: the ``{measure}``, ``{period}`` and ``{verdict}`` roles
  (:mod:`bricsai.book.roles`).
- Offline HTML: MathJax is served from the book itself, never from a CDN.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from bricsai.book import sourcedate
from bricsai.book.cacheguard import cache_dir as _cache_dir
from bricsai.paths import ROOT
from bricsai.present import figures

logger = logging.getLogger(__name__)

PDF_NAME = "brics-ai-report.pdf"
NOTEBOOK_DIR = "_notebooks"
MATHJAX_VENDOR = ROOT / "_build" / "vendor" / "mathjax"
PACKAGE_DIR = Path(__file__).resolve().parent


def _is_notebook(app: Sphinx, docname: str) -> bool:
    return docname.startswith("notebooks/")


def _relative(pagename: str, target: str) -> str:
    depth = pagename.count("/")
    return "../" * depth + target


def _drop_thebe(app: Sphinx, pagename: str, templatename, context, doctree):
    """Thebe is off, yet sphinx-thebe still adds its scripts (twice on rebuilds, which throws a
    console error) naming a CDN; the book is offline, so they go."""
    def wanted(js) -> bool:
        body = getattr(js, "attributes", {}).get("body", "") or ""
        return "THEBE_JS_URL" not in body and not str(js).endswith("sphinx-thebe.js")

    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if wanted(js)]


def _downloads_box(app: Sphinx, pagename: str, templatename, context, doctree):
    if doctree is None or "body" not in context:
        return
    pathto = context["pathto"]
    links = [f'<a href="{pathto(PDF_NAME, 1)}">the whole report as PDF</a>']
    if _is_notebook(app, pagename):
        name = Path(pagename).name + ".ipynb"
        links.append(f'<a href="{pathto(NOTEBOOK_DIR + "/" + name, 1)}" download>'
                     f"this chapter as a notebook (.ipynb)</a>")
    box = ('<aside class="bricsai-downloads" aria-label="Downloads">Download: '
           + " · ".join(links) + "</aside>\n")
    context["body"] = box + context["body"]


class figsource(nodes.Inline, nodes.TextElement):
    """Placeholder resolved per builder: a link to the CSV in HTML, plain text in LaTeX."""


def figsource_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    key = text.strip()
    try:
        record = figures.read_record(key)
    except figures.FigureRecordError as exc:
        msg = inliner.reporter.error(str(exc), line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    node = figsource("", record["source"], key=key)
    return [node], []


def _visit_figsource_html(self, node):
    docname = self.builder.current_docname
    href = _relative(docname, f"{figures.HTML_DATA_DIR}/{node['key']}.csv")
    self.body.append(f'<span class="bricsai-figsource">{self.encode(node.astext())} '
                     f'<a href="{href}" download>Download the data (CSV)</a>.</span>')
    raise nodes.SkipNode


def _visit_figsource_latex(self, node):
    self.body.append(self.encode(node.astext()))
    raise nodes.SkipNode


def _visit_figsource_generic(self, node):
    # Builders without a writer of their own (text, man, ...) get the plain source line.
    self.add_text(node.astext()) if hasattr(self, "add_text") else None
    raise nodes.SkipNode


def _apply_alt(app: Sphinx, doctree):
    """Give each named figure the alt text its notebook recorded; flag any image without one."""
    for figure in doctree.findall(nodes.figure):
        for name in figure.get("names", []):
            try:
                record = figures.read_record(name)
            except figures.FigureRecordError:
                continue
            for image in figure.findall(nodes.image):
                image["alt"] = record["alt"]
    for image in doctree.findall(nodes.image):
        if not image.get("alt"):
            logger.warning("bricsai: an image has no alt text (%s)", image.get("uri"),
                           location=image)


# Rows shown in a figure's data table; the bundle always has all of them.
TABLE_MAX_ROWS = 200


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _display(cell: str, numeric: bool) -> str:
    """A CSV cell as the table shows it: numbers rounded for reading (four significant figures,
    thousands separated), true/false as yes/no; the download keeps the full values."""
    if cell in ("True", "False"):
        return "yes" if cell == "True" else "no"
    if not numeric or cell == "":
        return cell
    x = float(cell)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x)) if abs(x) < 10_000 else f"{int(x):,}"  # years stay "2024"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def data_table_html(record: dict, csv_path: Path, label: str) -> str:
    """An HTML table of a figure's CSV, captioned with the figure's number and title."""
    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    numeric = [all(_number(r[i]) for r in body if i < len(r) and r[i] != "")
               for i in range(len(header))]
    e = html.escape
    caption = f"Data behind {label}"
    if record.get("title"):
        caption += f": {record['title']}"
    # The caption sits above the scrolling box (a <caption> would scroll away with a wide
    # table on a phone) and names the table for assistive technology.
    label_id = f"{record['name']}-table-caption"
    out = [f'<p class="bricsai-tablecaption" id="{label_id}">{e(caption)}</p>'
           f'<div class="bricsai-tablewrap" tabindex="0" role="region" aria-labelledby="{label_id}">'
           f'<table class="table bricsai-datatable" aria-labelledby="{label_id}"><thead><tr>']
    out += [f'<th scope="col">{e(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in body[:TABLE_MAX_ROWS]:
        cells = [f'<td class="num">{e(_display(c, True))}</td>' if numeric[i] else f"<td>{e(_display(c, False))}</td>"
                 for i, c in enumerate(row)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    if len(body) > TABLE_MAX_ROWS:
        out.append(f'<p class="bricsai-tablenote">The first {TABLE_MAX_ROWS} of {len(body)} rows, '
                   f"rounded; the download has all of them at full precision.</p>")
    return "".join(out)


class FigureDataTools(SphinxPostTransform):
    """HTML only: under each recorded figure, a table of its data the reader can switch to
    (a native ``<details>``: keyboard-operable, works without script) and a link to its
    bundle; the image links to itself so that a tap or click opens it at full size."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs) -> None:
        docname = self.env.docname
        numbers = self.env.toc_fignumbers.get(docname, {}).get("figure", {})
        for figure in list(self.document.findall(nodes.figure)):
            name = next((n for n in figure.get("names", []) if n.startswith("fig-")), None)
            if name is None:
                continue
            try:
                record = figures.read_record(name)
            except figures.FigureRecordError:
                continue
            csv_path = figures.RECORD_DIR / f"{name}.csv"
            if not csv_path.exists():
                continue
            for image in figure.findall(nodes.image):
                # A width makes Sphinx wrap the image in a link to itself (html_scaled_image_link).
                image["width"] = "100%"
            number = numbers.get(figure["ids"][0]) if figure.get("ids") else None
            label = "Figure " + ".".join(map(str, number)) if number else "the figure"
            base = _relative(docname, f"{figures.HTML_DATA_DIR}/{name}")
            markup = (
                f'<div class="bricsai-figdata" data-figure="{html.escape(figure["ids"][0])}">'
                f'<details class="bricsai-figtable"><summary>Show the data as a table</summary>'
                + data_table_html(record, csv_path, label) +
                f'</details><p class="bricsai-figdownload">Download the data behind '
                f'{html.escape(label)}: <a href="{base}.zip" download>bundle (ZIP: CSV, '
                f'sources, licence, derivation, raw files)</a> · '
                f'<a href="{base}.csv" download>CSV only</a></p></div>')
            parent = figure.parent
            parent.insert(parent.index(figure) + 1, nodes.raw("", markup, format="html"))


TITLE_PAGE_DATASETS = ["wdi_economy", "imf_weo_gdp", "epoch_notable_models", "epoch_gpu_clusters",
                       "top500", "oxford_gairi", "cset_ai_publications"]


def title_page_date(today: dt.date | None = None) -> str:
    """LaTeX for the title page's date line: the build date and the release of each data set."""
    import json

    from bricsai.paths import EXTRACTS  # read directly: importing extracts loads pandas

    today = today or sourcedate.date(ROOT)
    cites = [json.loads((EXTRACTS / f"{name}.meta.json").read_text(encoding="utf-8"))["citation"]
             for name in TITLE_PAGE_DATASETS]
    lines = "\\\\\n".join(_latex_escape(c) for c in cites)
    return (f"Built {today.day} {today:%B %Y}\\\\[1ex]\n{{\\small Data:\\\\\n{lines}}}")


def _latex_escape(text: str) -> str:
    for char, repl in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                       ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\~{}")):
        text = text.replace(char, repl)
    return text


REFERENCES_DOC = "book/references"


class DropReferencesChapter(SphinxPostTransform):
    """In the PDF the bibliography is gathered at the end of the book (sphinx-jupyterbook-latex
    moves it there at priority 700), which would leave the References page as an empty
    chapter; this drops that chapter so the PDF has exactly one bibliography."""

    default_priority = 760
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(addnodes.start_of_file)):
            if node.get("docname") == REFERENCES_DOC:
                node.parent.remove(node)


def _configure(app: Sphinx, config):
    # MathJax from the book: Sphinx reads a relative mathjax_path below _static/.
    config.mathjax_path = "../mathjax/tex-chtml.js"
    extra = list(config.html_extra_path or [])
    if MATHJAX_VENDOR.exists():
        extra.append(str(MATHJAX_VENDOR.parent))
    config.html_extra_path = extra
    # The footer carries the downloads on every page, search and index pages included.
    config.templates_path = list(config.templates_path or []) + [str(PACKAGE_DIR / "templates")]
    options = dict(config.html_theme_options or {})
    options["footer_content_items"] = ["author.html", "copyright.html", "bricsai-downloads.html"]
    config.html_theme_options = options
    # Without a default mode the theme logs "Got invalid theme mode" to the console.
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "auto")
    config.html_context = context
    # The log states the text width, against which figures are checked for legibility
    # (figures.PRINT_WIDTH_IN; tests/test_figures_book.py compares the two).
    elements = dict(config.latex_elements or {})
    elements["preamble"] = (elements.get("preamble", "")
                            + "\n\\AtBeginDocument{\\typeout{bricsai-textwidth=\\the\\textwidth}}\n")
    config.latex_elements = elements
    # The PDF's title page carries the build date and the data releases.
    if not config.today:
        config.today = title_page_date()


def _check_vendor(app: Sphinx):
    if app.builder.format == "html" and not (MATHJAX_VENDOR / "tex-chtml.js").exists():
        logger.warning("bricsai: MathJax is not vendored in %s; run `make vendor` so that the "
                       "HTML needs no other host", MATHJAX_VENDOR)


def _executed_notebook(app: Sphinx, path: Path):
    """The notebook a reader downloads: with the outputs the book shows.

    myst-nb writes ``jupyter_execute/<doc>.ipynb`` from the notebook as read, without the
    outputs, when they come from the execution cache (and with notebooks executed ahead, they
    always do), so the outputs are merged back in from the cache.
    """
    import nbformat
    from jupyter_cache import get_cache

    nb = nbformat.read(path, as_version=4)
    try:
        _, nb = get_cache(str(_cache_dir(app))).merge_match_into_notebook(nb)
    except KeyError:
        logger.warning("bricsai: %s is not in the execution cache; its download has no outputs",
                       path)
    return nb


def _copy_outputs(app: Sphinx, exception):
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    outdir = Path(app.outdir)
    executed = Path(app.outdir).parent / "jupyter_execute" / "notebooks"
    target = outdir / NOTEBOOK_DIR
    target.mkdir(exist_ok=True)
    for docname in app.env.found_docs:
        if not _is_notebook(app, docname):
            continue
        name = Path(docname).name + ".ipynb"
        src = executed / name
        if src.exists():
            nbformat.write(_executed_notebook(app, src), target / name)
        else:
            logger.warning("bricsai: executed notebook %s not found for download", src)
    figures.publish(outdir / figures.HTML_DATA_DIR, epoch=sourcedate.epoch(Path(app.srcdir)))
    _prune_images(outdir)


def _prune_images(outdir: Path) -> None:
    """Remove images no page shows any more. Sphinx never deletes an image a page stopped
    using (a redrawn figure gets a new file name, its content hash), so without this the site
    keeps every figure ever drawn and differs from a clean build."""
    import re

    images = outdir / "_images"
    if not images.is_dir():
        return
    used = set()
    for page in outdir.rglob("*.html"):
        used.update(re.findall(r"_images/([^\"'?#\s)]+)", page.read_text(encoding="utf-8",
                                                                         errors="replace")))
    for path in images.iterdir():
        if path.is_file() and path.name not in used:
            path.unlink()


def setup(app: Sphinx):
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _check_vendor)
    app.setup_extension("bricsai.book.cacheguard")
    app.setup_extension("bricsai.book.reproducible")
    app.setup_extension("bricsai.book.ledgerext")
    app.setup_extension("bricsai.book.roles")  # {measure}, {period}, {verdict}
    app.setup_extension("bricsai.book.chrome")
    app.setup_extension("bricsai.book.bibstyle")
    app.setup_extension("bricsai.book.latexlayout")
    app.connect("html-page-context", _downloads_box)
    app.connect("html-page-context", _drop_thebe)
    app.connect("doctree-read", _apply_alt)
    app.connect("build-finished", _copy_outputs)
    app.add_role("figsource", figsource_role)
    app.add_post_transform(DropReferencesChapter)
    app.add_post_transform(FigureDataTools)
    app.add_node(
        figsource,
        html=(_visit_figsource_html, None),
        latex=(_visit_figsource_latex, None),
        text=(_visit_figsource_generic, None),
    )
    app.add_css_file("bricsai.css")
    app.add_js_file("bricsai.js")
    app.connect("builder-inited", _add_static)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}


def _add_static(app: Sphinx):
    static = Path(__file__).resolve().parent / "static"
    app.config.html_static_path = list(app.config.html_static_path or []) + [str(static)]
