"""Two replicas behind HAProxy (deploy/haproxy.cfg), in real Chromium.

Each reader stays on its own replica for its whole visit: its websocket, its panel and the
PNG it downloads (served from /media of the process that made it). The proxy refuses what
it is configured to refuse.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import websockets
from PIL import Image

from geo.chartlayout import EXPORT_SIZE
from tests.browser import (
    ARTIFACTS_DIR,
    ROOT,
    Replicas,
    click_feature,
    map_frame,
    settled,
    show,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def replicas():
    with Replicas(n=2) as r:
        yield r


def status(url: str, **headers) -> int | None:
    """The HTTP status, or None when nothing answers at all."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def pinned(chromium, replicas, server: str):
    """A reader whose SERVERID cookie names `server`, as HAProxy set it on a first visit."""
    context = chromium.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    context.add_cookies([{"name": "SERVERID", "value": server, "url": replicas.url}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def test_each_reader_keeps_to_its_replica_for_panel_and_png(chromium, replicas, ds, tmp_path):
    ctx_a, a = pinned(chromium, replicas, "r1")
    ctx_b, b = pinned(chromium, replicas, "r2")
    try:
        a.goto(replicas.url)
        b.goto(replicas.url)
        frame_a, frame_b = map_frame(a), map_frame(b)

        click_feature(a, frame_a, ds.feature("gabd-rimdan-crossing"))  # waits for its quotes
        click_feature(b, frame_b, ds.feature("taftan-mirjaveh-crossing"))

        # A, in the same session, opens the Figures page and downloads a chart as PNG.
        a.locator('[data-testid="stSidebar"]').get_by_text("Figures", exact=True).click()
        a.locator(".st-key-chart-trade .js-plotly-plot").wait_for()
        with a.expect_download(timeout=90_000) as download:
            a.locator(".st-key-png-trade button").click()
        path = tmp_path / "trade.png"
        download.value.save_as(path)
        image = Image.open(path)
        assert image.format == "PNG" and image.size == EXPORT_SIZE

        # The file lives in replica 1's process only: the cookie took A's download there
        # (HAProxy names the server of each request; the file may be let go once served).
        media = urlsplit(download.value.url).path
        assert media.startswith("/media/"), download.value.url
        assert served_by(replicas, media) == {"r1"}, [
            ln for ln in replicas.log().splitlines() if "/media/" in ln or "DOWN" in ln
        ]
        assert status(replicas.servers[1].url + media) == 404

        # B, on the other replica all along, still works.
        click_feature(b, frame_b, ds.feature("mand-pishin-crossing"))
        cookies = {
            name: {c["value"] for c in ctx.cookies() if c["name"] == "SERVERID"}
            for name, ctx in (("a", ctx_a), ("b", ctx_b))
        }
        assert cookies == {"a": {"r1"}, "b": {"r2"}}
    finally:
        ctx_a.close()
        ctx_b.close()

    # HAProxy logs a websocket when it closes: each replica carried a reader's stream.
    assert {"r1", "r2"} <= streams(replicas), replicas.log()[-3000:]
    for server in replicas.servers:
        assert "Traceback" not in server.log()


def streams(replicas, wait_s: float = 10.0) -> set[str]:
    """The replicas that served a websocket, per HAProxy's log (written as each one closes)."""
    deadline = time.monotonic() + wait_s
    while True:
        found = set(re.findall(r"replicas/(r\d) \S+ 101 .*\"GET /_stcore/stream", replicas.log()))
        if found >= {"r1", "r2"} or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def served_by(replicas, path: str, wait_s: float = 10.0) -> set[str]:
    """The replicas that answered a request for `path`, per HAProxy's log."""
    pattern = rf"replicas/(r\d) \S+ \d+ .*\"GET {re.escape(path)}"
    deadline = time.monotonic() + wait_s
    while not (found := set(re.findall(pattern, replicas.log()))) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_the_proxy_refuses_uploads_metrics_and_foreign_websockets(replicas):
    assert status(replicas.url + "/_stcore/upload_file/x/y") == 403
    assert status(replicas.url + "/_stcore/metrics") == 403
    with urllib.request.urlopen(replicas.url + "/", timeout=30) as r:
        assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert r.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert re.match(r"SERVERID=r[12];", r.headers["Set-Cookie"])

    handshake(replicas, replicas.url)  # the atlas's own page may connect
    for foreign in ("http://evil.example", f"http://127.0.0.1:{replicas.port + 1}"):
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            handshake(replicas, foreign)
        assert refused.value.response.status_code == 403


def handshake(replicas, origin: str) -> None:
    """Open the app's websocket through the proxy from a page at `origin`, and close it."""
    stream = replicas.url.replace("http://", "ws://") + "/_stcore/stream"

    async def connect():
        async with websockets.connect(stream, subprotocols=["streamlit"], origin=origin):
            pass

    # In a thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, connect()).result()


def test_the_proxy_refuses_every_encoded_variant_of_a_refused_path(replicas):
    # Streamlit itself serves all of these as its metrics or upload endpoint (any case, any
    # percent-encoding, dot segments, a trailing ;param): the proxy must refuse each one.
    variants = [
        "/_stcore/metrics", "/_stcore/%6detrics", "/_stcore/%6Detrics", "/_STCORE/METRICS",
        "/_stcore%2fmetrics", "/_stcore%2Fmetrics", "/_stcore/./metrics", "/_stcore/%2e/metrics",
        "/x/../_stcore/metrics", "/_stcore/metrics;x", "/_stcore/metrics/", "/%5fstcore/metrics",
        "/_stcore/%256detrics",
        "/_stcore/upload_file/s/f", "/_stcore/%75pload_file/s/f", "/_stcore/upload%5Ffile/s/f",
        "/_STCORE/UPLOAD_FILE/s/f", "/_stcore/./upload_file/s/f",
        # A path HAProxy cannot decode must not slip past a rule that reads it decoded: a bad
        # escape anywhere (%zz, a lone or cut-off %), one that turns bad on the second pass
        # (%25zz), an encoding deeper than two passes, and a NUL, where the rule stops reading.
        "/_stcore/%75pload_file/s/f%zz", "/_stcore/upload_file/%25zz/f", "/_stcore/metrics%",
        "/_stcore/%6detrics%2", "/_stcore/%zz/../metrics", "/_stcore/%25%36%64etrics",
        "/_stcore/%2525%36detrics", "/_stcore/%252575pload_file/s/f", "/%00/_stcore/metrics",
        "/%2500/_stcore/metrics",
    ]  # fmt: skip
    for path in variants:
        for method in ("GET", "PUT", "POST"):
            assert raw_status(replicas.port, method, path) == 403, (method, path)
    # What the atlas needs still passes: its pages (a link's query is the page's to judge, bad
    # escapes and all), static files however their names are encoded, health and the websocket.
    for path in ("/", "/sources", "/?source=%zz", "/_stcore/health", "/_stcore/host-config",
                 "/app/static/atlas-map.css", "/app/static/atlas%2Dmap.css"):  # fmt: skip
        assert raw_status(replicas.port, "GET", path) == 200, path
    # An encoded space reaches the replica, which answers for itself (no such file).
    assert raw_status(replicas.port, "GET", "/app/static/no%20such%20file.css") == 404
    handshake(replicas, replicas.url)


RECORDER = """
(() => {
  const log = (what) => {
    const all = JSON.parse(sessionStorage.atlasLog || '[]');
    all.push([performance.timeOrigin + performance.now(), what]);
    sessionStorage.atlasLog = JSON.stringify(all);
  };
  log('page loaded ' + location.pathname + location.search);
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    log('websocket opening');
    ws.addEventListener('open', () => log('websocket open'));
    ws.addEventListener('close', () => log('websocket closed'));
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) window.WebSocket[k] = Native[k];
})();
"""


def raw_status(port: int, method: str, path: str) -> int:
    """The status for exactly this path, sent unaltered (urllib would resolve dot segments)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.putheader("Content-Length", "0")
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_proxy_compresses_text_and_caches_hashed_assets_and_tiles(replicas):
    with urllib.request.urlopen(replicas.url + "/", timeout=30) as r:
        page = r.read().decode()
    bundle = re.search(r'src="\./(static/js/[^"]+\.js)"', page).group(1)
    request = urllib.request.Request(
        f"{replicas.url}/{bundle}", headers={"Accept-Encoding": "gzip", "Cookie": "SERVERID=r1"}
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        body = r.read()
        assert r.headers["Content-Encoding"] == "gzip"
        assert "immutable" in r.headers["Cache-Control"]
        assert "max-age=31536000" in r.headers["Cache-Control"]
    import gzip

    unpacked = gzip.decompress(body)
    with urllib.request.urlopen(f"{replicas.servers[0].url}/{bundle}", timeout=30) as r:
        assert unpacked == r.read()  # the same script, a fraction of the bytes
    assert len(body) < len(unpacked) / 2

    tile = next((ROOT / "static" / "basemap").glob("4/*/*.jpg")).relative_to(ROOT)
    request = urllib.request.Request(
        f"{replicas.url}/app/{tile}", headers={"Accept-Encoding": "gzip", "Cookie": "SERVERID=r1"}
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.headers["Cache-Control"] == "public, max-age=86400"
        assert r.headers.get("Content-Encoding") is None  # JPEG is compressed already
        assert r.read() == (ROOT / tile).read_bytes()

    # The page itself is compressed but never cached: it names the current bundle.
    request = urllib.request.Request(
        replicas.url + "/", headers={"Accept-Encoding": "gzip", "Cookie": "SERVERID=r1"}
    )
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert r.headers["Cache-Control"] == "no-cache"


def test_a_very_long_link_gets_the_atlas_refusal_not_a_bare_error(replicas):
    for length in (9_000, 100_000):
        url = f"{replicas.url}/?feature={'a' * length}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=30)
        assert refused.value.code == 414
        text = refused.value.read().decode()
        assert "This link is too long" in text and "home page" in text
    # A long but ordinary link still opens the atlas.
    assert status(f"{replicas.url}/?layers={','.join(['border'] * 300)}") == 200


def test_a_reader_whose_replica_dies_is_back_on_a_working_page_on_the_next_click(
    chromium, replicas, ds
):
    """Kill the reader's replica under load, after a page round trip: the supervisor restarts
    it, HAProxy answers throughout, and the page moves itself to the other replica, where the
    reader's next click gets its panel; nobody reloads by hand. The failover time is printed
    beside the issue's aim of 15 s (`-s` shows it with the page's own timeline)."""
    import threading

    context, page = pinned(chromium, replicas, "r1")
    # In the page, before Streamlit's scripts: note (epoch ms, survives the reload) when its
    # websockets open and close and when the page loads, to say where the failover time goes.
    context.add_init_script(RECORDER)
    r1 = replicas.servers[0]
    statuses: list[tuple[float, int]] = []
    stop = threading.Event()

    def poll() -> None:
        # A reader pinned to r1 asking the proxy for a page all along.
        while not stop.is_set():
            code = status(replicas.url + "/_stcore/health", Cookie="SERVERID=r1")
            statuses.append((time.monotonic(), code))
            time.sleep(0.2)

    # Protocol-level readers on both replicas (scripts/load.py at nice 19); those on the
    # replica that dies lose their session, which load.py counts as errors and exits 1 for.
    load_cmd = [sys.executable, str(ROOT / "scripts" / "load.py"), "--url", replicas.url,
                "--sessions", "6", "--duration", "40", "--json", "-"]  # fmt: skip
    load_proc = subprocess.Popen(
        load_cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        page.goto(replicas.url)
        click_feature(page, map_frame(page), ds.feature("gabd-rimdan-crossing"))
        nav = page.locator('[data-testid="stSidebar"]')
        nav.get_by_text("Figures", exact=True).click()
        page.locator(".st-key-chart-trade .js-plotly-plot").wait_for()
        nav.get_by_text("Map", exact=True).click()
        frame = map_frame(page)
        # The map reopens where the reader left it (the popup may have panned it south), so
        # the reader moves it to the next feature first. Under this test's load the map was
        # once seen back at its reopening view after that move (1 run in 3): the reader moves
        # it again, up to three times, and the test says how often it had to.
        taftan = ds.feature("taftan-mirjaveh-crossing")
        for attempt in range(3):
            show(frame, taftan)
            settled(page)
            try:
                click_feature(page, frame, taftan, timeout=10_000)
                break
            except Exception:
                if attempt == 2:
                    raise
                print(f"\nthe map was not where the reader moved it (attempt {attempt + 1})")

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        time.sleep(8)  # the load is under way on both replicas
        old_pid = r1.pid
        os.kill(old_pid, signal.SIGKILL)
        killed_at, killed_epoch = time.monotonic(), time.time()

        # The reader clicks again; whatever the page does, the panel must come within 15 s.
        # (Tried for up to 60 s, so that a failure says how long it really took.)
        events: list[str] = []
        target = ds.feature("mand-pishin-crossing")
        back_at = None
        # The page moves itself (no reload by hand): wait until it has loaded its address
        # again, on the other replica, then click as the reader would. The wait goes on past
        # 15 s only so that a failure says how long it really took.
        page.wait_for_function(
            "(t) => JSON.parse(sessionStorage.atlasLog || '[]')"
            ".some(([at, what]) => at > t && what.startsWith('page loaded /?'))",
            arg=killed_epoch * 1000,
            timeout=60_000,
        )
        while time.monotonic() - killed_at < 60 and back_at is None:
            try:
                frame = map_frame(page, timeout=30_000)
                show(frame, target)  # the reader moves the map to it, then clicks
                click_feature(page, frame, target, timeout=30_000)
                back_at = time.monotonic()
                # When the page drew the panel, by the page's own clock (epoch ms).
                panel_epoch = page.evaluate("() => window.__atlasPanel.full") / 1000
            except Exception as exc:
                events.append(f"{time.monotonic() - killed_at:.1f}s {type(exc).__name__}")
                page.wait_for_timeout(250)
        log = page.evaluate("() => JSON.parse(sessionStorage.atlasLog || '[]')")
        timeline = [f"{t / 1000 - killed_epoch:+.1f}s {what}" for t, what in log]
        page.screenshot(path=str(ARTIFACTS_DIR / "failover-after.png"))
        assert back_at is not None, (events, timeline)
        # The page moved itself: it loaded its own address, which carries the reader's view,
        # on the other replica; nobody reloaded it by hand.
        moved = [t / 1000 - killed_epoch for t, what in log
                 if t / 1000 > killed_epoch and what.startswith("page loaded /?")
                 and "feature=taftan-mirjaveh-crossing" in what]  # fmt: skip
        assert moved, timeline
        assert {c["value"] for c in context.cookies() if c["name"] == "SERVERID"} == {"r2"}
        # Timings are printed beside the aim, never asserted (they follow the machine's
        # load: the same page took as long to open before the kill).
        print(
            f"\nfailover: the page moved to the other replica {moved[0]:.1f} s after its replica "
            f"was killed; the reader's click had its panel at {panel_epoch - killed_epoch:.1f} s "
            "(aim: within 15 s)"
        )
        print("\n".join(timeline))
        assert page.locator(".st-key-panel h3").inner_text().strip() == target.props.name

        # The supervisor restarted the dead replica, on its port.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if "RUNNING" in replicas.supervisorctl("status", f"replica:replica-{r1.port}"):
                with contextlib.suppress(Exception):
                    if r1.pid != old_pid and status(r1.url + "/_stcore/health") == 200:
                        break
            time.sleep(0.5)
        else:
            raise AssertionError(f"r1 not restarted:\n{replicas.output()[-3000:]}")
        out, err = load_proc.communicate(timeout=180)
    finally:
        stop.set()
        context.close()
        if load_proc.poll() is None:
            load_proc.kill()
    load = json.loads(out)

    # HAProxy answered throughout: every request pinned to the dead replica was served.
    assert statuses and all(code == 200 for _, code in statuses), [
        (round(t - killed_at, 2), c) for t, c in statuses if c != 200
    ]
    assert any(t > killed_at for t, _ in statuses)
    # The load ran through it: the live replica kept answering with the right panels.
    assert load["clicks"] > 0 and load["wrong_panels"] == 0, (load, err[-2000:])
    print(f"load: {load['clicks']} clicks, {load['errors']} errors (sessions on the dead replica)")


def started_processes(deployment) -> list:
    """supervisord and everything under it: HAProxy and the replicas."""
    import psutil

    supervisor = psutil.Process(int((deployment.run_dir / "supervisord.pid").read_text()))
    started = [supervisor, *supervisor.children(recursive=True)]
    names = {p.name() for p in started}
    assert "haproxy" in names and len(started) >= 4, names  # supervisord, haproxy, 2 replicas
    return started


# SIGINT is what Ctrl-C in the terminal sends the script; SIGHUP, closing the terminal (the
# script trapped only INT and TERM, and a closed terminal left everything running).
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGHUP], ids=["ctrl-c", "hangup"])
def test_ctrl_c_or_a_closed_terminal_stops_the_supervisor_haproxy_and_every_replica(sig):
    import psutil

    deployment = Replicas(n=2).start()
    started = started_processes(deployment)
    run_dir = deployment.run_dir
    try:
        deployment.proc.send_signal(sig)
        assert deployment.proc.wait(timeout=60) == 0, deployment.output()[-3000:]
        _, alive = psutil.wait_procs(started, timeout=5)
        assert not alive, [p.pid for p in alive]
        assert status(deployment.url + "/_stcore/health") is None
    finally:
        end_all(deployment, started)  # nothing left to stop, unless the test failed
    assert deployment.leftovers == []
    assert not run_dir.exists()


@pytest.mark.slow
def test_a_killed_supervisor_leaves_nothing_running():
    """supervisord itself killed (SIGKILL: it cannot stop its children): the script ends with its
    status, and stops the orphans left in supervisord's session on the way out."""
    import psutil

    deployment = Replicas(n=2).start()
    started = started_processes(deployment)
    try:
        started[0].kill()
        assert deployment.proc.wait(timeout=60) == 128 + signal.SIGKILL, deployment.output()[-3000:]
        _, alive = psutil.wait_procs(started, timeout=15)
        assert not alive, [(p.pid, p.name()) for p in alive]
        assert status(deployment.url + "/_stcore/health") is None
    finally:
        end_all(deployment, started)
    assert deployment.leftovers == []


def end_all(deployment, started: list) -> None:
    """Stop the deployment, and kill what a failed run left: orphans of a dead supervisord are
    out of the harness's reach (it finds processes under supervisord), and would outlive the
    test."""
    import psutil

    deployment.stop()
    for proc in started:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
