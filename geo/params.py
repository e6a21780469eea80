"""Query parameters read defensively: a link is text from anyone and must never raise."""

from __future__ import annotations

# More digits than any index the atlas shows; a longer string is refused before int() sees it,
# so a link of thousands of digits costs nothing (and never meets Python's int-size limit).
MAX_DIGITS = 9


def int_param(raw: object, lo: int, hi: int) -> int | None:
    """`raw` as an int in [lo, hi], or None when it is anything else.

    Only ASCII digits count: str.isdigit() also accepts "²" or "٣", which int() then rejects
    or reads as another number. A leading "-" is allowed when `lo` is negative.
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    body = text[1:] if text.startswith("-") else text
    if not body or len(body) > MAX_DIGITS or not (body.isascii() and body.isdigit()):
        return None
    value = int(text)
    return value if lo <= value <= hi else None
