"""Every download on every page goes through pages/_shared.download (a failure is said under the
button in the atlas's words, never only in Streamlit's) and carries its data's date in its name."""

from __future__ import annotations

import ast
import re

import pytest

from tests.apptest import ROOT

PAGES = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]


def _calls(path):
    """(the function it is in, or "<module>"; the call) for each `….download_button(…)`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    owner = {}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef):
            for node in ast.walk(fn):
                owner.setdefault(node, fn.name)  # outer functions first: the outermost wins
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "download_button"
        ):
            yield owner.get(node, "<module>"), node


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_page_makes_a_download_button_of_its_own(path):
    for owner, call in _calls(path):
        keywords = {k.arg: k.value for k in call.keywords}
        disabled = keywords.get("disabled")
        if path.name == "_shared.py" and owner == "download":
            continue  # the helper itself
        # A disabled placeholder (nothing to download) cannot fail.
        assert isinstance(disabled, ast.Constant) and disabled.value is True, (
            f"{path.name}:{call.lineno} makes a download button outside pages/_shared.download"
        )


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_no_file_name_is_fixed_without_its_date(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not re.fullmatch(
                r"iran-pakistan-atlas-[\w-]+\.(csv|zip|png|svg|pdf)", node.value
            ), f"{path.name}:{node.lineno}: {node.value!r} says nothing of how recent its data is"
