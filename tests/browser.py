"""Driving the real app in Debian's Chromium: start the server, click the map, time what shows.

Shared by the browser tests and by scripts/bench.py, so that what the benchmark measures is
exactly what the tests prove works.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class AppServer:
    """The real Streamlit server on a free port, its log kept for failure reports."""

    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    # Another app (the benchmark's peer, scripts/peer_app.py) from another folder: Streamlit
    # reads .streamlit/config.toml from its working folder, so an empty one gives its defaults.
    script: str = "app.py"
    cwd: Path = ROOT
    log_path: Path | None = None
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    ready_at: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> AppServer:
        if self.log_path is None:
            fd, name = tempfile.mkstemp(prefix=f"atlas-server-{self.port}-", suffix=".log")
            os.close(fd)
            self.log_path = Path(name)
        log = self.log_path.open("w")
        cmd = [
            sys.executable, "-m", "geo.serve", "run", self.script,
            "--server.port", str(self.port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            # geo.serve is the atlas's own launcher: importable from any working folder.
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
                ),
                **self.env,
            },
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r,
            ):
                if r.status == 200:
                    self.ready_at = time.perf_counter()
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"server not healthy after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory (VmHWM), in MB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()  # psutil has no peak RSS
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        return kb / 1024

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server has used so far."""
        times = psutil.Process(self.proc.pid).cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def haproxy_binary() -> str:
    """Debian's HAProxy (in /usr/sbin, often not on PATH); a clear error when it is missing."""
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if found is None:
        raise RuntimeError(
            "haproxy is not installed: run scripts/setup.sh (apt-get install haproxy)"
        )
    return found


