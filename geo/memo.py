"""Values worked out once per object, for the atlas's frozen records (a Feature, the Dataset).

They cannot be dictionary keys (a frozen dataclass holding dicts does not hash), and a cached
property cannot be set on them. So a value is kept under the object's id, beside the object
itself: an id reused by a later object (after the first was freed) is never mistaken for it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class PerObject:
    """A value per (object, key), made by `make` the first time it is asked for.

    Forgets everything past `limit` entries: the objects of datasets loaded before this one.
    """

    def __init__(self, limit: int):
        self._known: dict[tuple[int, Hashable], tuple[Any, Any]] = {}
        self._limit = limit

    def get(self, obj: Any, key: Hashable, make: Callable[[], Any]) -> Any:
        slot = (id(obj), key)
        known = self._known.get(slot)
        if known is not None and known[0] is obj:
            return known[1]
        if len(self._known) > self._limit:
            self._known.clear()
        value = make()
        self._known[slot] = (obj, value)
        return value
