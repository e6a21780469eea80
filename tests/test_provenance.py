"""Claim-level provenance: every sentence and status a reader sees is the sources' word (and
which quote) or labelled as the atlas's own note."""

from __future__ import annotations

import re

from geo.export import event_rows
from geo.panel import build_panel, plain_summary
from geo.sources import normalise
from geo.vocabulary import MARKER, STATUS_LABEL

# Words that can state each status in a source's own wording. A status basis must contain one.
STATUS_WORDS = {
    "established": ("border", "share"),
    "operational": ("operat", "traffic", "running", "inaugurated", "power", "bring"),
    "built": ("completed", "built", "inaugurated"),
    "under_construction": ("construction", "being built"),
    "approved": ("approv",),
    "planned": ("plan", "revive", "commit"),
    "proposed": ("propos", "discuss", "potential", "preliminary", "plan"),
}
# Facts from outside the five documents that summaries once carried (the provenance review).
OUTSIDE_FACTS = [
    "132 kV", "Jiwani", "Nawabshah", "Sindh", "Asaluyeh", "Iranshahr", "Zahedan", "N-40",
    "Spezand", "Nushki", "Dalbandin", "Nok Kundi", "deep-water", "Makran", "Belt and Road",
    "Beheshti", "Kalantari", "Kech", "Panjgur", "Saravan", "first of six", "tonnes",
]  # fmt: skip
# Sentence openers and function words that need no source.
COMMON = {
    "A", "An", "The", "It", "Its", "This", "These", "Both", "Each", "In", "On", "At", "As",
    "From", "With", "Where", "Part", "One", "Two", "Between", "By", "For", "To", "Of",
}  # fmt: skip


def quotes_text(feature) -> str:
    return " ".join(normalise(c.quote) for c in feature.props.citations).lower()


def test_every_feature_has_a_status_basis_or_a_note(ds):
    for f in ds.features:
        p = f.props
        assert p.status_basis is not None or (p.status_note or "").strip(), f.id


def test_a_status_basis_states_the_status_in_the_sources_words(ds):
    for f in ds.features:
        basis = f.props.status_basis
        if basis is None:
            continue
        quote = basis.quote.lower()
        words = STATUS_WORDS[f.props.status]
        assert any(w in quote for w in words), f"{f.id}: {f.props.status!r} not in {quote!r}"


def test_no_summary_carries_a_fact_from_outside_the_sources(ds):
    for f in ds.features:
        summary = plain_summary(f.props.summary)
        for fact in OUTSIDE_FACTS:
            assert fact.lower() not in summary.lower(), f"{f.id}: {fact!r} in its summary"


def test_every_name_and_number_in_a_summary_is_in_its_quotes(ds):
    """Summaries restate their citations: each capitalised name and each number is there."""
    for f in ds.features:
        text = quotes_text(f)
        summary = plain_summary(f.props.summary)
        for sentence in re.split(r"(?<=[.!?])\s+", summary):
            words = re.findall(r"[A-Z][\w’'-]*|\d[\d,.]*", sentence)
            for n, word in enumerate(words):
                if word in COMMON or (n == 0 and sentence.startswith(word) and word.isalpha()):
                    continue
                stem = word.rstrip(".,").lower()
                for part in re.split(r"[–-]", stem):
                    assert part[:5] in text, f"{f.id}: {word!r} is not in its quotes"


def test_every_summary_marker_names_a_citation_and_every_citation_is_used(ds):
    for f in ds.features:
        used = {int(n) for n in MARKER.findall(f.props.summary)}
        assert used, f.id
        assert used <= set(range(1, len(f.props.citations) + 1)), f.id


