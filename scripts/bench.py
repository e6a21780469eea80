"""Benchmark the real atlas in Debian's Chromium: prints a table and writes bench-results.json.

    make bench                      # all of it (about four minutes)
    uv run python scripts/bench.py --clicks 40 --load-sessions 20 --load-seconds 60

Every figure is measured on the running app: timings of clicks come from inside the page
(performance.timeOrigin in the map's iframe and in the page), so Playwright's own latency is not
in them. Medians and 95th percentiles are reported; the machine is shared, so compare ratios
measured in one run rather than single numbers across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapely.geometry import shape  # noqa: E402

from geo.charts import EXPORT_SIZE, build_charts, cited_figure  # noqa: E402
from geo.dataset import load_dataset  # noqa: E402
from geo.pngexport import to_png  # noqa: E402
from tests.browser import (  # noqa: E402
    _ARM_FRAME,
    _ARM_PAGE,
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_IFRAME,
    AppServer,
    click_feature,
    close_popup,
    launch,
    map_frame,
    panel_args,
    show,
)


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
                lambda e: received.__setitem__(
                    "ws", received["ws"] + len(e["response"]["payloadData"])
                ),
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
                ("Sources", '[data-testid="stDataFrame"]'),
                ("About the data", "text=Validator:"),
                ("Map", MAP_IFRAME),
            ]
            # Wait for each page's own heading first: the previous page's element would match too.
            headings = {"Map": "Iran–Pakistan Corridor Atlas"}
            for _ in range(3):
                for name, selector in targets:
                    start = time.perf_counter()
                    page.locator('[data-testid="stSidebarNav"]').get_by_text(
                        name, exact=True
                    ).click()
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


def bench_export(n: int) -> dict:
    """PNG export of the trade chart: a browser per image (cold) against the persistent one (warm)."""
    ds = load_dataset()
    fig = cited_figure(ds, next(c for c in build_charts(ds) if c.id == "trade"), date.today())
    cold, warm = [], []
    for _ in range(n):
        t = time.perf_counter()
        png = to_png(fig, *EXPORT_SIZE, persistent=False)
        cold.append((time.perf_counter() - t) * 1000)
    to_png(fig, *EXPORT_SIZE)  # start the persistent browser; not timed
    for _ in range(n):
        t = time.perf_counter()
        png = to_png(fig, *EXPORT_SIZE)
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
            to_png(fig, *EXPORT_SIZE, fmt=fmt)
            times.append((time.perf_counter() - t) * 1000)
        per_format[f"chart_{fmt}"] = summary(times)
    for fmt in ("png", "svg", "pdf"):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            to_png(map_figure(ds).figure, *MAP_SIZE, fmt=fmt)
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


async def _open_reader(browser, url: str, results: dict):
    """Open one reader's map page; returns (context, page, frame), or None on failure."""
    context = await browser.new_context(viewport={"width": 1400, "height": 950})
    page = await context.new_page()
    try:
        await page.goto(url, timeout=180_000)
        handle = await page.locator(MAP_IFRAME).element_handle(timeout=180_000)
        frame = await handle.content_frame()
        await frame.wait_for_selector(".leaflet-container .atlas-sym", timeout=180_000)
    except Exception as exc:  # a reader that cannot even open the page is an error
        results["errors"].append(f"open: {type(exc).__name__}: {exc}"[:200])
        await context.close()
        return None
    return context, page, frame


