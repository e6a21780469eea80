"""Reading the source documents: their metadata (sources.json) and each one's text.

A document whose metadata is broken is still read, so that the quotes citing it are checked
and shown; its problem is listed with the others.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from geo.io import (
    MAX_SOURCE_BYTES,
    os_error_text,
    parse,
    read_json,
    record_name,
    records,
    rel,
    too_large,
)
from geo.models import Problem, Source, SourceMeta


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
        given = root / meta.file
        text_path = given.resolve()
        if root.resolve() not in text_path.parents:
            # Name what is really wrong: a path that leaves the folder, or a link inside it
            # that points out of it (its path alone looks fine).
            inside = root.resolve() in given.parent.resolve().parents or (
                given.parent.resolve() == root.resolve()
            )
            why = (
                f"{meta.file!r} is a symbolic link to a file outside the data folder; "
                "copy the document into the data folder instead"
                if inside and given.is_symlink()
                else f"must lie inside the data folder, got {meta.file!r}"
            )
            problems.append(Problem(file, meta.id, "file", why))
            continue
        over = too_large(text_path, MAX_SOURCE_BYTES, "a source document")
        if over:
            problems.append(Problem(file, meta.id, "file", f"{meta.file}: {over}"))
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
