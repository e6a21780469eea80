"""Iran–Pakistan Corridor Atlas: the entry script prepares the process and declares navigation.

The heap is frozen once the data is loaded: see pages/_shared.py.
"""

from functools import partial

import streamlit as st

from geo.assets import ensure_static_assets
from pages._print import print_setup
from pages._shared import dataset
from patches import apply_server_patches

# Also when started with plain `streamlit run`: from the first page run on, the server never
# looks up its own address on the network (`make run` uses geo.serve, which pins it earlier).
apply_server_patches()

st.set_page_config(page_title="Iran–Pakistan Corridor Atlas", layout="wide")
ensure_static_assets()
# Streamlit draws captions and quotes in a faded grey (4.2:1 on this background, and less
# through the captions' opacity); WCAG AA asks 4.5:1. A darker grey at full opacity: 6.4:1.
st.html(
    "<style>[data-testid=stCaptionContainer], [data-testid=stMarkdown] blockquote"
    " { color: #575c61 !important; opacity: 1 !important; }</style>"
)

# Pages that print: the map then its panel, no sidebar or controls, each page's as-of and address.
print_setup(dataset())

PAGES = {
    # The default page is served at / but still reserves its own path: not "map", which
    # forwards below (a reader's /map?feature=… must open the map, not "Page not found").
    "map": st.Page("pages/map.py", title="Map", url_path="atlas", default=True),
    "figures": st.Page("pages/figures.py", title="Figures", url_path="figures"),
    "timeline": st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
    "topics": st.Page("pages/topics.py", title="Topics", url_path="topics"),
    "sources": st.Page("pages/sources.py", title="Sources", url_path="sources"),
    "about": st.Page("pages/about.py", title="About the data", url_path="about"),
}
# Addresses readers type or bookmark that no page answers to: the map lives at /, and a page
# title would make about_the_data.
OLD_PATHS = {"map": "map", "home": "map", "about_the_data": "about", "about-the-data": "about"}


def _forward(target: str) -> None:
    """Open the page an old address meant, with the address's query (?feature=… and so on)."""
    st.switch_page(PAGES[target], query_params=st.query_params.to_dict())


st.navigation(
    [
        *PAGES.values(),
        *(
            st.Page(partial(_forward, target), title=f"{path} (old address)", url_path=path,
                    visibility="hidden")
            for path, target in OLD_PATHS.items()
        ),
    ]
).run()  # fmt: skip
