"""Export failures reach the reader in the atlas's words, on the page, beside the button."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser import AppServer
from tests.conftest import ARTIFACTS, ROOT


def test_without_chromium_the_map_and_timeline_images_are_disabled_with_the_reason(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")  # the fault, on purpose
    for page, key in (("pages/map.py", "map-image"), ("pages/timeline.py", "png-timeline")):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.switch_page(page)
        at.run()
        assert not at.exception
        (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
        assert button.proto.disabled
        assert "image export needs Chromium, which is not installed" in button.proto.help
        assert any("image export needs Chromium" in c.value for c in at.caption), page


@pytest.mark.browser
def test_a_failing_export_says_what_failed_and_what_to_try_on_the_page(chromium, tmp_path):
    # A "Chromium" that dies at once: kaleido cannot start it (the fault, injected on purpose).
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    with AppServer(env={"BROWSER_PATH": str(fake)}) as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(90_000)
        try:
            page.goto(server.url + "/figures")
            page.locator(".st-key-chart-trade .js-plotly-plot").wait_for()
            page.locator(".st-key-png-trade button").click()
            alert = page.get_by_text("This chart's PNG could not be made")
            alert.wait_for(timeout=120_000)
            text = alert.inner_text()
            assert "export browser failed" in text and "try again" in text, text
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "export-error-1280.png"))
            # The rest of the page still works: the chart's CSV is still offered.
            assert page.locator(".st-key-csv-trade button").is_enabled()
        finally:
            context.close()
