"""Plotly figures of the dashboard, built by pure functions that pages only place.

- `paradigm_spectrum_figure`: the map of paradigms, from "every example labelled by a person" on
  the left to "no labels at all" on the right.
- `label_fraction_figure`: test accuracy against the fraction of labelled examples, one line per
  paradigm, coloured by family, with the spread over seeds.
- `digit_probabilities_figure`: the probability every paradigm gives each class for one digit.
- `recheck_figure`: each shipped model's accuracy in results.csv beside the one measured now.

Every text in a figure comes from the translation catalogue; numbers are formatted for the language.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.core.bundle_reader import Manifest
from dashboard.core.i18n import (
    family_name,
    family_text,
    format_fraction,
    format_integer,
    format_percent,
    paradigm_name,
    paradigm_text,
    t,
)
from dashboard.core.study_results import SPREAD_RANGE, labels_per_fraction, spread_bounds

# Left to right: from every label typed by people to none at all. Semi-supervised learning needs a
# few human labels; a GAN's "real"/"fake" and a self-supervised task's answers are made by the
# program; unsupervised learning has no labels.
SPECTRUM_FAMILIES = ("supervised", "semi_supervised", "gan", "self_supervised", "unsupervised")

# Okabe-Ito colours: told apart by colour-blind pupils and still distinct on a washed-out projector.
FAMILY_COLOURS = {
    "supervised": "#0072B2",
    "semi_supervised": "#009E73",
    "gan": "#D55E00",
    "self_supervised": "#CC79A7",
    "unsupervised": "#E69F00",
}
UNKNOWN_FAMILY_COLOUR = "#555555"
# The nearest of Streamlit's markdown colours (":blue[text]"), to colour a family's name in text
# the same way as in the figures.
FAMILY_MARKDOWN_COLOURS = {
    "supervised": "blue",
    "semi_supervised": "green",
    "gan": "red",
    "self_supervised": "violet",
    "unsupervised": "orange",
}
UNKNOWN_FAMILY_MARKDOWN_COLOUR = "gray"

# One colour per digit for the maps of the semi- and self-supervised pages (d3's category ten, its
# grey swapped for a dark navy so that no digit looks like the grey of "no pseudo-label yet").
DIGIT_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
)

# Paradigms of one family share its colour; line dash and marker tell them apart.
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star")

STUDY_PNG_FILENAME = "paradigm-lab-label-fraction-study"

# A system typeface, not Streamlit's web font: the PNG export draws the chart outside the page,
# where a web font is missing, and text measured in one font then overflows in the other.
FONT_FAMILY = 'Arial, "Liberation Sans", Helvetica, sans-serif'

# The percent sign as each language writes it after a number: 71,2 % (fr), 71.2% (en). Plotly
# takes the decimal mark from `separators`.
PERCENT_SIGN = {"fr": "\u202f%", "en": "%"}
# Plotly's `separators`: the decimal mark, then the thousands separator.
_PLOTLY_SEPARATORS = {"fr": ", ", "en": ".,"}


@dataclass(frozen=True)
class FigureStyle:
    """Sizes for a laptop screen or, in presentation mode, for a projector at the back of a room."""

    font_size: int
    line_width: float
    marker_size: int
    text_colour: str
    grid_colour: str
    label_characters: int  # where the map's paradigm names wrap, so columns do not collide


SCREEN_STYLE = FigureStyle(
    font_size=14,
    line_width=2.5,
    marker_size=9,
    text_colour="#262730",
    grid_colour="#E5E5E5",
    label_characters=24,
)
PRESENTATION_STYLE = FigureStyle(
    font_size=20,
    line_width=4.5,
    marker_size=14,
    text_colour="#000000",
    grid_colour="#BBBBBB",
    label_characters=13,
)


def figure_style(presentation: bool) -> FigureStyle:
    return PRESENTATION_STYLE if presentation else SCREEN_STYLE


def family_colour(family: str) -> str:
    return FAMILY_COLOURS.get(family, UNKNOWN_FAMILY_COLOUR)


def plotly_config(png_filename: str) -> dict:
    """Plotly's modebar: the camera button saves a PNG of this name, drawn in the browser."""
    return {
        "displaylogo": False,
        "displayModeBar": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": png_filename, "scale": 2},
    }


def _wrap(text: str, width: int = 48) -> str:
    # Never cut inside a word: a name a bit wider than its column reads better than a word cut in
    # two ("discriminateu / r").
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) if text else ""


