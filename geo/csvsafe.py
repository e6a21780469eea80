"""CSV for spreadsheets: UTF-8 with a byte-order mark, and no cell a spreadsheet runs.

Every CSV the atlas writes (chart downloads, the charts ZIP, the data pack) goes through
`csv_bytes`, so the rules live in one place:

- A UTF-8 BOM leads the file: without it Excel reads the bytes as its local code page, and the
  sources' en dashes and curly quotes turn to mojibake, so a "verbatim" quote would not be.
- A text cell that starts with = + - @, a tab or a carriage return is a formula to Excel,
  LibreOffice and Google Sheets (OWASP "CSV Injection"). Such a cell gets a leading single
  quote, which spreadsheets show as text and do not evaluate; the rest of the cell is unchanged.
- A real number stays a number: int and float values, and text that is wholly a plain decimal
  number such as "-12.5" or "+3", are written as they are, because a sign followed only by
  digits cannot call anything and a reader sorting a column of changes needs the negatives.
  "-1+2" or "-2e3*A1" are not plain numbers and are neutralised.
- Every text cell is written in double quotes (numbers are not). A spreadsheet set to split on
  semicolons, tabs or pipes (as in many locales) would otherwise cut an unquoted
  `x;=1+1;y` into cells of which `=1+1` is a live formula; in quotes it stays one cell, which
  starts with x.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should get it: formula-like text prefixed with a quote."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_bytes(columns: list[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Rows as CSV bytes with a header row: UTF-8 with BOM, every cell made safe.

    Keys of a row that are not in `columns` are left out.
    """
    buf = io.StringIO()
    buf.write(BOM)
    # QUOTE_NONNUMERIC quotes every str (safe_cell turns all text into str) and leaves int and
    # float bare, so numbers stay numbers and no separator inside text can split a cell.
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return buf.getvalue().encode("utf-8")
