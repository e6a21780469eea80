"""What each page's address carries, read and written by small pure functions.

Each page keeps its reader's state (layers, basemap, selection; the open document and query;
the timeline's filters) in one frozen value. `*_from_query(params)` turns an address's query
parameters into that value plus notices naming whatever was not understood; `*_to_query(state)`
turns it back, leaving out what equals the default, so a copied link restores the view and
the plain address means the plain page. Nothing here touches Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from geo.params import int_param

Params = Mapping[str, str]


def _names(raw: str) -> list[str]:
    return [name for name in raw.split(",") if name]


def _known_id(
    params: Params, key: str, known: Sequence[str], notice: str, notices: list[str]
) -> str | None:
    """`params[key]` if it names one of `known`; else None, with `notice` (its {} the value)."""
    value = params.get(key)
    if value is not None and value not in known:
        notices.append(notice.format(value))
        return None
    return value


def _chosen(
    params: Params, key: str, known: Sequence[str], what: str, notices: list[str]
) -> tuple[str, ...]:
    """The names of `known` that `params[key]` lists (all when absent), in their own order;
    unknown names are named in a notice and left out."""
    if key not in params:
        return tuple(known)
    asked = _names(params[key])
    unknown = [name for name in asked if name not in known]
    if unknown:
        notices.append(f"Unknown {what} {', '.join(unknown)} in the link were left out.")
    return tuple(name for name in known if name in asked)


@dataclass(frozen=True)
class MapState:
    """The map page: which layers and basemap are shown and which feature is selected."""

    layers: tuple[str, ...]
    basemap: str = "offline"
    feature: str | None = None


def map_from_query(
    params: Params, layers: Sequence[str], basemaps: Sequence[str], features: Sequence[str]
) -> tuple[MapState, list[str]]:
    """The map's state from ?feature=, ?layers=, ?basemap=; unknown values are named, not kept."""
    notices: list[str] = []
    feature = _known_id(
        params, "feature", features, "No feature has the id “{}”; showing the plain map.", notices
    )
    shown = _chosen(params, "layers", layers, "layer(s)", notices)
    basemap = _known_id(
        params, "basemap", basemaps, "Unknown basemap “{}”; using the offline map.", notices
    )
    return MapState(shown, basemap or "offline", feature), notices


def map_to_query(state: MapState, layers: Sequence[str]) -> dict[str, str]:
    """The query parameters that restore `state`; the defaults are left out."""
    params: dict[str, str] = {}
    if state.feature:
        params["feature"] = state.feature
    if list(state.layers) != list(layers):
        params["layers"] = ",".join(state.layers)
    if state.basemap != "offline":
        params["basemap"] = state.basemap
    return params


@dataclass(frozen=True)
class SourcesState:
    """The Sources page: the open document, the passage in focus and the search text."""

    doc: str | None = None
    focus: str | None = None  # a citation's key, or "hit-N" for the query's N-th hit
    q: str = ""


def sources_from_query(
    params: Params, sources: Sequence[str], citation_keys: Mapping[str, set[str]]
) -> tuple[SourcesState, list[str]]:
    """The Sources page's state from ?source=, ?cite=, ?hit=, ?q=."""
    notices: list[str] = []
    doc = _known_id(params, "source", sources, "No source has the id “{}”.", notices)
    focus = params.get("cite")
    if focus and doc and focus not in citation_keys.get(doc, set()):
        notices.append(
            "That citation is not in this document any more; the document is shown whole."
        )
        focus = None
    hit = int_param(params.get("hit"), 0, 10**6)
    if not focus and doc and hit is not None:
        focus = f"hit-{hit}"
    return SourcesState(doc, focus if doc else None, params.get("q", "")), notices


def sources_to_query(state: SourcesState) -> dict[str, str]:
    """The query parameters that restore `state`."""
    params: dict[str, str] = {}
    if state.doc:
        params["source"] = state.doc
        if state.focus:
            key, _, n = state.focus.partition("-")
            if key == "hit" and int_param(n, 0, 10**6) is not None:
                params["hit"] = n
            else:
                params["cite"] = state.focus
    if state.q:
        params["q"] = state.q
    return params


@dataclass(frozen=True)
class TimelineState:
    """The Timeline page: its filters and the event being read."""

    topics: tuple[str, ...]
    sources: tuple[str, ...]
    period: str = "recent"
    event: str | None = None
    defaults: tuple[tuple[str, ...], tuple[str, ...]] = field(default=((), ()), compare=False)


