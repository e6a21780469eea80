"""geo/text.py: text from data made safe, and Plotly's label text made plain again."""

from __future__ import annotations

from geo.text import md, plot, unplot


def test_unplot_gives_back_the_plain_text_of_a_plotly_label():
    label = plot("Trade & <target>") + "<br>" + "<b>per year</b>"
    assert unplot(label) == "Trade & <target> per year"
    # And md() of it shows it literally in Markdown: no tag, no entity.
    shown = md(unplot(label))
    assert "<br>" not in shown and "&amp;" not in shown and "\\<target\\>" in shown
