"""Query parameters: the integer parser takes ASCII digits in range, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.params import int_param


@pytest.mark.parametrize(
    ("raw", "lo", "hi", "expected"),
    [
        ("3", 0, 10, 3),
        ("0", 0, 10, 0),
        ("10", 0, 10, 10),
        ("11", 0, 10, None),
        ("-1", 0, 10, None),
        ("-1", -5, 5, -1),
        ("²", 0, 10, None),
        ("٣", 0, 10, None),
        ("9" * 5000, 0, 10**6, None),
        ("", 0, 10, None),
        ("-", -5, 5, None),
        ("1.0", 0, 10, None),
        ("1_0", 0, 100, None),
        (None, 0, 10, None),
        (["1"], 0, 10, None),
    ],
)
def test_int_param(raw, lo, hi, expected):
    assert int_param(raw, lo, hi) == expected


@given(
    st.one_of(st.text(alphabet=st.characters(codec=None)), st.text("0123456789²-", max_size=6000))
)
def test_int_param_never_raises_and_stays_in_range(raw):
    got = int_param(raw, 0, 1000)
    assert got is None or 0 <= got <= 1000
