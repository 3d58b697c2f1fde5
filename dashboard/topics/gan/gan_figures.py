"""Plotly figures of the GAN page, built by pure functions that the page only places.

- `losses_figure`: the two networks' losses through training, and below them the discriminator's
  average belief that real digits and generated ones are real, with a marker at the step shown.
- `digit_shares_figure`: which digits 1,000 generated samples are, as the judge reads them, with
  the 3 % and 20 % lines (a digit below 3 % is one the generator forgot: mode collapse).
- `asked_digit_figure`: for the conditional generator, the share of each asked-for digit that the
  judge reads as that digit, with the 90 % line.
- `frechet_figure`: the Fréchet distances of the generated digits beside their references.

Texts come from the translation catalogue; numbers are formatted for the language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.core.figures import PRESENTATION_STYLE, base_layout, family_colour, figure_style
from dashboard.core.i18n import format_decimal, format_integer, format_percent, t

# Okabe-Ito, as everywhere in the app; each pair also differs by its dash, for a grey printout.
DISCRIMINATOR_COLOUR = "#0072B2"  # blue
GENERATOR_COLOUR = "#D55E00"  # vermillion
ON_REAL_COLOUR = "#009E73"  # bluish green
ON_FAKE_COLOUR = "#CC79A7"  # reddish purple
WITHIN_TARGET_COLOUR = "#56B4E9"  # sky blue
OFF_TARGET_COLOUR = "#D55E00"
REFERENCE_COLOUR = "#7F7F7F"
TARGET_LINE_COLOUR = "#262730"


def losses_figure(
    losses: pd.DataFrame, step: int, *, language: str, presentation: bool = False
) -> go.Figure:
    """Top: discriminator and generator losses; bottom: mean D(real digit) and D(generated
    digit). A vertical line marks `step`, the checkpoint whose digits are shown beside."""
    style = figure_style(presentation)
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(t("gan.losses.top", language), t("gan.losses.bottom", language)),
    )
    lines = (
        (1, "discriminator_loss", "gan.losses.discriminator", DISCRIMINATOR_COLOUR, "solid"),
        (1, "generator_loss", "gan.losses.generator", GENERATOR_COLOUR, "dash"),
        (2, "mean_real_probability_on_real", "gan.losses.on_real", ON_REAL_COLOUR, "solid"),
        (2, "mean_real_probability_on_fake", "gan.losses.on_fake", ON_FAKE_COLOUR, "dot"),
    )
    for row, column, key, colour, dash in lines:
        name = t(key, language)
        figure.add_trace(
            go.Scatter(
                x=losses["step"],
                y=losses[column],
                mode="lines+markers" if len(losses) < 30 else "lines",
                name=name,
                line={"color": colour, "width": style.line_width, "dash": dash},
                marker={"size": style.marker_size * 0.6},
                hovertemplate=f"{name}<br>{t('gan.losses.step_hover', language)}<extra></extra>",
            ),
            row=row,
            col=1,
        )
    # 0.5 is a discriminator that cannot tell: where both lines meet when the forger wins.
    figure.add_hline(
        y=0.5, line={"color": REFERENCE_COLOUR, "dash": "dot", "width": 1.5}, row=2, col=1
    )
    figure.add_vline(
        x=step, line={"color": TARGET_LINE_COLOUR, "width": 2, "dash": "dash"}, row="all", col=1
    )
    last_step = max(int(losses["step"].max()) if len(losses) else 0, step)
    figure.add_annotation(
        x=step,
        y=1.0,
        xref="x",
        yref="paper",
        yanchor="bottom",
        # Written away from the nearer edge: centred on the last checkpoint, half the label
        # ("step 5,000") fell outside the figure.
        xanchor="right" if step > last_step / 2 else "left",
        text=t("gan.losses.marker", language, step=format_integer(step, language)),
        showarrow=False,
        font={"size": style.font_size},
    )
    base_layout(figure, language, style, height=580 if presentation else 460)
    figure.update_layout(
        # Below the axis title, not on it: the legend's top is anchored under the plot.
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "font": {"size": style.font_size}},
        margin={"l": 20, "r": 20, "t": 60, "b": 20},
    )
    figure.update_annotations(font={"size": style.font_size})
    figure.update_xaxes(range=[0, max(1, last_step) * 1.03], gridcolor=style.grid_colour)
    figure.update_xaxes(title_text=t("gan.losses.x_title", language), row=2, col=1)
    figure.update_yaxes(gridcolor=style.grid_colour)
    figure.update_yaxes(range=[0, 1], tickformat=".0%", row=2, col=1)
    return figure


def _target_line(figure: go.Figure, value: float, text: str, style, position: str) -> None:
    # The label sits on a white patch: a bar behind it must not make it unreadable.
    figure.add_hline(
        y=value,
        line={"color": TARGET_LINE_COLOUR, "dash": "dash", "width": 1.5},
        annotation_text=text,
        annotation_position=position,
        annotation_font={"size": style.font_size * 0.85},
        annotation_bgcolor="rgba(255, 255, 255, 0.85)",
    )


def digit_shares_figure(
    shares: np.ndarray,
    *,
    class_names: tuple[str, ...],
    low: float,
    high: float,
    language: str,
    presentation: bool = False,
) -> go.Figure:
    """One bar per digit: its share of the generated samples as the judge reads them; bars
    outside [low, high] in vermillion, the two bounds as dashed lines."""
    style = figure_style(presentation)
    names = _names(class_names, len(shares))
    outside = [(share < low or share > high) for share in shares]
    figure = go.Figure(
        go.Bar(
            x=names,
            y=shares,
            marker={
                "color": [OFF_TARGET_COLOUR if off else WITHIN_TARGET_COLOUR for off in outside],
                # A hatch too: the colour is not the only sign of a digit off target.
                "pattern": {
                    "shape": ["x" if off else "" for off in outside],
                    "fillmode": "overlay",
                },
                "line": {"color": "#ffffff", "width": 0.5},
            },
            hovertext=[
                t("gan.shares.hover", language, digit=name, share=format_percent(share, language))
                for name, share in zip(names, shares.tolist())
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    high_text = t("gan.shares.high", language, share=format_percent(high, language, 0))
    low_text = t("gan.shares.low", language, share=format_percent(low, language, 0))
    _target_line(figure, high, high_text, style, "top left")
    _target_line(figure, low, low_text, style, "top right")
    base_layout(figure, language, style, height=380 if presentation else 320)
    figure.update_xaxes(title_text=t("gan.shares.x_title", language), type="category")
    top = max(float(np.max(shares)) if len(shares) else 0.0, high) * 1.1
    figure.update_yaxes(
        title_text=t("gan.shares.y_title", language),
        tickformat=".0%",
        range=[0, min(1.05, top)],
        gridcolor=style.grid_colour,
    )
    return figure


def asked_digit_figure(
    right_by_digit: np.ndarray,
    *,
    class_names: tuple[str, ...],
    target: float,
    language: str,
    presentation: bool = False,
) -> go.Figure:
    """One bar per digit asked for: the share of its samples the judge reads as that digit."""
    style = figure_style(presentation)
    names = _names(class_names, len(right_by_digit))
    below = [share < target for share in right_by_digit]
    figure = go.Figure(
        go.Bar(
            x=names,
            y=right_by_digit,
            marker={
                "color": [OFF_TARGET_COLOUR if off else WITHIN_TARGET_COLOUR for off in below],
                "pattern": {"shape": ["x" if off else "" for off in below], "fillmode": "overlay"},
                "line": {"color": "#ffffff", "width": 0.5},
            },
            hovertext=[
                t("gan.asked.hover", language, digit=name, share=format_percent(float(s), language))
                for name, s in zip(names, right_by_digit)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    target_text = t("gan.asked.target", language, share=format_percent(target, language, 0))
    _target_line(figure, target, target_text, style, "bottom left")
    base_layout(figure, language, style, height=380 if presentation else 320)
    figure.update_xaxes(title_text=t("gan.asked.x_title", language), type="category")
    figure.update_yaxes(
        title_text=t("gan.asked.y_title", language),
        tickformat=".0%",
        range=[0, 1.05],
        gridcolor=style.grid_colour,
    )
    return figure


@dataclass(frozen=True)
class FrechetBar:
    label: str  # already translated
    value: float
    kind: str  # "reference" (real against real), "early" or "trained"


def frechet_figure(
    bars: list[FrechetBar], *, language: str, presentation: bool = False
) -> go.Figure:
    """Horizontal bars in the order given, the first at the top."""
    style = figure_style(presentation)
    colours = {"reference": REFERENCE_COLOUR, "early": "#F0E442", "trained": family_colour("gan")}
    patterns = {"reference": "", "early": "/", "trained": ""}
    ordered = list(reversed(bars))  # Plotly draws the first bar at the bottom
    figure = go.Figure(
        go.Bar(
            y=[bar.label for bar in ordered],
            x=[bar.value for bar in ordered],
            orientation="h",
            marker={
                "color": [colours.get(bar.kind, REFERENCE_COLOUR) for bar in ordered],
                "pattern": {
                    "shape": [patterns.get(bar.kind, "") for bar in ordered],
                    "fillmode": "overlay",
                },
                "line": {"color": "#262730", "width": 1},
            },
            text=[format_decimal(bar.value, language, digits=1) for bar in ordered],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    base_layout(figure, language, style, height=(90 if presentation else 70) * len(bars) + 90)
    largest = max((bar.value for bar in bars), default=1.0)
    figure.update_xaxes(
        title_text=t("gan.frechet.x_title", language),
        range=[0, max(largest, 1e-6) * 1.2],
        gridcolor=style.grid_colour,
    )
    figure.update_yaxes(automargin=True)
    return figure


def _names(class_names: tuple[str, ...], count: int) -> list[str]:
    return [class_names[i] if i < len(class_names) else str(i) for i in range(count)]


# --- animations: the 2-D game and the digit timeline, played in the browser ---------------------

# The discriminator's verdict as a background: reddish purple where it says "fake", bluish green
# where it says "real", white where it cannot tell (P(real) = 0.5). Light tints, so the points
# drawn on top keep their contrast.
VERDICT_COLOURSCALE = [[0.0, "#E3A9CB"], [0.5, "#FFFFFF"], [1.0, "#7FD3B8"]]
REAL_POINT_COLOUR = "#005A40"  # a dark bluish green, on the "real" tint
FAKE_POINT_COLOUR = "#D55E00"  # vermillion, the generator's colour everywhere on the page
ARROW_COLOUR = "#262730"
# One frame every 300 ms: 48 moments play in about 15 seconds, slow enough to follow a point.
FRAME_MILLISECONDS = 300


class PreparedFigure(go.Figure):
    """A figure whose dictionary is made once. st.plotly_chart calls ``to_dict`` on every rerun,
    a deep copy of every frame: 35 to 45 ms for the 48 moments of the 2-D game on a busy school
    server, most of a rerun's budget. The animated figures are built once, cached and never
    changed afterwards (the page only places them), so the copy made the first time stays true."""

    def to_dict(self) -> dict:
        prepared = getattr(self, "_prepared_dict", None)
        if prepared is None:
            prepared = super().to_dict()
            self._prepared_dict = prepared
        return prepared


def _play_controls(frame_names: list[str], labels: list[str], active: int, *, language: str,
                   style, prefix: str, stacked: bool = False) -> tuple[list, list]:
    """Plotly's own play/pause buttons and step slider (layout.updatemenus and layout.sliders):
    the browser plays the frames, the server is not asked again. ``stacked`` puts the slider on
    its own line under the buttons, for a figure in a narrow column."""
    play = {"frame": {"duration": FRAME_MILLISECONDS, "redraw": True}, "fromcurrent": True,
            "transition": {"duration": 0}, "mode": "immediate"}
    slider_start = 0.46 if style.font_size >= PRESENTATION_STYLE.font_size else 0.38
    if stacked:
        slider_start = 0.0
    pause = {"frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}, "mode": "immediate"}
    menus = [{
        "type": "buttons", "direction": "left", "showactive": False,
        "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top", "pad": {"t": 10 if stacked else 55, "r": 10},
        "font": {"size": style.font_size},
        "buttons": [
            {"label": t("gan.game_2d.play", language), "method": "animate", "args": [None, play]},
            {"label": t("gan.game_2d.pause", language), "method": "animate", "args": [[None], pause]},
        ],
    }]
    sliders = [{
        # The slider starts right of the two buttons, which grow with the projector's type.
        "active": active, "x": slider_start, "len": 1.0 - slider_start, "y": 0.0, "yanchor": "top", "pad": {"t": 85 if stacked else 30},
        "currentvalue": {"prefix": prefix, "font": {"size": style.font_size}},
        "font": {"size": max(10, style.font_size - 6)},
        "steps": [
            {"label": label, "method": "animate",
             "args": [[name], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate",
                               "transition": {"duration": 0}}]}
            for name, label in zip(frame_names, labels)
        ],
    }]
    return menus, sliders


def gan_2d_figure(recording, *, language: str, presentation: bool = False) -> go.Figure:
    """The 2-D game at every recorded moment, as one animated figure: the discriminator's
    verdict as the background, the real points, the fake points and, on some of them, the
    generator's push as an arrow. ``recording`` is a dashboard.topics.gan.game_2d.Gan2dRecording."""
    from dashboard.topics.gan.game_2d import arrow_scale, arrow_segments

    style = figure_style(presentation)
    grid = recording.grid.round(3).tolist()
    scale = arrow_scale(recording)
    names = [str(int(step)) for step in recording.steps]

    # What each frame sends is kept small: Plotly writes numpy arrays as typed binary arrays, so
    # the verdict goes as whole percents (one byte a place) and the points as float32; a frame
    # of floats written as text was four times larger (1.6 MB for 48 moments).
    def moment_traces(moment: int) -> list:
        arrow_x, arrow_y = arrow_segments(recording, moment, scale)
        fake = recording.fake_points[moment].astype(np.float32)
        percent = np.rint(recording.verdict[moment] * 100).astype(np.uint8)
        return [
            go.Heatmap(z=percent),  # x and y are the first frame's: a frame only brings what moves
            go.Scatter(x=fake[:, 0], y=fake[:, 1]),
            go.Scatter(x=arrow_x, y=arrow_y),
        ]

    def moment_title(moment: int) -> str:
        return t("gan.game_2d.figure.title", language, step=format_integer(int(recording.steps[moment]), language),
                 real=format_percent(float(recording.mean_real_on_real[moment]), language, digits=0),
                 fake=format_percent(float(recording.mean_real_on_fake[moment]), language, digits=0))

    heatmap, fake, arrows = moment_traces(0)
    heatmap.update(
        x=grid, y=grid,
        zmin=0, zmax=100, colorscale=VERDICT_COLOURSCALE, hoverinfo="skip",
        colorbar={"title": {"text": t("gan.game_2d.figure.verdict", language), "side": "right"},
                  "tickvals": [0, 50, 100], "thickness": 14, "len": 0.8,
                  "ticktext": [t("gan.game_2d.figure.says_fake", language), "50\u00a0%" if language == "fr" else "50%",
                               t("gan.game_2d.figure.says_real", language)]},
    )
    real = recording.real_points.astype(np.float32)
    real_trace = go.Scatter(
        x=real[:, 0], y=real[:, 1], mode="markers", name=t("gan.game_2d.figure.real", language),
        marker={"color": REAL_POINT_COLOUR, "size": style.marker_size * 0.6, "symbol": "circle"},
        hoverinfo="skip",
    )
    fake.update(mode="markers", name=t("gan.game_2d.figure.fake", language), hoverinfo="skip",
                marker={"color": FAKE_POINT_COLOUR, "size": style.marker_size * 0.7, "symbol": "x",
                        "line": {"width": 0}})
    # The arrow's head is a marker at its end, turned along the segment (angleref "previous");
    # the start points get no marker (size 0): the fake point is already drawn there.
    head_sizes = [0, style.marker_size * 0.8, 0] * (len(arrows.x) // 3)
    arrows.update(mode="lines+markers", name=t("gan.game_2d.figure.push", language), hoverinfo="skip",
                  line={"color": ARROW_COLOUR, "width": 1.5},
                  marker={"symbol": "arrow", "angleref": "previous", "size": head_sizes,
                          "color": ARROW_COLOUR})
    # Trace order: verdict 0, real 1, fake 2, arrows 3; the frames replace 0, 2 and 3 only (the
    # real points never move), which keeps each frame to its changing numbers.
    figure = PreparedFigure(data=[heatmap, real_trace, fake, arrows])
    frames = []
    for moment, name in enumerate(names):
        verdict, fake_points, push = moment_traces(moment)
        frames.append(go.Frame(name=name, data=[verdict, fake_points, push], traces=[0, 2, 3],
                               layout={"title": {"text": moment_title(moment)}}))
    figure.frames = frames
    labels = [format_integer(int(step), language) for step in recording.steps]
    menus, sliders = _play_controls(names, labels, 0, language=language, style=style,
                                    prefix=t("gan.game_2d.figure.step_prefix", language))
    # Sized for a 1366x768 projector: the square plane, its legend, buttons and slider fit the
    # screen's height below Streamlit's header.
    base_layout(figure, language, style, height=600 if presentation else 540)
    limit = float(recording.grid[-1])
    figure.update_layout(
        # The title on the top line, the legend under it: neither covers the other.
        title={"text": moment_title(0), "font": {"size": style.font_size}, "x": 0.0, "xanchor": "left",
               "y": 0.99, "yanchor": "top", "yref": "container"},
        updatemenus=menus, sliders=sliders,
        legend={"orientation": "h", "x": 0.0, "y": 1.01, "yanchor": "bottom", "xanchor": "left",
                "font": {"size": style.font_size}, "bgcolor": "rgba(255, 255, 255, 0.8)"},
        margin={"l": 10, "r": 10, "t": 110, "b": 120},
    )
    figure.update_xaxes(range=[-limit, limit], showgrid=False, zeroline=False, constrain="domain")
    figure.update_yaxes(range=[-limit, limit], showgrid=False, zeroline=False, scaleanchor="x",
                        scaleratio=1, constrain="domain")
    return figure


def timeline_animation_figure(pictures: list[str], steps: list[int], active: int, *, width: int,
                              height: int, language: str, presentation: bool = False) -> go.Figure:
    """The generator's fixed-noise grid at each checkpoint as one animated picture. ``pictures``
    are PNG data URIs (one per step, ``width`` x ``height`` pixels): a picture is one string per
    frame, where the same grid as numbers would be a hundred times longer."""
    style = figure_style(presentation)
    names = [str(step) for step in steps]
    # zsmooth off: the browser enlarges each pixel into a block, as the page's other pictures do.
    figure = PreparedFigure(go.Image(source=pictures[active], hoverinfo="skip", zsmooth=False))
    figure.frames = [go.Frame(name=name, data=[go.Image(source=picture)], traces=[0])
                     for name, picture in zip(names, pictures)]
    labels = [format_integer(step, language) for step in steps]
    menus, sliders = _play_controls(names, labels, active, language=language, style=style,
                                    prefix=t("gan.timeline.step_prefix", language), stacked=True)
    base_layout(figure, language, style, height=600 if presentation else 540)
    figure.update_layout(updatemenus=menus, sliders=sliders, margin={"l": 5, "r": 5, "t": 5, "b": 170})
    figure.update_xaxes(visible=False, range=[0, width], constrain="domain")
    figure.update_yaxes(visible=False, range=[height, 0], scaleanchor="x", constrain="domain")
    return figure
