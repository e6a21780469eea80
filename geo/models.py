"""Strict models of the atlas's data: sources, features, figures, events and claims.

Every model forbids unknown fields, so a typo in a data file is an error, not a silently
ignored key. Vocabulary (kinds, statuses, precisions, topics) is closed for the same reason.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from shapely.geometry import shape

from geo.sources import normalise
from geo.vocabulary import (
    DatePrecision,
    DisagreementKind,
    EventTopic,
    IsoDate,
    Kind,
    MetricId,
    Precision,
    Slug,
    Status,
    Text,
    Topic,
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Citation(Strict):
    """A verbatim passage of one source document."""

    source: Slug
    quote: Annotated[str, Field(min_length=8, max_length=1500)]

    @property
    def key(self) -> str:
        """A short, stable key for this passage: the Sources page finds it by this."""
        digest = hashlib.sha1(
            f"{self.source}\n{normalise(self.quote)}".encode(), usedforsecurity=False
        )
        return digest.hexdigest()[:10]

    @property
    def href(self) -> str:
        """The Sources page link that opens the document at this passage, highlighted."""
        return "/sources?" + urlencode({"source": self.source, "cite": self.key})


class SourceMeta(Strict):
    """What a source document states about itself; a value it does not state is null with a note."""

    id: Slug
    file: str
    original_file: str
    title: Text
    short_name: Annotated[str, Field(min_length=2, max_length=60)]
    publisher: str | None
    publisher_note: str | None
    author: str | None
    author_note: str | None
    published: IsoDate | None
    published_note: str | None
    url: str | None
    url_note: str | None
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]

    @model_validator(mode="after")
    def _unstated_values_have_a_note(self) -> SourceMeta:
        for name in ("publisher", "author", "published", "url"):
            if getattr(self, name) is None and not getattr(self, f"{name}_note"):
                raise ValueError(f"{name} is null, so {name}_note must say why")
        return self

    def reference(self) -> str:
        """The source's one full form: title, publisher and date, saying so where the document
        states none. Every page and export names a source by this or by `short_name`."""
        publisher = self.publisher or "publisher not stated"
        published = self.published or "date not stated"
        return f"{self.title}, {publisher}, {published}"

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://", value):
            raise ValueError(f"url must start with http:// or https://, got {value!r}")
        return value


class FeatureProperties(Strict):
    """The properties every map feature carries.

    `summary` restates the citations and nothing more: every sentence ends with markers such
    as "[1]" or "[1][2]" naming the citations (1-based) that say it. `status_basis` is the
    citation whose quote states the status; when no source states it, it is null and
    `status_note` says why the atlas shows that status anyway. Facts from outside the sources
    (place names used to draw, positions, other reports) live only in `geometry_source`,
    the atlas's own placement note.
    """

    id: Slug
    name: Text
    kind: Kind
    status: Status
    status_basis: Citation | None
    status_note: str | None = None
    precision: Precision
    summary: Annotated[str, Field(min_length=20, max_length=600)]
    geometry_source: Annotated[str, Field(min_length=10, max_length=1000)]
    licence: str | None = None
    claimed_length_km: Annotated[float, Field(gt=0)] | None = None
    aliases: list[Annotated[str, Field(min_length=2, max_length=60)]] = []
    citations: Annotated[list[Citation], Field(min_length=1)]


class Figure(Strict):
    """One number a source gives, with the passages that give it.

    `period` ("annual", "per day") and `date` are the atlas's reading of the quote; each must
    be stated by a quote (checked when the data is loaded) or carry a note saying where it
    comes from.
    """

    id: Slug
    metric: MetricId
    label: Text
    value: float
    unit: Text
    qualifier: str | None = None
    period: str | None = None
    period_note: str | None = None
    date: IsoDate | None = None
    date_note: str | None = None
    citations: Annotated[list[Citation], Field(min_length=1)]

    @property
    def citation(self) -> Citation:
        """The citation that states the value (the first)."""
        return self.citations[0]

    @property
    def value_text(self) -> str:
        """The value with its unit as a reader says it: "900 km", "6" (a count has no unit)."""
        return f"{self.value:g}" if self.unit == "count" else f"{self.value:g} {self.unit}"


class Event(Strict):
    """One event; `date` has as many parts as `date_precision` allows, no more.

    An event the sources date only relative to their own undated text ("earlier this year")
    has `date_precision` "undated", no `date`, and the source's words in `date_phrase`. A date
    must be stated by a quote (checked at load), or `date_note` says where it comes from.
    """

    id: Slug
    date: IsoDate | None
    date_precision: DatePrecision
    date_phrase: str | None = None
    date_note: str | None = None
    title: Text
    topic: EventTopic
    related_features: list[Slug] = []
    citations: Annotated[list[Citation], Field(min_length=1)]

    @model_validator(mode="after")
    def _date_matches_precision(self) -> Event:
        if self.date_precision == "undated":
            if self.date is not None:
                raise ValueError(
                    f"date_precision is 'undated', so date must be null, got {self.date!r}"
                )
            if not (self.date_phrase or "").strip():
                raise ValueError(
                    "date_precision is 'undated', so date_phrase must quote the source's words"
                )
            return self
        if self.date is None:
            raise ValueError(
                f"date is null, so date_precision must be 'undated', got {self.date_precision!r}"
            )
        parts = {"year": 1, "month": 2, "day": 3}[self.date_precision]
        if len(self.date.split("-")) != parts:
            raise ValueError(
                f"date {self.date!r} does not match date_precision {self.date_precision!r}"
            )
        return self


class Version(Strict):
    """One source's version of a disputed matter: its value as the atlas reads it, and the quote."""

    value: Text
    citation: Citation


