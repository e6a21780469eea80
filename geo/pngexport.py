"""Server-side image export (PNG, SVG, PDF) of Plotly figures through kaleido and Chromium.

One persistent kaleido browser serves every export (about ten times faster than starting a
browser per image). MathJax is off and plotly.js comes from the installed package, so an
export requests nothing from outside; the browser is also started with the flags that stop
Chromium's own background traffic (update checks, optimisation hints, sync), with a proxy
that leads nowhere, and where the system allows, in a network namespace of its own with no
network at all (see offline_launcher), so nothing it might still try leaves the machine.

The browser can die (the out-of-memory killer, a crash) or hang. Each browser "generation"
runs in its own thread with its own asyncio loop; a caller waits for its image at most
EXPORT_TIMEOUT_S, and on a timeout or any browser error that generation is discarded (its
process group killed, its loop stopped) and the next export starts a fresh browser. The
caller gets ExportUnavailable with a plain message. No lock is ever held across a wait
without a time limit, so a hung browser cannot tie up the server or keep it from stopping.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import contextlib
import functools
import html
import io
import json
import logging
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any, Literal

import kaleido
import plotly.graph_objects as go
import psutil
from pypdf import PdfReader, PdfWriter

from geo.formats import IMAGE_FORMATS
from patches import quiet_kaleido_browser

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

Format = Literal["png", "svg", "pdf"]  # geo.formats.IMAGE_FORMATS

# Today a cited chart takes about 0.2 s warm and 2-3 s with a fresh browser on this 2-core
# machine; 20 s leaves room for a loaded server and still answers a reader long before they
# give up. Starting Chromium gets its own limit, as a cold start under load is slower.
EXPORT_TIMEOUT_S = 20.0
START_TIMEOUT_S = 30.0
# How long a discarded browser may take to close before its process group is killed anyway.
CLOSE_TIMEOUT_S = 5.0

# Flags that stop Chromium's background networking: component and update checks, field
# trials, optimisation hints, media-router discovery, sync, safe-browsing lists, pings, DNS
# prefetch and QUIC. kaleido's own page and plotly.js are local files.
QUIET_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-sync",
    "--disable-quic",
    "--disable-features=OptimizationHints,OptimizationHintsFetching,OptimizationGuideModelDownloading,"
    "MediaRouter,DialMediaRouteProvider,Translate,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,NetworkTimeServiceQuerying",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-pings",
    "--no-service-autorun",
    "--safebrowsing-disable-auto-update",
    # Any name resolves to nothing; the page and plotly.js are file:// URLs.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
)
# A proxy on the discard port of loopback: a request that slipped past the flags fails at once
# on this machine instead of reaching the network.
DEAD_PROXY = "http://127.0.0.1:9"


class _NoWatchdogClose(logging.Filter):
    """Drops choreographer's "Wait expired, Browser is being closed by watchdog." warning.

    Its watchdog logs that line whenever the browser process ends, and the atlas ends it
    itself: on every exit (atexit's reset) and when it discards a failed generation, which it
    reports in its own words (ExportUnavailable). So every successful `python -m geo brief`
    printed it to stderr, as if something had failed. Every other record still passes.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Wait expired, Browser is being closed")


WATCHDOG_FILTER = _NoWatchdogClose()
logging.getLogger("choreographer.browser_async").addFilter(WATCHDOG_FILTER)


_launchers: dict[str, str | None] = {}


def offline_launcher(browser: str) -> str | None:
    """A launcher that starts `browser` in a network namespace of its own, or None.

    The export browser needs no network at all (its page and plotly.js are files, and kaleido
    talks to it over a pipe), so it runs where there is none: `unshare --net` gives it an
    empty namespace, and `--map-root-user` lets an unprivileged server user make one. Even
    the flags above leave one thing behind: Chromium's network service probes IPv6
    reachability with a UDP connect() to a public address at start. In the namespace that
    fails on the spot. None when this kernel or user may not make namespaces; the flags and
    the dead proxy still apply then.
    """
    if browser in _launchers:
        return _launchers[browser]
    import shlex
    import subprocess
    import tempfile

    unshare = shutil.which("unshare")
    launcher = None
    if unshare:
        probe = [unshare, "--net", "--map-root-user", "--", "true"]
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            if subprocess.run(probe, capture_output=True, timeout=10).returncode == 0:  # noqa: S603 - fixed argv
                folder = tempfile.mkdtemp(prefix="atlas-export-")
                # Removed when the process exits (one folder per server process otherwise
                # piled up in /tmp); the browser started from it is gone by then.
                atexit.register(shutil.rmtree, folder, ignore_errors=True)
                launcher = os.path.join(folder, "chromium-offline")
                with open(launcher, "w") as fh:
                    fh.write(
                        "#!/bin/sh\n"
                        f"exec {shlex.quote(unshare)} --net --map-root-user -- "
                        f'{shlex.quote(browser)} "$@"\n'
                    )
                os.chmod(launcher, 0o700)
    _launchers[browser] = launcher
    return launcher


class ExportUnavailable(RuntimeError):
    """Image export cannot run here now; the message says why and what the reader can do."""


def browser_path() -> str | None:
    """The Chromium kaleido will use: $BROWSER_PATH if set, else the first on PATH.

    Looked up once per setting of those two variables: every map click asks (to say whether
    the map's download can work), and searching PATH cost half a millisecond each time."""
    return _find_browser(os.environ.get("BROWSER_PATH"), os.environ.get("PATH"))


@functools.lru_cache(maxsize=8)
def _find_browser(override: str | None, _path: str | None) -> str | None:
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


class _Generation:
    """One export browser: a kaleido instance living in its own thread and event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="atlas-export-browser", daemon=True
        )
        self.thread.start()
        self.kaleido: kaleido.Kaleido | None = None
        self.discarded = False

    def _run(self, coro: Any, timeout: float) -> Any:
        """Run a coroutine on this generation's loop; give up after `timeout` seconds."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def start(self) -> None:
        """Start Chromium with the quiet flags; raises on failure or after START_TIMEOUT_S."""

        browser = browser_path() or "chromium"
        path = offline_launcher(browser) or browser

        async def make() -> kaleido.Kaleido:
            k = kaleido.Kaleido(
                n=1,
                timeout=EXPORT_TIMEOUT_S,
                mathjax=False,
                path=path,
                proxy_server=DEAD_PROXY,
            )
            quiet_kaleido_browser(k, QUIET_FLAGS)
            self.kaleido = k  # before open(), so a hung start can still be killed
            await k.open()
            return k

        self._run(make(), START_TIMEOUT_S)

    def render(self, fig: go.Figure, opts: dict[str, Any], timeout: float) -> bytes:
        """The image bytes, or an exception (TimeoutError when over `timeout`)."""
        if self.kaleido is None:
            raise RuntimeError("the export browser was never started")
        return self._run(self.kaleido.calc_fig(fig, opts=opts, topojson=OFFLINE_TOPOJSON), timeout)

    def alive(self) -> bool:
        """Whether the browser still runs: its launcher and the Chromium under it."""
        proc = getattr(self.kaleido, "subprocess", None)
        return (
            not self.discarded
            and proc is not None
            and proc.poll() is None
            and len(_descendants(proc.pid)) > 1
        )

    def pids(self) -> list[int]:
        """The browser's processes: kaleido's launcher and every process under it."""
        proc = getattr(self.kaleido, "subprocess", None)
        return _descendants(proc.pid) if proc is not None else []

    def discard(self) -> None:
        """Kill the browser's processes, close what is left and stop the loop, in the background.

        Nothing here waits without a limit: a frozen browser is killed, not asked to close.
        """
        if self.discarded:
            return
        self.discarded = True
        proc = getattr(self.kaleido, "subprocess", None)
        if proc is not None:
            # The launcher starts a new session, so its process group holds the whole browser.
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            for pid in _descendants(proc.pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)

        def finish() -> None:
            if self.kaleido is not None:
                with contextlib.suppress(Exception):
                    self._run(self.kaleido.close(), CLOSE_TIMEOUT_S)
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self.loop.stop)

        threading.Thread(target=finish, name="atlas-export-discard", daemon=True).start()