async def _click_until(page, frame, ds, deadline: float, rng: random.Random, results: dict) -> None:
    """One reader clicking features, with a reader's pauses, until the deadline."""
    # Symbols a reader can click at the opening view (fitted to the border): Chabahar lies west
    # of it, and a click on a symbol off screen is the generator's failure, not the app's.
    minx, miny, maxx, maxy = shape(
        next(f for f in ds.features if f.props.kind == "border").geometry
    ).bounds
    feats = [
        f
        for f in ds.features
        if f.props.kind in ("crossing", "port")
        and minx <= f.geometry["coordinates"][0] <= maxx
        and miny <= f.geometry["coordinates"][1] <= maxy
    ]
    while time.perf_counter() < deadline:
        f = rng.choice(feats)
        try:
            await page.evaluate(_ARM_PAGE, panel_args(f))
            await frame.evaluate(_ARM_FRAME, [f.id])
            await frame.locator(f'.atlas-sym-shape[data-feature="{f.id}"]').first.click(
                timeout=30_000
            )
            # The page stamps the times and resolves a promise; awaiting it costs nothing while
            # waiting, where polling from here would burn the CPU being measured.
            popup_at = await asyncio.wait_for(frame.evaluate("window.__atlasPopupPromise"), 30)
            clicked_at = await frame.evaluate("window.__atlasClickAt")
            panel = await asyncio.wait_for(page.evaluate("window.__atlasPanelPromise"), 30)
            results["popup"].append(popup_at - clicked_at)
            results["panel"].append(panel["full"] - clicked_at)
            close = frame.locator(".leaflet-popup-close-button")
            if await close.count():
                await close.first.click()
                await frame.wait_for_selector(".leaflet-popup", state="detached")
            await page.wait_for_timeout(rng.randint(300, 1200))  # a reader's pause
        except Exception as exc:
            results["errors"].append(f"{f.id}: {type(exc).__name__}: {exc}"[:200])


