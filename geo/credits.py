"""What everything the atlas exports says of where it comes from, in words.

A source is named in one short form (`short`, its short name) and one full form
(`SourceMeta.reference`, title and publisher) everywhere; these build the lines drawn under a
chart, a map image or a brief (sources, what the values are, the data's "as of" and the
export's date) and the file names that carry the "as of".
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from geo.asof import as_of, as_of_sources
from geo.models import Dataset, Feature
from geo.vocabulary import PRECISION_MEANING

if TYPE_CHECKING:
    from geo.charts import Chart


def short(ds: Dataset, source_id: str) -> str:
    """The source's short form, the one every hover, table and caption uses."""
    src = ds.sources.get(source_id)
    return src.meta.short_name if src else source_id


def source_line(ds: Dataset, chart: Chart) -> str:
    """'Source: …' naming each document behind a chart by title and publisher."""
    parts = []
    for sid in chart.source_ids():
        src = ds.sources.get(sid)
        parts.append(src.meta.reference() if src else sid)
    label = "Source" if len(parts) == 1 else "Sources"
    return f"{label}: " + "; ".join(parts) + "."


def data_date(ds: Dataset, source_ids: list[str]) -> str | None:
    """The data's date: the latest `published` among these sources (None if none states one)."""
    dates = [
        ds.sources[sid].meta.published
        for sid in source_ids
        if sid in ds.sources and ds.sources[sid].meta.published
    ]
    return max(dates, default=None)


def basis_line(chart: Chart) -> str:
    """What the values shown are: quoted verbatim, measured on the atlas's geometry, computed."""
    if chart.basis:
        return chart.basis
    kinds = {d.get("source") for d in chart.derived}
    parts = []
    if chart.figures:
        parts.append("figures quoted verbatim from their sources")
    if "measured" in kinds:
        parts.append(
            "lengths measured on the atlas's own geometry (a schematic route is not the real alignment)"
        )
    if "computed" in kinds:
        parts.append("values computed from the quoted figures (how: in the chart's CSV)")
    return "Shown: " + "; ".join(parts) + "." if parts else ""


def dates_line(ds: Dataset, source_ids: list[str], on: date) -> str:
    """The footer's dates, each labelled: the data's "as of" (the newest date its sources state
    for themselves and the newest event they describe) and the export's."""
    return (
        f"Iran–Pakistan Corridor Atlas · {as_of_sources(ds, source_ids).text()} · "
        f"Exported: {on.isoformat()}"
    )


def file_name(what: str, ds: Dataset, source_ids: list[str], ext: str) -> str:
    """`iran-pakistan-atlas-<what>-<as of>.<ext>`: what it is and how recent its data is (the
    later of the newest source date and the newest event its sources describe)."""
    return f"iran-pakistan-atlas-{what}-{as_of_sources(ds, source_ids).stamp()}.{ext}"


BOUNDARY_NOTE = (
    "Boundaries and names are shown for reference only and imply no position on their status."
)


def map_footer(
    ds: Dataset,
    shown: list[Feature],
    source_ids: list[str],
    on: date,
    marks: list[str],
    chars: int = 190,
) -> list[str]:
    import textwrap

    refs = []
    for sid in source_ids:
        src = ds.sources.get(sid)
        refs.append(src.meta.reference() if src else sid)
    lines = textwrap.wrap(("Sources of the features drawn: " + "; ".join(refs) + ".") if refs
                          else "No feature drawn.", chars)  # fmt: skip
    border = next((f for f in shown if f.props.kind == "border"), None)
    credits = []
    if border is not None and border.props.licence:
        credits.append(f"Border line: {border.props.licence}")
    provenance = ds.context.get("provenance", {})
    if provenance:
        credits.append(
            f"Outlines: {provenance.get('dataset', '')} ({provenance.get('licence', 'licence unknown')})"
        )
    if ds.context.get("places"):
        credits.append("Towns: GeoNames (CC BY 4.0)")
    if credits:
        lines += textwrap.wrap("; ".join(credits) + ".", chars)
    meanings = [
        PRECISION_MEANING[m]
        for m in ("schematic", "approximate")
        if m in marks and m in PRECISION_MEANING
    ]
    lines += textwrap.wrap("Lines dashed: approved or under construction; dotted: planned or proposed; hollow "
                           "symbols: proposed places. " + " ".join(meanings), chars)  # fmt: skip
    lines += textwrap.wrap(BOUNDARY_NOTE, chars)
    # The same records as the file name's date (map_file_name), so the two always agree. Wrapped
    # like the rest: a narrow image (the brief's) cut it off at its right edge.
    lines += textwrap.wrap(
        f"Iran–Pakistan Corridor Atlas · {as_of(ds, shown).text()} · Exported: {on.isoformat()}",
        chars,
    )
    return lines
