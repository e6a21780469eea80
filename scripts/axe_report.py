"""axe-core's serious and critical violations on every page, counted: `uv run python scripts/axe_report.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import AppServer, axe_violations, launch, map_frame

PAGES = {
    "map": "",
    "map, feature selected": "?feature=gabd-rimdan-crossing",
    "figures": "figures",
    "timeline": "timeline",
    "timeline, event open": "timeline?event=islamabad-mou-2026-06-18",
    "sources": "sources",
    "sources, document open": "sources?source=complex-partnership&q=smuggl",
    "about": "about",
}


def main() -> None:
    verbose = "-v" in sys.argv
    with AppServer() as server, sync_playwright() as p:
        browser = launch(p)
        for name, path in PAGES.items():
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{server.url}/{path}")
            page.locator("h1").first.wait_for(timeout=60_000)
            if name.startswith("map"):
                map_frame(page)
            page.wait_for_timeout(2500)
            found = axe_violations(page)
            nodes = sum(len(v["nodes"]) for v in found)
            print(f"{name}: {len(found)} serious/critical rule(s), {nodes} node(s)")
            if verbose:
                for v in found:
                    print("  ", v["id"], v["impact"], v["help"])
                    for n in v["nodes"]:
                        print("     ", n[:300])
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
