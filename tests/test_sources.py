"""Every source the book cites comes from the project's research notes or data provenance.

The book may only cite what the research notes (shared/research/facts.md) or the data sets'
provenance notes name; a bibliography entry whose web address points at a site neither of them
mentions is either a typo or a source nobody checked. The notes live beside the repository, not
in it, so the sites they name are also kept in ``fixtures/research_sites.txt``: the test reads
the notes where they are present (and then checks that the list is current) and the list where
they are not, so it never skips.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from bricsai.paths import ROOT, shared_data_dir

SHARED = shared_data_dir().parent
NOTES = [SHARED / "research" / "facts.md", *sorted(shared_data_dir().rglob("PROVENANCE.md"))]
SITES = Path(__file__).parent / "fixtures" / "research_sites.txt"
# Distributors that the provenance notes name in words rather than by address: the data sets'
# public repositories ("owner/name") and Our World in Data, which distributes the CSET series.
NAMED_IN_WORDS = {"github.com": "GitHub", "ourworldindata.org": "Our World in Data"}
# Sites found in later searches for the claims ledger (post-event reports of Xi's March 2023
# visit), which the research notes predate; each was read and is cited with the date it was
# read (urldate).
LEDGER_SEARCHES = {
    "republicworld.com": "agreements signed during Xi's Moscow visit, 22 Mar 2023",
    "thediplomaticinsight.com": "the two joint statements of the Moscow visit, 22 Mar 2023",
    "newindianexpress.com": "the economic plan to 2030 and energy, 21 Mar 2023",
    "obor.nea.gov.cn": "Xinhua on the economic plan to 2030, 23 Mar 2023",
}
# Sites found in later searches for the Russia–China chapter and the policy matrix (Gulf and
# Indian chip deals, the US order on secondary sanctions), which the research notes predate;
# each was read and is cited with the date it was read (urldate).
LATER_SEARCHES = {
    "kvia.com": "AP on Microsoft's investment in G42, 16 Apr 2024",
    "londonherald.co.uk": "FT on the US-Saudi AI deals, 13 May 2025",
    "hindustantimes.com": "IndiaAI Mission GPU capacity, 31 May 2025",
    "thompsonhinesmartrade.com": "Executive Order 14114 on foreign financial institutions",
}


def _host(url: str) -> str:
    host = urlparse(url.replace("\\", "")).hostname or ""
    return host.removeprefix("www.")


def cited_urls() -> list[str]:
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    # Both forms: howpublished = {\url{...}} and a plain url = {...} field.
    return re.findall(r"\\url\{([^}]+)\}", bib) + re.findall(r"^\s*url\s*=\s*\{([^}]+)\}", bib, re.M)


def test_bibliography_has_web_addresses():
    urls = cited_urls()
    assert len(urls) >= 40
    assert all(_host(u) for u in urls), [u for u in urls if not _host(u)]


def sites_in_notes() -> set[str]:
    """The sites the research and provenance notes name."""
    notes = " ".join(p.read_text(encoding="utf-8") for p in NOTES if p.exists())
    known = {_host(u) for u in re.findall(r"https?://[^\s)>\]\"'`|,]+", notes)}
    # Addresses written without a scheme ("hai.stanford.edu/ai-index").
    known |= {h.lower().removeprefix("www.")
              for h in re.findall(r"\b((?:[a-z0-9-]+\.)+[a-z]{2,})/", notes, re.I)}
    known |= {host for host, words in NAMED_IN_WORDS.items() if words in notes}
    return known - {""}


def committed_sites() -> set[str]:
    return {line.strip() for line in SITES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def test_committed_site_list_is_current():
    if not NOTES[0].exists():
        # Without the notes there is nothing to compare with; the list itself must be usable.
        assert len(committed_sites()) >= 40
        return
    missing = sorted(sites_in_notes() - committed_sites())
    assert not missing, f"sites named in the notes but not in {SITES.name}: {missing}"


def test_every_cited_site_is_in_the_research_notes():
    known = (sites_in_notes() if NOTES[0].exists() else committed_sites()) | set(LEDGER_SEARCHES) | set(LATER_SEARCHES)
    unknown = sorted({_host(u) for u in cited_urls()} - known)
    assert not unknown, f"cited sites that no research or provenance note names: {unknown}"
