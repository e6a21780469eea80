"""Two replicas behind HAProxy (deploy/haproxy.cfg), in real Chromium.

Each reader stays on its own replica for its whole visit: its websocket, its panel and the
PNG it downloads (served from /media of the process that made it). The proxy refuses what
it is configured to refuse.
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import websockets
from PIL import Image

from geo.charts import EXPORT_SIZE
from tests.browser import Replicas, click_feature, map_frame

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def replicas():
    with Replicas(n=2) as r:
        yield r


def status(url: str, **headers) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


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

        # The file lives in replica 1's process only: the cookie took A's download there.
        media = urlsplit(download.value.url).path
        assert media.startswith("/media/"), download.value.url
        r1, r2 = replicas.servers
        assert status(r1.url + media) == 200
        assert status(r2.url + media) == 404

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


def test_the_proxy_refuses_uploads_metrics_and_foreign_websockets(replicas):
    assert status(replicas.url + "/_stcore/upload_file/x/y") == 403
    assert status(replicas.url + "/_stcore/metrics") == 403
    with urllib.request.urlopen(replicas.url + "/", timeout=30) as r:
        assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert r.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert re.match(r"SERVERID=r[12];", r.headers["Set-Cookie"])

    stream = replicas.url.replace("http://", "ws://") + "/_stcore/stream"

    def handshake(origin: str) -> None:
        async def connect():
            async with websockets.connect(stream, subprotocols=["streamlit"], origin=origin):
                pass

        # In a thread of its own: Playwright's sync API may hold this thread's event loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, connect()).result()

    handshake(replicas.url)  # the atlas's own page may connect
    for foreign in ("http://evil.example", f"http://127.0.0.1:{replicas.port + 1}"):
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            handshake(foreign)
        assert refused.value.response.status_code == 403
