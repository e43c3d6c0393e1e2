"""The reader's frame around the report: what every HTML page carries besides its text.

- Navigation that works at every width (``bricsai-nav.js``) and visible keyboard focus
  (``bricsai-chrome.css``).
- One download menu: the typeset PDF and, on a notebook page, the executed notebook; never the
  raw source or the browser's print dialog passed off as a PDF.
- A citation box (``{citation-box}`` directive) built from ``CITATION.cff`` (the files named
  here are the package's repository's, :data:`bricsai.paths.ROOT`); the version comes
  from ``pyproject.toml`` and must agree with ``CITATION.cff`` and ``CHANGELOG.md``
  (:func:`release_version`).
- Every page's footer: last updated (the build's ``SOURCE_DATE_EPOCH``), version and data vintage.
- Description and Open Graph metadata with a preview image, a favicon, one viewport tag.
- A repository button (and launch buttons) only when ``repository: url:`` is configured; the
  default names no host.
- No general index page: the book has no index entries, and an empty page helps nobody.
"""

from __future__ import annotations

import functools
import html
import json
import re
import tomllib
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from bricsai import yamlfile
from bricsai.book import sourcedate
from bricsai.paths import ROOT

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
PREVIEW_NAME = "bricsai-preview.png"
FAVICON = PACKAGE_DIR / "static" / "favicon.svg"
# Jupyter Book's default repository (its own) names a host; an empty URL means "no repository".
JB_DEFAULT_REPOSITORY = "https://github.com/executablebooks/jupyter-book"
DESCRIPTION_CHARS = 200


class VersionMismatch(ValueError):
    """The version is written in more than one file and they disagree."""


