"""Where the project's files live, found from the package itself.

Notebooks and tests call these instead of relying on the working directory, so that a notebook
runs the same from JupyterLab, from the book build or from a test.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
# BRICSAI_EXTRACTS points the package at another folder of extracts: `make fetch` computes the
# book's headline numbers from the extracts it is about to install, in a separate process.
EXTRACTS = Path(os.environ["BRICSAI_EXTRACTS"]) if os.environ.get("BRICSAI_EXTRACTS") else DATA / "extracts"
# The publishers' files as published (see data/raw/manifest.yml); `make data` reads only these.
RAW = DATA / "raw"


def shared_data_dir() -> Path:
    """The read-only raw snapshots (``../shared/data`` beside the repository by default).

    ``BRICSAI_SHARED`` overrides the location of ``shared/`` for machines that keep it elsewhere.
    """
    shared = Path(os.environ.get("BRICSAI_SHARED", ROOT.parent / "shared"))
    return shared / "data"
