"""`python -m geo.serve run app.py [options]`: `streamlit run`, with no lookups of the network.

The same command line as `streamlit ...`; it pins Streamlit's address lookups to the loopback
address first (see patches.pin_streamlit_loopback), so that not even the first websocket from a
foreign Origin, before any page has run, makes the server look up its external address. And it
imports the app's modules before the server listens (`preload`), so that the first reader of a
new process (a replica just started or restarted) does not wait for them.
"""

from __future__ import annotations

import pkgutil
import sys
import time
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def preload() -> list[str]:
    """Import every module of geo/ and pages/ (not the page scripts), before the server listens.

    A page's first run in a new process imported them: about 3 s of pandas, plotly, shapely and
    folium that the process's first reader waited for (3.7 s on the websocket in the slow-link
    benchmark, when a reader landed on a replica no one had opened yet). Until the server
    listens, HAProxy's health check sends no reader to it. A module that fails to import is
    left for the page, which shows the error in the atlas's words; returns those modules' names.
    """
    import geo

    names = [
        f"geo.{m.name}"
        for m in pkgutil.iter_modules(geo.__path__)
        if m.name not in {"__main__", "serve"}
    ]
    names += [f"pages.{p.stem}" for p in sorted((ROOT / "pages").glob("_*.py"))]
    failed = []
    for name in names:
        try:
            import_module(name)
        except Exception:  # the page reports it, with the data's own problems
            failed.append(name)
    return failed


def main() -> None:
    """Pin the address lookups, import the app, then hand the command line to Streamlit's CLI."""
    from patches import pin_streamlit_loopback

    pin_streamlit_loopback()
    if sys.path[0] != str(ROOT):
        sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    failed = preload()
    print(
        f"atlas: app modules imported in {time.perf_counter() - started:.1f} s"
        + (f"; left for the page: {', '.join(failed)}" if failed else ""),
        file=sys.stderr,
    )
    from streamlit.web.cli import main as streamlit_main

    sys.argv[0] = "streamlit"
    streamlit_main()


if __name__ == "__main__":
    main()
