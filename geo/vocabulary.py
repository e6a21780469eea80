"""The atlas's closed vocabulary: ids and dates as the data writes them, the kinds, statuses,
precisions and topics a record may have, and the words readers see for each.

Closed on purpose: a value outside it is an error in the data, named by the validator.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlencode

from pydantic import AfterValidator, Field

from geo.kinds import KIND_STYLE, Column


def known_kind(kind: str) -> str:
    if kind not in KIND_STYLE:
        raise ValueError(f"unknown kind {kind!r}; the kinds are {', '.join(KIND_STYLE)}")
    return kind


Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
MetricId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:_[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")]

Precision = Literal["mapped", "approximate", "schematic"]
Status = Literal[
    "established", "operational", "built", "under_construction", "approved", "planned", "proposed"
]
# A feature's kind: one of the rows of geo/kinds.py (a new kind is a row there).
Kind = Annotated[str, AfterValidator(known_kind)]
# What a claim or a disagreement is about. Events keep the five topics the timeline draws as
# rows; claims also read "border" (the line itself, its crossings and markets) and
# "central_asia" (Iran's Central Asian figures the atlas shows).
EventTopic = Literal["diplomacy", "security", "trade", "energy", "connectivity"]
Topic = Literal[
    "border", "security", "trade", "energy", "connectivity", "diplomacy", "central_asia"
]
TOPIC_LABEL: dict[str, str] = {
    "border": "The border",
    "security": "Security",
    "trade": "Trade",
    "energy": "Energy",
    "connectivity": "Connectivity",
    "diplomacy": "Diplomacy",
    "central_asia": "Iran and Central Asia",
}


def topic_href(topic: str) -> str:
    """The Topics page's address for a topic, by the label its pills show (`?topic=Energy`).

    The page also opens `?topic=energy`, but Streamlit's binding keeps only a label in the
    address: an id left a bare /topics behind, and Back to it opened the first topic.
    """
    return "/topics?" + urlencode({"topic": TOPIC_LABEL.get(topic, topic)})


DatePrecision = Literal["day", "month", "year", "undated"]
DisagreementKind = Literal["contradiction", "may_measure_different_things", "different_dates"]

PRECISION_MEANING: dict[str, str] = {
    "mapped": (
        "Traced from public map data; as accurate as that data's resolution, which the placement"
        " note states."
    ),
    "approximate": "A known place, positioned to within a few kilometres.",
    "schematic": (
        "Where it is, or how it runs or would run, is not public or not known with confidence:"
        " drawn only to show roughly where; the status says whether it exists yet."
    ),
}
DATE_PRECISION_LABEL: dict[str, str] = {
    "day": "known to the day",
    "month": "known to the month",
    "year": "known to the year",
    "undated": "dated only in the source's words, relative to the document or to another event",
}
DISAGREEMENT_LABEL: dict[str, str] = {
    "contradiction": "the versions contradict each other",
    "may_measure_different_things": "the versions may count, measure or describe different things",
    "different_dates": "the versions may stand for different times",
}
# A citation marker in a summary: "[1]" names the record's first citation.
MARKER = re.compile(r"\[(\d{1,2})\]")
STATUS_LABEL: dict[str, str] = {
    "established": "established",
    "operational": "operational",
    "built": "built",
    "under_construction": "under construction",
    "approved": "approved",
    "planned": "planned",
    "proposed": "proposed",
}
KIND_LABEL = Column("label")  # what readers call each kind, from its row
