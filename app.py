"""Iran–Pakistan Corridor Atlas: the entry script declares navigation and nothing else."""

import streamlit as st

from geo.assets import ensure_static_assets
from geo.offline import pin_loopback

# Also when started with plain `streamlit run`: from the first page run on, the server never
# looks up its own address on the network (`make run` uses geo.serve, which pins it earlier).
pin_loopback()

st.set_page_config(page_title="Iran–Pakistan Corridor Atlas", layout="wide")
ensure_static_assets()

st.navigation(
    [
        st.Page("pages/map.py", title="Map", url_path="map", default=True),
        st.Page("pages/figures.py", title="Figures", url_path="figures"),
        st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
        st.Page("pages/sources.py", title="Sources", url_path="sources"),
        st.Page("pages/about.py", title="About the data", url_path="about"),
    ]
).run()
