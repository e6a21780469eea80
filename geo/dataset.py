"""Loading the whole data folder into one Dataset, checking every record against the others.

Nothing here stops at the first problem: each problem is recorded, the record it concerns is
left out, and everything valid is kept, so the app can keep serving it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from shapely.errors import ShapelyError
from shapely.geometry import shape

from geo.citations import citation_key, resolve
from geo.io import os_error_text, parse, read_json, record_name, records, rel
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
    Source,
    SourceMeta,
    summary_problems,
)
from geo.sources import FoldedText, normalise

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The data folder: ATLAS_DATA_DIR when set (tests and fault drills), else the shipped one."""
    return Path(os.environ.get("ATLAS_DATA_DIR") or DATA_DIR)


def load_sources(root: Path, problems: list[Problem]) -> dict[str, Source]:
    """Load sources.json and each document's text."""
    path = root / "sources.json"
    file = rel(path, root)
    data = read_json(path, root, problems)
    out: dict[str, Source] = {}
    from_texts = data is None
    if from_texts:
        # Without the metadata, the documents' texts still let every quote be checked, so
        # the records citing them stay visible, their sources marked as lacking metadata.
        data = {
            "sources": [
                {"id": p.stem, "file": str(p.relative_to(root))}
                for p in sorted((root / "sources").glob("*.txt"))
            ]
        }
    for i, raw in records(data, "sources", file, problems):
        meta = (
            None if from_texts else parse(SourceMeta, raw, file, record_name(raw, i), problems)
        ) or _fallback_meta(raw)
        if meta is None:
            continue
        if meta.id in out:
            problems.append(Problem(file, meta.id, "id", f"duplicate id {meta.id!r}"))
            continue
        text_path = (root / meta.file).resolve()
        if root.resolve() not in text_path.parents:
            problems.append(
                Problem(
                    file, meta.id, "file", f"must lie inside the data folder, got {meta.file!r}"
                )
            )
            continue
        try:
            raw_bytes = text_path.read_bytes()
            text = raw_bytes.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = (
                os_error_text(exc) if isinstance(exc, OSError) else f"not UTF-8 text: {exc.reason}"
            )
            problems.append(Problem(file, meta.id, "file", f"cannot read {meta.file!r}: {why}"))
            continue
        digest = hashlib.sha256(raw_bytes).hexdigest()
        if meta.sha256 and digest != meta.sha256:
            # The text is still used (its quotes are checked against what is there), but a
            # changed source must be noticed: a quote's context may have changed under it.
            problems.append(
                Problem(
                    file, meta.id, "sha256", f"{meta.file} has changed: its SHA-256 is {digest}"
                )
            )
        out[meta.id] = Source(meta, text)
    return out


def _fallback_meta(raw: dict) -> SourceMeta | None:
    """Metadata for a source whose record is invalid but whose text can still be read.

    Its problem is already reported; keeping the text means the records that cite it are
    still checked and shown, instead of being lost with it.
    """
    sid, path = raw.get("id"), raw.get("file")
    if not (isinstance(sid, str) and isinstance(path, str)):
        return None
    title = raw.get("title") if isinstance(raw.get("title"), str) else sid
    note = "metadata unavailable (see the data problems); quotes still checked against the text"
    return SourceMeta.model_construct(
        id=sid,
        file=path,
        original_file=str(raw.get("original_file", "")),
        title=title,
        short_name=sid,
        publisher=None,
        publisher_note=note,
        author=None,
        author_note=note,
        published=None,
        published_note=note,
        url=None,
        url_note=note,
        sha256="",
    )


def load_dataset(root: Path | None = None) -> Dataset:
    """Load and check everything under `root`; records with problems are left out."""
    root = root or data_dir()
    problems: list[Problem] = []
    sources = load_sources(root, problems)

    layers: list[Layer] = []
    layer_dir = root / "layers"
    paths = sorted(layer_dir.glob("*.geojson"))
    if not paths:
        problems.append(Problem(rel(layer_dir, root), "-", "-", "no layer files (*.geojson)"))
    for path in paths:
        layer = load_layer(path, root, problems)
        if layer is not None:
            layers.append(layer)

    # Every id declared, valid or not: a link to a broken record is that record's problem only.
    declared: dict[str, set[str]] = {"figures": set(), "events": set()}
    figures = _load_table(
        root / "figures.json", "figures", Figure, root, problems, declared["figures"]
    )
    events = _load_table(root / "events.json", "events", Event, root, problems, declared["events"])
    disagreements = (
        _load_table(root / "disagreements.json", "disagreements", Disagreement, root, problems)
        if (root / "disagreements.json").exists()
        else []
    )
    claims = (
        _load_table(root / "claims.json", "claims", Claim, root, problems)
        if (root / "claims.json").exists()
        else []
    )
    context = _with_label_points(
        read_json(root / "context" / "countries.geojson", root, problems) or {}
    )
    # The names a static map draws (countries, seas, towns): optional, for drawing only.
    places_path = root / "context" / "places.geojson"
    if places_path.exists() and isinstance(context, dict):
        places = read_json(places_path, root, problems) or {}
        context["places"] = (
            [f for f in places.get("features", []) if isinstance(f, dict)]
            if isinstance(places, dict)
            else []
        )

    ds = Dataset(sources, layers, figures, events, context, problems, disagreements)
    ds.claims = claims
    _cross_check(ds, root, declared)
    return ds


