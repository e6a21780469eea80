"""Server-side PNG export of Plotly figures through kaleido and Debian's Chromium.

One persistent kaleido browser serves every export (about ten times faster than starting a
browser per image); a lock serialises calls from concurrent Streamlit sessions. MathJax is off
and plotly.js comes from the installed package, so an export requests nothing from outside.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import shutil
import threading
from pathlib import Path

import kaleido
import plotly.graph_objects as go

# Plotly's geo plots fetch base-map TopoJSON from cdn.plot.ly even with every base layer off. An
# empty topology as a data: URL (plotly.js appends the file name, which lands in the fragment)
# keeps map images offline; the atlas draws its own outlines as traces.
_EMPTY = {"type": "GeometryCollection", "geometries": []}
_TOPOLOGY = {"type": "Topology", "arcs": [], "objects": dict.fromkeys(
    ["land", "ocean", "lakes", "rivers", "countries", "coastlines", "subunits"], _EMPTY)}  # fmt: skip
OFFLINE_TOPOJSON = (
    "data:application/json;base64,"
    + base64.b64encode(json.dumps(_TOPOLOGY).encode()).decode()
    + "#"
)
_lock = threading.Lock()
_server_started = False


class ExportUnavailable(RuntimeError):
    """PNG export cannot run here; the message says why and what to install."""


def browser_path() -> str | None:
    """The Chromium kaleido will use: $BROWSER_PATH if set, else the first on PATH."""
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if Path(override).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _check_browser() -> None:
    if browser_path() is None:
        where = os.environ.get("BROWSER_PATH") or "chromium on the PATH"
        raise ExportUnavailable(
            f"PNG export needs Chromium, and none was found ({where}). "
            "Install Debian's package with `apt-get install chromium`; the charts still work "
            "in the page and their data downloads as CSV."
        )


def _ensure_server() -> None:
    global _server_started
    if not _server_started:
        kaleido.start_sync_server(n=1, timeout=60, mathjax=False, silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _server_started = True


def to_png(
    fig: go.Figure,
    width: int,
    height: int,
    scale: float = 1.0,
    *,
    persistent: bool = True,
    fmt: str = "png",
) -> bytes:
    """Render a figure as PNG bytes of `width` × `height` × `scale` pixels.

    `fmt` "svg" or "pdf" gives those formats instead, for print designers.
    `persistent=False` starts a browser for this one image (the cold path, for benchmarks).
    Raises ExportUnavailable when there is no browser, or the browser fails.
    """
    _check_browser()
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    try:
        with _lock:
            if persistent:
                _ensure_server()
                return kaleido.calc_fig_sync(fig, opts=opts, topojson=OFFLINE_TOPOJSON)
            return kaleido.calc_fig_sync(
                fig, opts=opts, topojson=OFFLINE_TOPOJSON, kopts={"mathjax": False}
            )
    except ExportUnavailable:
        raise
    except Exception as exc:  # kaleido and choreographer raise many kinds; all mean the same here
        raise ExportUnavailable(
            f"PNG export failed in Chromium: {type(exc).__name__}: {exc}"
        ) from exc
