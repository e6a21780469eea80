"""The data pack: what an analyst opens in QGIS or a spreadsheet.

`layers.geojson`, `figures.csv` and `events.csv` are a contract read by outside checks:
keep their names and columns.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from geo.asof import as_of_sources
from geo.chartlayout import EXPORT_SIZE, cited_figure
from geo.charts import Chart, build_charts
from geo.credits import file_name
from geo.formats import IMAGE_FORMATS
from geo.gpkg import geopackage_bytes
from geo.layers import measured_length_km
from geo.mapimage import MAP_SIZE, map_figure
from geo.models import Dataset, Feature
from geo.pngexport import render_image
from geo.rows import (
    CLAIM_COLUMNS,
    DISAGREEMENT_COLUMNS,
    EVENT_COLUMNS,
    FIGURE_COLUMNS,
    SOURCE_COLUMNS,
    claim_rows,
    disagreement_rows,
    event_rows,
    figure_rows,
    source_rows,
    to_csv_bytes,
)
from geo.timeline import filter_events, timeline_brief_chart


def layers_collection(ds: Dataset) -> dict[str, Any]:
    """Every feature with all its properties, its layer and (for lines) its measured length."""
    features = []
    for f in ds.features:
        props = f.props.model_dump(mode="json")
        props["layer"] = f.layer
        length = measured_length_km(f)
        if length is not None:
            props["length_km"] = length
        features.append(
            {"type": "Feature", "id": f.id, "properties": props, "geometry": f.geometry}
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "sources": [s.meta.model_dump(mode="json") for s in ds.sources.values()],
    }


def export_charts(ds: Dataset) -> list[Chart]:
    """Every chart an export writes: the Figures page's charts and the timeline for a brief."""
    return [*build_charts(ds), timeline_brief_chart(ds, filter_events(ds))]


def write_charts(
    ds: Dataset, out: Path, on: date, formats: tuple[str, ...] = IMAGE_FORMATS
) -> list[Path]:
    """Write every chart as `out/charts/iran-pakistan-atlas-<chart>-<data date>.<fmt>`, cited.

    Raises geo.pngexport.ExportUnavailable when Chromium is missing.
    """
    folder = out / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in export_charts(ds):
        fig = cited_figure(ds, chart, on)
        for fmt in formats:
            path = folder / file_name(chart.id, ds, chart.source_ids(), fmt)
            path.write_bytes(render_image(fig, *EXPORT_SIZE, fmt=fmt))
            written.append(path)
    return written


def write_maps(
    ds: Dataset, out: Path, on: date, formats: tuple[str, ...] = IMAGE_FORMATS
) -> list[Path]:
    """Write `out/maps/overview.png` (all layers, opening view) and one image per layer theme.

    Each also goes out as SVG and PDF, and as a dated copy named like the charts.
    """
    folder = out / "maps"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    views = [("overview", None)] + [
        (layer.name, ["border", layer.name] if layer.name != "border" else ["border"])
        for layer in ds.layers
    ]
    for name, layers in views:
        image = map_figure(ds, layers, None, on)
        for fmt in formats:
            data = render_image(image.figure, *MAP_SIZE, fmt=fmt)
            path = folder / f"{name}.{fmt}"
            path.write_bytes(data)
            written.append(path)
    return written


README = """Iran–Pakistan Corridor Atlas: data pack
=======================================

{as_of}
Exported: {exported}
Some documents state no date of their own; the newest event may come from one of them.

Files
- layers.geojson  every map feature with its properties, layer, citations and (lines) length
- layers.gpkg     the same features as a GeoPackage for QGIS, one layer per theme; citations
                  as text fields (citations, status_basis_quote) and as JSON (citations_json)
- figures.csv     one row per figure a source gives, with its verbatim quote
- events.csv      one row per dated event; each citation in numbered columns
                  (source_1, source_title_1, quote_1, source_2, ...)
- claims.csv      one row per statement of a source a brief could cite: its verbatim quote,
                  its source, its topics and the ids of the features, events and figures it
                  concerns; the label names its matter in the atlas's words
- disagreements.csv  one row per matter on which the sources differ: the kind of difference
                  (the atlas's reading), its note, and each version's value, source and quote
                  (version_1_value, version_1_source, version_1_quote, version_2_value, ...)
- sources.csv     what each source document states about itself (title, publisher, date, url)
- sources/        the source documents themselves, unchanged, so every quote reads in context

CSV files are UTF-8 with a byte-order mark. A cell that would begin with =, +, -, @, a tab or a
carriage return starts with an apostrophe instead, so that no spreadsheet runs it as a formula.

Licences and credits
- Border line: {border}
- Country outlines: {outlines}; licence: {outlines_licence}
- Source documents: their publishers' and authors' own work, shipped unchanged for reference.
- Figures, events and other features: transcribed by the atlas from the sources, each with
  the verbatim passage it rests on.
"""


