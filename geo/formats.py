"""Every file format the atlas writes, in one registry: extension → media type, what renders it.

Pages (download buttons), the data pack and the command line read this table; adding a format
is one row here plus its renderer. `needs_chromium` says whether rendering starts the export
browser (kaleido drives Debian's Chromium), so a page can disable a download that cannot work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["image", "table", "geodata", "document", "archive", "text"]


@dataclass(frozen=True)
class FileFormat:
    """One format: its extension, media type, reader label and how it is made."""

    ext: str
    media_type: str
    label: str  # what a reader calls it: "PNG image", "Word document"
    kind: Kind
    renderer: str  # the function that writes it, as "module.function"
    needs_chromium: bool = False


FORMATS: dict[str, FileFormat] = {
    f.ext: f
    for f in (
        FileFormat("png", "image/png", "PNG image", "image", "geo.pngexport.render_image", True),
        FileFormat("svg", "image/svg+xml", "SVG image", "image", "geo.pngexport.render_image", True),
        FileFormat("pdf", "application/pdf", "PDF", "image", "geo.pngexport.render_image", True),
        FileFormat("csv", "text/csv", "CSV table", "table", "geo.rows.to_csv_bytes"),
        FileFormat(
            "geojson", "application/geo+json", "GeoJSON", "geodata", "geo.export.layers_collection"
        ),
        FileFormat(
            "gpkg", "application/geopackage+sqlite3", "GeoPackage", "geodata",
            "geo.gpkg.geopackage_bytes",
        ),
        FileFormat(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word document", "document", "docx.Document",
        ),
        FileFormat("zip", "application/zip", "ZIP archive", "archive", "geo.export.pack_zip"),
        FileFormat("txt", "text/plain", "text", "text", "geo.export.readme_text"),
    )
}  # fmt: skip

# The formats a chart or a map image is rendered in, in the order pages offer them.
IMAGE_FORMATS: tuple[str, ...] = tuple(ext for ext, f in FORMATS.items() if f.kind == "image")


def file_format(ext: str) -> FileFormat:
    """The registered format for `ext` ("png", ".PNG"); ValueError naming the known ones."""
    key = ext.lower().lstrip(".")
    try:
        return FORMATS[key]
    except KeyError:
        raise ValueError(f"unknown file format {ext!r}; known: {', '.join(FORMATS)}") from None


def media_type(ext: str) -> str:
    """The media type a download of this format is served with."""
    return file_format(ext).media_type
