"""The one AppTest factory: any page of the real app, with a query and a data folder."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def _env(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def app_test(
    page: str | None = None,
    query: dict[str, str | list[str]] | None = None,
    data_dir: Path | str | None = None,
    *,
    run: bool = True,
    timeout: float = 60,
) -> AppTest:
    """The app through app.py's navigation, on `page` ("pages/map.py"; the map if None).

    `query` is the address's query; `data_dir` serves another data folder (ATLAS_DATA_DIR) for
    this run only. With `run=False` the test sets widgets or state before the first run.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page is not None:
        at.switch_page(page)
    if data_dir is not None:
        # Every run of this AppTest (widget clicks rerun it too) reads the given folder; runs
        # of other tests are untouched. Every run goes through AppTest._run.
        inner = at._run

        def run_in(*args, **kwargs):
            with _env("ATLAS_DATA_DIR", str(data_dir)):
                return inner(*args, **kwargs)

        at._run = run_in
    return at.run() if run else at
