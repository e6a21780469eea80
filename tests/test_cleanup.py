"""What a server process leaves behind, and where `make run` listens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_the_export_launcher_folder_is_removed_when_the_process_exits():
    done = subprocess.run(
        [sys.executable, "-c",
         "from geo.pngexport import offline_launcher; print(offline_launcher('/usr/bin/chromium'))"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    launcher = done.stdout.strip()
    if launcher == "None":
        pytest.skip("this kernel or user may not make network namespaces: no launcher folder")
    folder = Path(launcher).parent
    assert folder.name.startswith("atlas-export-")
    assert not folder.exists(), f"{folder} left behind"


@pytest.mark.slow
def test_make_run_listens_on_this_machine_only_unless_told_otherwise():
    def command(*args: str) -> str:
        out = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True)
        return next(line for line in out.stdout.splitlines() if "geo.serve run" in line)

    assert "--server.address 127.0.0.1" in command()
    assert "--server.address 0.0.0.0" in command("ADDRESS=0.0.0.0")
