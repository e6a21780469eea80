"""Icons that draw on a closed network: Streamlit's own Material Symbols font, never an emoji.

An emoji needs an emoji font on the reader's machine; without one (a Debian desktop as
installed) the notice's icon was a box. Material Symbols ship inside Streamlit's bundle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def icons() -> list[tuple[str, int, str]]:
    found = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "icon" and isinstance(kw.value, ast.Constant):
                        found.append((path.name, node.lineno, kw.value.value))
    return found


def test_every_icon_is_a_material_symbol():
    found = icons()
    assert len(found) >= 5  # the notices, the export errors, the figure link
    assert [i for i in found if not str(i[2]).startswith(":material/")] == []
