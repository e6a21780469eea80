"""Making text from data safe to show: as Markdown in Streamlit, as HTML in map popups."""

from __future__ import annotations

import html
import re

# Every character Markdown (and Streamlit's `$…$` LaTeX and `:color[…]` directives) gives a
# meaning to; escaping them all makes data text render as itself.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def md(text: object) -> str:
    """Escape text for st.markdown so that it is shown literally, never interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def h(text: object) -> str:
    """Escape text for HTML, quotes included, so it is safe in content and attributes."""
    return html.escape(str(text), quote=True)
