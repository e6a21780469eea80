"""What the map panel says about one feature, each statement marked as whose word it is.

A reader must be able to tell, for every sentence and every status, whether it is the sources'
word (and which quote) or the atlas's own placement note. This module builds that as escaped
Markdown blocks; pages/map.py only renders them. Pure: no Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.citations import citation_href
from geo.claims import (
    ClaimBlock,
    DisagreementBlock,
    claim_block,
    claims_about_feature,
    disagreement_block,
    disagreements_about_feature,
)
from geo.layers import measured_length_km
from geo.models import Citation, Dataset, Feature
from geo.text import md
from geo.vocabulary import KIND_LABEL, MARKER, PRECISION_MEANING, STATUS_LABEL


@dataclass(frozen=True)
class Quote:
    """One numbered citation as the panel shows it."""

    number: int
    text: str  # escaped Markdown
    byline: str  # escaped Markdown with a link to the passage in context
    href: str


@dataclass(frozen=True)
class Panel:
    """The panel's blocks, each escaped Markdown ready for st.markdown."""

    title: str
    facts: str  # kind · status · precision
    status: str  # the status and whose word it is
    precision: str
    length: str | None
    summary: str  # sentences with [n] markers linking to the quotes
    quotes: tuple[Quote, ...]
    placement: str  # the atlas's own placement note, labelled as such
    events: tuple[str, ...]
    # What else the sources say about the feature (claims linking it), and the matters on which
    # they differ about it, each version with its quote.
    claims: tuple[ClaimBlock, ...] = ()
    differences: tuple[DisagreementBlock, ...] = ()


def _byline(ds: Dataset, c: Citation) -> str:
    resolved = ds.cite(c)
    src = ds.sources.get(c.source)
    ref = resolved.reference if resolved else (src.meta.reference() if src else c.source)
    return f"— {md(ref)} · [Read it in context]({citation_href(c)})"


def _marked(summary: str, quotes: tuple[Quote, ...]) -> str:
    """The summary escaped, each [n] marker turned into a link to quote n's passage."""
    by_number = {q.number: q for q in quotes}
    out, last = [], 0
    for m in MARKER.finditer(summary):
        out.append(md(summary[last : m.start()]))
        q = by_number.get(int(m.group(1)))
        out.append(f"[\\[{q.number}\\]]({q.href})" if q else md(m.group(0)))
        last = m.end()
    out.append(md(summary[last:]))
    return "".join(out)


def length_line(feature: Feature) -> str | None:
    """'Measured X km on the atlas's geometry · the sources claim Y km' for lines; None for points."""
    measured = measured_length_km(feature)
    if measured is None:
        return None
    claimed = feature.props.claimed_length_km
    out = (
        f"Measured geodesically on the atlas's {feature.props.precision} geometry: "
        f"{measured:,.1f} km"
    )
    if claimed:
        out += f" · the sources claim {claimed:,.0f} km ({measured - claimed:+,.0f} km)"
    else:
        out += " · the sources give no length"
    return out


def status_basis_number(feature: Feature) -> int | None:
    """The number of the citation whose quote states the status, if it is one of the feature's."""
    basis = feature.props.status_basis
    if basis is None:
        return None
    for n, c in enumerate(feature.props.citations, 1):
        if c.source == basis.source and " ".join(basis.quote.split()) in " ".join(c.quote.split()):
            return n
    return None


def build_panel(ds: Dataset, feature: Feature) -> Panel:
    """Everything the panel shows for `feature`, each statement labelled by whose word it is."""
    p = feature.props
    quotes = tuple(
        Quote(n, md(" ".join(c.quote.split())), _byline(ds, c), citation_href(c))
        for n, c in enumerate(p.citations, 1)
    )
    status = STATUS_LABEL[p.status]
    if p.status_basis is not None:
        n = status_basis_number(feature)
        ref = f" [\\[{n}\\]]({quotes[n - 1].href})" if n else ""
        src = ds.sources.get(p.status_basis.source)
        who = src.meta.short_name if src else p.status_basis.source
        status_md = (
            f"**Status: {md(status)}**, the sources' word{ref}: "
            f"“{md(' '.join(p.status_basis.quote.split()))}” ({md(who)}, "
            f"[in context]({citation_href(p.status_basis)}))"
        )
    else:
        status_md = (
            f"**Status: {md(status)}**, not stated by the sources. "
            f"Atlas's note: {md(p.status_note or '')}"
        )
    related = [e for e in ds.events if feature.id in e.related_features]
    return Panel(
        title=md(p.name),
        facts=(
            f"**{md(KIND_LABEL[p.kind].capitalize())}** · {md(status)} · {md(p.precision)} geometry"
        ),
        status=status_md,
        precision=md(f"{p.precision.capitalize()}: {PRECISION_MEANING[p.precision]}"),
        length=md(length_line(feature)) if length_line(feature) else None,
        summary=_marked(p.summary, quotes),
        quotes=quotes,
        placement=(
            "**Atlas's placement note** (how the atlas drew it; not the sources' word): "
            + md(p.geometry_source)
        ),
        events=tuple(f"{md(e.date or e.date_phrase or '')}: {md(e.title)}" for e in related),
        claims=tuple(claim_block(ds, c) for c in claims_about_feature(ds, feature.id)),
        differences=tuple(
            disagreement_block(ds, d) for d in disagreements_about_feature(ds, feature.id)
        ),
    )


def plain_summary(summary: str) -> str:
    """The summary without its [n] markers, for places that show no quotes beside it."""
    return re.sub(r"\s*(?:\[\d{1,2}\])+", "", summary)
