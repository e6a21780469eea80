"""The real server, a reader's page and a PNG export make no connection off this machine.

Every connect, sendto and sendmsg of the server and of every process it starts (the export
Chromium included) is traced with strace; any to an address that is not loopback, or to a DNS
port anywhere, fails the test. The server runs as `make run` runs it, with only the project's
config: no --server.address, no --browser.gatherUsageStats on the command line.

Also here: a reader never sees a traceback or a server path when a script fails.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.browser import ROOT, free_port, map_frame

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace"),
]

# -ff: one file per thread, so that no call is split into "unfinished" and "resumed" lines.
TRACE = ["-ff", "-qq", "-e", "trace=connect,sendto,sendmsg", "-e", "signal=none"]
# How long to watch after the export browser starts: Chromium asked Google's update and
# optimisation hosts within 25 s of starting.
WATCH_S = 30.0
_ADDR = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")


def outbound(strace_log: str) -> list[str]:
    """The traced calls that reached off the machine, or asked a DNS server anything.

    A call that failed on the spot (the export browser's IPv6 probe inside its empty network
    namespace fails with EADDRNOTAVAIL or ENETUNREACH) cannot have sent anything, and is
    counted by `blocked` instead.
    """
    return [line for line in _off_machine(strace_log) if not _failed(line)]


def blocked(strace_log: str) -> list[str]:
    """Off-machine calls that the system refused: attempts that could not leave."""
    return [line for line in _off_machine(strace_log) if _failed(line)]


def _failed(line: str) -> bool:
    return re.search(r"= -1 E(NETUNREACH|ADDRNOTAVAIL|HOSTUNREACH)", line) is not None


def _off_machine(strace_log: str) -> list[str]:
    bad = []
    for line in strace_log.splitlines():
        if "AF_INET" not in line:
            continue
        port = _PORT.search(line)
        for v4, v6 in _ADDR.findall(line):
            addr = ipaddress.ip_address(v4 or v6)
            mapped = getattr(addr, "ipv4_mapped", None)
            local = (mapped or addr).is_loopback or (mapped or addr).is_unspecified
            if not local or (port and port.group(1) == "53"):
                bad.append(line.strip())
    return bad


def test_the_detector_sees_a_real_outbound_attempt(tmp_path):
    log = tmp_path / "control.log"
    code = "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('8.8.8.8', 1))"
    subprocess.run(["strace", *TRACE, "-o", str(log), sys.executable, "-c", code], check=True)
    assert any("8.8.8.8" in line for line in outbound(read_trace(log)))
    assert (
        outbound(
            '1 connect(3, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0'
        )
        == []
    )


def read_trace(base: Path) -> str:
    """Every thread's trace file (strace -ff writes `base.TID`), joined."""
    return "\n".join(p.read_text() for p in sorted(base.parent.glob(base.name + ".*")))


def server_pid(strace_pid: int) -> int:
    """strace's child: the server itself."""
    with contextlib.suppress(psutil.NoSuchProcess):
        for child in psutil.Process(strace_pid).children():
            return child.pid
    raise AssertionError("server not found under strace")


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, limit: float = 120) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        assert proc.poll() is None, log.read_text()
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r,
        ):
            if r.status == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"server not healthy:\n{log.read_text()}")


def foreign_origin_websocket(port: int) -> bytes:
    """Open the app's websocket with a foreign Origin; return the status line."""
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Origin: http://evil.example\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request.encode())
        return s.recv(200).split(b"\r\n", 1)[0]


def test_server_page_and_export_make_no_outbound_connection(tmp_path, chromium):
    trace, log = tmp_path / "strace.log", tmp_path / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = ["strace", *TRACE, "-o", str(trace), sys.executable, "-m", "geo.serve", "run", "app.py",
           "--server.port", str(port)]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, proc, log)
        status = foreign_origin_websocket(port)
        assert b" 101 " not in status, status  # refused, and without looking anything up
        # The session's one Chromium: a second Playwright in the same process cannot start.
        context = chromium.new_context(accept_downloads=True)
        try:
            page = context.new_page()
            page.goto(f"{url}/figures")
            page.locator(".st-key-chart-trade .js-plotly-plot").wait_for(timeout=90_000)
            with page.expect_download(timeout=90_000) as download:
                page.locator(".st-key-png-trade button").click()
            assert download.value.suggested_filename.endswith(".png")
            page.goto(f"{url}/map")
            map_frame(page, timeout=90_000)
            time.sleep(WATCH_S)  # not a timing assertion: the window in which to catch traffic
        finally:
            context.close()
        assert foreign_origin_websocket(port).split()[1] == status.split()[1]
    finally:
        with contextlib.suppress(AssertionError, OSError):
            os.kill(server_pid(proc.pid), signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    text = read_trace(trace)
    assert "connect(" in text  # the trace did see the server's own loopback traffic
    assert outbound(text) == [], outbound(text)[:20]
    # What was tried and refused is only Chromium's IPv6 reachability probe, if anything.
    assert all("2001:4860:4860::8888" in line for line in blocked(text)), blocked(text)
    print(f"blocked attempts (could not leave): {len(blocked(text))}")
    assert "checkip.amazonaws.com" not in log.read_text()


FAILING_PAGE = """
import streamlit as st
st.title("Failing page")
raise RuntimeError("cannot open /srv/secret/atlas/data/layers/x.geojson")
"""


def test_a_reader_never_sees_a_traceback_or_a_server_path(tmp_path, chromium):
    """A script that fails, served with the project's own config, shows only the error type."""
    shutil.copytree(ROOT / ".streamlit", tmp_path / ".streamlit")
    (tmp_path / "failing.py").write_text(FAILING_PAGE)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "failing.py", "--server.port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, proc, log)
        context = chromium.new_context()
        try:
            page = context.new_page()
            page.goto(url)
            page.locator('[data-testid="stException"]').wait_for(timeout=60_000)
            shown = page.locator("body").inner_text()
        finally:
            context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "RuntimeError" in shown  # the reader learns that something failed
    for secret in ("Traceback", "/srv/secret", str(tmp_path), "failing.py", "line 4"):
        assert secret not in shown, secret
    assert "/srv/secret" in log.read_text()  # the maintainer still has the whole story
