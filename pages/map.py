"""The map: every layer, click or find a feature, read what the sources say about it."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from geo.asof import as_of
from geo.charts import file_name
from geo.export import pack_name, pack_zip
from geo.finder import find, is_exact
from geo.layers import view_for
from geo.mapimage import MAP_SIZE, map_figure
from geo.mapview import BASEMAPS, build_map
from geo.models import Feature
from geo.panel import Panel, build_panel
from geo.pngexport import browser_path, to_png
from geo.text import md
from geo.urlstate import MapState, map_from_query, map_to_query
from pages import _state
from pages._shared import dataset, problem_banner

PAGE = "map"
MAP_KEY = "atlas_map"
PANEL = "feature-panel"  # the fragment a click reruns: the panel and the address, not the map
ds = dataset()
layer_titles = {layer.name: layer.title for layer in ds.layers}
read = partial(
    map_from_query,
    layers=list(layer_titles),
    basemaps=list(BASEMAPS),
    features=[f.id for f in ds.features],
)
write = partial(map_to_query, layers=list(layer_titles))


def select(feature_id: str | None, move: bool) -> None:
    """Select a feature; move the map to it when the reader found it by name."""
    _state.update(PAGE, feature=feature_id)
    feature = ds.feature(feature_id) if feature_id else None
    if move and feature is not None:
        st.session_state.map_view = view_for(feature)


def on_layers() -> None:
    _state.update(PAGE, layers=tuple(st.session_state.w_layers))


def on_basemap() -> None:
    _state.update(PAGE, basemap=st.session_state.w_basemap)


def on_find() -> None:
    st.session_state.map_query = st.session_state.w_find
    found = find(ds, st.session_state.w_find)
    # One answer, or a name typed in full: the reader need not pick it as well.
    if len(found) == 1 or (found and is_exact(found[0], st.session_state.w_find)):
        select(found[0].id, move=True)


def on_found() -> None:
    picked = st.session_state.w_found
    if picked:
        select(picked, move=True)


def on_map_click() -> None:
    value = st.session_state.get(MAP_KEY) or {}
    drawing = value.get("last_active_drawing") or {}
    feature_id = (drawing.get("properties") or {}).get("id")
    if feature_id and ds.feature(feature_id):
        # A click selects without moving the map: the reader is looking where they clicked.
        select(feature_id, move=False)
        # Only the panel follows: the map drew the popup and the halo itself, and sending it
        # again would cost ~110 KB and a full run per click (issue 10).
        st.rerun(PANEL)


def render_differences(panel: Panel) -> None:
    """Where the sources differ about the feature: each version with its quote, side by side."""
    for d in panel.differences:
        with st.container(border=True, key=f"panel-differ-{d.id}"):
            st.markdown(f"**The sources differ: {d.title}**")
            st.caption(d.kind)
            for col, v in zip(st.columns(len(d.versions)), d.versions, strict=True):
                with col:
                    st.markdown(f"**{v.value}**")
                    st.markdown(f"> {v.quote}")
                    st.caption(v.byline)
            st.caption(d.note)


def render_claims(panel: Panel) -> None:
    """What else the sources say about the feature, by source: each a quote with its link."""
    if not panel.claims:
        return
    with st.expander(f"What else the sources say about it ({len(panel.claims)})"):
        for b in panel.claims:
            st.markdown(f"**{b.label}**")
            st.markdown(f"> {b.quote}")
            st.caption(b.byline)


def render_panel(feature: Feature | None) -> None:
    """The panel beside the map: what the sources say about the selected feature."""
    if feature is None:
        st.info(
            f"{len(ds.features)} features in {len(ds.layers)} layers, each with the passages of "
            "the sources that speak of it. Click one on the map, or find it by name above."
        )
        return
    panel = build_panel(ds, feature)
    with st.container(border=True, key="panel"):
        st.subheader(panel.title)
        st.markdown(panel.facts)
        st.markdown(panel.status)
        if panel.differences:
            st.markdown(
                "**The sources differ** on "
                + "; ".join(d.title for d in panel.differences)
                + ": each version is shown with its quote below."
            )
        st.caption(panel.precision)
        if panel.length:
            st.markdown(panel.length)
        st.markdown("**In brief**, restating the quotes below (numbers name them):")
        st.markdown(panel.summary)
        st.markdown(f"**What the sources say** ({len(panel.quotes)})")
        for q in panel.quotes:
            st.markdown(f"> {q.text}")
            st.markdown(f"**\\[{q.number}\\]** {q.byline}")
        st.caption(panel.placement)
        if panel.events:
            st.markdown("**Events**")
            for line in panel.events:
                st.markdown(f"- {line}")
        render_differences(panel)
        render_claims(panel)
        st.download_button(
            "Download this feature's data (ZIP)",
            # Built only when asked for: a click on the map costs nothing for it.
            data=lambda: pack_zip(ds, date.today(), [feature.id]),
            file_name=pack_name(ds, [feature.id]),
            mime="application/zip",
            key="feature-pack",
            help="Its geometry, every quote with its source, the events that name it and the "
            "full text of each source it cites; a README says whose word each field is.",
            on_click="ignore",
        )


before = st.session_state.get(f"state:{PAGE}")
state: MapState = _state.restore(PAGE, read, write)
if state is not before:  # a new state from the address: show its feature whole
    feature = ds.feature(state.feature) if state.feature else None
    st.session_state.map_view = view_for(feature) if feature else None
    st.session_state.setdefault("map_query", "")

# Less empty space above the title, so the purpose line and the finder cost the map no height.
st.html("<style>.stMainBlockContainer{padding-top:2.5rem}</style>")
st.title("Iran–Pakistan Corridor Atlas")
head, finder = st.columns([3, 2], gap="medium", vertical_alignment="top")
with head:
    st.markdown(
        "Where the sources place what crosses the Iran–Pakistan border, each feature with the "
        f"passages that state it. **{md(as_of(ds).text())}**.",
        help="A source may state its own date and describe later events: an undated document "
        "describes the newest event. The About page lists what each document states.",
    )
with finder:
    _state.seed("w_find", st.session_state.get("map_query", ""))
    st.text_input(
        "Find a feature",
        key="w_find",
        placeholder="A name as the sources write it: Gabd-Rimdan, Kuhak, power line…",
        on_change=on_find,
    )
    found = find(ds, st.session_state.get("map_query", ""))
    if found:
        ids = [f.id for f in found]
        _state.seed("w_found", state.feature if state.feature in ids else None)
        st.pills(
            f"{len(found)} feature(s) found",
            options=ids,
            format_func=lambda fid: ds.feature(fid).props.name,
            key="w_found",
            on_change=on_found,
        )
    elif st.session_state.get("map_query", "").strip():
        st.caption(f"No feature is called “{md(st.session_state.map_query)}”.")

problem_banner(ds)
for notice in _state.notices(PAGE):
    st.warning(md(notice), icon="🔎")

with st.sidebar:
    _state.seed("w_layers", list(state.layers))
    st.multiselect(
        "Layers shown",
        options=list(layer_titles),
        format_func=layer_titles.get,
        key="w_layers",
        on_change=on_layers,
    )
    _state.seed("w_basemap", state.basemap)
    st.radio(
        "Basemap",
        options=list(BASEMAPS),
        format_func=lambda k: BASEMAPS[k]["label"],
        key="w_basemap",
        on_change=on_basemap,
    )
    st.caption(
        "The offline map and the outlines need no internet. Online basemaps load tiles from their "
        "providers and simply stay blank on a closed network."
    )

state = _state.get(PAGE)
map_col, panel_col = st.columns([3, 2], gap="medium")

with map_col:
    view = st.session_state.get("map_view")
    # The map's script depends on the layers and basemap only, never on the selection, so
    # that a full run after a click sends the same map and the component keeps the reader's
    # view and popup. Building it costs a few ms (geo/foliumfast.py).
    st_folium(
        build_map(ds, list(state.layers), state.basemap),
        key=MAP_KEY,
        height=640,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        center=view[0] if view else None,
        zoom=view[1] if view else None,
        on_change=on_map_click,
    )
    st.caption(
        "Click a feature, or Tab to it and press Enter, to read its sources. Solid lines are "
        "built or operational, dashed lines approved or planned; a pale band marks a schematic "
        "route whose real alignment is not public. The legend is folded at the map's bottom right."
    )


@st.fragment(key=PANEL)
def panel() -> None:
    """What a click changes: the panel, and the address (so that a copied link keeps it)."""
    selected = _state.get(PAGE).feature
    render_panel(ds.feature(selected) if selected else None)
    _state.publish(PAGE, write)


with panel_col:
    panel()


def map_png() -> bytes:
    """A cited static image of the layers shown, at the opening view; built only when asked."""
    image = map_figure(ds, list(state.layers))
    return to_png(image.figure, *MAP_SIZE)


st.download_button(
    "Download this map (PNG, with legend, scale and sources)",
    data=map_png,
    file_name=file_name("map", ds, list(ds.sources), "png"),
    mime="image/png",
    key="map-image",
    disabled=browser_path() is None,
    help="The layers shown, at the map's opening view; needs Chromium on the server.",
    on_click="ignore",
)
