"""Loading the whole data folder into one Dataset, checking every record against the others.

Nothing here stops at the first problem: each problem is recorded, the record it concerns is
left out, and everything valid is kept, so the app can keep serving it.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

from shapely.errors import ShapelyError
from shapely.geometry import shape

from geo.io import parse, read_json, record_name, records, rel
from geo.layers import border_problems, crossing_problem, load_layer
from geo.models import (
    Citation,
    Dataset,
    Event,
    Feature,
    Figure,
    Layer,
    Problem,
    Source,
    SourceMeta,
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
    if data is None:
        return out
    for i, raw in records(data, "sources", file, problems):
        meta = parse(SourceMeta, raw, file, record_name(raw, i), problems) or _fallback_meta(raw)
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
            problems.append(Problem(file, meta.id, "file", f"cannot read {meta.file!r}: {exc}"))
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
    note = "metadata invalid; see the data problems"
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

    figures = _load_table(root / "figures.json", "figures", Figure, root, problems)
    events = _load_table(root / "events.json", "events", Event, root, problems)
    context = _with_label_points(
        read_json(root / "context" / "countries.geojson", root, problems) or {}
    )

    ds = Dataset(sources, layers, figures, events, context, problems)
    _cross_check(ds, root)
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


def _load_table(path, key, model, root, problems):
    file = rel(path, root)
    data = read_json(path, root, problems)
    if data is None:
        return []
    out = []
    for i, raw in records(data, key, file, problems):
        item = parse(model, raw, file, record_name(raw, i), problems)
        if item is not None:
            out.append(item)
    return out


def _cross_check(ds: Dataset, root: Path) -> None:
    """Checks across records. Each failing record is dropped from `ds`, its problem recorded."""
    folded = {sid: FoldedText.of(s.text).folded for sid, s in ds.sources.items()}
    # Related ids are checked against every feature declared, so that one broken feature
    # does not take the events that mention it down with it.
    feature_ids = {f.id for f in ds.features}

    def citation_problems(
        file: str, record: str, field: str, cites: list[Citation]
    ) -> list[Problem]:
        out = []
        for n, c in enumerate(cites):
            where = f"{field}[{n}]" if field.endswith("citations") else field
            if c.source not in folded:
                out.append(Problem(file, record, f"{where}.source", f"unknown source {c.source!r}"))
            elif normalise(c.quote) not in folded[c.source]:
                out.append(
                    Problem(
                        file,
                        record,
                        f"{where}.quote",
                        f"not found verbatim in source {c.source!r}: {c.quote!r:.100}",
                    )
                )
        return out

    # Features: unique ids across all layers, citations, then the border's geography.
    seen: dict[str, str] = {}
    kept_layers = []
    for layer in ds.layers:
        file = layer.file
        kept = []
        for f in layer.features:
            bad = citation_problems(file, f.id, "properties.citations", list(f.props.citations))
            if f.id in seen:
                bad.append(
                    Problem(
                        file,
                        f.id,
                        "properties.id",
                        f"duplicate id {f.id!r}, first defined in {seen[f.id]}",
                    )
                )
            seen.setdefault(f.id, file)
            ds.problems.extend(bad)
            if not bad:
                kept.append(f)
        kept_layers.append(Layer(layer.name, layer.title, layer.file, tuple(kept)))
    ds.layers = kept_layers

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

    fig_ids: Counter[str] = Counter()
    kept_figs = []
    for fig in ds.figures:
        bad = citation_problems(figures_file, fig.id, "citation", [fig.citation])
        fig_ids[fig.id] += 1
        if fig_ids[fig.id] > 1:
            bad.append(Problem(figures_file, fig.id, "id", f"duplicate id {fig.id!r}"))
        ds.problems.extend(bad)
        if not bad:
            kept_figs.append(fig)
    ds.figures = kept_figs

    ev_ids: Counter[str] = Counter()
    kept_events = []
    for ev in ds.events:
        bad = citation_problems(events_file, ev.id, "citations", list(ev.citations))
        ev_ids[ev.id] += 1
        if ev_ids[ev.id] > 1:
            bad.append(Problem(events_file, ev.id, "id", f"duplicate id {ev.id!r}"))
        for n, rid in enumerate(ev.related_features):
            if rid not in feature_ids:
                bad.append(
                    Problem(
                        events_file, ev.id, f"related_features[{n}]", f"unknown feature id {rid!r}"
                    )
                )
        ds.problems.extend(bad)
        if not bad:
            kept_events.append(ev)
    ds.events = kept_events


def _file_of(ds: Dataset, feature: Feature) -> str:
    return next(layer.file for layer in ds.layers if layer.name == feature.layer)
