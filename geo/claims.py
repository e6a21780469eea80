"""The claims layer read by topic and by feature: what each source says, and where they differ.

Pure: takes a loaded Dataset and returns its records in a stable reading order, so the Topics
page, the map's panel and the data pack list the same things in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args
from urllib.parse import urlencode

from geo.citations import citation_href
from geo.models import Citation, Claim, Dataset, Disagreement
from geo.text import md
from geo.vocabulary import DISAGREEMENT_LABEL, TOPIC_LABEL, Topic

# The order topics are offered in: the border itself first, then what happens across it.
TOPICS: list[str] = list(get_args(Topic))


def _reading_order(ds: Dataset):
    """Sort key: the source's place in sources.json, then the quote's place in its document."""
    order = {sid: n for n, sid in enumerate(ds.sources)}

    def key(claim: Claim) -> tuple:
        resolved = ds.cite(claim.citation)
        return (
            order.get(claim.citation.source, len(order)),
            resolved.start if resolved else 0,
            claim.id,
        )

    return key


def claims_on_topic(ds: Dataset, topic: str) -> list[Claim]:
    """The claims read under `topic`, by source, each source's in the order its text says them."""
    return sorted((c for c in ds.claims if topic in c.topics), key=_reading_order(ds))


def claims_about_feature(ds: Dataset, feature_id: str) -> list[Claim]:
    """The claims that concern one map feature, by source and place in the document."""
    return sorted((c for c in ds.claims if feature_id in c.features), key=_reading_order(ds))


def claims_by_source(claims: list[Claim]) -> dict[str, list[Claim]]:
    """The claims grouped by the source of their own quote, keeping their order."""
    out: dict[str, list[Claim]] = {}
    for c in claims:
        out.setdefault(c.citation.source, []).append(c)
    return out


def disagreements_on_topic(ds: Dataset, topic: str) -> list[Disagreement]:
    """The disagreements read under `topic`, in the order of disagreements.json."""
    return [d for d in ds.disagreements if topic in d.topics]


def disagreements_about_feature(ds: Dataset, feature_id: str) -> list[Disagreement]:
    """The disagreements that concern one map feature, in the order of disagreements.json."""
    return [d for d in ds.disagreements if feature_id in d.features]


def topic_counts(ds: Dataset) -> dict[str, tuple[int, int]]:
    """topic → (claims, disagreements) read under it, for every topic in TOPICS."""
    return {t: (len(claims_on_topic(ds, t)), len(disagreements_on_topic(ds, t))) for t in TOPICS}


# --- What the Topics page and the map's panel show: escaped Markdown, built here, rendered by
# the pages. Every statement is a quote; the label naming its matter is the atlas's, and says so.


@dataclass(frozen=True)
class ClaimBlock:
    """One claim as a reader sees it: the atlas's label, the quote, its source and the links."""

    id: str
    source: str
    label: str  # escaped Markdown: the atlas's words naming the matter
    quote: str  # escaped Markdown: the verbatim quote
    byline: str  # escaped Markdown: the source, with a link to the passage in context
    links: tuple[str, ...]  # escaped Markdown links to the features, events and figures


@dataclass(frozen=True)
class VersionBlock:
    """One source's version of a disputed matter."""

    source: str
    value: str  # escaped Markdown: the atlas's reading of the quote
    quote: str
    byline: str


@dataclass(frozen=True)
class DisagreementBlock:
    """A matter the sources differ on: what it is, the atlas's reading of the kind, each version."""

    id: str
    title: str  # escaped Markdown
    kind: str  # escaped Markdown: the kind, labelled as the atlas's reading
    note: str  # escaped Markdown
    versions: tuple[VersionBlock, ...]
    links: tuple[str, ...]


def _source_name(ds: Dataset, source_id: str) -> str:
    src = ds.sources.get(source_id)
    return src.meta.short_name if src else source_id


def _byline(ds: Dataset, citation: Citation) -> str:
    # The short name: these quotes sit in narrow columns, side by side; the passage in context
    # (one click) and the Sources page give the full reference.
    resolved = ds.cite(citation)
    name = resolved.short_name if resolved else _source_name(ds, citation.source)
    return f"— {md(name)} · [Read it in context]({citation_href(citation)})"


