"""What every page shares: the cached dataset and the banner that lists data problems.

Pages are the only modules that touch Streamlit; `geo/` stays free of it.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.chartlayout import EXPORT_SIZE, cited_figure
from geo.charts import Chart
from geo.credits import file_name
from geo.csvsafe import csv_bytes
from geo.dataset import data_dir, load_dataset
from geo.io import data_signature
from geo.models import Dataset
from geo.pngexport import ExportUnavailable, browser_path, render_image
from geo.text import md
from patches import rerun_session


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


def dataset() -> Dataset:
    """The checked dataset, loaded once per change of the data files and shared by sessions."""
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
        icon=":material/warning:",
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


def source_cards(ds: Dataset) -> None:
    """One card per source, every field wrapped in full: a grid cut the publisher and hid the
    dates off to the right at 1280 px and on a phone. Same rows as `sources_frame`."""
    rows = sources_frame(ds).to_dict("records")
    cols = st.columns(2, gap="small")
    for i, (row, src) in enumerate(zip(rows, ds.sources.values(), strict=True)):
        with cols[i % 2], st.container(border=True, key=f"source-card-{i}"):
            # Named as everywhere: its short name, then its one full reference.
            st.markdown(f"**{md(src.meta.short_name)}**  \n{md(src.meta.reference())}")
            st.markdown(
                "\n".join(
                    f"- {label}: {md(row[field])}"
                    for label, field in [
                        ("Published", "published"),
                        ("Publisher", "publisher"),
                        ("Author", "author"),
                        ("Address", "url"),
                        ("Quotes the atlas cites", "citations"),
                    ]
                )
            )


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table as the atlas's CSV: BOM, every text cell quoted and formula-safe (geo.csvsafe)."""
    return csv_bytes([str(c) for c in frame.columns], frame.to_dict("records"))


def table(frame: pd.DataFrame, name: str, caption: str = "this table") -> None:
    """A table, with the atlas's formula-safe CSV of it beside it (geo.csvsafe).

    Streamlit's own toolbar export is off (client.disableDataExport): it writes text that
    starts with = + - @ as is, which a spreadsheet runs as a formula.
    """
    st.dataframe(frame, hide_index=True, width="stretch")
    ds = dataset()
    download(
        st,
        f"Download {caption} (CSV)",
        lambda: table_csv(frame),
        what=f"The CSV of {caption}",
        key=f"table-csv-{name}",
        file_name=file_name(name, ds, list(ds.sources), "csv"),
        mime="text/csv",
    )


_EXPORT_FAILED = "export-failures"


def image_export_unavailable() -> str | None:
    """Why image export cannot work on this server, in the atlas's words; None when it can."""
    if browser_path() is None:
        return (
            "Unavailable on this server: image export needs Chromium, which is not installed "
            "(Debian: `apt-get install chromium`). The data still downloads as CSV."
        )
    return None


def download(
    where,
    label: str,
    make: Callable[[], bytes],
    *,
    what: str,
    key: str,
    file_name: str,
    mime: str,
    needs_browser: bool = False,
    explain: bool = True,
    report=None,
    help: str | None = None,  # Streamlit's own name for it
) -> None:
    """A download made when clicked, whose failure the reader reads in the atlas's words.

    `make` runs outside the page's script run (Streamlit's deferred download); when it fails
    Streamlit itself can only say "Failed to generate file for download". So the failure is
    kept for this reader and the page reruns: the message, naming `what` failed, why and what
    to try, stands under the button (or in `report`, e.g. the page under a row of narrow
    columns) until the next page run. A download that cannot work here (no Chromium, for
    `needs_browser`) is disabled, with the reason beside it when `explain`.
    """
    reason = image_export_unavailable() if needs_browser else None
    failures: dict[str, str] = st.session_state.setdefault(_EXPORT_FAILED, {})
    ctx = get_script_run_ctx()
    session_id = ctx.session_id if ctx else ""

    def made() -> bytes:
        try:
            return make()
        except ExportUnavailable as exc:
            failures[key] = f"{what} could not be made. {exc}"
        except Exception as exc:
            logging.getLogger(__name__).exception("download %s failed", key)
            failures[key] = (
                f"{what} could not be made ({type(exc).__name__}). Please try again; if it "
                "fails again, the page's other downloads and the data pack still work."
            )
        rerun_session(session_id)
        raise RuntimeError(failures[key])

    where.download_button(
        label,
        data=made,
        file_name=file_name,
        mime=mime,
        key=key,
        disabled=reason is not None,
        help=reason or help,
        on_click="ignore",
    )
    if reason and explain:
        where.caption(reason)
    failure = failures.pop(key, None)
    if failure:
        (report or where).error(md(failure), icon=":material/warning:")


def sources_csv_button(ds: Dataset) -> None:
    """The sources' metadata as the atlas's formula-safe CSV (beside the cards on two pages)."""
    download(
        st,
        "Download the sources table (CSV)",
        lambda: table_csv(sources_frame(ds)),
        what="The sources table's CSV",
        key="table-csv-sources",
        file_name=file_name("sources", ds, list(ds.sources), "csv"),
        mime="text/csv",
        help="Formula-safe: no cell starts a spreadsheet formula.",
    )


def png_bytes(ds: Dataset, chart: Chart, fmt: str = "png") -> bytes:
    """The chart as a cited image (PNG, or `fmt` svg/pdf) of export size, dated today."""
    return render_image(
        cited_figure(ds, chart, date.today()), *EXPORT_SIZE, fmt=fmt, title=chart.title
    )


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
# the proxy sends the next request to another replica and rewrites the cookie; Streamlit's page,
# once its websocket reconnects, talks to a fresh session there that never ran the widgets'
# callbacks, so clicks would do nothing. The page's address carries the reader's state
# (feature, layers, filters), so loading it again on the new replica brings the reader back
# to the same view, working. A light request every 2 s while the page is visible (the health
# check, a few bytes) lets the proxy tell the page within seconds, rather than waiting for
# Streamlit's reconnection back-off. Without a proxy (make run) there is no cookie: nothing.
_FAILOVER_WATCH = """<script>
(() => {
  if (window.__atlasFailoverWatch) return;
  window.__atlasFailoverWatch = true;
  const replica = () => (document.cookie.match(/(?:^|;\\s*)SERVERID=([^;]*)/) || [])[1] || null;
  let served = replica();
  const moved = () => {
    const now = replica();
    if (served === null) { served = now; return false; }
    if (now !== null && now !== served) { served = now; window.location.reload(); return true; }
    return false;
  };
  setInterval(() => {
    if (moved() || served === null || document.visibilityState !== 'visible') return;
    fetch('./_stcore/health', {cache: 'no-store', credentials: 'same-origin'})
      .then(moved, () => {});
  }, 2000);
  setInterval(moved, 500);
})();
</script>"""


def failover_watch() -> None:
    """Reload the page, at its address, when the proxy has moved the reader to another replica."""
    st.html(_FAILOVER_WATCH, unsafe_allow_javascript=True)
