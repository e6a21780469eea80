"""The map in real Chromium: clicks show the sources, and nothing leaves the app's own host."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from geo.layers import SHARP_ZOOM
from tests.browser import (
    ARTIFACTS_DIR,
    MAP_IFRAME,
    click_feature,
    close_popup,
    map_frame,
    settled,
    show,
    wait_halo_on,
)

pytestmark = pytest.mark.browser

CROSSINGS = [
    "gabd-rimdan-crossing",
    "mand-pishin-crossing",
    "chadgi-kouhak-crossing",
    "taftan-mirjaveh-crossing",
]


def outside(requests: list[str], server) -> list[str]:
    own = urlparse(server.url).netloc
    return [
        u
        for u in requests
        if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).netloc != own
    ]


def panel_quotes(page) -> list[str]:
    return [
        " ".join(q.split())
        for q in page.locator(".st-key-panel-quotes blockquote").all_inner_texts()
    ]


def test_click_on_each_crossing_shows_its_quotes(page, app_server, ds):
    page.goto(app_server.url)
    frame = map_frame(page)
    for fid in CROSSINGS:
        f = ds.feature(fid)
        timing = click_feature(page, frame, f)
        popup = frame.locator(".leaflet-popup-content")
        expect(popup).to_contain_text(" ".join(f.props.citations[0].quote.split()))
        expect(page.locator(".st-key-panel h3")).to_have_text(f.props.name)
        assert panel_quotes(page) == [" ".join(c.quote.split()) for c in f.props.citations]
        assert timing.popup_ms < timing.panel_full_ms
        close_popup(frame)
    assert page.url.endswith(f"?feature={CROSSINGS[-1]}")


def test_click_on_a_line_shows_its_quotes_and_keeps_the_view(page, app_server, ds):
    page.goto(app_server.url)
    frame = map_frame(page)
    f = ds.feature("gwadar-gabd-transit-corridor")
    show(frame, f)
    before = frame.evaluate(
        "[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
    )
    click_feature(page, frame, f)
    expect(page.locator(".st-key-panel")).to_contain_text("the sources claim 89 km")
    close_popup(frame)
    page.wait_for_timeout(500)
    after = frame.evaluate(
        "[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
    )
    # Selecting redraws nothing: the map is the same Leaflet map, where the reader left it
    # (a popup may pan it a little to fit, never zoom it).
    assert after[2] == before[2]
    assert frame.evaluate("document.querySelectorAll('.leaflet-container').length") == 1
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS_DIR / "map-feature-selected.png")


def test_every_feature_can_be_clicked_and_shows_all_its_citations(page, app_server, ds):
    page.goto(app_server.url)
    frame = map_frame(page)
    for f in ds.features:
        show(frame, f)
        click_feature(page, frame, f)
        assert len(panel_quotes(page)) == len(f.props.citations), f.id
        close_popup(frame)


def test_finder_moves_the_map_to_the_feature(page, app_server):
    page.goto(app_server.url)
    frame = map_frame(page)
    settled(page)  # a reader types once the page is at rest
    page.locator(".st-key-w_find input").fill("chabahar port")
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-panel h3")).to_have_text("Chabahar Port")
    frame.wait_for_function("Math.abs(window.map.getCenter().lng - 60.613) < 0.01")
    # A point is shown at the closest zoom where the offline basemap is still sharp.
    frame.wait_for_function(f"window.map.getZoom() === {SHARP_ZOOM}")


def test_map_page_sends_no_request_beyond_the_app(page, app_server, ds):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url.replace("ws", "http", 1)))
    page.goto(app_server.url)
    frame = map_frame(page)
    f = ds.feature("taftan-mirjaveh-crossing")
    click_feature(page, frame, f)
    close_popup(frame)
    frame.locator(".atlas-legend summary").click()  # fold and unfold the legend
    frame.locator(".atlas-legend summary").click()
    frame.locator(".leaflet-control-zoom-in").click()
    page.get_by_text("About the data").click()
    expect(page.get_by_text("Validator: the data is sound")).to_be_visible()
    assert len(requests) > 20
    assert outside(requests, app_server) == []


def _halo_at(frame) -> list[float] | None:
    """The halo's centre in the map frame, or None when no halo is drawn."""
    return frame.evaluate(
        """() => {
            const el = document.querySelector('.atlas-halo');
            if (!el) return null;
            const r = el.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2];
        }"""
    )


