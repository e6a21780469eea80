"""What every page shares: the cached dataset and the banner that lists data problems.

Pages are the only modules that touch Streamlit; `geo/` stays free of it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.dataset import data_dir, load_dataset
from geo.models import Dataset
from geo.text import md


def _signature(root: Path) -> tuple:
    """Names, sizes and modification times of every data file: a change reloads the data."""
    return tuple(
        (str(p), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    )


@st.cache_resource(show_spinner=False)
def _load(root: str, signature: tuple) -> Dataset:
    return load_dataset(Path(root))


def _leave_pages_folder_mode() -> None:
    """Make sure this page runs inside app.py's navigation, not on its own.

    Streamlit starts a server in its old "pages folder" mode when `pages/` sits beside the
    main script, and leaves it only when some session runs `st.navigation`. If a shared link
    to, say, /figures is a fresh server's first request, this page would run alone: no app
    navigation, no page setup. Switch the process to navigation mode and rerun through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def dataset() -> Dataset:
    """The checked dataset, loaded once per change of the data files and shared by sessions.

    Every page calls this first, so it is also where a page makes sure it runs inside the
    app's navigation.
    """
    _leave_pages_folder_mode()
    root = data_dir()
    return _load(str(root), _signature(root))


def problem_banner(ds: Dataset) -> None:
    """Name every data problem; the valid records are still shown below it."""
    if not ds.problems:
        return
    lines = "\n".join(f"- {md(p)}" for p in ds.problems[:50])
    more = f"\n- … and {len(ds.problems) - 50} more" if len(ds.problems) > 50 else ""
    st.error(
        f"**{len(ds.problems)} problem(s) in the data.** The records concerned are left out; "
        f"everything else is shown. Run `python -m geo validate` for the full list.\n\n{lines}{more}",
        icon="⚠️",
    )