def _descendants(pid: int) -> list[int]:
    """`pid` and every live process below it."""
    try:
        proc = psutil.Process(pid)
        return [pid, *(c.pid for c in proc.children(recursive=True))]
    except psutil.NoSuchProcess:
        return []


# Guards only the swap of the current generation: held for no wait on the browser itself.
_swap = threading.Lock()
# Starting a browser is held by one caller at a time, for at most START_TIMEOUT_S.
_starting = threading.Lock()
_current: _Generation | None = None


def _generation(deadline: float) -> _Generation:
    """The live browser generation, started if there is none; bounded by `deadline`."""
    global _current
    with _swap:
        gen = _current
    if gen is not None and gen.alive():
        return gen
    if gen is not None:
        _drop(gen)  # killed or crashed since the last export: start afresh, say nothing
    if not _starting.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise ExportUnavailable(
            "Image export is busy starting its browser; please try again in a moment."
        )
    try:
        with _swap:
            gen = _current
        if gen is not None and gen.alive():
            return gen
        gen = _Generation()
        try:
            gen.start()
        except BaseException:
            gen.discard()
            raise
        with _swap:
            _current = gen
        return gen
    finally:
        _starting.release()


def _drop(gen: _Generation) -> None:
    """Discard `gen`, and forget it if it is still the current one."""
    global _current
    with _swap:
        if _current is gen:
            _current = None
    gen.discard()


