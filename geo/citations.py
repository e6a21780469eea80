"""Which records cite which passages, and a document rendered with those passages highlighted."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from urllib.parse import urlencode

from geo.models import Citation, Dataset, Resolved, Source
from geo.sources import FoldedText, normalise
from geo.text import h
from geo.vocabulary import topic_href


def citation_key(citation: Citation) -> str:
    """A short, stable key for one citation: the Sources page finds the passage by it."""
    return citation.key


def citation_href(citation: Citation) -> str:
    """The Sources page link that opens a citation's document at the passage, highlighted."""
    return citation.href


def resolve(citation: Citation, source: Source, folded: FoldedText) -> Resolved | None:
    """Find `citation` in its source's folded text; None when it is not there verbatim."""
    quote = normalise(citation.quote)
    at = folded.folded.find(quote)
    if at < 0:
        return None
    start, end = folded.span(at, at + len(quote))
    return Resolved(
        meta=source.meta,
        written=citation.quote,
        quote=" ".join(citation.quote.split()),
        key=citation.key,
        href=citation.href,
        start=start,
        end=end,
    )


@dataclass(frozen=True)
class Citer:
    """A record that cites a passage: its kind, id, display name and where it lives in the app."""

    kind: str  # feature, figure, event, disagreement or claim
    id: str
    name: str
    topic: str | None = None  # for a claim: the topic it is first read under

    @property
    def href(self) -> str:
        if self.kind == "feature":
            return "/?" + urlencode({"feature": self.id})
        if self.kind == "event":
            return "/timeline?" + urlencode({"event": self.id})
        if self.kind == "disagreement":
            return "/sources?" + urlencode({"tab": "disagreements"})
        if self.kind == "claim":
            # By the label its pills write (?topic=Energy): with an id, Streamlit's binding left
            # a bare /topics in the address and Back to it opened the first topic.
            return topic_href(self.topic or "")
        # The Figures page shows the figure a link names first, with its quote.
        return "/figures?" + urlencode({"figure": self.id})


@dataclass(frozen=True)
class Passage:
    """One cited passage of a document: its span, its key and everything that cites it."""

    source: str
    key: str
    start: int
    end: int
    quote: str
    citers: tuple[Citer, ...]


def citers_of(ds: Dataset) -> dict[tuple[str, str], list[Citer]]:
    """(source id, citation key) → the records citing that passage."""
    names: dict[tuple[str, str], str] = {}
    for f in ds.features:
        names[("feature", f.id)] = f.props.name
    for fig in ds.figures:
        names[("figure", fig.id)] = f"{fig.label}: {fig.value_text}"
    for e in ds.events:
        names[("event", e.id)] = f"{e.date or e.date_phrase}: {e.title}"
    for d in ds.disagreements:
        names[("disagreement", d.id)] = f"Where the sources differ: {d.topic}"
    for cl in ds.claims:
        names[("claim", cl.id)] = f"What the sources say: {cl.label}"
    topic_of = {cl.id: cl.topics[0] for cl in ds.claims}
    out: dict[tuple[str, str], list[Citer]] = {}
    for kind, rid, c in ds.citations():
        citer = Citer(kind, rid, names[(kind, rid)], topic_of.get(rid) if kind == "claim" else None)
        bucket = out.setdefault((c.source, citation_key(c)), [])
        if citer not in bucket:
            bucket.append(citer)
    return out


def passages(ds: Dataset, source_id: str) -> list[Passage]:
    """Every cited passage of one document, in reading order."""
    src = ds.sources.get(source_id)
    if src is None:
        return []
    by_key: dict[str, Resolved] = {}
    for _, _, c in ds.citations():
        r = ds.resolved.get((c.source, citation_key(c)))
        if c.source == source_id and r is not None:
            by_key.setdefault(r.key, r)
    index = citers_of(ds)
    out = []
    for key, r in by_key.items():
        out.append(Passage(source_id, key, r.start, r.end, r.quote, tuple(index[(source_id, key)])))
    return sorted(out, key=lambda p: (p.start, p.end))


def highlighted_html(
    text: str, marks: list[tuple[int, int, str, str]], focus: str | None = None
) -> str:
    """The text, escaped, with each (start, end, key, title) span wrapped in <mark>.

    Overlapping spans are cut at every boundary, so each piece of text is marked once, with the
    keys of every span covering it. The first piece of each span carries an id, so that
    `#cite-<key>` scrolls there; the `focus` key's pieces get the class `atlas-focus`.
    """
    cuts = sorted({0, len(text), *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    started: set[str] = set()
    parts = []
    for a, b in itertools.pairwise(cuts):
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        piece = h(text[a:b])
        if not covering:
            parts.append(piece)
            continue
        keys = [k for _, _, k, _ in covering]
        anchors = "".join(f'<span id="cite-{h(k)}"></span>' for k in keys if k not in started)
        started.update(keys)
        classes = "atlas-mark" + (" atlas-focus" if focus in keys else "")
        title = " | ".join(dict.fromkeys(t for _, _, _, t in covering))
        parts.append(
            f'{anchors}<mark class="{classes}" data-cite="{h(" ".join(keys))}" title="{h(title)}">{piece}</mark>'
        )
    return "".join(parts)
