"""A brief as a PDF: escaped HTML and CSS laid out by WeasyPrint, with nothing fetched.

Every text from the data goes through geo.text.h; images are embedded as data: URIs; fonts are
the system's (DejaVu, from fontconfig); and the URL fetcher refuses anything but data: URIs, so
a brief never reaches the network, whatever its text says.
"""

from __future__ import annotations

import base64

from geo.briefdocx import KEY, clean
from geo.briefmodel import Brief, Item, Quote
from geo.text import h

CSS = """
@page { size: A4; margin: 18mm 18mm 20mm 18mm;
  @bottom-left { content: element(footer); width: 80%; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt 'DejaVu Sans'; color: #555; } }
body { font: 9.5pt/1.45 'DejaVu Sans', sans-serif; color: #1d2327; }
.footer { position: running(footer); font-size: 7.5pt; color: #555; }
h1 { font-size: 19pt; margin: 0 0 2pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 1px solid #c9ced3; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 10pt 0 3pt; break-after: avoid; }
.subtitle, .meta { margin: 0 0 3pt; }
.key { font-style: italic; color: #4a4f55; }
blockquote { margin: 3pt 0 5pt 10pt; padding-left: 8pt; border-left: 3px solid #8da9c4; }
.atlas { color: #4a4f55; font-style: italic; margin: 3pt 0; }
.atlas b { font-style: normal; }
.heading { font-weight: bold; margin: 6pt 0 1pt; break-after: avoid; }
figure { margin: 6pt 0 10pt; break-inside: avoid; }
figure img { width: 100%; }
figcaption { font-size: 8pt; color: #3b3b3b; }
table { border-collapse: collapse; width: 100%; margin: 3pt 0; break-inside: avoid; }
td { border: 1px solid #b7bec5; padding: 4pt; vertical-align: top; width: 33%; }
.notes li, .sources li { margin-bottom: 2pt; font-size: 8.5pt; }
sup { font-size: 70%; line-height: 0; }
"""


def _notes(numbers) -> str:
    return "".join(f"<sup>{','.join(str(n) for n in numbers)}</sup>") if numbers else ""


def _quote(q: Quote) -> str:
    return f"<blockquote>“{h(clean(q.text))}”{_notes([q.note])}</blockquote>"


def _atlas(text: str) -> str:
    return f"<p class='atlas'><b>Atlas's note:</b> {h(clean(text))}</p>"


def _item(item: Item) -> str:
    out = f"<p class='heading'>{h(clean(item.heading))}</p>" if item.heading else ""
    out += "".join(_quote(q) for q in item.quotes)
    return out + (_atlas(item.atlas_note) if item.atlas_note else "")


def _image(image) -> str:
    if image.png is None:
        raise ValueError(
            f"image {image.id!r} is not rendered; call geo.briefimages.render_images first"
        )
    data = base64.b64encode(image.png).decode("ascii")
    return (
        f"<figure><img src='data:image/png;base64,{data}' alt='{h(clean(image.title))}'>"
        f"<figcaption><b>{h(clean(image.title))}.</b> {h(clean(image.source_line))}</figcaption></figure>"
    )


def brief_html(brief: Brief) -> str:
    """The brief as one self-contained, escaped HTML document (images inline)."""
    parts = [
        f"<div class='footer'>{h(clean(brief.as_of))} Brief made {brief.made_on.isoformat()}.</div>",
        f"<h1>{h(clean(brief.title))}</h1>",
        f"<p class='subtitle'>{h(clean(brief.subtitle))}</p>",
        f"<p class='meta'><b>Made on {brief.made_on.isoformat()}.</b> {h(clean(brief.as_of))}</p>",
    ]
    if brief.facts:
        parts.append(
            f"<p class='meta'>{h(clean(' · '.join(brief.facts)))} (the atlas's classification)</p>"
        )
    parts.append(f"<p class='key'>{h(KEY)}</p>")
    if brief.images_missing:
        parts.append(_atlas(brief.images_missing))
    parts += [_image(i) for i in brief.images[:1]]
    if brief.summary:
        parts.append("<h2>In brief</h2>")
        parts.append(
            _atlas(
                "these sentences restate the quotes below and add nothing; the numbers name them."
            )
        )
        for marked in brief.summary:
            parts.append(
                "<p>" + "".join(h(clean(t)) + _notes(n) for t, n in marked.pieces) + "</p>"
            )
    if brief.status:
        parts += ["<h2>Status</h2>", _item(brief.status)]
    for heading, items in brief.sections:
        parts.append(f"<h2>{h(clean(heading))}</h2>")
        parts += [_item(i) for i in items]
    if brief.differences:
        parts.append("<h2>Where the sources differ</h2>")
        for d in brief.differences:
            parts.append(f"<h3>{h(clean(d.topic))}</h3><table>")
            parts.append(
                "<tr>"
                + "".join(f"<td><b>{h(clean(w))}</b></td>" for w, _, _ in d.versions)
                + "</tr>"
            )
            parts.append(
                "<tr>"
                + "".join(f"<td><i>{h(clean(v))}</i></td>" for _, v, _ in d.versions)
                + "</tr>"
            )
            parts.append(
                "<tr>"
                + "".join(
                    f"<td>“{h(clean(q.text))}”{_notes([q.note])}</td>" for _, _, q in d.versions
                )
                + "</tr></table>"
            )
            parts.append(_atlas(f"the atlas reads this as: {d.kind}. {d.atlas_note}"))
    if brief.images[1:]:
        parts.append("<h2>Charts</h2>")
        parts += [_image(i) for i in brief.images[1:]]
    if brief.atlas_notes:
        parts.append("<h2>The atlas's notes (not the sources' words)</h2>")
        parts += [_atlas(n) for n in brief.atlas_notes]
    parts.append("<h2>Notes</h2><ol class='notes'>")
    parts += [f"<li value='{n.number}'>{h(clean(n.reference()))}.</li>" for n in brief.notes]
    parts.append("</ol><h2>Sources</h2><ul class='sources'>")
    parts += [f"<li>{h(clean(s))}</li>" for s in brief.sources]
    parts.append("</ul>")
    title = h(clean(f"Brief: {brief.title}"))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta name='author' content='Iran–Pakistan Corridor Atlas'>"
        f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def pdf_bytes(brief: Brief) -> bytes:
    """The brief as PDF bytes; its images must have been rendered (geo.briefimages.render_images)."""
    return html_to_pdf(brief_html(brief))


def html_to_pdf(html: str) -> bytes:
    """Lay out self-contained HTML as PDF, fetching nothing: only data: URIs are read."""
    # Imported here: it loads Pango, which only this needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # WeasyPrint refuses (and logs) any other address that markup might name.
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
