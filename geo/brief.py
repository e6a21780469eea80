"""A brief on one feature or one topic: a pure document model that the Word and PDF writers render.

Every statement in a brief is a verbatim quote carrying a note number; the notes give each
quote's full reference, numbered once across the document (a passage quoted twice keeps its
first number). What the atlas says itself (status notes, placement notes, how it reads a
disagreement, measured lengths) sits in blocks labelled as the atlas's, never among quotes.
Images (the map, the charts) are rendered through `render_images`, the one place that calls
Chromium, so building the model itself needs no browser. Pure: no Streamlit here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from geo import claims as claims_api
from geo.asof import as_of
from geo.briefimages import chart_image, map_image, render_images
from geo.briefmodel import (
    Brief,
    Difference,
    Item,
    Marked,
    Note,
    Quote,
    UnknownSubject,
)
from geo.charts import Chart, build_charts
from geo.citations import Resolved, citation_key
from geo.formats import media_type
from geo.models import Citation, Claim, Dataset, Disagreement, Event, Feature, Figure
from geo.panel import length_line
from geo.vocabulary import (
    DISAGREEMENT_LABEL,
    KIND_LABEL,
    MARKER,
    PRECISION_MEANING,
    STATUS_LABEL,
    TOPIC_LABEL,
)


class _Numbering:
    """One note number per passage, in order of first use, across the whole document."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.notes: list[Note] = []
        self._by_key: dict[tuple[str, str], int] = {}

    def quote(self, c: Citation) -> Quote:
        resolved: Resolved | None = self.ds.cite(c)
        text = resolved.quote if resolved else " ".join(c.quote.split())
        key = (c.source, citation_key(c))
        if key not in self._by_key:
            src = self.ds.sources.get(c.source)
            meta = src.meta if src else None
            self._by_key[key] = len(self.notes) + 1
            self.notes.append(
                Note(
                    number=len(self.notes) + 1,
                    source=c.source,
                    title=meta.title if meta else c.source,
                    publisher=(
                        meta.publisher if meta and meta.publisher else "publisher not stated"
                    ),
                    published=(meta.published if meta and meta.published else "date not stated"),
                    url=meta.url if meta else None,
                    quote=text,
                )
            )
        return Quote(text, self._by_key[key])


def _span(ds: Dataset, c: Citation) -> tuple[str, int, int] | None:
    r = ds.cite(c)
    return (r.source, r.start, r.end) if r else None


def _overlaps(ds: Dataset, a: list[Citation], b: list[Citation]) -> bool:
    """Whether any passage of `a` shares text with any passage of `b` in the same document."""
    spans_a = [s for s in (_span(ds, c) for c in a) if s]
    spans_b = [s for s in (_span(ds, c) for c in b) if s]
    return any(x[0] == y[0] and x[1] < y[2] and y[1] < x[2] for x in spans_a for y in spans_b)


def as_of_text(ds: Dataset, records: list[Any] | None = None) -> str:
    """The honest "as of" of the records used (every record if None), in one sentence
    (geo.asof: the newest date a source states for itself, the newest dated event, and how
    many sources state no date)."""
    if records is not None:
        # geo.asof counts features, events, figures and claims; a disagreement's versions are
        # quotes like a claim's, so they count as one.
        records = [
            Claim(id=r.id, label=r.topic[:120], topics=r.topics,
                  citations=[v.citation for v in r.versions])
            if isinstance(r, Disagreement) else r
            for r in records
        ]  # fmt: skip
    return as_of(ds, records).text()


def _citations_of(record: Any) -> list[Citation]:
    if isinstance(record, Feature):
        return list(record.props.citations)
    if isinstance(record, Disagreement):
        return [v.citation for v in record.versions]
    return list(getattr(record, "citations", []))


