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
PAGES = [
    "pages/map.py",
    "pages/figures.py",
    "pages/timeline.py",
    "pages/topics.py",
    "pages/sources.py",
    "pages/about.py",
]


@pytest.fixture(scope="session")
def ds():
    """The shipped dataset, loaded once."""
    return load_dataset(DATA_DIR)


def overlay(case_dir: Path, target: Path) -> Path:
    """Copy the shipped data to `target`, then lay the case's files over it."""
    shutil.copytree(DATA_DIR, target)
    for path in case_dir.rglob("*"):
        if path.is_file() and path.name not in ("expected.txt", "make.py", "README.md"):
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


ARTIFACTS = ROOT / "artifacts"


# Fixtures that start a process or a browser: a test using any of them is `slow`.
SLOW_FIXTURES = {"app_server", "chromium", "page", "replicas", "kaleido_browser"}


def pytest_collection_modifyitems(items):
    """Mark every browser test, and every test on a fixture that starts a process, `slow`."""
    for item in items:
        if item.get_closest_marker("browser") or SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def app_server():
    """The real app, served once for every browser test of the session."""
    from tests.browser import AppServer

    server = AppServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright, once per session."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@pytest.fixture
def page(request, chromium, app_server):
    """A fresh page; on failure, a screenshot in artifacts/ and the server log on stdout."""
    context = chromium.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=ARTIFACTS / f"failed-{request.node.name}.png", full_page=True)
        print(f"--- server log ---\n{app_server.log()[-5000:]}")
    context.close()
