"""Briefs: every statement a verbatim quote with a note that resolves, in Word and PDF alike.

The fast tests give the brief small stand-in images (so no Chromium starts) and read the files
back with python-docx and pypdf; the slow ones render the real map and charts with kaleido,
through the command a desk scripts.
"""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import unicodedata
from datetime import date

import pytest
from docx import Document
from PIL import Image as PILImage
from pypdf import PdfReader

from geo import brief as briefs
from geo import briefimages, briefmodel
from geo.__main__ import main
from geo.briefdocx import docx_bytes
from geo.briefpdf import brief_html, html_to_pdf, pdf_bytes
from geo.dataset import load_dataset
from geo.sources import normalise
from tests.conftest import FIXTURES, ROOT, overlay

PIPELINE = "ip-gas-pipeline-pakistan-leg"
ON = date(2026, 12, 1)


def stand_in_png(colour: str) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (320, 180), colour).save(out, "PNG")
    return out.getvalue()


def smallest_font_px(fig) -> float:
    """The smallest text size a figure sets, in CSS px: its font, legend, annotations (names,
    source line) and trace text (the scale bar's length)."""
    sizes = [fig.layout.font.size, fig.layout.legend.font.size]
    sizes += [a.font.size for a in fig.layout.annotations if a.font]
    sizes += [t.textfont.size for t in fig.data if getattr(t, "textfont", None)]
    return min(s for s in sizes if s)


def printed_pt(image: briefmodel.Image, px: float) -> float:
    """`px` CSS px of the image's figure, in points as printed across the brief's text width."""
    return px * briefimages.PRINTED_PT / image.figure.layout.width


def with_stand_in_images(b: briefmodel.Brief) -> briefmodel.Brief:
    """The brief with small plain images, so the writers run without a browser."""
    colours = ["#336699", "#993366", "#669933", "#996633", "#339966"]
    b.images = [
        briefmodel.Image(
            i.id, i.title, i.source_line, None, i.size, i.scale, stand_in_png(colours[n % 5])
        )
        for n, i in enumerate(b.images)
    ]
    return b


def squash(text: str) -> str:
    """Extracted text with its line breaks folded (a break after a hyphen joins the words) and
    typographic ligatures (the PDF's "ﬀ" in "traﬀicking") read as their letters."""
    text = unicodedata.normalize("NFKC", text)
    return normalise(re.sub(r"\s+", " ", re.sub(r"-[ \t]*\n\s*", "-", text)))


def pdf_text(reader: PdfReader) -> str:
    """The PDF's text in reading order, then each column of text again on its own.

    Side-by-side table cells come out of a PDF line by line across the row; the lines of one
    cell share their left edge, so gathering lines by page and left edge gives each cell whole.
    """
    flow = "\n".join(p.extract_text() for p in reader.pages)
    columns: dict[tuple[int, float], list[tuple[float, str]]] = {}
    for number, page in enumerate(reader.pages):

        def visit(text, cm, tm, font, size, number=number):
            x = round(tm[4] * cm[0] + tm[5] * cm[2] + cm[4], 1)
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip():
                columns.setdefault((number, x), []).append((-y, text))

        page.extract_text(visitor_text=visit)
    cells = [
        "".join(t if t.endswith("\n") else t + " " for _, t in sorted(v)) for v in columns.values()
    ]
    return squash(flow) + "\n" + "\n".join(squash(c) for c in cells)


def pdf_images(reader: PdfReader) -> list:
    """The distinct images of a PDF (pages may share one resource dictionary that lists all)."""
    seen: dict[bytes, object] = {}
    for page in reader.pages:
        for img in page.images:
            seen.setdefault(img.data, img)
    return list(seen.values())


def assert_quotes_verbatim(ds, b: briefmodel.Brief) -> None:
    for q in b.quotes:
        note = b.notes[q.note - 1]
        assert note.number == q.note
        # The quote is in the note's own source document, word for word.
        assert normalise(q.text) in normalise(ds.sources[note.source].text), (q.note, q.text)
        assert note.quote == q.text


