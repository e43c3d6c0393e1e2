"""The frame around the report in the built HTML: download menu, metadata, citation, version,
last-updated date and data vintage, no empty index, no host named by default.

Expected values are read here from the files they come from (CITATION.cff, pyproject.toml,
CHANGELOG.md, the extracts' metadata), not from the code that wrote the pages.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import make_mini_book
from pybtex.database import parse_string

from bricsai.book import build, sourcedate
from bricsai.book.sphinxext import PDF_NAME
from bricsai.paths import EXTRACTS, ROOT

HTML = ROOT / "_build" / "html"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _rel(page: Path) -> str:
    return page.relative_to(HTML).as_posix()


def _resolves(page: Path, href: str) -> Path:
    return (page.parent / href.split("#")[0]).resolve()


def _cff() -> dict:
    return yaml.load((ROOT / "CITATION.cff").read_text("utf-8"), Loader=yaml.BaseLoader)


def _version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def _download_menu(text: str) -> str:
    match = re.search(r'<div class="dropdown dropdown-download-buttons">(.*?)</ul>', text, re.S)
    assert match, "no download menu"
    return match.group(1)


def test_download_menu_offers_the_pdf_and_the_notebook_only(html_pages):
    for page in html_pages:
        text = page.read_text("utf-8")
        if 'dropdown-download-buttons' not in text:
            continue  # search page: nothing to download
        menu = _download_menu(text)
        hrefs = re.findall(r'href="([^"]+)"', menu)
        assert "window.print" not in menu, f"{_rel(page)}: the menu offers the browser's print"
        assert not any("_sources/" in h for h in hrefs), f"{_rel(page)}: the menu offers raw source"
        assert [h for h in hrefs if h.endswith(PDF_NAME)], f"{_rel(page)}: no PDF in the menu"
        assert _resolves(page, hrefs[0]) == (HTML / PDF_NAME).resolve()
        notebooks = [h for h in hrefs if h.endswith(".ipynb")]
        if _rel(page).startswith("notebooks/"):
            assert len(notebooks) == 1, f"{_rel(page)}: menu lacks the notebook"
            assert _resolves(page, notebooks[0]).exists(), f"{_rel(page)}: dead notebook link"
        else:
            assert not notebooks, f"{_rel(page)}: a page that is no notebook offers one"
        assert len(hrefs) == 1 + len(notebooks), f"{_rel(page)}: unexpected menu items {hrefs}"


def test_viewport_meta_once(html_pages):
    for page in html_pages:
        count = len(re.findall(r'<meta name="viewport"', page.read_text("utf-8")))
        assert count == 1, f"{_rel(page)}: {count} viewport tags"


def test_description_and_open_graph_with_a_preview_image(html_pages):
    from PIL import Image

    for page in html_pages:
        text = page.read_text("utf-8")
        meta = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', text))
        for key in ("description", "og:title", "og:description", "og:image", "og:type"):
            assert meta.get(key, "").strip(), f"{_rel(page)}: no {key}"
        assert 50 <= len(meta["description"]) <= 300, f"{_rel(page)}: description {meta['description']!r}"
        image = _resolves(page, meta["og:image"])
        assert image.exists(), f"{_rel(page)}: preview image {meta['og:image']} missing"
        assert Image.open(image).size == (1200, 630)
    intro = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"',
                            (HTML / "book" / "intro.html").read_text("utf-8")))
    assert intro["description"] == " ".join(_cff()["abstract"].split())


def test_favicon_on_every_page(html_pages):
    for page in html_pages:
        match = re.search(r'<link rel="icon" href="([^"]+)"', page.read_text("utf-8"))
        assert match, f"{_rel(page)}: no favicon"
        assert _resolves(page, match.group(1)).exists(), f"{_rel(page)}: favicon missing"


def test_no_empty_general_index(html_pages):
    """The book has no index entries: no genindex page, and no link to one."""
    assert not (HTML / "genindex.html").exists()
    for page in html_pages:
        assert "genindex.html" not in page.read_text("utf-8"), f"{_rel(page)} links to genindex"


def test_no_host_named_by_default(html_pages):
    """Without a configured repository there is no repository or launch button."""
    for page in html_pages:
        text = page.read_text("utf-8")
        for marker in ("btn-source-repository-button", "btn-launch", "executablebooks",
                       "mybinder.org", "dropdown-launch-buttons"):
            assert marker not in text, f"{_rel(page)} shows {marker!r}"


def test_every_page_shows_last_updated_version_and_data_vintage(html_pages):
    day = sourcedate.date(ROOT)
    updated = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    from bricsai.book.sphinxext import TITLE_PAGE_DATASETS

    citations = [json.loads((EXTRACTS / f"{n}.meta.json").read_text("utf-8"))["citation"]
                 for n in TITLE_PAGE_DATASETS]
    for page in html_pages:
        text = page.read_text("utf-8")
        match = re.search(r'<p class="bricsai-edition">(.*?)</p>', text, re.S)
        assert match, f"{_rel(page)}: no last-updated line"
        line = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1)))
        assert f"Last updated {updated}" in line, f"{_rel(page)}: {line!r}"
        assert f"version {_version()}" in line
        for citation in citations:
            assert citation in line, f"{_rel(page)}: data vintage lacks {citation!r}"


def test_versions_agree():
    cff = _cff()
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    newest = re.search(r"^## \[([^\]]+)\]", changelog, re.M)
    assert cff["version"] == _version(), "CITATION.cff and pyproject.toml give different versions"
    assert newest and newest.group(1) == _version(), "CHANGELOG.md's newest entry is not the version"


def test_changelog_page(built_book):
    page = (HTML / "book" / "changelog.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    assert f"This is version {_version()}" in re.sub(r"\s+", " ", text)
    for version in re.findall(r"^## \[([^\]]+)\]", (ROOT / "CHANGELOG.md").read_text("utf-8"), re.M):
        assert version in text


def test_citation_box_on_landing_page(built_book):
    import html as htmllib

    page = (HTML / "book" / "intro.html").read_text("utf-8")
    box = re.search(r'<div class="bricsai-cite docutils container">(.*?)</div>\s*</div>\s*</div>', page, re.S)
    assert box, "no citation box on the landing page"
    blocks = [htmllib.unescape(re.sub(r"<[^>]+>", "", b))
              for b in re.findall(r"<pre>(.*?)</pre>", box.group(1), re.S)]
    assert len(blocks) == 2, "the box should hold a plain citation and a BibTeX entry"
    cff = _cff()
    year = cff["date-released"][:4]
    plain, bibtex = blocks
    assert cff["title"] in plain and f"({year})" in plain and f"Version {_version()}" in plain
    assert cff["authors"][0]["name"] in plain
    entry = next(iter(parse_string(bibtex, "bibtex").entries.values()))
    assert entry.fields["title"].strip("{}") == cff["title"]
    assert entry.fields["year"] == year
    assert entry.fields["version"] == _version()
    assert str(entry.persons["author"][0]).strip("{}") == cff["authors"][0]["name"]


@pytest.mark.book
def test_repository_and_launch_buttons_appear_when_configured(tmp_path):
    """A repository URL in _config.yml brings the repository button; without it (the real
    book) there is none (test_no_host_named_by_default)."""
    root = make_mini_book(tmp_path, "# Page\n\n```{code-cell} ipython3\nx = 1\n```\n")
    config = (root / "_config.yml").read_text("utf-8")
    assert re.search(r'^repository:\n  url: ""$', config, re.M), "the book names a repository"
    config = re.sub(r'^(repository:\n  url: )""$', r'\1"https://example.org/someone/bricsai"',
                    config, flags=re.M)
    config = re.sub(r'^(  binderhub_url: )""$', r'\1"https://binder.example.org"', config, flags=re.M)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    result = build.run_build(root, "html")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    page = (root / "_build" / "html" / "notebooks" / "page.html").read_text("utf-8")
    assert "https://example.org/someone/bricsai" in page
    assert "btn-source-repository-button" in page
    assert "binder.example.org" in page, "no launch button although a BinderHub is configured"
