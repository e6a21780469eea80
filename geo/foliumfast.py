"""Render folium maps without compiling each element's rendered script as a Jinja template.

`patches.verbatim_branca_templates` makes branca use `template` below.

branca (under folium) renders every map element to text, then wraps that text in a new
`Element`, whose constructor compiles it as a Jinja template, only to render it back to the
same text. For the atlas's map that text holds every feature's GeoJSON, so tokenizing it was
over a third of the server's CPU per map built (profiled with py-spy under load). Text without
any Jinja syntax renders as itself, so such text gets a template that simply returns it; text
with Jinja syntax is compiled as before.
"""

from __future__ import annotations

import jinja2

# Jinja's default delimiters; line statements and line comments are off by default.
_JINJA_SYNTAX = ("{{", "{%", "{#")


class VerbatimTemplate:
    """A template whose source holds no Jinja syntax: it renders to that source.

    As Jinja's own would: newlines normalised to "\\n" and one trailing newline dropped
    (Jinja's defaults `newline_sequence="\\n"`, `keep_trailing_newline=False`).
    """

    __slots__ = ("_compiled", "_source", "_text")

    def __init__(self, source: str):
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        self._source = source
        self._text = text[:-1] if text.endswith("\n") else text
        self._compiled: jinja2.Template | None = None

    def render(self, *args, **kwargs) -> str:
        """The source text, as a Jinja template without any syntax renders it."""
        return self._text

    def __getattr__(self, name: str):
        # Anything else (`module`, `blocks`, …) from the real template, compiled on demand.
        if self._compiled is None:
            self._compiled = jinja2.Template(self._source)
        return getattr(self._compiled, name)


def template(source: str) -> jinja2.Template | VerbatimTemplate:
    """A Jinja template for `source`, or a verbatim one when it holds no Jinja syntax."""
    if isinstance(source, str) and not any(mark in source for mark in _JINJA_SYNTAX):
        return VerbatimTemplate(source)
    return jinja2.Template(source)
