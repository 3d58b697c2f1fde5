"""Icons a projector shows on a Debian machine without an emoji font: every symbol in the
dashboard's code and texts is one that DejaVu Sans draws (an emoji pictograph would be an empty
box), and every icon comes from dashboard/core/icons.py, in a form Streamlit accepts."""

import ast
import unicodedata
from pathlib import Path

import pytest
from streamlit.string_util import is_emoji

from dashboard.core import icons

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SOURCES = sorted([*DASHBOARD.rglob("*.py"), *DASHBOARD.rglob("*.toml")])
ICON_ARGUMENTS = ("icon", "page_icon")


def symbols_in(text: str) -> set[str]:
    """Pictographs and other symbols ("So"), arrows and marks included."""
    return {character for character in text if unicodedata.category(character) == "So"}


@pytest.mark.skipif(not DEJAVU_SANS.exists(), reason="DejaVu Sans is not installed here")
def test_every_symbol_shown_is_drawn_by_debians_default_font():
    from fontTools.ttLib import TTFont

    drawn = TTFont(DEJAVU_SANS).getBestCmap()
    missing = {
        f"{character} U+{ord(character):04X} {unicodedata.name(character, '')} in {source.name}"
        for source in SOURCES
        for character in symbols_in(source.read_text(encoding="utf-8"))
        if ord(character) not in drawn
    }
    assert not missing, sorted(missing)


def test_every_icon_is_one_streamlit_accepts():
    named = {name: value for name, value in vars(icons).items() if name.isupper()}
    assert named
    refused = [name for name, value in named.items() if not is_emoji(value)]
    assert not refused


def test_icons_are_named_in_one_place():
    literal = []
    for source in SOURCES:
        if source.suffix != ".py" or source.name == "icons.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg in ICON_ARGUMENTS:
                values = [node.value] if not isinstance(node.value, ast.IfExp) else [node.value.body, node.value.orelse]
                literal += [f"{source.name}:{node.lineno}" for value in values if isinstance(value, ast.Constant)]
    assert not literal, literal
