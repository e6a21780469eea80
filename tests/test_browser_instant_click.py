"""A click leaves the map at once: the panel does not wait for streamlit-folium's debounce.

streamlit-folium's frontend sends a click 250 ms late (a debounce in its bundle). The map's own
script (`InstantClick` in geo/mapsync.py) sends the same value at once. These tests hold
every 250 ms timer of the map's frame, so the debounced send cannot happen at all while the
panel is awaited: the panel can only come from the immediate send. Then they let the held
timers run and check that the late send changes nothing the reader chose.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import click_feature, close_popup, map_frame, settled, show, wait_halo_on

pytestmark = pytest.mark.browser

# In the page (not its frames): count every message the page sends to the server.
_COUNT_SENDS = """
if (window.top === window) {
  window.__atlasSends = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    window.__atlasSends += 1;
    return send.call(this, data);
  };
}
"""

# In every frame: note each setInterval's delay (the halo used to poll the address with one).
_COUNT_INTERVALS = """
window.__atlasIntervals = [];
const setInterval0 = window.setInterval;
window.setInterval = function (fn, ms, ...rest) {
  window.__atlasIntervals.push(ms);
  return setInterval0.call(window, fn, ms, ...rest);
};
"""

# In the map frame: hold every 250 ms timer (streamlit-folium's debounce) until released.
_HOLD_DEBOUNCE = """
() => {
  window.__atlasHeld = [];
  const setTimeout0 = window.setTimeout;
  window.setTimeout = function (fn, ms, ...rest) {
    // A non-zero id, as a real timer's: the debounce takes 0 for "no timer pending".
    if (ms === 250) { window.__atlasHeld.push(() => fn(...rest)); return 1e9 + window.__atlasHeld.length; }
    return setTimeout0.call(window, fn, ms, ...rest);
  };
  window.__atlasRelease = () => {
    window.setTimeout = setTimeout0;
    const held = window.__atlasHeld.splice(0);
    held.forEach((f) => f());
    return held.length;
  };
}
"""


def _quiet(page, frame) -> None:
    """Wait out any send already under way (the map's own moves are debounced too)."""
    frame.wait_for_timeout(600)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000
    )


@pytest.mark.parametrize("feature_id", ["taftan-mirjaveh-crossing", "polan-gabd-power-line"])
def test_a_click_reaches_the_panel_without_the_debounce(page, app_server, ds, feature_id):
    """With the debounce held, a click on a symbol or a line still brings its panel, in one
    message to the server; releasing the debounce afterwards sends nothing more."""
    feature = ds.feature(feature_id)
    page.add_init_script(_COUNT_SENDS)
    page.goto(app_server.url)
    frame = map_frame(page)
    show(frame, feature)
    _quiet(page, frame)
    frame.evaluate(_HOLD_DEBOUNCE)
    before = page.evaluate("window.__atlasSends")

    timing = click_feature(page, frame, feature, timeout=15_000)

    assert timing.panel_full_ms > 0
    expect(page.locator(".st-key-panel h3")).to_have_text(feature.props.name)
    held = frame.evaluate("window.__atlasHeld.length")
    assert held >= 1, "the click armed no debounce: the test proves nothing"
    assert frame.evaluate("window.__atlasInstantSends") == 1
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000
    )
    assert page.evaluate("window.__atlasSends") - before == 1, "one click, one message"

    # The debounced send now runs. The map reports its view (issue 20), so if the popup panned
    # the map the late send carries the new view: a run of the panel's fragments, as any pan
    # makes. It never carries another selection, and nothing is sent at once a second time.
    assert frame.evaluate("window.__atlasRelease()") >= held
    frame.wait_for_timeout(800)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000
    )
    assert frame.evaluate("window.__atlasInstantSends") == 1
    sent = frame.evaluate("window.__GLOBAL_DATA__.previous_data.last_active_drawing.properties.id")
    assert sent == feature.id
    expect(page.locator(".st-key-panel h3")).to_have_text(feature.props.name)


def test_a_second_feature_and_the_keyboard_send_at_once_too(page, app_server, ds):
    """Each new feature is sent once at once; Enter on a focused symbol does what a click does."""
    first, second = ds.feature("taftan-mirjaveh-crossing"), ds.feature("gabd-rimdan-crossing")
    page.add_init_script(_COUNT_SENDS)
    page.goto(app_server.url)
    frame = map_frame(page)
    show(frame, first)
    _quiet(page, frame)
    frame.evaluate(_HOLD_DEBOUNCE)
    click_feature(page, frame, first, timeout=15_000)
    close_popup(frame)

    show(frame, second)
    frame.locator(f'.atlas-sym-shape[data-feature="{second.id}"]').first.evaluate(
        "(el) => el.closest('[tabindex]').focus()"
    )
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-panel h3")).to_have_text(second.props.name, timeout=15_000)
    assert frame.evaluate("window.__atlasInstantSends") == 2


def test_the_halo_follows_the_address_without_a_timer(page, app_server, ds):
    """The halo moves to a feature found by name (the page's address changes), and the map's
    frame runs no interval timer to notice it: the address change is an event."""
    page.add_init_script(_COUNT_INTERVALS)
    page.goto(app_server.url)
    frame = map_frame(page)
    settled(page)  # a reader types once the page is at rest
    page.locator(".st-key-w_find input").fill("Gwadar port")
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-panel h3")).to_have_text("Gwadar Port")
    page.wait_for_function("() => location.search.includes('feature=gwadar-port')")
    frame = map_frame(page)
    wait_halo_on(frame, "gwadar-port")
    assert frame.evaluate("window.__atlasIntervals") == []
