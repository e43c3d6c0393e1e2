"""The report restates the article in its own words.

Only short claims that the book checks may be quoted, inside quotation marks. Any run of 12 or
more words that also stands in the article, outside a quotation, fails this test. The article
itself is not part of the repository; the test is skipped where it is absent.
"""

from __future__ import annotations

import re

import pytest

from bricsai.paths import ROOT, shared_data_dir

ARTICLE = shared_data_dir().parent / "seed" / "article.txt"
RUN = 12
PROSE = [*ROOT.glob("book/**/*.md"), *ROOT.glob("notebooks/*.md"), ROOT / "README.md",
         ROOT / "data" / "claims.yml", ROOT / "data" / "pros_cons.yml"]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%']+", text.lower().replace("\u2019", "'"))


def outside_quotes(text: str) -> str:
    text = re.sub(r'"[^"]{0,400}"|\u201c[^\u201d]{0,400}\u201d', " ", text)
    return "\n".join(line for line in text.splitlines()
                     if not line.lstrip().startswith(">")
                     and not re.match(r"\s*-?\s*quote\s*:", line))


def copied_runs(text: str, source: str, run: int = RUN) -> list[str]:
    src = words(source)
    shingles = {tuple(src[i:i + run]) for i in range(len(src) - run + 1)}
    own = words(outside_quotes(text))
    return [" ".join(own[i:i + run]) for i in range(len(own) - run + 1)
            if tuple(own[i:i + run]) in shingles]


def test_detector_catches_a_copied_sentence():
    source = "one two three four five six seven eight nine ten eleven twelve thirteen"
    assert copied_runs("we say one two three four five six seven eight nine ten eleven twelve", source)
    assert not copied_runs('we quote "one two three four five six seven eight nine ten eleven '
                           'twelve" only', source)


@pytest.mark.skipif(not ARTICLE.exists(), reason="the seed article is not beside the repository")
@pytest.mark.parametrize("path", PROSE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sentence_copied_from_the_article(path):
    copied = copied_runs(path.read_text(encoding="utf-8"), ARTICLE.read_text(encoding="utf-8"))
    assert not copied, f"{path.relative_to(ROOT)} repeats the article word for word: {copied[:3]}"
