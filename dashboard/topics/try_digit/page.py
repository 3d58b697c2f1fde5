"""Try your own digit: draw it, upload a photo of it on paper, or take one with the camera, and
see every shipped paradigm's answer and confidence at a chosen label fraction.

The picture becomes a model input through `digit_input.to_model_input` (shown beside the
input, as the models see it); the answers come from one loop over the manifest's classifiers
(`digit_answers`), grouped by family. A blank canvas, a file that is not an image or a damaged
photo gets a sentence, never a traceback.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st
from PIL import Image

from dashboard.core import icons, inference, page_helpers
from dashboard.core.bundle_reader import FULL_STUDY_COMMAND, Manifest
from dashboard.core.digit_answers import (
    DigitReading,
    answer_digit,
    classifier_fractions,
    classifiers_at_fraction,
    closest_fraction,
    group_by_family,
    paradigms_without_model_at,
)
from dashboard.core.digit_canvas import draw_digit
from dashboard.core.digit_input import (
    DigitInputError,
    decode_canvas_drawing,
    is_animated,
    open_image_bytes,
    to_model_input,
)
from dashboard.core.figures import (
    FAMILY_MARKDOWN_COLOURS,
    SPECTRUM_FAMILIES,
    UNKNOWN_FAMILY_MARKDOWN_COLOUR,
    digit_probabilities_figure,
    plotly_config,
)
from dashboard.core.i18n import (
    family_name,
    format_fraction,
    format_integer,
    format_percent,
    paradigm_name,
    t,
)
from dashboard.core.lesson_state import visible_panels

PAGE_ID = "try_digit"
INPUT_KEY = "try_digit_input"
FRACTION_KEY = "try_digit_fraction"
CANVAS_KEY = "try_digit_canvas"
UPLOAD_KEY = "try_digit_upload"
CAMERA_KEY = "try_digit_camera"
PREPARED_KEY = "try_digit_prepared"  # (source id, model input or error, thumbnail, animated)
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"]
THUMBNAIL_SIDE = 224
MODEL_VIEW_SIDE = 224  # the 28x28 input drawn 8 times larger, pixel for pixel


def picture_from_input(method: str, language: str) -> tuple[str, object] | None:
    """The chosen input's (source id, raw picture: a data URL or bytes), or None if empty."""
    if method == "draw":
        st.caption(t("try_digit.draw_hint", language))
        drawing = draw_digit(
            key=CANVAS_KEY,
            large=page_helpers.presentation_mode(),
            canvas_label=t("try_digit.canvas_label", language),
            clear_label=t("try_digit.clear", language),
        )
        if drawing is None:
            return None
        return "draw:" + hashlib.sha1(drawing.encode("ascii", "replace")).hexdigest(), drawing
    if method == "upload":
        uploaded = st.file_uploader(
            t("try_digit.upload_label", language),
            type=UPLOAD_TYPES,
            help=t("try_digit.upload_help", language),
            key=UPLOAD_KEY,
        )
    else:
        uploaded = st.camera_input(t("try_digit.camera_label", language), key=CAMERA_KEY)
    if uploaded is None:
        return None
    return f"{method}:{uploaded.file_id}", uploaded.getvalue()


def prepare(
    source: str, raw: str | bytes
) -> tuple[np.ndarray | DigitInputError, Image.Image | None, bool]:
    """(model input or the error, a thumbnail of the picture, whether it was animated).

    Kept in the session for the current picture: moving the slider reruns the page, and a
    photo is decoded and prepared once, not on every rerun.
    """
    stored = st.session_state.get(PREPARED_KEY)
    if stored is not None and stored[0] == source:
        return stored[1:]
    thumbnail, animated = None, False
    try:
        if isinstance(raw, str):
            drawn = decode_canvas_drawing(raw)
            if drawn is None:  # an empty drawing has no source id, so this is a damaged one
                raise DigitInputError()
            picture = drawn
        else:
            picture = open_image_bytes(raw)
            animated = is_animated(picture)
            thumbnail = picture.copy()
            thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
            # A 16-bit or CMYK photo is shown as the browser can draw it.
            if thumbnail.mode not in ("RGB", "RGBA", "L"):
                thumbnail = thumbnail.convert("RGBA")
        result: np.ndarray | DigitInputError = to_model_input(picture)
    except DigitInputError as error:
        result = error
    if not isinstance(raw, str):
        # A photo's decoding freed large buffers (a phone photo is tens of megabytes decoded):
        # give them back now rather than keep them for the server's lifetime. Not for drawings,
        # which are small and come at every stroke.
        inference.release_freed_memory()
    st.session_state[PREPARED_KEY] = (source, result, thumbnail, animated)
    return result, thumbnail, animated


