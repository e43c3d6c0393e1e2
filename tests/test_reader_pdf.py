"""The PDF as a reader gets it: front matter, numbered figures, fonts, margins, captions.

Pages are rendered to PNG in _build/screenshots/ for review; the margin check uses the same
renders, so a figure or table that runs off the text block fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from bricsai.book import build
from bricsai.book.sphinxext import TITLE_PAGE_DATASETS
from bricsai.paths import ROOT
from bricsai.sources import extracts

SHOTS = ROOT / "_build" / "screenshots"
HTML = ROOT / "_build" / "html"


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"-\s*\n\s*", "", text)  # words hyphenated across lines
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.fixture(scope="module")
def pdf(built_book) -> Path:
    path = build.pdf_path(ROOT)
    assert path.exists(), "no PDF was built"
    return path


@pytest.fixture(scope="module")
def reader(pdf):
    return PdfReader(pdf)


def _pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    # poppler keeps the spaces between words that pypdf loses in bold display fonts.
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run(cmd + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def full_text(pdf) -> str:
    return _norm(_pdftotext(pdf))


@pytest.fixture(scope="module")
def renders(pdf) -> list[Path]:
    """Every page at 40 dpi (for the margin check); the first pages also at 80 dpi for review."""
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: run `make setup` (Debian package poppler-utils)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-gray", str(pdf), str(SHOTS / "pdf-lo")],
                   check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-l", "12", str(pdf), str(SHOTS / "pdf-page")],
                   check=True)
    return sorted(SHOTS.glob("pdf-lo-*.png"))


def test_title_page_names_build_date_and_data_releases(pdf):
    first = _norm(_pdftotext(pdf, 1, 1))
    assert "brics" in first
    assert re.search(r"built \d{1,2} [a-z]+ 20\d\d", first), f"no build date on the title page: {first!r}"
    for name in TITLE_PAGE_DATASETS:
        citation = _norm(extracts.metadata(name)["citation"])
        assert citation in first, f"the title page lacks the {name} release {citation!r}"


def test_metadata_title_and_author(reader):
    meta = reader.metadata or {}
    assert "BRICS" in (meta.get("/Title") or "")
    assert (meta.get("/Author") or "").strip(), "the PDF names no author"


def test_table_of_contents(pdf):
    front = _norm(_pdftotext(pdf, 1, 5))
    assert "contents" in front
    assert "the brics bloc in numbers" in front


def test_fonts_are_embedded(pdf):
    if not shutil.which("pdffonts"):
        pytest.fail("pdffonts is missing: run `make setup` (Debian package poppler-utils)")
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    # Columns: name type encoding emb sub uni object ID; 'emb' is the fourth from the right.
    not_embedded = [r for r in rows if r.split()[-5] != "yes"]
    assert not not_embedded, "fonts not embedded:\n" + "\n".join(not_embedded)


def test_figures_are_numbered_and_captions_match_html(full_text, html_pages):
    captions = []
    for page in html_pages:
        for fig in re.findall(r"<figcaption>(.*?)</figcaption>", page.read_text("utf-8"), re.S):
            text = re.sub(r"<span class=\"caption-number\">.*?</span>", "", fig, flags=re.S)
            text = re.sub(r"<[^>]+>", " ", text)
            text = re.sub(r"Download the data \(CSV\)\.", "", text)
            captions.append(_norm(text))
    assert captions, "the HTML book has no figure captions"
    numbered = re.findall(r"\bfig(?:ure|\.) \d+\.\d+", full_text)
    assert len(numbered) >= len(captions), "the PDF has fewer numbered figures than the HTML"
    for caption in captions:
        head = caption[:60]
        assert head in full_text, f"caption not found in the PDF: {head!r}"


def _outline_titles(items) -> list[str]:
    titles = []
    for item in items:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(item.title)
    return titles


def test_no_raw_object_reprs(full_text):
    for marker in ("<figure size", "<axes", "<ipython.core", "object at 0x", "np.float64("):
        assert marker not in full_text, f"the PDF shows {marker!r}"


def test_one_bibliography(reader):
    """One bibliography in the bookmarks, and no empty chapter standing in for it."""
    titles = [t.lower() for t in _outline_titles(reader.outline)]
    assert sum("bibliography" in t or t == "references" for t in titles) == 1, titles


def test_nothing_crosses_the_margins(renders):
    """Left and right 12 mm of every page stay blank: figures and tables fit the text block."""
    from PIL import Image

    assert renders, "no page renders"
    problems = []
    for path in renders:
        img = Image.open(path).convert("L")
        w, h = img.size
        strip = max(1, int(w * 12 / 210))  # A4 is 210 mm wide
        for side, box in (("left", (0, 0, strip, h)), ("right", (w - strip, 0, w, h))):
            lo, _ = img.crop(box).getextrema()
            if lo < 200:
                problems.append(f"{path.name}: ink in the {side} margin")
    assert not problems, "\n".join(problems)


def test_no_blank_pages(renders):
    """Chapters start on the next page, not on the next right-hand page: no empty pages."""
    from PIL import Image

    blank = []
    for path in renders:
        img = Image.open(path).convert("L")
        w, h = img.size
        body = img.crop((0, int(h * 0.1), w, int(h * 0.88)))  # between running head and foot
        if body.getextrema()[0] > 200:
            blank.append(path.name)
    assert not blank, f"blank pages: {blank}"
