"""The Sources and About tables: no raw CSV from Streamlit's toolbar, the atlas's own instead."""

from __future__ import annotations

import csv
import io
import tomllib

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_csvsafe import PAYLOADS, hostile_copy


def test_the_table_toolbar_export_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def test_each_table_offers_the_atlas_csv_and_it_is_formula_safe(monkeypatch, data_copy):
    from geo.dataset import load_dataset
    from pages._shared import sources_frame, table_csv

    data = hostile_copy(data_copy)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data))
    for page, expected in (
        ("pages/about.py", {"Download the sources table (CSV)", "Download the layers table (CSV)"}),
        ("pages/sources.py", {"Download the sources table (CSV)"}),
    ):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.switch_page(page)
        at.run()
        assert not at.exception
        labels = {b.proto.label for b in at.get("download_button")}
        assert expected <= labels, labels

    raw = table_csv(sources_frame(load_dataset(data)))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    flat = [cell for row in rows for cell in row]
    assert "'" + PAYLOADS[0] in flat and PAYLOADS[0] not in flat  # =HYPERLINK neutralised
    assert any(c.startswith("'" + PAYLOADS[3]) for c in flat)  # @SUM too
    assert not any(cell.startswith(("=", "+", "@")) for cell in flat)
