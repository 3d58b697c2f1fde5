"""A canvas to draw a digit on, written with `st.components.v2` (no dependency, works offline).

The JavaScript (digit_canvas.js, next to this file) is passed inline, so the browser fetches
nothing from another host. `draw_digit(...)` returns the drawing as a PNG data URL, or None
before the first stroke and after "clear"; `digit_input.decode_canvas_drawing` reads it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

# Canvas pixels per side. The pen's width is about a tenth of a digit drawn across most of the
# canvas, which is MNIST's stroke width for its 20-pixel digits (2 to 3 pixels).
CANVAS_SIDE = 280
PEN_WIDTH = 20
# On screen the canvas is drawn this many CSS pixels wide: larger on a projector, where the
# page's type is larger too (its drawing keeps CANVAS_SIDE pixels either way).
DISPLAY_SIDE = 280
LARGE_DISPLAY_SIDE = 330
INK_COLOUR = "#111111"

_STYLE = """
.digit-canvas { display: flex; flex-direction: column; align-items: flex-start; gap: 0.5rem; }
.digit-canvas__board {
  width: min(var(--display-side, 280px), 80vw); height: min(var(--display-side, 280px), 80vw);
  border: 2px solid var(--st-border-color, #bbbbbb); border-radius: 0.5rem;
  background: #ffffff; cursor: crosshair;
  touch-action: none; /* a finger draws instead of scrolling the page */
}
.digit-canvas__clear {
  font: inherit; padding: 0.35rem 0.9rem; cursor: pointer;
  border: 1px solid var(--st-border-color, #bbbbbb); border-radius: 0.5rem;
  background: var(--st-secondary-background-color, #f0f2f6); color: var(--st-text-color, #262730);
}
"""

_digit_canvas = st.components.v2.component(
    "paradigm_lab_digit_canvas",
    html="",
    css=_STYLE,
    js=(Path(__file__).resolve().parent / "digit_canvas.js").read_text(encoding="utf-8"),
)


def draw_digit(
    *, key: str, canvas_label: str, clear_label: str, large: bool = False
) -> str | None:
    """Draw the canvas (larger on a projector when `large`); the current drawing as a PNG data
    URL, or None if there is none."""
    result = _digit_canvas(
        key=key,
        data={
            "side": CANVAS_SIDE,
            "display_side": LARGE_DISPLAY_SIDE if large else DISPLAY_SIDE,
            "pen": PEN_WIDTH,
            "ink": INK_COLOUR,
            "canvas_label": canvas_label,
            "clear_label": clear_label,
        },
        default={"drawing": None},
        on_drawing_change=lambda: None,
        width="content",
    )
    value = getattr(result, "drawing", None)
    return value if isinstance(value, str) and value else None
