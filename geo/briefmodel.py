"""The brief as a document model: what the Word and PDF writers render, with nothing in it that
needs the dataset any more (geo/brief.py builds it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from geo.chartlayout import EXPORT_SIZE


class UnknownSubject(ValueError):
    """The feature id or topic asked for is not in the data; the message names it."""


@dataclass(frozen=True)
class Note:
    """One numbered note: the full reference of one quoted passage."""

    number: int
    source: str
    title: str
    publisher: str  # or "publisher not stated"
    published: str  # or "date not stated"
    url: str | None
    quote: str

    def reference(self) -> str:
        """The source's one full form (as `SourceMeta.reference` writes it: title, publisher or
        'not stated', date or 'not stated'), then the URL where there is one."""
        out = f"{self.title}, {self.publisher}, {self.published}"
        return out + (f", {self.url}" if self.url else "")


@dataclass(frozen=True)
class Quote:
    """A verbatim passage and the number of its note."""

    text: str
    note: int


@dataclass(frozen=True)
class Marked:
    """A sentence of the atlas that restates quotes, in pieces: text, then the note numbers
    that say it ("In brief" sentences whose [n] markers became note numbers)."""

    pieces: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Item:
    """One entry of a section: an optional heading (the atlas's words), quotes, and the
    atlas's own note about it, labelled as such by every renderer."""

    heading: str | None = None
    quotes: tuple[Quote, ...] = ()
    atlas_note: str | None = None


@dataclass(frozen=True)
class Difference:
    """Where the sources differ: each version side by side, with the kind of difference."""

    topic: str
    kind: str  # the atlas's reading, e.g. "the figures may stand for different times"
    versions: tuple[tuple[str, str, Quote], ...]  # (source short name, value, quote)
    atlas_note: str


@dataclass(frozen=True)
class Image:
    """A rendered image (PNG bytes, filled by render_images) with its caption and source line."""

    id: str
    title: str
    source_line: str
    figure: Any = field(repr=False, compare=False)  # the go.Figure to render
    size: tuple[int, int] = EXPORT_SIZE  # in CSS px, the size its text is laid out in
    scale: float = 1.0  # device pixels per CSS px in the PNG
    png: bytes | None = field(default=None, repr=False, compare=False)


@dataclass
class Brief:
    """The whole brief, ready for a writer: nothing in it needs the dataset any more."""

    title: str
    subtitle: str
    made_on: date
    as_of: str
    subject: str  # "feature:<id>" or "topic:<topic>"
    summary: tuple[Marked, ...]
    facts: tuple[str, ...]  # kind, status, precision: the atlas's classification
    status: Item | None
    sections: list[tuple[str, list[Item]]]  # (heading, items): what the sources say
    differences: list[Difference]
    atlas_notes: list[str]
    images: list[Image]
    notes: list[Note]
    sources: list[str]  # closing list: one full reference per document
    # Why the map and charts are missing, when the export browser could not draw them.
    images_missing: str | None = None

    @property
    def quotes(self) -> list[Quote]:
        """Every quote in the brief, in reading order."""
        out = []
        if self.status:
            out += self.status.quotes
        for _, items in self.sections:
            for item in items:
                out += item.quotes
        for d in self.differences:
            out += [q for _, _, q in d.versions]
        return out

    def file_stem(self) -> str:
        """`iran-pakistan-atlas-brief-<feature id or topic>-<made on>`."""
        return file_stem(self.subject.split(":", 1)[1], self.made_on)


def file_stem(subject: str, on: date) -> str:
    """`iran-pakistan-atlas-brief-<feature id or topic>-<made on>`, known before it is built."""
    return f"iran-pakistan-atlas-brief-{subject}-{on.isoformat()}"