def _consecutive_free_ports(n: int) -> int:
    """The first of n consecutive free loopback ports (the replicas listen on BASE, BASE+1…)."""
    for _ in range(50):
        base = free_port()
        if base + n > 65535:
            continue
        try:
            for port in range(base, base + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no {n} consecutive free ports on 127.0.0.1")


@dataclass
class Replica:
    """One replica as the supervisor runs it: its port, its log, its current process."""

    owner: Replicas
    index: int
    port: int

    @property
    def name(self) -> str:
        """HAProxy's name for it (the SERVERID cookie's value)."""
        return f"r{self.index}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """The pid of the process serving it now (a new one after each restart)."""
        return int(self.owner.supervisorctl("pid", f"replica:replica-{self.port}").strip())

    def log(self) -> str:
        path = self.owner.run_dir / f"replica-{self.port}.log"
        return path.read_text() if path.exists() else ""


@dataclass
class Replicas:
    """The documented deployment, exactly: `scripts/serve_replicas.sh N`, on free ports.

    N real app servers sharing one cookie secret and HAProxy with deploy/haproxy.cfg, all
    under supervisord with deploy/supervisord.conf (which restarts whichever dies).
    """

    n: int = 2
    port: int = field(default_factory=free_port)
    servers: list[Replica] = field(default_factory=list)
    proc: subprocess.Popen | None = None
    run_dir: Path | None = None
    output_path: Path | None = None
    leftovers: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pids(self) -> list[int]:
        return [s.pid for s in self.servers]

    def _env(self) -> dict[str, str]:
        return {**os.environ, "ATLAS_RUN_DIR": str(self.run_dir)}

    def supervisorctl(self, *args: str) -> str:
        """supervisorctl against this deployment's supervisord; its output."""
        out = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "supervisorctl"), "-c", "deploy/supervisord.conf", *args],
            cwd=ROOT, env=self._env(), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return out.stdout

    def start(self, timeout: float = 120.0) -> Replicas:
        haproxy_binary()  # a clear error when it is missing
        self.run_dir = Path(tempfile.mkdtemp(prefix="atlas-replicas-test-"))
        base = _consecutive_free_ports(self.n)
        self.servers = [Replica(self, i, base + i - 1) for i in range(1, self.n + 1)]
        self.output_path = self.run_dir / "serve_replicas.out"
        env = {
            **self._env(),
            "PORT": str(self.port),
            "PROXY_BIND": "127.0.0.1",
            "REPLICA_BASE_PORT": str(base),
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        }
        self.proc = subprocess.Popen(
            [str(ROOT / "scripts" / "serve_replicas.sh"), str(self.n)],
            cwd=ROOT, env=env, stdout=self.output_path.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"serve_replicas.sh exited with {self.proc.returncode}:\n{self.output()}"
                    )
                # Up means up in HAProxy's eyes too: its first checks ran before the replicas
                # listened, and a replica is back in only after two good checks. Until then a
                # reader pinned to it is sent to another one (seen on a clean-clone CI run).
                if all(_healthy(s.url) for s in self.servers) and all(
                    self.routes_to(s.name) for s in self.servers
                ):
                    return self
                time.sleep(0.2)
            raise RuntimeError(f"replicas not all up after {timeout}s:\n{self.output()}")
        except BaseException:
            self.stop()
            raise

    def routes_to(self, name: str) -> bool:
        """Whether the proxy sends a reader whose SERVERID cookie is `name` to that replica.

        HAProxy keeps a valid cookie as it is and rewrites one naming a replica it holds down.
        """
        request = urllib.request.Request(
            f"{self.url}/_stcore/health", headers={"Cookie": f"SERVERID={name}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as r:
                given = r.headers.get_all("Set-Cookie") or []  # Streamlit sets one too
                moved = [c for c in given if re.match(rf"SERVERID=(?!{re.escape(name)}(;|$))", c)]
                return r.status == 200 and not moved
        except OSError:
            return False

    def output(self) -> str:
        """What the script and supervisord printed."""
        parts = [self.output_path, self.run_dir / "supervisord.log"] if self.run_dir else []
        return "\n".join(p.read_text() for p in parts if p and p.exists())

    def log(self) -> str:
        """HAProxy's log: one line per request or websocket, naming the replica that served it."""
        path = self.run_dir / "haproxy.log" if self.run_dir else None
        return path.read_text() if path and path.exists() else ""

    def stop(self) -> None:
        """Stop the script as Ctrl-C would; then make sure nothing it started is left."""
        if self.proc is None:
            return
        import psutil

        try:
            tree = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            tree = []
        # supervisord runs in its own session: its children are not below the script's.
        supervisor_pid = self.run_dir / "supervisord.pid"
        if supervisor_pid.exists():
            with contextlib.suppress(psutil.NoSuchProcess, ValueError):
                sup = psutil.Process(int(supervisor_pid.read_text()))
                tree += [sup, *sup.children(recursive=True)]
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        _, alive = psutil.wait_procs(tree, timeout=15)
        for proc in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        self.leftovers = [p.pid for p in alive]
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Replicas:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def launch(playwright):
    """Debian's Chromium, headless, with nothing of its own reaching for the network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def map_frame(page, timeout: float = 60_000):
    """The map's iframe as a Frame, once Leaflet has drawn the features."""
    page.locator(MAP_IFRAME).wait_for(timeout=timeout)
    handle = page.locator(MAP_IFRAME).element_handle(timeout=timeout)
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-container .atlas-sym", timeout=timeout)
    return frame


# In the map frame: note when the click happened and when the popup holds the feature's quote.
_ARM_FRAME = """
([fid]) => {
  window.__atlasClickAt = null;
  window.__atlasPopupAt = null;
  document.addEventListener('mousedown', (e) => {
    window.__atlasClickAt = performance.timeOrigin + e.timeStamp;
    window.__atlasClickTarget = (e.target.outerHTML || '').slice(0, 160);
  }, {capture: true, once: true});
  const sel = `.leaflet-popup-content [data-feature="${fid}"] .atlas-quote`;
  // Both a flag (for polling) and a promise (for awaiting without polling).
  let resolve;
  window.__atlasPopupPromise = new Promise((r) => { resolve = r; });
  const done = () => {
    if (!document.querySelector(sel)) return false;
    window.__atlasPopupAt = performance.timeOrigin + performance.now();
    resolve(window.__atlasPopupAt);
    return true;
  };
  if (done()) return;
  const obs = new MutationObserver(() => { if (done()) obs.disconnect(); });
  obs.observe(document.body, {subtree: true, childList: true});
}
"""

# In the page: note when the panel shows the feature's name with its first quote, and when it
# shows exactly its quotes. Streamlit updates elements one by one, so the previous feature's
# quotes can still stand under the new name: quotes are compared by text, not counted.
_ARM_PAGE = """
([name, quotes]) => {
  const stamp = () => performance.timeOrigin + performance.now();
  const fold = (t) => t.replace(/\\s+/g, ' ').trim();
  window.__atlasPanel = null;
  let resolve;
  window.__atlasPanelPromise = new Promise((r) => { resolve = r; });
  let firstQuote = null;
  const check = () => {
    const h = document.querySelector('.st-key-panel h3');
    if (!h || h.textContent.trim() !== name) return false;
    const shown = [...document.querySelectorAll('.st-key-panel-quotes blockquote')].map((b) => fold(b.textContent));
    if (firstQuote === null && shown[0] === quotes[0]) firstQuote = stamp();
    if (shown.length !== quotes.length || shown.some((q, i) => q !== quotes[i])) return false;
    window.__atlasPanel = {first: firstQuote, full: stamp()};
    resolve(window.__atlasPanel);
    return true;
  };
  if (check()) return;
  const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""


def panel_args(feature) -> list:
    """What the page watcher waits for: the feature's name and its quotes, whitespace folded."""
    return [feature.props.name, [" ".join(c.quote.split()) for c in feature.props.citations]]


# A point on a drawn line that a click there would really hit (not under a symbol or legend).
_LINE_POINT = """
([fid]) => {
  const path = document.querySelector(`path.atlas-f-${fid}`);
  if (!path) return null;
  const total = path.getTotalLength();
  const m = path.getScreenCTM();
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.45, 0.55, 0.35, 0.65]) {
    const p = path.getPointAtLength(total * f);
    const x = p.x * m.a + p.y * m.c + m.e, y = p.x * m.b + p.y * m.d + m.f;
    if (x < 5 || y < 5 || x > innerWidth - 5 || y > innerHeight - 5) continue;
    if (document.elementFromPoint(x, y) === path) return [x, y];
  }
  return null;
}
"""


@dataclass
class ClickTiming:
    feature_id: str
    popup_ms: float
    panel_first_quote_ms: float
    panel_full_ms: float


def click_feature(page, frame, feature, timeout: float = 30_000) -> ClickTiming:
    """Click a feature on the map and time its quote in the popup and its full panel."""
    feature_id = feature.id
    page.evaluate(_ARM_PAGE, panel_args(feature))
    frame.evaluate(_ARM_FRAME, [feature_id])
    symbol = frame.locator(f'.atlas-sym-shape[data-feature="{feature_id}"]')
    if symbol.count():
        symbol.first.click(timeout=timeout)
    else:
        point = frame.evaluate(_LINE_POINT, [feature_id])
        if point is None:
            raise AssertionError(f"no visible, clickable point on the line {feature_id!r}")
        box = page.locator(MAP_IFRAME).bounding_box()
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    try:
        popup_at = frame.wait_for_function(
            "() => window.__atlasPopupAt", timeout=timeout
        ).json_value()
    except Exception as exc:
        target = frame.evaluate("window.__atlasClickTarget")
        raise AssertionError(
            f"no popup for {feature_id!r}; the click landed on {target!r}"
        ) from exc
    clicked_at = frame.evaluate("window.__atlasClickAt")
    panel = page.wait_for_function("() => window.__atlasPanel", timeout=timeout).json_value()
    return ClickTiming(
        feature_id,
        popup_at - clicked_at,
        panel["first"] - clicked_at,
        panel["full"] - clicked_at,
    )


def show(frame, feature) -> None:
    """Move the map to a feature, as a reader zooming in on it would, and wait until it settles."""
    from geo.mapview import view_for

    (lat, lon), zoom = view_for(feature)
    frame.evaluate(
        """([lat, lon, zoom]) => new Promise((resolve) => {
            window.map.once('moveend', () => resolve());
            window.map.setView([lat, lon], zoom, {animate: false});
        })""",
        [lat, lon, zoom],
    )
    frame.wait_for_timeout(100)


def close_popup(frame) -> None:
    """Close the open popup, as a reader does before clicking the next symbol.

    Leaflet drops a click that lands within a few milliseconds of the close button's (no
    person clicks that fast), so wait until the popup is gone and the map has settled.
    """
    button = frame.locator(".leaflet-popup-close-button")
    for _ in range(3):
        if not button.count():
            return
        # The popup pans the map to fit: a click aimed at the button while it still moved
        # landed on the map, on the feature, and opened its popup again (seen once in CI).
        # Wait until the button has stood still for a poll, then click; a reader whose click
        # missed clicks again.
        frame.wait_for_function(
            """() => { const b = document.querySelector('.leaflet-popup-close-button');
                if (!b) return true;
                const r = b.getBoundingClientRect(), at = r.x + ',' + r.y;
                const still = window.__atlasCloseAt === at;
                window.__atlasCloseAt = at;
                return still; }""",
            polling=150,
        )
        button.first.click()
        try:
            frame.wait_for_selector(".leaflet-popup", state="detached", timeout=5_000)
        except PlaywrightTimeout:
            continue
        frame.wait_for_timeout(150)
        return
    raise AssertionError("the popup stayed open after three clicks on its close button")


AXE_JS = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def wait_halo_on(frame, feature_id: str, timeout: float = 10_000) -> None:
    """Wait until the map's halo is centred on the feature's symbol (within 3 px)."""
    frame.wait_for_function(
        """(fid) => {
            const h = document.querySelector('.atlas-halo'),
                  s = document.querySelector(`.atlas-sym-shape[data-feature="${fid}"]`);
            if (!h || !s) return false;
            const a = h.getBoundingClientRect(), b = s.getBoundingClientRect();
            return Math.abs(a.left + a.width / 2 - b.left - b.width / 2) < 3
                && Math.abs(a.top + a.height / 2 - b.top - b.height / 2) < 3;
        }""",
        arg=feature_id,
        timeout=timeout,
    )


def settled(page, timeout: float = 60_000) -> None:
    """Wait until the page is at rest, as a reader sees it: no run under way, nothing faded.

    A download button's file is registered anew by each run of its fragment (the map reports
    its view after loading and after every move): a click in the instant between a run and the
    button's new address reaches a file Streamlit has already let go. A reader clicks a button
    they can see at rest; so do these tests.
    """
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-stale=true]')",
        timeout=timeout,
    )
    page.wait_for_timeout(300)  # the map's debounced view report, if a move just ended
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout
    )


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the page and its same-origin frames.

    axe is injected into every frame, so that it checks the map's iframe as well (with
    `iframes: true` the top frame's run collects the frames' results).
    """
    # Streamlit fades every element while a run is under way: check the page at rest.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-stale=true]')",
        timeout=60_000,
    )
    for frame in page.frames:
        if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
            frame.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {iframes: true, resultTypes: ['violations']});
            return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]
