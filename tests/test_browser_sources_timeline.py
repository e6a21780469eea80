"""Sources and Timeline in real Chromium: one click from a quote to its passage, events, export."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from geo.chartlayout import EXPORT_SIZE

pytestmark = pytest.mark.browser


def test_one_click_from_a_map_quote_shows_it_highlighted_in_its_document(page, app_server, ds):
    f = ds.feature("polan-gabd-power-line")
    page.goto(f"{app_server.url}/?feature={f.id}")
    link = page.locator(".st-key-panel").get_by_role("link", name="Read it in context").first
    expect(link).to_be_visible()
    # Streamlit opens Markdown links in a new tab; the atlas keeps links to itself in the tab
    # (app.py), so that Back brings the reader to the map.
    expect(link).not_to_have_attribute("target", "_blank")
    link.click()
    focus = page.locator("mark.atlas-focus").first
    expect(focus).to_be_visible(timeout=60_000)
    expect(focus).to_be_in_viewport()
    expect(focus).to_contain_text("Polan-Gabd electricity transmission line")
    assert "/sources?" in page.url and len(page.context.pages) == 1
    page.go_back()
    expect(page.locator(".st-key-panel")).to_contain_text(f.props.name, timeout=60_000)
    assert f"feature={f.id}" in page.url


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
