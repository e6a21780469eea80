"""Loading the whole data folder into one Dataset, checking every record against the others.

Nothing here stops at the first problem: each problem is recorded, the record it concerns is
left out, and everything valid is kept, so the app can keep serving it.

The shape: one `Loader` owns the problems and what the checks share (the documents' texts,
the ids declared); one small check per kind of record, listed in `TABLES`; and a frozen
`Dataset` built at the end from what passed. A new kind of record is its model, a field of
`Dataset` (with its entry in the id index and in `Dataset.citations`), one check and one row.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from shapely.errors import ShapelyError
from shapely.geometry import shape

from geo.citations import resolve
from geo.documents import load_sources
from geo.io import MAX_CONTEXT_BYTES, parse, read_json, record_name, records, rel
from geo.layers import border_problems, crossing_problem, load_layer
from geo.models import (
    Citation,
    Claim,
    Dataset,
    Disagreement,
    Event,
    Feature,
    Figure,
    Layer,
    Problem,
    Resolved,
    Source,
)
from geo.sources import FoldedText, normalise
from geo.vocabulary import MARKER

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The data folder: ATLAS_DATA_DIR when set (tests and fault drills), else the shipped one."""
    return Path(os.environ.get("ATLAS_DATA_DIR") or DATA_DIR)


@dataclass(frozen=True)
class Link:
    """A record's link to records of another kind: kept when broken, shown as unavailable."""

    field: str  # the field holding the ids, e.g. "related_features"
    ids: tuple[str, ...]
    kind: str  # the kind linked to: "features", "events" or "figures"
    note: str = ""  # said after the problem, e.g. that the record is kept


