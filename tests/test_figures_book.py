"""The figures of the built book: vector images in HTML and PDF, a finding title for each,
a table of each figure's data under it in HTML (nowhere in the PDF), and a download bundle."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from bricsai.book import build
from bricsai.paths import EXTRACTS, RAW, ROOT
from bricsai.present import figures

HTML = ROOT / "_build" / "html"
LATEX = ROOT / "_build" / "latex"


@pytest.fixture(scope="module")
def figure_pages(built_book, html_pages) -> dict[str, BeautifulSoup]:
    """Every HTML page that shows a recorded figure, parsed."""
    out = {}
    for page in html_pages:
        text = page.read_text(encoding="utf-8")
        if 'id="fig-' in text:
            out[page.relative_to(HTML).as_posix()] = BeautifulSoup(text, "html.parser")
    assert out, "no page of the book shows a figure"
    return out


def _figures(soup):
    return [f for f in soup.find_all("figure") if (f.get("id") or "").startswith("fig-")]


def test_every_figure_is_svg_in_html_and_links_to_itself(figure_pages):
    problems = []
    for rel, soup in figure_pages.items():
        for fig in _figures(soup):
            imgs = fig.find_all("img")
            if not imgs or not all(i["src"].endswith(".svg") for i in imgs):
                problems.append(f"{rel} {fig['id']}: not SVG: {[i['src'] for i in imgs]}")
            for img in imgs:
                link = img.find_parent("a")
                if link is None or link.get("href") != img["src"]:
                    problems.append(f"{rel} {fig['id']}: the image does not open at full size")
                svg = (HTML / Path(rel).parent / img["src"]).resolve()
                head = svg.read_text(encoding="utf-8")[:2000] if svg.exists() else ""
                if "<svg" not in head:
                    problems.append(f"{rel} {fig['id']}: {img['src']} is not an SVG file")
    assert not problems, "\n".join(problems)


def test_every_figure_is_vector_in_the_pdf(built_book):
    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    graphics = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([^}]*)\}(\.\w+)\}", tex)
    records = list(figures.RECORD_DIR.glob("fig-*.json"))
    assert len(graphics) >= len(records) > 0
    assert {ext for _, ext in graphics} == {".pdf"}, graphics
    # vector: the PDF holds no raster image the size of a figure
    import subprocess

    listing = subprocess.run(["pdfimages", "-list", str(build.pdf_path(ROOT))], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    large = [line for line in listing if int(line.split()[3]) * int(line.split()[4]) > 200 * 200]
    # a heatmap's colour grid and colour bar are embedded as small images by matplotlib; a
    # figure drawn as a raster would be hundreds of pixels wide *and* show up once per figure
    assert len(large) <= 1, large


def test_latex_text_width_is_the_one_figures_are_checked_against(built_book):
    log = (LATEX / "book.log").read_text(encoding="utf-8", errors="replace")
    found = re.search(r"bricsai-textwidth=([\d.]+)pt", log)
    assert found, "the LaTeX log does not state the text width"
    inches = float(found.group(1)) / 72.27
    assert inches == pytest.approx(figures.PRINT_WIDTH_IN, rel=0.01)


def test_every_figure_has_a_finding_title(built_book):
    records = [json.loads(p.read_text()) for p in sorted(figures.RECORD_DIR.glob("fig-*.json"))]
    missing = [r["name"] for r in records if not r.get("title")]
    assert not missing, f"figures without a title that states the finding: {missing}"


def _csv_rows(name: str) -> list[list[str]]:
    with open(figures.RECORD_DIR / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _same_rounded(shown: str, value: str) -> bool:
    """A table cell shows a CSV value: text as it is, true/false as yes/no, numbers rounded to
    at least four significant figures (thousands separated)."""
    if value in ("True", "False"):
        return shown == {"True": "yes", "False": "no"}[value]
    try:
        exact = float(value)
    except ValueError:
        return shown == value
    return math.isclose(float(shown.replace(",", "")), exact, rel_tol=5e-4, abs_tol=1e-12)


def test_table_under_each_figure_has_its_data(figure_pages):
    from bricsai.book.sphinxext import TABLE_MAX_ROWS

    seen = 0
    for rel, soup in figure_pages.items():
        for fig in _figures(soup):
            box = soup.find("div", attrs={"class": "bricsai-figdata", "data-figure": fig["id"]})
            assert box is not None, f"{rel}: no data table under {fig['id']}"
            details = box.find("details")
            assert details.find("summary").get_text(strip=True)
            region = details.find("div", class_="bricsai-tablewrap")
            assert region.get("tabindex") == "0" and region.get("role") == "region"
            caption = soup.find(id=region["aria-labelledby"]).get_text()
            record = figures.read_record(fig["id"])
            assert record["title"] in caption
            table = region.find("table")
            header = [th.get_text() for th in table.find("thead").find_all("th")]
            body = [[td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
            rows = _csv_rows(fig["id"])
            assert header == rows[0], f"{fig['id']}: table header differs from the CSV"
            expected = rows[1:TABLE_MAX_ROWS + 1]
            assert len(body) == len(expected), f"{fig['id']}: table has another number of rows than the CSV"
            for shown, row in zip(body, expected, strict=True):
                for cell, value in zip(shown, row, strict=True):
                    assert _same_rounded(cell, value), f"{fig['id']}: {cell!r} shown for {value!r}"
            links = {a["href"].rsplit("/", 1)[-1] for a in box.find_all("a")}
            assert {f"{fig['id']}.zip", f"{fig['id']}.csv"} <= links
            seen += 1
    assert seen == len(list(figures.RECORD_DIR.glob("fig-*.json")))


def test_data_tables_stay_out_of_the_pdf(built_book):
    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    assert "Show the data as a table" not in tex and "bricsai-figdata" not in tex
    css = (HTML / "_static" / "bricsai.css").read_text(encoding="utf-8")
    assert re.search(r"@media print\s*\{[^}]*\.bricsai-figdata\s*\{\s*display:\s*none", css)


def test_each_bundle_has_csv_description_and_raw_files(built_book):
    for path in sorted(figures.RECORD_DIR.glob("fig-*.json")):
        record = json.loads(path.read_text())
        name = record["name"]
        with zipfile.ZipFile(HTML / figures.HTML_DATA_DIR / f"{name}.zip") as zf:
            files = {n[len(name) + 1:]: zf.read(n) for n in zf.namelist()}
        assert files["data.csv"] == (figures.RECORD_DIR / f"{name}.csv").read_bytes()
        readme = files["README.md"].decode()
        package = json.loads(files["datapackage.json"])
        assert record["title"] in readme and package["title"] == record["title"]
        assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == _csv_rows(name)[0]
        code = files["code.py"].decode()
        # the cell, and the source of the package functions it calls when it is a thin call
        assert "publish_figure" in code or "def draw_" in code, f"{name}: no recipe in code.py"
        listed = yaml.safe_load((RAW / "manifest.yml").read_text())["files"]
        for dataset in record["datasets"]:
            meta = json.loads((EXTRACTS / f"{dataset}.meta.json").read_text())
            for text in (meta["licence"], meta["release"], meta["citation"]):
                assert text in readme, f"{name}: README lacks {text!r}"
            for item in meta["inputs"]:
                entry = listed[item["path"]]
                assert entry["sha256"] in readme
                raw = files.get(f"raw/{item['path']}")
                if not entry["redistributable"] and raw is None:
                    continue  # listed by checksum, not carried (its licence)
                assert raw is not None, f"{name}: raw file {item['path']} missing"
                assert hashlib.sha256(raw).hexdigest() == entry["sha256"]


def test_figure_source_csvs_parse(built_book):
    for path in sorted((HTML / figures.HTML_DATA_DIR).glob("fig-*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows), path.name
