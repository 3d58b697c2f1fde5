"""Plotly figures of the self-supervised page, built by pure functions that the page only places.

- `feature_maps_figure`: the test digits on the 2-D map of several feature spaces side by side
  (raw pixels, the untrained encoder, a trained one), each point coloured by its true digit,
  which no encoder saw. One legend serves every map: clicking a digit hides it everywhere.

The maps draw with WebGL (`go.Scattergl`): a thousand points per map stay smooth to zoom.
Texts come from the translation catalogue; numbers are formatted for the language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.core.figures import DIGIT_COLOURS, base_layout, figure_style
from dashboard.core.i18n import t

# The semi-supervised page's ten digit colours, so that a 3 has one colour on every map of the app.


@dataclass(frozen=True)
class MapPanel:
    title: str  # already translated, e.g. "Raw pixels: kNN 98.6%"
    xy: np.ndarray  # (N, 2) in [-1, 1], rows in the order of the evaluation set


def feature_maps_figure(
    panels: list[MapPanel],
    labels: np.ndarray,
    *,
    class_names: tuple[str, ...],
    language: str,
    presentation: bool = False,
    columns: int = 3,
) -> go.Figure:
    """One map per panel, `columns` to a row; `labels` (N,) are the true digits of the rows."""
    style = figure_style(presentation)
    columns = max(1, min(columns, len(panels)))
    rows = max(1, math.ceil(len(panels) / columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[panel.title for panel in panels],
        horizontal_spacing=0.03,
        vertical_spacing=0.14,
    )
    digits = sorted(int(digit) for digit in np.unique(labels))
    for index, panel in enumerate(panels):
        row, column = index // columns + 1, index % columns + 1
        for digit in digits:
            chosen = labels == digit
            name = class_names[digit] if 0 <= digit < len(class_names) else str(digit)
            hover = t("self_supervised.map.hover", language, digit=name)
            figure.add_trace(
                go.Scattergl(
                    x=panel.xy[chosen, 0],
                    y=panel.xy[chosen, 1],
                    mode="markers",
                    name=name,
                    legendgroup=name,
                    showlegend=index == 0,
                    marker={
                        "color": DIGIT_COLOURS[digit % len(DIGIT_COLOURS)],
                        "size": style.marker_size * (0.6 if presentation else 0.55),
                        "opacity": 0.85,
                    },
                    hovertemplate=f"{hover}<extra></extra>",
                ),
                row=row,
                col=column,
            )
    height_per_row = 470 if presentation else 340  # a projector legend of ten digits fits whole
    base_layout(figure, language, style, height=80 + height_per_row * rows)
    figure.update_layout(
        legend={
            "title": {"text": t("self_supervised.map.legend", language)},
            "itemsizing": "constant",
            "font": {"size": style.font_size},
        },
        margin={"l": 10, "r": 10, "t": 70, "b": 10},  # room for two-line titles
    )
    # Titles at the subplot's size, not Plotly's default 16 px, so a projector shows them too.
    figure.update_annotations(font={"size": style.font_size})
    # A map's axes have no unit: only where points fall relative to each other means anything.
    figure.update_xaxes(visible=False, range=[-1.08, 1.08])
    figure.update_yaxes(visible=False, range=[-1.08, 1.08])
    return figure
