"""Figures in a real browser at phone width: SVG at the column's width, opened full size by a
tap, switched to their data table from the keyboard, and still accessible with the table open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_reader_html import AXE, _open, browser, server  # noqa: F401 - fixtures

PAGE = "notebooks/ai_capacity.html"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_switch_chart_to_table_with_the_keyboard_at_390px(browser, server, scheme):  # noqa: F811
    page, outside, errors = _open(browser, server, PAGE, color_scheme=scheme)
    page.set_viewport_size({"width": 390, "height": 844})
    boxes = page.locator(".bricsai-figdata")
    assert boxes.count() >= 1
    box = boxes.first
    figure_id = box.get_attribute("data-figure")
    image_link = page.locator(f"#{figure_id} a.image-reference")
    assert image_link.get_attribute("href").endswith(".svg")
    width = page.evaluate(f"() => document.querySelector('#{figure_id} img').getBoundingClientRect().width")
    assert 300 <= width <= 390, f"figure is {width}px wide at a 390px viewport"

    summary = box.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = box.locator("table")
    # The toggle event is asynchronous: wait for its effect (up to 5 s) instead of racing it.
    expect(summary).to_have_text("Show the chart", timeout=5000)
    expect(table).to_be_visible()
    expect(image_link).to_be_hidden()
    assert table.locator("tbody tr").count() >= 1

    page.add_script_tag(path=str(AXE))
    # (the theme's back-to-top button, which appears once the page scrolls, is w15a's: not here)
    axe = page.evaluate("async () => await axe.run({exclude: [['#pst-back-to-top']]}, "
                        "{resultTypes: ['violations']})")
    serious = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in axe["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, serious

    page.keyboard.press("Enter")
    expect(image_link).to_be_visible(timeout=5000)
    expect(table).to_be_hidden()
    assert not outside and not errors
    page.context.close()