def test_a_click_keeps_the_same_map_and_the_halo_follows_click_and_finder(page, app_server, ds):
    """The map is not sent again on a click (the frame's own state survives it); the halo is
    drawn by the map on the clicked feature, and on a feature found by name via the address."""
    page.goto(app_server.url)
    frame = map_frame(page)
    assert _halo_at(frame) is None
    frame.evaluate("() => { window.__sameMap = true; }")
    taftan = ds.feature("taftan-mirjaveh-crossing")
    click_feature(page, frame, taftan)
    page.wait_for_function("() => location.search.includes('feature=taftan-mirjaveh-crossing')")
    assert frame.evaluate("() => window.__sameMap === true"), "the map was rebuilt by a click"
    # On the symbol once the popup's pan has ended (halo and symbol move with the map).
    wait_halo_on(frame, taftan.id)
    assert frame.locator(".atlas-halo").count() == 1
    close_popup(frame)

    settled(page)  # a reader types once the page is at rest
    page.locator(".st-key-w_find input").fill("Gwadar port")
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-panel h3")).to_have_text("Gwadar Port")
    frame = map_frame(page)
    wait_halo_on(frame, "gwadar-port")
    assert frame.locator(".atlas-halo").count() == 1


def test_a_feature_panel_downloads_that_feature_s_data(page, app_server, tmp_path, ds):
    """The panel's ZIP holds the feature alone, its quotes' sources in full, and a README."""
    import json
    import zipfile

    page.goto(f"{app_server.url}/?feature=polan-gabd-power-line")
    expect(page.locator(".st-key-panel h3")).to_have_text(
        ds.feature("polan-gabd-power-line").props.name
    )
    settled(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download this feature's data").click()
    name = download.value.suggested_filename
    assert name.startswith("iran-pakistan-atlas-data-polan-gabd-power-line-") and name.endswith(
        ".zip"
    )
    path = tmp_path / name
    download.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        layers = json.loads(z.read("layers.geojson"))
        assert [f["id"] for f in layers["features"]] == ["polan-gabd-power-line"]
        cited = {c.source for c in ds.feature("polan-gabd-power-line").props.citations}
        texts = [n for n in z.namelist() if n.startswith("sources/")]
        assert len(texts) >= len(cited) > 0
        readme = z.read("README.txt").decode()
        assert "not in this pack" in readme  # the border's provenance belongs to its own pack


def test_the_first_click_on_a_map_partly_below_the_fold_selects(chromium, app_server, ds):
    """At 1280x800 the map's bottom is below the fold; focusing the map on mouse-down used to
    scroll the page, so the first click landed beside the feature and selected nothing."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(app_server.url)
        frame = map_frame(page)
        frame.wait_for_timeout(500)
        # A symbol in the visible part (the opening view frames the border top to bottom, so
        # Gabd sits at the very fold).
        fid = "taftan-mirjaveh-crossing"
        box = page.locator(MAP_IFRAME).bounding_box()
        at = frame.evaluate(
            """(fid) => { const r = document.querySelector(`.atlas-sym-shape[data-feature="${fid}"]`)
                .getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }""",
            fid,
        )
        assert box["y"] + box["height"] > 800  # the map does not fit: the case in question
        scrolled = page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollTop")
        page.mouse.click(box["x"] + at[0], box["y"] + at[1])
        expect(page.locator(".st-key-panel h3")).to_have_text(
            ds.feature(fid).props.name, timeout=15_000
        )
        after = page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollTop")
        assert after == scrolled
    finally:
        context.close()
