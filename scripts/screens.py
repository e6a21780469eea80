"""Screenshots of the map's opening view at a laptop and a phone width, for the docs.

Usage: uv run python scripts/screens.py PREFIX   (writes docs/screens/PREFIX-1280.png, -390.png)
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
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "after")
