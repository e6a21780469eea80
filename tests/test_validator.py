"""The validator: sound data passes, each kind of break is reported exactly, nothing valid is lost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.dataset import load_dataset
from tests.conftest import BROKEN, BROKEN_CASES, ROOT, overlay


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow  # starts a process
def test_shipped_data_validates_with_exit_0():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("ok: 5 sources")


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_each_broken_fixture_reports_its_exact_problem(case, tmp_path):
    data = overlay(BROKEN / case, tmp_path / case)
    expected = (BROKEN / case / "expected.txt").read_text().strip()
    ds = load_dataset(data)
    assert [str(p) for p in ds.problems] == [expected]


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_broken_fixture_keeps_every_valid_record(case, ds, tmp_path):
    broken = load_dataset(overlay(BROKEN / case, tmp_path / case))
    assert {f.id for f in broken.features} == {f.id for f in ds.features}
    assert len(broken.figures) == len(ds.figures)
    assert len(broken.events) == len(ds.events)
    assert broken.sources.keys() == ds.sources.keys()


@pytest.mark.parametrize("case", BROKEN_CASES)
@pytest.mark.slow  # starts a process
def test_cli_exits_1_and_prints_exactly_the_problem_line(case, tmp_path):
    data = overlay(BROKEN / case, tmp_path / case)
    result = run_cli("validate", str(data))
    assert result.returncode == 1
    assert result.stdout.splitlines() == (BROKEN / case / "expected.txt").read_text().splitlines()


def _edit(path, fn):
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data))


def test_event_date_must_match_its_precision(data_copy):
    _edit(data_copy / "events.json", lambda d: d["events"][1].update(date="2009-08"))
    problems = [str(p) for p in load_dataset(data_copy).problems]
    assert problems == [
        "data/events.json: pipeline-agreed-2009: -: "
        "Value error, date '2009-08' does not match date_precision 'year'"
    ]


def test_event_related_to_unknown_feature_is_reported_and_kept(data_copy):
    _edit(
        data_copy / "events.json", lambda d: d["events"][1]["related_features"].append("atlantis")
    )
    ds = load_dataset(data_copy)
    event = json.loads((data_copy / "events.json").read_text())["events"][1]
    n = len(event["related_features"]) - 1
    assert [str(p) for p in ds.problems] == [
        f"data/events.json: {event['id']}: related_features[{n}]: unknown or unavailable feature "
        "id 'atlantis'; the event is kept, its link shown as unavailable"
    ]
    assert event["id"] in {e.id for e in ds.events}


def test_events_naming_features_of_a_broken_layer_are_kept(data_copy, ds):
    (data_copy / "layers" / "energy.geojson").write_text("{not json")
    broken = load_dataset(data_copy)
    assert {e.id for e in broken.events} == {e.id for e in ds.events}
    assert any("unknown or unavailable feature id" in str(p) for p in broken.problems)


def test_corrupt_sources_json_keeps_every_record_checked_against_the_texts(data_copy, ds):
    (data_copy / "sources.json").write_text("[")
    broken = load_dataset(data_copy)
    assert broken.sources.keys() == ds.sources.keys()
    assert {f.id for f in broken.features} == {f.id for f in ds.features}
    assert len(broken.figures) == len(ds.figures)
    assert len(broken.events) == len(ds.events)
    assert [str(p) for p in broken.problems] == [
        "data/sources.json: -: -: invalid JSON at line 1 column 2: Expecting value"
    ]


def test_figure_period_not_in_its_quote_needs_a_note(data_copy):
    def add_period(d):
        fig = next(f for f in d["figures"] if not f.get("period"))
        fig.update(period="per fortnight", period_note=None)
        d["_id"] = fig["id"]

    path = data_copy / "figures.json"
    data = json.loads(path.read_text())
    add_period(data)
    fid = data.pop("_id")
    path.write_text(json.dumps(data))
    assert [str(p) for p in load_dataset(data_copy).problems] == [
        f"data/figures.json: {fid}: period: period 'per fortnight' is not stated by any quote; "
        "say where it comes from in period_note"
    ]


def test_undated_event_must_quote_its_relative_date(data_copy):
    path = data_copy / "events.json"
    data = json.loads(path.read_text())
    ev = next(e for e in data["events"] if e["date_precision"] == "undated")
    ev["date_phrase"] = "once upon a time"
    path.write_text(json.dumps(data))
    assert [str(p) for p in load_dataset(data_copy).problems] == [
        f"data/events.json: {ev['id']}: date_phrase: 'once upon a time' is not the words of any "
        "of its quotes"
    ]


def test_duplicate_figure_id_is_reported_once(data_copy):
    _edit(data_copy / "figures.json", lambda d: d["figures"].append(d["figures"][0]))
    ds = load_dataset(data_copy)
    assert [str(p) for p in ds.problems] == [
        "data/figures.json: trade-current-complex-partnership: id: "
        "duplicate id 'trade-current-complex-partnership'"
    ]
    assert len(ds.figures) == 21


def test_unknown_field_is_an_error_not_ignored(data_copy):
    _edit(data_copy / "figures.json", lambda d: d["figures"][0].update(valeu=3))
    problems = [str(p) for p in load_dataset(data_copy).problems]
    assert problems == [
        "data/figures.json: trade-current-complex-partnership: valeu: Extra inputs are not permitted (got 3)"
    ]


def test_figure_quote_changed_by_one_word_is_caught(data_copy):
    _edit(
        data_copy / "figures.json",
        lambda d: d["figures"][1]["citations"][0].update(
            quote=d["figures"][1]["citations"][0]["quote"].replace("$3", "$4")
        ),
    )
    problems = [str(p) for p in load_dataset(data_copy).problems]
    assert len(problems) == 1
    assert problems[0].startswith(
        "data/figures.json: trade-current-tmp: citations[0].quote: not found verbatim"
    )


def test_source_with_unstated_value_needs_a_note(data_copy):
    _edit(data_copy / "sources.json", lambda d: d["sources"][2].update(publisher_note=None))
    ds = load_dataset(data_copy)
    assert (
        "data/sources.json: complex-partnership: -: Value error, publisher is null, so "
        "publisher_note must say why" in [str(p) for p in ds.problems]
    )


def test_border_too_short_is_reported(data_copy):
    path = data_copy / "layers" / "border.geojson"
    _edit(
        path,
        lambda d: d["features"][0]["geometry"].update(
            coordinates=d["features"][0]["geometry"]["coordinates"][:400]
        ),
    )
    problems = [str(p) for p in load_dataset(data_copy).problems]
    assert any(
        p.startswith("data/layers/border.geojson: iran-pakistan-border: geometry: geodesic length")
        for p in problems
    )
    assert any("no end within 10.0 km of the Gwatar Bay" in p for p in problems)
