"""The shipped data: complete, grounded in its sources, geographically honest."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from shapely.geometry import shape

from geo.export import write_pack
from geo.layers import distance_to_line_km, geodesic_km
from tests.conftest import ROOT

SHARED_SOURCES = ROOT.parent / "shared" / "sources"

REQUIRED_FEATURES = {
    "iran-pakistan-border": ("border", None),
    "gabd-rimdan-crossing": ("crossing", None),
    "mand-pishin-crossing": ("crossing", None),
    "chadgi-kouhak-crossing": ("crossing", None),
    "taftan-mirjaveh-crossing": ("crossing", None),
    "gabd-border-market": ("border_market", None),
    "mand-pishin-border-market": ("border_market", None),
    "chadgi-border-market": ("border_market", None),
    "rimdan-gabd-free-trade-zone": ("free_trade_zone", "proposed"),
    "ip-gas-pipeline-iran-leg": ("gas_pipeline", "built"),
    "ip-gas-pipeline-pakistan-leg": ("gas_pipeline", "planned"),
    "ip-gas-pipeline-phase-1": ("gas_pipeline", "approved"),
    "polan-gabd-power-line": ("power_line", None),
    "gwadar-gabd-transit-corridor": ("transit_corridor", None),
    "quetta-taftan-railway": ("railway", None),
    "gwadar-port": ("port", None),
    "chabahar-port": ("port", None),
}


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_shipped_data_has_no_problems(ds):
    assert [str(p) for p in ds.problems] == []


@pytest.mark.parametrize("feature_id", sorted(REQUIRED_FEATURES))
def test_required_feature_is_present_with_citations(ds, feature_id):
    kind, status = REQUIRED_FEATURES[feature_id]
    f = ds.feature(feature_id)
    assert f is not None
    assert f.props.kind == kind
    if status:
        assert f.props.status == status
    assert f.props.citations


needs_originals = pytest.mark.skipif(
    not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside this checkout (CI has it)"
)


@needs_originals
def test_every_quote_is_verbatim_in_the_original_document(ds):
    """Checked against ../shared/sources, not the project's copies, so a copy cannot drift."""
    originals = {
        s.id: fold((SHARED_SOURCES / s.meta.original_file).read_text()) for s in ds.sources.values()
    }
    missing = [
        (kind, rid, c.quote)
        for kind, rid, c in ds.citations()
        if fold(c.quote) not in originals[c.source]
    ]
    assert missing == []
    assert len(ds.citations()) >= 60


@needs_originals
def test_shipped_source_texts_are_the_originals_unchanged(ds):
    for s in ds.sources.values():
        assert s.text == (SHARED_SOURCES / s.meta.original_file).read_text()


def test_source_metadata_matches_what_each_document_states(ds):
    by_id = {s.id: s.meta for s in ds.sources.values()}
    assert by_id["tmp-rising-ties"].published == "2025-10-26"
    assert by_id["nournews-262262"].published == "2025-12-12"
    assert by_id["rasanah-pezeshkian-visit"].url == "https://rasanah-iiis.org/english/?p=13758"
    unstated = [s for s in by_id.values() if s.published is None]
    assert {s.id for s in unstated} == {
        "ips-insights-yamin",
        "rasanah-pezeshkian-visit",
        "complex-partnership",
    }
    assert all(s.published_note for s in unstated)


def test_edited_source_text_is_reported_but_still_served(data_copy):
    from geo.dataset import load_dataset

    path = data_copy / "sources" / "nournews-262262.txt"
    path.write_text(path.read_text() + "\nAn added line.\n")
    ds = load_dataset(data_copy)
    assert len(ds.problems) == 1
    assert str(ds.problems[0]).startswith(
        "data/sources.json: nournews-262262: sha256: sources/nournews-262262.txt has changed"
    )
    assert "nournews-262262" in ds.sources


def test_border_is_long_enough_and_ends_at_tripoint_and_sea(ds):
    border = shape(ds.feature("iran-pakistan-border").geometry)
    assert 900 <= geodesic_km(border) <= 970
    (n_lon, n_lat), (s_lon, s_lat) = border.coords[0], border.coords[-1]
    assert abs(n_lat - 29.86) < 0.05 and 60.80 < n_lon < 60.92
    assert abs(s_lat - 25.18) < 0.05 and 61.55 < s_lon < 61.65


