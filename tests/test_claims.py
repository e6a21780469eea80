"""The claims layer: every claim verbatim and linked to real records, read by topic and by
feature in a stable order, and an honest "as of" computed from the data."""

from __future__ import annotations

import json
import re

import pytest

from geo.asof import AsOf, as_of, period_end, readable_date
from geo.claims import (
    TOPICS,
    claims_about_feature,
    claims_on_topic,
    disagreements_about_feature,
    disagreements_on_topic,
)
from geo.dataset import load_dataset
from geo.vocabulary import TOPIC_LABEL
from tests.conftest import ROOT

CLAIMS = json.loads((ROOT / "data" / "claims.json").read_text())["claims"]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_claim_of_the_file_is_loaded(ds):
    assert [c.id for c in ds.claims] == [c["id"] for c in CLAIMS]


@pytest.mark.parametrize("claim", CLAIMS, ids=[c["id"] for c in CLAIMS])
def test_every_claim_quote_is_verbatim_and_once_in_its_document(ds, claim):
    for citation in claim["citations"]:
        text = fold(ds.sources[citation["source"]].text)
        assert fold(citation["quote"]) in text
        assert text.count(fold(citation["quote"])) == 1, "a quote must point at one passage"


def test_every_claim_links_only_records_that_exist(ds):
    features = {f.id for f in ds.features}
    events = {e.id for e in ds.events}
    figures = {f.id for f in ds.figures}
    for c in ds.claims:
        assert set(c.features) <= features, c.id
        assert set(c.events) <= events, c.id
        assert set(c.figures) <= figures, c.id


def test_every_topic_has_a_reader_label_and_claims():
    assert set(TOPICS) == set(TOPIC_LABEL)
    ds = load_dataset()
    for topic in TOPICS:
        assert claims_on_topic(ds, topic), f"no claim read under {topic!r}"


def test_claims_on_a_topic_come_by_source_then_in_the_order_the_document_says_them(ds):
    order = list(ds.sources)
    for topic in TOPICS:
        claims = claims_on_topic(ds, topic)
        keys = [(order.index(c.citation.source), ds.cite(c.citation).start) for c in claims]
        assert keys == sorted(keys), topic
        assert all(topic in c.topics for c in claims)


def test_claims_about_a_feature_are_those_linking_it(ds):
    border = claims_about_feature(ds, "iran-pakistan-border")
    assert "joint-patrols-and-fencing" in [c.id for c in border]
    assert all("iran-pakistan-border" in c.features for c in border)
    assert claims_about_feature(ds, "no-such-feature") == []


def test_disagreements_by_topic_and_feature_follow_their_links(ds):
    energy = disagreements_on_topic(ds, "energy")
    assert "pipeline-status" in [d.id for d in energy]
    on_leg = disagreements_about_feature(ds, "ip-gas-pipeline-pakistan-leg")
    assert "pipeline-status" in [d.id for d in on_leg]
    assert all("ip-gas-pipeline-pakistan-leg" in d.features for d in on_leg)


# The examples issue 19 names as missing, each pinned by words of its quote and its source:
# a claim or disagreement dropped from the data, or its quote cut, fails here by name.
ISSUE_CLAIMS = [
    ("complex-partnership", "Joint patrols and fencing along the border"),
    ("complex-partnership", "Intelligence sharing on militant activity"),
    ("ips-insights-yamin", "between the Frontier Corps and the Iranian Revolutionary Guards"),
    ("complex-partnership", "Launch of barter trade agreements"),
    ("ips-insights-yamin", "barter trade frameworks"),
    ("complex-partnership", "Iran exports to Pakistan:"),
    ("complex-partnership", "Pakistan exports to Iran:"),
    ("tmp-rising-ties", "There is a trade deficit issue"),
    ("rasanah-pezeshkian-visit", "until the US sanctions are lifted"),
    (
        "rasanah-pezeshkian-visit",
        "China remains the largest trading partner for both Iran and Pakistan",
    ),
    ("rasanah-pezeshkian-visit", "China-Pakistan Economic Corridor (CPEC)"),
    ("rasanah-pezeshkian-visit", "China–Pakistan–Iran trade and energy corridor"),
    ("tmp-rising-ties", "linking the port of Gwadar and Karachi"),
    ("ips-insights-yamin", "(locally known as Irani diesel)"),
    ("rasanah-pezeshkian-visit", "US Secretary of State Marco Rubio"),
    ("complex-partnership", "Shanghai Cooperation Organization (SCO)"),
]
ISSUE_DISAGREEMENTS = [
    (
        ("rasanah-pezeshkian-visit", "strained in recent years"),
        ("complex-partnership", "relations are growing stronger"),
    ),
    (
        ("ips-insights-yamin", "operating at Gabd, Mand, and Chadgi"),
        ("rasanah-pezeshkian-visit", "the Chadgi–Kouhak crossing"),
    ),
]


