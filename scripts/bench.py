"""Benchmark the real atlas: prints its figures beside the aims and writes bench-results.json.

    make bench                      # all of it, in one run (about 30 minutes with the soak)
    uv run python scripts/bench.py --quick                  # everything, small: a smoke run
    uv run python scripts/bench.py --no-browser --soak-seconds 0   # the load runs alone

What readers feel, in one run:
- One reader in Debian's Chromium (Playwright): click to the quote in the popup and to the full
  panel (n = --clicks, 40 by default), page switches, bytes for the map page. Click timings come
  from inside the page (performance.timeOrigin in the map's iframe and in the page), so
  Playwright's own latency is not in them.
- The first map over a slow link (Chromium's network emulation through CDP: 5 Mbit/s each way,
  150 ms round trips, the embassy VPN of issue 23), with an empty cache and then a warm one,
  with the bytes that crossed the link: straight from one process (what `make run` gives) and
  through HAProxy with deploy/haproxy.cfg (the team deployment).
- Many readers as protocol-level sessions (scripts/load.py: Streamlit's websocket protocol, no
  browser, at nice 19): 20 and 100 against one process, 200 through HAProxy to two replicas,
  and a soak that watches the server's memory.
- The peer: a stock streamlit-folium app on the same features (scripts/peer_app.py, st_folium
  with its defaults, quotes by a full rerun) under the same load as the atlas's 20 sessions,
  with the ratios atlas : peer for p95, bytes and server CPU per click.
- Websocket permessage-deflate (`server.enableWebsocketCompression`): bytes on the wire and
  server CPU per click with it off and on, and whether it pays.
Medians and 95th percentiles are reported; the machine is shared, so compare figures measured
in one run.
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import tomllib
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.chartlayout import EXPORT_SIZE, cited_figure  # noqa: E402
from geo.charts import build_charts  # noqa: E402
from geo.dataset import load_dataset  # noqa: E402
from geo.pngexport import render_image  # noqa: E402
from tests.browser import (  # noqa: E402
    MAP_IFRAME,
    AppServer,
    Replicas,
    click_feature,
    close_popup,
    launch,
    map_frame,
    show,
)

_spec = importlib.util.spec_from_file_location("atlas_load", ROOT / "scripts" / "load.py")
load = importlib.util.module_from_spec(_spec)
sys.modules["atlas_load"] = load
_spec.loader.exec_module(load)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), nearest rank: simple, and honest on small samples."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": round(statistics.median(values), 1),
        "p95": round(pct(values, 95), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
    }


def bench_single_user(clicks: int) -> dict:
    """Cold start, bytes for the map, page switches, and click timings for one reader."""
    from playwright.sync_api import sync_playwright

    ds = load_dataset()
    out: dict = {}
    server = AppServer()
    t0 = time.perf_counter()
    server.start()
    try:
        with sync_playwright() as p:
            browser = launch(p)
            context = browser.new_context(viewport={"width": 1400, "height": 950})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            received = {"http": 0, "ws": 0}
            cdp.on(
                "Network.loadingFinished",
                lambda e: received.__setitem__("http", received["http"] + e["encodedDataLength"]),
            )
            cdp.on(
                "Network.webSocketFrameReceived",
                lambda e: received.__setitem__("ws", received["ws"] + _frame_bytes(e)),
            )
            page.goto(server.url)
            frame = map_frame(page)
            out["cold_start_to_map_interactive_s"] = round(time.perf_counter() - t0, 2)
            out["server_start_to_healthy_s"] = round(server.ready_at - t0, 2)
            page.wait_for_timeout(1500)  # let late requests land before counting
            out["map_page_bytes"] = {
                "http": received["http"],
                "websocket": received["ws"],
                "total": sum(received.values()),
            }

            # Clicks: the features a reader reaches at the opening view, round-robin.
            feats = [
                f
                for f in ds.features
                if f.props.kind in ("crossing", "port") or f.geometry["type"] != "Point"
            ]
            timings = []
            i = 0
            while len(timings) < clicks:
                f = feats[i % len(feats)]
                i += 1
                show(frame, f)
                t = click_feature(page, frame, f)
                timings.append(t)
                close_popup(frame)
            out["click_to_quote_in_popup_ms"] = summary([t.popup_ms for t in timings])
            out["click_to_first_quote_in_panel_ms"] = summary(
                [t.panel_first_quote_ms for t in timings]
            )
            out["click_to_full_panel_ms"] = summary([t.panel_full_ms for t in timings])

            switches = {}
            targets = [
                ("Figures", ".st-key-chart-trade .js-plotly-plot"),
                ("Timeline", ".js-plotly-plot"),
                ("Sources", '[role="tablist"]'),  # its Read / Search / Disagreements tabs
                ("About the data", "text=Validator:"),
                ("Map", MAP_IFRAME),
            ]
            # Wait for each page's own heading first: the previous page's element would match too.
            headings = {"Map": "Iran–Pakistan Corridor Atlas"}
            for _ in range(3):
                for name, selector in targets:
                    start = time.perf_counter()
                    page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()
                    page.get_by_role("heading", name=headings.get(name, name), exact=True).wait_for(
                        state="visible", timeout=60_000
                    )
                    page.locator(selector).first.wait_for(state="visible", timeout=60_000)
                    switches.setdefault(name, []).append((time.perf_counter() - start) * 1000)
                    page.wait_for_timeout(300)
            out["page_switch_ms"] = {
                name: round(statistics.median(v)) for name, v in switches.items()
            }
            browser.close()
    finally:
        server.stop()
    return out


def _frame_bytes(event: dict) -> int:
    """A websocket frame's payload size: CDP gives binary frames (opcode 2) in base64."""
    data = event["response"]["payloadData"]
    return len(base64.b64decode(data)) if event["response"].get("opcode") == 2 else len(data)