def test_crossings_lie_on_the_border(ds):
    border = shape(ds.feature("iran-pakistan-border").geometry)
    crossings = [f for f in ds.features if f.props.kind == "crossing"]
    assert len(crossings) == 4
    for c in crossings:
        assert distance_to_line_km(shape(c.geometry), border) <= 2.0, c.id


def test_precision_is_honest_for_unpublished_routes(ds):
    for fid in (
        "ip-gas-pipeline-iran-leg",
        "polan-gabd-power-line",
        "gwadar-gabd-transit-corridor",
    ):
        assert ds.feature(fid).props.precision == "schematic"


FIGURES_REQUIRED = {
    "bilateral_trade_current": {"complex-partnership": 2, "tmp-rising-ties": 3},
    "bilateral_trade_target": {"rasanah-pezeshkian-visit": 10, "tmp-rising-ties": 10},
    "memoranda": {"rasanah-pezeshkian-visit": 12, "tmp-rising-ties": 13},
    "smuggled_petroleum_per_day": {"rasanah-pezeshkian-visit": 4000},
    "balochistan_poverty_peak": {"ips-insights-yamin": 47},
    "arbitration_damages": {"rasanah-pezeshkian-visit": 18},
    "pipeline_iran_leg_built_km": {"rasanah-pezeshkian-visit": 900},
    "pipeline_phase1_approved_km": {"rasanah-pezeshkian-visit": 80},
    "gwadar_gabd_corridor_km": {"ips-insights-yamin": 89},
    "iran_kazakhstan_trade_agreement": {"nournews-262262": 92.8},
    "iran_turkmenistan_trade_potential": {"nournews-262262": 3},
}


@pytest.mark.parametrize("metric", sorted(FIGURES_REQUIRED))
def test_required_figure_has_each_sources_value(ds, metric):
    got = {f.citation.source: f.value for f in ds.figures if f.metric == metric}
    assert got == FIGURES_REQUIRED[metric]


def test_figure_value_appears_in_its_own_quote(ds):
    """A figure's number must be in the passage cited for it (as digits or as a word)."""
    number_words = {6: "six", 12: "twelve"}
    for f in ds.figures:
        renderings = {f"{f.value:,.0f}", f"{f.value:g}", number_words.get(f.value, f"{f.value:g}")}
        assert any(r in f.citation.quote.lower() for r in renderings), f.id


def test_every_event_has_topic_and_a_date_of_its_precision(ds):
    assert len(ds.events) >= 12
    for e in ds.events:
        assert len(e.date.split("-")) == {"year": 1, "month": 2, "day": 3}[e.date_precision]


def test_export_writes_the_data_pack(ds, tmp_path: Path):
    paths = write_pack(ds, tmp_path)
    assert [p.name for p in paths] == ["layers.geojson", "figures.csv", "events.csv"]
    layers = json.loads((tmp_path / "layers.geojson").read_text())
    assert layers["type"] == "FeatureCollection"
    assert {s["id"] for s in layers["sources"]} == set(ds.sources)
    assert len(layers["features"]) == len(ds.features)
    for feat in layers["features"]:
        assert feat["properties"]["citations"]
        is_line = feat["geometry"]["type"] in ("LineString", "MultiLineString")
        assert ("length_km" in feat["properties"]) == is_line
    border = next(f for f in layers["features"] if f["id"] == "iran-pakistan-border")
    assert 900 <= border["properties"]["length_km"] <= 970
    with (tmp_path / "figures.csv").open(encoding="utf-8-sig") as fh:
        figures = list(csv.DictReader(fh))
    assert len(figures) == len(ds.figures)
    assert figures[0].keys() >= {"metric", "value", "unit", "source", "quote"}
    with (tmp_path / "events.csv").open(encoding="utf-8-sig") as fh:
        events = list(csv.DictReader(fh))
    assert len(events) == len(ds.events)
    originals = {s.id: fold(s.text) for s in ds.sources.values()}
    for row in figures:
        assert fold(row["quote"]) in originals[row["source"]]
    for row in events:
        for c in json.loads(row["citations"]):
            assert fold(c["quote"]) in originals[c["source"]]
