"""The book on a phone, from the keyboard, in dark mode and in print (Debian's Chromium).

Screenshots of the main pages at phone width (390 px), light and dark, go to
_build/screenshots/phone-*.png beside the desktop ones (test_reader_html.py) for review.
"""

from __future__ import annotations

import subprocess

import pytest
from test_reader_html import AXE, MAIN_PAGES, SHOTS, _open, browser, server  # noqa: F401 - fixtures

PHONE = {"width": 390, "height": 844}
CHAPTER = "notebooks/bloc_numbers.html"


def _page(browser, server, rel, width=390, height=844, scheme="light"):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{server}/{rel}")
    page.wait_for_load_state("networkidle")
    return page


def _visible(page, selector):
    return [e for e in page.query_selector_all(selector) if e.is_visible()]


def _open_drawer(page, toggle: str, dialog_id: str, links: str, minimum: int, what: str, width: int) -> None:
    """Open a drawer with its button and check it shows at least ``minimum`` links."""
    toggles = _visible(page, toggle)
    assert toggles, f"no {what} button at {width} px"
    toggles[0].click()
    dialog = page.locator(dialog_id)
    dialog.wait_for(state="visible", timeout=3000)
    shown = [a for a in dialog.locator(links).all() if a.is_visible()]
    assert len(shown) >= minimum, f"the {what} at {width} px shows {len(shown)} links"


@pytest.mark.parametrize("width", [390, 800])
def test_chapter_list_and_contents_open_on_narrow_screens(browser, server, width):  # noqa: F811
    page = _page(browser, server, CHAPTER, width=width)
    _open_drawer(page, ".primary-toggle", "#pst-primary-sidebar-modal", "a.reference", 8, "chapter list", width)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert not page.eval_on_selector("#pst-primary-sidebar-modal", "d => d.open")
    _open_drawer(page, ".secondary-toggle", "#pst-secondary-sidebar-modal", "a", 3, "page contents", width)
    page.context.close()


def test_chapter_list_collapses_on_wide_screens(browser, server):  # noqa: F811
    page = _page(browser, server, CHAPTER, width=1366, height=900)
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    _visible(page, ".primary-toggle")[0].click()
    page.wait_for_timeout(400)
    assert not sidebar.is_visible(), "the chapter-list button does not hide the list at 1366 px"
    _visible(page, ".primary-toggle")[0].click()
    page.wait_for_timeout(400)
    assert sidebar.is_visible()
    page.context.close()


