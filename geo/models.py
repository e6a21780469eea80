"""Strict models of the atlas's data: sources, features, figures and events.

Every model forbids unknown fields, so a typo in a data file is an error, not a silently
ignored key. Vocabulary (kinds, statuses, precisions, topics) is closed for the same reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
MetricId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:_[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")]

Precision = Literal["surveyed", "approximate", "schematic"]
Status = Literal[
    "established", "operational", "built", "under_construction", "approved", "planned", "proposed"
]
Kind = Literal[
    "border",
    "crossing",
    "border_market",
    "free_trade_zone",
    "gas_pipeline",
    "power_line",
    "transit_corridor",
    "railway",
    "connectivity_link",
    "port",
]
Topic = Literal["diplomacy", "security", "trade", "energy", "connectivity"]
DatePrecision = Literal["day", "month", "year"]

PRECISION_MEANING: dict[str, str] = {
    "surveyed": "Drawn from a mapped public dataset; accurate to about 100 m.",
    "approximate": "A known place, positioned to within a few kilometres.",
    "schematic": "The real alignment is not public: a plausible route through known points.",
}
STATUS_LABEL: dict[str, str] = {
    "established": "established",
    "operational": "operational",
    "built": "built",
    "under_construction": "under construction",
    "approved": "approved",
    "planned": "planned",
    "proposed": "proposed",
}
KIND_LABEL: dict[str, str] = {
    "border": "border",
    "crossing": "border crossing",
    "border_market": "border market",
    "free_trade_zone": "free trade zone",
    "gas_pipeline": "gas pipeline",
    "power_line": "electricity line",
    "transit_corridor": "transit corridor",
    "railway": "railway",
    "connectivity_link": "connectivity link",
    "port": "port",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Citation(Strict):
    """A verbatim passage of one source document."""

    source: Slug
    quote: Annotated[str, Field(min_length=8, max_length=1500)]


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
        """Title, publisher and date in one line, saying so where the document states none."""
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
    """The properties every map feature carries."""

    id: Slug
    name: Text
    kind: Kind
    status: Status
    precision: Precision
    summary: Annotated[str, Field(min_length=20, max_length=400)]
    geometry_source: Annotated[str, Field(min_length=10, max_length=1000)]
    licence: str | None = None
    claimed_length_km: Annotated[float, Field(gt=0)] | None = None
    aliases: list[Annotated[str, Field(min_length=2, max_length=60)]] = []
    citations: Annotated[list[Citation], Field(min_length=1)]


class Figure(Strict):
    """One number a source gives, with the passage that gives it."""

    id: Slug
    metric: MetricId
    label: Text
    value: float
    unit: Text
    qualifier: str | None = None
    period: str | None = None
    date: IsoDate | None = None
    citation: Citation


class Event(Strict):
    """One dated event; `date` has as many parts as `date_precision` allows, no more."""

    id: Slug
    date: IsoDate
    date_precision: DatePrecision
    date_note: str | None = None
    title: Text
    topic: Topic
    related_features: list[Slug] = []
    citations: Annotated[list[Citation], Field(min_length=1)]

    @model_validator(mode="after")
    def _date_matches_precision(self) -> Event:
        parts = {"year": 1, "month": 2, "day": 3}[self.date_precision]
        if len(self.date.split("-")) != parts:
            raise ValueError(
                f"date {self.date!r} does not match date_precision {self.date_precision!r}"
            )
        return self


@dataclass(frozen=True)
class Source:
    """A source document: its metadata and its full text."""

    meta: SourceMeta
    text: str

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Feature:
    """A validated map feature: properties, GeoJSON geometry and the layer it belongs to."""

    props: FeatureProperties
    geometry: dict[str, Any]
    layer: str

    @property
    def id(self) -> str:
        return self.props.id


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


@dataclass
class Dataset:
    """Everything the atlas shows. Records with problems are left out and listed in `problems`."""

    sources: dict[str, Source] = field(default_factory=dict)
    layers: list[Layer] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def features(self) -> list[Feature]:
        return [f for layer in self.layers for f in layer.features]

    def feature(self, feature_id: str) -> Feature | None:
        """Return the feature with this id, or None."""
        return next((f for f in self.features if f.id == feature_id), None)

    def citations(self) -> list[tuple[str, str, Citation]]:
        """Every citation in the data as (record kind, record id, citation)."""
        out: list[tuple[str, str, Citation]] = []
        for f in self.features:
            out += [("feature", f.id, c) for c in f.props.citations]
        out += [("figure", fig.id, fig.citation) for fig in self.figures]
        for e in self.events:
            out += [("event", e.id, c) for c in e.citations]
        return out
