"""An honest "as of": how recent the data is, said in the two ways the sources allow.

A source may state its own date (its publication) and may describe events with dates of their
own; an undated text can describe an event later than every dated source (the IPS text
describes 18 June 2026, while the newest dated source is of 12 December 2025). So the atlas
says both: the newest date a source states for itself and the newest dated event any source
describes, and how many documents state no date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from geo.models import Claim, Dataset, Event, Feature, Figure

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class AsOf:
    """The data's two dates (ISO, as precise as stated) and the sources that state none."""

    newest_source_date: str | None
    newest_event_date: str | None
    undated_sources: tuple[str, ...]

    def text(self) -> str:
        """One sentence for headers and footers, e.g. 'Data as of: sources dated up to 12 Dec
        2025; events up to 18 Jun 2026 (one source states no date)'."""
        if self.newest_source_date:
            parts = [f"sources dated up to {readable_date(self.newest_source_date)}"]
        else:
            parts = ["no source states its own date"]
        if self.newest_event_date:
            parts.append(f"events up to {readable_date(self.newest_event_date)}")
        out = "Data as of: " + "; ".join(parts)
        n = len(self.undated_sources)
        if n and self.newest_source_date:
            count = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
            out += f" ({count} source{'s' if n > 1 else ''} state{'' if n > 1 else 's'} no date)"
        return out

    def stamp(self) -> str:
        """The later of the two dates, for file names ('undated' when neither is known).

        Where one date contains the other ('2025' and '2025-10-26'), the more precise one is
        kept: it says no more than the other and loses nothing.
        """
        dates = [d for d in (self.newest_source_date, self.newest_event_date) if d]
        if not dates:
            return "undated"
        if len(dates) == 2 and (dates[0].startswith(dates[1]) or dates[1].startswith(dates[0])):
            return max(dates, key=len)
        return max(dates, key=period_end)


def period_end(iso: str) -> date:
    """The last day an ISO date of any precision can stand for ('2026' → 31 Dec 2026)."""
    parts = [int(p) for p in iso.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)


def readable_date(iso: str) -> str:
    """'2026-06-18' → '18 Jun 2026', '2026-06' → 'Jun 2026', '2026' → '2026'."""
    parts = iso.split("-")
    if len(parts) == 1:
        return parts[0]
    month = calendar.month_abbr[int(parts[1])]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


Record = Feature | Event | Figure | Claim


def _cited_sources(record: Record) -> list[str]:
    cites = record.props.citations if isinstance(record, Feature) else record.citations
    return [c.source for c in cites]


def as_of(ds: Dataset, records: list[Record] | None = None) -> AsOf:
    """How recent the data is: over every source and event, or over what `records` cite.

    With `records`, the sources counted are those the records cite, and the events counted
    are the dated events those sources describe (and any events among the records).
    """
    if records is None:
        return _as_of(ds, list(ds.sources), list(ds.events))
    source_ids = list(dict.fromkeys(s for r in records for s in _cited_sources(r)))
    own = [r for r in records if isinstance(r, Event)]
    return _as_of(ds, source_ids, own + [e for e in _described_by(ds, source_ids) if e not in own])


def as_of_sources(ds: Dataset, source_ids: list[str]) -> AsOf:
    """How recent the data of these sources is: their dates and the events they describe.

    For what is drawn from a known set of documents (a chart, a map image, a pack).
    """
    return _as_of(ds, list(source_ids), _described_by(ds, source_ids))


def _described_by(ds: Dataset, source_ids: list[str]) -> list[Event]:
    counted = set(source_ids)
    return [e for e in ds.events if {c.source for c in e.citations} & counted]


def _as_of(ds: Dataset, source_ids: list[str], events: list[Event]) -> AsOf:
    metas = [ds.sources[s].meta for s in source_ids if s in ds.sources]
    dated = [m.published for m in metas if m.published]
    event_dates = [e.date for e in events if e.date]
    return AsOf(
        newest_source_date=max(dated, key=period_end) if dated else None,
        newest_event_date=max(event_dates, key=period_end) if event_dates else None,
        undated_sources=tuple(m.short_name for m in metas if not m.published),
    )
