"""A file that says what failed, in the format the reader asked for.

A download built when asked for (Streamlit's deferred download) that raises leaves the reader
with Streamlit's own "Failed to generate file" and nothing about why. Every builder of an image
the atlas offers catches its failure and hands back this instead: an image (or document) whose
only content is the atlas's message, so that what the reader opens tells them what went wrong.
"""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from geo.labels import FONT_DIR
from geo.text import h

SIZE = (1200, 400)


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), size)
    except OSError:
        return ImageFont.load_default()


def failure_file(fmt: str, message: str) -> bytes:
    """`message` as a PNG, SVG or PDF page (plain UTF-8 text for any other format)."""
    lines = ["Iran–Pakistan Corridor Atlas", *textwrap.wrap(message, 70),
             "Nothing was wrong with your request; please try again, or tell the atlas's team."]  # fmt: skip
    if fmt == "svg":
        body = "".join(
            f'<text x="40" y="{60 + 40 * i}" font-family="DejaVu Sans, sans-serif" '
            f'font-size="{26 if i == 0 else 20}">{h(line)}</text>'
            for i, line in enumerate(lines)
        )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE[0]}" height="{SIZE[1]}">'
            f'<rect width="100%" height="100%" fill="white"/>{body}</svg>'
        ).encode()
    if fmt not in ("png", "pdf"):
        return ("\n".join(lines) + "\n").encode()
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 40 * i), line, fill="#1d2327", font=_font(26 if i == 0 else 20))
    out = io.BytesIO()
    image.save(out, format="PDF" if fmt == "pdf" else "PNG")
    return out.getvalue()
