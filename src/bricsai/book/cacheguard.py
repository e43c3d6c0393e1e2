"""Sphinx extension: the execution cache never serves a result computed from other inputs.

Jupyter Book 1 keys a cached notebook on its code cells only, and Sphinx decides which pages to
read again by modification time. Neither notices a change in what the notebooks read (the
``bricsai`` package, ``data/``), nor a file that changed but kept its old mtime. This guard
closes both gaps:

- **Inputs.** The SHA-256 of every file the notebooks' results depend on beyond their own code
  (the package, ``data/``, ``_config.yml``, ``requirements.lock``, ``book/references.bib``;
  ``bricsai_watch_paths`` overrides the list), with the build's ``SOURCE_DATE_EPOCH`` (the PDF
  figures in a notebook's outputs carry that date), is kept *inside* the execution cache
  folder, in :data:`RECORD`. It is written before any notebook executes, so whatever a build puts into the
  cache, even a build that fails half-way, is stamped with the inputs it ran under.
- **Unknown or different inputs empty the cache.** When the record is missing (first build,
  cache deleted, record from an older version) or names other inputs, the guard deletes the
  execution cache and the notebooks' side files (glued values, figure records: they are
  written while a notebook executes and are not restored from the cache), then has every page
  read again. A failed build can therefore never leave outputs that a later build with other
  inputs serves as current, and deleting the cache alone is a complete recovery.
- **Side files.** After a successful build the guard lists the side files; a later build that
  finds one of them gone starts from an empty cache as well, since the notebook that wrote it
  would otherwise not run again.
- **Pages by content.** The guard keeps each page's SHA-256 (with the files it includes) and
  reads again every page whose content changed, whatever its mtime.
- **Deleted pages.** The pages whose table of contents listed a deleted page are read again,
  so that the build reports the dangling entry as a clean build does.
- **Values pasted from other pages.** A page that pastes a value glued by another notebook
  (``{glue:text}`../notebooks/x.md::key```) is read again whenever that notebook is: myst-nb
  resolves the value when it writes the page, but Sphinx would not write the page again.

Notebooks that then miss the cache run in parallel (:mod:`bricsai.book.execute_ahead`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from bricsai.book import fingerprint
from bricsai.book.build import side_dirs
from bricsai.book.execute_ahead import execute_ahead
from bricsai.paths import DATA, ROOT

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the whole bricsai package
RECORD = "bricsai-inputs.json"
EPOCH_KEY = "(SOURCE_DATE_EPOCH)"
# Files beside the notebooks' code that their results depend on (relative to the book root);
# the package and data/ come from where the notebooks import them.
ROOT_INPUTS = ("_config.yml", "requirements.lock", "book/references.bib")


def cache_dir(app: Sphinx) -> Path:
    """The execution cache folder this build uses (as myst-nb resolves it)."""
    config = getattr(app.env, "mystnb_config", None)
    configured = getattr(config, "execution_cache_path", None) or app.config.nb_execution_cache_path
    return Path(configured or Path(app.outdir).parent / ".jupyter_cache")


def watched_paths(app: Sphinx) -> list[Path]:
    """What the notebooks' results depend on beyond their own code cells: the default list,
    or the ``bricsai_watch_paths`` setting (relative to the book root)."""
    configured = app.config.bricsai_watch_paths
    if configured is None:
        return [PACKAGE_DIR, DATA, *(Path(app.confdir) / p for p in ROOT_INPUTS)]
    return [(Path(app.confdir) / p).resolve() for p in configured]


def side_file_dirs() -> dict[str, Path]:
    """Where the notebooks of this build write their side files (as the kernels see it)."""
    return {var: Path(os.environ.get(var, default)) for var, default in side_dirs(ROOT).items()}


def _side_files(dirs: dict[str, Path]) -> dict[str, list[str]]:
    return {var: sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file())
            if d.is_dir() else [] for var, d in dirs.items()}


def read_record(cache: Path) -> dict | None:
    try:
        record = json.loads((cache / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and "inputs" in record else None


def _write_record(cache: Path, record: dict) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / (RECORD + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, cache / RECORD)


def stale_reason(record: dict | None, inputs: dict[str, str], dirs: dict[str, Path]) -> str | None:
    """Why the cache cannot be trusted, or None when it can."""
    if record is None:
        return "the execution cache has no record of the inputs it was computed from"
    diff = fingerprint.changes(record["inputs"], inputs)
    if any(diff.values()):
        return f"the notebooks' inputs changed ({fingerprint.describe(diff)})"
    for var, names in (record.get("side_files") or {}).items():
        gone = [n for n in names if not (dirs[var] / n).is_file()] if var in dirs else names
        if gone:
            return f"side files of executed notebooks are missing ({', '.join(gone[:3])})"
    return None


def _empty(cache: Path, dirs: dict[str, Path]) -> None:
    for folder in (cache, *dirs.values()):
        if folder.exists():
            shutil.rmtree(folder)


def _page_digest(env, docname: str) -> str | None:
    paths = [Path(env.doc2path(docname))]
    paths += [Path(env.srcdir) / dep for dep in sorted(env.dependencies.get(docname, ()))]
    named = {}
    for path in paths:
        try:
            named[str(path)] = fingerprint.sha256_file(path)
        except OSError:
            return None
    return fingerprint.combine(named)


# The document part of a cross-document glue reference: {glue:text}`../notebooks/x.md::key`
# (role) or ```{glue:figure} ../notebooks/x.md::key (directive).
GLUE_FROM = re.compile(r"\{glue(?::[\w-]+)?\}\s*`?([^`\s]+?)::")


def glue_sources(env, docname: str) -> set[str]:
    """The documents whose glued values ``docname`` pastes."""
    try:
        text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
    except OSError:
        return set()
    out = set()
    for rel in GLUE_FROM.findall(text):
        _, path = env.relfn2path(rel, docname)
        ref = env.path2doc(path)
        if ref is not None:
            out.add(ref)
    return out


def _guard(app: Sphinx, env, added, changed, removed) -> list[str]:
    cache = cache_dir(app)
    dirs = side_file_dirs()
    inputs = fingerprint.digests(watched_paths(app))
    inputs[EPOCH_KEY] = os.environ.get("SOURCE_DATE_EPOCH", "")
    record = read_record(cache)
    reason = stale_reason(record, inputs, dirs)
    reread = set()
    if reason:
        logger.info("bricsai: %s; emptying the execution cache %s and reading every page again",
                    reason, cache)
        _empty(cache, dirs)
        reread = set(env.found_docs)
        record = {"side_files": {}}
    # Written before any notebook runs: what this build caches is stamped with these inputs.
    _write_record(cache, {"inputs": inputs, "side_files": record.get("side_files") or {}})

    # Sphinx reads a page again only when its mtime is newer; compare the content as well.
    previous = getattr(env, "bricsai_page_digests", {})
    digests = {doc: _page_digest(env, doc) for doc in sorted(env.found_docs)}
    by_content = {doc for doc, d in digests.items() if d is None or previous.get(doc) != d}
    env.bricsai_page_digests = digests
    reread |= by_content - set(added)

    to_read = set(added) | set(changed) | reread
    reread |= {doc for doc in env.found_docs - to_read if glue_sources(env, doc) & to_read}
    # A deleted page is reported when its parent's table of contents is built, as the parent
    # is read: without this, a build after the deletion passed where a clean build fails.
    reread |= {parent for parent, children in env.toctree_includes.items()
               if set(children) & set(removed) and parent in env.found_docs}

    # Notebooks about to be read that miss the cache run now, one per core.
    execute_ahead(app, env, set(added) | set(changed) | reread)
    return sorted(reread)


def _record_side_files(app: Sphinx, exception) -> None:
    if exception is not None:
        return
    cache = cache_dir(app)
    record = read_record(cache)
    if record is not None:
        record["side_files"] = _side_files(side_file_dirs())
        _write_record(cache, record)


def setup(app: Sphinx):
    app.add_config_value("bricsai_watch_paths", None, "env")
    app.add_config_value("bricsai_execution_jobs", None, "")  # default: usable cores
    app.connect("env-get-outdated", _guard)
    app.connect("build-finished", _record_side_files)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