def package_version(root: Path) -> str:
    with open(Path(root) / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def citation(root: Path) -> dict:
    """CITATION.cff as a dict (dates as text)."""
    return yamlfile.load(Path(root) / "CITATION.cff")


def changelog_versions(root: Path) -> list[str]:
    """Versions named by ``## [x.y.z]`` or ``## x.y.z`` headings in CHANGELOG.md, newest first."""
    text = (Path(root) / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^##\s+\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?", text, re.M)


def release_version(root: Path) -> str:
    """The report's version: pyproject.toml's, which CITATION.cff and the newest CHANGELOG.md
    entry must repeat (a release bumps all three, and the build refuses a half-done bump)."""
    version = package_version(root)
    cff = str(citation(root).get("version", ""))
    logged = changelog_versions(root)
    if cff != version:
        raise VersionMismatch(f"CITATION.cff: version {cff!r} differs from pyproject.toml's {version!r}")
    if not logged or logged[0] != version:
        raise VersionMismatch(f"CHANGELOG.md: the newest entry is {logged[:1]} but pyproject.toml's "
                              f"version is {version!r}")
    return version


# --- citation -------------------------------------------------------------------------------

def _authors(cff: dict) -> list[str]:
    names = []
    for person in cff.get("authors", []):
        if "name" in person:
            names.append(person["name"])
        else:
            names.append(" ".join(p for p in (person.get("given-names"), person.get("family-names")) if p))
    return names


def plain_citation(cff: dict, version: str, url: str = "") -> str:
    year = str(cff.get("date-released", ""))[:4]
    text = f"{' and '.join(_authors(cff))} ({year}). {cff['title']}. Version {version}."
    if cff.get("license"):
        text += f" Licence {cff['license']}."
    if url:
        text += f" {url}"
    return text


def bibtex_citation(cff: dict, version: str, url: str = "") -> str:
    year = str(cff.get("date-released", ""))[:4]
    # Names without given and family names (organisations) are braced, so BibTeX keeps them whole.
    authors = " and ".join("{" + a + "}" for a in _authors(cff))
    key = "bricsai" + year
    fields = [("author", "{" + authors + "}"), ("title", "{" + cff["title"] + "}"),
              ("year", "{" + year + "}"), ("version", "{" + version + "}"),
              ("note", "{Version " + version + (", licence " + cff["license"] if cff.get("license") else "") + "}")]
    if url:
        fields.append(("url", "{" + url + "}"))
    body = ",\n".join(f"  {name:<7} = {value}" for name, value in fields)
    return f"@techreport{{{key},\n{body}\n}}"


class CitationBox(Directive):
    """``{citation-box}``: the report's citation as plain text and as BibTeX, each in a block
    the reader can copy with one click (the copy button of sphinx-copybutton)."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        root = ROOT
        env.note_dependency(str(root / "CITATION.cff"))
        env.note_dependency(str(root / "pyproject.toml"))
        cff = citation(root)
        version = release_version(root)
        url = env.config.html_theme_options.get("repository_url", "")
        box = nodes.container(classes=["bricsai-cite"])
        plain = plain_citation(cff, version, url)
        for label, text, language in (("Plain citation", plain, "text"),
                                      ("BibTeX", bibtex_citation(cff, version, url), "bibtex")):
            # In print each label goes to the next page with its block, not alone at a foot.
            keep = addnodes.only(expr="latex")
            lines = 6 if language == "text" else 10
            keep += nodes.raw("", f"\\needspace{{{lines}\\baselineskip}}\n", format="latex")
            box += keep
            box += nodes.paragraph("", "", nodes.strong("", label))
            block = nodes.literal_block(text, text, language=language)
            block["classes"].append("bricsai-cite-" + language)
            if language == "text":
                # In print the plain citation is set as text (a code block would break it
                # mid-word); on screen it is a block with a copy button.
                screen = addnodes.only(expr="html")
                screen += block
                paper = addnodes.only(expr="not html")
                paper += nodes.block_quote("", nodes.paragraph(text, text))
                box += [screen, paper]
            else:
                box += block
        return [box]


# --- configuration --------------------------------------------------------------------------

def _configure(app: Sphinx, config) -> None:
    version = release_version(ROOT)
    config.version = config.release = version
    subs = dict(getattr(config, "myst_substitutions", {}) or {})
    subs.setdefault("release", version)
    config.myst_substitutions = subs
    config.html_favicon = str(FAVICON)
    # The book has no index entries: no empty "Index" page, and no link to one.
    config.html_use_index = False
    options = dict(config.html_theme_options or {})
    repo = (options.get("repository_url") or "").strip()
    if repo == JB_DEFAULT_REPOSITORY:
        repo = ""
    options["repository_url"] = repo
    options["use_repository_button"] = bool(repo)
    if repo and not options.get("repository_provider") and not any(
            host in repo.lower() for host in ("github", "gitlab", "bitbucket")):
        # The theme insists on a provider; for a self-hosted forge the button only links the
        # address, and launch services clone it as a plain git repository.
        options["repository_provider"] = "gitlab"
    launch = dict(options.get("launch_buttons") or {})
    if not repo:  # a launch button needs a repository to launch
        for key in ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url"):
            launch[key] = ""
    options["launch_buttons"] = launch
    # Jupyter Book does not pass html.use_fullscreen_button on; the book has none.
    options["use_fullscreen_button"] = False
    footer = list(options.get("footer_content_items") or ["author.html", "copyright.html"])
    if "bricsai-edition.html" not in footer:
        footer.append("bricsai-edition.html")
    options["footer_content_items"] = footer
    config.html_theme_options = options
    templates = str(PACKAGE_DIR / "templates")
    if templates not in (config.templates_path or []):
        config.templates_path = list(config.templates_path or []) + [templates]


@functools.lru_cache(maxsize=1)
def _data_vintage() -> str:
    from bricsai.book.sphinxext import TITLE_PAGE_DATASETS
    from bricsai.paths import EXTRACTS

    return "; ".join(json.loads((EXTRACTS / f"{name}.meta.json").read_text(encoding="utf-8"))["citation"]
                     for name in TITLE_PAGE_DATASETS)


def _preview_dir(app: Sphinx) -> Path:
    return Path(app.outdir).parent / "chrome-static"


def _write_preview(app: Sphinx) -> None:
    """The image that link previews (Open Graph) show: the title on the book's colours,
    1200 x 630 px. Drawn by matplotlib without a date or version stamp, so builds agree."""
    if app.builder.format != "html":
        return
    import matplotlib

    matplotlib.use("Agg")
    import textwrap

    from matplotlib import pyplot as plt

    out = _preview_dir(app)
    out.mkdir(parents=True, exist_ok=True)
    fig = plt.figure(figsize=(12, 6.3), dpi=100)
    fig.patch.set_facecolor("#ffffff")
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    # The Okabe-Ito colours of the figures: a band of five, one per original BRICS member.
    for i, colour in enumerate(["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"]):
        ax.add_patch(plt.Rectangle((0.06 + i * 0.05, 0.8), 0.04, 0.04, color=colour))
    title = textwrap.fill(_book_title(app), 34)
    ax.text(0.06, 0.66, title, fontsize=46, weight="bold", va="top", color="#1a1a1a")
    ax.text(0.06, 0.12, "An open, rerunnable report: every number computed from public data",
            fontsize=19, color="#444444")
    fig.savefig(out / PREVIEW_NAME, dpi=100, metadata={"Software": None})
    plt.close(fig)
    static = list(app.config.html_static_path or [])
    if str(out) not in static:
        app.config.html_static_path = static + [str(out)]


def _book_title(app: Sphinx) -> str:
    # Jupyter Book gives the book's title to html_title and leaves Sphinx's project unset.
    return app.config.html_title or app.config.project


# --- per page -------------------------------------------------------------------------------

def _description(app: Sphinx, pagename: str, doctree) -> str:
    if pagename == app.config.root_doc:
        abstract = citation(ROOT).get("abstract")
        if abstract:
            return " ".join(str(abstract).split())
    if doctree is not None:
        for para in doctree.findall(nodes.paragraph):
            if para.next_node(nodes.Invisible) is not None:
                continue
            text = " ".join(para.astext().split())
            if len(text) >= 60:
                if len(text) > DESCRIPTION_CHARS:
                    text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
                return text
    return " ".join(str(citation(ROOT).get("abstract", "")).split())


VIEWPORT = re.compile(r'\s*<meta name="viewport"[^>]*>\s*')


def _page_meta(app: Sphinx, pagename: str, templatename, context, doctree) -> None:
    """Description, Open Graph and one viewport tag (Sphinx's layout writes one; the tag docutils
    puts into ``metatags`` and the one pydata's layout adds are dropped)."""
    tags = VIEWPORT.sub("\n", context.get("metatags", "") or "")
    pathto = context["pathto"]
    title = re.sub(r"<[^>]+>", "", context.get("title") or _book_title(app))
    description = _description(app, pagename, doctree)
    base = (app.config.html_baseurl or "").rstrip("/")
    image = (f"{base}/_static/{PREVIEW_NAME}" if base else pathto(f"_static/{PREVIEW_NAME}", 1))
    meta = [("name", "description", description),
            ("property", "og:title", title),
            ("property", "og:type", "article" if pagename != app.config.root_doc else "website"),
            ("property", "og:site_name", _book_title(app)),
            ("property", "og:description", description),
            ("property", "og:image", image),
            ("property", "og:image:width", "1200"), ("property", "og:image:height", "630"),
            ("property", "og:image:alt", f"Title card: {_book_title(app)}"),
            ("name", "twitter:card", "summary_large_image")]
    if base:
        meta.append(("property", "og:url", f"{base}/{pagename}.html"))
    tags += "".join(f'\n    <meta {attr}="{key}" content="{html.escape(value, quote=True)}" />'
                    for attr, key, value in meta)
    context["metatags"] = tags
    day = sourcedate.date(ROOT)
    context["bricsai_updated"] = f"{day.day} {day:%B %Y}"
    context["bricsai_updated_iso"] = day.isoformat()
    context["bricsai_version"] = app.config.release
    context["bricsai_vintage"] = _data_vintage()


def _download_menu(app: Sphinx, pagename: str, templatename, context, doctree) -> None:
    """The theme's download menu offers the raw source and ``window.print()`` labelled ".pdf";
    it gets the typeset PDF and, on notebook pages, the executed notebook instead."""
    from bricsai.book.sphinxext import NOTEBOOK_DIR, PDF_NAME, _is_notebook

    pathto = context["pathto"]
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = [{"type": "link", "url": pathto(PDF_NAME, 1), "text": "Report (PDF)",
                    "tooltip": "The whole report, typeset (PDF)", "icon": "fas fa-file-pdf",
                    "label": "download-report-pdf-button"}]
        if _is_notebook(app, pagename):
            buttons.append({"type": "link",
                            "url": pathto(f"{NOTEBOOK_DIR}/{Path(pagename).name}.ipynb", 1),
                            "text": "This chapter (.ipynb)",
                            "tooltip": "This chapter as a notebook with its outputs",
                            "icon": "fas fa-code", "label": "download-notebook-button"})
        group["buttons"] = buttons
        group["tooltip"] = "Download"


def _drop_stale_index(app: Sphinx, exception) -> None:
    """An incremental build keeps the genindex.html of an older configuration: removed."""
    if exception is None and app.builder.format == "html" and not app.config.html_use_index:
        (Path(app.outdir) / "genindex.html").unlink(missing_ok=True)


def setup(app: Sphinx):
    app.connect("config-inited", _configure, priority=600)
    app.connect("builder-inited", _write_preview)
    app.connect("html-page-context", _page_meta)
    app.connect("html-page-context", _download_menu, priority=510)
    app.connect("build-finished", _drop_stale_index)
    app.add_directive("citation-box", CitationBox)
    app.add_css_file("bricsai-chrome.css")
    app.add_js_file("bricsai-nav.js")
    app.add_js_file("bricsai-tables.js")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