def _summary(text: str, cites: list[Citation], numbering: _Numbering) -> tuple[Marked, ...]:
    """The feature's summary with each [n] marker turned into the note number of quote n."""
    numbers = {n: numbering.quote(c).note for n, c in enumerate(cites, 1)}
    pieces: list[tuple[str, list[int]]] = []
    last = 0
    for m in MARKER.finditer(text):
        between = text[last : m.start()]
        if between.strip() or not pieces:
            pieces.append((between.rstrip(), []))
        if int(m.group(1)) in numbers:  # the validator rejects others; never invent one
            pieces[-1][1].append(numbers[int(m.group(1))])
        last = m.end()
    if text[last:]:
        pieces.append((text[last:], []))
    return (Marked(tuple((t, tuple(n)) for t, n in pieces)),)


def _by_date(events: list[Event]) -> list[Event]:
    """Events in date order, undated ones last (in the data's order). A claim's events were
    appended after the subject's own, so without this a 2013 event followed a 2024 one. ISO
    dates of any precision sort as text: "2013" before "2013-05" before "2014"."""
    return sorted(events, key=lambda e: (e.date is None, e.date or ""))


def _event_item(ev: Event, numbering: _Numbering) -> Item:
    when = ev.date or f"undated (“{ev.date_phrase}”)"
    return Item(
        heading=f"{when}: {ev.title}", quotes=tuple(numbering.quote(c) for c in ev.citations)
    )


def _figure_item(fig: Figure, numbering: _Numbering) -> Item:
    return Item(
        heading=f"{fig.label}: {fig.value_text}",
        quotes=(numbering.quote(fig.citation),),
        # Where the period or date is the atlas's reading rather than the quote's, say so.
        atlas_note="; ".join(
            f"{what} is the atlas's reading: {note}"
            for what, note in (("its period", fig.period_note), ("its date", fig.date_note))
            if note
        )
        or None,
    )


def _difference(ds: Dataset, d: Disagreement, numbering: _Numbering) -> Difference:
    versions = []
    for v in d.versions:
        src = ds.sources.get(v.citation.source)
        versions.append(
            (
                src.meta.short_name if src else v.citation.source,
                v.value,
                numbering.quote(v.citation),
            )
        )
    return Difference(d.topic, DISAGREEMENT_LABEL[d.kind], tuple(versions), d.note)


def _figures_for(
    ds: Dataset,
    claims: list[Claim],
    citations: list[Citation],
    events: list[Event],
    disagreements: list[Disagreement],
) -> list[Figure]:
    """The figures the claims name, and those whose quote shares text with a passage the brief
    quotes (the subject's own, its events' or a disagreement's version)."""
    named = {fid for c in claims for fid in c.figures}
    quoted = [*citations, *(c for e in events for c in e.citations)]
    quoted += [v.citation for d in disagreements for v in d.versions]
    return [f for f in ds.figures if f.id in named or _overlaps(ds, f.citations, quoted)]


def _charts_for(ds: Dataset, figures: list[Figure], feature_ids: list[str]) -> list[Chart]:
    """The charts showing any of these figures, or measuring any of these features."""
    wanted = {f.id for f in figures}
    out = []
    for chart in build_charts(ds):
        if {f.id for f in chart.figures} & wanted or any(
            fid in str(d.get("note", "")) for d in chart.derived for fid in feature_ids
        ):
            out.append(chart)
    return out


def _why_unstated(note: str | None) -> str:
    """What a note on a silence adds to 'not stated' ('' when nothing)."""
    note = (note or "").strip()
    rest = (
        note[len("not stated") :].lstrip(" ;,") if note.lower().startswith("not stated") else note
    )
    return rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest


def _sources_list(ds: Dataset, notes: list[Note]) -> list[str]:
    """One entry per document: its one full form (SourceMeta.reference), then what else is
    known of it (author, why a publisher or date is missing, its URL) and its notes."""
    out = []
    for sid in dict.fromkeys(n.source for n in notes):
        src = ds.sources.get(sid)
        if src is None:
            out.append(sid)
            continue
        m = src.meta
        parts = [m.reference()]
        if m.author:
            parts.append(f"Author: {m.author}")
        else:
            why = _why_unstated(m.author_note)
            parts.append("Author not stated" + (f" ({why})" if why else ""))
        for field, value, note in (
            ("publisher", m.publisher, m.publisher_note),
            ("date", m.published, m.published_note),
        ):
            if not value and _why_unstated(note):
                parts.append(f"On its {field}: {_why_unstated(note)}")
        parts.append(m.url or "No URL stated")
        numbers = [str(n.number) for n in notes if n.source == sid]
        out.append(". ".join(parts) + f". Notes {', '.join(numbers)}.")
    return out