def test_feature_brief_quotes_every_citation_verbatim_with_a_note_from_its_source(ds):
    b = briefs.feature_brief(ds, PIPELINE, ON)
    feature = ds.feature(PIPELINE)
    assert_quotes_verbatim(ds, b)
    quoted = {normalise(q.text) for q in b.quotes}
    for c in feature.props.citations:
        assert normalise(c.quote) in quoted
    # One numbering: 1..N, each number used, no passage numbered twice.
    assert [n.number for n in b.notes] == list(range(1, len(b.notes) + 1))
    assert {q.note for q in b.quotes} | {
        n for m in b.summary for _, ns in m.pieces for n in ns
    } == {n.number for n in b.notes}
    assert len({(n.source, n.quote) for n in b.notes}) == len(b.notes)


def test_feature_brief_summary_markers_become_the_note_numbers_of_their_quotes(ds):
    b = briefs.feature_brief(ds, PIPELINE, ON)
    feature = ds.feature(PIPELINE)
    quote_note = {normalise(q.text): q.note for q in b.sections[0][1][0].quotes}
    expected = [
        quote_note[normalise(feature.props.citations[int(n) - 1].quote)]
        for n in re.findall(r"\[(\d+)\]", feature.props.summary)
    ]
    got = [n for m in b.summary for _, ns in m.pieces for n in ns]
    assert got == expected
    text = "".join(t for m in b.summary for t, _ in m.pieces)
    assert "[" not in text and text.startswith("The Iran–Pakistan pipeline project")


def as_of_text_of(ds, b: briefmodel.Brief) -> str:
    """geo.asof's sentence over every source the brief's notes cite and the events it lists."""
    from geo.asof import as_of

    events = [e for h, items in b.sections if h == "Events" for e in ds.events
              if any(i.heading.endswith(e.title) for i in items)]  # fmt: skip
    sources = {n.source for n in b.notes}
    counted = as_of(ds, [f for f in ds.features if f.id == PIPELINE] + events)
    assert set(counted.undated_sources) <= {ds.sources[s].meta.short_name for s in sources}
    return counted.text()


def test_pipeline_brief_carries_its_disagreements_events_chart_and_as_of(ds):
    b = briefs.feature_brief(ds, PIPELINE, ON)
    topics = [d.topic for d in b.differences]
    assert "Status of the Iran–Pakistan gas pipeline" in topics
    for d in b.differences:
        assert len(d.versions) >= 2 and d.kind
        disagreement = next(x for x in ds.disagreements if x.topic == d.topic)
        assert [v for _, v, _ in d.versions] == [v.value for v in disagreement.versions]
    assert "Events" in [h for h, _ in b.sections]
    assert [i.id for i in b.images][:2] == ["map", "pipeline"]
    assert b.as_of == as_of_text_of(ds, b)
    assert "26 Oct 2025" in b.as_of and "state no date" in b.as_of
    # The placement note is the atlas's, never among the quotes.
    placement = ds.feature(PIPELINE).props.geometry_source
    assert any(placement in n for n in b.atlas_notes)
    assert all(placement not in q.text for q in b.quotes)


def test_status_without_a_source_is_the_atlas_note_not_a_quote(ds):
    feature = next(f for f in ds.features if f.props.status_basis is None)
    b = briefs.feature_brief(ds, feature.id, ON)
    assert b.status.quotes == () and b.status.atlas_note == feature.props.status_note
    assert "not stated by the sources" in b.status.heading


def event_dates(b: briefmodel.Brief) -> list[str]:
    """The date (or "undated") that heads each event of the brief, in printed order."""
    items = next((items for heading, items in b.sections if heading == "Events"), [])
    return [re.match(r"\d{4}(?:-\d{2}){0,2}|undated", i.heading)[0] for i in items]


