"""'Download a brief' (Word, PDF) for a feature or a topic: two buttons, built only when clicked."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from geo.brief import FORMATS, brief_bytes, build
from geo.briefmodel import file_stem
from geo.models import Dataset
from pages._shared import download


def brief_downloads(ds: Dataset, *, feature: str | None = None, topic: str | None = None) -> None:
    """Two download buttons, Word and PDF, for the brief on `feature` or on `topic`.

    The brief is built only when a button is clicked: a click on the map costs nothing for it. If
    the export browser cannot draw the map and charts, the brief still downloads and says so.
    """
    subject = feature or topic or ""
    labels = {".docx": "Download a brief (Word)", ".pdf": "Download a brief (PDF)"}
    help_text = (
        "A cited brief to edit or print: the map, the charts, every statement as a verbatim "
        "quote with a numbered note giving its source, where the sources differ, and the "
        "data's “as of”."
    )
    # One under the other, as the panel's other download: side by side, a 320 px panel cut
    # their labels to "Download a bri…".
    for suffix in FORMATS:
        # Through the page's download helper: if a brief cannot be made, the reader reads why
        # under its button, in the atlas's words.
        download(
            st,
            labels[suffix],
            partial(_brief, ds, feature, topic, suffix),
            what=f"The brief ({'Word' if suffix == '.docx' else 'PDF'})",
            key=f"brief-{suffix[1:]}-{subject}",
            file_name=file_stem(subject, date.today()) + suffix,
            mime=FORMATS[suffix][0],
            help=help_text,
        )


def _brief(ds: Dataset, feature: str | None, topic: str | None, suffix: str) -> bytes:
    return brief_bytes(
        build(ds, feature=feature, topic=topic, on=date.today()), suffix, images_missing_ok=True
    )
