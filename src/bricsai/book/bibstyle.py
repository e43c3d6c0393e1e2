"""One citation style for the book: author-year in the text and in the list.

Registered with pybtex and sphinxcontrib-bibtex under the name ``bricsai`` (``_config.yml``:
``bibtex_default_style: bricsai``, ``bibtex_reference_style: bricsai``).

- The label of an entry is ``Author, Year`` with a letter when one author has several entries
  in one year (``Reuters, 2025a``, ``Reuters, 2025b``); the text cites exactly that label, so
  text and list always agree.
- The list entry starts with the same author and year, then the title as written in the .bib
  file (acronyms and proper nouns kept: no change of case), the publisher, the note, the address
  of the copy read and the date it was accessed (the entry's ``urldate``, else
  :data:`ACCESSED`, the day the research notes gathered the sources).
- A date is given once: the month appears only when the title or note does not already give it.
- LaTeX escapes in fields (``\\$``, ``\\%``, ``\\&``) come out as the characters they stand for.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pybtex.plugin
from pybtex.richtext import HRef, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle

NAME = "bricsai"
#: When a web source was read, for entries without a ``urldate`` (set from the book's config).
ACCESSED: str = ""

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
_MONTH_ABBR = {m[:3].lower(): m for m in MONTHS}
_URL = re.compile(r"\\url\{([^}]*)\}")


def _latex(text: str) -> Text:
    """A field's LaTeX as rich text: braces dropped, escaped characters unescaped."""
    # pybtex keeps the backslash of an escaped dollar ("\\$1 bln"); the others it decodes.
    return Text.from_latex(text.replace("\\$", "$"))


def _plain(text: str) -> str:
    return _latex(text).render_as("text")


def month_name(value: str) -> str:
    value = value.strip()
    if value.isdigit() and 1 <= int(value) <= 12:
        return MONTHS[int(value) - 1]
    return _MONTH_ABBR.get(value[:3].lower(), value)


def _person_last(person) -> str:
    return _plain(" ".join(person.prelast_names + person.last_names))


def _person_full(person, inverted: bool) -> str:
    """"Last, First" for the first author (the list is sorted by it), "First Last" after."""
    first = " ".join(person.first_names + person.middle_names)
    last = " ".join(person.prelast_names + person.last_names)
    if not first:
        return _plain(last)
    return _plain(f"{last}, {first}" if inverted else f"{first} {last}")


def _persons(entry) -> list:
    return list(entry.persons.get("author") or entry.persons.get("editor") or [])


def _others(person) -> bool:
    return _plain(" ".join(person.last_names)).lower() == "others"


def short_author(entry) -> str:
    """The author part of a label: an organisation or one surname, two surnames, or the first
    surname and "et al."."""
    people = _persons(entry)
    if not people:
        return _plain(entry.fields.get("title", entry.key))
    if len(people) == 1:
        return _person_last(people[0])
    if len(people) == 2 and not _others(people[1]):
        return f"{_person_last(people[0])} and {_person_last(people[1])}"
    return f"{_person_last(people[0])} et al."


def year_of(entry) -> str:
    return entry.fields.get("year", "").strip() or "n.d."


def labels(entries: Iterable) -> list[str]:
    """``Author, Year`` for each entry, in order, with a, b, c... added to the year for an author
    with several entries in one year (lettered in the order of ``entries``)."""
    entries = list(entries)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        groups[(short_author(entry), year_of(entry))].append(i)
    out = [""] * len(entries)
    for (author, year), members in groups.items():
        for n, i in enumerate(members):
            suffix = string.ascii_lowercase[n] if len(members) > 1 else ""
            out[i] = f"{author}, {year}{suffix}"
    return out


def split_label(label: str) -> tuple[str, str]:
    """``("Reuters", "2025a")`` from ``"Reuters, 2025a"``."""
    author, _, year = label.rpartition(", ")
    return author, year


class LabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        return iter(labels(sorted_entries))


class SortingStyle(BaseSortingStyle):
    """By author, then year, then title: the order of an author-year list."""

    def sorting_key(self, entry):
        return (short_author(entry).lower(), year_of(entry), _plain(entry.fields.get("title", "")).lower())


