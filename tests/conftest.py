"""Shared fixtures: the shipped data, and copies of it with one thing broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.dataset import DATA_DIR, load_dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"
BROKEN_CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


@pytest.fixture(scope="session")
def ds():
    """The shipped dataset, loaded once."""
    return load_dataset(DATA_DIR)


def overlay(case_dir: Path, target: Path) -> Path:
    """Copy the shipped data to `target`, then lay the case's files over it."""
    shutil.copytree(DATA_DIR, target)
    for path in case_dir.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            dest = target / path.relative_to(case_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, dest)
    return target


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the shipped data, for tests that break one thing by hand."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
