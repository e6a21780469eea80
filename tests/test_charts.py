"""Chart builders and PNG export: values from the data, sources on every chart, real kaleido."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date

import pytest
from PIL import Image

from geo.chartlayout import EXPORT_SIZE, cited_figure
from geo.charts import build_charts, cagr, growth_chart, metric, yearly_targets
from geo.credits import short, source_line
from geo.dataset import load_dataset
from geo.layers import measured_length_km
from geo.pngexport import ExportUnavailable, render_image
from geo.rows import chart_rows
from geo.vocabulary import DISAGREEMENT_LABEL
from tests.conftest import ROOT


def chart(ds, chart_id):
    return next(c for c in build_charts(ds) if c.id == chart_id)


def bars(fig_dict, name_prefix):
    return {t["name"]: t for t in fig_dict["data"] if t.get("name", "").startswith(name_prefix)}


def test_trade_chart_values_are_the_datas_and_each_source_is_its_own_trace(ds):
    d = chart(ds, "trade").figure.to_dict()
    current = bars(d, "Current trade per ")
    assert {name: t["y"][0] for name, t in current.items()} == {
        "Current trade per “A Complex Partnership” (unattributed)": 2.0,
        "Current trade per TMP Staff, Oct 2025": 3.0,
    }
    gaps = bars(d, "Gap to target per ")
    assert sorted(t["y"][0] for t in gaps.values()) == [7.0, 8.0]
    target = next(t for t in d["data"] if t["name"].startswith("Target"))
    assert set(target["y"]) == {10.0}


def test_trade_chart_follows_the_data_not_literals(data_copy):
    path = data_copy / "figures.json"
    data = json.loads(path.read_text())
    data["figures"][0]["value"] = 2.5  # a figure a maintainer corrects
    path.write_text(json.dumps(data))
    ds = load_dataset(data_copy)
    d = chart(ds, "trade").figure.to_dict()
    assert 2.5 in [t["y"][0] for t in bars(d, "Current trade per ").values()]


def test_differing_sources_are_named_with_the_kind_of_difference(ds):
    note = chart(ds, "trade").note
    assert note.startswith("The sources differ:")
    # The kind of the disagreement whose versions are the chart's own quotes.
    quotes = {" ".join(f.citation.quote.split()) for f in chart(ds, "trade").figures}
    kinds = {
        d.kind
        for d in ds.disagreements
        if quotes & {" ".join(v.citation.quote.split()) for v in d.versions}
    }
    assert kinds and all(DISAGREEMENT_LABEL[k] in note for k in kinds)
    memo = chart(ds, "memoranda").note
    assert "the sources disagree" not in memo.lower()
    assert "gives 2 (around)" in note and "gives 3 (approximately)" in note
    assert "gives 12 (signed)" in chart(ds, "memoranda").note
    assert "gives 13 (drafted)" in chart(ds, "memoranda").note


def test_memoranda_chart_has_one_trace_per_source(ds):
    d = chart(ds, "memoranda").figure.to_dict()
    assert [(t["name"], t["y"][0]) for t in d["data"]] == [
        ("Rasanah", 12.0),
        ("TMP Staff, Oct 2025", 13.0),
    ]


def test_pipeline_chart_sets_stated_beside_measured(ds):
    d = chart(ds, "pipeline").figure.to_dict()
    stated, measured = d["data"]
    assert list(stated["x"][:2]) == [900.0, 80.0] and stated["x"][2] is None
    assert list(measured["x"]) == [
        measured_length_km(ds.feature(fid))
        for fid in (
            "ip-gas-pipeline-iran-leg",
            "ip-gas-pipeline-phase-1",
            "ip-gas-pipeline-pakistan-leg",
        )
    ]


def test_smuggling_per_year_is_computed_and_labelled_so(ds):
    c = chart(ds, "smuggling")
    values = [t["value"] for t in c.figure.to_dict()["data"]]
    assert values == [4000.0, 4000.0 * 365]
    assert "computed" in c.figure.to_dict()["data"][1]["title"]["text"]
    assert c.derived[0]["source"] == "computed"
    assert [f.id for f in c.figures] == ["smuggled-petroleum-rasanah"]


def test_every_chart_figure_is_grounded_and_every_chart_names_its_sources(ds):
    folded = {s.id: " ".join(s.text.split()) for s in ds.sources.values()}
    for c in build_charts(ds):
        assert c.figures, c.id
        for row in chart_rows(ds, c):
            if row["source"] in ("computed", "measured"):
                assert row["note"], c.id
            else:
                assert row["quote"] in folded[row["source"]], c.id
        line = source_line(ds, c)
        for sid in c.source_ids():
            assert ds.sources[sid].meta.title in line


@pytest.mark.parametrize(
    ("baseline", "target", "years", "rate"),
    [(2, 10, 6, 0.307660), (3, 10, 5, 0.272260), (10, 10, 3, 0.0), (2, 10, 1, 4.0)],
)
def test_cagr_known_values(baseline, target, years, rate):
    assert cagr(baseline, target, years) == pytest.approx(rate, abs=1e-6)


@pytest.mark.parametrize(("baseline", "years"), [(0, 5), (-1, 5), (2, 0), (2, -3)])
def test_cagr_rejects_what_has_no_answer(baseline, years):
    with pytest.raises(ValueError, match="must"):
        cagr(baseline, 10, years)


def test_growth_chart_path_reaches_the_target(ds):
    baseline = metric(ds, "bilateral_trade_current")[0]
    target = yearly_targets(metric(ds, "bilateral_trade_target"))[0]
    c = growth_chart(ds, baseline, 2024, target, 2030)
    ys = c.figure.to_dict()["data"][0]["y"]
    assert ys[0] == pytest.approx(2.0) and ys[-1] == pytest.approx(10.0)
    assert c.derived[0]["value"] == pytest.approx(30.77)


YEARLY_WORDS = re.compile(r"\b(annual|annually|a year|per year|each year|yearly)\b", re.I)


def test_growth_chart_credits_only_a_source_whose_quote_states_a_yearly_target(ds):
    """The growth chart draws the target on a per-year axis and names its source: that
    source's own quote must state the period (Rasanah's pledge of "$10 billion" does not)."""
    baseline = metric(ds, "bilateral_trade_current")[0]
    targets = metric(ds, "bilateral_trade_target")
    chosen = yearly_targets(targets)
    assert chosen, "no source states the trade target per year"
    c = growth_chart(ds, baseline, 2024, chosen[0], 2030)
    label = next(a.text for a in c.figure.layout.annotations if a.text.startswith("target"))
    credited = [t for t in targets if short(ds, t.citation.source) in label]
    assert credited, label
    for t in credited:
        assert YEARLY_WORDS.search(t.citation.quote), (label, t.citation.quote)
    # A target whose quote states no period is refused, not drawn and credited as yearly.
    for t in targets:
        if not YEARLY_WORDS.search(t.citation.quote):
            with pytest.raises(ValueError, match="no yearly period"):
                growth_chart(ds, baseline, 2024, t, 2030)


def test_cited_figure_draws_title_source_line_and_date(ds):
    c = chart(ds, "trade")
    fig = cited_figure(ds, c, date(2026, 11, 22))
    text = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    # Each source by its one full reference: title, publisher (or not stated), date.
    assert "Sources: Iran-Pakistan Relations" in text
    for sid in c.source_ids():
        assert ds.sources[sid].meta.reference() in " ".join(text.split())
    assert "2026-11-22" in text
    assert fig.layout.title.text.startswith("Iran–Pakistan bilateral trade")
    assert (fig.layout.width, fig.layout.height) == EXPORT_SIZE


@pytest.mark.slow  # starts a process
def test_png_export_is_a_png_of_the_export_size(ds):
    png = render_image(cited_figure(ds, chart(ds, "trade"), date(2026, 11, 22)), *EXPORT_SIZE)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    assert image.size == EXPORT_SIZE
    # The source line is drawn: the bottom band of the image is not blank.
    bottom = image.convert("L").crop(
        (0, EXPORT_SIZE[1] - 110, EXPORT_SIZE[0] // 2, EXPORT_SIZE[1] - 20)
    )
    assert bottom.getextrema()[0] < 128


def test_png_export_without_a_browser_explains_itself(ds, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")  # the fault, injected on purpose
    with pytest.raises(ExportUnavailable, match=r"needs Chromium.*apt-get install chromium"):
        render_image(cited_figure(ds, chart(ds, "trade"), date.today()), *EXPORT_SIZE)


@pytest.mark.slow  # starts a process
def test_export_cli_writes_every_chart_png(tmp_path, ds):
    result = subprocess.run(
        [sys.executable, "-m", "geo", "export", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    from geo.credits import file_name
    from geo.export import export_charts

    pngs = sorted(p.name for p in (tmp_path / "charts").iterdir() if p.suffix == ".png")
    assert pngs == sorted(file_name(c.id, ds, c.source_ids(), "png") for c in export_charts(ds))
    trade = file_name("trade", ds, build_charts(ds)[0].source_ids(), "png")
    assert Image.open(tmp_path / "charts" / trade).size == EXPORT_SIZE


@pytest.mark.slow  # starts a process
def test_export_cli_without_a_browser_still_writes_the_data_and_says_why(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "geo", "export", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**__import__("os").environ, "BROWSER_PATH": "/nonexistent/chromium"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "charts not written: PNG export needs Chromium" in result.stderr
    assert (tmp_path / "layers.geojson").is_file() and (tmp_path / "events.csv").is_file()
