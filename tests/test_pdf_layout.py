"""The PDF looks typeset: nothing sticks out of its box, headings stay with their text, pages
are not left part-empty by floats, and the running heads name the right thing."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from bricsai.book import build
from bricsai.book.latexlayout import column_widths, text_width_em
from bricsai.paths import ROOT

LOG = ROOT / "_build" / "latex" / "book.log"
SHOTS = ROOT / "_build" / "screenshots"
MAX_OVERFULL_PT = 5.0


@pytest.fixture(scope="module")
def pdf(built_book):
    path = build.pdf_path(ROOT)
    assert path.exists(), "no PDF was built"
    return path


def _pages_text(pdf) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def test_no_overfull_box_wider_than_5pt(pdf):
    log = LOG.read_text("utf-8", errors="replace")
    boxes = re.findall(r"Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\)(.*?)\n(.*?)\n", log)
    assert "Output written" in log or boxes is not None
    wide = [f"{float(w):.1f} pt: {where.strip()} {text.strip()[:80]}"
            for w, where, text in boxes if float(w) > MAX_OVERFULL_PT]
    assert not wide, f"{len(wide)} overfull boxes wider than {MAX_OVERFULL_PT} pt:\n" + "\n".join(wide[:15])


def test_column_widths_leave_room_for_the_longest_word():
    rows = [["Extract", "Citation", "Rows"],
            ["epoch_notable_models", "Epoch AI, Data on AI Models, notable models (retrieved July 2026) "
             "and a long explanation that must wrap over several lines of the column", "1,550"]]
    widths = column_widths(rows)
    assert abs(sum(widths) - 45.0) < 0.01, "a table of running text takes the text width"
    assert widths[0] >= text_width_em("epoch_notable_models") + 1
    assert widths[2] >= text_width_em("Rows", bold=True) + 1
    assert widths[1] > widths[0] > widths[2]
    short = column_widths([["A", "B"], ["1", "2"]])
    assert sum(short) < 10, "a table of short cells stays narrow"


def _outline_pages(reader) -> dict[int, str]:
    """Page index -> title of each part or chapter that starts on it."""
    starts = {}

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                if depth < 1:
                    walk(item, depth + 1)
                continue
            try:
                starts.setdefault(reader.get_destination_page_number(item), item.title)
            except Exception:  # noqa: BLE001 - an outline item without a page
                pass

    walk(reader.outline, 0)
    return starts


def _bottom_blank(png) -> float:
    """Share of the text block (between running head and foot) left blank at its bottom."""
    from PIL import Image

    img = Image.open(png).convert("L")
    w, h = img.size
    top, bottom = int(h * 0.09), int(h * 0.89)
    body = img.crop((0, top, w, bottom))
    ink = [y for y in range(body.size[1]) if body.crop((0, y, w, y + 1)).getextrema()[0] < 160]
    return 1.0 if not ink else (body.size[1] - ink[-1]) / body.size[1]


def test_no_page_left_a_third_empty_by_floats(pdf):
    """A page may end short only where a part or chapter starts next (or at the end): anywhere
    else a gap of more than a third of the page means a float or table did not fit."""
    reader = PdfReader(pdf)
    starts = _outline_pages(reader)
    first_chapter = min(starts)
    out = SHOTS / "layout"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-gray", str(pdf), str(out / "p")], check=True)
    renders = sorted(out.glob("p-*.png"), key=lambda p: int(re.search(r"(\d+)\.png$", p.name).group(1)))
    problems = []
    for i, png in enumerate(renders[:-1]):
        if i < first_chapter or (i + 1) in starts:
            continue
        blank = _bottom_blank(png)
        if blank > 0.34:
            problems.append(f"page {i + 1}: {blank:.0%} of the text block empty (next page: "
                            f"{starts.get(i + 1, 'no new chapter')})")
    assert not problems, "\n".join(problems)


def test_no_heading_stranded_at_a_page_bottom(pdf):
    stranded = []
    for n, page in enumerate(_pages_text(pdf), start=1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        if len(lines) < 4:
            continue
        body = lines[:-1]  # the running foot
        last = body[-1]
        if re.match(r"^\d+(\.\d+)+\s+\S", last) and len(last) < 70 and not last.endswith("."):
            stranded.append(f"page {n}: {last!r}")
    assert not stranded, "headings at the bottom of a page:\n" + "\n".join(stranded)


def test_running_foot_never_says_contents_after_the_contents(pdf):
    pages = _pages_text(pdf)
    reader = PdfReader(pdf)
    first_chapter = min(_outline_pages(reader))
    toc_end = max(i for i, p in enumerate(pages[:first_chapter + 1]) if "contents" in p.lower()[:200] or i == 1)
    for n in range(toc_end + 1, len(pages)):
        lines = [ln.strip() for ln in pages[n].splitlines() if ln.strip()]
        if not lines:
            continue
        foot = lines[-1]
        assert "CONTENTS" not in foot.upper().split(), f"page {n + 1} has the foot {foot!r}"


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"-\s*\n\s*", "", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def test_figure_and_table_numbers_match_between_html_and_pdf(pdf, html_pages):
    """Fig. 3.2 and Table 5.1 are the same figure and table in both formats."""
    html_numbered = {}
    for page in html_pages:
        text = page.read_text("utf-8")
        for number, caption in re.findall(
                r'<span class="caption-number">((?:Fig\.|Table) \d+(?:\.\d+)*) </span>'
                r'<span class="caption-text">(.*?)</span>', text, re.S):
            html_numbered[number] = _norm(re.sub(r"<[^>]+>", "", caption))[:40]
    assert len(html_numbered) >= 10, f"only {len(html_numbered)} numbered figures and tables in the HTML"
    pdf_text = _norm(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                    capture_output=True, text=True, check=True).stdout)
    wrong = []
    for number, head in sorted(html_numbered.items()):
        if f"{number.lower()}: {head[:30]}" not in pdf_text:
            found = re.search(re.escape(head[:30]), pdf_text)
            near = pdf_text[max(0, found.start() - 20):found.start()] if found else "not found"
            wrong.append(f"{number} {head[:30]!r}: in the PDF as {near!r}")
    assert not wrong, "numbers differ between HTML and PDF:\n" + "\n".join(wrong)