@dataclass
class Loader:
    """What the checks share while one data folder is loaded, and the problems they find."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    folded: dict[str, FoldedText] = field(default_factory=dict)
    resolved: dict[tuple[str, str], Resolved] = field(default_factory=dict)
    # Every id each kind declares, valid or not: a link to a broken record is that record's
    # problem only. None for a kind whose file could not be read at all: its own problem says
    # so, and the links into it are not each named again.
    known: dict[str, set[str] | None] = field(default_factory=dict)

    def file(self, name: str) -> str:
        return rel(self.root / name, self.root)

    def cited(self, file: str, record: str, field: str, cites: Iterable[Citation]) -> list[Problem]:
        """Each quote found verbatim in its document (and resolved once, here), or a problem."""
        out = []
        for n, c in enumerate(cites):
            where = f"{field}[{n}]" if field.endswith("citations") else field
            if c.source not in self.sources:
                out.append(Problem(file, record, f"{where}.source", f"unknown source {c.source!r}"))
                continue
            found = resolve(c, self.sources[c.source], self.folded[c.source])
            if found is None:
                why = f"not found verbatim in source {c.source!r}: {c.quote!r:.100}"
                out.append(Problem(file, record, f"{where}.quote", why))
            else:
                self.resolved[(c.source, c.key)] = found
        return out

    def links(self, file: str, record: str, links: Iterable[Link]) -> list[Problem]:
        """A problem for each link to a record that is not there (the record is kept)."""
        out = []
        for link in links:
            known = self.known.get(link.kind)
            if known is None:
                continue
            noun = link.kind[:-1]
            out += [
                Problem(
                    file,
                    record,
                    f"{link.field}[{n}]",
                    f"unknown or unavailable {noun} id {rid!r}{link.note}",
                )
                for n, rid in enumerate(link.ids)
                if rid not in known
            ]
        return out


def stated(phrase: str, cites: Iterable[Citation]) -> bool:
    """Whether any quote states `phrase` (whitespace and case folded)."""
    want = normalise(phrase).lower()
    return any(want in normalise(c.quote).lower() for c in cites)


def unstated_date(file: str, record: str, date: str | None, note: str | None, cites) -> list:
    """The year of a date must be in a quote, or its note must say where it comes from."""
    if date and not note and not stated(date[:4], cites):
        why = (
            f"the year of date {date!r} is not stated by any quote; "
            "say where it comes from in date_note"
        )
        return [Problem(file, record, "date", why)]
    return []


# One check per kind of record: the problems that leave the record out.


def check_feature(ld: Loader, f: Feature, file: str) -> list[Problem]:
    p = f.props
    bad = ld.cited(file, f.id, "properties.citations", p.citations)
    note = (p.status_note or "").strip()
    if p.status_basis is not None:
        bad += ld.cited(file, f.id, "properties.status_basis", [p.status_basis])
        if note:
            # Either the sources' word or the atlas's note, never both: a note beside a basis
            # would say the quote does not quite state the status after all.
            why = (
                f"status {p.status!r} has a status_basis, so status_note must be empty "
                "(a status is either the sources' word or the atlas's note)"
            )
            bad.append(Problem(file, f.id, "properties.status_note", why))
    elif not note:
        why = f"status {p.status!r} has no status_basis, so status_note must say why it is shown"
        bad.append(Problem(file, f.id, "properties.status_note", why))
    bad += [
        Problem(file, f.id, "properties.summary", msg)
        for msg in summary_problems(p.summary, len(p.citations))
    ]
    return bad


def check_figure(ld: Loader, fig: Figure, file: str) -> list[Problem]:
    bad = ld.cited(file, fig.id, "citations", fig.citations)
    if fig.period and not fig.period_note and not stated(fig.period, fig.citations):
        why = (
            f"period {fig.period!r} is not stated by any quote; "
            "say where it comes from in period_note"
        )
        bad.append(Problem(file, fig.id, "period", why))
    return bad + unstated_date(file, fig.id, fig.date, fig.date_note, fig.citations)


def check_event(ld: Loader, ev: Event, file: str) -> list[Problem]:
    bad = ld.cited(file, ev.id, "citations", ev.citations)
    bad += unstated_date(file, ev.id, ev.date, ev.date_note, ev.citations)
    if ev.date_phrase and not stated(ev.date_phrase, ev.citations):
        why = f"{ev.date_phrase!r} is not the words of any of its quotes"
        bad.append(Problem(file, ev.id, "date_phrase", why))
    return bad


def check_disagreement(ld: Loader, d: Disagreement, file: str) -> list[Problem]:
    return [
        p
        for n, v in enumerate(d.versions)
        for p in ld.cited(file, d.id, f"versions[{n}].citation", [v.citation])
    ]


def check_claim(ld: Loader, cl: Claim, file: str) -> list[Problem]:
    return ld.cited(file, cl.id, "citations", cl.citations)


@dataclass(frozen=True)
class Table:
    """One kind of record kept in a JSON table under the data folder."""

    kind: str  # the Dataset's field, the file's name and the list's key in it
    model: type[BaseModel]
    check: Callable[[Loader, Any, str], list[Problem]]
    links: Callable[[Any], Iterable[Link]] = lambda record: ()
    optional: bool = False  # a folder without the file is not a problem

    @property
    def file(self) -> str:
        return f"{self.kind}.json"


TABLES: tuple[Table, ...] = (
    Table("figures", Figure, check_figure),
    Table(
        "events",
        Event,
        check_event,
        # A feature left out (its file or record is broken) must not take the event with it.
        lambda ev: [
            Link(
                "related_features",
                tuple(ev.related_features),
                "features",
                "; the event is kept, its link shown as unavailable",
            )
        ],
    ),
    Table(
        "disagreements",
        Disagreement,
        check_disagreement,
        lambda d: [Link("features", tuple(d.features), "features")],
        optional=True,
    ),
    Table(
        "claims",
        Claim,
        check_claim,
        lambda cl: [
            Link("features", tuple(cl.features), "features"),
            Link("events", tuple(cl.events), "events"),
            Link("figures", tuple(cl.figures), "figures"),
        ],
        optional=True,
    ),
)


def read_table(ld: Loader, table: Table) -> list:
    """The records of a table that parse; every id declared goes to `ld.known`."""
    path = ld.root / table.file
    if table.optional and not path.exists():
        ld.known[table.kind] = set()
        return []
    data = read_json(path, ld.root, ld.problems)
    if not (isinstance(data, dict) and isinstance(data.get(table.kind), list)):
        # Unreadable, or no list of records in it: its one problem says so (below, for the
        # latter), and the links into it are not each named again.
        if data is not None:
            list(records(data, table.kind, ld.file(table.file), ld.problems))
        ld.known[table.kind] = None
        return []
    declared: set[str] = set()
    out = []
    for i, raw in records(data, table.kind, ld.file(table.file), ld.problems):
        if isinstance(raw.get("id"), str):
            declared.add(raw["id"])
        item = parse(table.model, raw, ld.file(table.file), record_name(raw, i), ld.problems)
        if item is not None:
            out.append(item)
    ld.known[table.kind] = declared | {item.id for item in out}
    return out


def keep_valid(ld: Loader, items: Iterable, file: str, id_field: str, seen: dict, check) -> list:
    """The items with no problem; the others' problems go to the loader.

    `check(item)` lists an item's own problems; an id met before (in `seen`, which maps ids to
    the file that first defined them) is one more, named where it is used again.
    """
    kept = []
    for item in items:
        bad = check(item)
        if item.id in seen:
            first = "" if seen[item.id] == file else f", first defined in {seen[item.id]}"
            bad.append(Problem(file, item.id, id_field, f"duplicate id {item.id!r}{first}"))
        seen.setdefault(item.id, file)
        ld.problems.extend(bad)
        if not bad:
            kept.append(item)
    return kept


def read_layers(ld: Loader) -> list[Layer]:
    layer_dir = ld.root / "layers"
    paths = sorted(layer_dir.glob("*.geojson"))
    if not paths:
        ld.problems.append(Problem(rel(layer_dir, ld.root), "-", "-", "no layer files (*.geojson)"))
    return [
        layer for path in paths if (layer := load_layer(path, ld.root, ld.problems)) is not None
    ]


def check_layers(ld: Loader, layers: list[Layer]) -> list[Layer]:
    """Features: unique ids across all layers, their quotes, then the border's geography."""
    seen: dict[str, str] = {}
    layers = [
        Layer(
            layer.name,
            layer.title,
            layer.file,
            tuple(
                keep_valid(
                    ld,
                    layer.features,
                    layer.file,
                    "properties.id",
                    seen,
                    lambda f, file=layer.file: check_feature(ld, f, file),
                )
            ),
        )
        for layer in layers
    ]
    borders = [(layer, f) for layer in layers for f in layer.features if f.props.kind == "border"]
    if len(borders) != 1:
        why = f"expected exactly one border feature, found {len(borders)}"
        ld.problems.append(Problem(ld.file("layers"), "-", "kind", why))
        return layers
    border_layer, border = borders[0]
    ld.problems.extend(border_problems(border, border_layer.file))
    out = []
    for layer in layers:
        keep = []
        for f in layer.features:
            problem = (
                crossing_problem(f, border, layer.file) if f.props.kind == "crossing" else None
            )
            if problem:
                ld.problems.append(problem)
            else:
                keep.append(f)
        out.append(Layer(layer.name, layer.title, layer.file, tuple(keep)))
    return out


