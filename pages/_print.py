"""Pages that print: the app-wide print stylesheet and the line every printed page carries.

Printing drops what only works on screen (sidebar, header, toolbars, widgets, downloads),
lays columns one under the other (the map, then its panel and quotes), keeps highlights' colours
(the Sources page's own style lets its document box grow to the full text on paper), and shows
a line with the data's "as of" and the address the page was printed from.
"""

from __future__ import annotations

import streamlit as st

from geo.brief import as_of_text
from geo.models import Dataset
from geo.text import h

# Streamlit 1.67's test ids; a renamed one only brings the control back onto paper.
SCREEN_ONLY = (
    "[data-testid=stSidebar]",
    "[data-testid=stSidebarCollapsedControl]",
    "[data-testid=stHeader]",
    "[data-testid=stToolbar]",
    "[data-testid=stDecoration]",
    "[data-testid=stStatusWidget]",
    "[data-testid=stDownloadButton]",
    "[data-testid=stTextInput]",
    "[data-testid=stMultiSelect]",
    "[data-testid=stRadio]",
    "[data-testid=stSelectbox]",
    "[data-testid=stButton]",
    "[data-testid=stPills]",
    "[data-testid=stElementContainer]:has([data-testid=stButtonGroup])",  # pills, segmented
    "[data-testid=stSlider]",
    "[data-testid=stSegmentedControl]",
    "[data-testid=stCheckbox]",
    "[data-testid=stTabs] [role=tablist]",
    "[data-testid=stElementToolbar]",
    "[data-testid=stTooltipIcon]",
    ".modebar-container",
)
PRINT_CSS = (
    # On screen the print line's element takes no room at all (not even the gap between
    # elements), so no page moves by it.
    "<style>@media screen{[data-testid=stElementContainer]:has(.atlas-print-line),"
    ".atlas-print-line{display:none}}"
    "@media print{"
    "@page{margin:12mm}"
    # Streamlit sizes text in rem from 16 px: 13 px (about 10 pt) is a printed page's body text,
    # and puts the map and a feature's panel with its quotes on two A4 sheets instead of three.
    "html{font-size:13px !important}"
    f"{','.join(SCREEN_ONLY)}{{display:none !important}}"
    # Streamlit's app shell scrolls inside fixed-height boxes; on paper it must flow.
    "html,body,#root,[data-testid=stApp],[data-testid=stAppViewContainer],[data-testid=stMain],"
    "[data-testid=stMainBlockContainer]{height:auto !important;overflow:visible !important;"
    "position:static !important}"
    "[data-testid=stMainBlockContainer]{padding:0 !important;max-width:none !important}"
    # Block layout, not flex: Chromium moved a whole flex column (the panel) to the next sheet
    # rather than break inside it, leaving most of the first sheet blank.
    "[data-testid=stAppViewContainer],[data-testid=stMain],[data-testid=stLayoutWrapper],"
    "[data-testid=stHorizontalBlock],[data-testid=stColumn],[data-testid=stVerticalBlock],"
    "[data-testid=stVerticalBlockBorderWrapper]{display:block !important;width:auto !important;"
    "max-width:none !important}"
    "[data-testid=stElementContainer]{margin-bottom:.4rem}"
    "iframe{break-inside:avoid}"
    "[data-testid=stMarkdown] blockquote{break-inside:avoid}"
    "mark,.atlas-mark,.atlas-focus{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".atlas-print-line{display:block !important;font-size:9pt;color:#3b3b3b;"
    "border-bottom:1px solid #c9ced3;padding-bottom:3pt;margin-bottom:6pt}"
    "}</style>"
)
# The address changes as the reader clicks (the map's panel rewrites it without a rerun of
# this element), so it is read when printing starts, and once now for a printout that
# fires no beforeprint event.
ADDRESS_SCRIPT = (
    "<script>(function(){function fill(){document.querySelectorAll('.atlas-print-address')"
    ".forEach(function(el){el.textContent=window.location.href;});}"
    "if(!window.__atlasPrintAddress){window.__atlasPrintAddress=true;"
    "window.addEventListener('beforeprint',fill);"
    "window.matchMedia('print').addEventListener('change',function(e){if(e.matches)fill();});}"
    "fill();})();</script>"
)


def print_setup(ds: Dataset) -> None:
    """The print stylesheet and the print-only line with the data's as-of and the address."""
    line = (
        "<div class='atlas-print-line'>Iran–Pakistan Corridor Atlas · "
        f"{h(as_of_text(ds))} · Printed from <span class='atlas-print-address'>"
        f"{h(st.context.url or '')}</span></div>"
    )
    st.html(PRINT_CSS + line + ADDRESS_SCRIPT, unsafe_allow_javascript=True)
