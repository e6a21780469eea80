"""The finder matches names as people write them: dashes, spaces, case, accents, aliases."""

from __future__ import annotations

import pytest

from geo.finder import find, fold, is_exact


def test_fold_makes_every_dash_and_space_one_separator():
    assert fold("Gabd–Rimdan") == fold("gabd-rimdan") == fold("GABD  rimdan") == "gabd rimdan"
    assert fold("Kōuhak") == "kouhak"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Gabd-Rimdan", "gabd-rimdan-crossing"),
        ("Polan-Gabd", "polan-gabd-power-line"),
        ("Mand-Pishin", "mand-pishin-crossing"),
        ("Chadgi-Kouhak", "chadgi-kouhak-crossing"),
        ("Mand Pishin", "mand-pishin-crossing"),
        ("Chedgi", "chadgi-kouhak-crossing"),
        ("Kuhak", "chadgi-kouhak-crossing"),
        ("Mirjaveh", "taftan-mirjaveh-crossing"),
        ("Peace Pipeline", "ip-gas-pipeline-iran-leg"),
        ("power line", "polan-gabd-power-line"),
        ("gwadar port", "gwadar-port"),
    ],
)
def test_spellings_of_the_sources_find_the_feature_first(ds, typed, expected):
    found = [f.id for f in find(ds, typed)]
    assert expected in found
    assert found[0] == expected or not any(is_exact(ds.feature(x), typed) for x in found[:1])


def test_gabd_finds_gabd_and_nothing_of_chadgi(ds):
    found = [f.id for f in find(ds, "Gabd")]
    assert "gabd-rimdan-crossing" in found
    assert not any("chadgi" in fid for fid in found)


def test_empty_or_unknown_query_finds_nothing(ds):
    assert find(ds, "  ") == []
    assert find(ds, "Atlantis") == []


def test_aliases_come_from_the_data(ds):
    f = ds.feature("chadgi-kouhak-crossing")
    assert "Chedgi" in f.props.aliases
    assert is_exact(f, "chedgi")
