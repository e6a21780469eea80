"""Load the atlas the way many readers would, speaking Streamlit's own websocket protocol.

    uv run python scripts/load.py --url http://127.0.0.1:8501 --sessions 20 --duration 60 \\
        --server-pid 12345 [--server-pid 12346] [--json out.json]
    uv run python scripts/load.py --url ... --sessions 10 --soak 600 --server-pid 12345

No browser: each session is a websocket to /_stcore/stream that sends BackMsgs and reads
ForwardMsgs (streamlit.proto), as Streamlit's frontend does, so the clients cost almost nothing
and what is measured is the server. A session opens the map page, finds the st_folium
component in the delta stream by its component name (so a new widget key or layout does not
break it), then every 0.3–1.2 s "clicks" a random feature: it sends the component's value
exactly as streamlit-folium's frontend would after a click (`{"last_active_drawing": <the
clicked layer as GeoJSON>}`), and waits until the panel shows that feature's name and exactly
its quotes (compared with the dataset's, loaded with geo.dataset.load_dataset).

Reported: clicks, errors, wrong panels, click-to-panel latency (median/p95/max), ForwardMsg
bytes received per click and the bytes the socket delivered (the same, framed, and compressed
when websocket deflate is on), and the server's CPU seconds per click (from /proc/<pid>/stat of
every --server-pid, over the clicking window only).
`--value stock` clicks the benchmark's peer (scripts/peer_app.py) with the value `st_folium`'s
defaults send; `--deflate` offers websocket permessage-deflate, as a browser does. The generator lowers its own priority
(nice 19) so that, on a shared machine, it does not take CPU from the server it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import ClientConnection  # noqa: E402

from geo.dataset import load_dataset  # noqa: E402

MAP_COMPONENT = "streamlit_folium.st_folium"
QUOTES_KEY = "panel-quotes"  # the container of the feature's own quotes in the panel
NICENESS = 19
CLICK_TIMEOUT_S = 30.0
_MD_ESCAPE = re.compile(r"\\(.)")


def unescape(body: str) -> str:
    """Markdown text as it reads: the pages escape data text with backslashes (geo.text.md)."""
    return _MD_ESCAPE.sub(r"\1", body)


def fold(text: str) -> str:
    return " ".join(text.split())


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": round(statistics.median(values), 1),
        "p95": round(pct(values, 95), 1),
        "max": round(max(values), 1),
    }


# --- the server's side, from /proc -------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the given processes have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pids: list[int]) -> float:
    """Resident memory of the given processes together, in MB."""
    total = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        total += next(int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS"))
    return total / 1024


# --- one session ---------------------------------------------------------------------------------


@dataclass
class Expected:
    """What the panel must show for a feature: its name and exactly its quotes, in order."""

    feature_id: str
    name: str
    quotes: list[str]
    value: str  # the st_folium component's value after a click on this feature, as JSON


def _a_point(geometry: dict) -> tuple[float, float]:
    """A (lat, lng) on the geometry, where a reader's click on it would land."""
    coords = geometry["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[len(coords) // 2]
    return coords[1], coords[0]


def stock_value(drawing: dict, clicks: int) -> dict:
    """What streamlit-folium's frontend sends after a click with `st_folium`'s defaults (every
    returned object): the click, the clicked layer, and the whole view (bounds, zoom, centre),
    at the peer's opening view (scripts/peer_app.py)."""
    lat, lng = _a_point(drawing["geometry"])
    at = {"lat": lat, "lng": lng}
    return {
        "last_clicked": at,
        "last_object_clicked": at,
        "last_object_clicked_count": clicks,
        "last_object_clicked_tooltip": drawing["properties"]["name"],
        "last_object_clicked_popup": None,
        "all_drawings": [],
        "last_active_drawing": drawing,
        "last_geocoder_result": None,
        "bounds": {
            "_southWest": {"lat": 23.885837699862005, "lng": 56.90917968750001},
            "_northEast": {"lat": 30.826780904779774, "lng": 69.49951171875001},
        },
        "zoom": 6,
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "center": {"lat": 27.4, "lng": 63.2},
        "selected_layers": [],
        "selected_tags": [],
    }


def expectations(data_dir: Path | None = None, value: str = "atlas") -> list[Expected]:
    """Every feature's click value and panel, from the dataset itself.

    `value="atlas"`: the value the atlas's map sends (`returned_objects=["last_active_drawing"]`);
    `value="stock"`: the one `st_folium` with its defaults sends (the benchmark's peer).
    """
    ds = load_dataset(data_dir)
    out = []
    for i, f in enumerate(ds.features, 1):
        # What Leaflet's layer.toGeoJSON() gives for the clicked layer: the feature as drawn,
        # its properties carrying the id the page reads (properties.id).
        drawing = {
            "type": "Feature",
            "properties": {"id": f.id, "name": f.props.name},
            "geometry": f.geometry,
        }
        sent = stock_value(drawing, i) if value == "stock" else {"last_active_drawing": drawing}
        out.append(
            Expected(
                f.id,
                f.props.name,
                [fold(c.quote) for c in f.props.citations],
                json.dumps(sent, separators=(",", ":")),
            )
        )
    return out


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    clicks: int = 0
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    bytes_in: int = 0  # ForwardMsg payloads, as Streamlit made them
    wire_in: int = 0  # what the socket delivered: frames, after any websocket compression
    cache_hits: int = 0
    counting: bool = False  # bytes count only inside the clicking window


class Session:
    """One reader's websocket: the page as Streamlit's frontend would hold it."""

    def __init__(
        self, url: str, stats: Stats, component: str = MAP_COMPONENT, deflate: bool = False
    ):
        self.url = url.rstrip("/")
        self.deflate = deflate  # offer permessage-deflate, as a browser does
        self.stats = stats
        self.component = component
        self.ws = None
        self.widget_id: str | None = None
        self.widget_fragment = ""
        self.page_hash = ""
        self.query = ""
        self.cached: set[str] = set()
        # The page as shown: delta path -> (element type, text, fragment id).
        self.screen: dict[tuple, tuple[str, str, str]] = {}
        self.run_paths: set[tuple] = set()
        self.run_elements: list[tuple[str, str]] = []
        self.finished = asyncio.Event()
        self.panel_event = asyncio.Event()
        self.expect: Expected | None = None
        self.exceptions: list[str] = []
        self.reader: asyncio.Task | None = None
        self.broken: str | None = None

    def _cookies(self) -> str:
        """Load the page first, as a browser does: a proxy in front sets its sticky cookie here."""
        with urllib.request.urlopen(self.url + "/", timeout=30) as r:  # noqa: S310
            jar = SimpleCookie()
            for header in r.headers.get_all("Set-Cookie") or []:
                jar.load(header)
        return "; ".join(f"{k}={m.value}" for k, m in jar.items())

    async def open(self, timeout: float = 120.0) -> None:
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        cookie = await asyncio.to_thread(self._cookies)
        self.ws = await websockets.connect(
            f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=f"{parts.scheme}://{parts.netloc}",
            additional_headers={"Cookie": cookie} if cookie else None,
            max_size=None,
            # Off unless asked: what Streamlit sends is counted either way (bytes_in), and
            # what the socket carried beside it (wire_in).
            compression="deflate" if self.deflate else None,
            open_timeout=timeout,
            create_connection=self._counted(),
        )
        self.reader = asyncio.create_task(self._read())
        await self._rerun(None)
        await asyncio.wait_for(self.finished.wait(), timeout)
        if self.broken:
            raise ConnectionError(self.broken)
        if self.widget_id is None:
            raise RuntimeError(f"no {self.component} component on the page")

    def _counted(self) -> type[ClientConnection]:
        """A connection that adds the bytes its socket delivers to this session's stats."""
        stats = self.stats

        class Counted(ClientConnection):
            def data_received(self, data: bytes) -> None:
                if stats.counting:
                    stats.wire_in += len(data)
                super().data_received(data)

        return Counted

    async def close(self) -> None:
        if self.reader:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader
        if self.ws:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def _rerun(self, value: str | None) -> None:
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query
        rs.page_script_hash = self.page_hash
        rs.context_info.timezone = "UTC"
        rs.context_info.locale = "en-GB"
        rs.cached_message_hashes.extend(sorted(self.cached))
        if value is not None:
            ws = rs.widget_states.widgets.add()
            ws.id = self.widget_id
            ws.json_value = value
            if self.widget_fragment:
                rs.fragment_id = self.widget_fragment
        self.finished.clear()
        self.run_paths = set()
        # What this run sent, in order: (element type, fragment id or "" for a full run).
        self.run_elements = []
        if self.broken:
            raise ConnectionError(self.broken)
        await self.ws.send(msg.SerializeToString())

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                if self.stats.counting:
                    self.stats.bytes_in += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as exc:
            self.broken = f"{type(exc).__name__}: {exc}"
        else:
            self.broken = "the server closed the websocket"
        # Whoever waits on this session learns at once that nothing more will come.
        self.finished.set()
        self.panel_event.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            self.cached.add(msg.hash)
        if kind == "ref_hash":
            # A message this client holds already; none the panel needs is large enough.
            self.stats.cache_hits += 1
            self.run_paths.add(tuple(msg.metadata.delta_path))
            self.run_elements.append(("ref_hash", ""))
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                # The click's run stopped to rerun the panel's fragments (pages/map.py): the
                # panel is still to come, so nothing is pruned or judged yet.
                return
            self._prune()
            self._check_panel()
            self.finished.set()

    def _delta(self, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        delta = msg.delta
        self.run_paths.add(path)
        if delta.WhichOneof("type") != "new_element":
            # The container of the feature's own quotes is known by its key (pages/map.py):
            # the panel's claims and differences quote the sources too, and are not its quotes.
            key = delta.add_block.id if delta.WhichOneof("type") == "add_block" else ""
            self.screen[path] = ("block", key, delta.fragment_id)
            return
        element = delta.new_element
        etype = element.WhichOneof("type")
        self.run_elements.append((etype, delta.fragment_id))
        text = ""
        if etype == "component_instance":
            inst = element.component_instance
            if inst.component_name == self.component:
                self.widget_id = inst.id
                self.widget_fragment = delta.fragment_id
        elif etype == "heading":
            text = f"{element.heading.tag}:{unescape(element.heading.body)}"
        elif etype == "markdown":
            text = unescape(element.markdown.body)
        elif etype == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:200])
        self.screen[path] = (etype, text, delta.fragment_id)
        self._check_panel()

    def _prune(self) -> None:
        """What the frontend does when a run ends: elements the run did not send again go."""
        full = any(self.screen.get(p, ("", "", ""))[2] == "" for p in self.run_paths)
        frags = {self.screen[p][2] for p in self.run_paths if p in self.screen}
        for path in [p for p in self.screen if p not in self.run_paths]:
            if full or self.screen[path][2] in frags:
                del self.screen[path]

    def shown(self) -> tuple[str | None, list[str]]:
        """The panel's feature name (the h3 heading) and its quotes, in page order."""
        name, quotes = None, []
        own = [p for p, (etype, key, _) in self.screen.items()
               if etype == "block" and key.endswith(QUOTES_KEY)]  # fmt: skip
        for path in sorted(self.screen):
            etype, text, _ = self.screen[path]
            if etype == "heading" and text.startswith("h3:"):
                name = text[3:]
            elif (
                etype == "markdown"
                and text.startswith("> ")
                # The benchmark's peer has no such container: all its quotes are the feature's.
                and (not own or any(path[: len(p)] == p for p in own))
            ):
                # A quote and its byline are one element: the quote ends at the first blank line.
                quotes.append(fold(text[2:].split("\n\n")[0]))
        return name, quotes

    def _check_panel(self) -> None:
        if self.expect and not self.panel_event.is_set():
            # Only a panel sent by this click's run counts, never the one left from before.
            heading = f"h3:{self.expect.name}"
            if not any(
                path in self.run_paths
                for path, (etype, text, _) in self.screen.items()
                if etype == "heading" and text == heading
            ):
                return
            name, quotes = self.shown()
            if name == self.expect.name and quotes == self.expect.quotes:
                self.panel_event.set()

    async def click(self, expect: Expected) -> float:
        """Click a feature; returns milliseconds until the panel shows exactly its quotes."""
        self.expect = expect
        self.panel_event.clear()
        self.exceptions.clear()
        t0 = time.perf_counter()
        await self._rerun(expect.value)
        await asyncio.wait_for(self.panel_event.wait(), CLICK_TIMEOUT_S)
        latency = (time.perf_counter() - t0) * 1000
        # The run must also end with that panel: nothing else may follow it.
        await asyncio.wait_for(self.finished.wait(), CLICK_TIMEOUT_S)
        self.expect = None
        if self.broken:
            raise ConnectionError(self.broken)
        if self.exceptions:
            raise RuntimeError(f"exception on the page: {self.exceptions[0]}")
        name, quotes = self.shown()
        if name != expect.name or quotes != expect.quotes:
            raise WrongPanel(f"{expect.feature_id}: panel shows {name!r} with {len(quotes)} quotes")
        return latency