def choose_fraction(manifest: Manifest, language: str) -> float | None:
    """The label fraction the answers use: the lesson's, through the slider unless controls
    are hidden; the largest shipped one by default."""
    fractions = classifier_fractions(manifest)
    if not fractions:
        return None
    wanted = closest_fraction(fractions, page_helpers.lesson_state().label_fraction)
    if page_helpers.controls_hidden() or len(fractions) == 1:
        return wanted
    labels = {
        model.label_fraction: model.n_labels
        for model in manifest.models
        if model.label_fraction is not None and model.n_labels is not None
    }
    page_helpers.seed_widget(FRACTION_KEY, wanted, fractions)
    chosen = st.select_slider(
        t("try_digit.fraction", language),
        options=fractions,
        format_func=lambda fraction: t(
            "try_digit.fraction_option",
            language,
            fraction=format_fraction(fraction, language),
            labels=format_integer(labels[fraction], language) if fraction in labels else "?",
        ),
        key=FRACTION_KEY,
    )
    page_helpers.update_lesson(label_fraction=chosen)
    return chosen


def show_answers(reading: DigitReading, manifest: Manifest, fraction: float, language: str) -> None:
    groups = group_by_family(reading.answers, SPECTRUM_FAMILIES)
    # One column per family, side by side, from "labelled by people" to "no labels" as on the
    # map; at least three columns, so that two answers do not stretch across a projector.
    for column, (family, answers) in zip(st.columns(max(3, len(groups))), groups):
        with column:
            colour = FAMILY_MARKDOWN_COLOURS.get(family, UNKNOWN_FAMILY_MARKDOWN_COLOUR)
            st.markdown(f"##### :{colour}[{family_name(family, language)}]")
            for answer in answers:
                if answer.error is not None:
                    st.error(answer.error.message(language), icon=icons.ERROR)
                    continue
                assert answer.confidence is not None  # an answer without an error has its probabilities
                st.metric(paradigm_name(answer.model.paradigm, language), answer.predicted_class)
                st.progress(
                    answer.confidence,
                    text=t(
                        "try_digit.confidence",
                        language,
                        confidence=format_percent(answer.confidence, language),
                    ),
                )
    show_answers_chart(reading, manifest, fraction, language)


def show_answers_chart(reading: DigitReading, manifest: Manifest, fraction: float, language: str) -> None:
    """Which paradigms have no model here, every probability as bars, and how long it took."""
    presentation = page_helpers.presentation_mode()
    missing = paradigms_without_model_at(manifest, fraction)
    if missing:
        st.caption(
            t(
                "try_digit.no_model_at_fraction",
                language,
                paradigms=", ".join(paradigm_name(paradigm, language) for paradigm in missing),
            )
        )
    st.plotly_chart(
        digit_probabilities_figure(
            list(reading.answers), language=language, presentation=presentation
        ),
        theme=None,
        config=plotly_config("paradigm-lab-digit-answers"),
        alt=t("try_digit.chart_alt", language),
        key="try_digit_probabilities",
    )
    st.caption(
        t(
            "try_digit.answers_caption",
            language,
            count=len(reading.answers),
            milliseconds=format_integer(max(1, round(1000 * reading.seconds)), language),
        )
    )


def show_compact_answers(reading: DigitReading, language: str) -> None:
    """The answers as one line each, families in two columns: on a projector the canvas and
    every answer fit one 1366 x 768 screen (metrics stacked 13 high did not)."""
    groups = group_by_family(reading.answers, SPECTRUM_FAMILIES)
    middle = (len(groups) + 1) // 2
    for column, part in zip(st.columns(2), (groups[:middle], groups[middle:])):
        with column:
            for family, answers in part:
                colour = FAMILY_MARKDOWN_COLOURS.get(family, UNKNOWN_FAMILY_MARKDOWN_COLOUR)
                lines = [f"**:{colour}[{family_name(family, language)}]**"]
                for answer in answers:
                    name = paradigm_name(answer.model.paradigm, language)
                    if answer.error is not None:
                        lines.append(f"{name} : {t('try_digit.compact_error', language)}")
                        continue
                    assert answer.confidence is not None  # an answer without an error has its probabilities
                    lines.append(t("try_digit.compact_answer", language, name=name, digit=answer.predicted_class,
                                   confidence=format_percent(answer.confidence, language, digits=0)))
                st.markdown("  \n".join(lines))


