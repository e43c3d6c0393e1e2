"""The one date a build may write into its artefacts: ``SOURCE_DATE_EPOCH``.

Two builds of the same sources must give the same bytes, so nothing in the book may come from
the wall clock. Every date a build writes (the PDF's title page and metadata, the TeX file, the
PDF figures) comes from one number, chosen in this order:

1. ``SOURCE_DATE_EPOCH`` from the environment, when it is set (https://reproducible-builds.org);
2. the time of the last commit, when the book root is a git checkout (it holds ``.git``);
3. :data:`FALLBACK_EPOCH`, 2026-01-01 00:00 UTC, for a copy without its history (a tarball).

``FORCE_SOURCE_DATE=1`` makes TeX Live (xetex and xdvipdfmx) use it for its own dates too.
Standard library only: make's shortcut reads it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

FALLBACK_EPOCH = 1767225600  # 2026-01-01T00:00:00Z


def epoch(root: Path) -> int:
    """Seconds since 1970 (UTC) that stand for "now" in a build of ``root``."""
    configured = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if configured:
        try:
            return int(configured)
        except ValueError:
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, "
                             f"got {configured!r}") from None
    if (Path(root) / ".git").exists():
        try:
            out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            out = None
        if out is not None and out.returncode == 0 and out.stdout.strip().isdigit():
            return int(out.stdout.strip())
    return FALLBACK_EPOCH


def date(root: Path) -> dt.date:
    """The calendar date (UTC) of :func:`epoch`."""
    return dt.datetime.fromtimestamp(epoch(root), tz=dt.UTC).date()


def environ(root: Path) -> dict[str, str]:
    """The variables that fix every date of a build of ``root``."""
    return {"SOURCE_DATE_EPOCH": str(epoch(root)), "FORCE_SOURCE_DATE": "1"}
