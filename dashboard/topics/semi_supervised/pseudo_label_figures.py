"""Plotly figures of the semi-supervised page, built by pure functions that the page only places.

- `pseudo_label_rounds_figure`: round by round, how many unlabelled digits carry a pseudo-label
  (right ones and wrong ones stacked) and how accurate those pseudo-labels are.
- `pool_map_figure`: the pool on its 2-D map at one round, each digit coloured by what it carries.
- `threshold_figure`: a model's probabilities for one test digit, with the confidence bar.

The map draws a few thousand points with WebGL (`go.Scattergl`), which stays smooth where SVG
markers would make every rerun and every zoom slow. Texts come from the translation catalogue.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core.figures import DIGIT_COLOURS, base_layout, figure_style
from dashboard.core.i18n import format_integer, format_percent, t
from dashboard.topics.semi_supervised.pseudo_labels import LABELLED, RIGHT, WAITING, WRONG, MapPoints, ThresholdVerdict

# Okabe-Ito: right in the semi-supervised family's bluish green, wrong in vermillion; the pair is
# told apart by colour-blind pupils, and wrong points are crosses as well.
RIGHT_COLOUR = "#009E73"
WRONG_COLOUR = "#D55E00"
BELOW_BAR_COLOUR = "#E69F00"
WAITING_COLOUR = "#CFCFCF"
OTHER_CLASS_COLOUR = "#B5B5B5"
INK_COLOUR = "#1A1A1A"
CURRENT_ROUND_FILL = "rgba(240, 200, 0, 0.22)"
COLOUR_BY_DIGIT = "digit"
COLOUR_BY_OUTCOME = "outcome"
COLOUR_MODES = (COLOUR_BY_DIGIT, COLOUR_BY_OUTCOME)


def _class_name(class_names: tuple[str, ...], index: int) -> str:
    return class_names[index] if 0 <= index < len(class_names) else str(index)


# --- round by round ----------------------------------------------------------------------------


def pseudo_label_rounds_figure(
    summary: pd.DataFrame,
    *,
    language: str,
    current_round: int | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Stacked bars of right and wrong pseudo-labels per round (left axis, up to every
    unlabelled digit), and the accuracy of the carried pseudo-labels and of every guess (right
    axis). `summary` is `semi_supervised.round_summary`; the chosen round is shaded."""
    style = figure_style(presentation)
    figure = go.Figure()
    rounds = summary["round"].tolist()
    steps = [format_integer(int(step), language) for step in summary["step"]]
    for column, colour, key in (
        ("n_carried_correct", RIGHT_COLOUR, "semi_supervised.figure.right"),
        ("n_carried_wrong", WRONG_COLOUR, "semi_supervised.figure.wrong"),
    ):
        name = t(key, language)
        figure.add_trace(
            go.Bar(
                x=rounds,
                y=summary[column],
                name=name,
                marker={"color": colour},
                hovertext=[
                    t(
                        "semi_supervised.figure.count_hover",
                        language,
                        name=name,
                        step=step,
                        count=format_integer(int(count), language),
                    )
                    for step, count in zip(steps, summary[column])
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    for column, dash, key in (
        ("carried_accuracy", "solid", "semi_supervised.figure.carried_accuracy"),
        ("guesses_accuracy", "dot", "semi_supervised.figure.guesses_accuracy"),
    ):
        name = t(key, language)
        figure.add_trace(
            go.Scatter(
                x=rounds,
                y=summary[column],
                name=name,
                yaxis="y2",
                mode="lines+markers",
                line={"color": INK_COLOUR, "dash": dash, "width": style.line_width / 1.5},
                marker={"size": style.marker_size * 0.8, "color": INK_COLOUR},
                hovertext=[
                    t(
                        "semi_supervised.figure.accuracy_hover",
                        language,
                        name=name,
                        step=step,
                        accuracy="—" if np.isnan(value) else format_percent(value, language),
                    )
                    for step, value in zip(steps, summary[column])
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    n_unlabelled = int(summary["n_unlabelled"].iloc[0]) if len(summary) else 0
    if current_round is not None:
        # A plain layout shape: add_vrect works out subplot references and costs a page rerun
        # several milliseconds for the same rectangle.
        figure.layout.shapes = [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": current_round - 0.5,
                "x1": current_round + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": CURRENT_ROUND_FILL,
                "line": {"width": 0},
                "layer": "below",
            }
        ]
    # Where the bars would stop if every unlabelled digit carried a pseudo-label. Named in the
    # legend, not on the chart: an accuracy of 100 % sits on this very line.
    figure.add_trace(
        go.Scatter(
            x=[rounds[0] - 0.5, rounds[-1] + 0.5] if rounds else [],
            y=[n_unlabelled, n_unlabelled],
            name=t(
                "semi_supervised.figure.every_unlabelled",
                language,
                count=format_integer(n_unlabelled, language),
            ),
            mode="lines",
            line={"color": INK_COLOUR, "dash": "dash", "width": 1},
            hoverinfo="skip",
        )
    )
    base_layout(figure, language, style, height=540 if presentation else 460)
    figure.update_layout(
        barmode="stack",
        legend={
            "orientation": "h",
            "y": -0.2,
            "yanchor": "top",
            "x": 0,
            "traceorder": "normal",
            "font": {"size": style.font_size - 1},
        },
        # Both axes end 10 % above their whole: the dashed line of "every unlabelled digit"
        # on the left is the 100 % of the right, so a bar and the accuracy read on one scale.
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.1],
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "tickformat": ".0%",
            "title": {"text": t("semi_supervised.figure.accuracy_axis", language)},
            "showgrid": False,
            "fixedrange": True,
        },
        margin={"l": 20, "r": 20, "t": 30, "b": 20},
    )
    # Every round keeps its tick, but at most about eight carry a label: more would turn
    # sideways and run into the axis title.
    every = max(1, math.ceil(len(rounds) / 8))
    figure.update_xaxes(
        tickvals=rounds,
        ticktext=[
            step if (len(rounds) - 1 - index) % every == 0 else ""
            for index, step in enumerate(steps)
        ],
        tickangle=0,
        range=[-0.5, len(rounds) - 0.5],
        title_text=t("semi_supervised.figure.step_axis", language),
        fixedrange=True,
    )
    figure.update_layout(
        yaxis={
            "range": [0, max(1, n_unlabelled) * 1.1],
            "title": {"text": t("semi_supervised.figure.count_axis", language)},
            "gridcolor": style.grid_colour,
            "fixedrange": True,
        }
    )
    return figure


# --- the pool map ------------------------------------------------------------------------------


# Plotly's symbol numbers: numeric arrays travel to the browser as compact binary, lists of
# names as JSON text.
CIRCLE, CROSS = 0, 4


def _hover_data(
    points: MapPoints, chosen: np.ndarray, class_names: tuple[str, ...]
) -> np.ndarray:
    """(N, 3) per point: the guessed class, the confidence, the true class.

    Digits whose class names are their indices ("0".."9", every data set of the study) travel
    as one float32 array, binary and small even for thousands of points; other class names
    must travel as text.
    """
    numeric = all(name == str(index) for index, name in enumerate(class_names))
    if numeric:
        return np.column_stack(
            [points.digit[chosen], points.confidence[chosen], points.truth[chosen]]
        ).astype(np.float32)
    data = np.empty((len(points.digit[chosen]), 3), dtype=object)
    data[:, 0] = [_class_name(class_names, int(d)) for d in points.digit[chosen]]
    data[:, 1] = np.round(points.confidence[chosen].astype(np.float64), 3)
    data[:, 2] = [_class_name(class_names, int(d)) for d in points.truth[chosen]]
    return data


def pool_map_figure(
    points: MapPoints,
    *,
    colour_by: str,
    class_names: tuple[str, ...] = (),
    language: str,
    presentation: bool = False,
) -> go.Figure:
    """The pool on its map at one round. Grey: no pseudo-label yet; coloured dots: a
    pseudo-label (by digit read, or green right and vermillion wrong); crosses: a wrong
    pseudo-label; large outlined diamonds: the digits a person labelled, drawn on top."""
    style = figure_style(presentation)
    size = 7 if presentation else 5
    figure = go.Figure()

    def marker(colour, symbol, marker_size, outline):
        return {"color": colour, "symbol": symbol, "size": marker_size, "line": outline or {"width": 0}}

    def add(chosen, *, name, colour, hover_key, legend_rank, symbol=CIRCLE, marker_size=size,
            outline=None):
        """One trace of the points `chosen` (a boolean mask or indices)."""
        figure.add_trace(
            go.Scattergl(
                x=points.x[chosen].astype(np.float32),
                y=points.y[chosen].astype(np.float32),
                mode="markers",
                name=name,
                # Plotly ranks legend entries from 1,000 by default; ours come in this order.
                legendrank=legend_rank,
                marker=marker(colour, symbol, marker_size, outline),
                customdata=_hover_data(points, chosen, class_names),
                hovertemplate=t(hover_key, language) + "<extra></extra>",
            )
        )

    def add_legend_only(name, *, colour, symbol, marker_size, legend_rank, outline=None):
        figure.add_trace(
            go.Scattergl(
                x=[None], y=[None], mode="markers", name=name, legendrank=legend_rank,
                marker=marker(colour, symbol, marker_size, outline), hoverinfo="skip",
            )
        )

    is_labelled = points.kind == LABELLED
    is_wrong = points.kind == WRONG
    carried = (points.kind == RIGHT) | is_wrong
    add(
        points.kind == WAITING,
        name=t("semi_supervised.map.waiting", language),
        colour=WAITING_COLOUR,
        hover_key="semi_supervised.map.hover_waiting",
        legend_rank=30,
    )
    labelled_outline = {"width": 1.5, "color": "#000000"}
    if colour_by == COLOUR_BY_OUTCOME:
        add(
            points.kind == RIGHT,
            name=t("semi_supervised.map.right", language),
            colour=RIGHT_COLOUR,
            hover_key="semi_supervised.map.hover_carried",
            legend_rank=11,
        )
        add(
            is_wrong,
            name=t("semi_supervised.map.wrong", language),
            colour=WRONG_COLOUR,
            symbol=CROSS,
            marker_size=size + 3,
            hover_key="semi_supervised.map.hover_carried",
            legend_rank=12,
        )
        labelled_colour: str | list[str] = INK_COLOUR  # one colour, or one per labelled point
        labelled_outline = {"width": 1.5, "color": "#FFFFFF"}
    else:
        for digit, colour in enumerate(DIGIT_COLOURS):
            # Right ones first: the legend draws a trace's entry like its first point, and the
            # entry of "read as 3" should be a dot, not a cross.
            mine = np.flatnonzero(carried & (points.digit == digit))
            mine = mine[np.argsort(is_wrong[mine], kind="stable")]
            add(
                mine,
                name=t("semi_supervised.map.digit", language, digit=_class_name(class_names, digit)),
                colour=colour,
                symbol=np.where(is_wrong[mine], CROSS, CIRCLE).astype(np.int8),
                hover_key="semi_supervised.map.hover_carried",
                legend_rank=digit,
            )
        # Each person's label is drawn in its digit's colour; the legend shows one neutral
        # diamond for all of them, and one cross for every colour of wrong pseudo-label.
        labelled_colour = [
            DIGIT_COLOURS[int(digit) % len(DIGIT_COLOURS)] for digit in points.digit[is_labelled]
        ]
        add_legend_only(
            t("semi_supervised.map.wrong_marker", language),
            colour=INK_COLOUR,
            symbol=CROSS,
            marker_size=size + 3,
            legend_rank=12,
        )
        add_legend_only(
            t("semi_supervised.map.labelled", language),
            colour="#FFFFFF",
            symbol="diamond",
            marker_size=size * 2.4,
            outline=labelled_outline,
            legend_rank=20,
        )
    add(
        is_labelled,
        name=t("semi_supervised.map.labelled", language),
        colour=labelled_colour,
        symbol="diamond",
        marker_size=size * 2.4,
        outline=labelled_outline,
        hover_key="semi_supervised.map.hover_labelled",
        legend_rank=20,
    )
    if colour_by != COLOUR_BY_OUTCOME:
        figure.data[-1].showlegend = False
    base_layout(figure, language, style, height=640 if presentation else 560)
    figure.update_layout(
        # Under the map, not beside it: the map keeps the column's whole width.
        legend={
            "orientation": "h",
            "y": 0,
            "yanchor": "top",
            "x": 0,
            "font": {"size": style.font_size - 1},
            "itemsizing": "constant",
        },
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="#FFFFFF",
    )
    # A map, not a plot: no axes to read, and equal scales so that distances mean the same across
    # and up. Zoom stays on: a class may look into one cluster.
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return figure


# --- the confidence bar on one test digit -------------------------------------------------------


def threshold_figure(
    verdict: ThresholdVerdict,
    *,
    class_names: tuple[str, ...] = (),
    model_name: str,
    language: str,
    presentation: bool = False,
) -> go.Figure:
    """The probability the model gives each class for one digit; its best guess is coloured
    green if it clears the dashed bar and orange if not."""
    style = figure_style(presentation)
    classes = [_class_name(class_names, index) for index in range(len(verdict.probabilities))]
    guess_colour = RIGHT_COLOUR if verdict.carried else BELOW_BAR_COLOUR
    colours = [
        guess_colour if index == verdict.guess else OTHER_CLASS_COLOUR
        for index in range(len(classes))
    ]
    figure = go.Figure(
        go.Bar(
            x=classes,
            y=verdict.probabilities,
            marker={"color": colours},
            hovertext=[
                t(
                    "figure.digit.hover",
                    language,
                    name=model_name,
                    digit=digit,
                    probability=format_percent(float(probability), language),
                )
                for digit, probability in zip(classes, verdict.probabilities)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    # Plain layout shape and annotation, not add_hline: the same line, a few milliseconds less
    # on every rerun of the page.
    figure.layout.shapes = [
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": verdict.threshold,
            "y1": verdict.threshold,
            "line": {"color": INK_COLOUR, "dash": "dash", "width": style.line_width / 1.5},
        }
    ]
    figure.layout.annotations = [
        {
            "xref": "paper",
            "yref": "y",
            "x": 1,
            "y": verdict.threshold,
            "xanchor": "right",
            "yanchor": "bottom",
            "showarrow": False,
            "text": t(
                "semi_supervised.figure.bar",
                language,
                threshold=format_percent(verdict.threshold, language, digits=0),
            ),
            "font": {"size": style.font_size},
        }
    ]
    base_layout(figure, language, style, height=340 if presentation else 300)
    figure.update_xaxes(title_text=t("figure.digit.x_title", language), type="category")
    figure.update_yaxes(
        title_text=t("figure.digit.y_title", language),
        tickformat=".0%",
        range=[0, 1.12],
        gridcolor=style.grid_colour,
        fixedrange=True,
    )
    return figure
