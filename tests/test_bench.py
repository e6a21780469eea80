"""The benchmark runs: `scripts/bench.py --quick` does every part, small, and reports each figure.

No timing is asserted (figures are the benchmark's business, printed beside their aims); what
is asserted is that every part ran, measured something, and found the pages right.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.browser import ROOT

# Every part of the benchmark, small: several servers and browsers one after another, which on
# a shared two-core machine takes minutes.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    done = subprocess.run(
        [sys.executable, "scripts/bench.py", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(out.read_text()), done.stdout


def _sound(run: dict, sessions: int) -> None:
    assert run["opened"] == sessions, run["error_samples"]
    assert run["clicks"] > 0
    assert run["errors"] == 0, run["error_samples"]
    assert run["wrong_panels"] == 0, run["wrong_samples"]
    assert run["log_tracebacks"] == 0
    assert run["click_to_panel_ms"]["n"] == run["clicks"]
    assert run["bytes_per_click"] > 0 and run["wire_bytes_per_click"] > 0
    assert run["cpu_s_per_click"] > 0


def test_the_quick_run_measures_every_figure(quick):
    results, _ = quick
    assert results["quick"] is True

    single = results["single_user"]
    for key in ("click_to_quote_in_popup_ms", "click_to_full_panel_ms"):
        assert single[key]["n"] == 3 and single[key]["median"] > 0

    for key in ("first_map_direct", "first_map_proxy"):
        first = results[key]
        cold, warm = first["cold"], first["warm"]
        assert cold["seconds"] > 0 and warm["seconds"] > 0
        assert cold["http_bytes"] > 100_000 and cold["websocket_bytes"] > 0
        # A warm cache: the second visit moves fewer bytes than the first.
        assert warm["http_bytes"] < cold["http_bytes"], first
    assert "HAProxy" in results["first_map_proxy"]["via"]

    for key in ("load_20", "load_100", "replicas_200"):
        _sound(results[key], 3)
        assert results[key]["value"] == "atlas"
    peer = results["peer_20"]
    _sound(peer, 3)
    assert peer["value"] == "stock"

    ratios = results["peer_over_atlas"]
    assert set(ratios) == {"p95", "bytes_per_click", "wire_bytes_per_click", "cpu_s_per_click"}
    assert all(isinstance(v, float) and v > 0 for v in ratios.values()), ratios

    deflate = results["deflate"]
    _sound(deflate["off"], 3)
    _sound(deflate["on"], 3)
    # The same messages either way; compressed on the wire only when the server has it on.
    assert deflate["on"]["wire_bytes_per_click"] < deflate["off"]["wire_bytes_per_click"]
    assert isinstance(deflate["pays"], bool) and isinstance(deflate["configured_on"], bool)

    soak = results["soak"]["soak"]
    assert len(soak["samples"]) >= 2 and soak["rss_mb_start"] > 0


def test_the_quick_run_prints_each_figure_beside_its_aim(quick):
    _, printed = quick
    aims = printed.split("Against the aims:")[1]
    for label, aim in (
        ("click to full panel", "median < 100, p95 < 200 ms"),
        ("click to the quote in the popup", "< 20 ms"),
        ("through HAProxy: cold", "< 3 s, < 1 MB"),
        ("through HAProxy: warm", "< 1.5 s"),
        # --quick runs 3 sessions where the full run has 20, 100 and 200.
        ("3 sessions, 1 process: click to panel", "p95 < 100 ms"),
        ("3 sessions, 2 replicas behind HAProxy: click to panel", "p95 < 200 ms"),
        ("peer / atlas at 3 sessions: click to panel p95", ">= 10x"),
        ("peer / atlas at 3 sessions: server CPU per click", ">= 10x"),
        ("websocket deflate: server CPU per click", "pays"),
        ("soak", "end within 10 % of start"),
    ):
        line = next((ln for ln in aims.splitlines() if label in ln), None)
        assert line is not None, f"no line for {label!r}:\n{aims}"
        assert aim in line, line
        assert line.rstrip().endswith(("met", "MISSED")), line
