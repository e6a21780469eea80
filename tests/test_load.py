"""The protocol-level load generator against the real server: its clicks give the right panels.

Behaviour only (no timings): the generator must open sessions, click, and find every panel
right, and it must also notice a panel that is not the clicked feature's.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.browser import ROOT

_spec = importlib.util.spec_from_file_location("atlas_load", ROOT / "scripts" / "load.py")
load = importlib.util.module_from_spec(_spec)
sys.modules["atlas_load"] = load  # its dataclasses look their module up by name
_spec.loader.exec_module(load)


def test_two_sessions_click_and_every_panel_is_right(app_server):
    result = load.run(app_server.url, sessions=2, duration=4, server_pids=[app_server.proc.pid])
    assert result["opened"] == 2, result["error_samples"]
    assert result["errors"] == 0, result["error_samples"]
    assert result["wrong_panels"] == 0, result["wrong_samples"]
    assert result["clicks"] > 0
    assert result["click_to_panel_ms"]["n"] == result["clicks"]
    assert result["bytes_per_click"] > 0
    assert result["server_cpu_s"] > 0
    assert "Traceback" not in app_server.log()


def test_a_click_reruns_the_panel_and_the_address_not_the_map(app_server):
    """The click's reply holds the panel (heading, quotes) and the new address, and neither the
    map component nor anything else of the page: the map drew its own popup and halo."""
    feats = load.expectations()

    async def scenario():
        session = load.Session(app_server.url, load.Stats())
        await session.open()
        try:
            sent = [etype for etype, _ in session.run_elements]
            assert "component_instance" in sent  # the first run sends the map
            for f in feats[:3]:
                await session.click(f)
                sent = [etype for etype, _ in session.run_elements]
                assert "heading" in sent and "markdown" in sent, f.feature_id
                # Only the fragment's elements: none of the page's own, none as a cache ref.
                outside = [etype for etype, fragment in session.run_elements if not fragment]
                assert outside == [], f"{f.feature_id}: a full run sent {outside[:5]}"
                assert f"feature={f.feature_id}" in session.query
        finally:
            await session.close()

    load.run_coroutine(scenario())


def test_a_panel_of_another_feature_is_caught(app_server):
    """Click one feature but expect another's panel: the generator must say so, not wait."""
    feats = load.expectations()
    clicked, other = feats[1], feats[2]
    assert clicked.quotes != other.quotes

    async def scenario():
        session = load.Session(app_server.url, load.Stats())
        await session.open()
        try:
            assert await session.click(clicked) >= 0
            name, quotes = session.shown()
            assert (name, quotes) == (clicked.name, clicked.quotes)
            # The page's real reply to a click on `other`, checked against `clicked`.
            liar = load.Expected(clicked.feature_id, clicked.name, clicked.quotes, other.value)
            with pytest.raises((load.WrongPanel, TimeoutError)):
                await session.click(liar)
            assert session.shown()[0] == other.name
        finally:
            await session.close()

    load.CLICK_TIMEOUT_S, saved = 5.0, load.CLICK_TIMEOUT_S
    try:
        load.run_coroutine(scenario())
    finally:
        load.CLICK_TIMEOUT_S = saved


def test_the_component_is_found_by_name_not_by_key(app_server):
    """A session finds st_folium by its component name; with another name it finds none."""

    async def scenario():
        session = load.Session(app_server.url, load.Stats(), component="no.such_component")
        try:
            with pytest.raises(RuntimeError, match=r"no no\.such_component component"):
                await session.open()
        finally:
            await session.close()

    load.run_coroutine(scenario())
