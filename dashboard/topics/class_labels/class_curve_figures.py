"""The class-labels page's chart: the class's accuracy against its number of labels, one line per
feature source, on the study's axes (number of labels on a log scale, test accuracy), beside the
study's supervised network as the yardstick."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.figures import base_layout, figure_style

# One colour per feature source, in the order the bench lists them (pixels first); the
# Okabe-Ito palette stays distinct for the colour-blind.
SOURCE_COLOURS = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#999999")
YARDSTICK_COLOUR = "#a3132f"


def class_curve_figure(
    curve: dict[int, dict[str, float]],
    source_names: dict[str, str],
    yardstick: pd.DataFrame | None,
    *,
    language: str,
    axis_labels: tuple[str, str],
    yardstick_name: str,
    presentation: bool = False,
) -> go.Figure:
    """`curve` maps a number of labels to each source's accuracy (proportions); `yardstick`
    holds the study's supervised rows (n_labels, mean_accuracy), drawn dashed."""
    style = figure_style(presentation)
    figure = go.Figure()
    counts = sorted(curve)
    if yardstick is not None and not yardstick.empty:
        figure.add_trace(go.Scatter(
            x=yardstick["n_labels"], y=100 * yardstick["mean_accuracy"], name=yardstick_name,
            mode="lines+markers", line={"color": YARDSTICK_COLOUR, "dash": "dash", "width": style.line_width},
            marker={"size": style.marker_size - 2},
        ))
    for index, (source, name) in enumerate(source_names.items()):
        values = [100 * curve[n][source] for n in counts if source in curve[n]]
        if not values:
            continue
        figure.add_trace(go.Scatter(
            x=counts[: len(values)], y=values, name=name, mode="lines+markers",
            line={"color": SOURCE_COLOURS[index % len(SOURCE_COLOURS)], "width": style.line_width},
            marker={"size": style.marker_size},
        ))
    base_layout(figure, language, style, height=560 if presentation else 460)
    figure.update_layout(
        xaxis={"title": axis_labels[0], "type": "log"},
        yaxis={"title": axis_labels[1], "range": [0, 100]},
        # Below the chart, in rows: never a scrolling legend beside it.
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        margin={"l": 20, "r": 20, "t": 30, "b": 140 if presentation else 110},
    )
    return figure
