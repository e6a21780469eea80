"""Verbatim templates render the map exactly as Jinja would, and Jinja syntax is still compiled."""

from __future__ import annotations

import itertools

import branca.element
import jinja2
import pytest

from geo import foliumfast
from geo.mapview import build_map
from patches import verbatim_branca_templates


@pytest.fixture
def fixed_ids(monkeypatch):
    """Element ids from a counter, so two renders of one map can be compared byte for byte."""

    def start():
        counter = itertools.count()
        monkeypatch.setattr(
            branca.element.Element,
            "_generate_id",
            classmethod(lambda cls: f"{next(counter):032x}"),
        )

    return start


def render(ds, fixed_ids) -> tuple[str, list]:
    fixed_ids()
    m = build_map(ds, [layer.name for layer in ds.layers])
    root = m.get_root()
    html = root.render()
    return html, [child._template for child in root.script._children.values()]


def test_the_whole_map_renders_the_same(ds, fixed_ids, monkeypatch):
    monkeypatch.setattr(branca.element, "Template", jinja2.Template)
    plain, _ = render(ds, fixed_ids)
    verbatim_branca_templates()
    assert branca.element.Template is foliumfast.template
    fast, scripts = render(ds, fixed_ids)
    assert fast == plain
    assert ds.features[1].id in fast
    # The features' scripts (the large ones) took the verbatim path.
    verbatim = [t for t in scripts if isinstance(t, foliumfast.VerbatimTemplate)]
    assert len(verbatim) >= len(ds.layers)
    assert sum(len(t.render()) for t in verbatim) > 0.9 * sum(len(t.render()) for t in scripts)


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n",
        'var a = {"b": [1, {"c": 2}]};\n',
        "line one\r\nline two\rthree\n\n",
        "<script>x = '{ not jinja }';</script>",
    ],
)
def test_text_without_jinja_syntax_renders_as_jinja_renders_it(source):
    fast = foliumfast.template(source)
    assert isinstance(fast, foliumfast.VerbatimTemplate)
    assert fast.render(this=None, kwargs={}) == jinja2.Template(source).render()


@pytest.mark.parametrize("source", ["{{ this }}", "{% if x %}y{% endif %}", "a {# note #} b"])
def test_text_with_jinja_syntax_is_still_compiled(source):
    compiled = foliumfast.template(source)
    assert isinstance(compiled, jinja2.Template)
    assert compiled.render(this="T", x=True) == jinja2.Template(source).render(this="T", x=True)


def test_a_verbatim_template_still_offers_the_real_templates_attributes():
    fast = foliumfast.template("plain text")
    assert fast.module.__dict__.get("script") is None