# Issue 23's slow link: an embassy VPN, 5 Mbit/s each way and 150 ms round trips.
SLOW_LINK = {
    "offline": False,
    "latency": 150,  # ms added to every request's round trip
    "downloadThroughput": 5_000_000 / 8,  # bytes per second
    "uploadThroughput": 5_000_000 / 8,
}


def _first_map(context, url: str) -> dict:
    """Open the map in a new page of `context` over the slow link: seconds until the map's
    features are drawn, and the bytes that crossed the link (HTTP as encoded on the wire,
    websocket payloads as delivered)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    got = {"http": 0, "ws": 0, "requests": 0}

    def finished(e: dict) -> None:
        got["http"] += e["encodedDataLength"]
        got["requests"] += 1

    cdp.on("Network.loadingFinished", finished)
    cdp.on(
        "Network.webSocketFrameReceived",
        lambda e: got.__setitem__("ws", got["ws"] + _frame_bytes(e)),
    )
    t0 = time.perf_counter()
    page.goto(url)
    map_frame(page)
    seconds = time.perf_counter() - t0
    page.wait_for_timeout(1000)  # late requests (tiles) still count as bytes
    page.close()
    return {
        "seconds": round(seconds, 2),
        "http_bytes": got["http"],
        "websocket_bytes": got["ws"],
        "bytes": got["http"] + got["ws"],
        "requests": got["requests"],
    }


def bench_first_map(via_proxy: bool, replicas: int = 2) -> dict:
    """The first map over the slow link, cache cold and then warm, direct or through HAProxy.

    The server has already served one page (to another browser), so what is timed is the
    link and the browser, not the server's first run. Cold: a new browser profile; warm: a
    second visit in the same profile, its HTTP cache filled by the first.
    """
    from playwright.sync_api import sync_playwright

    target = Replicas(n=replicas) if via_proxy else AppServer()
    with target, sync_playwright() as p:
        browser = launch(p)
        try:
            warmup = browser.new_context()
            page = warmup.new_page()
            page.goto(target.url)
            map_frame(page)
            warmup.close()
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            out = {"cold": _first_map(context, target.url), "warm": _first_map(context, target.url)}
            context.close()
        finally:
            browser.close()
    out["link"] = "5 Mbit/s, 150 ms RTT (Chromium network emulation)"
    out["via"] = f"HAProxy, {replicas} replicas" if via_proxy else "one process, no proxy"
    return out


def bench_export(n: int) -> dict:
    """PNG export of the trade chart: a browser per image (cold) against the persistent one (warm)."""
    ds = load_dataset()
    fig = cited_figure(ds, next(c for c in build_charts(ds) if c.id == "trade"), date.today())
    cold, warm = [], []
    for _ in range(n):
        t = time.perf_counter()
        png = render_image(fig, *EXPORT_SIZE, persistent=False)
        cold.append((time.perf_counter() - t) * 1000)
    render_image(fig, *EXPORT_SIZE)  # start the persistent browser; not timed
    for _ in range(n):
        t = time.perf_counter()
        png = render_image(fig, *EXPORT_SIZE)
        warm.append((time.perf_counter() - t) * 1000)
    from io import BytesIO

    from PIL import Image

    from geo.mapimage import MAP_SIZE, map_figure

    # Warm times per format, and for the map image (issue 12).
    per_format = {}
    for fmt in ("png", "svg", "pdf"):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            render_image(fig, *EXPORT_SIZE, fmt=fmt)
            times.append((time.perf_counter() - t) * 1000)
        per_format[f"chart_{fmt}"] = summary(times)
    for fmt in ("png", "svg", "pdf"):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            render_image(map_figure(ds).figure, *MAP_SIZE, fmt=fmt)
            times.append((time.perf_counter() - t) * 1000)
        per_format[f"map_{fmt}"] = summary(times)

    return {
        "cold_ms": summary(cold),
        "warm_ms": summary(warm),
        "warm_by_format_ms": per_format,
        "cold_over_warm": round(statistics.median(cold) / statistics.median(warm), 1),
        "png_size_px": list(Image.open(BytesIO(png)).size),
        "png_bytes": len(png),
    }


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _protocol_load(url: str, pids: list[int], sessions: int, seconds: float, **kw) -> dict:
    """scripts/load.py against running servers, at nice 19; adds how busy the machine was."""
    busy0, t0 = _machine_busy_seconds(), time.perf_counter()
    out = load.run_niced(url, sessions, seconds, pids, **kw)
    out["machine_cores_busy"] = round(
        (_machine_busy_seconds() - busy0) / (time.perf_counter() - t0), 2
    )
    return out


def bench_load(sessions: int, seconds: float) -> dict:
    """Protocol-level readers (no browsers) against one server process."""
    with AppServer() as server:
        out = _protocol_load(server.url, [server.proc.pid], sessions, seconds, deflate=True)
        out["server_peak_rss_mb"] = round(server.peak_rss_mb(), 1)
        out["log_tracebacks"] = server.log().count("Traceback")
    return out


def bench_replicas(replicas: int, sessions: int, seconds: float) -> dict:
    """Protocol-level readers through HAProxy (deploy/haproxy.cfg) to `replicas` processes."""
    with Replicas(n=replicas) as r:
        out = _protocol_load(r.url, r.pids, sessions, seconds, deflate=True)
        out["replicas"] = replicas
        out["log_tracebacks"] = sum(s.log().count("Traceback") for s in r.servers)
    return out


def bench_soak(sessions: int, seconds: float, sample_every: float = 10.0) -> dict:
    """Readers clicking for `seconds` on one process, its RSS sampled every `sample_every` s."""
    with AppServer() as server:
        out = _protocol_load(
            server.url, [server.proc.pid], sessions, 0, soak=seconds, sample_every=sample_every,
            deflate=True,
        )  # fmt: skip
        out["log_tracebacks"] = server.log().count("Traceback")
    return out


def bench_peer(sessions: int, seconds: float) -> dict:
    """The peer (scripts/peer_app.py) under the same protocol-level load as the atlas.

    It runs from an empty folder, so that Streamlit's defaults apply (the atlas's
    .streamlit/config.toml is the atlas's own work), and is clicked with the value
    st_folium's defaults send.
    """
    with (
        tempfile.TemporaryDirectory(prefix="atlas-peer-") as empty,
        AppServer(script=str(ROOT / "scripts" / "peer_app.py"), cwd=Path(empty)) as server,
    ):
        out = _protocol_load(
            server.url, [server.proc.pid], sessions, seconds, value="stock", deflate=True
        )
        out["log_tracebacks"] = server.log().count("Traceback")
    return out


def _config_deflate() -> bool:
    """Whether the atlas's own config turns websocket compression on."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return bool(config.get("server", {}).get("enableWebsocketCompression", False))


