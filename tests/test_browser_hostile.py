"""Hostile text is inert: data holding HTML, script and javascript: links renders as text everywhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from geo.dataset import load_dataset
from tests.browser import AppServer, click_feature, close_popup, map_frame, show
from tests.conftest import FIXTURES, overlay

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__xss=1">'

# Run in the page and in every frame: nothing the payloads would create or set may exist.
INERT = """() => ({
  xss: typeof window.__xss,
  injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => a.href.trim().toLowerCase().startsWith('javascript:')).length,
  scripts: [...document.scripts].filter(s => s.textContent.trim().startsWith('window.__xss')).length,
})"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data = overlay(FIXTURES / "hostile", tmp_path_factory.mktemp("hostile") / "hostile")
    ds = load_dataset(data)
    assert not ds.problems, ds.problems  # the app serves all of it
    server = AppServer(env={"ATLAS_DATA_DIR": str(data)}).start()
    yield server, ds
    server.stop()


def assert_inert(page, dialogs):
    assert dialogs == []
    for frame in page.frames:
        assert frame.evaluate(INERT) == {
            "xss": "undefined",
            "injected": 0,
            "jsLinks": 0,
            "scripts": 0,
        }, frame.url


def test_every_page_shows_hostile_text_as_text(chromium, hostile):
    server, ds = hostile
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        # Map: the panel, the popup and the tooltip of a hostile point and a hostile line.
        page.goto(f"{server.url}/?feature=hostile-port")
        expect(page.locator(".st-key-panel h3")).to_contain_text(
            "Hostile port <img src=x", timeout=60_000
        )
        expect(page.locator(".st-key-panel")).to_contain_text(f"The hostile port {IMG} handles")
        frame = map_frame(page)
        for fid in ("hostile-port", "hostile-line"):
            f = ds.feature(fid)
            show(frame, f)
            click_feature(page, frame, f)
            expect(frame.locator(".leaflet-popup-content")).to_contain_text(f.props.name)
            close_popup(frame)
        assert_inert(page, dialogs)

        page.goto(f"{server.url}/figures")
        expect(page.locator(".st-key-chart-trade .js-plotly-plot")).to_be_visible(timeout=60_000)
        # Shown as text; the chart may wrap the label at any space.
        expect(page.locator(".st-key-chart-trade .js-plotly-plot")).to_contain_text(
            re.compile(r"Hostile\s*<img\s*src=x")
        )
        assert_inert(page, dialogs)

        page.goto(f"{server.url}/timeline?event=hostile-event-2024")
        expect(page.locator(".st-key-event-panel")).to_contain_text(
            "Hostile event <script>window.__xss=2</script>", timeout=60_000
        )
        assert_inert(page, dialogs)

        page.goto(f"{server.url}/sources?source=hostile-doc&q=onerror")
        expect(page.locator(".atlas-doc")).to_contain_text(
            f"The hostile port {IMG} handles", timeout=60_000
        )
        page.get_by_role("tab", name="Search").click()
        expect(page.get_by_text("hit(s) for")).to_be_visible()
        assert_inert(page, dialogs)

        page.goto(f"{server.url}/about")
        expect(page.get_by_text("Validator: the data is sound")).to_be_visible(timeout=60_000)
        assert_inert(page, dialogs)
    finally:
        context.close()