@pytest.mark.parametrize(("source", "words"), ISSUE_CLAIMS, ids=[w for _, w in ISSUE_CLAIMS])
def test_each_claim_the_issue_names_is_recorded(ds, source, words):
    quotes = [fold(c.citation.quote) for c in ds.claims if c.citation.source == source]
    assert any(fold(words) in q for q in quotes), f"no {source} claim quotes {words!r}"


@pytest.mark.parametrize("pair", ISSUE_DISAGREEMENTS, ids=[p[0][1] for p in ISSUE_DISAGREEMENTS])
def test_each_disagreement_the_issue_names_is_recorded_with_both_versions(ds, pair):
    def quotes(d):
        return [(v.citation.source, fold(v.citation.quote)) for v in d.versions]

    found = [
        d
        for d in ds.disagreements
        if all(any(s == src and fold(w) in q for s, q in quotes(d)) for src, w in pair)
    ]
    assert found, f"no disagreement sets {pair[0]!r} against {pair[1]!r}"


def test_a_claim_with_a_topic_twice_is_refused(data_copy):
    claims = json.loads((data_copy / "claims.json").read_text())
    claims["claims"][0]["topics"] = ["border", "border"]
    (data_copy / "claims.json").write_text(json.dumps(claims))
    problems = [str(p) for p in load_dataset(data_copy).problems]
    assert problems == [
        f"data/claims.json: {claims['claims'][0]['id']}: topics: "
        "Value error, each topic once; repeated: ['border'] (got ['border', 'border'])"
    ]


def test_a_claim_linking_an_unknown_event_and_figure_names_each(data_copy):
    claims = json.loads((data_copy / "claims.json").read_text())
    claims["claims"][0]["events"] = ["no-such-event"]
    claims["claims"][0]["figures"] = ["no-such-figure"]
    (data_copy / "claims.json").write_text(json.dumps(claims))
    ds = load_dataset(data_copy)
    cid = claims["claims"][0]["id"]
    assert [str(p) for p in ds.problems] == [
        f"data/claims.json: {cid}: events[0]: unknown or unavailable event id 'no-such-event'",
        f"data/claims.json: {cid}: figures[0]: unknown or unavailable figure id 'no-such-figure'",
    ]
    assert cid in {c.id for c in ds.claims}, "the claim itself is kept"


def test_as_of_states_newest_source_date_and_newest_event_date_from_the_data(ds):
    got = as_of(ds)
    dated = [s.meta.published for s in ds.sources.values() if s.meta.published]
    assert got.newest_source_date == max(dated)
    assert got.newest_event_date == max((e.date for e in ds.events if e.date), key=period_end)
    assert set(got.undated_sources) == {
        s.meta.short_name for s in ds.sources.values() if not s.meta.published
    }
    # The undated IPS text describes an event later than every dated source: both are said.
    assert got.newest_event_date > got.newest_source_date
    assert got.stamp() == got.newest_event_date
    assert readable_date(got.newest_source_date) in got.text()
    assert readable_date(got.newest_event_date) in got.text()


def test_as_of_over_some_records_counts_only_their_sources_and_the_events_they_describe(ds):
    tmp_only = [f for f in ds.figures if f.citations[0].source == "tmp-rising-ties"]
    got = as_of(ds, tmp_only)
    assert got.newest_source_date == "2025-10-26"
    assert got.undated_sources == ()
    tmp_events = [
        e.date for e in ds.events if any(c.source == "tmp-rising-ties" for c in e.citations)
    ]
    assert got.newest_event_date == max(filter(None, tmp_events), key=period_end)


