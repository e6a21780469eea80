"""The benchmark's peer: the atlas's features in a stock streamlit-folium app.

    uv run streamlit run scripts/peer_app.py     # run from any folder; bench.py runs it from
                                                # an empty one, so Streamlit's defaults apply

What a team would build from streamlit-folium's own examples: a folium map with one GeoJson
layer per theme and a name tooltip, `st_folium` with its defaults (every returned object, the
250 ms debounce), and beside it the clicked feature's quotes, shown by the full rerun that every
change of the component's value makes. It exists only to be measured beside the atlas
(scripts/bench.py, scripts/load.py): same features, same quotes, same protocol-level load.

Its panel uses the atlas's own conventions (the name as an h3 heading, each quote as a
"> " markdown line, escaped with geo.text.md), so that scripts/load.py checks it the same way.
It is not for readers: folium's defaults load Leaflet from CDNs in a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo.dataset import load_dataset  # noqa: E402
from geo.text import md  # noqa: E402

CENTER = (27.4, 63.2)
ZOOM = 6


@st.cache_resource
def dataset():
    """The atlas's data, loaded once per process as any Streamlit app would cache it."""
    return load_dataset()


def build_map(ds) -> folium.Map:
    """Every layer as a folium.GeoJson with a name tooltip: what the examples show."""
    m = folium.Map(location=CENTER, zoom_start=ZOOM)  # folium's default tiles too
    for layer in ds.layers:
        collection = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": f.id, "name": f.props.name},
                    "geometry": f.geometry,
                }
                for f in layer.features
            ],
        }
        folium.GeoJson(
            collection, name=layer.title, tooltip=folium.GeoJsonTooltip(fields=["name"])
        ).add_to(m)
    return m


ds = dataset()
st.set_page_config(page_title="Peer: stock streamlit-folium", layout="wide")
st.title("Stock streamlit-folium, the atlas's features")
left, right = st.columns([3, 2])
with left:
    out = st_folium(build_map(ds), height=640, use_container_width=True)
with right:
    drawing = (out or {}).get("last_active_drawing") or {}
    feature_id = (drawing.get("properties") or {}).get("id")
    feature = ds.feature(feature_id) if feature_id else None
    if feature is None:
        st.info("Click a feature.")
    else:
        st.subheader(feature.props.name)
        for citation in feature.props.citations:
            st.markdown("> " + md(" ".join(citation.quote.split())))
