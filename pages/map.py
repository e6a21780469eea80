"""The map: every layer, click or pick a feature, read what the sources say about it."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.mapview import BASEMAPS, build_map, highlight_group, view_for
from geo.models import KIND_LABEL, Dataset
from geo.panel import build_panel
from geo.text import md
from pages._shared import dataset, problem_banner

MAP_KEY = "atlas_map"
ds = dataset()
layer_titles = {layer.name: layer.title for layer in ds.layers}


def read_url(ds: Dataset) -> None:
    """Restore the view a link carries (?feature=, ?layers=, ?basemap=), once per session."""
    qp = st.query_params
    notices = []
    feature = qp.get("feature")
    if feature is not None and ds.feature(feature) is None:
        notices.append(f"No feature has the id “{feature}”; showing the plain map.")
        feature = None
    layers = list(layer_titles)
    if "layers" in qp:
        asked = [name for name in qp["layers"].split(",") if name]
        unknown = [name for name in asked if name not in layer_titles]
        if unknown:
            notices.append(f"Unknown layer(s) {', '.join(unknown)} in the link were left out.")
        layers = [name for name in asked if name in layer_titles]
    basemap = qp.get("basemap", "offline")
    if basemap not in BASEMAPS:
        notices.append(f"Unknown basemap “{basemap}”; using the offline map.")
        basemap = "offline"
    st.session_state.update(
        selected=feature,
        picker=feature,
        layers=layers,
        basemap=basemap,
        view=view_for(ds.feature(feature)) if feature else None,
        notices=notices,
        url_read=True,
    )


def write_url() -> None:
    """Keep the address bar in step with the view, so that a copied link restores it."""
    params = {}
    if st.session_state.selected:
        params["feature"] = st.session_state.selected
    if st.session_state.layers != list(layer_titles):
        params["layers"] = ",".join(st.session_state.layers)
    if st.session_state.basemap != "offline":
        params["basemap"] = st.session_state.basemap
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def on_pick() -> None:
    picked = st.session_state.picker
    st.session_state.selected = picked
    feature = ds.feature(picked) if picked else None
    st.session_state.view = view_for(feature) if feature else None


def on_map_click() -> None:
    value = st.session_state.get(MAP_KEY) or {}
    drawing = value.get("last_active_drawing") or {}
    feature_id = (drawing.get("properties") or {}).get("id")
    if feature_id and ds.feature(feature_id):
        # A click selects without moving the map: the reader is looking where they clicked.
        st.session_state.selected = feature_id
        st.session_state.picker = feature_id


def render_panel(feature) -> None:
    """The selected feature: every statement marked as the sources' word or the atlas's note."""
    panel = build_panel(ds, feature)
    with st.container(border=True, key="panel"):
        st.subheader(panel.title)
        st.markdown(panel.facts)
        st.markdown(panel.status)
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


if "url_read" not in st.session_state:
    read_url(ds)

st.title("Iran–Pakistan Corridor Atlas")
problem_banner(ds)
for notice in st.session_state.notices:
    st.warning(md(notice), icon="🔎")

with st.sidebar:
    st.multiselect(
        "Layers shown",
        options=list(layer_titles),
        format_func=layer_titles.get,
        key="layers",
    )
    st.radio(
        "Basemap", options=list(BASEMAPS), format_func=lambda k: BASEMAPS[k]["label"], key="basemap"
    )
    st.caption(
        "The offline map and the outlines need no internet. Online basemaps load tiles from their providers "
        "and simply stay blank on a closed network."
    )

map_col, panel_col = st.columns([3, 2], gap="medium")

with panel_col:
    names = {f.id: f"{f.props.name} ({KIND_LABEL[f.props.kind]})" for f in ds.features}
    st.selectbox(
        "Find a feature",
        options=list(names),
        format_func=names.get,
        index=None,
        placeholder="Type a name: Gabd, pipeline, Taftan…",
        key="picker",
        on_change=on_pick,
    )

with map_col:
    view = st.session_state.view
    # A fresh map each run, on purpose: a map kept across reruns gathers the selection's halo
    # group that st_folium attaches to it, so its script changes and the component remounts
    # (losing the reader's view and popup). Building one costs about 2 ms.
    st_folium(
        build_map(ds, st.session_state.layers, st.session_state.basemap),
        key=MAP_KEY,
        height=640,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        center=view[0] if view else None,
        zoom=view[1] if view else None,
        feature_group_to_add=highlight_group(ds, st.session_state.selected),
        on_change=on_map_click,
    )
    st.caption(
        "Click a feature to read its sources. Solid lines are built or operational, dashed lines "
        "approved or planned; a pale band marks a schematic route whose real alignment is not public."
    )

with panel_col:
    feature = ds.feature(st.session_state.selected) if st.session_state.selected else None
    if feature is None:
        st.info(
            f"{len(ds.features)} features in {len(ds.layers)} layers, each with the passages of the "
            "sources that speak of it. Click one on the map, or find it above."
        )
    else:
        render_panel(feature)

write_url()

# --- Download this map (issue 12): a cited static image of the layers shown, opening view. ---
# Self-contained so the map page's rework can move it as one piece.
from geo.charts import file_name as _map_file_name  # noqa: E402
from geo.mapimage import MAP_SIZE as _MAP_SIZE  # noqa: E402
from geo.mapimage import map_figure as _map_figure  # noqa: E402
from geo.pngexport import browser_path as _browser_path  # noqa: E402
from geo.pngexport import to_png as _to_png  # noqa: E402


def _map_png() -> bytes:
    image = _map_figure(ds, list(st.session_state.layers))
    return _to_png(image.figure, *_MAP_SIZE)


st.download_button(
    "Download this map (PNG, with legend, scale and sources)",
    data=_map_png,
    file_name=_map_file_name("map", ds, list(ds.sources), "png"),
    mime="image/png",
    key="map-image",
    disabled=_browser_path() is None,
    help="The layers shown, at the map's opening view; needs Chromium on the server.",
    on_click="ignore",
)