def _date_in(text: str, month: str, year: str) -> bool:
    return bool(month) and re.search(rf"\b{month}\s+{year}\b", text) is not None


def _accessed(entry) -> str:
    raw = entry.fields.get("urldate", "").strip() or ACCESSED
    if not raw:
        return ""
    day = dt.date.fromisoformat(raw)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class Style(BaseStyle):
    default_label_style = LabelStyle
    default_sorting_style = SortingStyle

    def __init__(self, **kwargs):
        kwargs.setdefault("label_style", LabelStyle)
        kwargs.setdefault("sorting_style", SortingStyle)
        super().__init__(**kwargs)

    def format_labels(self, sorted_entries):
        return iter(labels(sorted_entries))

    def format_entries(self, entries):
        sorted_entries = self.sort(entries)
        for label, entry in zip(labels(sorted_entries), sorted_entries, strict=True):
            yield self.format_entry(label, entry)

    def format_entry(self, label, entry, bib_data=None):
        return FormattedEntry(entry.key, self.format_text(label, entry), label)

    def format_text(self, label: str, entry) -> Text:
        fields = entry.fields
        author, year = split_label(label)
        people = _persons(entry)
        names = ([_person_full(p, i == 0) for i, p in enumerate(people) if not _others(p)]
                 + (["others"] if any(_others(p) for p in people) else []))
        who = (", ".join(names[:-1]) + " and " + names[-1]) if len(names) > 1 else (names[0] if names else author)
        who = who.replace(" and others", " et al.")
        parts: list = [Text(f"{who} ({year}). ")]
        title = _latex(fields.get("title", ""))
        parts.append(Tag("em", title) if entry.type in ("book", "techreport", "report") else title)
        parts.append(Text(". "))
        note = _plain(fields.get("note", "")).strip()
        month = month_name(fields.get("month", "")) if fields.get("month") else ""
        where = [_plain(fields[k]) for k in ("institution", "publisher", "journal", "address")
                 if fields.get(k)]
        howpublished = fields.get("howpublished", "")
        urls = _URL.findall(howpublished) + ([fields["url"]] if fields.get("url") else [])
        plain_how = _URL.sub("", howpublished).strip(" ,.")
        if plain_how:
            where.insert(0, _plain(plain_how))
        if where:
            parts.append(Text(", ".join(where) + ". "))
        # The month only where neither the title nor the note already dates the entry.
        if month and not _date_in(note + " " + title.render_as("text"), month, fields.get("year", "")):
            parts.append(Text(f"{month} {fields.get('year', '')}. "))
        if note:
            parts.append(Text(note.rstrip(".") + ". "))
        for url in dict.fromkeys(urls):
            parts.append(HRef(url, url))
            accessed = _accessed(entry)
            parts.append(Text(f" (accessed {accessed}). " if accessed else ". "))
        # No space after the last full stop.
        last = parts[-1]
        if isinstance(last, Text) and not isinstance(last, (HRef, Tag)) and str(last).endswith(" "):
            parts[-1] = Text(str(last).rstrip())
        return Text(*parts)


# --- in-text references (sphinxcontrib-bibtex) ----------------------------------------------

