"""Exports fit for a brief: every image in every format opens, is cited, renders whole, offline.

Rendering is real: kaleido drives Debian's Chromium. The offline run executes
`python -m geo export` in a network namespace of its own, where every request beyond the
process is refused (there is no network there at all).
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import struct
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geo.asof import as_of, as_of_sources
from geo.chartlayout import EXPORT_SIZE, cited_figure
from geo.charts import figure_names, hover, memoranda_chart, quote_around
from geo.credits import source_line
from geo.export import export_charts, pack_files, pack_zip
from geo.mapimage import MAP_SIZE, map_figure
from geo.pngexport import render_image

ROOT = Path(__file__).resolve().parent.parent
ON = date(2026, 11, 22)
SIGNATURE = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<svg"}

pytestmark = pytest.mark.slow  # renders with Chromium or starts the app in a child process


def png_width(data: bytes) -> int:
    return struct.unpack(">I", data[16:20])[0]


def _offline_ok() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def offline_export(tmp_path_factory) -> Path:
    """The whole export, run where no request can leave the process."""
    if not _offline_ok():
        pytest.skip("needs `unshare -rn` (a network namespace) to refuse every request")
    out = tmp_path_factory.mktemp("export")
    run = subprocess.run(
        ["unshare", "-rn", sys.executable, "-m", "geo", "export", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return out


def test_every_export_opens_in_every_format_offline(offline_export: Path, ds):
    maps = sorted((offline_export / "maps").iterdir())
    charts = sorted((offline_export / "charts").iterdir())
    assert {p.name for p in maps} >= {"overview.png", "overview.svg", "overview.pdf"}
    assert len(charts) == 3 * len(export_charts(ds))
    for path in maps + charts:
        data = path.read_bytes()
        fmt = path.suffix[1:]
        head = data[:400].lstrip()
        if fmt == "svg":
            assert b"<svg" in head, path.name
        else:
            assert data.startswith(SIGNATURE[fmt]), path.name
        if fmt == "png":
            assert png_width(data) >= 1600, path.name
        if fmt == "svg":
            # The citation travels as text in the vector file, for print designers.
            assert b"Data as of:" in data, path.name


def test_chart_files_are_named_by_what_and_data_date(offline_export: Path):
    names = [p.name for p in (offline_export / "charts").iterdir()]
    assert "iran-pakistan-atlas-trade-2025-10-26.png" in names
    assert all(n.startswith("iran-pakistan-atlas-") for n in names)


def test_every_chart_carries_its_sources_what_its_values_are_and_both_dates(ds):
    for chart in export_charts(ds):
        fig = cited_figure(ds, chart, ON)
        (note,) = [a for a in fig.layout.annotations if a.name == "source-line"]
        text = note.text.replace("<br>", " ")
        assert as_of_sources(ds, chart.source_ids()).text() in text, chart.id
        assert "Exported: 2026-11-22" in text, chart.id
        assert "Everything shown is quoted verbatim" not in text
        for sid in chart.source_ids():
            assert ds.sources[sid].meta.title.split()[0] in text, (chart.id, sid)
        assert source_line(ds, chart)


def test_footers_name_measured_and_computed_values_as_such(ds):
    by_id = {c.id: c for c in export_charts(ds)}
    pipeline = cited_figure(ds, by_id["pipeline"], ON).layout.annotations[-1].text
    assert "measured on the atlas's own geometry" in pipeline.replace("&#x27;", "'")
    smuggling = cited_figure(ds, by_id["smuggling"], ON).layout.annotations[-1].text
    assert "computed" in smuggling
    memoranda = cited_figure(ds, by_id["memoranda"], ON).layout.annotations[-1].text
    assert "computed" not in memoranda and "measured" not in memoranda


def _ink(img: np.ndarray) -> np.ndarray:
    """Where a rendered image is not white."""
    return (img[:, :, :3] < 235).any(axis=2)


def _render(fig) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(render_image(fig, *EXPORT_SIZE))).convert("RGB"))


def _box(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return ys.min(), ys.max(), xs.min(), xs.max()


def test_every_chart_renders_whole_and_its_legend_clears_its_source_block(ds):
    """No label runs off an edge (ink on the image's border) and the legend's ink ends above the
    source block's: each is found as what changes when it alone is removed."""
    for chart in export_charts(ds):
        fig = cited_figure(ds, chart, ON)
        full = _render(fig)
        ink = _ink(full)
        edge = np.concatenate(
            [ink[:3].ravel(), ink[-3:].ravel(), ink[:, :3].ravel(), ink[:, -3:].ravel()]
        )
        assert not edge.any(), f"{chart.id}: something is cut at the image's edge"
        no_source = cited_figure(ds, chart, ON)
        no_source.layout.annotations = [
            a for a in no_source.layout.annotations if a.name != "source-line"
        ]
        source_ink = (full != _render(no_source)).any(axis=2)
        top_of_source = _box(source_ink)[0]
        no_legend = cited_figure(ds, chart, ON)
        no_legend.update_layout(showlegend=False)
        legend_ink = (full != _render(no_legend)).any(axis=2)
        if legend_ink.any():
            assert _box(legend_ink)[1] < top_of_source, f"{chart.id}: legend runs into the sources"
        # And every line of the source block is inside the image.
        assert _box(source_ink)[3] < EXPORT_SIZE[0] - 3, f"{chart.id}: source line cut at the right"


@pytest.mark.parametrize("width", [320, 840])
def test_on_screen_chart_keeps_its_title_and_category_labels_whole(ds, width):
    """The page's charts were laid out for one width, and a phone cut their titles, labels and
    legends. Rendered at a phone's and a laptop's column width, nothing is cut at the left
    edge (category labels) and the title's first line is near the top, under the toolbar."""
    from geo.chartlayout import TOOLBAR_PX
    from geo.charts import build_charts
    from geo.timeline import filter_events, timeline_chart

    # What the pages show: the Figures page's charts and the Timeline page's chart.
    for chart in [*build_charts(ds), timeline_chart(ds, filter_events(ds))]:
        fig = cited_figure(ds, chart, ON, width=None, height=620)
        assert not [a for a in fig.layout.annotations if a.name == "source-line"], chart.id
        fig.update_layout(width=width)
        img = np.asarray(Image.open(io.BytesIO(render_image(fig, width, 620))).convert("RGB"))
        ink = _ink(img)
        assert not ink[:, :2].any(), f"{chart.id}: cut at the left edge at {width} px"
        # The title has its first line near the top, under the band where Plotly's toolbar
        # sits on screen (it covered the title on a phone).
        assert not ink[: TOOLBAR_PX - 4].any(), f"{chart.id}: ink in the toolbar's band"
        assert ink[: TOOLBAR_PX + 80].any(), f"{chart.id}: no title at the top at {width} px"


def test_a_hover_never_cuts_a_quote_before_its_figure(ds):
    trade = next(f for f in ds.figures if f.id == "trade-current-tmp")
    assert "$3 billion" in hover(ds, trade).replace("<br>", " ")
    long = "x " * 300 + "the level stands at 4,000 tons a day " + "y " * 300
    excerpt = quote_around(long, 4000)
    assert "4,000 tons" in excerpt and excerpt.startswith("…") and excerpt.endswith("…")
    for f in ds.figures:
        text = hover(ds, f).replace("<br>", " ")
        for spelling in (f"{f.value:,.0f}", f"{f.value:g}"):
            if spelling in f.citation.quote:
                assert spelling in text, f.id


def test_two_figures_of_one_metric_from_one_source_get_their_own_bars(ds):
    f = next(f for f in ds.figures if f.metric == "memoranda")
    twin = f.model_copy(update={"id": f.id + "-2", "value": f.value + 3, "period": "2025"})
    names = figure_names(ds, [f, twin])
    assert len(set(names)) == 2
    ds2 = dataclasses.replace(ds, figures=(*ds.figures, twin))
    xs = [tuple(t.x) for t in memoranda_chart(ds2).figure.data]
    assert len(set(xs)) == len(xs)


def test_the_map_legend_lists_exactly_the_kinds_drawn(ds):
    for layers in (None, ["energy"], ["crossings", "ports"]):
        image = map_figure(ds, layers, on=ON)
        legend = {
            t.meta.split(":", 1)[1]
            for t in image.figure.data
            if t.showlegend is not False and t.meta and t.meta.startswith("kind:")
        }
        drawn = {f.props.kind for f in image.features}
        assert legend == drawn == set(image.kinds), layers
        if layers == ["crossings", "ports"]:
            assert "schematic" not in image.marks  # no schematic line drawn, no mark in legend


def test_the_map_image_is_cited_and_renders_with_its_marks(ds):
    image = map_figure(ds, on=ON)
    (footer,) = [a for a in image.figure.layout.annotations if a.name == "source-line"]
    text = footer.text.replace("<br>", " ")
    assert "Sources of the features drawn" in text and "ODbL" in text
    # The newest date a source states and the newest event an (undated) source describes.
    assert "Data as of: sources dated up to 12 Dec 2025; events up to 18 Jun 2026" in text
    assert "Exported: 2026-11-22" in text
    metas = {t.meta for t in image.figure.data}
    assert {"scale-bar", "mark:schematic", "mark:approximate", "inset-view"} <= metas
    names = {a.name for a in image.figure.layout.annotations}
    assert {
        f"label:feature:{f.id}" for f in image.features if f.geometry["type"] == "Point"
    } <= names
    assert any(a.name == "north-arrow" for a in image.figure.layout.annotations)
    png = render_image(image.figure, *MAP_SIZE)
    assert png.startswith(SIGNATURE["png"]) and png_width(png) >= 1600


def test_the_data_pack_zip_has_every_file_and_a_readme_with_licences(ds):
    z = zipfile.ZipFile(io.BytesIO(pack_zip(ds, ON)))
    names = set(z.namelist())
    assert {
        "layers.geojson", "figures.csv", "events.csv", "claims.csv", "disagreements.csv",
        "sources.csv", "README.txt",
    } <= names  # fmt: skip
    assert len([n for n in names if n.startswith("sources/")]) == len(ds.sources)
    readme = z.read("README.txt").decode()
    assert "ODbL" in readme and "Natural Earth" in readme
    as_of_line = as_of(ds).text()
    assert as_of_line.startswith("Data as of: sources dated up to 12 Dec 2025; events up to 18 Jun")
    assert as_of_line in readme and "Exported: 2026-11-22" in readme
    assert readme.index(as_of_line) < readme.index("Files"), "the as-of comes before the files"
    assert b"[{" not in z.read("events.csv")


def test_a_one_feature_pack_holds_that_feature_its_events_and_sources(ds):
    files = pack_files(ds, ON, ["ip-gas-pipeline-iran-leg"])
    import json

    layers = json.loads(files["layers.geojson"])
    assert [f["id"] for f in layers["features"]] == ["ip-gas-pipeline-iran-leg"]
    events = files["events.csv"].decode("utf-8-sig")
    assert "pipeline-agreed-2009" in events and "recognised" not in events
    with pytest.raises(ValueError, match="no feature"):
        pack_files(ds, ON, ["no-such-feature"])
