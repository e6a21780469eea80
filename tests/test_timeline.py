"""The timeline builder: one trace per event, each date drawn only as precisely as it is known."""

from __future__ import annotations

from datetime import date

from geo.timeline import (
    date_label,
    extent,
    filter_events,
    timeline_brief_chart,
    timeline_chart,
)


def test_one_shape_per_event_and_a_click_target_on_every_bar(ds):
    d = timeline_chart(ds, filter_events(ds)).figure.to_dict()
    dated = [e for e in ds.events if e.date is not None]
    drawn = [t for t in d["data"] if t["type"] == "bar" or t.get("marker", {}).get("symbol")]
    assert len(drawn) == len(dated) >= 11
    assert sorted(t["customdata"][0] for t in drawn) == sorted(e.id for e in dated)
    bars = {t["customdata"][0] for t in d["data"] if t["type"] == "bar"}
    targets = [
        t
        for t in d["data"]
        if t["type"] == "scatter" and t["mode"] == "markers" and t["customdata"][0] in bars
    ]
    assert {t["customdata"][0] for t in targets} == bars
    assert all(t["marker"]["size"] >= 18 for t in targets)


def test_a_bars_label_stands_beside_it_never_over_it(ds):
    """A year's bar was labelled from its middle, the label written over half the bar."""
    from datetime import timedelta

    d = timeline_chart(ds, filter_events(ds)).figure.to_dict()
    by_id = {e.id: e for e in ds.events}
    labels = {t["customdata"][0]: t for t in d["data"] if t.get("mode") == "text"}
    bars = {t["customdata"][0] for t in d["data"] if t["type"] == "bar"}
    assert set(labels) == bars
    for eid, t in labels.items():
        start, end = extent(by_id[eid])
        at = date.fromisoformat(str(t["x"][0])[:10])
        if t["textposition"] == "middle left":
            assert at == start, eid  # the label ends where the bar begins
        else:
            assert t["textposition"] == "middle right" and at == end + timedelta(days=1), eid
        assert by_id[eid].title.split()[0] in t["text"][0], eid


def test_undated_events_are_listed_apart_never_placed_on_a_year(ds):
    undated = filter_events(ds, dated=False)
    assert undated and all(e.date is None and e.date_precision == "undated" for e in undated)
    assert not set(e.id for e in undated) & set(e.id for e in filter_events(ds))
    label = date_label(undated[0])
    assert (
        undated[0].date_phrase in label and "relative to the document or to another event" in label
    )


def test_year_precision_events_are_drawn_as_the_whole_year(ds):
    d = timeline_chart(ds, filter_events(ds)).figure.to_dict()
    by_id = {t["customdata"][0]: t for t in d["data"] if t["type"] == "bar"}
    day_ms = 86_400_000
    year = by_id["pipeline-iran-leg-completed-2013"]
    assert (str(year["base"][0]), year["x"][0]) == ("2013-01-01", 365 * day_ms)
    month = by_id["pipeline-phase1-approved-2024-03"]
    assert (str(month["base"][0]), month["x"][0]) == ("2024-03-01", 31 * day_ms)
    day = {t["customdata"][0]: t for t in d["data"]}["islamabad-mou-2026-06-18"]
    assert [str(x) for x in day["x"]] == ["2026-06-18"] and day["mode"] == "markers+text"


def test_extent_and_label_follow_precision(ds):
    by_id = {e.id: e for e in ds.events}
    assert extent(by_id["pipeline-agreed-2009"]) == (date(2009, 1, 1), date(2009, 12, 31))
    assert extent(by_id["mand-pishin-market-inaugurated-2023-05"]) == (
        date(2023, 5, 1),
        date(2023, 5, 31),
    )
    attacks = next(e for e in ds.events if e.date_note and "early 2024" in e.date_note)
    assert date_label(attacks).startswith("2024 (")
    assert date_label(by_id["islamabad-mou-2026-06-18"]) == "18 June 2026"


def test_filters_by_topic_and_source(ds):
    energy = filter_events(ds, topics=["energy"])
    assert energy and all(e.topic == "energy" for e in energy)
    nour = filter_events(ds, sources=["nournews-262262"])
    assert [e.id for e in nour] == ["kazakhstan-trade-agreement-2025"]
    assert filter_events(ds, topics=[]) == []


def test_recent_view_names_what_it_leaves_out(ds):
    chart = timeline_chart(ds, filter_events(ds), since=2010)
    assert "1 earlier event(s) are left out of this view (2009" in chart.note
    drawn = {t["customdata"][0] for t in chart.figure.to_dict()["data"]}
    assert "pipeline-agreed-2009" not in drawn and len(drawn) == len(filter_events(ds)) - 1
    assert chart.source_ids() and set(chart.source_ids()) <= set(ds.sources)


def test_every_event_has_its_own_row_and_its_label_on_the_chart(ds):
    """Bars carried no labels (hover each one) and a year's bar overlapped a month in it."""
    events = filter_events(ds)
    d = timeline_chart(ds, events).figure.to_dict()
    labelled = {t["customdata"][0]: t for t in d["data"] if t.get("text")}
    assert set(labelled) == {e.id for e in events}
    rows = {t["customdata"][0]: t["y"][0] for t in labelled.values()}
    assert sorted(rows.values()) == list(range(len(events)))
    for e in events:
        assert e.title.split()[0] in labelled[e.id]["text"][0]
    # A click selects without fading the others.
    assert all(t["unselected"]["marker"]["opacity"] >= 0.85 for t in d["data"])


def test_the_brief_image_counts_the_undated_events(ds):
    undated = filter_events(ds, dated=False)
    chart = timeline_brief_chart(ds, filter_events(ds), undated=len(undated))
    assert f"+ {len(undated)} undated, listed in the CSV" in chart.note