# Plotly's "plotly_white", kept to what 2-D charts use. The whole template travels inside every
# chart's message to every student's browser: its per-trace defaults and its 3-D, polar,
# ternary and map sections were 5.7 of a small chart's 6.6 kB (issue #20), for nothing drawn here.
_WHITE_LAYOUT_PARTS = ("autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor",
                       "plot_bgcolor", "xaxis", "yaxis", "shapedefaults", "annotationdefaults", "title")
COMPACT_WHITE_TEMPLATE = go.layout.Template(layout={
    part: value for part, value in pio.templates["plotly_white"].layout.to_plotly_json().items()
    if part in _WHITE_LAYOUT_PARTS
})


def _use_white_template(figure: go.Figure) -> None:
    """The compact white template, set without checking it again. Assigning a template
    validates and copies all of it: about 9 ms a figure for plotly_white, most of a small chart's
    cost (a classroom load check put the server's time at 200 ms an interaction). The template is
    made from Plotly's own, valid one; Plotly skips the same check when it applies its default
    template (BaseFigure._initialize_layout_template)."""
    layout = figure.layout
    checking = layout._validate
    layout._validate = False
    try:
        layout.template = COMPACT_WHITE_TEMPLATE
    finally:
        layout._validate = checking


def base_layout(figure: go.Figure, language: str, style: FigureStyle, height: int) -> None:
    _use_white_template(figure)
    figure.update_layout(
        height=height,
        separators=_PLOTLY_SEPARATORS.get(language, ".,"),
        font={"family": FONT_FAMILY, "size": style.font_size, "color": style.text_colour},
        hoverlabel={"font_size": style.font_size},
        margin={"l": 20, "r": 20, "t": 30, "b": 20},
    )


# --- The map of paradigms --------------------------------------------------------------------


@dataclass(frozen=True)
class SpectrumEntry:
    paradigm: str
    family: str
    available: bool  # a shipped model or study results exist; otherwise "coming"


def spectrum_entries(
    manifest: Manifest | None, paradigms_with_results: set[str]
) -> list[SpectrumEntry]:
    """The manifest's paradigms, each available if implemented and with a shipped model or study
    results, otherwise coming. No manifest: no entries, and the map shows the families alone."""
    if manifest is None:
        return []
    with_models = {model.paradigm for model in manifest.models}
    # The 2-D GAN ships a recording, not a model: shipped all the same.
    with_models |= {recording.paradigm for recording in manifest.gan_2d_recordings}
    return [
        SpectrumEntry(
            paradigm=paradigm.id,
            family=paradigm.family,
            available=paradigm.implemented
            and (paradigm.id in with_models or paradigm.id in paradigms_with_results),
        )
        for paradigm in manifest.paradigms
    ]


def spectrum_families(entries: list[SpectrumEntry]) -> list[str]:
    """The known families in spectrum order, then any family the catalogue does not know yet."""
    unknown = sorted({e.family for e in entries} - set(SPECTRUM_FAMILIES))
    return [*SPECTRUM_FAMILIES, *unknown]


