"""The Figures page in real Chromium: real downloads, and links that land on the right page."""

from __future__ import annotations

import csv
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from geo.chartlayout import EXPORT_SIZE
from geo.charts import build_charts
from geo.credits import file_name
from tests.browser import AppServer

pytestmark = pytest.mark.browser


def trade_sources(ds):
    return next(c for c in build_charts(ds) if c.id == "trade").source_ids()


def test_download_png_on_the_trade_chart_gives_that_png(page, app_server, tmp_path, ds):
    page.goto(f"{app_server.url}/figures")
    page.locator(".st-key-chart-trade .js-plotly-plot").wait_for()
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-png-trade button").click()
    assert download.value.suggested_filename == file_name("trade", ds, trade_sources(ds), "png")
    path = tmp_path / "trade.png"
    download.value.save_as(path)
    image = Image.open(path)
    assert image.format == "PNG" and image.size == EXPORT_SIZE


def test_download_csv_carries_values_and_quotes(page, app_server, tmp_path, ds):
    page.goto(f"{app_server.url}/figures")
    page.locator(".st-key-chart-memoranda .js-plotly-plot").wait_for()
    with page.expect_download() as download:
        page.locator(".st-key-csv-memoranda button").click()
    path = tmp_path / "memoranda.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [(r["source"], float(r["value"])) for r in rows] == [
        ("rasanah-pezeshkian-visit", 12.0),
        ("tmp-rising-ties", 13.0),
    ]
    assert rows[0]["quote"].startswith("Twelve memorandums of understanding were signed")


def test_first_request_to_a_fresh_server_for_figures_gets_the_app_navigation(chromium):
    """Regression: a fresh server used to run pages/figures.py alone, as a pages-folder app."""
    with AppServer() as server:
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{server.url}/figures")
        page.locator(".st-key-chart-trade").wait_for(timeout=60_000)
        nav = page.locator('[data-testid="stSidebar"]')
        expect(nav).to_contain_text("About the data")
        assert "shared" not in nav.inner_text()
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_each_chart_title_sits_under_the_toolbar_and_above_the_plot_and_no_label_is_cut(
    page, app_server, ds, width
):
    """A title of several lines was drawn down into the plot, over its top tick label, under
    90 px of blank; a bar's value ran past a phone's chart; a column name broke mid-word."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{app_server.url}/figures")
    page.locator(".st-key-chart-trade .js-plotly-plot").wait_for(timeout=90_000)
    for chart in build_charts(ds):
        box = page.locator(f".st-key-chart-{chart.id} .js-plotly-plot")
        box.scroll_into_view_if_needed()
        box.hover(position={"x": 100, "y": 300})  # Plotly shows its toolbar on hover
        plot = box.bounding_box()
        toolbar = page.locator(f".st-key-chart-{chart.id} .modebar").bounding_box()
        title = page.locator(f".st-key-chart-{chart.id} .gtitle").bounding_box()
        assert toolbar["y"] + toolbar["height"] <= title["y"], chart.id
        assert title["y"] - plot["y"] < 60, (chart.id, "blank above the title")
        ticks = [
            t.bounding_box()
            for t in page.locator(
                f".st-key-chart-{chart.id} .ytick text, .st-key-chart-{chart.id} .xtick text"
            ).all()
        ]
        ticks = [t for t in ticks if t and t["height"] > 0]
        if ticks:
            assert title["y"] + title["height"] <= min(t["y"] for t in ticks), chart.id
        # Every text Plotly drew (values beside bars, tick labels; not the hover's own box) is
        # inside the chart's box.
        drawn = box.evaluate(
            r"""(el) => [...el.querySelectorAll('.main-svg text')]
                .filter((t) => !t.closest('.hoverlayer'))
                .map((t) => { const r = t.getBoundingClientRect();
                              // Plotly shrinks a text to fit by a scale() on it.
                              const m = /scale\(([0-9.]+)/.exec(t.getAttribute('transform') || '');
                              return [t.textContent, r.left, r.right, r.width,
                                      parseFloat(getComputedStyle(t).fontSize)
                                      * (m ? parseFloat(m[1]) : 1)]; })"""
        )
        for text, left, right, w, size in drawn:
            if w > 0:
                assert left >= plot["x"] - 1, (chart.id, text)
                assert right <= plot["x"] + plot["width"] + 1, (chart.id, text)
                # Plotly shrank a value written on a narrow column to 7 px.
                assert size >= 10, (chart.id, text, size)
    # Names under columns break between words, never inside one.
    ticks = page.locator(".st-key-chart-central-asia .xtick text").all_text_contents()
    assert any("Kazakhstan" in t for t in ticks), ticks
