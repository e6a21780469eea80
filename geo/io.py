"""Reading data files and turning what is wrong with them into Problems."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from geo.models import Problem

M = TypeVar("M", bound=BaseModel)

# Caps on what one data file may weigh, checked before it is read: a file far over them is a
# mistake (an unsimplified export, a wrong file), and it would be held in memory and, for the
# outlines, sent whole to every reader who picks that basemap. Today's files are 5–35 KB.
MAX_JSON_BYTES = 5_000_000  # sources.json, figures.json, events.json, disagreements.json
MAX_CONTEXT_BYTES = 1_000_000  # context/countries.geojson (outlines for printing)
MAX_SOURCE_BYTES = 2_000_000  # one source document's text


def data_signature(root: Path) -> tuple:
    """What identifies the state of the data folder: a change in it means reload the data.

    Every entry under `root` (the root too), files and folders alike, by its path relative to
    `root`, with its mode, owner, group, size and modification time. Sizes and times alone
    miss a chmod or chown that makes a file unreadable, and a new folder named like a layer;
    both change what loading finds, so both must make it load again. An entry that vanishes
    while it is looked at is recorded as such, never raised.
    """
    entries: list[tuple] = []

    def add(path: str) -> None:
        name = os.path.relpath(path, root)
        try:
            st = os.stat(path)
        except OSError as exc:
            entries.append((name, type(exc).__name__))
            return
        size = st.st_size if stat.S_ISREG(st.st_mode) else 0
        entries.append((name, st.st_mode, st.st_uid, st.st_gid, size, st.st_mtime_ns))

    add(str(root))
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            add(os.path.join(dirpath, name))
    return tuple(entries)


def rel(path: Path, root: Path) -> str:
    """The path as the maintainer knows it: relative to the data folder's parent."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def os_error_text(exc: OSError) -> str:
    """What went wrong, without the absolute path Python puts in str(exc).

    Problem lines reach readers of the app; the server's folders are none of their business,
    and the line already names the file relative to the data folder.
    """
    if isinstance(exc, PermissionError):
        return "permission denied (the server's user cannot read it)"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    return exc.strerror or type(exc).__name__


def too_large(path: Path, limit: int, what: str) -> str | None:
    """Why the file at `path` is over `limit` bytes (a problem line's text), or None.

    Only the size is looked at; a file that cannot be looked at is left to the reader.
    """
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size <= limit:
        return None
    return (
        f"file is {size:,} bytes, more than the {limit:,} {what} may have; "
        "use a smaller or simplified file (it is left out)"
    )


def read_json(
    path: Path,
    root: Path,
    problems: list[Problem],
    limit: int = MAX_JSON_BYTES,
    what: str = "a data file",
) -> Any | None:
    """Parse a JSON file of at most `limit` bytes; on failure record one problem naming the
    line and column (or the size, when it is over the cap, without reading it)."""
    name = rel(path, root)
    over = too_large(path, limit, what)
    if over:
        problems.append(Problem(name, "-", "-", over))
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(name, "-", "-", "file is missing"))
    except OSError as exc:
        # Unreadable by the server's user, a folder where a file should be, an I/O error:
        # one problem line, never a crash that takes every page down.
        problems.append(Problem(name, "-", "-", f"cannot read the file: {os_error_text(exc)}"))
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(name, "-", "-", f"not UTF-8 text: {exc.reason} at byte {exc.start}")
        )
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                name, "-", "-", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            )
        )
    return None


def records(
    data: Any, key: str, file: str, problems: list[Problem]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (index, record) of the list `data[key]`, recording a problem for anything else."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(file, "-", key, f"expected a list under {key!r}"))
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(file, f"#{i}", "-", f"expected an object, got {item!r:.60}"))
            continue
        yield i, item


def record_name(raw: dict[str, Any], index: int) -> str:
    """A record's id if it has a usable one, else its position."""
    rid = raw.get("id")
    return rid if isinstance(rid, str) and rid else f"#{index}"


def parse(
    model: type[M], raw: Any, file: str, record: str, problems: list[Problem], prefix: str = ""
) -> M | None:
    """Validate `raw` as `model`; on failure record one problem per error, naming the field."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "-"
            where = f"{prefix}{loc}" if loc != "-" else (prefix.rstrip(".") or "-")
            msg = err["msg"]
            # A whole-record error (empty loc) would repeat the record; say only what is wrong.
            if err["loc"] and err["type"] != "missing" and "input" in err:
                msg += f" (got {err['input']!r:.80})"
            problems.append(Problem(file, record, where, msg))
    return None