async def _load(url: str, sessions: int, seconds: float, marks: dict, server, machine_busy) -> dict:
    """Open every reader first, then let all of them click for `seconds` at once."""
    from playwright.async_api import async_playwright

    ds = load_dataset()
    results: dict = {"popup": [], "panel": [], "errors": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        t0 = time.perf_counter()
        opened = [
            r
            for r in await asyncio.gather(
                *(_open_reader(browser, url, results) for _ in range(sessions))
            )
            if r
        ]
        results["ramp_up_s"] = time.perf_counter() - t0
        # CPU is counted over the clicking window only, not the ramp-up.
        cpu0 = _chromium_cpu_seconds()
        marks.update(server0=server.cpu_seconds(), machine0=machine_busy())
        results["window_start"] = time.perf_counter()
        deadline = results["window_start"] + seconds
        await asyncio.gather(
            *(
                _click_until(page, frame, ds, deadline, random.Random(i), results)
                for i, (_, page, frame) in enumerate(opened)
            )
        )
        marks["chromium_seconds"] = _chromium_cpu_seconds() - cpu0  # before the processes exit
        for context, _, _ in opened:
            await context.close()
        await browser.close()
    return results


def _chromium_cpu_seconds() -> float:
    """User plus system CPU of every live Chromium process (the load generator)."""
    import os

    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if "chrom" in name:
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle, from /proc/stat."""
    import os

    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


GENERATOR_NICENESS = 19


def bench_load(sessions: int, seconds: float) -> dict:
    """Many readers at once on one server: click timings, errors, the server's memory and CPU."""
    with AppServer() as server:
        idle_rss = server.peak_rss_mb()
        marks: dict = {}
        # On this one 2-core box, twenty Chromium renderers would otherwise share the CPU with
        # the server on equal terms and starve it; in use, readers' browsers run on their own
        # machines. So the load generator (this process, and the Playwright driver and Chromium
        # it starts from now on) runs at a lower priority than the server, started above.
        os.nice(GENERATOR_NICENESS)
        results = asyncio.run(
            _load(server.url, sessions, seconds, marks, server, _machine_busy_seconds)
        )
        wall = time.perf_counter() - results["window_start"]
        machine = _machine_busy_seconds() - marks["machine0"]
        cpu = server.cpu_seconds() - marks["server0"]
        peak = server.peak_rss_mb()
        log_errors = server.log().count("Traceback")
    out = {
        "sessions": sessions,
        "seconds": seconds,
        "generator_niceness": GENERATOR_NICENESS,
        "ramp_up_s": round(results["ramp_up_s"], 1),
        "clicks": len(results["panel"]),
        "errors": len(results["errors"]) + log_errors,
        "error_samples": results["errors"][:5],
        "server_idle_rss_mb": round(idle_rss, 1),
        "server_peak_rss_mb": round(peak, 1),
        "memory_per_session_mb": round((peak - idle_rss) / sessions, 1),
        "server_cpu_s": round(cpu, 1),
        "server_cores_busy": round(cpu / wall, 2),
        "chromium_cores_busy": round(marks.get("chromium_seconds", 0) / wall, 2),
        "machine_cores_busy": round(machine / wall, 2),
        "cpu_s_per_click": round(cpu / max(1, len(results["panel"])), 3),
    }
    if results["panel"]:
        out["click_to_quote_in_popup_ms"] = summary(results["popup"])
        out["click_to_full_panel_ms"] = summary(results["panel"])
    return out


def table(results: dict) -> str:
    s, e, ld = results["single_user"], results["export"], results.get("load", {})
    rows = [
        ("server start to map interactive (cold)", f"{s['cold_start_to_map_interactive_s']} s", ""),
        ("bytes sent to the browser for the map page", f"{s['map_page_bytes']['total'] / 1024:,.0f} KiB",
         f"http {s['map_page_bytes']['http'] / 1024:,.0f} KiB + websocket {s['map_page_bytes']['websocket'] / 1024:,.0f} KiB"),
        ("click to quote visible (popup), 1 user", f"median {s['click_to_quote_in_popup_ms']['median']} ms",
         f"p95 {s['click_to_quote_in_popup_ms']['p95']} ms, n={s['click_to_quote_in_popup_ms']['n']}  (aim < 100 ms)"),
        ("click to full panel, 1 user", f"median {s['click_to_full_panel_ms']['median']} ms",
         f"p95 {s['click_to_full_panel_ms']['p95']} ms  (aim median < 500, p95 < 800)"),
        ("page switch (median of 3)", ", ".join(f"{k} {v} ms" for k, v in s["page_switch_ms"].items()), ""),
        ("PNG export, cold (browser per image)", f"median {e['cold_ms']['median']} ms", f"n={e['cold_ms']['n']}"),
        ("PNG export, warm (persistent browser)", f"median {e['warm_ms']['median']} ms",
         f"n={e['warm_ms']['n']}; cold/warm = {e['cold_over_warm']}x (aim warm < 300 ms)"),
        ("PNG size", f"{e['png_size_px'][0]} x {e['png_size_px'][1]} px", f"{e['png_bytes'] / 1024:,.0f} KiB"),
        *[(f"Export warm, {k.replace('_', ' ')}", f"median {v['median']} ms", f"n={v['n']}")
          for k, v in e.get("warm_by_format_ms", {}).items()],
    ]  # fmt: skip
    if ld:
        rows += [
            (f"load: {ld['sessions']} sessions x {ld['seconds']:.0f} s, clicks", f"{ld['clicks']}",
             f"errors {ld['errors']} (aim 0); opening all {ld['sessions']} took {ld['ramp_up_s']} s first"),
            ("load: click to quote (popup)", f"median {ld.get('click_to_quote_in_popup_ms', {}).get('median')} ms",
             f"p95 {ld.get('click_to_quote_in_popup_ms', {}).get('p95')} ms"),
            ("load: click to full panel", f"median {ld.get('click_to_full_panel_ms', {}).get('median')} ms",
             f"p95 {ld.get('click_to_full_panel_ms', {}).get('p95')} ms (aim p95 < 1500)"),
            ("load: server memory", f"peak {ld['server_peak_rss_mb']} MB",
             f"idle {ld['server_idle_rss_mb']} MB, {ld['memory_per_session_mb']} MB per session (aim < 600 MB)"),
            ("load: CPU, cores busy", f"server {ld['server_cores_busy']}, Chromium {ld['chromium_cores_busy']}",
             f"whole machine {ld['machine_cores_busy']} of {results['machine']['cpus']}; server {ld['cpu_s_per_click']} CPU s per click"),
        ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    lines = [f"{name:<{width}}  {value:<28}  {note}" for name, value, note in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clicks", type=int, default=40)
    parser.add_argument("--exports", type=int, default=10)
    parser.add_argument("--load-sessions", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args()

    results = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
        },
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    print("single user …", flush=True)
    results["single_user"] = bench_single_user(args.clicks)
    print("export …", flush=True)
    results["export"] = bench_export(args.exports)
    if not args.no_load:
        print(f"load: {args.load_sessions} sessions for {args.load_seconds:.0f} s …", flush=True)
        results["load"] = bench_load(args.load_sessions, args.load_seconds)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
