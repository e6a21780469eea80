"""The map: every layer, click or find a feature, read what the sources say about it."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from geo.asof import as_of
from geo.export import pack_name, pack_zip
from geo.finder import find, is_exact
from geo.formats import IMAGE_FORMATS, media_type
from geo.layers import MAP_PX, size_of, view_bounds, view_for
from geo.mapimage import map_file, map_file_name
from geo.mapstyle import dash_rule
from geo.mapview import BASEMAPS, DEFAULT_CENTER, DEFAULT_ZOOM, build_map
from geo.models import Feature
from geo.panel import Panel, build_panel
from geo.text import md
from geo.urlstate import (
    MapView,
    feature_from_query,
    id_notice,
    list_notice,
    view_from_query,
    view_to_query,
)
from pages import _state
from pages._brief import brief_downloads
from pages._shared import dataset, download, problem_banner
from patches import leave_pages_folder_mode

PAGE = "map"
MAP_KEY = "atlas_map"
PANEL = "feature-panel"  # the fragment a click reruns: the panel and the address, not the map
DOWNLOAD = "map-download"  # the map image's download, which follows the view and the selection
leave_pages_folder_mode()  # a shared link as the first request: run inside app.py
ds = dataset()
layer_titles = {layer.name: layer.title for layer in ds.layers}
BASEMAP_NAME = {
    "offline": "Offline map",
    "outlines": "Outlines",
    "osm": "OpenStreetMap",
    "satellite": "Satellite",
}


def seen() -> dict:
    """What the map last reported of itself: its view, the bounds it shows and its size."""
    return st.session_state.get("map_seen") or {}


def select(feature_id: str | None, move: bool) -> None:
    """Select a feature; move the map to it when the reader found it by name."""
    _state.put(PAGE, feature_id)
    _state.acted(PAGE)
    feature = ds.feature(feature_id) if feature_id else None
    if move and feature is not None:
        st.session_state.map_view = view_for(feature, seen().get("size", MAP_PX))


def keep_view() -> None:
    """A new map (other layers or basemap) opens where the reader was looking, not at the start."""
    view = seen().get("view")
    if view is not None:
        st.session_state.map_view = ((view.lat, view.lon), view.zoom)


def on_map_setting() -> None:
    """Layers or basemap changed (bound widgets): the link's notices are done, and the new map
    opens where the reader was looking, not at the start."""
    _state.acted(PAGE)
    keep_view()


def on_find() -> None:
    _state.acted(PAGE)
    found = find(ds, st.session_state.w_find)
    # One answer, or a name typed in full: the reader need not pick it as well.
    if len(found) == 1 or (found and is_exact(found[0], st.session_state.w_find)):
        select(found[0].id, move=True)


def on_found() -> None:
    picked = st.session_state.w_found
    if picked:
        select(picked, move=True)


def on_map_change() -> None:
    """The map reports a click (a feature selected) or a move (its view): only the panel and the
    download follow, never the map itself.

    The report arrives as an interaction that asks for a full run, and Streamlit forgets every
    deferred download of the session at the start of a full run; a run narrowed here to some
    fragments re-registers only theirs. So every fragment holding a download reruns: the
    panel's (the feature's data) and the map image's, which must follow the view anyway.
    """
    value = st.session_state.get(MAP_KEY) or {}
    drawing = value.get("last_active_drawing") or {}
    feature_id = (drawing.get("properties") or {}).get("id")
    if feature_id != st.session_state.get("map_drawing"):
        st.session_state.map_drawing = feature_id
        if feature_id and ds.feature(feature_id):
            # A click selects without moving the map: the reader is looking where they clicked.
            select(feature_id, move=False)
    reported = map_report(value)
    asked = st.session_state.get("map_view")
    fresh = st.session_state.pop("map_fresh", False)
    unfitted = near(reported, (DEFAULT_CENTER, DEFAULT_ZOOM)) if reported else False
    if reported and asked and (fresh or unfitted) and not near(reported, asked):
        # A new map reports itself once as built (fitted to the features, or not even that
        # while its frame has no size yet), before it moves to the view the page asked for;
        # its next report, after the move, is the one to keep.
        reported = None
    if reported:
        st.session_state.map_seen = reported
        # The next full run (another page and back, a layer hidden) opens the map here, not
        # where it was first opened: the map's own centre and zoom follow what it reported.
        keep_view()
        # The map's script put the view in the address once the reader moved it: keep it there
        # when the panel next writes the address.
        if "view" in st.query_params:
            st.session_state.map_address_view = reported["view"]
    # Only the panel and the download follow: the map drew the popup and the halo itself, and
    # sending it again would cost ~110 KB and a full run per click (issue 10).
    st.rerun([PANEL, DOWNLOAD])


def near(reported: dict, asked: tuple) -> bool:
    """Whether the map reports the view (centre, zoom) the page asked it for, within a pixel."""
    view, ((lat, lon), zoom) = reported["view"], asked
    return view.zoom == zoom and abs(view.lat - lat) < 0.01 and abs(view.lon - lon) < 0.01


def map_report(value: dict) -> dict | None:
    """The view, bounds and size in px of what the map shows, from what it reported; None
    when it did not report them."""
    center, zoom, box = value.get("center"), value.get("zoom"), value.get("bounds")
    try:
        south_west, north_east = box["_southWest"], box["_northEast"]
        bounds = (
            float(south_west["lng"]),
            float(south_west["lat"]),
            float(north_east["lng"]),
            float(north_east["lat"]),
        )
        view = MapView(float(center["lat"]), float(center["lng"]), float(zoom))
    except (KeyError, TypeError, ValueError):
        return None
    if not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        return None
    return {"view": view, "bounds": bounds, "size": size_of(bounds, view.zoom)}


def render_differences(panel: Panel) -> None:
    """Where the sources differ about the feature: each version with its quote, side by side.

    Each version is one element (value, quote, byline): a click's cost grows with the elements
    its panel sends, on the server and in the browser.
    """
    for d in panel.differences:
        with st.container(border=True, key=f"panel-differ-{d.id}"):
            st.markdown(f"**The sources differ: {d.title}**\n\n:gray[{d.kind}]")
            for col, v in zip(st.columns(len(d.versions)), d.versions, strict=True):
                with col:
                    st.markdown(f"**{v.value}**\n\n> {v.quote}\n\n{v.byline}")
            st.caption(d.note)


def render_claims(panel: Panel) -> None:
    """What else the sources say about the feature, by source: each a quote with its link."""
    if not panel.claims:
        return
    with st.expander(f"What else the sources say about it ({len(panel.claims)})"):
        for b in panel.claims:
            st.markdown(f"**{b.label}**\n\n> {b.quote}\n\n{b.byline}")


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
        # Few elements: each costs the server a message and the browser a drawing.
        head = [panel.facts, panel.status]
        if panel.differences:
            head.append(
                "**The sources differ** on "
                + "; ".join(d.title for d in panel.differences)
                + ": each version is shown with its quote below."
            )
        st.markdown("\n\n".join(head))
        st.caption(panel.precision)
        st.markdown(
            "\n\n".join(
                [
                    *([panel.length] if panel.length else []),
                    "**In brief**, restating the quotes below (numbers name them):",
                    panel.summary,
                    f"**What the sources say** ({len(panel.quotes)})",
                ]
            )
        )
        # Its own container: the feature's quotes, apart from the claims' and the differences'.
        # Each quote and its numbered byline are one element.
        with st.container(key="panel-quotes"):
            for q in panel.quotes:
                st.markdown(f"> {q.text}\n\n**\\[{q.number}\\]** {q.byline}")
        st.caption(panel.placement)
        if panel.events:
            st.markdown("**Events**\n\n" + "\n".join(f"- {line}" for line in panel.events))
        render_differences(panel)
        render_claims(panel)
        download(
            st,
            "Download this feature's data (ZIP)",
            # Built only when asked for: a click on the map costs nothing for it.
            lambda: pack_zip(ds, date.today(), [feature.id]),
            what="This feature's data",
            key="feature-pack",
            file_name=pack_name(ds, [feature.id]),
            mime="application/zip",
            help="Its geometry, every quote with its source, the events that name it and the "
            "full text of each source it cites; a README says whose word each field is.",
        )
        brief_downloads(ds, feature=feature.id)


linked_view, view_notices = view_from_query(st.query_params.to_dict())
if _state.arrived():
    # What the address asks for, read once per arrival: the feature and the view (no widget
    # holds them) and notices for what Streamlit's binding drops from ?layers= and ?basemap=.
    link = _state.address()
    notices: list[str | None] = []
    if "feature" in link:
        feature_id, notices = feature_from_query(link, [f.id for f in ds.features])
        _state.put(PAGE, feature_id)
    if linked_view is not None:
        st.session_state.map_view = ((linked_view.lat, linked_view.lon), linked_view.zoom)
    elif "feature" in link:
        # The map fits a linked feature itself, at its real size (geo/mapsync.py, OpeningFit):
        # the page does not know that size before the map has reported it.
        st.session_state.map_view = None
    elif seen().get("view") is not None:
        # Back from another page (by a menu link that may predate the reader's last move):
        # the map opens where the reader left it, and the address says so.
        keep_view()
        linked_view = seen()["view"]
    st.session_state.map_address_view = linked_view
    notices.append(list_notice(link, "layers", list(layer_titles.values()), "layer"))
    notices.append(
        id_notice(
            link,
            "basemap",
            list(BASEMAP_NAME.values()),
            "Unknown basemap “{}”; using the offline map.",
        )
    )
    _state.set_notices(PAGE, [*notices, *view_notices])
elif linked_view is not None:
    # The map's own script moved the address's view (the reader panned): keep it.
    st.session_state.map_address_view = linked_view

# Less empty space above the title, so the purpose line and the finder cost the map no height.
st.html(
    "<style>.stMainBlockContainer{padding-top:2.5rem}"
    ".st-key-skip-to-panel{position:absolute;left:-10000px}"
    ".st-key-skip-to-panel:focus-within{position:static}</style>"
)
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
    typed = st.text_input(
        "Find a feature",
        key="w_find",
        placeholder="A name as the sources write it: Gabd-Rimdan, Kuhak, power line…",
        on_change=on_find,
        persist_state="session",
    )
    found = find(ds, typed or "")
    if found:
        ids = [f.id for f in found]
        _state.seed("w_found", _state.get(PAGE) if _state.get(PAGE) in ids else None)
        # A list, not pills: every name whole on its own line at any width.
        st.radio(
            f"{len(found)} feature(s) found",
            options=ids,
            format_func=lambda fid: ds.feature(fid).props.name,
            index=None,
            key="w_found",
            on_change=on_found,
        )
    elif (typed or "").strip():
        st.caption(f"No feature is called “{md(typed)}”.")
    # From the finder, Tab reaches this before the map's every feature (26 presses otherwise);
    # it is out of sight until it has focus. A link to #…, so Streamlit keeps it in the tab.
    with st.container(key="skip-to-panel"):
        st.markdown("[Skip the map: go to the panel](#atlas-panel)")

problem_banner(ds)
for notice in _state.notices(PAGE):
    st.warning(md(notice), icon=":material/search:")

with st.sidebar:
    # Pills show every layer's name whole (a multiselect cut them to "Energy: gas pipelin…");
    # Streamlit keeps them in the address (?layers=Border&layers=Ports) and across pages.
    shown = st.pills(
        "Layers shown",
        options=list(layer_titles),
        format_func=layer_titles.get,
        selection_mode="multi",
        default=list(layer_titles),
        key="layers",
        bind="query-params",
        persist_state="session",
        on_change=on_map_setting,
    )
    basemap = st.radio(
        "Basemap",
        options=list(BASEMAPS),
        # Short names: the address carries the name shown (?basemap=OpenStreetMap).
        format_func=BASEMAP_NAME.get,
        captions=[b["label"].partition(": ")[2] or b["label"] for b in BASEMAPS.values()],
        key="basemap",
        bind="query-params",
        persist_state="session",
        on_change=on_map_setting,
    )
    st.caption(
        "The offline map and the outlines need no internet. Online basemaps load tiles from their "
        "providers and simply stay blank on a closed network."
    )

layers = [name for name in layer_titles if name in (shown or [])]
map_col, panel_col = st.columns([3, 2], gap="medium")

with map_col:
    view = st.session_state.get("map_view")
    if MAP_KEY not in st.session_state:
        st.session_state.map_fresh = True  # see on_map_change: its first report is not the view
    # The map's script depends on the layers and basemap only, never on the selection, so
    # that a full run after a click sends the same map and the component keeps the reader's
    # view and popup. Building it costs a few ms (geo/foliumfast.py).
    st_folium(
        build_map(ds, layers, basemap),
        key=MAP_KEY,
        height=640,
        use_container_width=True,
        # The view comes back too, so that the image downloaded is the view the reader sees.
        returned_objects=["last_active_drawing", "center", "zoom", "bounds"],
        center=view[0] if view else None,
        zoom=view[1] if view else None,
        on_change=on_map_change,
    )
    st.caption(
        "Click a feature, or Tab to it and press Enter, to read its sources. "
        f"{dash_rule()} A pale band marks a schematic route whose real alignment is not "
        "public. The legend is at the map's bottom right (folded on screen)."
    )


@st.fragment(key=PANEL)
def panel() -> None:
    """What a click changes: the panel, and the address (so that a copied link keeps it)."""
    selected = _state.get(PAGE)
    # Where the skip link above lands: focusable, so that the next Tab is in the panel.
    st.html('<div id="atlas-panel" tabindex="-1"></div>')
    render_panel(ds.feature(selected) if selected else None)
    # Only ?feature= and ?view= are written by hand: no widget holds the selection or the view
    # (the map's own script writes ?view= as the reader pans; this keeps it there).
    own = {"feature": selected} if selected else {}
    own.update(view_to_query(st.session_state.get("map_address_view")))
    _state.write_own(own, ("feature", "view"))
    _state.remember_address(PAGE)


with panel_col:
    panel()


def map_image(layers: list[str], bounds: tuple | None, selected: str | None, fmt: str) -> bytes:
    """The cited static image of what the reader sees; built only when asked for."""
    return map_file(ds, fmt, layers, bounds, selected=selected)


@st.fragment(key=DOWNLOAD)
def map_download() -> None:
    """The map image's download: the layers shown, the view the map reported, the selection."""
    selected = _state.get(PAGE)
    bounds = seen().get("bounds")
    if bounds is None and st.session_state.get("map_view"):
        (lat, lon), zoom = st.session_state.map_view
        bounds = view_bounds((lat, lon), zoom, MAP_PX)
    elif bounds is None and selected and ds.feature(selected):
        # A link's feature, before the map (which fits it itself) has reported its view.
        (lat, lon), zoom = view_for(ds.feature(selected), MAP_PX)
        bounds = view_bounds((lat, lon), zoom, MAP_PX)
    fmt_col, button_col = st.columns([1, 3], vertical_alignment="bottom")
    with fmt_col:
        fmt = st.segmented_control(
            "Image format", options=list(IMAGE_FORMATS), format_func=str.upper,
            key="w_map_format", default="png", persist_state="session",
            help="PNG for a document, SVG or PDF to print or edit.",
        ) or "png"  # fmt: skip
    # Made when clicked; if it fails, the reader reads why under the button, in our words.
    download(
        button_col,
        f"Download this map ({fmt.upper()})",  # short: whole on a phone; the caption says more
        partial(map_image, layers, bounds, selected, fmt),
        what=f"The map's {fmt.upper()}",
        key="map-image",
        file_name=map_file_name(ds, fmt, layers, bounds),
        mime=media_type(fmt),
        needs_browser=True,
        help="What the map shows now (its view, layers and selected feature), with legend, "
        "scale, north arrow, named places, sources and a boundary note.",
    )
    view = seen().get("view")
    where = (
        f"the map's view now (zoom {view.zoom:g}, centred on {view.lat:.2f}° N, {view.lon:.2f}° E)"
        if view is not None
        else "the map's opening view"
    )
    chosen = ds.feature(selected) if selected else None
    st.caption(
        f"The image shows {where} with {len(layers)} of {len(layer_titles)} layers"
        + (f", {md(chosen.props.name)} highlighted." if chosen else ".")
    )


map_download()
_state.remember_address(PAGE)
