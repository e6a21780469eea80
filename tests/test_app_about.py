"""AppTest of the About page: counts, sources with their unstated metadata, the verdict."""

from __future__ import annotations

from tests.apptest import app_test
from tests.conftest import BROKEN, overlay


def run_about(monkeypatch, data_dir=None):
    return app_test("pages/about.py", data_dir=data_dir)


def test_about_page_shows_counts_and_a_clean_verdict(monkeypatch, ds):
    at = run_about(monkeypatch)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Sources": "5",
        "Map features": str(len(ds.features)),
        "Figures": str(len(ds.figures)),
        "Events": str(len(ds.events)),
        "Citations": str(len(ds.citations())),
        "Statuses stated by a quote": (
            f"{sum(f.props.status_basis is not None for f in ds.features)} of {len(ds.features)}"
        ),
        "Events dated only in the sources' words": str(
            sum(e.date_precision == "undated" for e in ds.events)
        ),
        "Matters on which the sources differ": str(len(ds.disagreements)),
        "Claims, by topic (Topics page)": str(len(ds.claims)),
    }
    assert "the data is sound" in at.success[0].value
    assert not at.error


def test_about_page_lists_each_source_and_says_what_is_not_stated(monkeypatch):
    at = run_about(monkeypatch)
    sources = at.dataframe[0].value
    assert list(sources["id"]) == [
        "ips-insights-yamin",
        "rasanah-pezeshkian-visit",
        "complex-partnership",
        "tmp-rising-ties",
        "nournews-262262",
    ]
    row = sources.set_index("id").loc["complex-partnership"]
    assert row["publisher"] == "— (not stated)"
    assert row["published"].startswith("— (not stated; its latest event is early 2024")


def test_about_page_lists_layers_with_feature_counts(monkeypatch, ds):
    at = run_about(monkeypatch)
    layers = at.dataframe[1].value.set_index("file")
    assert layers.loc["data/layers/crossings.geojson", "features"] == 4
    assert layers["features"].sum() == len(ds.features)


def test_about_page_with_broken_data_names_the_problem_and_keeps_the_rest(
    monkeypatch, tmp_path, ds
):
    at = run_about(
        monkeypatch, overlay(BROKEN / "quote_not_in_source", tmp_path / "quote_not_in_source")
    )
    assert not at.exception
    assert "1 problem(s) in the data" in at.error[0].value
    assert "not found verbatim" in at.error[0].value
    assert {m.label: m.value for m in at.metric}["Map features"] == str(len(ds.features))