class WrongPanel(Exception):
    """The run ended with another feature's panel, or with quotes not the feature's own."""


async def _reader(session: Session, feats: list[Expected], rng: random.Random, deadline: float):
    stats = session.stats
    last = None
    while time.perf_counter() < deadline:
        # A second click on the same feature changes nothing the frontend would send.
        expect = rng.choice([f for f in feats if f is not last])
        last = expect
        try:
            latency = await session.click(expect)
        except WrongPanel as exc:
            stats.wrong.append(str(exc))
            stats.clicks += 1
        except Exception as exc:
            stats.errors.append(f"{expect.feature_id}: {type(exc).__name__}: {exc}"[:200])
            if session.broken:
                return
        else:
            stats.clicks += 1
            stats.latencies_ms.append(latency)
        await asyncio.sleep(rng.uniform(0.3, 1.2))  # a reader's pause


async def _run(
    url: str,
    sessions: int,
    duration: float,
    pids: list[int],
    seed: int,
    soak: float,
    sample_every: float,
    value: str = "atlas",
    deflate: bool = False,
) -> dict:
    feats = expectations(value=value)
    stats = Stats()
    opened: list[Session] = []
    t0 = time.perf_counter()
    rss_start = rss_mb(pids) if pids else None

    async def open_one(i: int) -> None:
        await asyncio.sleep(i * 0.05)  # readers arrive over a moment, not in one instant
        s = Session(url, stats, deflate=deflate)
        try:
            await s.open()
        except Exception as exc:
            stats.errors.append(f"open: {type(exc).__name__}: {exc}"[:200])
            await s.close()
        else:
            opened.append(s)

    await asyncio.gather(*(open_one(i) for i in range(sessions)))
    ramp_up = time.perf_counter() - t0

    window = soak or duration
    samples: list[tuple[float, float]] = []
    cpu0 = cpu_seconds(pids) if pids else None
    stats.counting = True
    start = time.perf_counter()
    deadline = start + window

    async def sampler() -> None:
        while True:
            samples.append((round(time.perf_counter() - start, 1), round(rss_mb(pids), 1)))
            await asyncio.sleep(sample_every)

    sampling = asyncio.create_task(sampler()) if pids and soak else None
    await asyncio.gather(
        *(_reader(s, feats, random.Random(seed + i), deadline) for i, s in enumerate(opened))
    )
    wall = time.perf_counter() - start
    stats.counting = False
    cpu = cpu_seconds(pids) - cpu0 if pids else None
    if sampling:
        sampling.cancel()
    for s in opened:
        await s.close()

    clicks = max(1, stats.clicks)
    out = {
        "url": url,
        "sessions": sessions,
        "opened": len(opened),
        "seconds": round(wall, 1),
        "ramp_up_s": round(ramp_up, 1),
        "clicks": stats.clicks,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "wrong_panels": len(stats.wrong),
        "wrong_samples": stats.wrong[:5],
        "click_to_panel_ms": summary(stats.latencies_ms),
        "bytes_per_click": round(stats.bytes_in / clicks),
        "wire_bytes_per_click": round(stats.wire_in / clicks),
        "value": value,
        "websocket_deflate": deflate,
        "cache_hits": stats.cache_hits,
    }
    if pids:
        out.update(
            server_pids=pids,
            server_cpu_s=round(cpu, 2),
            server_cores_busy=round(cpu / wall, 2),
            cpu_s_per_click=round(cpu / clicks, 4),
            rss_mb_end=round(rss_mb(pids), 1),
        )
    if samples:
        rss = [r for _, r in samples]
        # Start: once every session is open and has run the page, as clicking begins.
        out["soak"] = {
            "rss_mb_before_sessions": rss_start and round(rss_start, 1),
            "rss_mb_start": rss[0],
            "rss_mb_end": rss[-1],
            "rss_mb_max": max(rss),
            "end_over_start": round(rss[-1] / rss[0], 3),
            "samples": samples,
        }
    return out