def test_events_are_in_date_order_with_the_undated_last(ds):
    # The pipeline's own events and those its claims name: a claim's 2013 event was printed
    # after the 2024 one and after an undated one.
    dates = event_dates(briefs.feature_brief(ds, PIPELINE, ON))
    assert dates == ["2009", "2013", "2014", "2024", "undated"]
    for topic in briefs.topics(ds):
        dates = event_dates(briefs.topic_brief(ds, topic, ON))
        dated = [d for d in dates if d != "undated"]
        assert dates == sorted(dated) + ["undated"] * (len(dates) - len(dated)), topic


def test_the_status_note_is_printed_once(ds):
    b = with_stand_in_images(briefs.feature_brief(ds, PIPELINE, ON))
    note = normalise(ds.feature(PIPELINE).props.status_note)
    doc = Document(io.BytesIO(docx_bytes(b)))
    docx_text = normalise("\n".join(p.text for p in doc.paragraphs))
    assert docx_text.count(note) == 1
    reader = PdfReader(io.BytesIO(pdf_bytes(b)))
    flow = squash("\n".join(p.extract_text() for p in reader.pages))
    assert flow.count(squash(note)) == 1


def test_topic_brief_quotes_verbatim_and_names_its_map_and_charts(ds):
    for topic in briefs.topics(ds):
        b = briefs.topic_brief(ds, topic, ON)
        assert_quotes_verbatim(ds, b)
        assert b.notes and b.sources
    energy = briefs.topic_brief(ds, "energy", ON)
    assert {"map", "pipeline"} <= {i.id for i in energy.images}


def test_a_topic_briefs_map_is_titled_with_the_topic(ds):
    for topic in briefs.topics(ds):
        b = briefs.topic_brief(ds, topic, ON)
        for image in b.images[:1]:
            if image.id != "map":
                continue
            title = image.figure.layout.title.text
            assert title.startswith(briefs.topic_label(topic) + ":"), title
            assert "what crosses it" not in title
    # A feature's brief keeps the map's own title, its feature highlighted under it.
    title = briefs.feature_brief(ds, PIPELINE, ON).images[0].figure.layout.title.text
    assert title.startswith("Iran–Pakistan border: what crosses it<br>")


def test_unknown_feature_or_topic_is_named_in_the_error(ds):
    with pytest.raises(briefmodel.UnknownSubject, match="unknown feature id 'gas-pipe'"):
        briefs.feature_brief(ds, "gas-pipe")
    with pytest.raises(briefmodel.UnknownSubject, match="unknown topic 'weather'"):
        briefs.topic_brief(ds, "weather")


