"""Screenshots of the map's opening view at a laptop and a phone width, for the docs.

Usage: uv run python scripts/screens.py PREFIX   (writes docs/screens/PREFIX-1280.png, -390.png,
and PREFIX-selected-1280.png: a line selected, its halo on the map and its panel beside it)
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import ROOT, AppServer, launch, map_frame

SIZES = {"1280": (1280, 800), "390": (390, 844)}


def main(prefix: str) -> None:
    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    with AppServer() as server, sync_playwright() as p:
        browser = launch(p)
        for name, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            page.goto(server.url)
            map_frame(page)
            page.wait_for_timeout(1500)
            page.screenshot(path=out / f"{prefix}-{name}.png")
            page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{server.url}/?feature=gwadar-gabd-transit-corridor")
        frame = map_frame(page)
        frame.wait_for_selector(".atlas-halo", state="attached")
        page.locator(".st-key-panel h3").wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=out / f"{prefix}-selected-1280.png", full_page=True)
        page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "after")
