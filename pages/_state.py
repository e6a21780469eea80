"""The little reader's state that Streamlit's widgets do not keep themselves.

Widgets hold layers, basemap, the Sources tab, document and search, the timeline's filters
and event, bound to the address with `bind="query-params"` and kept across page switches with
`persist_state="session"`. What is left here: the notices for what a link carried that could
not be shown (Streamlit drops an unknown value without a word), and the state no widget holds
(the map's selected feature, the passage in focus on Sources), kept under `state:<page>`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st


def address() -> dict[str, list[str]]:
    """Every value of every query parameter of the address, as the page was asked for."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def entering(page: str) -> None:
    """Note the page this full run shows (app.py, on every run, whichever page it is)."""
    st.session_state["_previous_page"] = st.session_state.get("_page")
    st.session_state["_page"] = page


def arrived() -> bool:
    """True on the first run of the page after another page (any page, also one that keeps no
    state of its own) or a new link: the moment to read what the address asks for. Reruns on
    the same page keep what the reader did."""
    return st.session_state.get("_previous_page") != st.session_state.get("_page")


def set_notices(page: str, notices: list[str]) -> None:
    """Remember what the link to the page carried that could not be shown."""
    st.session_state[f"notices:{page}"] = [n for n in notices if n]


def notices(page: str) -> list[str]:
    """The notices of the last link to the page, until the reader acts."""
    return st.session_state.get(f"notices:{page}", [])


def acted(page: str) -> None:
    """The reader changed something on the page: the link's notices are done."""
    st.session_state[f"notices:{page}"] = []


def get(page: str, default: Any = None) -> Any:
    """The page's own state that no widget holds."""
    return st.session_state.get(f"state:{page}", default)


def put(page: str, value: Any) -> None:
    st.session_state[f"state:{page}"] = value


def seed(key: str, value: Any) -> None:
    """Give a widget a value before it is drawn (bound widgets take it as the reader's)."""
    st.session_state[key] = value


def write_own(params: dict[str, str], keys: tuple[str, ...]) -> None:
    """Make the address's own parameters `keys` (those no widget is bound to) match `params`,
    touching nothing else and nothing that already matches: each change is a history entry."""
    for key in keys:
        value = params.get(key)
        if value is None and key in st.query_params:
            del st.query_params[key]
        elif value is not None and st.query_params.get(key) != value:
            st.query_params[key] = value


def remember_address(page: str) -> None:
    """Keep the page's address as it is now, for the menu's link back to it (app.py)."""
    st.session_state[f"address:{page}"] = address()
