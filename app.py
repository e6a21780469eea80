"""Iran–Pakistan Corridor Atlas: the entry script prepares the process and declares navigation.

The heap is frozen once the data is loaded: see pages/_shared.py.
"""

import streamlit as st

from geo import foliumfast
from geo.assets import ensure_static_assets
from geo.offline import pin_loopback

# Also when started with plain `streamlit run`: from the first page run on, the server never
# looks up its own address on the network (`make run` uses geo.serve, which pins it earlier).
pin_loopback()

st.set_page_config(page_title="Iran–Pakistan Corridor Atlas", layout="wide")
ensure_static_assets()
foliumfast.install()

st.navigation(
    [
        st.Page("pages/map.py", title="Map", url_path="map", default=True),
        st.Page("pages/figures.py", title="Figures", url_path="figures"),
        st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
        st.Page("pages/sources.py", title="Sources", url_path="sources"),
        st.Page("pages/about.py", title="About the data", url_path="about"),
    ]
).run()