def test_panel_says_whose_word_each_statement_is(ds):
    for f in ds.features:
        panel = build_panel(ds, f)
        status = STATUS_LABEL[f.props.status]
        if f.props.status_basis is not None:
            assert "the sources' word" in panel.status, f.id
            quote = normalise(f.props.status_basis.quote)
            assert quote[:30].replace(".", "\\.") in panel.status.replace("\\-", "-"), f.id
        else:
            assert "not stated by the sources" in panel.status, f.id
            assert "Atlas's note" in panel.status, f.id
        assert status.replace(" ", " ") in panel.status.replace("\\", "")
        assert panel.placement.startswith("**Atlas's placement note**")
        # Each [n] in the summary links to quote n's passage.
        for n in {int(x) for x in MARKER.findall(f.props.summary)}:
            assert f"[\\[{n}\\]]({panel.quotes[n - 1].href})" in panel.summary, f.id


def test_precision_words_mean_what_they_say(ds):
    for f in ds.features:
        p = f.props
        note = p.geometry_source.lower()
        if p.precision == "mapped":
            assert "resolution" in note, f"{f.id}: mapped without its resolution"
        if "low confidence" in note or "confidence in the position is low" in note:
            assert p.precision == "schematic", f"{f.id} is low-confidence but {p.precision}"
    assert {f.props.precision for f in ds.features if f.props.kind == "border"} == {"mapped"}


def test_undated_events_are_kept_with_their_relative_words(ds):
    undated = [e for e in ds.events if e.date_precision == "undated"]
    assert len(undated) >= 3
    for e in undated:
        assert e.date is None
        assert any(e.date_phrase.lower() in normalise(c.quote).lower() for c in e.citations)
    rows = {r["id"]: r for r in event_rows(ds)}
    assert set(rows) == {e.id for e in ds.events}
    assert {rows[e.id]["date_precision"] for e in undated} == {"undated"}


def test_every_dated_event_and_figure_date_is_stated_or_noted(ds):
    for e in ds.events:
        if e.date and not e.date_note:
            assert any(e.date[:4] in c.quote for c in e.citations), e.id
    for fig in ds.figures:
        if fig.period and not fig.period_note:
            assert any(fig.period.lower() in c.quote.lower() for c in fig.citations), fig.id


def test_disagreements_include_the_pipeline_status_and_say_their_kind(ds):
    topics = {d.topic.lower(): d for d in ds.disagreements}
    assert any("pipeline" in t for t in topics)
    memo = next(d for t, d in topics.items() if "memorand" in t)
    assert memo.kind == "may_measure_different_things"
    for d in ds.disagreements:
        assert len({v.citation.source for v in d.versions}) >= 2 or len(d.versions) >= 2


def test_every_citation_is_resolved_once_at_load(ds):
    for _, _, c in ds.citations():
        r = ds.cite(c)
        assert r is not None
        src = ds.sources[c.source]
        assert normalise(src.text[r.start : r.end]) == normalise(c.quote)
        assert r.short_name == src.meta.short_name


def test_a_status_is_the_sources_word_or_the_atlas_note_never_both(ds):
    for f in ds.features:
        p = f.props
        assert (p.status_basis is None) != (not (p.status_note or "").strip()), f.id


def test_no_reader_facing_text_names_an_internal_file_or_script(ds):
    """Readers cannot open the atlas's reference notes or scripts, so no text names them."""
    internal = re.compile(r"REFERENCE\.md|\bscripts?/|\.py\b", re.IGNORECASE)
    texts = []
    for f in ds.features:
        p = f.props
        texts += [(f.id, p.name), (f.id, p.summary), (f.id, p.status_note or "")]
        texts += [(f.id, p.geometry_source)]
    texts += [(fig.id, f"{fig.period_note or ''} {fig.date_note or ''}") for fig in ds.figures]
    texts += [(e.id, f"{e.title} {e.date_note or ''}") for e in ds.events]
    texts += [(d.id, f"{d.topic} {d.note}") for d in ds.disagreements]
    texts += [(c.id, c.label) for c in ds.claims]
    for rid, text in texts:
        assert not internal.search(text), f"{rid}: {text!r:.120}"
