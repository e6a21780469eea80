"""geo.serve: the app's modules are imported before the server listens (the first reader of a new
replica does not wait for them), and a module that fails to import is left for the page."""

from __future__ import annotations

import subprocess
import sys

from geo import serve
from tests.apptest import ROOT


def test_preload_imports_the_app_modules_in_a_fresh_process():
    # A fresh interpreter: this test process has imported most of them already.
    code = (
        "import sys; from geo.serve import preload; failed = preload(); "
        "print(failed); print(sorted(m for m in sys.modules if m.startswith(('geo.', 'pages.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "[]"
    loaded = set(eval(out[1]))  # noqa: S307 - our own printed list of module names
    for name in ("geo.mapview", "geo.panel", "geo.charts", "geo.brief", "pages._shared"):
        assert name in loaded, name
    # Page scripts are run by Streamlit, never imported (they would run at import).
    assert "pages.map" not in loaded


def test_a_module_that_fails_to_import_is_named_not_raised(monkeypatch):
    real = serve.import_module

    def broken(name: str):
        if name == "geo.charts":
            raise RuntimeError("injected")
        return real(name)

    monkeypatch.setattr(serve, "import_module", broken)
    assert serve.preload() == ["geo.charts"]