def paradigm_spectrum_figure(
    entries: list[SpectrumEntry], *, language: str, presentation: bool = False
) -> go.Figure:
    """Each family is a column, left (all labels from people) to right (no labels); its
    paradigms are listed under it, filled when available and hollow when coming."""
    style = figure_style(presentation)
    families = spectrum_families(entries)
    figure = go.Figure()
    deepest_row = 1
    most_lines = 1  # text lines under the tallest paradigm marker
    for column, family in enumerate(families):
        colour = family_colour(family)
        figure.add_trace(
            go.Scatter(
                x=[column],
                y=[0],
                mode="markers+text",
                marker={"symbol": "square", "size": style.marker_size * 2.2, "color": colour},
                text=[f"<b>{_wrap(family_name(family, language), style.label_characters)}</b>"],
                textposition="top center",
                textfont={"color": colour, "size": style.font_size + 1},
                hovertext=[
                    _wrap(family_text(family, "description", language))
                    + "<br><i>"
                    + _wrap(family_text(family, "label_source", language))
                    + "</i>"
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
            )
        )
        members = [e for e in entries if e.family == family]
        for row, entry in enumerate(members, start=1):
            name = paradigm_name(entry.paradigm, language)
            status = "" if entry.available else t("figure.spectrum.coming", language)
            label = _wrap(name, style.label_characters) + (f"<br><i>{status}</i>" if status else "")
            most_lines = max(most_lines, label.count("<br>") + 1)
            figure.add_trace(
                go.Scatter(
                    x=[column],
                    y=[-row],
                    mode="markers+text",
                    marker={
                        "symbol": "circle" if entry.available else "circle-open",
                        "size": style.marker_size,
                        "color": colour,
                        "line": {"width": 2, "color": colour},
                    },
                    text=[label],
                    textposition="bottom center",
                    hovertext=[
                        t(
                            "figure.spectrum.hover",
                            language,
                            name=name,
                            status=status,
                            description=_wrap(
                                paradigm_text(entry.paradigm, "description", language)
                            ),
                            source=paradigm_text(entry.paradigm, "label_source", language),
                        )
                    ],
                    hovertemplate="%{hovertext}<extra></extra>",
                    showlegend=False,
                )
            )
        deepest_row = max(deepest_row, len(members))

    # The arrow over the columns: the amount of human labelling falls from left to right.
    arrow_y = 1.25
    figure.add_annotation(
        x=len(families) - 0.6,
        y=arrow_y,
        ax=-0.4,
        ay=arrow_y,
        axref="x",
        ayref="y",
        showarrow=True,
        arrowhead=2,
        arrowsize=1.2,
        arrowwidth=style.line_width,
        arrowcolor=style.text_colour,
        text="",
    )
    for x, anchor, key in (
        (-0.45, "left", "figure.spectrum.left_end"),
        (len(families) - 0.55, "right", "figure.spectrum.right_end"),
    ):
        figure.add_annotation(
            x=x,
            y=arrow_y,
            xanchor=anchor,
            yanchor="bottom",
            yshift=6,
            showarrow=False,
            text=f"<b>{t(key, language)}</b>",
            font={"size": style.font_size},
        )
    # Each row holds a marker and the lines of text under it.
    row_height = (most_lines + 0.6) * 1.25 * style.font_size + style.marker_size
    base_layout(figure, language, style, height=round(200 + row_height * deepest_row))
    # A map, not a plot: zooming or panning it would only lose the picture.
    figure.update_xaxes(visible=False, fixedrange=True, range=[-0.5, len(families) - 0.5])
    figure.update_yaxes(visible=False, fixedrange=True, range=[-deepest_row - 0.8, arrow_y + 0.6])
    return figure


# --- Accuracy against labelled fraction ------------------------------------------------------


def _accuracy_text(row: pd.Series, spread: str, language: str) -> str:
    mean = format_percent(row["mean_accuracy"], language)
    if spread == SPREAD_RANGE:
        return t(
            "figure.study.accuracy_range",
            language,
            mean=mean,
            low=format_percent(row["min_accuracy"], language),
            high=format_percent(row["max_accuracy"], language),
        )
    if math.isnan(row["std_accuracy"]):
        return mean
    return t(
        "figure.study.accuracy_spread",
        language,
        mean=mean,
        spread=format_percent(row["std_accuracy"], language),
    )


def paradigm_styles(paradigm_families: dict[str, str]) -> dict[str, tuple[str, str, str]]:
    """(colour, dash, marker) per paradigm: the family's colour, then a dash and marker by the
    paradigm's rank inside its family, in the given order."""
    styles = {}
    rank_in_family: dict[str, int] = {}
    for paradigm, family in paradigm_families.items():
        rank = rank_in_family.get(family, 0)
        rank_in_family[family] = rank + 1
        styles[paradigm] = (
            family_colour(family),
            LINE_DASHES[rank % len(LINE_DASHES)],
            MARKER_SYMBOLS[rank % len(MARKER_SYMBOLS)],
        )
    return styles


def label_fraction_figure(
    summary: pd.DataFrame,
    *,
    language: str,
    spread: str,
    paradigm_order: list[str] | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Mean test accuracy against the label fraction (log axis), one line per paradigm.

    `summary` is `study_results.summarise_by_fraction` for one data set. Tick labels show each
    fraction with its number of labels; error bars show the spread over seeds.
    """
    style = figure_style(presentation)
    figure = go.Figure()
    if summary.empty:
        return figure
    present = list(dict.fromkeys(summary["paradigm"]))
    order = [p for p in (paradigm_order or []) if p in present]
    order += [p for p in present if p not in order]
    families = summary.groupby("paradigm")["family"].first().to_dict()
    # Sorting by family keeps each family's legend group together, in spectrum order.
    family_rank = {family: rank for rank, family in enumerate(SPECTRUM_FAMILIES)}
    order.sort(key=lambda p: family_rank.get(families[p], len(family_rank)))
    styles = paradigm_styles({p: families[p] for p in order})

    for paradigm in order:
        points = summary[summary["paradigm"] == paradigm].sort_values("label_fraction")
        below, above = spread_bounds(points, spread)
        colour, dash, symbol = styles[paradigm]
        name = paradigm_name(paradigm, language)
        family = families[paradigm]
        hover = [
            t(
                "figure.study.hover",
                language,
                name=name,
                fraction=format_fraction(row["label_fraction"], language),
                labels=format_integer(row["n_labels"], language),
                accuracy=_accuracy_text(row, spread, language),
                seeds=row["n_seeds"],
            )
            for _, row in points.iterrows()
        ]
        figure.add_trace(
            go.Scatter(
                x=points["label_fraction"],
                y=points["mean_accuracy"],
                name=name,
                mode="lines+markers",
                legendgroup=family,
                legendgrouptitle_text=family_name(family, language),
                line={"color": colour, "dash": dash, "width": style.line_width},
                marker={"symbol": symbol, "size": style.marker_size, "color": colour},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": above,
                    "arrayminus": below,
                    "color": colour,
                    "thickness": max(1.5, style.line_width / 2),
                    "width": style.marker_size / 2,
                },
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )

    labels_at = labels_per_fraction(summary)
    fractions = sorted(labels_at)
    tick_text = [
        f"{format_fraction(f, language)}<br>({format_integer(labels_at[f], language)})"
        for f in fractions
    ]
    lowest = float((summary["mean_accuracy"] - spread_bounds(summary, spread)[0]).min())
    # The legend sits under the chart, families side by side, so it never needs a scroll bar on a
    # projector (13 lines beside the chart did not fit 768 pixels); a click on a family's title
    # shows or hides the family as a whole.
    base_layout(figure, language, style, height=720 if presentation else 620)
    figure.update_layout(legend={
        "groupclick": "togglegroup", "font": {"size": style.font_size}, "orientation": "h",
        "x": 0, "xanchor": "left", "y": -0.36 if presentation else -0.3, "yanchor": "top", "valign": "top",
    })
    figure.update_xaxes(
        type="log",
        tickvals=fractions,
        ticktext=tick_text,
        title_text=t("figure.study.x_title", language),
        range=[math.log10(fractions[0]) - 0.08, math.log10(fractions[-1]) + 0.08],
        gridcolor=style.grid_colour,
    )
    figure.update_yaxes(
        tickformat=".0%",
        title_text=t("figure.study.y_title", language),
        # Up to a hair above 100 %, so a point at 100 % keeps its whole marker.
        range=[max(0.0, math.floor(lowest * 20) / 20), 1.01],
        gridcolor=style.grid_colour,
    )
    return figure


# --- Every paradigm's answer for one digit ---------------------------------------------------


def digit_probabilities_figure(
    answers: list, *, language: str, presentation: bool = False
) -> go.Figure:
    """Bars of the probability each paradigm gives each class, one bar group per class.

    `answers` are digit_answers.DigitAnswer objects; those that failed (no probabilities) are
    left out, their error is shown by the page.
    """
    style = figure_style(presentation)
    figure = go.Figure()
    shown = [answer for answer in answers if answer.probabilities is not None]
    styles = paradigm_styles({answer.model.paradigm: answer.model.family for answer in shown})
    patterns = ("", "/", ".", "x", "\\", "+")
    for rank, answer in enumerate(shown):
        colour = styles[answer.model.paradigm][0]
        name = paradigm_name(answer.model.paradigm, language)
        classes = list(answer.model.class_names) or [
            str(index) for index in range(len(answer.probabilities))
        ]
        figure.add_trace(
            go.Bar(
                x=classes,
                y=100 * np.asarray(answer.probabilities, dtype=float),  # in percent
                name=name,
                marker={
                    "color": colour,
                    # Paradigms of one family share a colour; a hatch pattern tells them apart.
                    "pattern": {"shape": patterns[rank % len(patterns)], "fgcolor": "#ffffff"},
                },
                # One template per paradigm, filled by Plotly in the browser, instead of ten
                # hover texts per paradigm in every rerun's message (130 strings, 6 kB).
                hovertemplate=t("figure.digit.hover", language, name=name, digit="%{x}",
                                probability="%{y:.1f}" + PERCENT_SIGN.get(language, "%")) + "<extra></extra>",
            )
        )
    base_layout(figure, language, style, height=360 if presentation else 300)
    figure.update_layout(barmode="group", legend={"orientation": "h", "y": -0.25})
    figure.update_xaxes(title_text=t("figure.digit.x_title", language), type="category")
    figure.update_yaxes(
        title_text=t("figure.digit.y_title", language),
        ticksuffix=PERCENT_SIGN.get(language, "%"),
        range=[0, 102],
        gridcolor=style.grid_colour,
    )
    return figure


# --- The chart re-checks itself --------------------------------------------------------------


KEY_GREY = "#555555"  # marks in a legend that explain a symbol, not a paradigm


def recheck_figure(points: list, *, language: str, presentation: bool = False) -> go.Figure:
    """Each shipped model's accuracy: in results.csv (circles joined by a line) and measured
    now (crosses); a flagged point is ringed in red. `points` are study_recheck.RecheckedPoint."""
    style = figure_style(presentation)
    figure = go.Figure()
    paradigms = list(dict.fromkeys(point.paradigm for point in points))
    families = {point.paradigm: point.family for point in points}
    styles = paradigm_styles({paradigm: families[paradigm] for paradigm in paradigms})
    for paradigm in paradigms:
        colour, dash, _ = styles[paradigm]
        name = paradigm_name(paradigm, language)
        mine = sorted(
            (point for point in points if point.paradigm == paradigm),
            key=lambda point: point.label_fraction,
        )
        for source, attribute, mode, marker in (
            ("recorded", "recorded_accuracy", "lines+markers", {"symbol": "circle-open"}),
            ("measured", "measured_accuracy", "markers", {"symbol": "x-thin-open"}),
        ):
            kept = [point for point in mine if getattr(point, attribute) is not None]
            figure.add_trace(
                go.Scatter(
                    x=[point.label_fraction for point in kept],
                    y=[getattr(point, attribute) for point in kept],
                    name=name,
                    mode=mode,
                    legendgroup=paradigm,
                    showlegend=False,  # two entries explain the marks; names are in the hover
                    line={"color": colour, "dash": dash, "width": style.line_width / 2},
                    marker={
                        **marker,
                        "color": colour,
                        "size": style.marker_size * (1.6 if source == "recorded" else 1.2),
                        "line": {"width": 2, "color": colour},
                    },
                    hovertext=[
                        t(
                            "figure.recheck.hover",
                            language,
                            name=name,
                            fraction=format_fraction(point.label_fraction, language),
                            source=t(f"figure.recheck.source_{source}", language),
                            accuracy=format_percent(getattr(point, attribute), language),
                        )
                        for point in kept
                    ],
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    # The legend says what a mark means, not which paradigm it is (that was 26 entries, and a
    # class reads the verdict above the chart, not the lines).
    for source, mode, symbol in (("recorded", "lines+markers", "circle-open"), ("measured", "markers", "x-thin-open")):
        figure.add_trace(
            go.Scatter(
                x=[None], y=[None], mode=mode, name=t(f"figure.recheck.{source}", language),
                line={"color": KEY_GREY, "width": style.line_width / 2},
                marker={"symbol": symbol, "color": KEY_GREY, "size": style.marker_size * 1.4,
                        "line": {"width": 2, "color": KEY_GREY}},
                hoverinfo="skip",
            )
        )
    flagged = [point for point in points if point.flagged]
    if flagged:
        figure.add_trace(
            go.Scatter(
                x=[point.label_fraction for point in flagged],
                y=[
                    point.measured_accuracy
                    if point.measured_accuracy is not None
                    else point.recorded_accuracy
                    for point in flagged
                ],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker={
                    "symbol": "circle-open",
                    "size": style.marker_size * 3,
                    "color": "#D00000",
                    "line": {"width": 3, "color": "#D00000"},
                },
            )
        )
    base_layout(figure, language, style, height=480 if presentation else 420)
    labels_at = {
        point.label_fraction: point.n_labels for point in points if point.n_labels is not None
    }
    fractions = sorted({point.label_fraction for point in points})
    if fractions:
        figure.update_xaxes(
            type="log",
            tickvals=fractions,
            ticktext=[
                format_fraction(fraction, language)
                + (
                    f"<br>({format_integer(labels_at[fraction], language)})"
                    if fraction in labels_at
                    else ""
                )
                for fraction in fractions
            ],
            range=[math.log10(fractions[0]) - 0.08, math.log10(fractions[-1]) + 0.08],
            title_text=t("figure.study.x_title", language),
            gridcolor=style.grid_colour,
        )
    figure.update_yaxes(
        tickformat=".0%",
        title_text=t("figure.study.y_title", language),
        gridcolor=style.grid_colour,
    )
    return figure