def feature_brief(ds: Dataset, feature_id: str, on: date | None = None) -> Brief:
    """The brief on one feature: its quotes, status, events, figures, charts and disagreements.

    Raises UnknownSubject naming the id when the data has no such feature.
    """
    feature = ds.feature(feature_id)
    if feature is None:
        raise UnknownSubject(f"unknown feature id {feature_id!r}")
    on = on or date.today()
    p = feature.props
    numbering = _Numbering(ds)
    summary = _summary(p.summary, list(p.citations), numbering)

    quotes = Item(quotes=tuple(numbering.quote(c) for c in p.citations))
    if p.status_basis is not None:
        status = Item(
            heading=f"Status: {STATUS_LABEL[p.status]}, in the sources' words",
            quotes=(numbering.quote(p.status_basis),),
        )
    else:
        status = Item(
            heading=f"Status: {STATUS_LABEL[p.status]}, not stated by the sources",
            atlas_note=p.status_note,
        )
    claims = claims_api.claims_about_feature(ds, feature_id)
    events = [e for e in ds.events if feature_id in e.related_features]
    claim_events = {eid for c in claims for eid in c.events}
    events = _by_date(events + [e for e in ds.events if e.id in claim_events and e not in events])
    disagreements = claims_api.disagreements_about_feature(ds, feature_id)
    figures = _figures_for(ds, claims, list(p.citations), events, disagreements)

    sections: list[tuple[str, list[Item]]] = [("What the sources say", [quotes])]
    # A claim whose quotes the feature's own passages already hold would repeat them.
    claims = [c for c in claims if not _overlaps(ds, [c.citation], list(p.citations))]
    if claims:
        sections.append(
            (
                "More the sources say about it",
                [Item(c.label, tuple(numbering.quote(x) for x in c.citations)) for c in claims],
            )
        )
    if events:
        sections.append(("Events", [_event_item(e, numbering) for e in events]))
    if figures:
        sections.append(("Figures", [_figure_item(f, numbering) for f in figures]))
    differences = [_difference(ds, d, numbering) for d in disagreements]

    # The status note is printed once, under Status, where it explains the status it stands
    # for; repeating it among the atlas's notes printed the same paragraph twice.
    atlas_notes = [
        f"Placement note (how the atlas drew it): {p.geometry_source}",
        f"Precision, {p.precision}: {PRECISION_MEANING[p.precision]}",
    ]
    length = length_line(feature)
    if length:
        atlas_notes.append(length + ".")
    images = [map_image(ds, [feature], on)] + [
        chart_image(ds, c, on) for c in _charts_for(ds, figures, [feature_id])
    ]
    records: list[Any] = [feature, *events, *figures, *disagreements, *claims]
    return Brief(
        title=p.name,
        subtitle=f"A brief from the Iran–Pakistan Corridor Atlas on the {KIND_LABEL[p.kind]}",
        made_on=on,
        as_of=as_of_text(ds, records),
        subject=f"feature:{feature_id}",
        summary=summary,
        facts=(KIND_LABEL[p.kind].capitalize(), STATUS_LABEL[p.status], f"{p.precision} geometry"),
        status=status,
        sections=sections,
        differences=differences,
        atlas_notes=atlas_notes,
        images=images,
        notes=numbering.notes,
        sources=_sources_list(ds, numbering.notes),
    )


def topics(ds: Dataset) -> list[str]:
    """The topics a brief can be asked for, in reading order."""
    return list(claims_api.TOPICS)


def topic_label(topic: str) -> str:
    """The reader's name of a topic."""
    return TOPIC_LABEL.get(topic, topic.capitalize())