def read_context(ld: Loader) -> dict:
    """The basemap's outlines, each country with the point its name is drawn at, and the
    names a static map draws (countries, seas, towns: optional, for drawing only)."""
    context = read_json(
        ld.root / "context" / "countries.geojson",
        ld.root,
        ld.problems,
        MAX_CONTEXT_BYTES,
        "the basemap outlines",
    )
    if not isinstance(context, dict):
        context = {}  # its problem is listed; the names below are still drawn
    for c in context.get("features", []):
        try:
            pt = shape(c["geometry"]).representative_point()
            c["properties"]["label_at"] = [round(pt.x, 3), round(pt.y, 3)]
        except (KeyError, TypeError, ValueError, AttributeError, ShapelyError):
            continue  # an outline without a usable shape is drawn without a name
    places_path = ld.root / "context" / "places.geojson"
    if places_path.exists():
        places = read_json(places_path, ld.root, ld.problems) or {}
        features = places.get("features", []) if isinstance(places, dict) else []
        context["places"] = [f for f in features if isinstance(f, dict)]
    return context


def load_dataset(root: Path | None = None) -> Dataset:
    """Load and check everything under `root`; records with problems are left out."""
    ld = Loader(root or data_dir())
    ld.sources = load_sources(ld.root, ld.problems)
    ld.folded = {sid: FoldedText.of(s.text) for sid, s in ld.sources.items()}

    layers = read_layers(ld)
    tables = {table.kind: read_table(ld, table) for table in TABLES}
    context = read_context(ld)
    # Links to features are checked against every feature that parsed, so that one feature
    # left out for its quotes does not take the events and claims that name it down with it.
    ld.known["features"] = {f.id for layer in layers for f in layer.features}

    layers = check_layers(ld, layers)
    for table in TABLES:
        file = ld.file(table.file)
        kept = keep_valid(
            ld, tables[table.kind], file, "id", {}, lambda r, t=table, f=file: t.check(ld, r, f)
        )
        for record in kept:
            ld.problems.extend(ld.links(file, record.id, table.links(record)))
        tables[table.kind] = kept

    return Dataset(
        sources=ld.sources,
        layers=layers,
        context=context,
        problems=ld.problems,
        resolved=ld.resolved,
        **tables,
    )


def summary_problems(summary: str, n_citations: int) -> list[str]:
    """What keeps a summary from being checkable: a sentence with no citation marker after
    it, or a marker naming a citation the record does not have."""
    out = []
    for n in MARKER.findall(summary):
        if not 1 <= int(n) <= n_citations:
            out.append(f"marker [{n}] names no citation (the record has {n_citations})")
    # A sentence ends with its markers, then its full stop: "… border [1][3]." Split there,
    # then any sentence end left inside a piece is a sentence with no marker.
    pieces = [p for p in re.split(r"(?<=\][.!?])\s+", summary.strip()) if p]
    for piece in pieces:
        if not re.search(r"(?:\[\d{1,2}\])+[.!?]$", piece) or re.search(
            r"[^\].!?][.!?]\s+[A-Z\"“‘(]", piece
        ):
            out.append(f"sentence without citation markers before its full stop: {piece!r:.80}")
    return out
