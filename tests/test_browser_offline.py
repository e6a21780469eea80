"""Offline, everywhere: walking every page with the offline basemap, no request leaves the app."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser import click_feature, close_popup, map_frame

pytestmark = pytest.mark.browser


def test_walking_every_page_sends_nothing_beyond_the_app(page, app_server, ds):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    nav = page.locator('[data-testid="stSidebar"]')

    page.goto(app_server.url)
    frame = map_frame(page)
    f = ds.feature("gabd-rimdan-crossing")
    click_feature(page, frame, f)
    close_popup(frame)

    # Each step waits for the new page's own heading: a chart of the page before would do too.
    nav.get_by_text("Figures", exact=True).click()
    expect(page.get_by_role("heading", name="Figures", exact=True)).to_be_visible(timeout=60_000)
    expect(page.locator(".st-key-chart-trade .js-plotly-plot")).to_be_visible(timeout=60_000)
    page.locator(".st-key-chart-trade .js-plotly-plot").hover()
    page.locator(".st-key-growth_baseline input").click()
    page.keyboard.type("around")
    page.keyboard.press("Enter")
    page.locator(".st-key-growth_year input").fill("2024")
    page.locator(".st-key-growth_year input").press("Enter")
    page.locator(".st-key-growth_target_year input").fill("2030")
    page.locator(".st-key-growth_target_year input").press("Enter")
    expect(page.locator(".katex").first).to_be_visible(timeout=30_000)  # the formula's fonts too

    nav.get_by_text("Timeline", exact=True).click()
    expect(page.get_by_role("heading", name="Timeline", exact=True)).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot")).to_be_visible(timeout=60_000)

    nav.get_by_text("Sources", exact=True).click()
    expect(page.get_by_role("heading", name="Sources", exact=True)).to_be_visible(timeout=60_000)
    page.locator(".st-key-w_doc input").click()
    page.keyboard.type("Rising Ties")
    page.keyboard.press("Enter")
    expect(page.locator(".atlas-doc")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Search").click()
    page.locator(".st-key-q input").fill("pipeline")
    page.locator(".st-key-q input").press("Enter")
    expect(page.get_by_text("hit(s) for")).to_be_visible()

    nav.get_by_text("About the data", exact=True).click()
    expect(page.get_by_text("Validator: the data is sound")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)

    own = urlparse(app_server.url).netloc
    outside = [
        u
        for u in requests
        if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).netloc != own
    ]
    assert len(requests) > 30
    assert outside == []