def topic_brief(ds: Dataset, topic: str, on: date | None = None) -> Brief:
    """The brief on one topic: its claims, events, figures, charts and disagreements.

    Raises UnknownSubject naming the topic (and the known ones) when it is not one.
    """
    known = topics(ds)
    if topic not in known:
        raise UnknownSubject(f"unknown topic {topic!r} (topics: {', '.join(known)})")
    on = on or date.today()
    numbering = _Numbering(ds)
    claims = claims_api.claims_on_topic(ds, topic)
    events = [e for e in ds.events if e.topic == topic]
    claim_events = {eid for c in claims for eid in c.events}
    events = _by_date(events + [e for e in ds.events if e.id in claim_events and e not in events])
    feature_ids = list(
        dict.fromkeys(
            [fid for c in claims for fid in c.features]
            + [fid for e in events for fid in e.related_features]
        )
    )
    features = [f for f in ds.features if f.id in feature_ids]
    disagreements = claims_api.disagreements_on_topic(ds, topic)
    figures = _figures_for(ds, claims, [], events, disagreements)
    sections: list[tuple[str, list[Item]]] = []
    if claims:
        sections.append(
            (
                "What the sources say",
                [Item(c.label, tuple(numbering.quote(x) for x in c.citations)) for c in claims],
            )
        )
    if events:
        sections.append(("Events", [_event_item(e, numbering) for e in events]))
    if features:
        sections.append(
            (
                "On the map",
                [
                    Item(f.props.name, tuple(numbering.quote(c) for c in f.props.citations))
                    for f in features
                ],
            )
        )
    if figures:
        sections.append(("Figures", [_figure_item(f, numbering) for f in figures]))
    differences = [_difference(ds, d, numbering) for d in disagreements]
    atlas_notes = [
        f"{f.props.name}: placed {f.props.precision}ly. {f.props.geometry_source}" for f in features
    ]
    label = topic_label(topic)
    # Named for the topic: the map's general title ("what crosses it") said nothing of it.
    title = f"{label}: the places its sources name"
    images = ([map_image(ds, features, on, title)] if features else []) + [
        chart_image(ds, c, on) for c in _charts_for(ds, figures, feature_ids)
    ]
    records: list[Any] = [*claims, *events, *features, *figures, *disagreements]
    return Brief(
        title=label,
        subtitle="A brief from the Iran–Pakistan Corridor Atlas on a topic",
        made_on=on,
        as_of=as_of_text(ds, records),
        subject=f"topic:{topic}",
        summary=(),
        facts=(),
        status=None,
        sections=sections,
        differences=differences,
        atlas_notes=atlas_notes,
        images=images,
        notes=numbering.notes,
        sources=_sources_list(ds, numbering.notes),
    )


# Extension → (media type, writer module, function): the formats a brief is written in. The
# media types come from the atlas's one registry (geo/formats.py); a brief's PDF is a document
# laid out by WeasyPrint, not a chart's PDF from kaleido, so the writers are named here.
FORMATS: dict[str, tuple[str, str, str]] = {
    ".docx": (media_type("docx"), "geo.briefdocx", "docx_bytes"),
    ".pdf": (media_type("pdf"), "geo.briefpdf", "pdf_bytes"),
}


def brief_bytes(brief: Brief, suffix: str, *, images_missing_ok: bool = False) -> bytes:
    """The brief written as `suffix` (".docx" or ".pdf"), its images rendered first if needed
    (see render_images for `images_missing_ok`)."""
    import importlib

    if suffix not in FORMATS:
        raise ValueError(f"a brief is written as {' or '.join(FORMATS)}, got {suffix!r}")
    if any(i.png is None for i in brief.images):
        render_images(brief, missing_ok=images_missing_ok)
    _, module, name = FORMATS[suffix]
    return getattr(importlib.import_module(module), name)(brief)


def build(
    ds: Dataset, *, feature: str | None = None, topic: str | None = None, on: date | None = None
) -> Brief:
    """The brief on a feature or on a topic (exactly one of them)."""
    if (feature is None) == (topic is None):
        raise ValueError("a brief is about one feature or one topic")
    return feature_brief(ds, feature, on) if feature is not None else topic_brief(ds, topic, on)