def record_links(
    ds: Dataset, features: list[str], events: list[str], figures: list[str]
) -> tuple[str, ...]:
    """Escaped Markdown links to records elsewhere in the atlas: map, timeline, Figures page.

    A link to a record that is not loaded (its data is broken) is named as unavailable.
    """
    out = []
    for fid in features:
        f = ds.feature(fid)
        out.append(
            f"[{md(f.props.name)}](/?{urlencode({'feature': fid})}) (map)"
            if f
            else f"{md(fid)} (map feature unavailable)"
        )
    by_event = {e.id: e for e in ds.events}
    for eid in events:
        e = by_event.get(eid)
        out.append(
            f"[{md(e.title)}](/timeline?{urlencode({'event': eid})}) (timeline)"
            if e
            else f"{md(eid)} (event unavailable)"
        )
    by_figure = {f.id: f for f in ds.figures}
    for gid in figures:
        g = by_figure.get(gid)
        if g is None:
            out.append(f"{md(gid)} (figure unavailable)")
            continue
        # Whose figure: three sources give the border's length, each its own link.
        per = _source_name(ds, g.citation.source)
        out.append(
            f"[{md(g.label)}: {md(g.value_text)}, per {md(per)}]"
            f"(/figures?{urlencode({'figure': gid})}) (figures)"
        )
    return tuple(out)


def claim_block(ds: Dataset, claim: Claim) -> ClaimBlock:
    """One claim, escaped for st.markdown."""
    c = claim.citation
    return ClaimBlock(
        id=claim.id,
        source=c.source,
        label=md(claim.label),
        quote=md(" ".join(c.quote.split())),
        byline=_byline(ds, c),
        links=record_links(ds, list(claim.features), list(claim.events), list(claim.figures)),
    )


def disagreement_block(ds: Dataset, d: Disagreement) -> DisagreementBlock:
    """One disagreement, escaped for st.markdown, its versions in the file's order."""
    return DisagreementBlock(
        id=d.id,
        title=md(d.topic),
        kind=f"Kind, as the atlas reads it: **{md(DISAGREEMENT_LABEL[d.kind])}**",
        note=f"Atlas's note: {md(d.note)}",
        versions=tuple(
            VersionBlock(
                source=v.citation.source,
                value=md(v.value),
                quote=md(" ".join(v.citation.quote.split())),
                byline=_byline(ds, v.citation),
            )
            for v in d.versions
        ),
        links=record_links(ds, list(d.features), [], []),
    )


@dataclass(frozen=True)
class TopicView:
    """Everything the Topics page shows for one topic."""

    topic: str
    label: str
    by_source: tuple[tuple[str, str, tuple[ClaimBlock, ...]], ...]  # (source id, name, claims)
    silent: tuple[str, ...]  # names of sources that say nothing recorded on the topic
    differences: tuple[DisagreementBlock, ...]
    features: tuple[str, ...]  # escaped Markdown links, each record once
    events: tuple[str, ...]
    figures: tuple[str, ...]


def topic_view(ds: Dataset, topic: str) -> TopicView:
    """What each source says on `topic`, where they differ, and the records concerned."""
    claims = claims_on_topic(ds, topic)
    grouped = claims_by_source(claims)
    by_source = tuple(
        (sid, md(_source_name(ds, sid)), tuple(claim_block(ds, c) for c in grouped[sid]))
        for sid in ds.sources
        if sid in grouped
    )
    differ = disagreements_on_topic(ds, topic)
    feature_ids = list(
        dict.fromkeys(
            [f for c in claims for f in c.features] + [f for d in differ for f in d.features]
        )
    )
    event_ids = list(dict.fromkeys(e for c in claims for e in c.events))
    figure_ids = list(dict.fromkeys(g for c in claims for g in c.figures))
    return TopicView(
        topic=topic,
        label=TOPIC_LABEL[topic],
        by_source=by_source,
        silent=tuple(_source_name(ds, s) for s in ds.sources if s not in grouped),
        differences=tuple(disagreement_block(ds, d) for d in differ),
        features=record_links(ds, feature_ids, [], []),
        events=record_links(ds, [], event_ids, []),
        figures=record_links(ds, [], [], figure_ids),
    )
