"""Quote lookup and full-text search over the source documents."""

from __future__ import annotations

from geo.sources import FoldedText, find_quote, normalise, search

TEXT = "Trade is  around\n$2 billion (a year).\n\nThe U.S. sanctions bite. Trade-offs abound; trade grows."


def test_normalise_folds_whitespace_only():
    assert normalise("  a\n\tb  c ") == "a b c"
    assert normalise("A–B") == "A–B"


def test_find_quote_maps_back_to_the_original_span():
    start, end = find_quote(TEXT, "around $2 billion")
    assert TEXT[start:end] == "around\n$2 billion"


def test_find_quote_does_not_forgive_case_or_punctuation():
    assert find_quote(TEXT, "Around $2 billion") is None
    assert find_quote(TEXT, "around $2 billion.") is None
    assert find_quote(TEXT, "   ") is None


def test_folded_text_offsets_point_into_the_original():
    folded = FoldedText.of("a  b\nc")
    assert folded.folded == "a b c"
    assert folded.span(2, 5) == (3, 6)


def test_search_is_case_insensitive_and_matches_word_starts():
    hits = search({"doc": TEXT}, "trade")
    # A hyphen ends a word, as in `grep -w`: "Trade-offs" holds the word "Trade".
    assert [TEXT[h.start : h.end] for h in hits] == ["Trade", "Trade", "trade"]
    # A prefix finds the whole word it begins; the middle of a word is never a hit.
    assert [TEXT[h.start : h.end] for h in search({"doc": TEXT}, "trad")] == [
        "Trade",
        "Trade",
        "trade",
    ]
    assert search({"doc": TEXT}, "rade") == []
    # In double quotes, whole words only.
    assert search({"doc": TEXT}, '"trad"') == []
    assert len(search({"doc": TEXT}, '"trade"')) == 3


def test_prefix_search_finds_smuggling_and_smuggled(ds):
    texts = {s.id: s.text for s in ds.sources.values()}
    found = {texts[h.source_id][h.start : h.end].lower() for h in search(texts, "smuggl")}
    assert found == {"smuggling", "smuggled"}
    assert len(search(texts, "smuggl")) == 7


def test_search_phrase_spans_line_breaks():
    hits = search({"doc": TEXT}, "around $2 billion")
    assert len(hits) == 1 and hits[0].sentence == "Trade is around $2 billion (a year)."


def test_search_treats_regex_characters_as_text():
    assert len(search({"doc": TEXT}, "(a year)")) == 1
    assert len(search({"doc": TEXT}, "U.S.")) == 1
    assert search({"doc": TEXT}, "U.S.A") == []
    assert search({"doc": TEXT}, "[") == []
    assert search({"doc": TEXT}, ".*") == []
    assert search({"doc": TEXT}, "") == []


def test_search_counts_hits_per_document():
    hits = search({"a": "gas gas Gas", "b": "gasoline", "c": "no"}, "gas")
    assert [h.source_id for h in hits] == ["a", "a", "a", "b"]
    hits = search({"a": "gas gas Gas", "b": "gasoline", "c": "no"}, '"gas"')
    assert [h.source_id for h in hits] == ["a", "a", "a"]


def test_search_real_sources_for_border_market(ds):
    texts = {s.id: s.text for s in ds.sources.values()}
    hits = search(texts, '"border market"')
    assert {h.source_id for h in hits} == {"complex-partnership"}
    assert len(search(texts, "Gwadar")) == sum(t.count("Gwadar") for t in texts.values())
