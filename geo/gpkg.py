"""The data pack's GeoPackage: one layer per theme, the format QGIS opens natively.

Written with geopandas (pyogrio underneath). GeoPackage columns are flat, so lists become
text: each citation is one field of `source: quote` lines, and the whole list is kept as
JSON too, so nothing the GeoJSON holds is lost.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import shape

from geo.layers import measured_length_km
from geo.models import Dataset, Feature

CRS = "EPSG:4326"


def _row(ds: Dataset, f: Feature) -> dict[str, Any]:
    p = f.props
    basis = p.status_basis
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "status": p.status,
        "status_basis_source": basis.source if basis else None,
        "status_basis_quote": " ".join(basis.quote.split()) if basis else None,
        "status_note": p.status_note,
        "precision": p.precision,
        "summary": p.summary,
        "placement_note": p.geometry_source,
        "licence": p.licence,
        "claimed_length_km": p.claimed_length_km,
        "length_km": measured_length_km(f),
        "aliases": "; ".join(p.aliases),
        "citation_count": len(p.citations),
        "citations": "\n".join(
            f"[{n}] {ds.sources[c.source].meta.short_name if c.source in ds.sources else c.source}"
            f": {' '.join(c.quote.split())}"
            for n, c in enumerate(p.citations, 1)
        ),
        "citations_json": json.dumps(
            [c.model_dump(mode="json") for c in p.citations], ensure_ascii=False
        ),
        "geometry": shape(f.geometry),
    }


def layer_frames(ds: Dataset, keep: set[str] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """One GeoDataFrame per layer theme that has features (those in `keep`, if given)."""
    frames = {}
    for layer in ds.layers:
        rows = [_row(ds, f) for f in layer.features if keep is None or f.id in keep]
        if rows:
            frames[layer.name] = gpd.GeoDataFrame(rows, crs=CRS)
    return frames


def write_geopackage(ds: Dataset, path: Path, keep: set[str] | None = None) -> Path:
    """Write each layer theme as one layer of the GeoPackage at `path` (replaced if there)."""
    path.unlink(missing_ok=True)
    for name, frame in layer_frames(ds, keep).items():
        frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    return path


def geopackage_bytes(ds: Dataset, keep: set[str] | None = None) -> bytes:
    """The GeoPackage as bytes (SQLite needs a real file to write, so one is made and removed)."""
    with tempfile.TemporaryDirectory(prefix="atlas-gpkg-") as tmp:
        return write_geopackage(ds, Path(tmp) / "layers.gpkg", keep).read_bytes()
