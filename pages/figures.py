"""Figures: every number the sources give, charted with its sources, exported with its citation."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from geo.asof import as_of_sources
from geo.chartlayout import cited_figure
from geo.charts import Chart, build_charts, cagr, growth_chart, metric, yearly_targets
from geo.credits import basis_line, file_name, short, source_line
from geo.export import sources_text
from geo.models import Dataset, Figure
from geo.pngexport import browser_path
from geo.rows import CHART_COLUMNS, FIGURE_COLUMNS, chart_rows, figure_rows, flat, to_csv_bytes
from geo.text import md, unplot
from geo.urlstate import id_notice
from pages._shared import (
    data_version,
    dataset,
    download,
    plotly_config,
    png_bytes,
    problem_banner,
)
from patches import leave_pages_folder_mode

leave_pages_folder_mode()  # a shared link as the first request: run inside app.py
ds = dataset()
st.title("Figures")
st.caption(
    "Every number here is a figure a source gives, with the passage that gives it (hover a bar). "
    "Where sources disagree, each version is shown beside the other."
)
problem_banner(ds)
png_ready = browser_path() is not None
if not png_ready:
    st.info(
        "PNG export needs Chromium, which is not installed on this server "
        "(Debian: `apt-get install chromium`). The charts and their CSV downloads still work.",
        icon=":material/image:",
    )


def zip_all(ds: Dataset, charts: list[Chart]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for chart in charts:
            z.writestr(file_name(chart.id, ds, chart.source_ids(), "png"), png_bytes(ds, chart))
            z.writestr(f"{chart.id}.csv", to_csv_bytes(chart_rows(ds, chart), CHART_COLUMNS))
        z.writestr("SOURCES.txt", sources_text(ds))
    return buf.getvalue()


def on_screen(ds: Dataset, chart: Chart, day: str) -> tuple[go.Figure, bytes]:
    """A chart as the page shows it (its sources and dates in the captions under it) and its CSV."""
    figure = cited_figure(ds, chart, date.fromisoformat(day), width=None, height=620)
    return figure, to_csv_bytes(chart_rows(ds, chart), CHART_COLUMNS)


@st.cache_resource(show_spinner=False, max_entries=4)
def prepared(_ds: Dataset, version: tuple, day: str) -> list[tuple[Chart, go.Figure, bytes]]:
    """Every chart, its on-screen figure and CSV: the same for every session and rerun of a day.

    Building and citing them took about 90 ms, on every rerun (each calculator input is one).
    """
    return [(chart, *on_screen(_ds, chart, day)) for chart in build_charts(_ds)]


def show_chart(chart: Chart, figure: go.Figure, csv_data: bytes) -> None:
    with st.container(border=True, key=f"chart-{chart.id}"):
        st.plotly_chart(figure, config=plotly_config(chart), key=f"plot-{chart.id}")
        # What the exported images carry inside them, as text a phone wraps.
        st.caption(md(source_line(ds, chart)))
        if chart.note:
            st.caption(md(chart.note))
        if basis_line(chart):
            st.caption(md(basis_line(chart)))
        st.caption(md(as_of_sources(ds, chart.source_ids()).text()))
        cols = st.columns([1, 1, 1, 1, 1])
        download(
            cols[0],
            "Download PNG",
            lambda chart=chart: png_bytes(ds, chart),
            what="This chart's PNG",
            key=f"png-{chart.id}",
            file_name=file_name(chart.id, ds, chart.source_ids(), "png"),
            mime="image/png",
            needs_browser=True,
            explain=False,  # said once, at the top of the page
            report=st,  # under the row of buttons, not in a narrow column
        )
        download(
            cols[1],
            "Download CSV",
            lambda csv_data=csv_data: csv_data,
            what="This chart's CSV",
            key=f"csv-{chart.id}",
            file_name=file_name(chart.id, ds, chart.source_ids(), "csv"),
            mime="text/csv",
            report=st,
        )
        for col, fmt, mime in (
            (cols[2], "svg", "image/svg+xml"),
            (cols[3], "pdf", "application/pdf"),
        ):
            download(
                col,
                f"Download {fmt.upper()}",
                lambda chart=chart, fmt=fmt: png_bytes(ds, chart, fmt),
                what=f"This chart's {fmt.upper()}",
                key=f"{fmt}-{chart.id}",
                file_name=file_name(chart.id, ds, chart.source_ids(), fmt),
                mime=mime,
                needs_browser=True,
                explain=False,
                report=st,
            )


today = date.today().isoformat()
ready = prepared(ds, data_version(), today)
charts = [chart for chart, _, _ in ready]

download(
    st,
    f"Download all charts (ZIP of {len(charts)} PNGs and CSVs, with the list of sources)",
    lambda: zip_all(ds, charts),
    what="The ZIP of all charts",
    key="zip-all",
    file_name=file_name("charts", ds, sorted({s for c in charts for s in c.source_ids()}), "zip"),
    mime="application/zip",
    needs_browser=True,
    explain=False,
)

chart_of = {f.id: chart for chart in charts for f in chart.figures}
EVERY_FIGURE = "every-figure"  # the anchor of the list of every figure, at the foot


def figure_text(f: Figure) -> str:
    """One figure, escaped for st.markdown: its value, its source, where it is charted here
    and the passage that gives it."""
    head = f"**{md(f.label)}**: {md(f.value_text)}"
    if f.qualifier:
        head += f" ({md(f.qualifier)})"
    chart = chart_of.get(f.id)
    # The title the reader sees above the chart (its short title names its files).
    title = unplot(chart.figure.layout.title.text or chart.title) if chart else ""
    where = f"charted in “{md(title)}” on this page" if chart else "on no chart"
    return (
        f"{head} · {md(short(ds, f.citation.source))} · {where}\n\n> “{md(flat(f.citation.quote))}”"
    )


# A link to one figure (?figure=<id>, from the Topics and Sources pages): that figure first,
# whole, with the passage that gives it, before the charts.
linked = [v for v in st.query_params.get_all("figure") if v]
unknown = id_notice(
    {"figure": linked},
    "figure",
    [f.id for f in ds.figures],
    "No figure has the id “{}”; every figure is listed at the foot of this page.",
)
if unknown:
    st.warning(md(unknown), icon=":material/search:")
elif linked:
    figure = next(f for f in ds.figures if f.id == linked[-1])
    st.info(
        "The figure you followed a link to:\n\n"
        + figure_text(figure)
        + f"\n\nIt is also listed with [every figure the sources give](#{EVERY_FIGURE}).",
        icon=":material/link:",
    )

for item in ready:
    if item[0].id == "trade":
        show_chart(*item)

st.header("Growth calculator")
current = metric(ds, "bilateral_trade_current")
targets = metric(ds, "bilateral_trade_target")
# Only a target whose source states it per year may stand on the calculator's per-year axis
# and be credited there (Rasanah's pledge states no period; TMP's says "annual").
yearly = yearly_targets(targets)
if current and yearly:
    st.caption(
        "How fast would trade have to grow to reach the target? The sources do not say which year "
        "their current figures stand for, so nothing is assumed: choose the baseline, its year and "
        "the target year."
    )
    c1, c2, c3 = st.columns(3)
    baseline_id = c1.selectbox(
        "Baseline: whose current figure",
        options=[f.id for f in current],
        format_func=lambda fid: next(
            f"${f.value:g} bn ({f.qualifier}) per {short(ds, f.citation.source)}"
            for f in current
            if f.id == fid
        ),
        index=None,
        placeholder="Choose a source's figure",
        key="growth_baseline",
    )
    baseline_year = c2.number_input(
        "Year that figure stands for",
        min_value=1990,
        max_value=2100,
        value=None,
        step=1,
        key="growth_year",
    )
    target_year = c3.number_input(
        "Year the target is to be reached",
        min_value=1991,
        max_value=2101,
        value=None,
        step=1,
        key="growth_target_year",
    )
    target_values = {t.value for t in targets}
    target = yearly[0]
    # Each source's own words on the period: a target one source states "a year" and another
    # states with no period is not "both state it".
    st.markdown(
        md(
            f"Target: ${target.value:g} billion"
            + ("" if len(target_values) == 1 else " (the sources differ on the amount)")
            + ". "
            + "; ".join(
                f"{short(ds, t.citation.source)} states "
                + (
                    f"${t.value:g} billion {'a year' if t.period == 'annual' else t.period}"
                    if t.period
                    else f"${t.value:g} billion, with no period"
                )
                for t in targets
            )
            + ". The calculator uses the figure of "
            + short(ds, target.citation.source)
            + ", which states it as a year's trade."
        )
    )
    if baseline_id and baseline_year and target_year:
        baseline = next(f for f in current if f.id == baseline_id)
        years = int(target_year) - int(baseline_year)
        try:
            if years <= 0:
                raise ValueError(
                    f"The target year ({int(target_year)}) must come after the year the baseline "
                    f"stands for ({int(baseline_year)}): choose a later target year or an "
                    "earlier baseline year."
                )
            rate = cagr(baseline.value, target.value, years)
        except ValueError as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            st.metric("Compound annual growth needed", f"{rate:.2%}", help="per year, every year")
            st.latex(
                rf"\text{{CAGR}} = \left(\frac{{{target.value:g}}}{{{baseline.value:g}}}\right)^{{1/({int(target_year)}-{int(baseline_year)})}} - 1 = {rate * 100:.2f}\%"
            )
            growth = growth_chart(ds, baseline, int(baseline_year), target, int(target_year))
            show_chart(growth, *on_screen(ds, growth, today))
    else:
        st.info("Choose a baseline, its year and a target year to see the growth needed.")

st.header("Other figures")
for item in ready:
    if item[0].id != "trade":
        show_chart(*item)

# Not every figure is on a chart (the border's length, the roadmap's days…): all of them here,
# so that a number a topic or a quote points to is always on this page.
st.header("Every figure the sources give", anchor=EVERY_FIGURE)
st.caption(
    f"All {len(ds.figures)} figures, charted or not, each with its source and the passage "
    "that gives it."
)
download(
    st,
    "Download every figure (CSV)",
    lambda: to_csv_bytes(figure_rows(ds), FIGURE_COLUMNS),
    what="The figures' CSV",
    key="csv-figures",
    file_name=file_name("figures", ds, sorted({f.citation.source for f in ds.figures}), "csv"),
    mime="text/csv",
    help="Formula-safe: no cell starts a spreadsheet formula.",
)
st.markdown("\n\n".join(figure_text(f) for f in ds.figures))
