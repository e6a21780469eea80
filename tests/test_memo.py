"""geo.memo.PerObject: a value made once per (object, key), never handed to another object."""

from __future__ import annotations

from geo.memo import PerObject


class Record:
    __hash__ = None  # like the atlas's frozen records holding dicts: not a dictionary key


def test_a_value_is_made_once_per_object_and_key_and_never_given_to_another_object():
    memo, made = PerObject(limit=10), []

    def make(tag):
        made.append(tag)
        return tag

    a, b = Record(), Record()
    assert memo.get(a, "k", lambda: make("a")) == "a"
    assert memo.get(a, "k", lambda: make("again")) == "a"  # kept
    assert memo.get(a, "other", lambda: make("a2")) == "a2"  # another key, another value
    assert memo.get(b, "k", lambda: make("b")) == "b"  # another object, even alike
    assert made == ["a", "a2", "b"]


def test_past_its_limit_it_forgets_and_makes_again():
    memo, made = PerObject(limit=2), []
    objs = [Record() for _ in range(4)]
    for o in objs:
        memo.get(o, None, lambda o=o: made.append(o) or len(made))
    memo.get(objs[0], None, lambda: made.append("again") or 0)
    assert made[-1] == "again"