def _reference_style():
    from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, BracketStyle, GroupReferenceStyle
    from sphinxcontrib.bibtex.style.template import join, join2, node, post_text, pre_text, reference

    def paren():
        return BracketStyle(left="(", right=")", sep="; ")

    @node
    def label_author(children, data):
        return Text(split_label(data["formatted_entry"].label)[0])

    @node
    def label_year(children, data):
        return Text(split_label(data["formatted_entry"].label)[1])

    @node
    def label_full(children, data):
        return Text(data["formatted_entry"].label)

    @dataclass
    class Parenthetical(BaseReferenceStyle):
        """``{cite}`` / ``{cite:p}``: (Reuters, 2025a; Kyiv Post, 2025)."""

        bracket: BracketStyle = field(default_factory=paren)

        def role_names(self):
            return [f"{alt}p{full}" for alt in ["", "al"] for full in ["", "s"]]

        def outer(self, role_name, children):
            return self.bracket.outer(children, brackets="al" not in role_name, capfirst=False)

        def inner(self, role_name):
            return join2(sep1=" ", sep2=", ")[pre_text, reference[label_full], post_text]

    @dataclass
    class Textual(BaseReferenceStyle):
        """``{cite:t}``: Reuters (2025a)."""

        bracket: BracketStyle = field(default_factory=paren)

        def role_names(self):
            return [f"{cap}t{full}" for cap in ["", "c"] for full in ["", "s"]]

        def outer(self, role_name, children):
            return self.bracket.outer(children, brackets=False, capfirst="c" in role_name)

        def inner(self, role_name):
            return join(sep=" ")[
                label_author,
                join[self.bracket.left, join2(sep1=" ", sep2=", ")[pre_text, reference[label_year], post_text],
                     self.bracket.right]]

    @dataclass
    class Years(BaseReferenceStyle):
        """``{cite:year}``: 2025a."""

        def role_names(self):
            return ["year", "yearpar"]

        def outer(self, role_name, children):
            return paren().outer(children, brackets=role_name == "yearpar", capfirst=False)

        def inner(self, role_name):
            return reference[label_year]

    @dataclass
    class ReferenceStyle(GroupReferenceStyle):
        def __post_init__(self):
            self.styles.extend([Parenthetical(), Textual(), Years()])
            super().__post_init__()

    return ReferenceStyle


def register() -> None:
    if NAME not in pybtex.plugin.enumerate_plugin_names("pybtex.style.formatting"):
        pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, Style)
    from sphinxcontrib.bibtex import plugin as bibtex_plugin

    bibtex_plugin.register_plugin("sphinxcontrib.bibtex.style.referencing", NAME,
                                  _reference_style(), force=True)


def _configure(app, config) -> None:
    global ACCESSED
    ACCESSED = str(config.bricsai_sources_accessed or "")
    if ACCESSED:
        dt.date.fromisoformat(ACCESSED)  # a bad date fails the build here, named


def setup(app):
    register()
    app.add_config_value("bricsai_sources_accessed", "", "env")
    app.connect("config-inited", _configure)
    app.add_post_transform(_backlinks_transform())
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


# --- links back from the list to where each source is cited ----------------------------------

def _backlinks_transform():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class CitedIn(SphinxPostTransform):
        """Each entry of the bibliography ends with "Cited in:" and the pages that cite it: in
        HTML a link to the first citation on each page (sphinxcontrib-bibtex links back only
        within one page, and the book cites on other pages than the list's), in the PDF the
        titles of the chapters and sections."""

        default_priority = 6  # just after sphinxcontrib-bibtex builds the list (5)

        def apply(self, **kwargs) -> None:
            from sphinxcontrib.bibtex.domain import get_docnames

            domain = self.env.get_domain("cite")
            by_id = {c.citation_id: c.key for c in domain.citations}
            order = {doc: i for i, doc in enumerate(get_docnames(self.env))}
            builder = self.app.builder
            here = self.env.docname
            for citation in list(self.document.findall(nodes.citation)):
                key = next((by_id[i] for i in citation["ids"] if i in by_id), None)
                if key is None:
                    continue
                first: dict[str, str] = {}
                for ref in domain.citation_refs:
                    if key in {t.key for t in ref.targets}:
                        first.setdefault(ref.docname, ref.citation_ref_id)
                if not first:
                    continue
                para = citation.next_node(nodes.paragraph)
                if para is None:
                    continue
                span = nodes.inline("", " Cited in: ", classes=["bricsai-cited-in"])
                for n, doc in enumerate(sorted(first, key=lambda d: order.get(d, len(order)))):
                    if n:
                        span += nodes.Text(", ")
                    title = self.env.titles[doc].astext() if doc in self.env.titles else doc
                    if builder.format == "html":
                        uri = builder.get_relative_uri(here, doc) + "#" + first[doc]
                        span += nodes.reference("", title, refuri=uri, internal=True)
                    else:
                        span += nodes.emphasis("", title)
                span += nodes.Text(".")
                para += span

    return CitedIn
