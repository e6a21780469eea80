"""The map's finder: match a typed name the way people write it, not only the atlas's spelling.

Hyphens, en and em dashes, slashes and spaces are all the same separator; case and accents are
folded; every word typed must begin a word of the feature's name, one of its aliases (kept in
the data beside the feature) or its kind.
"""

from __future__ import annotations

import re
import unicodedata

from geo.models import Dataset, Feature
from geo.vocabulary import KIND_LABEL

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―/_·,.:;()'’]+")


def fold(text: str) -> str:
    """Lower case, accents stripped, every dash, slash or punctuation run made one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", plain.casefold()).strip()


def _words(feature: Feature) -> list[list[str]]:
    p = feature.props
    return [fold(t).split() for t in (p.name, *p.aliases, KIND_LABEL[p.kind])]


def _matches(query: list[str], haystack: list[list[str]]) -> bool:
    words = {w for phrase in haystack for w in phrase}
    return all(any(w.startswith(q) for w in words) for q in query)


def is_exact(feature: Feature, query: str) -> bool:
    """Whether `query` is the feature's name or one of its aliases, folded."""
    q = fold(query)
    return bool(q) and any(fold(t) == q for t in (feature.props.name, *feature.props.aliases))


def find(ds: Dataset, query: str, limit: int = 10) -> list[Feature]:
    """Features whose name, aliases or kind hold every word of `query`, best match first.

    A feature whose name or an alias begins with the whole query comes first; then the rest,
    in the data's order. An empty query finds nothing.
    """
    q = fold(query)
    if not q:
        return []
    words = q.split()
    found = [f for f in ds.features if _matches(words, _words(f))]

    def rank(f: Feature) -> int:
        phrases = [" ".join(p) for p in _words(f)[:-1]]
        if is_exact(f, q):
            return 0
        return 1 if any(p.startswith(q) for p in phrases) else 2

    return sorted(found, key=rank)[:limit]