def _with_label_points(context: dict) -> dict:
    """Give each basemap country the point its name is drawn at, computed once here."""
    for c in context.get("features", []) if isinstance(context, dict) else []:
        try:
            pt = shape(c["geometry"]).representative_point()
            c["properties"]["label_at"] = [round(pt.x, 3), round(pt.y, 3)]
        except (KeyError, TypeError, ValueError, AttributeError, ShapelyError):
            continue  # an outline without a usable shape is drawn without a name
    return context


def _load_table(path, key, model, root, problems, declared: set[str] | None = None):
    file = rel(path, root)
    data = read_json(path, root, problems)
    if data is None:
        return []
    out = []
    for i, raw in records(data, key, file, problems):
        if declared is not None and isinstance(raw, dict) and isinstance(raw.get("id"), str):
            declared.add(raw["id"])
        item = parse(model, raw, file, record_name(raw, i), problems)
        if item is not None:
            out.append(item)
    return out


def _cross_check(ds: Dataset, root: Path, declared: dict[str, set[str]]) -> None:
    """Checks across records. Each failing record is dropped from `ds`, its problem recorded."""
    folded = {sid: FoldedText.of(s.text).folded for sid, s in ds.sources.items()}
    # Related ids are checked against every feature declared, so that one broken feature
    # does not take the events that mention it down with it.
    feature_ids = {f.id for f in ds.features}
    # Likewise for claims' links: a broken event or figure is its own problem, not its claims'.
    event_ids = declared["events"] | {e.id for e in ds.events}
    figure_ids = declared["figures"] | {f.id for f in ds.figures}

    folded_texts = {sid: FoldedText.of(s.text) for sid, s in ds.sources.items()}

    def citation_problems(
        file: str, record: str, field: str, cites: list[Citation]
    ) -> list[Problem]:
        out = []
        for n, c in enumerate(cites):
            where = f"{field}[{n}]" if field.endswith("citations") else field
            if c.source not in folded:
                out.append(Problem(file, record, f"{where}.source", f"unknown source {c.source!r}"))
                continue
            found = resolve(c, ds.sources[c.source], folded_texts[c.source])
            if found is None:
                out.append(
                    Problem(
                        file,
                        record,
                        f"{where}.quote",
                        f"not found verbatim in source {c.source!r}: {c.quote!r:.100}",
                    )
                )
            else:
                ds.resolved[(c.source, citation_key(c))] = found
        return out

    def stated(phrase: str, cites: list[Citation]) -> bool:
        """Whether any quote states `phrase` (whitespace and case folded)."""
        want = normalise(phrase).lower()
        return any(want in normalise(c.quote).lower() for c in cites)

    def feature_problems(f: Feature, file: str) -> list[Problem]:
        p = f.props
        bad = citation_problems(file, f.id, "properties.citations", list(p.citations))
        if p.status_basis is not None:
            bad += citation_problems(file, f.id, "properties.status_basis", [p.status_basis])
            if (p.status_note or "").strip():
                # Either the sources' word or the atlas's note, never both: a note beside a
                # basis would say the quote does not quite state the status after all.
                bad.append(
                    Problem(
                        file,
                        f.id,
                        "properties.status_note",
                        f"status {p.status!r} has a status_basis, so status_note must be empty "
                        "(a status is either the sources' word or the atlas's note)",
                    )
                )
        elif not (p.status_note or "").strip():
            bad.append(
                Problem(
                    file,
                    f.id,
                    "properties.status_note",
                    f"status {p.status!r} has no status_basis, so status_note must say why it is shown",
                )
            )
        bad += [
            Problem(file, f.id, "properties.summary", msg)
            for msg in summary_problems(p.summary, len(p.citations))
        ]
        return bad

    # Features: unique ids across all layers, citations, then the border's geography.
    seen: dict[str, str] = {}
    ds.layers = [
        Layer(
            layer.name,
            layer.title,
            layer.file,
            tuple(
                _keep_valid(
                    layer.features,
                    layer.file,
                    "properties.id",
                    seen,
                    ds.problems,
                    lambda f, file=layer.file: feature_problems(f, file),
                )
            ),
        )
        for layer in ds.layers
    ]

    borders = [f for f in ds.features if f.props.kind == "border"]
    border = borders[0] if len(borders) == 1 else None
    if border is None:
        ds.problems.append(
            Problem(
                rel(root / "layers", root),
                "-",
                "kind",
                f"expected exactly one border feature, found {len(borders)}",
            )
        )
    else:
        border_file = _file_of(ds, border)
        ds.problems += border_problems(border, border_file)
        for layer_i, layer in enumerate(ds.layers):
            keep = []
            for f in layer.features:
                p = crossing_problem(f, border, layer.file) if f.props.kind == "crossing" else None
                if p:
                    ds.problems.append(p)
                else:
                    keep.append(f)
            ds.layers[layer_i] = Layer(layer.name, layer.title, layer.file, tuple(keep))

    figures_file = rel(root / "figures.json", root)
    events_file = rel(root / "events.json", root)

    def figure_problems(fig: Figure) -> list[Problem]:
        cites = list(fig.citations)
        bad = citation_problems(figures_file, fig.id, "citations", cites)
        if fig.period and not fig.period_note and not stated(fig.period, cites):
            bad.append(
                Problem(
                    figures_file,
                    fig.id,
                    "period",
                    f"period {fig.period!r} is not stated by any quote; "
                    "say where it comes from in period_note",
                )
            )
        if fig.date and not fig.date_note and not stated(fig.date[:4], cites):
            bad.append(
                Problem(
                    figures_file,
                    fig.id,
                    "date",
                    f"the year of date {fig.date!r} is not stated by any quote; "
                    "say where it comes from in date_note",
                )
            )
        return bad

    ds.figures = _keep_valid(
        ds.figures,
        figures_file,
        "id",
        {},
        ds.problems,
        lambda fig: figure_problems(fig),
    )

    def event_problems(ev: Event) -> list[Problem]:
        cites = list(ev.citations)
        bad = citation_problems(events_file, ev.id, "citations", cites)
        if ev.date and not ev.date_note and not stated(ev.date[:4], cites):
            bad.append(
                Problem(
                    events_file,
                    ev.id,
                    "date",
                    f"the year of date {ev.date!r} is not stated by any quote; "
                    "say where it comes from in date_note",
                )
            )
        if ev.date_phrase and not stated(ev.date_phrase, cites):
            bad.append(
                Problem(
                    events_file,
                    ev.id,
                    "date_phrase",
                    f"{ev.date_phrase!r} is not the words of any of its quotes",
                )
            )
        return bad

    def unavailable_links(ev: Event) -> None:
        # A feature left out (its file or record is broken) must not take the event with it:
        # the event stays, its link to that feature shows as unavailable, and the problem is
        # listed.
        for n, rid in enumerate(ev.related_features):
            if rid not in feature_ids:
                ds.problems.append(
                    Problem(
                        events_file,
                        ev.id,
                        f"related_features[{n}]",
                        f"unknown or unavailable feature id {rid!r}; the event is kept, "
                        "its link shown as unavailable",
                    )
                )

    ds.events = _keep_valid(ds.events, events_file, "id", {}, ds.problems, event_problems)
    for ev in ds.events:
        unavailable_links(ev)

    dis_file = rel(root / "disagreements.json", root)

    def unknown_links(file: str, record: str, field: str, ids: list[str], known: set[str]):
        # A link to a record that is not there is the data's problem, named where it is; the
        # record keeps its quotes (they are checked on their own) and the link shows as
        # unavailable, so one broken feature takes nothing else down with it.
        return [
            Problem(
                file, record, f"{field}[{n}]", f"unknown or unavailable {field[:-1]} id {rid!r}"
            )
            for n, rid in enumerate(ids)
            if rid not in known
        ]

    ds.disagreements = _keep_valid(
        ds.disagreements,
        dis_file,
        "id",
        {},
        ds.problems,
        lambda d: [
            p
            for n, v in enumerate(d.versions)
            for p in citation_problems(dis_file, d.id, f"versions[{n}].citation", [v.citation])
        ],
    )
    for d in ds.disagreements:
        ds.problems += unknown_links(dis_file, d.id, "features", list(d.features), feature_ids)

    claims_file = rel(root / "claims.json", root)
    ds.claims = _keep_valid(
        ds.claims,
        claims_file,
        "id",
        {},
        ds.problems,
        lambda cl: citation_problems(claims_file, cl.id, "citations", list(cl.citations)),
    )
    # Events and figures are checked against every record declared, like features above.
    for cl in ds.claims:
        ds.problems += unknown_links(claims_file, cl.id, "features", list(cl.features), feature_ids)
        ds.problems += unknown_links(claims_file, cl.id, "events", list(cl.events), event_ids)
        ds.problems += unknown_links(claims_file, cl.id, "figures", list(cl.figures), figure_ids)


def _keep_valid(items, file, id_field, seen, problems, check):
    """The items with no problem; the others' problems go to `problems`.

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
        problems.extend(bad)
        if not bad:
            kept.append(item)
    return kept


def _file_of(ds: Dataset, feature: Feature) -> str:
    return next(layer.file for layer in ds.layers if layer.name == feature.layer)