def timeline_from_query(
    params: Params,
    topics: Sequence[str],
    sources: Sequence[str],
    periods: Sequence[str],
    events: Sequence[str],
) -> tuple[TimelineState, list[str]]:
    """The timeline's state from ?event=, ?topics=, ?sources=, ?period=."""
    notices: list[str] = []
    event = _known_id(params, "event", events, "No event has the id “{}”.", notices)
    period = _known_id(
        params, "period", periods, f"Unknown period “{{}}”; showing {periods[0]}.", notices
    )
    state = TimelineState(
        _chosen(params, "topics", topics, "topic(s)", notices),
        _chosen(params, "sources", sources, "source(s)", notices),
        period or periods[0],
        event,
        defaults=(tuple(topics), tuple(sources)),
    )
    return state, notices


def timeline_to_query(state: TimelineState, periods: Sequence[str]) -> dict[str, str]:
    """The query parameters that restore `state`; the defaults are left out."""
    params: dict[str, str] = {}
    if state.event:
        params["event"] = state.event
    if state.topics != state.defaults[0]:
        params["topics"] = ",".join(state.topics)
    if state.sources != state.defaults[1]:
        params["sources"] = ",".join(state.sources)
    if state.period != periods[0]:
        params["period"] = state.period
    return params


@dataclass(frozen=True)
class TopicsState:
    """The Topics page: the topic being read."""

    topic: str


def topics_from_query(params: Params, topics: Sequence[str]) -> tuple[TopicsState, list[str]]:
    """The Topics page's state from ?topic=; an unknown topic falls back to the first, named."""
    notices: list[str] = []
    topic = _known_id(
        params, "topic", topics, f"No topic is called “{{}}”; showing “{topics[0]}”.", notices
    )
    return TopicsState(topic or topics[0]), notices


def topics_to_query(state: TopicsState) -> dict[str, str]:
    """The query parameters that restore `state` (the topic is always named, so a copied link
    says what it shows)."""
    return {"topic": state.topic}


# The map's view (?view=<lat>,<lon>,<zoom>) is kept apart from MapState: the map's own script
# writes it into the address as the reader pans (geo/mapelements.py, ViewAddress), and the page
# reads it only to open a shared link or to come back to the map as it was left.
VIEW_ZOOM = (4.0, 14.0)  # the live map's own zoom limits
VIEW_LAT = (-85.0, 85.0)  # Web Mercator's


@dataclass(frozen=True)
class MapView:
    """Where the map looks: its centre (degrees) and its zoom (Leaflet's, quarter steps)."""

    lat: float
    lon: float
    zoom: float

    def text(self) -> str:
        """`lat,lon,zoom` as the address carries it: four decimals (about 10 m), zoom as is."""
        return f"{self.lat:.4f},{self.lon:.4f},{self.zoom:g}"


def _finite(text: str) -> float | None:
    """A plain decimal number (digits, one point, a leading minus), else None: no 'nan',
    'inf', '1e308' or thousands of digits from a link reach float()."""
    body = text[1:] if text.startswith("-") else text
    whole, _, frac = body.partition(".")
    if not whole or len(body) > 12 or not (whole + frac).isascii():
        return None
    if not whole.isdigit() or (frac and not frac.isdigit()):
        return None
    return float(text)


def view_from_query(params: Params) -> tuple[MapView | None, list[str]]:
    """The view from ?view=<lat>,<lon>,<zoom>; anything else is named in a notice, not kept.

    Latitude within Web Mercator's ±85°, longitude wrapped into −180..180, zoom within the map's
    own limits (4–14, rounded to the quarter steps the map takes).
    """
    raw = params.get("view")
    if raw is None:
        return None, []
    parts = [_finite(p.strip()) for p in raw.split(",")]
    if len(parts) != 3 or any(p is None for p in parts):
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        return None, [
            f"The view “{shown}” in the link is not <lat>,<lon>,<zoom>; showing the whole map."
        ]
    lat, lon, zoom = parts  # type: ignore[misc]
    if not VIEW_LAT[0] <= lat <= VIEW_LAT[1] or not VIEW_ZOOM[0] <= zoom <= VIEW_ZOOM[1]:
        return None, [
            f"The view {lat:g},{lon:g},{zoom:g} in the link is off the map (latitude within "
            f"±85, zoom {VIEW_ZOOM[0]:g}–{VIEW_ZOOM[1]:g}); showing the whole map."
        ]
    if not -180.0 <= lon <= 180.0:
        lon = (lon + 180.0) % 360.0 - 180.0
    return MapView(lat, lon, round(zoom * 4) / 4), []


def view_to_query(view: MapView | None) -> dict[str, str]:
    """`{"view": "lat,lon,zoom"}` for a view, nothing for none (the map's opening view)."""
    return {"view": view.text()} if view is not None else {}
