"""The data pack: what an analyst opens in QGIS or a spreadsheet.

`layers.geojson`, `figures.csv` and `events.csv` are a contract read by outside checks:
keep their names and columns.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from geo.csvsafe import csv_bytes
from geo.layers import measured_length_km
from geo.models import Dataset, Figure


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


FIGURE_COLUMNS = [
    "id",
    "metric",
    "label",
    "value",
    "unit",
    "qualifier",
    "period",
    "date",
    "source",
    "source_title",
    "quote",
]
EVENT_COLUMNS = [
    "id",
    "date",
    "date_precision",
    "date_note",
    "title",
    "topic",
    "related_features",
    "sources",
    "citations",
]


def figure_row(ds: Dataset, f: Figure) -> dict[str, Any]:
    """One figure as a CSV row, its citation spelled out (FIGURE_COLUMNS)."""
    src = ds.sources.get(f.citation.source)
    return {
        **f.model_dump(mode="json", exclude={"citation"}),
        "source": f.citation.source,
        "source_title": src.meta.title if src else "",
        "quote": " ".join(f.citation.quote.split()),
    }


def figure_rows(ds: Dataset) -> list[dict[str, Any]]:
    """One row per figure."""
    return [figure_row(ds, f) for f in ds.figures]


def event_rows(ds: Dataset) -> list[dict[str, Any]]:
    """One row per event; its citations as a JSON list so that quotes survive intact."""
    return [
        {
            **e.model_dump(mode="json", exclude={"citations", "related_features"}),
            "related_features": ";".join(e.related_features),
            "sources": ";".join(dict.fromkeys(c.source for c in e.citations)),
            "citations": json.dumps([c.model_dump() for c in e.citations], ensure_ascii=False),
        }
        for e in ds.events
    ]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """Write rows as CSV for spreadsheets (UTF-8 with BOM, formula cells neutralised)."""
    path.write_bytes(csv_bytes(columns, rows))


def write_charts(ds: Dataset, out: Path, on: date) -> list[Path]:
    """Write every chart as `out/charts/<chart-id>.png`, cited, at export size.

    Raises geo.pngexport.ExportUnavailable when Chromium is missing.
    """
    from geo.charts import EXPORT_SIZE, build_charts, cited_figure
    from geo.pngexport import to_png

    folder = out / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in build_charts(ds):
        path = folder / f"{chart.id}.png"
        path.write_bytes(to_png(cited_figure(ds, chart, on), *EXPORT_SIZE))
        written.append(path)
    return written


def write_pack(ds: Dataset, out: Path) -> list[Path]:
    """Write the data pack into `out`; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    layers = out / "layers.geojson"
    layers.write_text(
        json.dumps(layers_collection(ds), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    figures = out / "figures.csv"
    write_csv(figures, FIGURE_COLUMNS, figure_rows(ds))
    events = out / "events.csv"
    write_csv(events, EVENT_COLUMNS, event_rows(ds))
    return [layers, figures, events]
