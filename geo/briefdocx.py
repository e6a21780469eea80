"""A brief as a Word document (python-docx), editable in Word and LibreOffice.

python-docx writes every run as XML text, so data text is never markup; characters XML 1.0
cannot hold (control characters) are dropped first, or the file would not open. Note numbers are
superscript runs; the notes and the sources close the document.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from geo.briefmodel import Brief, Item, Quote

ATLAS_GREY = RGBColor(0x4A, 0x4F, 0x55)
# A4 with the PDF's margins (geo/briefpdf.py's @page): python-docx's template is US Letter, so
# the two formats of one brief printed on different paper. The images span the text width,
# 174 mm, as in the PDF, so a map prints its names at the same size in both.
PAGE_MM = (210, 297)
MARGIN_MM = {"left": 18, "right": 18, "top": 18, "bottom": 20}
IMAGE_MM = PAGE_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"]
# XML 1.0 forbids these; python-docx would raise on them rather than write a broken file.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
KEY = (
    "Quoted text is the sources' own words, verbatim; each number names a note giving its full "
    "reference. Headings and text marked “Atlas's note” are the atlas's own words."
)


def clean(text: object) -> str:
    """Text safe for a Word document: characters XML cannot hold removed."""
    return _NOT_XML.sub("", str(text))


def _notes(paragraph, numbers) -> None:
    for i, n in enumerate(numbers):
        run = paragraph.add_run(("," if i else "") + str(n))
        run.font.superscript = True


def _quote(doc, q: Quote) -> None:
    p = doc.add_paragraph(style="Quote")
    p.add_run(f"“{clean(q.text)}”")
    _notes(p, [q.note])


def _atlas(doc, text: str) -> None:
    p = doc.add_paragraph()
    label = p.add_run("Atlas's note: ")
    label.bold = True
    run = p.add_run(clean(text))
    run.italic = True
    for r in (label, run):
        r.font.color.rgb = ATLAS_GREY


def _item(doc, item: Item) -> None:
    if item.heading:
        p = doc.add_paragraph()
        p.add_run(clean(item.heading)).bold = True
    for q in item.quotes:
        _quote(doc, q)
    if item.atlas_note:
        _atlas(doc, item.atlas_note)


def docx_bytes(brief: Brief) -> bytes:
    """The brief as .docx bytes; its images must have been rendered (geo.briefimages.render_images)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side, mm in MARGIN_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = clean(f"Brief: {brief.title}")
    doc.core_properties.subject = clean(brief.subtitle)
    doc.core_properties.author = "Iran–Pakistan Corridor Atlas"
    # Every page carries the as-of and the date made, as the printed pages do.
    footer = section.footer.paragraphs[0]
    footer.text = clean(f"{brief.as_of} Brief made {brief.made_on.isoformat()}.")
    footer.runs[0].font.size = Pt(8)

    doc.add_heading(clean(brief.title), level=0)
    doc.add_paragraph(clean(brief.subtitle))
    meta = doc.add_paragraph()
    meta.add_run(f"Made on {brief.made_on.isoformat()}. ").bold = True
    meta.add_run(clean(brief.as_of))
    if brief.facts:
        doc.add_paragraph(clean(" · ".join(brief.facts)) + " (the atlas's classification)")
    key = doc.add_paragraph()
    key.add_run(KEY).italic = True

    if brief.images_missing:
        _atlas(doc, brief.images_missing)
    for image in brief.images[:1]:
        _image(doc, image)
    if brief.summary:
        doc.add_heading("In brief", level=1)
        _atlas(
            doc, "these sentences restate the quotes below and add nothing; the numbers name them."
        )
        for marked in brief.summary:
            p = doc.add_paragraph()
            for text, numbers in marked.pieces:
                p.add_run(clean(text))
                _notes(p, numbers)
    if brief.status:
        doc.add_heading("Status", level=1)
        _item(doc, brief.status)
    for heading, items in brief.sections:
        doc.add_heading(clean(heading), level=1)
        for item in items:
            _item(doc, item)
    if brief.differences:
        doc.add_heading("Where the sources differ", level=1)
        for d in brief.differences:
            doc.add_heading(clean(d.topic), level=2)
            table = doc.add_table(rows=3, cols=len(d.versions))
            table.style = "Table Grid"
            for col, (who, value, q) in enumerate(d.versions):
                table.cell(0, col).paragraphs[0].add_run(clean(who)).bold = True
                table.cell(1, col).paragraphs[0].add_run(clean(value)).italic = True
                cell = table.cell(2, col).paragraphs[0]
                cell.add_run(f"“{clean(q.text)}”")
                _notes(cell, [q.note])
            _atlas(doc, f"the atlas reads this as: {d.kind}. {d.atlas_note}")
    charts = brief.images[1:]
    if charts:
        doc.add_heading("Charts", level=1)
        for image in charts:
            _image(doc, image)
    if brief.atlas_notes:
        doc.add_heading("The atlas's notes (not the sources' words)", level=1)
        for note in brief.atlas_notes:
            _atlas(doc, note)
    doc.add_heading("Notes", level=1)
    for n in brief.notes:
        p = doc.add_paragraph()
        p.add_run(f"{n.number}. ").bold = True
        p.add_run(clean(n.reference()) + ".")
    doc.add_heading("Sources", level=1)
    for line in brief.sources:
        doc.add_paragraph(clean(line), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _image(doc, image) -> None:
    if image.png is None:
        raise ValueError(
            f"image {image.id!r} is not rendered; call geo.briefimages.render_images first"
        )
    doc.add_picture(io.BytesIO(image.png), width=Mm(IMAGE_MM))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap = doc.add_paragraph()
    cap.add_run(clean(image.title) + ". ").bold = True
    cap.add_run(clean(image.source_line))
    for r in cap.runs:
        r.font.size = Pt(8.5)
