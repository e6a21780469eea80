"""Where each page keeps its reader's state: session keys owned here, not widget keys.

Streamlit forgets a widget's value when its page is not drawn, so a reader who went from the
map to the figures and back found the map empty. Each page's state is one frozen value (see
geo/urlstate.py) kept under `state:<page>`; widgets are seeded from it on every run and write
back to it from their callbacks; the address bar is written from it at the end of each run.
An address whose query parameters differ from those this page last wrote is a new link and
replaces the state; an address with none (a page switch) leaves it as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

S = TypeVar("S")


def restore(
    page: str, read: Callable[[dict[str, str]], tuple[S, list[str]]], write: Callable[[S], dict]
) -> S:
    """The page's state: from the address when it carries one of its own, else as left."""
    params = st.query_params.to_dict()
    state = st.session_state.get(f"state:{page}")
    # Compared with what was last written, not with the state: a callback may already have
    # changed the state in this run, before the address caught up with it.
    if state is None or (params and params != st.session_state.get(f"published:{page}")):
        state, notices = read(params)
        st.session_state[f"state:{page}"] = state
        st.session_state[f"notices:{page}"] = notices
    return state


def get(page: str) -> Any:
    """The page's current state."""
    return st.session_state[f"state:{page}"]


def update(page: str, **changes: Any) -> Any:
    """Change some fields of the page's state; the reader has acted, so notices are done."""
    state = dataclasses.replace(st.session_state[f"state:{page}"], **changes)
    st.session_state[f"state:{page}"] = state
    st.session_state[f"notices:{page}"] = []
    return state


def notices(page: str) -> list[str]:
    """What the last link to the page carried that could not be shown."""
    return st.session_state.get(f"notices:{page}", [])


def seed(widget_key: str, value: Any) -> None:
    """Give a widget its value from the page's state, before the widget is drawn."""
    st.session_state[widget_key] = value


def publish(page: str, write: Callable[[Any], dict]) -> None:
    """Make the address bar match the page's state, so that a copied link restores it."""
    params = write(get(page))
    st.session_state[f"published:{page}"] = params
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
