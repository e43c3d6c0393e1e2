"""Execute the notebooks Sphinx is about to read, several at a time, into the execution cache.

myst-nb (``execute_notebooks: cache``) executes each notebook when Sphinx reads it, one after
another, so a 2-core machine runs one kernel while the other core idles. Called from the cache
guard (``env-get-outdated``), this runs the notebooks that miss the cache in parallel
(``bricsai_execution_jobs``, default: the usable cores) and stores them in the same
jupyter-cache, exactly as myst-nb would; the read that follows then finds every notebook in the
cache. A notebook that fails here is not cached: myst-nb executes it again and reports the
error as usual, so the gate is unchanged.

Measured by ``benchmarks/run.py``: it roughly halves a clean build on two cores.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path, PurePosixPath

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _jobs(app) -> int:
    configured = getattr(app.config, "bricsai_execution_jobs", None)
    if configured:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _run(nb, cwd: str, timeout, allow_errors: bool):
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(nb, cwd=cwd, timeout=timeout, allow_errors=allow_errors,
                                 meta_override=True)
    error = None if result.err is None else (result.exc_string or repr(result.err))
    return nb, result.time, error


def execute_ahead(app, env, docnames) -> None:
    """Execute the notebooks among ``docnames`` that miss the cache, ``jobs`` at a time."""
    cfg = env.mystnb_config
    jobs = _jobs(app)
    if cfg.execution_mode != "cache" or jobs < 2 or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from myst_nb.core.read import create_nb_reader

    cache = get_cache(cfg.execution_cache_path)
    todo = []
    for docname in sorted(docnames):
        path = Path(env.doc2path(docname))
        if not path.is_file():
            continue
        posix = PurePosixPath(path.as_posix())
        if any(posix.match(p) for p in cfg.execution_excludepatterns):
            continue
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, cfg, text)
        if reader is None:
            continue  # plain Markdown, nothing to execute
        nb = reader.read(text)
        if cfg.metadata_key in nb.metadata:
            continue  # per-notebook execution settings: leave it to myst-nb
        try:
            cache.match_cache_notebook(nb)
            continue  # already cached
        except KeyError:
            pass
        cwd = str(path.parent) if not cfg.execution_in_temp else None
        todo.append((docname, path, nb, cwd))
    if len(todo) < 2 or any(cwd is None for *_, cwd in todo):
        return
    logger.info("bricsai: executing %d notebooks, %d at a time", len(todo), jobs)
    # The longest first, so that the short ones fill the other cores (size is a fair proxy).
    todo.sort(key=lambda item: -len(item[2].cells))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(jobs, len(todo)), mp_context=context) as pool:
        futures = {pool.submit(_run, nb, cwd, cfg.execution_timeout, cfg.execution_allow_errors):
                    (docname, path) for docname, path, nb, cwd in todo}
        for future in as_completed(futures):
            docname, path = futures[future]
            try:
                nb, seconds, error = future.result()
            except Exception as exc:  # noqa: BLE001 - myst-nb runs it again and reports
                error, seconds, nb = repr(exc), 0.0, None
            if error is not None:
                logger.info("bricsai: %s failed when executed ahead; myst-nb runs it again", docname)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
            logger.info(f"{path}: Executed notebook in {seconds:.2f} seconds [bricsai ahead]")
