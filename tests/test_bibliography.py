"""One citation style: author-year in the text and in the list, both in HTML and PDF.

The labels an author-year list needs (``Reuters, 2025a`` / ``2025b``) are recomputed here from
the .bib file with pybtex's parser, independently of the style that printed them.
"""

from __future__ import annotations

import html as htmllib
import re
import subprocess
from collections import defaultdict

import pytest
from pybtex.database import parse_file, parse_string

from bricsai.book import bibstyle, build
from bricsai.paths import ROOT

HTML = ROOT / "_build" / "html"
REFS = HTML / "book" / "references.html"
MONTHS = ("January February March April May June July August September October November "
          "December").split()


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


@pytest.fixture(scope="module")
def entries(built_book) -> list[dict]:
    """The bibliography as printed: [{id, label, text}]."""
    page = REFS.read_text("utf-8")
    found = []
    for ident, label, body in re.findall(
            r'<div class="citation" id="([^"]+)" role="doc-biblioentry">\s*<span class="label">'
            r'(.*?)</span>\s*</span>\s*<p>(.*?)</p>', page, re.S):
        found.append({"id": ident, "label": _text(label).strip("[]"), "text": _text(body), "html": body})
    assert len(found) >= 50, f"only {len(found)} entries in the bibliography"
    return found


def _surname(person) -> str:
    return " ".join(person.last_names).replace("{", "").replace("}", "")


def test_same_author_same_year_get_distinct_letters():
    """An independent count over the .bib file: every author with several entries in one year
    is printed with one letter per entry (a, b, ...) and every label is unique."""
    bib = parse_file(ROOT / "book" / "references.bib")
    groups = defaultdict(list)
    for key, entry in bib.entries.items():
        people = entry.persons.get("author", [])
        first = _surname(people[0]) if people else entry.fields["title"]
        groups[(first, len(people), entry.fields.get("year", "n.d."))].append(key)
    style = bibstyle.Style()
    ordered = list(style.sort(bib.entries.values()))
    labels = dict(zip((e.key for e in ordered), bibstyle.labels(ordered), strict=True))
    assert len(set(labels.values())) == len(labels), "two entries share a label"
    shared = [keys for keys in groups.values() if len(keys) > 1]
    assert shared, "the .bib file has no same-author same-year entries to check"
    for keys in shared:
        letters = sorted(labels[k][-1] for k in keys)
        assert letters == [chr(ord("a") + i) for i in range(len(keys))], {k: labels[k] for k in keys}
    for keys in groups.values():
        if len(keys) == 1:
            assert labels[keys[0]][-1].isdigit() or labels[keys[0]].endswith("n.d."), labels[keys[0]]


def test_labels_lettered_by_title_within_a_year():
    bib = parse_string("""
        @misc{b, author = {{Agency}}, title = {Beta}, year = {2025}}
        @misc{a, author = {{Agency}}, title = {Alpha}, year = {2025}}
        @misc{c, author = {{Agency}}, title = {Gamma}, year = {2024}}
        @misc{d, author = {Doe, Jane and Roe, Richard and Poe, Edgar}, title = {X}, year = {2025}}
    """, "bibtex")
    ordered = list(bibstyle.Style().sort(bib.entries.values()))
    labels = dict(zip((e.key for e in ordered), bibstyle.labels(ordered), strict=True))
    assert labels == {"c": "Agency, 2024", "a": "Agency, 2025a", "b": "Agency, 2025b",
                      "d": "Doe et al., 2025"}


def test_the_list_is_author_year_and_matches_the_labels(entries):
    labels = [e["label"] for e in entries]
    assert len(set(labels)) == len(labels), "duplicate labels in the list"
    for e in entries:
        author, year = e["label"].rsplit(", ", 1)
        assert f"({year})." in e["text"][: len(e["text"]) // 2 + 40], f"no ({year}) after the author: {e['text'][:80]}"
        first = author.replace(" et al.", "").split(" and ")[0]
        assert e["text"].startswith(first), f"entry does not start with its author: {e['text'][:80]}"


def test_citations_in_the_text_use_the_list_labels(entries, html_pages):
    by_id = {e["id"]: e["label"] for e in entries}
    seen = 0
    citation_link = r'<a class="reference internal" href="[^"]*references\.html#([^"]+)"[^>]*>(.*?)</a>'
    for page in html_pages:
        for href, text in re.findall(citation_link, page.read_text("utf-8")):
            if href not in by_id:
                continue
            seen += 1
            text = _text(text)
            author, year = by_id[href].rsplit(", ", 1)
            assert text in (by_id[href], year, f"{author} ({year})"), \
                f"{page.name}: cites {text!r} for the entry labelled {by_id[href]!r}"
    assert seen >= 50, f"only {seen} citations found in the text"


def test_acronyms_and_characters_survive(entries):
    text = " ".join(e["text"] for e in entries)
    assert "U.S." in text and "BRICS" in text
    for bad in ("U.s.", "Brics ", "\\$", "\\%", "{", "}"):
        assert bad not in text, f"the bibliography shows {bad!r}"
    assert "$1 bln" in text


def test_no_date_given_twice(entries):
    for e in entries:
        text = re.sub(r"https?://\S+", "", e["text"])
        text = re.sub(r"\(accessed [^)]*\)", "", text)
        months = "|".join(MONTHS)
        dates = re.findall(rf"(?<!\d )\b((?:\d{{1,2}} )?(?:{months}) \d{{4}})\b", text)
        # "March 2022. 22 March 2022." says one date twice, as does any exact repeat.
        days = {d for d in dates if d[0].isdigit()}
        repeated = [d for d in dates if dates.count(d) > 1
                    or (not d[0].isdigit() and any(x.endswith(" " + d) for x in days))]
        assert not repeated, f"a date given twice ({repeated}): {e['text'][:160]}"


def test_web_sources_have_access_dates(entries):
    with_url = [e for e in entries if 'class="reference external"' in e["html"]]
    assert len(with_url) >= 50
    for e in with_url:
        assert re.search(rf"\(accessed \d{{1,2}} (?:{'|'.join(MONTHS)}) \d{{4}}\)", e["text"]), e["text"][:120]


def test_entries_link_back_to_where_they_are_cited(entries):
    linked = 0
    for e in entries:
        links = re.findall(r'<span class="bricsai-cited-in">(.*?)</span>', e["html"], re.S)
        if not links:
            continue
        for href in re.findall(r'href="([^"]+)"', links[0]):
            linked += 1
            path, anchor = href.split("#")
            target = (REFS.parent / path).resolve()
            assert target.exists(), f"{e['label']}: back link to a missing page {href}"
            page = target.read_text("utf-8")
            span = re.search(rf'<span class="bibtex-citation" id="{anchor}">(.*?)</span>', page, re.S)
            assert span, f"{e['label']}: back link {href} does not point at a citation"
            assert f"references.html#{e['id']}" in span.group(1), \
                f"{e['label']}: the citation at {href} cites another source"
    assert linked >= len(entries) * 0.8, f"only {linked} back links for {len(entries)} entries"


def test_pdf_bibliography_is_author_year_without_labels(built_book):
    pdf = build.pdf_path(ROOT)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    text = re.sub(r"\s+", " ", text)
    assert "[Reuters, 2025" not in text, "the PDF list still shows bracketed labels"
    assert re.search(r"Reuters \(2025[abc]\)\.", text), "no author-year entry in the PDF list"
    assert re.search(r"\(Reuters, 2025[abc]", text), "no author-year citation in the PDF text"
