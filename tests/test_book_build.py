"""The book builds cleanly to HTML and PDF, and the build gate bites.

The gate tests build small temporary books that share the real book's _config.yml and
extension, so they prove that *this* configuration fails on a raising cell, a broken
cross-reference and an unknown citation key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import make_mini_book
from pypdf import PdfReader

from bricsai.book import build
from bricsai.book.sphinxext import PDF_NAME
from bricsai.paths import ROOT

HTML = ROOT / "_build" / "html"
WARNING = re.compile(r"\bWARNING\b|\bERROR\b|Traceback \(most recent call last\)")


def _output(result) -> str:
    return result.stdout + "\n" + result.stderr


@pytest.mark.parametrize("builder", ["html", "pdflatex"])
def test_build_succeeds_without_warnings(built_book, builder):
    assert builder in built_book, f"the {builder} build did not run (an earlier build failed)"
    result = built_book[builder]
    output = _output(result)
    bad = [line for line in output.splitlines() if WARNING.search(line)]
    assert result.returncode == 0, (f"{builder} build failed:\n" + "\n".join(bad[:20])
                                    + "\n---\n" + result.stderr[-3000:])
    assert not bad, f"{builder} build printed warnings or errors:\n" + "\n".join(bad[:20])


def test_no_error_output_on_any_page(html_pages):
    for page in html_pages:
        text = page.read_text(encoding="utf-8")
        for marker in ("Traceback (most recent call last)", "output traceback", "output stderr",
                       "<Figure size", "<Axes", "object at 0x", "np.float64("):
            assert marker not in text, f"{page.relative_to(HTML)} shows {marker!r}"


def test_every_page_links_to_the_pdf(html_pages):
    pdf = HTML / PDF_NAME
    assert pdf.exists(), "the PDF was not copied into the HTML site"
    for page in html_pages:
        hrefs = re.findall(r'href="([^"]*' + re.escape(PDF_NAME) + ')"', page.read_text("utf-8"))
        assert hrefs, f"{page.relative_to(HTML)} has no link to the PDF"
        for href in hrefs:
            assert (page.parent / href).resolve() == pdf.resolve(), (page, href)


def test_pdf_has_title_page_and_contents(built_book):
    pdf = build.pdf_path(ROOT)
    assert pdf.exists()
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3
    title = (reader.metadata or {}).get("/Title", "")
    first = reader.pages[0].extract_text()
    assert "BRICS" in first, "the first PDF page is not the title page"
    assert "BRICS" in title, f"PDF metadata title is {title!r}"
    front = " ".join(reader.pages[i].extract_text() for i in range(min(4, len(reader.pages))))
    assert "contents" in front.lower(), "no table of contents in the first pages of the PDF"


def test_notebooks_offered_as_ipynb(html_pages):
    for page in html_pages:
        rel = page.relative_to(HTML)
        if rel.parts[0] != "notebooks":
            continue
        target = HTML / "_notebooks" / (page.stem + ".ipynb")
        assert target.exists(), f"{rel}: executed notebook not published"
        assert f"_notebooks/{page.stem}.ipynb" in page.read_text("utf-8")
        nb = json.loads(target.read_text("utf-8"))
        outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
        assert outputs, f"{rel}: the downloadable notebook has no outputs"


def test_html_requests_no_other_host(html_pages):
    """Scripts, styles, fonts and images all come from the book itself."""
    pattern = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="(https?:)?//',
                         re.I)
    for page in html_pages:
        text = page.read_text("utf-8")
        match = pattern.search(text)
        assert match is None, f"{page.relative_to(HTML)} loads {match.group(0)!r}"
    assert (HTML / "mathjax" / "tex-chtml.js").exists(), "MathJax is not served by the book"


# --- the gate bites ---------------------------------------------------------------------

# Every page executes a cell, as real chapters do (nbclient's clean-up of a notebook with no
# code cell at all is racy and can crash the build for an unrelated reason).
CELL = "```{code-cell} ipython3\nx = 1 + 1\n```\n"


def _build_fails(root: Path) -> str:
    result = build.run_build(root, "html")
    output = _output(result)
    assert result.returncode != 0, f"the build should have failed:\n{output[-3000:]}"
    return output


def test_mini_book_builds_clean(tmp_path):
    """The control: without a fault the temporary book builds, so the failures below are real."""
    root = make_mini_book(tmp_path, "# Page\n\n```{code-cell} ipython3\nx = 1 + 1\n```\n")
    result = build.run_build(root, "html")
    assert result.returncode == 0, _output(result)[-3000:]


def test_raising_cell_fails_the_build(tmp_path):
    root = make_mini_book(tmp_path, "# Page\n\n```{code-cell} ipython3\n"
                                "raise RuntimeError('deliberate failure 4711')\n```\n")
    output = _build_fails(root)
    assert "deliberate failure 4711" in output
    assert "notebooks/page" in output


def test_broken_cross_reference_fails_the_build(tmp_path):
    root = make_mini_book(tmp_path, "# Page\n\n" + CELL + "\nSee {ref}`no-such-label-4711`.\n")
    output = _build_fails(root)
    assert "no-such-label-4711" in output
    assert "undefined label" in output


def test_unknown_citation_key_fails_the_build(tmp_path):
    root = make_mini_book(tmp_path, "# Page\n\n" + CELL + "\nAs shown {cite}`nosuchkey4711`.\n")
    output = _build_fails(root)
    assert "nosuchkey4711" in output
    assert "could not find bibtex key" in output


def test_every_figure_has_caption_alt_source_and_data(html_pages):
    """Each figure: a numbered caption, alt text that says something, a source line, and a
    link to the CSV of its data that resolves inside the site."""
    figures_seen = 0
    for page in html_pages:
        text = page.read_text("utf-8")
        for fig in re.findall(r"<figure\b.*?</figure>", text, re.S):
            figures_seen += 1
            where = f"{page.relative_to(HTML)}: {fig[:120]!r}"
            caption = re.search(r"<figcaption>(.*?)</figcaption>", fig, re.S)
            assert caption, f"figure without caption in {where}"
            assert "Source:" in caption.group(1), f"caption without a source line in {where}"
            alt = re.search(r'<img[^>]*\balt="([^"]*)"', fig)
            assert alt and len(alt.group(1).split()) >= 6, f"figure without real alt text in {where}"
            csv = re.search(r'href="([^"]+\.csv)"', caption.group(1))
            assert csv, f"caption without a data link in {where}"
            assert (page.parent / csv.group(1)).resolve().exists(), f"dead data link in {where}"
    assert figures_seen >= 10, f"only {figures_seen} figures in the book"


def test_math_only_where_intended(html_pages):
    """Dollar signs in prose ("$109.1 billion ... $9.3 billion") must not turn into math."""
    intended = {"book/methods.html"}
    with_math = {p.relative_to(HTML).as_posix() for p in html_pages
                 if 'class="math notranslate' in p.read_text("utf-8")}
    assert with_math <= intended, f"unexpected math on {sorted(with_math - intended)}"
    assert intended <= with_math, "the methods page lost its formula"
