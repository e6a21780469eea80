"""AppTest of the map page: the picker path to every panel, and links that carry the view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.citations import citation_key
from tests.apptest import app_test


def app(query: dict[str, str] | None = None) -> AppTest:
    return app_test(query=query)


def panel_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(h.value for h in at.subheader)


def find(at: AppTest, text: str) -> AppTest:
    """Type into the finder and press Enter."""
    return at.text_input(key="w_find").input(text).run()


def quotes_shown(at: AppTest) -> list[str]:
    """The feature's own numbered quotes: each a blockquote and its "[n]" byline in one element
    (the claims and the versions of a disagreement further down are quotes too, without numbers)."""
    out = []
    for m in at.markdown:
        quote, _, byline = m.value.partition("\n\n")
        if quote.startswith("> ") and byline.startswith("**\\["):
            out.append(quote[2:].replace("\\", ""))
    return out


def test_map_page_opens_without_selection():
    at = app()
    assert not at.exception
    assert "Click one on the map" in at.info[0].value
    assert at.text_input(key="w_find").value == ""
    assert not at.warning


def test_picker_shows_the_panel_with_every_quote(ds):
    at = app()
    find(at, "Polan-Gabd")
    f = ds.feature("polan-gabd-power-line")
    assert at.subheader[0].value == "Polan–Gabd electricity transmission line"
    assert quotes_shown(at) == [" ".join(c.quote.split()) for c in f.props.citations]
    text = panel_text(at)
    assert "Measured geodesically on the atlas" in text.replace("\\", "")
    assert "schematic" in text
    assert at.query_params["feature"] == "polan-gabd-power-line"


def test_every_feature_panel_shows_all_its_citations_with_links(ds):
    at = app()
    for f in ds.features:
        find(at, f.props.name)
        assert at.subheader[0].value.replace("\\", "") == f.props.name
        assert not at.exception
        assert len(quotes_shown(at)) == len(f.props.citations), f.id
        text = panel_text(at)
        for c in f.props.citations:
            assert f"cite={citation_key(c)}" in text


def test_feature_link_selects_that_feature(ds):
    at = app({"feature": "chadgi-kouhak-crossing"})
    assert not at.exception
    assert at.subheader[0].value == "Chadgi–Kouhak crossing"
    assert "proposed" in panel_text(at)


def test_unknown_feature_link_gives_a_notice_and_the_plain_map():
    at = app({"feature": "no-such-place"})
    assert not at.exception
    assert "No feature has the id “no\\-such\\-place”" in at.warning[0].value
    assert "Click one on the map" in at.info[0].value


def test_layers_and_basemap_links_restore_the_view():
    # Streamlit's binding: one value per layer, as the pills name it.
    at = app_test(query={"layers": ["Border", "Border crossings"], "basemap": "OpenStreetMap"})
    assert at.session_state["layers"] == ["border", "crossings"]
    assert at.radio(key="basemap").value == "osm"
    assert not at.warning


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"layers": "Atlantis"}, "Unknown layer Atlantis in the link; showing every layer."),
        ({"basemap": "mars"}, "Unknown basemap “mars”"),
    ],
)
def test_unknown_layer_or_basemap_gives_a_notice(query, notice):
    at = app(query)
    assert not at.exception
    assert notice in at.warning[0].value.replace("\\", "")


def test_view_changes_are_written_back_to_the_url():
    at = app()
    at.radio(key="basemap").set_value("satellite").run()
    find(at, "Gwadar Port")
    assert (
        at.query_params["feature"] == ["gwadar-port"] or at.query_params["feature"] == "gwadar-port"
    )
    assert at.radio(key="basemap").value == "satellite"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Gabd-Rimdan", "gabd-rimdan-crossing"),
        ("Polan-Gabd", "polan-gabd-power-line"),
        ("Mand Pishin", "mand-pishin-crossing"),
        ("Chadgi-Kouhak", "chadgi-kouhak-crossing"),
        ("Chedgi", "chadgi-kouhak-crossing"),
        ("Peace Pipeline", "ip-gas-pipeline-iran-leg"),
        ("power line", "polan-gabd-power-line"),
    ],
)
def test_finder_lists_the_spellings_the_sources_use(ds, typed, expected):
    at = find(app(), typed)
    assert not at.exception
    listed = list(at.radio(key="w_found").options)
    assert ds.feature(expected).props.name in listed
    # A single answer, or a spelling that is a feature's alias, is selected at once.
    if len(listed) == 1 or typed in ds.feature(expected).props.aliases:
        assert at.query_params["feature"] == expected


def test_state_survives_a_trip_to_another_page_and_back():
    at = app({"basemap": "OpenStreetMap", "feature": "gwadar-port"})
    at.switch_page("pages/figures.py").run()
    at.query_params.clear()
    at.switch_page("pages/map.py").run()
    assert at.radio(key="basemap").value == "osm"
    assert at.subheader[0].value == "Gwadar Port"


def test_panel_lists_the_claims_about_its_feature_and_where_the_sources_differ(ds):
    from geo.claims import claims_about_feature, disagreements_about_feature

    at = app()
    find(at, "Chadgi border market")
    assert at.subheader[0].value.replace("\\", "") == "Chadgi border market"
    # Every blockquote in the panel: a claim's label, quote and byline are one element.
    quotes = [
        part[2:].replace("\\", "")
        for m in at.markdown
        for part in m.value.split("\n\n")
        if part.startswith("> ")
    ]
    shown = " ".join(" ".join(q.split()) for q in quotes)
    claims = claims_about_feature(ds, "chadgi-border-market")
    assert claims
    for c in claims:
        assert " ".join(c.citation.quote.split()) in shown, c.id
    differ = disagreements_about_feature(ds, "chadgi-border-market")
    assert [d.id for d in differ] == ["chadgi-market-and-crossing"]
    text = panel_text(at).replace("\\", "")
    assert "The sources differ: What is there at Chadgi" in text
    for v in differ[0].versions:
        assert v.value in text
        assert " ".join(v.citation.quote.split()) in shown


def test_map_header_states_the_as_of_from_the_data(ds):
    from geo.asof import as_of

    at = app()
    header = next(m.value for m in at.markdown if "Data as of" in m.value).replace("\\", "")
    assert as_of(ds).text() in header
    assert "18 Jun 2026" in header and "12 Dec 2025" in header
