"""A pytest plugin: the run fails if any test skips, except those that need the copyrighted
article, which is never part of the repository (their skip reason names it).

Loaded by conftest.py, so `make test`, and with it CI (.ci/run), fails on such a skip even when
every test passed; it prints which tests skipped and why.
"""

from __future__ import annotations

import sys

ALLOWED_SKIP_REASON = "article"
_skips: list[tuple[str, str]] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skips.append((report.nodeid, reason))


def pytest_sessionfinish(session, exitstatus):
    bad = [(n, r) for n, r in _skips if ALLOWED_SKIP_REASON not in r.lower()]
    if bad and exitstatus == 0:
        session.exitstatus = 1
        tr = session.config.pluginmanager.get_plugin("terminalreporter")
        write = tr.write_line if tr is not None else (lambda s: print(s, file=sys.stderr))
        if tr is not None:
            tr.ensure_newline()
        write("FAILED: tests skipped that must not skip (only the tests that need the article may):")
        for nodeid, reason in bad:
            write(f"  {nodeid}: {reason}")
