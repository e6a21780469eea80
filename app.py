"""Iran–Pakistan Corridor Atlas: the entry script prepares the process and declares navigation.

The heap is frozen once the data is loaded: see pages/_shared.py.
"""

from functools import partial

import streamlit as st

from geo.assets import ensure_static_assets
from pages import _state
from pages._print import print_setup
from pages._shared import dataset, failover_watch
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
    " { color: #575c61 !important; opacity: 1 !important; }"
    # The frame that keeps links in the tab (below) takes no room.
    " .st-key-atlas-same-tab { display: none; }</style>"
)

# Pages that print: the map then its panel, no sidebar or controls, each page's as-of and address.
print_setup(dataset())
SAME_TAB_SCRIPT = """<script>(function () {
  var doc = window.parent.document, origin = window.parent.location.origin;
  if (doc.atlasSameTab) return;
  doc.atlasSameTab = true;
  function keep() {
    doc.querySelectorAll('a[target="_blank"]').forEach(function (a) {
      if (new URL(a.href, doc.baseURI).origin === origin) a.removeAttribute("target");
    });
  }
  keep();
  new MutationObserver(keep).observe(doc.body, {subtree: true, childList: true,
    attributes: true, attributeFilter: ["target", "href"]});
})();</script>"""
# Behind the proxy, a reader whose replica died is brought back on another one (pages/_shared.py).
failover_watch()

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


current = st.navigation(
    [
        *PAGES.values(),
        *(
            st.Page(partial(_forward, target), title=f"{path} (old address)", url_path=path,
                    visibility="hidden")
            for path, target in OLD_PATHS.items()
        ),
    ],
    position="hidden",
)  # fmt: skip
# The app's own menu: each link carries its page's address as the reader last left it
# (pages/_state.py remembers it), so that going back to a page is one history entry with its
# whole state, and no page's state leaks into another's address. Streamlit's own menu opens a
# page with the address of the page being left, then corrects it: two entries, and a leak.
with st.sidebar:
    for name, page in PAGES.items():
        st.page_link(page, query_params=st.session_state.get(f"address:{name}") or None)
    # Streamlit opens every Markdown link in a new tab, so Back could not bring the reader home
    # and tabs piled up. This keeps links to the atlas itself in the tab (links to other sites,
    # and those inside the map's own frame, which is another document, are left as they are).
    with st.container(key="atlas-same-tab"):
        st.iframe(SAME_TAB_SCRIPT, height=1)
# Which page this run shows, so that a page knows when the reader has just come to it
# (pages/_state.py, arrived), whatever page they came from.
_state.entering(current.url_path)
current.run()