def sources_text(ds: Dataset) -> str:
    """SOURCES.txt: each source by its short name and full reference, then what it states."""
    lines = ["Sources of the Iran–Pakistan Corridor Atlas", ""]
    for s in ds.sources.values():
        m = s.meta
        lines += [
            f"[{m.id}] {m.short_name}: {m.reference()}",
            f"  author: {m.author or 'not stated'}; url: {m.url or 'not stated'}",
            f"  publisher: {m.publisher or m.publisher_note}",
            f"  published: {m.published or m.published_note}",
            "",
        ]
    return "\n".join(lines)


def readme_text(ds: Dataset, on: date, features: list[Feature] | None = None) -> str:
    """The pack's README: what each file is, the licences, the data's date and the export's."""
    border = next((f for f in (features or ds.features) if f.props.kind == "border"), None)
    provenance = ds.context.get("provenance", {})
    ids = list(ds.sources) if features is None else _source_ids_of(features)
    return README.format(
        as_of=as_of_sources(ds, ids).text(),
        exported=on.isoformat(),
        border=(f"{border.props.geometry_source} Licence: {border.props.licence or 'not stated'}"
                if border else "not in this pack"),
        outlines=provenance.get("dataset", "not loaded"),
        outlines_licence=provenance.get("licence", "unknown"),
    )  # fmt: skip


def _source_ids_of(features: list[Feature]) -> list[str]:
    return list(dict.fromkeys(c.source for f in features for c in f.props.citations))


def pack_files(ds: Dataset, on: date, feature_ids: list[str] | None = None) -> dict[str, bytes]:
    """Every file of the data pack by name, for a folder or a ZIP.

    With `feature_ids`, a pack for those features only: their geometry, the events that name
    them, and the sources they cite.
    """
    features = ds.features if feature_ids is None else [
        f for f in ds.features if f.id in feature_ids
    ]  # fmt: skip
    if feature_ids is not None and not features:
        raise ValueError(f"no feature with id in {feature_ids!r}")
    scoped = feature_ids is not None
    source_ids = list(ds.sources) if not scoped else _source_ids_of(features)
    events = ds.events if not scoped else [
        e for e in ds.events if set(e.related_features) & set(feature_ids or [])
    ]  # fmt: skip
    source_ids += [c.source for e in events for c in e.citations if c.source not in source_ids]
    claims = ds.claims if not scoped else [
        c for c in ds.claims if set(c.features) & set(feature_ids or [])
    ]  # fmt: skip
    differ = ds.disagreements if not scoped else [
        d for d in ds.disagreements if set(d.features) & set(feature_ids or [])
    ]  # fmt: skip
    cited = [c.source for cl in claims for c in cl.citations]
    cited += [v.citation.source for d in differ for v in d.versions]
    source_ids += [s for s in dict.fromkeys(cited) if s not in source_ids]
    collection = layers_collection(ds)
    if scoped:
        keep = {f.id for f in features}
        collection["features"] = [f for f in collection["features"] if f["id"] in keep]
        collection["sources"] = [s for s in collection["sources"] if s["id"] in source_ids]
    files = {
        "layers.geojson": (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode(),
        "figures.csv": to_csv_bytes(figure_rows(ds) if not scoped else [], FIGURE_COLUMNS),
        "events.csv": to_csv_bytes(event_rows(ds, events), EVENT_COLUMNS),
        "layers.gpkg": geopackage_bytes(ds, {f.id for f in features} if scoped else None),
        "claims.csv": to_csv_bytes(claim_rows(ds, claims), CLAIM_COLUMNS),
        "disagreements.csv": to_csv_bytes(disagreement_rows(ds, differ), DISAGREEMENT_COLUMNS),
        "sources.csv": to_csv_bytes(
            [r for r in source_rows(ds) if r["id"] in source_ids], SOURCE_COLUMNS
        ),
        "README.txt": readme_text(ds, on, features if scoped else None).encode(),
    }
    for sid in source_ids:
        src = ds.sources.get(sid)
        if src is not None:
            files[f"sources/{src.meta.file.rsplit('/', 1)[-1]}"] = src.text.encode()
    return files


def pack_zip(ds: Dataset, on: date, feature_ids: list[str] | None = None) -> bytes:
    """The data pack as ZIP bytes, for a download button (all data, or some features)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in pack_files(ds, on, feature_ids).items():
            z.writestr(name, data)
    return buf.getvalue()


def pack_name(ds: Dataset, feature_ids: list[str] | None = None) -> str:
    """`iran-pakistan-atlas-data-<data date>.zip` (or `-<feature>-` for a one-feature pack)."""
    what = "data" if not feature_ids else "data-" + "-".join(feature_ids)
    features = None if not feature_ids else [f for f in ds.features if f.id in feature_ids]
    ids = list(ds.sources) if features is None else _source_ids_of(features)
    return file_name(what, ds, ids, "zip")


def write_pack(ds: Dataset, out: Path, on: date | None = None) -> list[Path]:
    """Write the data pack into `out`; return the files written (layers, figures, events first)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in pack_files(ds, on or date.today()).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
