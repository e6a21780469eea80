"""What every page shares: the cached dataset and the banner that lists data problems.

Pages are the only modules that touch Streamlit; `geo/` stays free of it.
"""

from __future__ import annotations

import gc
import time
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.charts import EXPORT_SIZE, Chart, cited_figure
from geo.dataset import data_dir, load_dataset
from geo.io import data_signature
from geo.models import Dataset
from geo.pngexport import to_png
from geo.text import md


def _signature(root: Path) -> tuple:
    """Names, modes, owners, sizes and times of every data entry: a change reloads the data."""
    return data_signature(root)


# A few versions at most: every edit to the data makes a new one, and old ones are never used.
@st.cache_resource(show_spinner=False, max_entries=4)
def _load(root: str, signature: tuple) -> Dataset:
    return load_dataset(Path(root))


SIGNATURE_TTL_S = 2.0
_signatures: dict[str, tuple[float, tuple]] = {}


def _recent_signature(root: Path) -> tuple:
    """The data files' signature, looked at most every SIGNATURE_TTL_S seconds.

    Walking and stat-ing every data file on every rerun costs little alone, but each call
    releases the GIL, and with many sessions rerunning at once the wait to get it back made
    reruns several times slower. An edit to the data still shows within two seconds.
    """
    now = time.monotonic()
    seen = _signatures.get(str(root))
    if seen is None or now - seen[0] > SIGNATURE_TTL_S:
        seen = (now, _signature(root))
        _signatures[str(root)] = seen
    return seen[1]


def _leave_pages_folder_mode() -> None:
    """Make sure this page runs inside app.py's navigation, not on its own.

    Streamlit starts a server in its old "pages folder" mode when `pages/` sits beside the
    main script, and leaves it only when some session runs `st.navigation`. If a shared link
    to, say, /figures is a fresh server's first request, this page would run alone: no app
    navigation, no page setup. Switch the process to navigation mode and rerun through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def dataset() -> Dataset:
    """The checked dataset, loaded once per change of the data files and shared by sessions.

    Every page calls this first, so it is also where a page makes sure it runs inside the
    app's navigation.
    """
    _leave_pages_folder_mode()
    root = data_dir()
    ds = _load(str(root), _recent_signature(root))
    _freeze_loaded_heap()
    return ds


_heap_frozen = False


def _freeze_loaded_heap() -> None:
    """Move everything alive now to the collector's permanent generation, once per process.

    Called once the dataset is loaded, by then the page has imported the app's modules
    (pandas, plotly, shapely, folium). Streamlit's full `gc.collect()` after every run (when
    runner.postScriptGC is on) and Python's own full collections rescanned all of it, about
    50 ms holding the GIL while every other session waited. None of it is ever freed, so the
    collector need not look at it again; what runs allocate later is collected as before.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


def data_version() -> tuple:
    """What identifies the loaded data: a key for caches of things derived from it."""
    return (str(data_dir()), _recent_signature(data_dir()))


def problem_banner(ds: Dataset) -> None:
    """Name every data problem; the valid records are still shown below it."""
    if not ds.problems:
        return
    lines = "\n".join(f"- {md(p)}" for p in ds.problems[:50])
    more = f"\n- … and {len(ds.problems) - 50} more" if len(ds.problems) > 50 else ""
    st.error(
        f"**{len(ds.problems)} problem(s) in the data.** The records concerned are left out; "
        f"everything else is shown. Run `python -m geo validate` for the full list.\n\n{lines}{more}",
        icon="⚠️",
    )


def _stated(value: str | None, note: str | None) -> str:
    if value is None:
        return f"— ({note})"
    return f"{value} ({note})" if note else value


def sources_frame(ds: Dataset) -> pd.DataFrame:
    """One row per source: what it states about itself, what it does not, how often it is cited."""
    counts: dict[str, int] = {}
    for _, _, cite in ds.citations():
        counts[cite.source] = counts.get(cite.source, 0) + 1
    return pd.DataFrame(
        [
            {
                "id": s.meta.id,
                "title": s.meta.title,
                "publisher": _stated(s.meta.publisher, s.meta.publisher_note),
                "author": _stated(s.meta.author, s.meta.author_note),
                "published": _stated(s.meta.published, s.meta.published_note),
                "url": _stated(s.meta.url, s.meta.url_note),
                "citations": counts.get(s.meta.id, 0),
            }
            for s in ds.sources.values()
        ]
    )


def png_bytes(ds: Dataset, chart: Chart, fmt: str = "png") -> bytes:
    """The chart as a cited image (PNG, or `fmt` svg/pdf) of export size, dated today."""
    return to_png(cited_figure(ds, chart, date.today()), *EXPORT_SIZE, fmt=fmt)


def plotly_config(chart: Chart) -> dict:
    """Plotly's mode bar, less what would copy a chart without its citations."""
    return {
        "displaylogo": False,
        # No camera: the page's own downloads draw the sources and dates into the image;
        # Plotly's camera would copy the chart as shown, whose citations are captions.
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"],
    }


# Behind the team deployment's proxy (deploy/haproxy.cfg, or the Kubernetes Ingress) the
# SERVERID cookie names the replica that holds this reader's session. When that replica dies,
# the proxy sends the page's reconnecting websocket to another replica and rewrites the cookie;
# Streamlit's page then talks to a fresh session that never ran its widgets' callbacks, so
# clicks do nothing. The page's address carries the reader's state (feature, layers, filters),
# so loading it again on the new replica brings the reader back to the same view, working.
# Without a proxy (make run) there is no cookie and this does nothing.
_FAILOVER_WATCH = """<script>
(() => {
  if (window.__atlasFailoverWatch) return;
  window.__atlasFailoverWatch = true;
  const replica = () => (document.cookie.match(/(?:^|;\\s*)SERVERID=([^;]*)/) || [])[1] || null;
  let served = replica();
  setInterval(() => {
    const now = replica();
    if (served === null) { served = now; return; }
    if (now !== null && now !== served) { served = now; window.location.reload(); }
  }, 500);
})();
</script>"""


def failover_watch() -> None:
    """Reload the page, at its address, when the proxy has moved the reader to another replica."""
    st.html(_FAILOVER_WATCH, unsafe_allow_javascript=True)
