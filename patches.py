"""Every change the atlas makes to another library's behaviour, in one place.

Each patch is a named function with a docstring saying why, listed in `PATCHES` with the
library and the version it was written for. `check_versions()` says, in one line per patch,
when an installed version has moved on, so a reviewer knows which patch to re-read; the
regression tests in tests/test_patches.py prove each one still does what it says.

Nothing else in the project may touch another library's private attributes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

log = logging.getLogger("atlas.patches")

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Patch:
    """One change to another library: what, where, and for which version it was written."""

    name: str
    package: str  # the distribution name, as pip knows it
    written_for: str  # a version prefix: "1.67" matches 1.67.0 and 1.67.3
    why: str


def pin_streamlit_loopback() -> None:
    """Make Streamlit's address look-ups answer from cache, never from the network.

    Streamlit looks up the machine's addresses to vet a websocket's Origin: a UDP "connect" to
    a public resolver for the internal address and an HTTP request to an address-echo service
    for the external one. A websocket from a foreign Origin repeated the HTTP look-up on the
    server's event loop, so a slow DNS froze every session for seconds. Streamlit caches the
    first answer in two module globals and never looks again; both are only compared with an
    Origin's host, and 127.0.0.1 is already on Streamlit's list of allowed hosts, so no origin
    is newly allowed. `.streamlit/config.toml`'s `browser.serverAddress` keeps start-up quiet.
    """
    from streamlit import net_util

    if net_util._internal_ip is None:
        net_util._internal_ip = LOOPBACK
    if net_util._external_ip is None:
        net_util._external_ip = LOOPBACK


def verbatim_branca_templates() -> None:
    """Make branca build element templates with `geo.foliumfast.template`. Idempotent.

    branca renders every map element to text, then compiles that text again as a Jinja
    template only to render it back unchanged; for the atlas's map that text holds every
    feature's GeoJSON, and tokenizing it was over a third of the server's CPU per map (profiled
    with py-spy under load). branca.element looks `Template` up in its module namespace each
    time an element is created, so replacing that one name is enough.
    """
    import branca.element

    from geo.foliumfast import template

    branca.element.Template = template


def quiet_kaleido_browser(k: Any, flags: tuple[str, ...]) -> bool:
    """Add `flags` to the command line kaleido starts Chromium with; False if it cannot.

    kaleido has no public option for extra Chromium flags, and the atlas needs them to keep
    the export browser from reaching for the network (component updates, metrics, DNS
    prefetch). Its browser implementation builds the command line in `get_cli()`; wrapping it
    before `open()` adds the flags. Call this on a `kaleido.Kaleido` that is not yet open.
    """
    impl = getattr(k, "_browser_impl", None)
    if impl is None or not hasattr(impl, "get_cli"):
        return False
    base_cli = impl.get_cli
    impl.get_cli = lambda: [*base_cli(), *flags]
    return True


def leave_pages_folder_mode() -> None:
    """Make sure this page runs inside app.py's navigation, not on its own.

    Streamlit starts a server in its old "pages folder" mode when `pages/` sits beside the main
    script, and leaves it only when some session runs `st.navigation`. If a shared link to, say,
    /figures is a fresh server's first request, that page would run alone, with no navigation
    and no page setup: switch the process to navigation mode and rerun through app.py.
    """
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def rerun_session(session_id: str) -> bool:
    """Rerun a reader's whole page, as it is, from outside its script run; False if it cannot.

    A download made when clicked (Streamlit's deferred download) runs outside the page's script:
    when it fails, Streamlit can only flash "Failed to generate file for download". The atlas
    keeps its own message for the reader and reruns the page so the message shows under the
    button. Streamlit has no public call for this: it takes the session from the runtime's
    session manager and requests a rerun with the reader's last client state (page, address,
    widgets), as Streamlit's own rerun on a source change does, as a whole-page run.
    """
    try:
        from streamlit.proto.ClientState_pb2 import ClientState
        from streamlit.runtime import Runtime

        info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
        if info is None:
            return False
        state = ClientState()
        state.CopyFrom(info.session._client_state)
        state.fragment_id = ""
        info.session.request_rerun(state)
        return True
    except Exception:  # best effort: the message is kept and shows on the page's next run
        log.warning("could not rerun session %s to show an export error", session_id)
        return False


PATCHES: dict[Callable[..., Any], Patch] = {
    pin_streamlit_loopback: Patch(
        "pin_streamlit_loopback", "streamlit", "1.67", "no network look-ups of own address"
    ),
    verbatim_branca_templates: Patch(
        "verbatim_branca_templates", "branca", "0.8", "a third of the CPU per map built"
    ),
    quiet_kaleido_browser: Patch(
        "quiet_kaleido_browser", "kaleido", "1.5", "export Chromium never reaches the network"
    ),
    leave_pages_folder_mode: Patch(
        "leave_pages_folder_mode", "streamlit", "1.67", "a shared link as first request"
    ),
    rerun_session: Patch("rerun_session", "streamlit", "1.67", "export errors in our words"),
}


def installed(package: str) -> str | None:
    """The installed version of `package`, or None when it is not installed."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def check_versions(registry: dict[Callable[..., Any], Patch] | None = None) -> list[str]:
    """One line per patch whose library has moved from the version it was written for."""
    lines = []
    for patch in (PATCHES if registry is None else registry).values():
        got = installed(patch.package)
        if got is None:
            lines.append(f"patches: {patch.name}: {patch.package} is not installed")
        elif got != patch.written_for and not got.startswith(patch.written_for + "."):
            lines.append(
                f"patches: {patch.name} was written for {patch.package} {patch.written_for}, "
                f"installed is {got}: re-read it and run tests/test_patches.py"
            )
    return lines


_applied = False


def apply_server_patches() -> None:
    """Apply the patches the server process needs, once, and log any version drift."""
    global _applied
    if _applied:
        return
    _applied = True
    for line in check_versions():
        log.warning(line)
    pin_streamlit_loopback()
    verbatim_branca_templates()
