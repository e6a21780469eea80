"""Making text from data safe to show: as Markdown in Streamlit, HTML in map popups, Plotly labels."""

from __future__ import annotations

import html
import re

# Every character Markdown (and Streamlit's `$…$` LaTeX and `:color[…]` directives) gives a
# meaning to; escaping them all makes data text render as itself.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def md(text: object) -> str:
    """Escape text for st.markdown so that it is shown literally, never interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def plot(text: object) -> str:
    """Escape text for Plotly labels, hover text and annotations, which read a subset of HTML.

    Entities are shown as the characters they stand for, so data text reads as itself.
    """
    return html.escape(str(text), quote=False)


def h(text: object) -> str:
    """Escape text for HTML, quotes included, so it is safe in content and attributes."""
    return html.escape(str(text), quote=True)


def unplot(text: object) -> str:
    """Plotly label text back to plain text: its line breaks as spaces, its tags dropped, its
    entities as the characters they stand for (to show a chart's title in Markdown, via `md`)."""
    spaced = re.sub(r"<br\s*/?>", " ", str(text), flags=re.I)
    return html.unescape(re.sub(r"<[^>]*>", "", spaced))
