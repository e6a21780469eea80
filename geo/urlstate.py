"""What the address carries that no widget holds, and the notices for what a link got wrong.

Widgets that hold the reader's state (layers, basemap, the Sources tab, document and search,
the timeline's filters and event) are bound to the address by Streamlit itself
(`bind="query-params"`): it reads them from the link, writes them back, and silently drops a
value it does not know. Two things remain here, pure and tested without a browser:

- the state no widget holds: the map's selected feature (`?feature=`, set by a click on the
  map) and the passage in focus on the Sources page (`?cite=`, `?hit=`);
- the notices that name what a link carried that could not be shown, read from the address
  before Streamlit drops it, so that a reader who followed a stale link is told, not puzzled.

Nothing here touches Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from geo.params import int_param

Params = Mapping[str, Sequence[str]]  # every value of each key: `?topics=a&topics=b`


SHOWN_CHARS = 60


def shown(value: str, limit: int = SHOWN_CHARS) -> str:
    """A value from a link as a notice repeats it: cut to `limit` characters, saying so.

    A crafted link can carry a value of any length; the notice names it, not a page of it.
    """
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value):,} characters)"


def list_notice(params: Params, key: str, known: Sequence[str], what: str) -> str | None:
    """What is wrong with `params[key]` (`?layers=Border&layers=Ports`, Streamlit's form: each
    name as the widget shows it) as a list of `known` names, or None when nothing is.

    An empty list and a list of unknown names both mean "every one" (Streamlit drops what it
    does not know, and an empty filter shows nothing useful), and the notice says so."""
    if key not in params:
        return None
    asked = [name for name in params[key] if name]
    unknown = [name for name in asked if name not in known]
    if not asked:
        return f"The link chose no {what}; showing every {what}."
    if len(unknown) == len(asked):
        return (
            f"Unknown {what} {shown(', '.join(unknown), 2 * SHOWN_CHARS)} in the link; "
            f"showing every {what}."
        )
    if unknown:
        return f"Unknown {what} {shown(', '.join(unknown), 2 * SHOWN_CHARS)} in the link were left out."
    return None


def id_notice(params: Params, key: str, known: Sequence[str], notice: str) -> str | None:
    """`notice` (its {} the value) when `params[key]` is given and names none of `known`;
    an empty value (`?event=`) means "none chosen" and needs no notice."""
    values = [v for v in params.get(key, []) if v]
    if values and values[-1] not in known:
        return notice.format(shown(values[-1]))
    return None


def feature_from_query(params: Params, features: Sequence[str]) -> tuple[str | None, list[str]]:
    """The selected feature from `?feature=`, and a notice when it names none."""
    feature = (params.get("feature") or [None])[-1]
    if feature and feature not in features:
        return None, [f"No feature has the id “{shown(feature)}”; showing the plain map."]
    return feature or None, []


def focus_from_query(
    params: Params, doc: str | None, citation_keys: Mapping[str, set[str]]
) -> tuple[str | None, list[str]]:
    """The passage in focus in the open document: `?cite=<key>`, or `?hit=N` for the search's
    N-th hit in it (as "hit-N"); a notice when the citation is not in the document."""
    if not doc:
        return None, []
    cite = (params.get("cite") or [None])[-1]
    if cite:
        if cite in citation_keys.get(doc, set()):
            return cite, []
        return None, [
            "That citation is not in this document any more; the document is shown whole."
        ]
    hit = int_param((params.get("hit") or [None])[-1], 0, 10**6)
    return (f"hit-{hit}" if hit is not None else None), []


def focus_to_query(focus: str | None) -> dict[str, str]:
    """The query parameters for the passage in focus (see `focus_from_query`)."""
    if not focus:
        return {}
    key, _, n = focus.partition("-")
    if key == "hit" and int_param(n, 0, 10**6) is not None:
        return {"hit": n}
    return {"cite": focus}


# The map's view (?view=<lat>,<lon>,<zoom>) is kept apart from MapState: the map's own script
# writes it into the address as the reader pans (geo/mapsync.py, ViewAddress), and the page
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