def bench_deflate(sessions: int, seconds: float) -> dict:
    """Websocket permessage-deflate off and on (`server.enableWebsocketCompression`), the
    clients offering it as browsers do: bytes on the wire and server CPU per click."""
    out = {}
    for key, on in (("off", False), ("on", True)):
        env = {"STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION": "true" if on else "false"}
        with AppServer(env=env) as server:
            out[key] = _protocol_load(
                server.url, [server.proc.pid], sessions, seconds, deflate=True
            )
            out[key]["log_tracebacks"] = server.log().count("Traceback")
    off, on = out["off"], out["on"]
    out["wire_saved"] = round(
        1 - on["wire_bytes_per_click"] / max(1, off["wire_bytes_per_click"]), 3
    )
    out["cpu_s_added_per_click"] = round(on["cpu_s_per_click"] - off["cpu_s_per_click"], 4)
    out["pays"] = out["wire_saved"] >= DEFLATE_PAYS["wire_saved"] and (
        out["cpu_s_added_per_click"] < DEFLATE_PAYS["cpu_s_added_per_click"]
    )
    out["configured_on"] = _config_deflate()
    return out


# Deflate pays when it saves at least this share of the bytes on the wire for at most this
# much server CPU per click (a millisecond: a tenth of what a click costs the server now).
DEFLATE_PAYS = {"wire_saved": 0.3, "cpu_s_added_per_click": 0.001}


