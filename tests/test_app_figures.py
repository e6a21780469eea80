"""AppTest of the Figures page and its growth calculator."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.charts import build_charts
from tests.apptest import app_test


def figures_page(monkeypatch=None, env: dict[str, str] | None = None) -> AppTest:
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    return app_test("pages/figures.py")


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption).replace("\\", "")


def test_figures_page_shows_every_chart_with_its_sources(ds):
    at = figures_page()
    assert not at.exception
    assert len(at.get("plotly_chart")) == len(build_charts(ds))
    text = captions(at)
    assert text.count("Source") >= len(build_charts(ds))
    assert "The sources differ: “A Complex Partnership” (unattributed) gives 2 (around)" in text
    assert "Rasanah gives 12 (signed); TMP Staff, Oct 2025 gives 13 (drafted)" in text


def test_under_each_chart_the_page_says_its_sources_and_data_date_and_offers_no_uncited_copy(ds):
    """On screen the citations are captions a phone wraps; Plotly's camera, which would copy
    the chart without them, is not offered (every download draws them into the image)."""
    import json

    from geo.asof import as_of_sources

    at = figures_page()
    text = captions(at)
    for chart in build_charts(ds):
        assert as_of_sources(ds, chart.source_ids()).text() in text, chart.id
    for plot in at.get("plotly_chart"):
        config = json.loads(plot.proto.config)
        assert "toImage" in config["modeBarButtonsToRemove"]


def test_every_chart_has_png_and_csv_downloads(ds):
    at = figures_page()
    keys = {b.proto.id.rsplit("-", 2)[-1] for b in at.get("download_button")}
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Download PNG") == len(build_charts(ds))
    assert labels.count("Download CSV") == len(build_charts(ds))
    assert any(label.startswith("Download all charts (ZIP") for label in labels)
    assert keys


def test_calculator_with_known_baseline_and_years_gives_the_known_rate():
    at = figures_page()
    at.selectbox(key="growth_baseline").select("trade-current-complex-partnership")
    at.number_input(key="growth_year").set_value(2024)
    at.number_input(key="growth_target_year").set_value(2030).run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["30.77%"]
    assert r"\left(\frac{10}{2}\right)^{1/(2030-2024)} - 1 = 30.77\%" in at.latex[0].value
    assert (
        len(at.get("plotly_chart"))
        == len(build_charts(__import__("geo.dataset").dataset.load_dataset())) + 1
    )


def test_calculator_assumes_nothing_until_everything_is_chosen():
    at = figures_page()
    assert at.selectbox(key="growth_baseline").value is None
    assert at.number_input(key="growth_year").value is None
    assert not at.metric
    assert "Choose a baseline, its year and a target year" in at.info[0].value
    at.selectbox(key="growth_baseline").select("trade-current-tmp").run()
    assert not at.metric


def test_calculator_with_target_year_before_baseline_explains_and_keeps_going():
    at = figures_page()
    at.selectbox(key="growth_baseline").select("trade-current-tmp")
    at.number_input(key="growth_year").set_value(2025)
    at.number_input(key="growth_target_year").set_value(2020).run()
    assert not at.exception
    said = at.error[0].value.replace("\\", "")
    assert said == (
        "The target year (2020) must come after the year the baseline stands for (2025): "
        "choose a later target year or an earlier baseline year."
    )
    at.number_input(key="growth_target_year").set_value(2025).run()  # the same year: 0 years
    assert "must come after" in at.error[0].value
    assert len(at.get("plotly_chart")) >= 6


def test_without_chromium_png_buttons_explain_and_the_rest_works(monkeypatch):
    at = figures_page(monkeypatch, {"BROWSER_PATH": "/nonexistent/chromium"})
    assert not at.exception
    assert "PNG export needs Chromium" in at.info[0].value
    pngs = [b for b in at.get("download_button") if b.proto.label == "Download PNG"]
    assert pngs and all(b.proto.disabled for b in pngs)
    csvs = [b for b in at.get("download_button") if b.proto.label == "Download CSV"]
    assert csvs and not any(b.proto.disabled for b in csvs)
    assert len(at.get("plotly_chart")) >= 6


def unescaped(text: str) -> str:
    """Markdown as a reader reads it: the escaping backslashes gone."""
    return text.replace("\\", "")


def test_every_figure_is_on_the_page_with_its_passage_charted_or_not(ds):
    """A topic or a quote can point at any figure: the border's length and the roadmap's days
    are on no chart, and the page used to show them nowhere."""
    from geo.rows import flat

    at = figures_page()
    listed = unescaped(at.markdown[-1].value)
    charted = {f.id for chart in build_charts(ds) for f in chart.figures}
    assert set(charted) < {f.id for f in ds.figures}  # some figures are on no chart
    for f in ds.figures:
        assert f"**{f.label}**: {f.value_text}" in listed, f.id
        assert f"“{flat(f.citation.quote)}”" in listed, f.id
    assert listed.count("on no chart") == len(ds.figures) - len(charted)
    assert any(b.proto.label == "Download every figure (CSV)" for b in at.get("download_button"))


def test_a_link_to_a_figure_shows_it_first_with_its_source_and_where_it_is_charted(ds):
    from geo.credits import short
    from geo.rows import flat

    by_id = {f.id: f for f in ds.figures}
    for fid, where in (
        ("border-length-ips", "on no chart"),
        (
            "trade-target-tmp",
            "charted in “Iran–Pakistan bilateral trade: current volume per source against the "
            "$10 billion target”",
        ),
    ):
        at = app_test("pages/figures.py", query={"figure": fid})
        assert not at.exception and not at.warning
        box = unescaped(at.info[0].value)
        f = by_id[fid]
        assert box.startswith("The figure you followed a link to:"), box
        assert f"**{f.label}**: {f.value_text}" in box
        assert short(ds, f.citation.source) in box and where in box
        assert flat(f.citation.quote) in box
        assert "(#every-figure)" in box


def test_a_link_to_no_figure_says_so_escaped_and_cut_and_the_page_works(ds):
    at = app_test("pages/figures.py", query={"figure": "x<b>*" + "y" * 5000})
    assert not at.exception
    [warning] = at.warning
    assert warning.value.startswith("No figure has the id “x\\<b\\>\\*")
    assert len(warning.value) < 400
    assert "every figure is listed at the foot of this page" in unescaped(warning.value)
    assert not [i for i in at.info if "followed a link" in i.value]
    assert len(at.get("plotly_chart")) == len(build_charts(ds))