def test_docx_holds_every_quote_verbatim_numbered_notes_and_the_images(ds):
    b = with_stand_in_images(briefs.feature_brief(ds, PIPELINE, ON))
    doc = Document(io.BytesIO(docx_bytes(b)))
    paragraphs = doc.paragraphs
    text = "\n".join(p.text for p in paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for q in b.quotes:
        assert normalise(q.text) in normalise(text + "\n" + cells), q.text
    # Every superscript number names a note, and every note is listed with its full reference.
    supers = [r.text for p in paragraphs for r in p.runs if r.font.superscript]
    supers += [r.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
               for r in p.runs if r.font.superscript]  # fmt: skip
    numbers = {int(n) for s in supers for n in s.strip(",").split(",")}
    assert numbers == {n.number for n in b.notes}
    for n in b.notes:
        assert f"{n.number}. {n.reference()}." in text
    assert "date not stated" in text and "https://rasanah-iiis.org/english/?p=13758" in text
    assert len(doc.inline_shapes) == len(b.images) >= 2
    assert b.as_of in text and "Made on 2026-12-01" in text
    assert b.as_of in doc.sections[0].footer.paragraphs[0].text
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert {"Where the sources differ", "Notes", "Sources"} <= set(headings)


def test_brief_images_are_laid_out_at_their_printed_size_so_their_text_prints_at_7_pt(ds):
    # The map was laid out 1800 px wide and printed 174 mm wide: its town names printed at
    # 3.5 pt and its source line at 3 pt. Laid out about as wide as it prints, at twice the
    # device pixels, the renderer's 13-14 px text prints at 7-8 pt and stays sharp.
    for b in (briefs.feature_brief(ds, PIPELINE, ON), briefs.topic_brief(ds, "energy", ON)):
        assert b.images[0].id == "map" and len(b.images) >= 2
        for image in b.images:
            fig = image.figure
            assert (fig.layout.width, fig.layout.height) == image.size and image.scale == 2
            assert 7 <= printed_pt(image, smallest_font_px(fig)) <= 9, image.id
        footer = next(a for a in b.images[0].figure.layout.annotations if a.name == "source-line")
        assert printed_pt(b.images[0], footer.font.size) >= 7
        # The footer's lines fit the narrower image: none is wider, in its own font, than the
        # map it stands under (they ran off the right edge).
        import html

        from geo.chartlayout import text_px
        from geo.mapframe import MARGIN_L, MARGIN_R

        room = b.images[0].size[0] - MARGIN_L - MARGIN_R
        widest = max(text_px(html.unescape(line), 13) for line in footer.text.split("<br>"))
        assert widest <= room, (widest, room)


def test_docx_is_a4_like_the_pdf_with_its_images_across_the_text_width(ds):
    from docx.shared import Mm

    b = with_stand_in_images(briefs.feature_brief(ds, PIPELINE, ON))
    doc = Document(io.BytesIO(docx_bytes(b)))
    for section in doc.sections:
        # EMU rounding: within a tenth of a millimetre of 210 × 297 mm (Letter is 216 × 279).
        assert abs(section.page_width - Mm(210)) < Mm(0.1)
        assert abs(section.page_height - Mm(297)) < Mm(0.1)
        assert Mm(15) <= min(section.left_margin, section.right_margin, section.top_margin)
        text_width = section.page_width - section.left_margin - section.right_margin
        assert all(abs(s.width - text_width) < Mm(0.1) for s in doc.inline_shapes)
    box = PdfReader(io.BytesIO(pdf_bytes(b))).pages[0].mediabox
    assert [round(float(x) * 25.4 / 72) for x in (box.width, box.height)] == [210, 297]


def test_pdf_holds_every_quote_verbatim_the_notes_and_the_images(ds):
    b = with_stand_in_images(briefs.feature_brief(ds, PIPELINE, ON))
    reader = PdfReader(io.BytesIO(pdf_bytes(b)))
    text = pdf_text(reader)
    for q in b.quotes:
        assert squash(q.text) in text, q.text
    # A URL may break at any slash, so a note is compared without its spaces.
    flat = re.sub(r"\s+", "", text)
    for n in b.notes:
        assert re.sub(r"\s+", "", n.reference()) in flat, n.number
    assert len(pdf_images(reader)) == len(b.images)
    assert squash(b.as_of) in text


def test_text_from_the_data_is_never_live_markup_in_a_brief(tmp_path):
    hostile = load_dataset(overlay(FIXTURES / "hostile", tmp_path / "data"))
    # (The fixture's disagreements may lag the model; only its hostile feature is needed here.)
    assert hostile.feature("hostile-port") is not None
    b = with_stand_in_images(briefs.feature_brief(hostile, "hostile-port", ON))
    html = brief_html(b)
    assert "<script" not in html and "<img src=x" not in html and "<svg" not in html
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in html
    doc = Document(io.BytesIO(docx_bytes(b)))
    text = "\n".join(p.text for p in doc.paragraphs)
    # Word shows the text as text: the payload is there, literally.
    assert '<img src=x onerror="window.__xss=1">' in text
    pdf = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes(b))).pages))
    assert squash("<script>window.__xss=2</script>") in pdf


def test_a_brief_fetches_nothing_an_address_in_its_markup_names(ds):
    """Even markup that got into the HTML (an image, a stylesheet) makes no connection."""
    b = with_stand_in_images(briefs.feature_brief(ds, PIPELINE, ON))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        html = (
            brief_html(b)
            .replace("</head>", f"<link rel='stylesheet' href='{url}/s.css'></head>")
            .replace("</body>", f"<img src='{url}/x.png'><img src='file:///etc/hostname'></body>")
        )
        pdf = html_to_pdf(html)
        with pytest.raises(BlockingIOError):
            listener.accept()
    # The brief's own images, inline as data: URIs, are all there; nothing else is.
    assert len(pdf_images(PdfReader(io.BytesIO(pdf)))) == len(b.images)


