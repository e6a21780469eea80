"""Sources and Timeline in real Chromium: one click from a quote to its passage, events, export."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from geo.charts import EXPORT_SIZE

pytestmark = pytest.mark.browser


def test_one_click_from_a_map_quote_shows_it_highlighted_in_its_document(page, app_server, ds):
    f = ds.feature("polan-gabd-power-line")
    page.goto(f"{app_server.url}/?feature={f.id}")
    link = page.locator(".st-key-panel").get_by_role("link", name="Read it in context").first
    expect(link).to_be_visible()
    # Streamlit may open the link in a new tab; follow it wherever it opens.
    with (
        page.context.expect_page()
        if link.get_attribute("target") == "_blank"
        else _same(page) as opened
    ):
        link.click()
    doc = opened.value
    focus = doc.locator("mark.atlas-focus").first
    expect(focus).to_be_visible(timeout=60_000)
    expect(focus).to_be_in_viewport()
    expect(focus).to_contain_text("Polan-Gabd electricity transmission line")


class _same:
    """Stands in for expect_page() when a link opens in the same tab."""

    def __init__(self, page):
        self.value = page

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_clicking_an_event_on_the_timeline_shows_its_quotes(page, app_server):
    page.goto(f"{app_server.url}/timeline")
    plot = page.locator(".js-plotly-plot")
    expect(plot).to_be_visible(timeout=60_000)
    diamond = plot.locator(".scatterlayer .trace .points path").last  # the one day-precision event
    expect(diamond).to_be_visible()
    # Plotly listens on its drag layer, as for a real mouse: hover the point, then click there.
    box = diamond.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(200)
    page.mouse.click(x, y)
    panel = page.locator(".st-key-event-panel")
    expect(panel).to_contain_text("Islamabad Memorandum of Understanding", timeout=30_000)
    expect(panel).to_contain_text("18 June 2026")
    assert "event=islamabad-mou-2026-06-18" in page.url


def test_timeline_downloads_as_a_cited_png(page, app_server, tmp_path):
    page.goto(f"{app_server.url}/timeline")
    expect(page.locator(".js-plotly-plot")).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-png-timeline button").click()
    path = tmp_path / "timeline.png"
    download.value.save_as(path)
    assert Image.open(path).size == EXPORT_SIZE
