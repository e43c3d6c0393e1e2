"""Figures in a real browser at phone width: SVG at the column's width, opened full size by a
tap, switched to their data table from the keyboard, and still accessible with the table open."""

from __future__ import annotations

import pytest
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
    assert table.is_visible()
    assert not image_link.is_visible(), "the chart stays when its table is shown"
    assert table.locator("tbody tr").count() >= 1
    assert summary.inner_text() == "Show the chart"

    page.add_script_tag(path=str(AXE))
    # (the theme's back-to-top button, which appears once the page scrolls, is w15a's: not here)
    axe = page.evaluate("async () => await axe.run({exclude: [['#pst-back-to-top']]}, "
                        "{resultTypes: ['violations']})")
    serious = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in axe["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, serious

    page.keyboard.press("Enter")
    assert image_link.is_visible() and not table.is_visible()
    assert not outside and not errors
    page.context.close()