def read_picture(method: str, picture, language: str, *, model_view: bool) -> np.ndarray | None:
    """The model input of the picture (None, with a sentence, if there is none or it is not
    usable), shown as the models see it when `model_view`."""
    if picture is None:
        st.info(t(f"try_digit.waiting.{method}", language), icon=icons.INFO)
        return None
    result, thumbnail, animated = prepare(*picture)
    if thumbnail is not None:
        st.image(thumbnail, caption=t("try_digit.your_picture", language))
    if animated:
        st.info(t("try_digit.first_frame", language))
    if isinstance(result, DigitInputError):
        st.warning(t(result.message_key, language, **result.params), icon=icons.WARNING)
        return None
    if model_view:
        enlarged = Image.fromarray((result * 255).round().astype(np.uint8)).resize(
            (MODEL_VIEW_SIDE, MODEL_VIEW_SIDE), Image.Resampling.NEAREST
        )
        st.image(enlarged, caption=t("try_digit.model_view", language), width=MODEL_VIEW_SIDE)
    return result


def choose_method(methods: list[str], language: str) -> str:
    if len(methods) == 1:
        return methods[0]
    # One input at a time: a camera drawn in a hidden tab would still ask for the camera.
    return st.segmented_control(
        t("try_digit.input_method", language),
        options=methods,
        format_func=lambda panel: t(f"panel.{panel}", language),
        default=methods[0],
        key=INPUT_KEY,
    ) or methods[0]


def answers_at(manifest: Manifest, language: str):
    """The fraction slider and the caption under it: the models that answer, or None."""
    fraction = choose_fraction(manifest, language)
    if fraction is None:
        st.info(t("try_digit.no_classifier", language, command=FULL_STUDY_COMMAND))
        return None, None
    models = classifiers_at_fraction(manifest, fraction)
    n_labels = next((model.n_labels for model in models if model.n_labels is not None), None)
    st.caption(
        t(
            "try_digit.answers_at",
            language,
            fraction=format_fraction(fraction, language),
            labels="?" if n_labels is None else format_integer(n_labels, language),
        )
    )
    return fraction, models


def render_on_projector(methods: list[str], language: str) -> None:
    """The canvas on the left, every answer on the right, in one screen; the chart below."""
    st.title(t("try_digit.heading", language))
    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        return
    input_column, answers_column = st.columns([1, 1.5])
    with input_column:
        method = choose_method(methods, language)
        model_input = read_picture(method, picture_from_input(method, language), language, model_view=False)
    with answers_column:
        fraction, models = answers_at(manifest, language)
        if fraction is None or model_input is None:
            return
        reading = answer_digit(models, lambda model: page_helpers.load_session(manifest, model), model_input)
        show_compact_answers(reading, language)
    show_answers_chart(reading, manifest, fraction, language)


def render_try_digit() -> None:
    language = page_helpers.current_language()
    methods = list(visible_panels(page_helpers.lesson_state(), PAGE_ID))
    if page_helpers.presentation_mode():
        render_on_projector(methods, language)
        return
    st.title(t("try_digit.heading", language))
    st.markdown(t("try_digit.intro", language))

    input_column, view_column = st.columns([1.3, 1])
    with input_column:
        method = choose_method(methods, language)
        picture = picture_from_input(method, language)
    with view_column:
        model_input = read_picture(method, picture, language, model_view=True)

    st.header(t("try_digit.answers_heading", language))
    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        return
    fraction, models = answers_at(manifest, language)
    if fraction is None or model_input is None:
        return
    reading = answer_digit(
        models, lambda model: page_helpers.load_session(manifest, model), model_input
    )
    show_answers(reading, manifest, fraction, language)


render_try_digit()