FOCUS_STYLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  return {tag: e.tagName, cls: e.className && e.className.baseVal === undefined ? e.className : '',
          text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
          visible: r.width > 0 && r.height > 0};
}"""


@pytest.mark.parametrize("width,scheme", [(1280, "light"), (390, "light"), (390, "dark")])
def test_keyboard_focus_is_visible_on_every_control(browser, server, width, scheme):  # noqa: F811
    page = _page(browser, server, CHAPTER, width=width, height=900, scheme=scheme)
    seen, invisible = 0, []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_STYLE)
        if not info or not info["visible"]:
            continue
        seen += 1
        if info["outline"] == "none" or info["width"] < 2:
            invisible.append(info)
    assert seen >= 10, f"only {seen} controls took focus"
    assert not invisible, f"controls without a visible focus ring: {invisible[:5]}"
    # The download menu and its items.
    menu = _visible(page, ".dropdown-download-buttons > button")
    assert menu, "no download button"
    menu[0].focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    page.keyboard.press("ArrowDown")
    info = page.evaluate(FOCUS_STYLE)
    assert info and "dropdown-item" in info["cls"], f"the menu's first item did not take focus: {info}"
    assert info["outline"] != "none" and info["width"] >= 2, f"menu item focus not visible: {info}"
    page.context.close()


CAPTIONS = """() => Array.from(document.querySelectorAll('main table')).map((t) => {
  const box = t.closest('.pst-scrollable-table-container, .output, .cell_output') || t.parentElement;
  const cap = t.querySelector('caption');
  const head = box.previousElementSibling;
  const copy = head && head.classList.contains('bricsai-table-head') && !head.hidden ? head : null;
  const rect = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; };
  return {caption: cap ? cap.innerText.trim().slice(0, 50) : null,
          hidden: cap ? cap.classList.contains('bricsai-visually-hidden') : false,
          cap: cap ? rect(cap) : null, box: rect(box), copy: copy ? rect(copy) : null,
          hint: copy ? copy.innerText : '', overflows: box.scrollWidth > box.clientWidth + 2,
          focusable: box.getAttribute('tabindex') === '0', vw: window.innerWidth};
})"""


@pytest.mark.parametrize("rel", ["notebooks/bloc_numbers.html", "notebooks/claims_ledger.html",
                                 "notebooks/pros_cons.html", "book/methods.html"])
def test_tables_on_a_phone_show_whole_captions_and_say_they_scroll(browser, server, rel):  # noqa: F811
    page = _page(browser, server, rel)
    tables = page.evaluate(CAPTIONS)
    problems = []
    for t in tables:
        if t["overflows"]:
            if "scroll" not in t["hint"].lower():
                problems.append(f"{t['caption']!r}: wide table without a scroll hint")
            if not t["focusable"]:
                problems.append(f"{t['caption']!r}: wide table cannot be scrolled from the keyboard")
        if t["caption"] is None:
            continue
        if t["hidden"]:
            left, right, _ = t["copy"]
        else:
            left, right, _ = t["cap"]
        box_left, box_right, _ = t["box"]
        if left < min(box_left, 0) - 1 or right > min(box_right, t["vw"]) + 1:
            problems.append(f"{t['caption']!r}: caption cut off ({left:.0f}-{right:.0f} px "
                            f"in a {box_left:.0f}-{box_right:.0f} px box)")
    page.context.close()
    assert not problems, f"{rel}:\n" + "\n".join(problems)


def test_back_to_top_does_not_cover_text_on_a_phone(browser, server):  # noqa: F811
    page = _page(browser, server, CHAPTER)
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(500)
    covered = page.evaluate("""() => {
      const b = document.getElementById('pst-back-to-top');
      if (!b) return [];
      const r = b.getBoundingClientRect();
      if (getComputedStyle(b).display === 'none' || r.width === 0) return [];
      return Array.from(document.querySelectorAll('main p, main li, main td')).filter((e) => {
        const q = e.getBoundingClientRect();
        return q.left < r.right && q.right > r.left && q.top < r.bottom && q.bottom > r.top;
      }).map((e) => e.innerText.slice(0, 40));
    }""")
    page.context.close()
    assert not covered, f"'Back to top' covers text: {covered[:3]}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_a_phone(browser, server, scheme):  # noqa: F811
    """No serious or critical axe violation on the main pages at phone width, light and dark
    (the desktop light run covers every page in test_reader_html.py)."""
    problems = []
    for rel in MAIN_PAGES:
        page = _page(browser, server, rel, scheme=scheme)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{rel} ({scheme}): {v['id']}: {v['help']} "
                                f"{[n['target'] for n in v['nodes'][:3]]}")
        page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_screenshots_of_main_pages(browser, server, scheme):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    for rel in MAIN_PAGES:
        page = _page(browser, server, rel, scheme=scheme)
        page.screenshot(path=str(SHOTS / f"phone-{rel.replace('/', '_')}-{scheme}.png"), full_page=True)
        page.context.close()
    assert len(list(SHOTS.glob(f"phone-*-{scheme}.png"))) >= len(MAIN_PAGES)


def _empty_fraction(png) -> float:
    """The share of the page's height below its last ink (the page's bottom white space)."""
    from PIL import Image

    img = Image.open(png).convert("L")
    w, h = img.size
    rows = [y for y in range(h) if img.crop((0, y, w, y + 1)).getextrema()[0] < 200]
    if not rows:
        return 1.0
    return (h - rows[-1]) / h


def test_printed_chapter_has_no_mostly_empty_page(browser, server, tmp_path):  # noqa: F811
    page = _page(browser, server, CHAPTER, width=1000, height=1200)
    page.emulate_media(media="print")
    pdf = tmp_path / "chapter.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    page.context.close()
    subprocess.run(["pdftoppm", "-png", "-r", "20", "-gray", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 2, "the printed chapter has fewer than two pages"
    emptiness = {p.name: round(_empty_fraction(p), 2) for p in pages[:-1]}  # the last may be short
    mostly_empty = {k: v for k, v in emptiness.items() if v > 0.5}
    assert not mostly_empty, f"mostly empty printed pages (share of the page left blank): {mostly_empty}"
