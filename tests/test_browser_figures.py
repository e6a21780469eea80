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
