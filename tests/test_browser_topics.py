"""The Topics page in real Chromium: a topic from the address, quotes side by side, a link to
the map that opens the feature's panel, and the pill that changes the topic and the address."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from geo.claims import claims_on_topic
from tests.browser import map_frame

pytestmark = pytest.mark.browser

SHOTS = {"1280": (1280, 800), "390": (390, 844)}


@pytest.mark.parametrize("size", list(SHOTS))  # a laptop and a phone
def test_topic_page_shows_each_sources_quotes_and_opens_the_map_at_a_feature(
    chromium, app_server, ds, size, tmp_path
):
    width, height = SHOTS[size]
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{app_server.url}/topics?topic=border")
        expect(page.locator("h1").first).to_have_text(
            "What the sources say, by topic", timeout=90_000
        )
        expect(page.locator("h2").first).to_have_text("The border")
        main = page.locator("[data-testid=stMain]")
        first = claims_on_topic(ds, "border")[0]
        expect(main).to_contain_text(" ".join(first.citation.quote.split())[:60])
        expect(main).to_contain_text("What is there at Chadgi")
        page.screenshot(path=tmp_path / f"topics-{size}.png", full_page=False)
        # The pill changes the topic and the address.
        page.locator(".st-key-topic button", has_text="Energy").first.click()
        expect(page.locator("h2").first).to_have_text("Energy")
        # Streamlit's binding writes the pill's label into the address.
        page.wait_for_function("() => location.search.includes('topic=Energy')")
        # A record concerned is one click away: the map opens with its panel.
        link = page.get_by_role("link", name="Iran–Pakistan gas pipeline: Pakistani leg").first
        assert link.get_attribute("href").endswith("/?feature=ip-gas-pipeline-pakistan-leg")
        if link.get_attribute("target") == "_blank":  # Streamlit opens Markdown links in a new tab
            with context.expect_page() as opened:
                link.click()
            page = opened.value
        else:
            link.click()
        map_frame(page)
        expect(page.locator(".st-key-panel h3")).to_have_text(
            "Iran–Pakistan gas pipeline: Pakistani leg"
        )
        expect(page.locator(".st-key-panel")).to_contain_text("The sources differ")
        # A topic named by its id in a link once set the pills' value beside their default,
        # which Streamlit logs as a warning with a stack.
        assert "created with a default value but also had" not in app_server.log()
    finally:
        context.close()


def test_a_figure_link_on_a_topic_opens_that_figure_first_and_back_returns(page, app_server, ds):
    """A figure on no chart (the border's length) used to land on a Figures page without it."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{app_server.url}/topics?topic=border")
    expect(page.locator("h2").first).to_have_text("The border", timeout=90_000)
    figure = next(f for f in ds.figures if f.id == "border-length-ips")
    link = page.locator("[data-testid=stMain] a[href*='figure=border-length-ips']").first
    link.click()
    page.wait_for_url("**/figures?figure=border-length-ips")
    notice = page.locator("[data-testid=stAlertContentInfo]").first
    expect(notice).to_contain_text("The figure you followed a link to:")
    expect(notice).to_contain_text(f"{figure.label}: {figure.value_text}")
    expect(notice).to_contain_text("on no chart")
    expect(notice).to_be_in_viewport()
    # Its link goes down to the list of every figure, in the page.
    notice.get_by_role("link", name="every figure the sources give").click()
    expect(page.locator("#every-figure")).to_be_in_viewport()
    assert "/figures" in page.url
    # One Back (the in-page jump is its own entry, as on any web page), then one more: the topic.
    page.go_back()
    page.go_back()
    expect(page.locator("h2").first).to_have_text("The border", timeout=30_000)
    assert "/topics" in page.url and "figure" not in page.url


def test_back_from_a_topics_link_finds_the_same_topic(page, app_server, ds):
    """The atlas's links name a topic by its label: with an id, Streamlit's binding left a bare
    /topics in the address, and Back to it opened the first topic instead."""
    from geo.vocabulary import topic_href

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{app_server.url}{topic_href('energy')}")
    expect(page.locator("h2").first).to_have_text("Energy", timeout=90_000)
    page.wait_for_timeout(1000)  # anything the binding would still write to the address
    assert "topic=Energy" in page.url
    page.locator("[data-testid=stMain] a[href*='feature=']").first.click()
    map_frame(page)
    page.go_back()
    expect(page.locator("h2").first).to_have_text("Energy", timeout=30_000)