def reset() -> None:
    """Discard the export browser; the next export starts a fresh one."""
    with _swap:
        gen = _current
    if gen is not None:
        _drop(gen)


def browser_pids() -> list[int]:
    """The current export browser's process ids (empty when none runs): for tests and ops."""
    with _swap:
        gen = _current
    return gen.pids() if gen is not None and not gen.discarded else []


atexit.register(reset)


def _unavailable(exc: BaseException, fmt: str, limit: float) -> ExportUnavailable:
    if isinstance(exc, concurrent.futures.TimeoutError | TimeoutError | asyncio.TimeoutError):
        why = f"the export browser did not answer within {limit:g} s"
    else:
        why = f"the export browser failed ({type(exc).__name__})"
    return ExportUnavailable(
        f"{fmt.upper()} export is unavailable right now: {why}. It has been restarted; "
        "please try again. The chart's data still downloads as CSV."
    )


def _render(
    fig: go.Figure,
    width: int,
    height: int,
    scale: float = 1.0,
    *,
    fmt: Format = "png",
    persistent: bool = True,
    timeout: float | None = None,
) -> bytes:
    """The image as kaleido renders it (see render_image)."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"fmt must be one of {IMAGE_FORMATS}, got {fmt!r}")
    _check_browser()
    limit = EXPORT_TIMEOUT_S if timeout is None else timeout
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    if not persistent:
        gen = _Generation()
        try:
            gen.start()
            return gen.render(fig, opts, limit)
        except Exception as exc:
            raise _unavailable(exc, fmt, limit) from exc
        finally:
            gen.discard()
    deadline = time.monotonic() + limit
    for attempt in (1, 2):
        try:
            gen = _generation(time.monotonic() + START_TIMEOUT_S)
        except ExportUnavailable:
            raise
        except Exception as exc:
            raise _unavailable(exc, fmt, limit) from exc
        try:
            return gen.render(fig, opts, max(0.1, deadline - time.monotonic()))
        except Exception as exc:  # kaleido and choreographer raise many kinds; all mean the same
            _drop(gen)
            timed_out = isinstance(exc, concurrent.futures.TimeoutError | TimeoutError)
            # A browser that died under this call gets one fresh successor; a hang does not,
            # so the reader's wait stays bounded by the limit.
            if timed_out or attempt == 2 or time.monotonic() >= deadline:
                raise _unavailable(exc, fmt, limit) from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _brief_pdf(pdf: bytes, title: str) -> bytes:
    """Kaleido's PDF made fit for a brief: titled after the chart (Chromium names it after
    kaleido's own page, "Kaleido-fier") and its drawing compressed (about half the bytes)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        page.compress_content_streams(level=9)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    writer.add_metadata(
        {
            "/Title": title,
            "/Creator": "Iran–Pakistan Corridor Atlas",
            "/Producer": "Skia/PDF, pypdf",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_title(fig: go.Figure) -> str:
    """The figure's title as plain text: line breaks as spaces, no markup."""
    text = str(fig.layout.title.text or "") if fig.layout.title else ""
    text = re.sub(r"<br\s*/?>", " ", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip() or "Iran–Pakistan Corridor Atlas"


def render_image(
    fig: go.Figure,
    width: int,
    height: int,
    scale: float = 1.0,
    *,
    fmt: Format = "png",
    persistent: bool = True,
    timeout: float | None = None,
    title: str | None = None,
) -> bytes:
    """Render a figure as `fmt` ("png", "svg" or "pdf") bytes of `width` × `height` × `scale`.

    A PDF is titled `title` (else the figure's own title) and compressed. Returns within
    `timeout` seconds (EXPORT_TIMEOUT_S by default) plus, on a cold start, the time to start
    Chromium. `persistent=False` starts a browser for this one image (the cold path, for
    benchmarks). Raises ExportUnavailable when there is no browser, or the browser fails or
    hangs; in the last two cases the browser is replaced for the next export.
    """
    data = _render(fig, width, height, scale, fmt=fmt, persistent=persistent, timeout=timeout)
    return _brief_pdf(data, title or plain_title(fig)) if fmt == "pdf" else data
