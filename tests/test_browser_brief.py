"""A brief in one click, and pages that print, in real Chromium against the real server.

The brief is downloaded from the map's feature panel and read back with python-docx; the
printed pages are Playwright's page.pdf (Chromium's own print), read back with pypdf.
"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from geo import brief as briefs
from geo.citations import passages
from geo.sources import normalise
from tests.browser import map_frame, settled
from tests.conftest import ARTIFACTS
from tests.test_brief import pdf_text, squash

pytestmark = pytest.mark.browser
PIPELINE = "ip-gas-pipeline-pakistan-leg"


def printed(page, name: str) -> tuple[str, int]:
    """Print the page as Chromium does for Ctrl+P (A4, print media); its text and sheet count."""
    data = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"print-{name}.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    return pdf_text(reader), len(reader.pages)


def test_the_gas_pipeline_brief_downloads_from_its_panel_with_every_quote(page, app_server, ds):
    page.goto(f"{app_server.url}/?feature={PIPELINE}")
    panel = page.locator(".st-key-panel")
    expect(panel.get_by_role("heading", name=ds.feature(PIPELINE).props.name)).to_be_visible(
        timeout=60_000
    )
    button = panel.get_by_role("button", name="Download a brief (Word)")
    expect(button).to_be_visible()
    expect(panel.get_by_role("button", name="Download a brief (PDF)")).to_be_visible()
    settled(page)
    with page.expect_download(timeout=120_000) as download:
        button.click()
    assert re.fullmatch(
        rf"iran-pakistan-atlas-brief-{PIPELINE}-\d{{4}}-\d{{2}}-\d{{2}}\.docx",
        download.value.suggested_filename,
    )
    doc = Document(download.value.path())
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    expected = briefs.feature_brief(ds, PIPELINE)
    for q in expected.quotes:
        assert normalise(q.text) in normalise(text + cells)
    for n in expected.notes:
        assert f"{n.number}. {n.reference()}." in text
    # The map and the charts: real images, as many as the brief has.
    assert len(doc.inline_shapes) == len(expected.images) >= 2
    assert expected.as_of in text
    assert "Where the sources differ" in text and "Sources" in text


def test_printing_the_map_gives_the_map_then_the_panel_and_quotes_without_the_sidebar(
    page, app_server, ds
):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{app_server.url}/?feature={PIPELINE}")
    map_frame(page)
    expect(
        page.locator(".st-key-panel").get_by_role("button", name="Download a brief (PDF)")
    ).to_be_visible()
    text, sheets = printed(page, "map")
    # On paper the map's zoom buttons are gone (they did nothing there and covered its corner).
    page.emulate_media(media="print")
    frame = map_frame(page)
    zoom = frame.locator(".leaflet-control-zoom")
    assert zoom.evaluate("(e) => getComputedStyle(e).display") == "none"
    # And the legend is open on paper (folded, it said nothing there): its rows are drawn.
    row = frame.locator(".atlas-legend details .atlas-legend-sym").first
    assert row.evaluate("(e) => e.checkVisibility()")
    page.emulate_media(media="screen")
    assert zoom.evaluate("(e) => getComputedStyle(e).display") != "none"
    assert not row.evaluate("(e) => e.checkVisibility()")  # folded on screen
    feature = ds.feature(PIPELINE)
    for c in feature.props.citations:
        assert squash(c.quote) in text
    # No sidebar (its layer picker and basemap choice), no controls, no download buttons.
    for screen_only in (
        "Layers shown",
        "Offline map",
        "Find a feature",
        "Download",
        "Image format",
    ):
        assert screen_only not in text
    # The map (its tiles, and its attribution) comes first, then the panel.
    assert text.index("OpenStreetMap contributors") < text.index(feature.props.name)
    first_sheet = PdfReader(ARTIFACTS / "print-map.pdf").pages[0]
    assert len(first_sheet.images) >= 2
    # The as-of and the address printed from, selection included.
    assert squash(briefs.as_of_text(ds)) in text
    assert f"Printedfrom{app_server.url}/?feature={PIPELINE}" in re.sub(r"\s+", "", text)
    # No sheet left mostly blank before the panel: it starts on the map's sheet, right under
    # it (a flex column used to be pushed whole onto the next sheet).
    first = squash(PdfReader(ARTIFACTS / "print-map.pdf").pages[0].extract_text())
    assert feature.props.name in first
    assert sheets >= 2


def test_printing_the_sources_page_gives_the_open_document_with_its_highlights(
    page, app_server, ds
):
    source = "complex-partnership"
    cited = passages(ds, source)
    last = cited[-1]  # the last passage, far below the screen box's scroll height
    page.goto(f"{app_server.url}/sources?source={source}&cite={last.key}")
    expect(page.locator("mark.atlas-focus").first).to_be_visible(timeout=60_000)
    text, _ = printed(page, "sources")
    # The whole document, not a blank or clipped box: its first and last lines are on paper.
    lines = [ln for ln in ds.sources[source].text.splitlines() if len(ln.strip()) > 30]
    assert squash(lines[0]) in text and squash(lines[-1]) in text
    for p in cited:
        assert squash(p.quote) in text
    assert "Printedfrom" + f"{app_server.url}/sources?source={source}" in re.sub(r"\s+", "", text)
    assert squash(briefs.as_of_text(ds)) in text
    # On paper the box is as tall as the text, and the highlights keep their colour.
    page.emulate_media(media="print")
    box = page.evaluate(
        "() => { const d = document.querySelector('.atlas-doc'), m = d.querySelector('mark.atlas-mark');"
        " const s = getComputedStyle(m);"
        " return [d.clientHeight, d.scrollHeight, s.printColorAdjust || s.webkitPrintColorAdjust,"
        " s.backgroundColor]; }"
    )
    assert box[0] == box[1] and box[1] > 640
    assert box[2] == "exact" and box[3] not in ("rgba(0, 0, 0, 0)", "transparent")
