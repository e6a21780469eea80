"""Iran–Pakistan Corridor Atlas: the entry script prepares the process and declares navigation."""

import streamlit as st

from geo import foliumfast
from geo.assets import ensure_static_assets
from pages._shared import freeze_loaded_heap

st.set_page_config(page_title="Iran–Pakistan Corridor Atlas", layout="wide")
ensure_static_assets()
foliumfast.install()
freeze_loaded_heap()

st.navigation(
    [
        st.Page("pages/map.py", title="Map", url_path="map", default=True),
        st.Page("pages/figures.py", title="Figures", url_path="figures"),
        st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
        st.Page("pages/sources.py", title="Sources", url_path="sources"),
        st.Page("pages/about.py", title="About the data", url_path="about"),
    ]
).run()