def test_cli_exits_2_with_one_line_naming_an_unknown_id_topic_or_suffix(tmp_path, capsys):
    out = tmp_path / "b.docx"
    assert main(["brief", "--feature", "gas-pipe", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "brief: unknown feature id 'gas-pipe'"
    assert main(["brief", "--topic", "weather", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "'weather'" in err
    assert main(["brief", "--topic", "energy", str(tmp_path / "b.txt")]) == 2
    assert "'" + str(tmp_path / "b.txt") + "'" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_cli_writes_the_pipeline_brief_with_its_real_map_and_chart(ds, tmp_path, suffix):
    out = tmp_path / f"pipeline{suffix}"
    run = subprocess.run(
        [sys.executable, "-m", "geo", "brief", "--feature", PIPELINE, str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    # choreographer's watchdog logs this whenever the browser ends, so it came with every run.
    assert "Browser is being closed by watchdog" not in run.stderr
    b = briefs.feature_brief(ds, PIPELINE)
    if suffix == ".docx":
        doc = Document(str(out))
        assert len(doc.inline_shapes) == len(b.images)
        # Printed across the text width, its height from the rendered image's aspect.
        shape = doc.inline_shapes[0]
        assert 0.5 * shape.width < shape.height < 1.2 * shape.width
        # The PNG in the file has twice the pixels of the width its text was laid out in, and
        # that text prints at 7 pt or more: the map's town names, its source line and its
        # boundary note (13 px), measured on the printed width of the picture in the file.
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        png = PILImage.open(io.BytesIO(doc.part.related_parts[rid].blob))
        css_width = b.images[0].figure.layout.width
        assert png.width == 2 * css_width
        assert smallest_font_px(b.images[0].figure) * shape.width.pt / css_width >= 7
        text = "\n".join([p.text for p in doc.paragraphs] + [
            c.text for t in doc.tables for row in t.rows for c in row.cells
        ])  # fmt: skip
    else:
        reader = PdfReader(str(out))
        images = pdf_images(reader)
        assert len(images) == len(b.images)
        assert min(img.image.width for img in images) >= 1600
        text = pdf_text(reader)
    for q in b.quotes:
        assert squash(q.text) in squash(text)


def test_map_panel_offers_the_brief_in_word_and_pdf_named_for_the_feature():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["feature"] = PIPELINE
    at.run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Download a brief (Word)", "Download a brief (PDF)"} <= set(buttons)
    assert PIPELINE in buttons["Download a brief (Word)"].id


def test_brief_map_marks_the_feature_it_is_about_under_the_atlas_symbols(ds):
    # One feature: the map renderer's own selection marks it, as on the map page's download.
    b = briefs.feature_brief(ds, "gabd-rimdan-crossing", ON)
    fig = b.images[0].figure
    chosen = [t for t in fig.data if t.meta == "selected"]
    assert chosen
    lon, lat = ds.feature("gabd-rimdan-crossing").geometry["coordinates"][:2]
    assert any((lon, lat) == (t.lon[0], t.lat[0]) for t in chosen if t.lon)
    assert not [t for t in fig.data if t.meta == "brief-halo"]
    # A topic: the brief's own band, drawn before (under) every feature symbol of the map.
    fig = briefs.topic_brief(ds, "energy", ON).images[0].figure
    metas = [t.meta for t in fig.data]
    halo = [t for t in fig.data if t.meta == "brief-halo"]
    assert halo and halo[0].showlegend
    assert metas.index("brief-halo") < min(
        i for i, m in enumerate(metas) if str(m).startswith("kind:")
    )


def test_topics_page_offers_the_topic_brief_in_word_and_pdf():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/topics.py")
    at.query_params["topic"] = "energy"
    at.run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Download a brief (Word)", "Download a brief (PDF)"} <= set(buttons)
    assert "energy" in buttons["Download a brief (PDF)"].id
