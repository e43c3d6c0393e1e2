"""The raw files tests read: ``data/raw``, with committed stand-ins for the files the repository
may not carry (``tests/fixtures/raw``, same formats, made-up values; see make_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

from bricsai.paths import RAW
from bricsai.sources import raw

FIXTURES = Path(__file__).parent / "fixtures" / "raw"


def absent() -> list[str]:
    """Manifest paths that are not in data/raw (not redistributable and not fetched)."""
    return [rel for rel in raw.load() if not (RAW / rel).is_file()]


def complete(into: Path) -> Path:
    """A folder with every raw file: data/raw where present, else the committed fixture.

    Symlinks, so nothing is copied; a missing fixture for an absent file is an error here,
    not a skip later.
    """
    missing = absent()
    if not missing:
        return RAW
    for rel in raw.load():
        src = RAW / rel if (RAW / rel).is_file() else FIXTURES / rel
        if not src.is_file():
            raise FileNotFoundError(f"{rel}: neither in data/raw nor in tests/fixtures/raw")
        dst = into / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.symlink_to(src.resolve())
    return into
