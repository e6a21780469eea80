"""Source documents: loading, verbatim quote lookup and full-text search.

A quote matches its source when the two are equal after every run of whitespace is
folded to one space; nothing else (case, punctuation, typography) is forgiven.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold every run of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class FoldedText:
    """A text with whitespace folded, and for each folded character its offset in the original."""

    folded: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        chars: list[str] = []
        offsets: list[int] = []
        for m in re.finditer(r"\S+", text):
            if chars:
                chars.append(" ")
                offsets.append(m.start() - 1)
            chars.extend(m.group())
            offsets.extend(range(m.start(), m.end()))
        return cls("".join(chars), tuple(offsets))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text back to the original text."""
        return self.offsets[start], self.offsets[end - 1] + 1


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Return the [start, end) span of `quote` in `text` (whitespace folded), or None."""
    folded = FoldedText.of(text)
    at = folded.folded.find(normalise(quote))
    if at < 0 or not quote.strip():
        return None
    return folded.span(at, at + len(normalise(quote)))


@dataclass(frozen=True)
class Hit:
    """One search hit: where it is in the original text and the sentence around it."""

    source_id: str
    start: int
    end: int
    sentence: str


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def search(texts: dict[str, str], query: str) -> list[Hit]:
    """Find a word or phrase in every text, case-insensitively; words match as prefixes.

    Each word of the query must begin a word of the text ("smuggl" finds "smuggling" and
    "smuggled"); the last word may run on, the others must end where the text's word ends, so
    a phrase stays a phrase. A query in double quotes matches whole words only. The query is
    literal text, never a pattern: regex characters in it match themselves. Whitespace in
    the query matches any run of whitespace in the text.
    """
    exact = len(query.strip()) > 1 and query.strip().startswith('"') and query.strip().endswith('"')
    words = (query.strip()[1:-1] if exact else query).split()
    if not words:
        return []
    body = r"\s+".join(re.escape(w) for w in words)
    # Words start where no word character touches them (a query such as "$10" starts with
    # punctuation and needs no boundary); a prefix runs on to the end of the text's word.
    left = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    ends_in_word = re.search(r"\w$", words[-1]) is not None
    right = (r"(?!\w)" if exact else r"\w*") if ends_in_word else ""
    pattern = re.compile(left + body + right, re.IGNORECASE)
    hits = []
    for source_id, text in texts.items():
        for m in pattern.finditer(text):
            hits.append(
                Hit(source_id, m.start(), m.end(), _sentence_around(text, m.start(), m.end()))
            )
    return hits


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or paragraph line) that holds [start, end), whitespace folded."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() if m else len(text)
    sentence = normalise(text[left:right])
    return sentence if len(sentence) <= 600 else sentence[:600] + "…"