class Disagreement(Strict):
    """Where sources say different things, each version with its quote, and what kind of
    difference it is (the atlas's reading, said as such in `note`).

    `topic` names the matter in the atlas's words; `topics` are the claims topics it is read
    under and `features` the map features it concerns (the panel says the sources differ).
    """

    id: Slug
    topic: Text
    topics: Annotated[list[Topic], Field(min_length=1)]
    features: list[Slug] = []
    kind: DisagreementKind
    note: Annotated[str, Field(min_length=10, max_length=600)]
    versions: Annotated[list[Version], Field(min_length=2)]


class Claim(Strict):
    """One statement of a source a brief could cite: its verbatim quote (the first citation),
    the topics it is read under and the features, events and figures it concerns.

    `label` names the matter in a few of the atlas's words and is shown as such; the claim
    itself is only ever its quote.
    """

    id: Slug
    label: Annotated[str, Field(min_length=3, max_length=120)]
    topics: Annotated[list[Topic], Field(min_length=1)]
    citations: Annotated[list[Citation], Field(min_length=1)]
    features: list[Slug] = []
    events: list[Slug] = []
    figures: list[Slug] = []

    @field_validator("topics")
    @classmethod
    def _topics_once_each(cls, value: list[str]) -> list[str]:
        repeated = sorted({t for t in value if value.count(t) > 1})
        if repeated:
            raise ValueError(f"each topic once; repeated: {repeated!r}")
        return value

    @property
    def citation(self) -> Citation:
        """The claim's own quote (the first citation)."""
        return self.citations[0]


@dataclass(frozen=True)
class Source:
    """A source document: its metadata and its full text."""

    meta: SourceMeta
    text: str

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Resolved:
    """One citation found in its document, resolved once when the data is loaded.

    Every surface that shows a quote reads this shape and names its source by `short_name` or
    `reference` only, so a source is named the same two ways everywhere.
    """

    meta: SourceMeta
    written: str  # the quote as the data writes it
    quote: str  # whitespace folded, as shown to readers
    key: str
    href: str
    start: int  # span of the passage in the document's text
    end: int

    @property
    def source(self) -> str:
        return self.meta.id

    @property
    def short_name(self) -> str:
        return self.meta.short_name

    @property
    def reference(self) -> str:
        return self.meta.reference()

    @property
    def published(self) -> str | None:
        return self.meta.published

    def byline(self) -> str:
        """ "“quote” — Full reference": the one way a quote is credited in plain text."""
        return f"“{self.quote}” — {self.reference}"


@dataclass(frozen=True)
class Feature:
    """A validated map feature: properties, GeoJSON geometry and the layer it belongs to."""

    props: FeatureProperties
    geometry: dict[str, Any]
    layer: str

    @property
    def id(self) -> str:
        return self.props.id

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, south, east and north of its geometry, worked out once (every map click asks
        which features an image of the view would draw)."""
        return tuple(shape(self.geometry).bounds)  # type: ignore[return-value]


@dataclass(frozen=True)
class Layer:
    """One themed layer file."""

    name: str
    title: str
    file: str
    features: tuple[Feature, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, named by file, record and field."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Dataset:
    """Everything the atlas shows. Records with problems are left out and listed in `problems`.

    Frozen: the loader builds it once, whole, and the cache then shares it between sessions,
    so nothing may change it afterwards. Each kind of record is indexed by id.
    """

    sources: dict[str, Source] = field(default_factory=dict)
    layers: tuple[Layer, ...] = ()
    figures: tuple[Figure, ...] = ()
    events: tuple[Event, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    # (source id, citation key) → the citation found in its document; filled at load.
    resolved: dict[tuple[str, str], Resolved] = field(default_factory=dict)
    claims: tuple[Claim, ...] = ()
    _index: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("layers", "figures", "events", "problems", "disagreements", "claims"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        kinds = {
            "feature": self.features,
            "figure": self.figures,
            "event": self.events,
            "disagreement": self.disagreements,
            "claim": self.claims,
        }
        index = {kind: {r.id: r for r in reversed(records)} for kind, records in kinds.items()}
        object.__setattr__(self, "_index", index)

    def cite(self, citation: Citation) -> Resolved | None:
        """The resolved citation, or None if it is not found verbatim in its document."""
        return self.resolved.get((citation.source, citation.key))

    @property
    def features(self) -> list[Feature]:
        return [f for layer in self.layers for f in layer.features]

    def record(self, kind: str, record_id: str) -> Any | None:
        """The record of this kind ("feature", "figure", "event", "disagreement", "claim")
        with this id, or None (also for an id that is not text, as a crafted message may send)."""
        return self._index[kind].get(record_id) if isinstance(record_id, str) else None

    def feature(self, feature_id: str) -> Feature | None:
        """Return the feature with this id, or None (also for an id that is not text)."""
        return self._index["feature"].get(feature_id) if isinstance(feature_id, str) else None

    def citations(self) -> list[tuple[str, str, Citation]]:
        """Every citation in the data as (record kind, record id, citation)."""
        out: list[tuple[str, str, Citation]] = []
        for f in self.features:
            out += [("feature", f.id, c) for c in f.props.citations]
        for fig in self.figures:
            out += [("figure", fig.id, c) for c in fig.citations]
        for e in self.events:
            out += [("event", e.id, c) for c in e.citations]
        for d in self.disagreements:
            out += [("disagreement", d.id, v.citation) for v in d.versions]
        for cl in self.claims:
            out += [("claim", cl.id, c) for c in cl.citations]
        return out
