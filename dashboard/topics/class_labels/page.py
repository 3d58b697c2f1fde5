"""You are the labellers: the class labels digits of the unlabelled pool (one shared screen, or
each student on their own device with the class code), and every feature source learns from those
labels live, on the study's axes, beside the study's supervised network.

The logic is in dashboard/topics/class_labels/labelling.py (the labels database, the probes); this file draws.
Panels: "label" and "draw" for the students, "chart" for the projector, "teacher" for the
teacher (reveal the truth, wrong labels on purpose, what the unlabelled digits add, clear).
A chart shown without the labelling panel (the projector's link) refreshes itself every few
seconds, so it follows the labels the students give on their own devices.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import streamlit as st
from PIL import Image

from dashboard.core import icons, page_helpers
from dashboard.core.bundle_reader import BundleError
from dashboard.core.digit_canvas import draw_digit
from dashboard.core.digit_input import DigitInputError, decode_canvas_drawing, to_model_input
from dashboard.core.figures import plotly_config
from dashboard.core.i18n import format_integer, format_percent, paradigm_name, t
from dashboard.core.lesson_state import lesson_link, visible_panels
from dashboard.topics.class_labels.class_curve_figures import class_curve_figure
from dashboard.topics.class_labels.labelling import (
    ClassLabels,
    LabelStore,
    LabelStoreError,
    LearningBench,
    cached_probe_accuracies,
    class_curve,
    examples_of,
    flipped,
    learning_bench,
    new_labeller_token,
)

PAGE_ID = "class_labels"
LABELLER_KEY = "class_labels_labeller"
PENDING_KEY = "class_labels_pending"  # labels the database could not take yet: retried every run
NOTICE_KEY = "class_labels_notice"  # a sentence from the last click (an error, a saved drawing)
JOIN_KEY = "class_labels_join_code"
SECOND_OPINION_KEY = "class_labels_second_opinion"
DRAWING_LABEL_KEY = "class_labels_drawing_label"
CANVAS_KEY = "class_labels_canvas"
FLIP_KEY = "class_labels_flip"
REVEAL_KEY = "class_labels_reveal"
SPREAD_KEY = "class_labels_spread"
CLEAR_CONFIRM_KEY = "class_labels_clear_confirm"
DIGITS_AT_ONCE = 4  # the digit to label now and the next three, shown small
DIGIT_SIDE = 196  # the 28 x 28 digit drawn 7 times larger, pixel for pixel
CHART_REFRESH_SECONDS = 4
CHART_PNG = "paradigm-lab-class-labels"


@st.cache_resource(show_spinner=False, max_entries=2)
def _bench(bundle_version: tuple) -> LearningBench:
    return learning_bench()


def read_bench(language: str) -> LearningBench:
    with st.spinner(t("class_labels.preparing", language)):
        return _bench(page_helpers.bundle_version())


def labeller() -> str:
    if LABELLER_KEY not in st.session_state:
        st.session_state[LABELLER_KEY] = new_labeller_token()
    return st.session_state[LABELLER_KEY]


def set_notice(kind: str, text: str, place: str = "top") -> None:
    """Keep a sentence for the next run, to be shown at `place` ("top", or "draw" beside the
    drawing's button, where the student who clicked is looking)."""
    st.session_state[NOTICE_KEY] = (kind, text, place)


def show_notice(place: str) -> None:
    notice = st.session_state.get(NOTICE_KEY)
    if notice is not None and notice[2] == place:
        del st.session_state[NOTICE_KEY]
        kind, text, _ = notice
        (st.warning if kind == "warning" else st.success)(text, icon=icons.WARNING if kind == "warning" else icons.SUCCESS)


def use_class(code: str | None) -> None:
    page_helpers.update_lesson(class_code=code)


# --- the class code -------------------------------------------------------------------------


def start_class(store: LabelStore, language: str) -> None:
    try:
        use_class(store.create_class())
    except LabelStoreError as error:
        set_notice("warning", error.message(language))


def join_class(store: LabelStore, language: str) -> None:
    try:
        use_class(store.require_class(st.session_state.get(JOIN_KEY)))
    except LabelStoreError as error:
        set_notice("warning", error.message(language))


def choose_class(store: LabelStore, language: str) -> str | None:
    """The class this session labels for: the link's or the one started or joined here."""
    code = page_helpers.lesson_state().class_code
    if code is not None:
        try:
            if store.class_exists(code):
                return code
            st.warning(t("class_labels.error.no_such_class", language, code=code), icon=icons.WARNING)
        except LabelStoreError as error:
            st.warning(error.message(language), icon=icons.WARNING)
            return None
        use_class(None)
    if page_helpers.controls_hidden():
        st.info(t("class_labels.ask_teacher", language))
        return None
    start, join = st.columns(2)
    with start:
        st.markdown(t("class_labels.start_text", language))
        st.button(t("class_labels.start", language), key="class_labels_start", type="primary",
                  on_click=start_class, args=(store, language))
    with join:
        st.text_input(t("class_labels.join_label", language), key=JOIN_KEY, max_chars=8,
                      placeholder="KMPT")
        st.button(t("class_labels.join", language), key="class_labels_join", on_click=join_class, args=(store, language))
    return None


def show_class_header(code: str, language: str) -> None:
    lesson = page_helpers.lesson_state()
    base = page_helpers.link_base_url(PAGE_ID)
    student = dataclasses.replace(lesson, page=PAGE_ID, class_code=code, panels=("label", "draw"),
                                  controls_hidden=True, projector=False)
    left, right = st.columns([1, 2])
    left.metric(t("class_labels.code", language), code)
    with right:
        st.caption(t("class_labels.student_link", language))
        st.code(lesson_link(base, student), language=None, wrap_lines=True)
        if base.startswith(("http://localhost", "http://127.")):
            st.caption(t("class_labels.link_localhost", language))


# --- labelling ------------------------------------------------------------------------------


def give_label(store: LabelStore, code: str, position: int, digit: int, language: str) -> None:
    try:
        store.add_label(code, labeller(), position, digit)
    except LabelStoreError as error:
        # Kept in this session and sent again on the next run: a busy or read-only database
        # must not lose a label a student gave.
        st.session_state.setdefault(PENDING_KEY, []).append((code, position, digit))
        set_notice("warning", error.message(language))


def send_pending(store: LabelStore, language: str) -> None:
    pending = st.session_state.get(PENDING_KEY) or []
    left = []
    for code, position, digit in pending:
        try:
            store.add_label(code, labeller(), position, digit)
        except LabelStoreError:
            left.append((code, position, digit))
    st.session_state[PENDING_KEY] = left
    if left:
        st.warning(t("class_labels.pending", language, count=len(left)), icon=icons.INFO)


def big_digit(image: np.ndarray, side: int) -> Image.Image:
    return Image.fromarray(image).resize((side, side), Image.Resampling.NEAREST)


def show_labelling(store: LabelStore, bench: LearningBench, code: str, language: str) -> None:
    st.header(t("class_labels.label_heading", language))
    st.toggle(t("class_labels.second_opinion", language), key=SECOND_OPINION_KEY,
              help=t("class_labels.second_opinion_help", language))
    try:
        positions = store.next_digits(code, labeller(), bench.pool.order, DIGITS_AT_ONCE,
                                      second_opinion=bool(st.session_state.get(SECOND_OPINION_KEY)))
    except LabelStoreError as error:
        st.warning(error.message(language), icon=icons.WARNING)
        return
    if not positions:
        st.info(t("class_labels.none_left", language))
        return
    current, coming = positions[0], positions[1:]
    picture, buttons = st.columns([1, 2])
    with picture:
        st.image(big_digit(bench.pool.images[current], DIGIT_SIDE),
                 caption=t("class_labels.which_digit", language))
    with buttons:
        for row in (range(0, 5), range(5, 10)):
            for column, digit in zip(st.columns(5), row):
                column.button(str(digit), key=f"class_labels_answer_{current}_{digit}", use_container_width=True,
                              on_click=give_label, args=(store, code, current, digit, language))
        # Said beside the button, not as its tooltip: after a click the page is drawn again
        # under a still mouse, and a tooltip left open covered the digits 5 and 6 (the browser
        # check's clicks then landed on it).
        skip, why = st.columns([1, 3], vertical_alignment="center")
        skip.button(t("class_labels.skip", language), key=f"class_labels_skip_{current}")
        why.caption(t("class_labels.skip_help", language))
        if coming:
            st.caption(t("class_labels.coming_next", language))
            for column, position in zip(st.columns(len(coming) + 2), coming):
                column.image(big_digit(bench.pool.images[position], 56))


def add_drawing(store: LabelStore, code: str, drawing: str | None, language: str) -> None:
    digit = st.session_state.get(DRAWING_LABEL_KEY)
    try:
        picture = decode_canvas_drawing(drawing)
        if picture is None:
            set_notice("warning", t("class_labels.draw_first", language), "draw")
            return
        if digit is None:
            set_notice("warning", t("class_labels.choose_digit_first", language), "draw")
            return
        store.add_drawing(code, labeller(), to_model_input(picture), digit)
        set_notice("success", t("class_labels.drawing_added", language, digit=digit), "draw")
    except DigitInputError as error:
        set_notice("warning", t(error.message_key, language), "draw")
    except LabelStoreError as error:
        set_notice("warning", error.message(language), "draw")


def show_drawing(store: LabelStore, code: str, language: str) -> None:
    # Open after a click on its button, so the student sees the answer and can draw again.
    after_a_click = st.session_state.get(NOTICE_KEY, (None, None, None))[2] == "draw"
    with st.expander(t("class_labels.draw_heading", language), expanded=after_a_click):
        drawing = draw_digit(key=CANVAS_KEY, large=page_helpers.presentation_mode(),
                             canvas_label=t("try_digit.canvas_label", language), clear_label=t("try_digit.clear", language))
        st.pills(t("class_labels.drawing_digit", language), options=list(range(10)), key=DRAWING_LABEL_KEY)
        st.button(t("class_labels.add_drawing", language), key="class_labels_add_drawing",
                  on_click=add_drawing, args=(store, code, drawing, language))
        show_notice("draw")


# --- what the class's labels teach -------------------------------------------------------------


def source_names(bench: LearningBench, language: str) -> dict[str, str]:
    return {
        source.id: t("class_labels.source.pixels", language) if source.model is None
        else t("class_labels.source.encoder", language, name=paradigm_name(source.paradigm or source.id, language))
        for source in bench.sources
    }


def supervised_yardstick(bench: LearningBench) -> pd.DataFrame | None:
    try:
        summary = page_helpers.read_study_summary()
    except BundleError:
        return None
    rows = summary[(summary["paradigm"] == "supervised") & (summary["dataset"] == bench.dataset.id)]
    return rows.sort_values("n_labels") if not rows.empty else None


def accuracy_table(columns: dict[str, dict[str, float]], names: dict[str, str], language: str) -> pd.DataFrame:
    """One row per source, one column per result: percentages as the reader writes them."""
    return pd.DataFrame([
        {t("class_labels.column.source", language): name,
         **{title: format_percent(values[source], language) for title, values in columns.items()}}
        for source, name in names.items()
    ])


def show_chart(store: LabelStore, bench: LearningBench, code: str, language: str) -> None:
    try:
        labels = store.class_labels(code)
    except LabelStoreError as error:
        st.warning(error.message(language), icon=icons.WARNING)
        return
    resolved = labels.resolved()
    disputed = sum(digit.disputed for digit in resolved)
    st.header(t("class_labels.chart_heading", language))
    st.markdown(t("class_labels.progress", language, labels=format_integer(len(labels.given), language),
                  digits=format_integer(len(resolved), language), disputed=format_integer(disputed, language)))
    if not resolved:
        st.info(t("class_labels.no_labels_yet", language))
        return
    images, given = examples_of(resolved, labels, bench.pool)
    curve = class_curve(bench, images, given)
    names = source_names(bench, language)
    yardstick = supervised_yardstick(bench)
    figure = class_curve_figure(
        curve, names, yardstick, language=language,
        axis_labels=(t("class_labels.axis.labels", language), t("class_labels.axis.accuracy", language)),
        yardstick_name=t("class_labels.yardstick", language), presentation=page_helpers.presentation_mode(),
    )
    st.plotly_chart(figure, config=plotly_config(CHART_PNG), key="class_labels_chart")
    now = curve[len(given)]
    best = max(now, key=lambda source: now[source])
    sentence = t("class_labels.best_now", language, source=names[best], accuracy=format_percent(now[best], language),
                 labels=format_integer(len(given), language))
    if yardstick is not None:
        nearest = yardstick.iloc[(yardstick["n_labels"] - len(given)).abs().argmin()]
        sentence += " " + t("class_labels.compare_supervised", language,
                            accuracy=format_percent(nearest["mean_accuracy"], language),
                            labels=format_integer(int(nearest["n_labels"]), language))
    st.markdown(sentence)
    page_helpers.show_table(accuracy_table({t("class_labels.column.now", language): now}, names, language))


def show_teacher(store: LabelStore, bench: LearningBench, code: str, language: str) -> None:
    with st.expander(t("class_labels.teacher_heading", language), icon=icons.TEACHER):
        st.caption(t("class_labels.database", language, path=str(store.path)))
        try:
            labels = store.class_labels(code)
        except LabelStoreError as error:
            st.warning(error.message(language), icon=icons.WARNING)
            return
        resolved = labels.resolved()
        names = source_names(bench, language)
        if resolved:
            images, given = examples_of(resolved, labels, bench.pool)
            reveal_truth(bench, resolved, images, given, names, language)
            wrong_on_purpose(bench, images, given, names, language)
            what_unlabelled_add(bench, resolved, images, given, names, language)
            show_disputes(bench, labels, language)
        st.checkbox(t("class_labels.clear_confirm", language), key=CLEAR_CONFIRM_KEY)
        st.button(t("class_labels.clear", language), key="class_labels_clear",
                  disabled=not st.session_state.get(CLEAR_CONFIRM_KEY),
                  on_click=clear_class, args=(store, code, language))


def clear_class(store: LabelStore, code: str, language: str) -> None:
    try:
        removed = store.clear_class(code)
        set_notice("success", t("class_labels.cleared", language, count=format_integer(removed, language)))
    except LabelStoreError as error:
        set_notice("warning", error.message(language))
    st.session_state[CLEAR_CONFIRM_KEY] = False  # the next clear asks again


def reveal_truth(bench, resolved, images, given, names, language) -> None:
    if not st.toggle(t("class_labels.reveal", language), key=REVEAL_KEY, help=t("class_labels.reveal_help", language)):
        return
    from_pool = [row for row, digit in enumerate(resolved) if digit.pool_position is not None]
    truth = given.copy()
    for row in from_pool:
        truth[row] = bench.pool.hidden_labels[resolved[row].pool_position]
    wrong = int(np.sum(truth != given))
    st.markdown(t("class_labels.reveal_count", language, wrong=format_integer(wrong, language),
                  digits=format_integer(len(from_pool), language)))
    if wrong:
        columns = {t("class_labels.column.class_labels", language): cached_probe_accuracies(bench, images, given),
                   t("class_labels.column.true_labels", language): cached_probe_accuracies(bench, images, truth)}
        page_helpers.show_table(accuracy_table(columns, names, language))


def wrong_on_purpose(bench, images, given, names, language) -> None:
    most = min(len(given), 20)
    if most < 1:
        return
    page_helpers.seed_widget(FLIP_KEY, 0)
    count = st.slider(t("class_labels.flip", language), 0, most, key=FLIP_KEY, help=t("class_labels.flip_help", language))
    if count:
        columns = {t("class_labels.column.as_given", language): cached_probe_accuracies(bench, images, given),
                   t("class_labels.column.flipped", language, count=count):
                       cached_probe_accuracies(bench, images, flipped(given, count))}
        page_helpers.show_table(accuracy_table(columns, names, language))


@st.cache_data(show_spinner=False, max_entries=64)
def _spreading(_bench: LearningBench, bench_id: int, positions: tuple, labels: tuple,
               drawings: bytes, drawing_labels: tuple) -> dict[str, float]:
    images = np.frombuffer(drawings, dtype=np.float32).reshape(-1, 28, 28)
    return _bench.spreading_accuracies(np.array(positions, dtype=np.int64), np.array(labels, dtype=np.int64),
                                       images, np.array(drawing_labels, dtype=np.int64))


def what_unlabelled_add(bench, resolved, images, given, names, language) -> None:
    if not st.toggle(t("class_labels.spread", language), key=SPREAD_KEY, help=t("class_labels.spread_help", language)):
        return
    pool_rows = [row for row, digit in enumerate(resolved) if digit.pool_position is not None]
    drawn_rows = [row for row, digit in enumerate(resolved) if digit.pool_position is None]
    with st.spinner(t("class_labels.spreading", language)):
        spread = _spreading(bench, id(bench), tuple(resolved[row].pool_position for row in pool_rows),
                            tuple(int(given[row]) for row in pool_rows),
                            np.ascontiguousarray(images[drawn_rows]).tobytes(),
                            tuple(int(given[row]) for row in drawn_rows))
    columns = {t("class_labels.column.labels_only", language): cached_probe_accuracies(bench, images, given),
               t("class_labels.column.with_pool", language, pool=format_integer(len(bench.pool.images), language)): spread}
    page_helpers.show_table(accuracy_table(columns, names, language))


def show_disputes(bench: LearningBench, labels: ClassLabels, language: str) -> None:
    disputed = [digit for digit in labels.resolved() if digit.disputed and digit.pool_position is not None]
    if not disputed:
        return
    st.markdown(t("class_labels.disputes", language, count=format_integer(len(disputed), language)))
    for column, digit in zip(st.columns(6), disputed[:6]):
        votes = ", ".join(f"{label}: {count}" for label, count in sorted(digit.votes.items()))
        column.image(big_digit(bench.pool.images[digit.pool_position], 84),
                     caption=t("class_labels.votes", language, votes=votes, label=digit.label))


# --- the page ---------------------------------------------------------------------------------


def render() -> None:
    language = page_helpers.current_language()
    st.title(t("class_labels.title", language))
    st.markdown(t("class_labels.intro", language))
    # Always one element here, notice or not: an element that comes and goes above the
    # expanders would make the browser draw them anew, closed.
    with st.empty():
        show_notice("top")
    try:
        bench = read_bench(language)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    store = LabelStore()
    send_pending(store, language)
    code = choose_class(store, language)
    if code is None:
        return
    panels = visible_panels(page_helpers.lesson_state(), PAGE_ID)
    if not page_helpers.controls_hidden():
        show_class_header(code, language)
    if "label" in panels:
        show_labelling(store, bench, code, language)
    if "draw" in panels:
        show_drawing(store, code, language)
    if "chart" in panels:
        if "label" in panels:
            show_chart(store, bench, code, language)
        else:
            # The projector's view: nobody clicks here, so the chart fetches the class's new
            # labels itself.
            st.fragment(show_chart, run_every=CHART_REFRESH_SECONDS)(store, bench, code, language)
    if "teacher" in panels and not page_helpers.controls_hidden():
        show_teacher(store, bench, code, language)


render()
