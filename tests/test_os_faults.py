"""Data files the server cannot read: each is one problem line, never a crash.

The permission case is real: the loader runs in a child process as root without the
capabilities that let root read any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so a file
with mode 000 is as unreadable to it as to an unprivileged server user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from geo.dataset import load_dataset
from pages._shared import _signature
from tests.apptest import app_test
from tests.conftest import ROOT

SETPRIV = shutil.which("setpriv")
NO_DAC = "-dac_override,-dac_read_search"

CHILD = """
from tests.apptest import app_test
import json, sys
from pathlib import Path
from streamlit.testing.v1 import AppTest
from geo.dataset import load_dataset

ds = load_dataset(Path(sys.argv[1]))
at = AppTest.from_file(str(Path.cwd() / "app.py"), default_timeout=60)
at.switch_page(sys.argv[2])
at.run()
print(json.dumps({
    "problems": [str(p) for p in ds.problems],
    "layers": {layer.name: len(layer.features) for layer in ds.layers},
    "figures": len(ds.figures),
    "exceptions": [e.value for e in at.exception],
    "errors": [e.value for e in at.error],
    "title": [t.value for t in at.title],
}))
"""

pytestmark = pytest.mark.slow  # renders with Chromium or starts the app in a child process


def unescape(markdown: str) -> str:
    """The banner's text as the reader sees it: Markdown escapes removed."""
    return markdown.replace("\\", "")


def python(data, page: str) -> list[str]:
    return [sys.executable, "-c", CHILD, str(data), page]


def run_without_dac(data, page: str = "pages/map.py") -> dict:
    """Load `data` and render a page as a root that cannot bypass file permissions."""
    if os.geteuid() != 0 or SETPRIV is None:
        pytest.skip("needs root and setpriv to drop the file-permission capabilities")
    done = subprocess.run(
        [SETPRIV, f"--inh-caps={NO_DAC}", f"--bounding-set={NO_DAC}", *python(data, page)],
        cwd=ROOT,
        env={**os.environ, "ATLAS_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_layer_the_server_cannot_read_is_one_problem_line(data_copy, ds):
    target = data_copy / "layers" / "markets.geojson"
    target.chmod(0)
    got = run_without_dac(data_copy)
    # One line for the file. (Events naming its features are another matter: issue 13 item 8.)
    assert [p for p in got["problems"] if "markets.geojson" in p] == [
        "data/layers/markets.geojson: -: -: cannot read the file: "
        "permission denied (the server's user cannot read it)"
    ]
    # Every other layer and every figure still loads, and the page renders with the banner.
    shipped = {layer.name: len(layer.features) for layer in ds.layers}
    assert got["layers"] == {k: v for k, v in shipped.items() if k != "markets"}
    assert got["figures"] == len(ds.figures)
    assert got["exceptions"] == []
    shown = [unescape(e) for e in got["errors"]]
    assert any("markets.geojson" in e and "permission denied" in e for e in shown), shown
    assert not any(str(data_copy) in e for e in shown)


def test_a_source_text_the_server_cannot_read_names_no_server_path(data_copy):
    (data_copy / "sources" / "tmp-rising-ties.txt").chmod(0)
    got = run_without_dac(data_copy, "pages/sources.py")
    lines = [p for p in got["problems"] if "tmp-rising-ties.txt" in p]
    assert lines[0].startswith("data/sources.json: tmp-rising-ties: file: cannot read")
    assert "permission denied" in lines[0]
    assert got["exceptions"] == []
    shown = [unescape(e) for e in got["errors"]]
    assert any("tmp-rising-ties.txt" in e and "permission denied" in e for e in shown), shown
    assert not any(
        str(data_copy) in e or str(data_copy.parent) in e for e in shown + got["problems"]
    )


def test_a_folder_named_like_a_layer_is_one_problem_line(data_copy, ds):
    (data_copy / "layers" / "x.geojson").mkdir()
    got = load_dataset(data_copy)
    assert [str(p) for p in got.problems] == [
        "data/layers/x.geojson: -: -: cannot read the file: it is a folder, not a file"
    ]
    assert len(got.features) == len(ds.features) and len(got.events) == len(ds.events)


def test_the_app_renders_over_a_folder_named_like_a_layer(data_copy, monkeypatch):
    (data_copy / "layers" / "x.geojson").mkdir()
    at = app_test("pages/map.py", data_dir=data_copy)
    assert not at.exception, [e.value for e in at.exception]
    shown = [unescape(e.value) for e in at.error]
    assert any("x.geojson" in e and "it is a folder" in e for e in shown), shown


def test_the_data_signature_sees_a_chmod_a_chown_and_a_new_folder(data_copy):
    before = _signature(data_copy)
    layer = data_copy / "layers" / "ports.geojson"
    layer.chmod(0o200)
    after_chmod = _signature(data_copy)
    assert after_chmod != before
    if os.geteuid() == 0:
        os.chown(layer, 65534, -1)
        assert _signature(data_copy) != after_chmod
    after_chown = _signature(data_copy)
    (data_copy / "layers" / "x.geojson").mkdir()
    assert _signature(data_copy) != after_chown


def test_a_missing_source_text_is_named_without_a_server_path(data_copy):
    (data_copy / "sources" / "tmp-rising-ties.txt").unlink()
    got = [str(p) for p in load_dataset(data_copy).problems if "tmp-rising-ties.txt" in str(p)]
    assert got == [
        "data/sources.json: tmp-rising-ties: file: "
        "cannot read 'sources/tmp-rising-ties.txt': No such file or directory"
    ]
