"""Cited passages: who cites them, where they stand, and how a document highlights them."""

from __future__ import annotations

from geo.citations import citation_key, citers_of, highlighted_html, passages


def test_every_citation_resolves_to_a_passage_of_its_document(ds):
    for sid, src in ds.sources.items():
        for p in passages(ds, sid):
            assert " ".join(src.text[p.start : p.end].split()) == p.quote
    keys = {(c.source, citation_key(c)) for _, _, c in ds.citations()}
    found = {(sid, p.key) for sid in ds.sources for p in passages(ds, sid)}
    assert found == keys


def test_a_passage_cited_by_several_records_names_each(ds):
    quote_owner = next(
        p
        for p in passages(ds, "ips-insights-yamin")
        if p.quote.startswith("The Expansion of Border Sustenance")
    )
    assert {c.id for c in quote_owner.citers} == {
        "gabd-border-market",
        "mand-pishin-border-market",
        "chadgi-border-market",
        "marketplaces-operating",
    }
    assert {c.kind for c in quote_owner.citers} == {"feature", "claim"}
    claim = next(c for c in quote_owner.citers if c.kind == "claim")
    assert claim.href == "/topics?topic=The+border"


def test_citer_links_go_to_map_figures_and_timeline(ds):
    index = citers_of(ds)
    hrefs = {c.href for citers in index.values() for c in citers}
    assert "/?feature=gwadar-port" in hrefs
    assert "/timeline?event=islamabad-mou-2026-06-18" in hrefs
    assert "/figures?figure=border-length-ips" in hrefs


def test_highlight_escapes_text_and_cuts_overlaps():
    text = "a <b> c d e"
    html = highlighted_html(text, [(2, 7, "k1", "one"), (4, 9, "k2", "two <x>")], focus="k2")
    assert "<b>" not in html and "&lt;b" in html and "&gt; c" in html  # escaped, piece by piece
    assert html.count('id="cite-k1"') == 1 and html.count('id="cite-k2"') == 1
    assert 'data-cite="k1 k2"' in html  # the overlap is marked once, with both keys
    assert 'title="one | two &lt;x&gt;"' in html
    assert html.count("atlas-focus") == 2  # the two pieces of k2
    plain = highlighted_html(text, [])
    assert plain == "a &lt;b&gt; c d e"
