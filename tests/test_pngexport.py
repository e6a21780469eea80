"""Image export survives what happens to its browser: killed, frozen, or asked for SVG and PDF.

Real kaleido, real Chromium: the faults are real signals sent to the export browser.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from pathlib import Path

import plotly.graph_objects as go
import psutil
import pytest

from geo import pngexport
from geo.pngexport import ExportUnavailable, browser_pids, render_image

pytestmark = [
    pytest.mark.skipif(pngexport.browser_path() is None, reason="needs Chromium"),
    pytest.mark.slow,  # every test starts or uses the export Chromium
]


def figure() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[2, 3]), layout={"title": "Export test"})


def chromium_main(pids: list[int]) -> int:
    """The browser process itself (not the launcher, not a helper with --type=)."""
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            argv = psutil.Process(pid).cmdline()
            if argv and "chromium" in argv[0] and not any(a.startswith("--type=") for a in argv):
                return pid
    raise AssertionError(f"no Chromium among {pids}")


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)
    except psutil.NoSuchProcess:
        return True


def wait_gone(pids: list[int], limit: float = 30.0) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if all(gone(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(autouse=True)
def fresh_browser():
    pngexport.reset()
    yield
    pngexport.reset()


def test_png_svg_and_pdf():
    png = render_image(figure(), 400, 300, fmt="png")
    svg = render_image(figure(), 400, 300, fmt="svg")
    pdf = render_image(figure(), 400, 300, fmt="pdf")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert svg.lstrip().startswith(b"<svg") and b"Export test" in svg
    assert pdf.startswith(b"%PDF-")
    with pytest.raises(ValueError, match="fmt must be one of"):
        render_image(figure(), 400, 300, fmt="gif")


def test_the_export_browser_starts_with_background_networking_off():
    render_image(figure(), 400, 300)
    main = chromium_main(browser_pids())
    argv = Path(f"/proc/{main}/cmdline").read_bytes().decode().split("\0")
    for flag in (
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--proxy-server=http://127.0.0.1:9",
    ):
        assert flag in argv, flag
    assert any(a.startswith("--disable-features=") and "OptimizationHints" in a for a in argv)


def test_the_next_export_succeeds_after_the_browser_is_killed():
    assert render_image(figure(), 400, 300).startswith(b"\x89PNG")
    before = browser_pids()
    main = chromium_main(before)
    os.kill(main, signal.SIGKILL)  # what the out-of-memory killer does
    assert wait_gone([main])
    png = render_image(figure(), 400, 300)
    assert png.startswith(b"\x89PNG")
    assert main not in browser_pids()
    assert set(browser_pids()).isdisjoint(before)  # a fresh browser, not the old one revived
    assert wait_gone(before)  # and nothing of the old one is left running


def test_a_frozen_browser_gives_unavailable_then_a_fresh_browser_serves():
    assert render_image(figure(), 400, 300).startswith(b"\x89PNG")
    frozen = browser_pids()
    for pid in frozen:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGSTOP)  # the browser hangs: alive, never answering
    outcome: list[BaseException | bytes] = []

    def export() -> None:
        try:
            outcome.append(render_image(figure(), 400, 300, timeout=3))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=export, daemon=True)
    worker.start()
    # Generous: the call must come back at all (before, it waited forever under a lock).
    worker.join(timeout=60)
    assert not worker.is_alive(), "export still waiting on a frozen browser"
    assert isinstance(outcome[0], ExportUnavailable)
    assert "did not answer within 3 s" in str(outcome[0])
    assert "try again" in str(outcome[0])
    assert wait_gone(frozen)  # the frozen browser was killed, not left behind
    assert render_image(figure(), 400, 300).startswith(b"\x89PNG")
    assert set(browser_pids()).isdisjoint(frozen)


def test_a_chart_pdf_is_titled_after_its_chart_and_compressed(ds):
    """Issue 22: a chart PDF's title was "Kaleido-fier" and a bar chart PDF weighed 1.2 MB."""
    import io

    from pypdf import PdfReader

    from geo.chartlayout import EXPORT_SIZE, cited_figure
    from geo.charts import build_charts

    chart = next(c for c in build_charts(ds) if c.id == "trade")
    fig = cited_figure(ds, chart, __import__("datetime").date(2026, 12, 1))
    raw = pngexport._render(fig, *EXPORT_SIZE, 1.0, fmt="pdf", persistent=True, timeout=None)
    pdf = render_image(fig, *EXPORT_SIZE, fmt="pdf", title=chart.title)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == chart.title
    assert "kaleido" not in (meta.title or "").lower()
    # Compressed, never larger than what Chromium wrote. (Usually about half: 260 → 140 KB for
    # this chart. After tests/test_os_faults.py in the same process Chromium wrote 1.27 MB for
    # the same figure, the same font and no image, and it compressed only to 1.1 MB: why is
    # not known yet, so the size itself is not asserted.)
    assert len(pdf) <= len(raw), (len(pdf), len(raw))


def test_only_the_watchdog_close_line_of_choreographer_is_silenced(caplog):
    # The logger choreographer writes it on, as its own module names it; an error on the same
    # logger still reaches the operator.
    log = logging.getLogger("choreographer.browser_async")
    with caplog.at_level(logging.DEBUG, logger="choreographer.browser_async"):
        log.warning("Wait expired, Browser is being closed by watchdog.")
        log.error("Browser crashed: something else")
    assert [r.getMessage() for r in caplog.records] == ["Browser crashed: something else"]
