"""The one CSV writer: BOM, neutralised cells, citations in numbered columns."""

from __future__ import annotations

import csv
import io

from geo.models import Citation, Event
from geo.rows import EVENT_COLUMNS, event_rows, figure_rows, to_csv_bytes


def read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_cells_that_start_like_a_formula_are_neutralised():
    hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    rows = [{"cell": v} for v in hostile] + [{"cell": "plain"}, {"cell": -5}]
    got = [r["cell"] for r in read(to_csv_bytes(rows))]
    assert got[:6] == ["'" + v for v in hostile]
    assert got[6:] == ["plain", "-5"]  # plain text and real numbers are left alone


def test_an_event_with_two_citations_gets_two_numbered_column_groups(ds):
    e = ds.events[0]
    two = Event(
        **{**e.model_dump(), "citations": [e.citations[0], Citation(source="tmp-rising-ties",
           quote="=cmd|' /C calc'!A0 a quote that looks like a formula")]}
    )  # fmt: skip
    rows = read(to_csv_bytes(event_rows(ds, [two]), EVENT_COLUMNS))
    assert list(rows[0])[: len(EVENT_COLUMNS)] == EVENT_COLUMNS
    assert rows[0]["source_1"] == e.citations[0].source
    assert rows[0]["source_2"] == "tmp-rising-ties"
    assert rows[0]["source_title_2"] == ds.sources["tmp-rising-ties"].meta.title
    assert rows[0]["quote_2"].startswith("'=cmd")
    assert "citations" not in rows[0]


def test_figure_rows_keep_the_contract_columns(ds):
    rows = read(to_csv_bytes(figure_rows(ds)))
    assert len(rows) == len(ds.figures)
    for row, f in zip(rows, ds.figures, strict=True):
        assert row["source"] == f.citation.source
        assert row["quote"] == " ".join(f.citation.quote.split())
