"""Every patch to another library: the version it was written for, and proof it still works.

The patches themselves live in patches.py beside app.py; no other module may touch another
library's private attributes (checked here by reading the source).
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from types import SimpleNamespace

import kaleido
import pytest

import patches
from patches import PATCHES, Patch, check_versions

ROOT = Path(__file__).resolve().parent.parent


def test_every_patch_was_written_for_the_installed_version():
    # The lock pins these: a failure here means a library moved and its patch needs a re-read.
    assert check_versions() == []


def test_a_moved_library_is_named_with_the_patch_to_reread():
    moved = {patches.pin_streamlit_loopback: Patch("pin", "streamlit", "0.1", "why")}
    (line,) = check_versions(moved)
    assert "pin was written for streamlit 0.1" in line
    assert "installed is 1." in line
    missing = {patches.pin_streamlit_loopback: Patch("gone", "no-such-package-atlas", "1", "w")}
    assert check_versions(missing) == ["patches: gone: no-such-package-atlas is not installed"]


def test_streamlit_address_lookups_answer_loopback_without_the_network(monkeypatch):
    from streamlit import net_util

    monkeypatch.setattr(net_util, "_internal_ip", None)
    monkeypatch.setattr(net_util, "_external_ip", None)

    def no_network(*args, **kwargs):
        raise AssertionError("Streamlit reached for the network")

    # Both look-ups go through these when their cache is empty.
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(net_util, "_make_blocking_http_get", no_network)
    patches.pin_streamlit_loopback()
    assert net_util.get_internal_ip() == "127.0.0.1"
    assert net_util.get_external_ip() == "127.0.0.1"


def test_kaleido_chromium_command_line_gains_the_quiet_flags(tmp_path):
    k = kaleido.Kaleido(n=1, path="/usr/bin/chromium")
    assert patches.quiet_kaleido_browser(k, ("--atlas-test-flag",)) is True
    # get_cli() reads the profile folder kaleido makes on open(); give it one.
    k._browser_impl.tmp_dir = SimpleNamespace(path=str(tmp_path))
    cli = k._browser_impl.get_cli()
    assert cli[-1] == "--atlas-test-flag"
    assert any(arg.startswith("--user-data-dir=") for arg in cli)


def test_quiet_flags_report_when_kaleido_changed_shape():
    assert patches.quiet_kaleido_browser(SimpleNamespace(), ("--x",)) is False


# A private attribute of another library: `module._name` on a name imported from outside the
# project, or a class attribute set from outside. Listed by the patterns the old code used.
PRIVATE_TOUCHES = re.compile(
    r"net_util\._|_browser_impl|uses_pages_directory\s*=|branca\.element\.Template\s*="
    r"|_session_mgr|_client_state"
)


@pytest.mark.parametrize(
    "path",
    [p for p in [*ROOT.glob("geo/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_module_but_patches_touches_another_librarys_privates(path):
    assert not PRIVATE_TOUCHES.search(path.read_text()), f"{path.name} patches a library"


def test_every_patch_function_is_registered_with_a_docstring():
    for fn, patch in PATCHES.items():
        assert fn.__name__ == patch.name
        assert fn.__doc__ and len(fn.__doc__.split()) > 20, f"{patch.name} needs its why"


@pytest.mark.browser
def test_a_shared_link_as_a_fresh_servers_first_request_runs_inside_the_navigation(chromium):
    # leave_pages_folder_mode: without it, /figures as the very first request runs the page
    # alone, in Streamlit's old pages-folder mode, with no app navigation.
    from tests.browser import AppServer

    with AppServer() as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(f"{server.url}/figures", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Figures").first.wait_for(timeout=60_000)
        nav = page.locator("[data-testid=stSidebar]")  # the app's own menu (app.py)
        nav.get_by_role("link", name="Map").wait_for(timeout=30_000)
        assert nav.get_by_role("link", name="About the data").count() == 1
        context.close()


def test_rerunning_a_session_that_is_not_there_says_so_without_raising():
    # Outside a server there is no runtime: the patch reports it cannot, never raises.
    assert patches.rerun_session("no-such-session") is False
