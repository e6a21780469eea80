"""The claims layer read by topic and by feature: what each source says, and where they differ.

Pure: takes a loaded Dataset and returns its records in a stable reading order, so the Topics
page, the map's panel and the data pack list the same things in the same order.
"""

from __future__ import annotations

from typing import get_args

from geo.models import Claim, Dataset, Disagreement, Topic

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
