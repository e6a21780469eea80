"""Flat rows of the atlas's records, and the one function that writes them as CSV.

A leaf module: charts, the timeline, the data pack and the pages import it, and it imports
none of them, so no import cycle needs a deferred import to survive.

Citations are spelled out for a spreadsheet: one numbered group of columns per citation
(`source_1`, `source_title_1`, `quote_1`, `source_2`, …), never JSON in a cell. Figures keep
their first citation in `source`, `source_title` and `quote` too, the columns outside checks read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from geo.csvsafe import csv_bytes
from geo.models import Citation, Claim, Dataset, Disagreement, Event, Figure
from geo.vocabulary import DISAGREEMENT_LABEL

if TYPE_CHECKING:
    from geo.charts import Chart

FIGURE_COLUMNS = [
    "id",
    "metric",
    "label",
    "value",
    "unit",
    "qualifier",
    "period",
    "period_note",
    "date",
    "date_note",
    "source",
    "source_title",
    "quote",
]
EVENT_COLUMNS = [
    "id",
    "date",
    "date_precision",
    "date_phrase",
    "date_note",
    "title",
    "topic",
    "related_features",
    "sources",
]
SOURCE_COLUMNS = [
    "id",
    "title",
    "short_name",
    "publisher",
    "publisher_note",
    "author",
    "author_note",
    "published",
    "published_note",
    "url",
    "url_note",
    "file",
    "original_file",
    "sha256",
]

# Every column holding a quote has "quote" in its name (an outside check reads them so).
CLAIM_COLUMNS = [
    "id",
    "label",
    "topics",
    "source",
    "source_title",
    "quote",
    "features",
    "events",
    "figures",
]
DISAGREEMENT_COLUMNS = ["id", "matter", "topics", "kind", "kind_label", "note", "features"]


def flat(text: str) -> str:
    """Whitespace folded to single spaces: a quote on one line of a cell."""
    return " ".join(text.split())


def citation_cells(ds: Dataset, citations: Iterable[Citation], start: int = 1) -> dict[str, str]:
    """Numbered columns for citations: source_N, source_title_N, quote_N from N = `start`."""
    cells: dict[str, str] = {}
    for n, c in enumerate(citations, start=start):
        src = ds.sources.get(c.source)
        cells[f"source_{n}"] = c.source
        cells[f"source_title_{n}"] = src.meta.title if src else ""
        cells[f"quote_{n}"] = flat(c.quote)
    return cells


def figure_row(ds: Dataset, f: Figure) -> dict[str, Any]:
    """One figure as a row: FIGURE_COLUMNS, then numbered columns for any further citation."""
    first, *more = f.citations
    src = ds.sources.get(first.source)
    data = f.model_dump(mode="json", exclude={"citations"})
    return {
        **{k: data.get(k) for k in FIGURE_COLUMNS if k in data},
        "source": first.source,
        "source_title": src.meta.title if src else "",
        "quote": flat(first.quote),
        **citation_cells(ds, more, start=2),
    }


def figure_rows(ds: Dataset) -> list[dict[str, Any]]:
    """One row per figure."""
    return [figure_row(ds, f) for f in ds.figures]


def event_row(ds: Dataset, e: Event) -> dict[str, Any]:
    """One event as a row: EVENT_COLUMNS, then source_N, source_title_N, quote_N per citation."""
    data = e.model_dump(mode="json", exclude={"citations", "related_features"})
    return {
        **data,
        "related_features": ";".join(e.related_features),
        "sources": ";".join(dict.fromkeys(c.source for c in e.citations)),
        **citation_cells(ds, e.citations),
    }


def event_rows(ds: Dataset, events: Iterable[Event] | None = None) -> list[dict[str, Any]]:
    """One row per event (all of them unless `events` is given)."""
    return [event_row(ds, e) for e in (ds.events if events is None else events)]


def claim_row(ds: Dataset, c: Claim) -> dict[str, Any]:
    """One claim as a row: CLAIM_COLUMNS (its own quote first), then numbered columns for any
    further citation. Lists are joined with ";"."""
    first, *more = c.citations
    src = ds.sources.get(first.source)
    return {
        "id": c.id,
        "label": c.label,
        "topics": ";".join(c.topics),
        "source": first.source,
        "source_title": src.meta.title if src else "",
        "quote": flat(first.quote),
        "features": ";".join(c.features),
        "events": ";".join(c.events),
        "figures": ";".join(c.figures),
        **citation_cells(ds, more, start=2),
    }


def claim_rows(ds: Dataset, claims: Iterable[Claim] | None = None) -> list[dict[str, Any]]:
    """One row per claim (all of them unless `claims` is given)."""
    return [claim_row(ds, c) for c in (ds.claims if claims is None else claims)]


def disagreement_row(ds: Dataset, d: Disagreement) -> dict[str, Any]:
    """One disagreement as a row: DISAGREEMENT_COLUMNS, then per version N its value, source,
    source title and quote (`version_N_value`, `version_N_source`, …, `version_N_quote`)."""
    row: dict[str, Any] = {
        "id": d.id,
        "matter": d.topic,
        "topics": ";".join(d.topics),
        "kind": d.kind,
        "kind_label": DISAGREEMENT_LABEL[d.kind],
        "note": d.note,
        "features": ";".join(d.features),
    }
    for n, v in enumerate(d.versions, start=1):
        src = ds.sources.get(v.citation.source)
        row[f"version_{n}_value"] = v.value
        row[f"version_{n}_source"] = v.citation.source
        row[f"version_{n}_source_title"] = src.meta.title if src else ""
        row[f"version_{n}_quote"] = flat(v.citation.quote)
    return row


def disagreement_rows(
    ds: Dataset, disagreements: Iterable[Disagreement] | None = None
) -> list[dict[str, Any]]:
    """One row per disagreement (all of them unless `disagreements` is given)."""
    return [
        disagreement_row(ds, d)
        for d in (ds.disagreements if disagreements is None else disagreements)
    ]


def source_rows(ds: Dataset) -> list[dict[str, Any]]:
    """One row per source document: what it states about itself (SOURCE_COLUMNS)."""
    return [s.meta.model_dump(mode="json") for s in ds.sources.values()]


def columns_of(rows: list[dict[str, Any]], base: Iterable[str] = ()) -> list[str]:
    """`base`, then every other key of the rows in the order first seen."""
    return list(dict.fromkeys([*base, *(k for row in rows for k in row)]))


def to_csv_bytes(rows: list[dict[str, Any]], columns: Iterable[str] | None = None) -> bytes:
    """Rows as CSV bytes for spreadsheets (geo.csvsafe: UTF-8 with a BOM, formula-like cells
    neutralised). All CSV the atlas writes goes through here.

    `columns` orders the header; keys of the rows beyond it follow, in the order first seen.
    """
    return csv_bytes(columns_of(rows, columns or ()), rows)


def chart_rows(ds: Dataset, chart: Chart) -> list[dict[str, Any]]:
    """The chart's data with its citations, for its CSV (CHART_COLUMNS).

    A figure's row is the data pack's own; computed and measured values follow, each with a note
    saying how it was obtained.
    """
    rows = []
    for f in chart.figures:
        src = ds.sources.get(f.citation.source)
        publisher = (src.meta.publisher or "not stated") if src else ""
        rows.append({"chart": chart.id, **figure_row(ds, f), "publisher": publisher, "note": ""})
    rows += [{"chart": chart.id, **d} for d in chart.derived]
    return rows


CHART_COLUMNS = ["chart", *FIGURE_COLUMNS, "publisher", "note"]