def run(
    url: str,
    sessions: int = 20,
    duration: float = 60.0,
    server_pids: list[int] | None = None,
    seed: int = 1,
    soak: float = 0.0,
    sample_every: float = 10.0,
    value: str = "atlas",
    deflate: bool = False,
) -> dict:
    """Load the server at `url` with `sessions` protocol-level readers; returns the figures.

    Runs in this process at its current priority; `run_niced` runs it at nice 19 instead.
    With `soak` > 0 the clicking lasts `soak` seconds and the servers' RSS is sampled every
    `sample_every` seconds. `value` is the click's value shape ("atlas", or "stock" for the
    benchmark's peer, scripts/peer_app.py); `deflate` offers websocket permessage-deflate.
    """
    return run_coroutine(
        _run(
            url,
            sessions,
            duration,
            list(server_pids or []),
            seed,
            soak,
            sample_every,
            value=value,
            deflate=deflate,
        )
    )


def run_coroutine(coro):
    """asyncio.run, in a thread of its own when this thread already runs an event loop
    (Playwright's sync API keeps one running in the thread that started it)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def run_niced(url: str, sessions: int, duration: float, server_pids: list[int], **kw) -> dict:
    """`run` in a child process at nice 19, so the generator yields the CPU to the server."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--url", url, "--sessions",
           str(sessions), "--duration", str(duration), "--json", "-"]  # fmt: skip
    for pid in server_pids:
        cmd += ["--server-pid", str(pid)]
    for key, value in kw.items():
        flag = f"--{key.replace('_', '-')}"
        if isinstance(value, bool):
            cmd += [flag] if value else []  # a switch: present or absent
        else:
            cmd += [flag, str(value)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def report(r: dict) -> str:
    lat = r["click_to_panel_ms"]
    lines = [
        f"{r['sessions']} sessions ({r['opened']} opened in {r['ramp_up_s']} s), "
        f"{r['seconds']} s of clicking against {r['url']}",
        f"clicks {r['clicks']}, errors {r['errors']}, wrong panels {r['wrong_panels']}",
        f"click to panel: median {lat.get('median')} ms, p95 {lat.get('p95')} ms, "
        f"max {lat.get('max')} ms",
        f"bytes per click {r['bytes_per_click']:,} (cache hits {r['cache_hits']}); on the "
        f"wire {r['wire_bytes_per_click']:,} (websocket deflate "
        f"{'offered' if r['websocket_deflate'] else 'off'})",
    ]
    if "cpu_s_per_click" in r:
        lines.append(
            f"server CPU {r['server_cpu_s']} s = {r['server_cores_busy']} cores, "
            f"{r['cpu_s_per_click']} CPU-s per click; RSS now {r['rss_mb_end']} MB"
        )

    if "soak" in r:
        s = r["soak"]
        lines.append(
            f"soak RSS: start {s['rss_mb_start']} MB, end {s['rss_mb_end']} MB, "
            f"max {s['rss_mb_max']} MB (end/start {s['end_over_start']})"
        )
    lines += [f"  error: {e}" for e in r["error_samples"]]
    lines += [f"  wrong: {e}" for e in r["wrong_samples"]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of clicking")
    parser.add_argument("--server-pid", type=int, action="append", default=[], dest="pids")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--soak", type=float, default=0.0, help="soak for this many seconds")
    parser.add_argument("--sample-every", type=float, default=10.0, help="RSS sampling (s)")
    parser.add_argument("--json", help="write the figures as JSON to this file ('-': stdout)")
    parser.add_argument("--no-nice", action="store_true", help="keep this process's priority")
    parser.add_argument(
        "--value", choices=["atlas", "stock"], default="atlas",
        help="the click's value: the atlas's map, or st_folium's defaults (scripts/peer_app.py)",
    )  # fmt: skip
    parser.add_argument("--deflate", action="store_true", help="offer websocket permessage-deflate")
    args = parser.parse_args()
    if not args.no_nice:
        os.nice(NICENESS)
    result = run(
        args.url,
        args.sessions,
        args.duration,
        args.pids,
        args.seed,
        args.soak,
        args.sample_every,
        value=args.value,
        deflate=args.deflate,
    )
    if args.json == "-":
        print(json.dumps(result))
    else:
        print(report(result))
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 1 if result["errors"] or result["wrong_panels"] else 0


if __name__ == "__main__":
    sys.exit(main())