def _ratio(peer: float | None, atlas: float | None) -> float | None:
    if not peer or not atlas:
        return None
    return round(peer / atlas, 1)


def peer_ratios(results: dict) -> dict | None:
    """Peer over atlas at the same load: how many times lower the atlas's figures are."""
    atlas, peer = results.get("load_20"), results.get("peer_20")
    if not atlas or not peer:
        return None
    return {
        "p95": _ratio(peer["click_to_panel_ms"].get("p95"), atlas["click_to_panel_ms"].get("p95")),
        "bytes_per_click": _ratio(peer["bytes_per_click"], atlas["bytes_per_click"]),
        "wire_bytes_per_click": _ratio(peer["wire_bytes_per_click"], atlas["wire_bytes_per_click"]),
        "cpu_s_per_click": _ratio(peer["cpu_s_per_click"], atlas["cpu_s_per_click"]),
    }


def _fmt(v, unit: str = "") -> str:
    return "—" if v is None else f"{v:,}{unit}"


def _lat(r: dict) -> str:
    lat = r["click_to_panel_ms"]
    return f"median {lat.get('median')} ms, p95 {lat.get('p95')} ms, max {lat.get('max')} ms"


def aims(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """Each of the issues' aims: (what, measured, aim, met). Figures, never test assertions."""
    rows: list[tuple[str, str, str, bool | None]] = []
    s = results.get("single_user")
    if s:
        full, popup = s["click_to_full_panel_ms"], s["click_to_quote_in_popup_ms"]
        rows += [
            (f"1 reader in Chromium, click to full panel (n={full['n']})",
             f"median {full['median']} ms, p95 {full['p95']} ms", "median < 100, p95 < 200 ms",
             full["median"] < 100 and full["p95"] < 200),
            (f"1 reader, click to the quote in the popup (n={popup['n']})",
             f"median {popup['median']} ms, p95 {popup['p95']} ms", "< 20 ms",
             popup["median"] < 20),
        ]  # fmt: skip
    for key, label, aim in (
        ("first_map_direct", "first map, 5 Mbit/s 150 ms, one process (make run)", False),
        ("first_map_proxy", "first map, 5 Mbit/s 150 ms, through HAProxy", True),
    ):
        m = results.get(key)
        if not m:
            continue
        cold, warm = m["cold"], m["warm"]
        rows += [
            (f"{label}: cold", f"{cold['seconds']} s, {cold['bytes'] / 1e6:.2f} MB on the wire",
             "< 3 s, < 1 MB" if aim else "",
             cold["seconds"] < 3 and cold["bytes"] < 1_000_000 if aim else None),
            (f"{label}: warm", f"{warm['seconds']} s, {warm['bytes'] / 1e6:.2f} MB on the wire",
             "< 1.5 s" if aim else "", warm["seconds"] < 1.5 if aim else None),
        ]  # fmt: skip
    for key, label, p95_aim, extra in (
        ("load_20", "{n} sessions, 1 process", 100, True),
        ("load_100", "{n} sessions, 1 process", None, False),
        ("replicas_200", "{n} sessions, 2 replicas behind HAProxy", 200, False),
        ("peer_20", "PEER (stock st_folium), {n} sessions", None, False),
    ):
        r = results.get(key)
        if not r:
            continue
        label = label.format(n=r["sessions"])
        ok = r["errors"] == 0 and r["wrong_panels"] == 0 and r["log_tracebacks"] == 0
        rows.append((f"{label}: clicks / errors / wrong panels", f"{r['clicks']} / {r['errors']} / "
                     f"{r['wrong_panels']}", "0 errors, 0 wrong panels", ok))  # fmt: skip
        rows.append((f"{label}: click to panel", _lat(r),
                     f"p95 < {p95_aim:,} ms" if p95_aim else "",
                     r["click_to_panel_ms"].get("p95", 1e9) < p95_aim if p95_aim else None))  # fmt: skip
        rows.append((f"{label}: bytes per click", f"{r['bytes_per_click']:,} B "
                     f"({r['wire_bytes_per_click']:,} B on the wire)",
                     "< 10 KB" if extra else "", r["bytes_per_click"] < 10_000 if extra else None))  # fmt: skip
        rows.append((f"{label}: server CPU per click", f"{r['cpu_s_per_click']} CPU-s "
                     f"({r['server_cores_busy']} cores; machine {r['machine_cores_busy']})",
                     "< 0.03 CPU-s" if extra else "", r["cpu_s_per_click"] < 0.03 if extra else None))  # fmt: skip
    ratios = peer_ratios(results)
    if ratios:
        for key, label in (
            ("p95", "click to panel p95"),
            ("bytes_per_click", "bytes per click (Streamlit's messages)"),
            ("wire_bytes_per_click", "bytes per click on the wire"),
            ("cpu_s_per_click", "server CPU per click"),
        ):
            v = ratios[key]
            rows.append((f"peer / atlas at {results['peer_20']['sessions']} sessions: {label}",
                         _fmt(v, "x"), ">= 10x",
                         v is not None and v >= 10))  # fmt: skip
    d = results.get("deflate")
    if d:
        off, on = d["off"], d["on"]
        rows.append((f"websocket deflate ({on['sessions']} sessions): bytes on the wire per click",
                     f"off {off['wire_bytes_per_click']:,} B, on {on['wire_bytes_per_click']:,} B "
                     f"({d['wire_saved']:.0%} saved)", "", None))  # fmt: skip
        rows.append(("websocket deflate: server CPU per click (RSS at the end)",
                     f"off {off['cpu_s_per_click']}, on {on['cpu_s_per_click']} CPU-s "
                     f"({off['rss_mb_end']} / {on['rss_mb_end']} MB)",
                     f"pays: >= {DEFLATE_PAYS['wire_saved']:.0%} saved for "
                     f"< {DEFLATE_PAYS['cpu_s_added_per_click'] * 1000:.0f} ms CPU", d["pays"]))  # fmt: skip
        rows.append(("websocket deflate: the atlas's config",
                     "on" if d["configured_on"] else "off",
                     "on exactly when it pays", d["configured_on"] == d["pays"]))  # fmt: skip
    soak = results.get("soak")
    if soak:
        k = soak["soak"]
        rows.append((f"server RSS over a {soak['seconds']:.0f} s soak, {soak['sessions']} sessions "
                     f"({soak['clicks']} clicks, {soak['errors']} errors)",
                     f"start {k['rss_mb_start']} MB, end {k['rss_mb_end']} MB, max {k['rss_mb_max']} MB",
                     "end within 10 % of start", abs(k["end_over_start"] - 1) <= 0.10))  # fmt: skip
    return rows


def table(results: dict) -> str:
    s, e = results.get("single_user"), results.get("export")
    rows = []
    if s:
        rows += [
            ("server start to map interactive (cold)", f"{s['cold_start_to_map_interactive_s']} s", ""),
            ("bytes sent to the browser for the map page", f"{s['map_page_bytes']['total'] / 1024:,.0f} KiB",
             f"http {s['map_page_bytes']['http'] / 1024:,.0f} KiB + websocket {s['map_page_bytes']['websocket'] / 1024:,.0f} KiB"),
            ("click to first quote in panel, 1 user", f"median {s['click_to_first_quote_in_panel_ms']['median']} ms",
             f"p95 {s['click_to_first_quote_in_panel_ms']['p95']} ms"),
            ("page switch (median of 3)", ", ".join(f"{k} {v} ms" for k, v in s["page_switch_ms"].items()), ""),
        ]  # fmt: skip
    if e:
        rows += [
            ("PNG export, cold (browser per image)", f"median {e['cold_ms']['median']} ms", f"n={e['cold_ms']['n']}"),
            ("PNG export, warm (persistent browser)", f"median {e['warm_ms']['median']} ms",
             f"n={e['warm_ms']['n']}; cold/warm = {e['cold_over_warm']}x (aim warm < 300 ms)"),
            ("PNG size", f"{e['png_size_px'][0]} x {e['png_size_px'][1]} px", f"{e['png_bytes'] / 1024:,.0f} KiB"),
            *[(f"Export warm, {k.replace('_', ' ')}", f"median {v['median']} ms", f"n={v['n']}")
              for k, v in e.get("warm_by_format_ms", {}).items()],
        ]  # fmt: skip
    lines = []
    if rows:
        width = max(len(r[0]) for r in rows)
        lines += [f"{name:<{width}}  {value:<28}  {note}" for name, value, note in rows]
    goals = aims(results)
    if goals:
        lines += ["", "Against the aims:"]
        width = max(len(r[0]) for r in goals)
        for name, value, aim, met in goals:
            mark = {True: "met", False: "MISSED", None: ""}[met]
            lines.append(f"{name:<{width}}  {value:<56}  {aim:<40} {mark}")
    return "\n".join(lines)


# Every run's size, in full and in --quick (small, to prove the benchmark runs: a smoke test).
FULL = {
    "clicks": 40, "exports": 10, "load_seconds": 60, "soak_seconds": 600, "soak_sessions": 10,
    "soak_sample_every": 10, "sessions": {"load_20": 20, "load_100": 100, "replicas_200": 200,
    "peer_20": 20, "deflate": 20}, "proxy_replicas": 2,
}  # fmt: skip
QUICK = {
    "clicks": 3, "exports": 2, "load_seconds": 4, "soak_seconds": 6, "soak_sessions": 2,
    "soak_sample_every": 2, "sessions": {"load_20": 3, "load_100": 3, "replicas_200": 3,
    "peer_20": 3, "deflate": 3}, "proxy_replicas": 1,
}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="every part, small (a smoke run)")
    parser.add_argument("--clicks", type=int, help="browser clicks (default 40)")
    parser.add_argument("--exports", type=int, help="exports per kind (default 10)")
    parser.add_argument("--load-seconds", type=float, help="each protocol-level run (60)")
    parser.add_argument("--soak-seconds", type=float, help="0 skips the soak (600)")
    parser.add_argument("--soak-sessions", type=int, help="(10)")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser parts")
    parser.add_argument("--no-load", action="store_true", help="skip the protocol-level runs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args()
    size = dict(QUICK if args.quick else FULL)
    for key in ("clicks", "exports", "load_seconds", "soak_seconds", "soak_sessions"):
        if getattr(args, key) is not None:
            size[key] = getattr(args, key)
    sessions, seconds = size["sessions"], size["load_seconds"]

    results = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "quick": args.quick,
    }

    def step(key: str, what: str, fn, *a) -> None:
        print(f"{what} …", flush=True)
        results[key] = fn(*a)

    if not args.no_browser:
        step("single_user", f"one reader in Chromium, {size['clicks']} clicks", bench_single_user,
             size["clicks"])  # fmt: skip
        step("first_map_direct", "first map over 5 Mbit/s, 150 ms: one process", bench_first_map,
             False)  # fmt: skip
        step("first_map_proxy", "first map over 5 Mbit/s, 150 ms: through HAProxy",
             bench_first_map, True, size["proxy_replicas"])  # fmt: skip
        step("export", "export", bench_export, size["exports"])
    if not args.no_load:
        for key in ("load_20", "load_100"):
            step(key, f"protocol load: {sessions[key]} sessions x {seconds:.0f} s, 1 process",
                 bench_load, sessions[key], seconds)  # fmt: skip
        step("peer_20", f"peer (stock st_folium): {sessions['peer_20']} sessions x {seconds:.0f} s",
             bench_peer, sessions["peer_20"], seconds)  # fmt: skip
        step("replicas_200", f"protocol load: {sessions['replicas_200']} sessions x {seconds:.0f} s,"
             " 2 replicas", bench_replicas, 2, sessions["replicas_200"], seconds)  # fmt: skip
        step("deflate", f"websocket deflate off and on: {sessions['deflate']} sessions x "
             f"{seconds:.0f} s each", bench_deflate, sessions["deflate"], seconds)  # fmt: skip
        results["peer_over_atlas"] = peer_ratios(results)
        if size["soak_seconds"]:
            step("soak", f"soak: {size['soak_sessions']} sessions x {size['soak_seconds']:.0f} s",
                 bench_soak, size["soak_sessions"], size["soak_seconds"],
                 size["soak_sample_every"])  # fmt: skip
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