@pytest.mark.parametrize(
    ("asof", "text", "stamp"),
    [
        (
            AsOf("2025-12-12", "2026-06-18", ("IPS",)),
            "Data as of: sources dated up to 12 Dec 2025; events up to 18 Jun 2026"
            " (one source states no date)",
            "2026-06-18",
        ),
        (
            AsOf("2025-12-12", "2025", ("A", "B")),
            "Data as of: sources dated up to 12 Dec 2025; events up to 2025"
            " (two sources state no date)",
            "2025-12-12",  # the year 2025 contains the day: the more precise is kept
        ),
        (
            AsOf(None, "2024-03", ("A",)),
            "Data as of: no source states its own date; events up to Mar 2024",
            "2024-03",
        ),
        (AsOf(None, None, ("A",)), "Data as of: no source states its own date", "undated"),
    ],
)
def test_as_of_sentence_and_stamp(asof, text, stamp):
    assert asof.text() == text
    assert asof.stamp() == stamp


def read_csv(data: bytes) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_data_pack_writes_claims_csv_with_every_claim_its_quote_and_links(ds):
    from datetime import date

    from geo.export import pack_files

    rows = read_csv(pack_files(ds, date(2026, 12, 1))["claims.csv"])
    assert [r["id"] for r in rows] == [c.id for c in ds.claims]
    header = list(rows[0])
    assert header[:9] == [
        "id", "label", "topics", "source", "source_title", "quote", "features", "events", "figures",
    ]  # fmt: skip
    by_id = {r["id"]: r for r in rows}
    for c in ds.claims:
        row = by_id[c.id]
        assert row["quote"] == fold(c.citation.quote)
        assert row["source"] == c.citation.source
        assert row["topics"].split(";") == list(c.topics)
        assert row["features"] == ";".join(c.features)
        assert row["events"] == ";".join(c.events)
        assert row["figures"] == ";".join(c.figures)


def test_data_pack_writes_disagreements_csv_with_each_version_and_the_kind(ds):
    from datetime import date

    from geo.export import pack_files

    rows = read_csv(pack_files(ds, date(2026, 12, 1))["disagreements.csv"])
    assert [r["id"] for r in rows] == [d.id for d in ds.disagreements]
    for d, row in zip(ds.disagreements, rows, strict=True):
        assert row["kind"] == d.kind
        for n, v in enumerate(d.versions, start=1):
            assert row[f"version_{n}_source"] == v.citation.source
            assert row[f"version_{n}_quote"] == fold(v.citation.quote)
            assert row[f"version_{n}_value"] == v.value
    # Every column that holds a quote says so in its name.
    quote_texts = {fold(v.citation.quote) for d in ds.disagreements for v in d.versions}
    for row in rows:
        for column, cell in row.items():
            if cell in quote_texts:
                assert "quote" in column, column


def test_a_one_feature_pack_holds_the_claims_and_disagreements_about_it(ds):
    from datetime import date

    from geo.export import pack_files

    files = pack_files(ds, date(2026, 12, 1), ["chadgi-border-market"])
    claims = read_csv(files["claims.csv"])
    assert {r["id"] for r in claims} == {
        c.id for c in claims_about_feature(ds, "chadgi-border-market")
    }
    differ = read_csv(files["disagreements.csv"])
    assert [r["id"] for r in differ] == ["chadgi-market-and-crossing"]
    # Every source those rows quote ships with the pack, so each quote reads in context.
    for r in claims + differ:
        for column, sid in r.items():
            is_source = column == "source" or (
                column.startswith("version_") and column.endswith("_source")
            )
            if is_source and sid:
                src = ds.sources[sid]
                assert f"sources/{src.meta.file.rsplit('/', 1)[-1]}" in files


def test_popup_says_briefly_when_the_sources_differ_on_its_feature(ds):
    from geo.mapview import popup_html

    differ = popup_html(ds, ds.feature("chadgi-border-market"))
    assert "The sources differ</strong>: What is there at Chadgi. The panel" in differ
    assert "The sources differ" not in popup_html(ds, ds.feature("gwadar-port"))


def test_a_status_with_both_a_basis_and_a_note_is_refused(data_copy):
    path = data_copy / "layers" / "energy.geojson"
    layer = json.loads(path.read_text())
    props = next(
        f["properties"] for f in layer["features"] if f["properties"]["status_basis"] is not None
    )
    props["status_note"] = "The atlas doubts its own quote."
    path.write_text(json.dumps(layer, ensure_ascii=False))
    problems = [str(p) for p in load_dataset(data_copy).problems]
    assert problems == [
        f"data/layers/energy.geojson: {props['id']}: properties.status_note: status "
        f"{props['status']!r} has a status_basis, so status_note must be empty "
        "(a status is either the sources' word or the atlas's note)"
    ]
