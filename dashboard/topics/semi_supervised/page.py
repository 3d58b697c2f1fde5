"""Semi-supervised page: the few labelled digits, then how their labels spread over the pool.

For one semi-supervised method and one label fraction (a run the bundle ships a pseudo-label log
for), the page shows the digits a person labelled, the pseudo-labels round by round (counts,
accuracy against the withheld true labels, the pool's map filling up), the most confident wrong
pseudo-labels, and the confidence bar at work on a test digit with the run's own classifier. The
logic is in dashboard/topics/semi_supervised/pseudo_labels.py and the figures in dashboard/topics/semi_supervised/pseudo_label_figures.py;
a missing or damaged file is a message naming it and its rebuild command, and the rest of the
page still shows.
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.core import icons, inference, page_helpers, tables
from dashboard.core.bundle_reader import (
    BundleError,
    DatasetInfo,
    Manifest,
    ModelInfo,
    PseudoLabelDetailsInfo,
)
from dashboard.core.digit_answers import closest_fraction
from dashboard.core.figures import plotly_config
from dashboard.core.i18n import (
    CATALOGUE,
    format_fraction,
    format_integer,
    format_percent,
    paradigm_name,
    paradigm_text,
    t,
)
from dashboard.core.lesson_plan import shipped_paradigms
from dashboard.core.lesson_state import lesson_paradigms, visible_panels
from dashboard.topics.semi_supervised import cached_files
from dashboard.topics.semi_supervised import pseudo_labels as semi_supervised
from dashboard.topics.semi_supervised.pseudo_label_figures import (
    COLOUR_MODES,
    pool_map_figure,
    pseudo_label_rounds_figure,
    threshold_figure,
)
from dashboard.topics.semi_supervised.pseudo_labels import PseudoLabelDetails

PAGE_ID = "semi_supervised"
DATASET_KEY = "semi_supervised_dataset"
PARADIGM_KEY = "semi_supervised_paradigm"
FRACTION_KEY = "semi_supervised_fraction"
ROUND_KEY = "semi_supervised_round"
ROUND_RUN_KEY = "semi_supervised_round_run"  # the run whose rounds the round slider holds
COLOUR_KEY = "semi_supervised_colour_by"
DIGIT_KEY = "semi_supervised_test_digit"
# Digits drawn 3 (4 on a projector) times their 28 pixels, pixel for pixel.
GALLERY_SCALE = 3
PRESENTATION_GALLERY_SCALE = 4
PROJECTOR_MISTAKES_SHOWN = 10  # one row at the projector's gallery scale
TEST_DIGIT_SCALE = 6
LARGE_SAMPLE = 24


def _count(value: Any, language: str) -> str:  # an int or a numpy integer
    return format_integer(int(value), language)


# --- choosing the run ------------------------------------------------------------------------


def choose_dataset(manifest: Manifest, language: str) -> str:
    datasets = semi_supervised.datasets_with_details(manifest)
    if len(datasets) == 1 or page_helpers.controls_hidden():
        return datasets[0]
    return st.selectbox(t("semi_supervised.dataset", language), datasets, key=DATASET_KEY) or datasets[0]


def choose_paradigm(offered: list[str], language: str) -> str:
    """The method shown: the lesson's first semi-supervised paradigm, through the control unless
    controls are hidden. The methods get a row of their own: four French names side by side need
    the page's width."""
    named = [p for p in (page_helpers.lesson_state().paradigms or ()) if p in offered]
    wanted = named[0] if named else offered[0]
    if page_helpers.controls_hidden() or len(offered) == 1:
        return wanted
    page_helpers.seed_widget(PARADIGM_KEY, wanted, offered)
    return st.segmented_control(
        t("semi_supervised.paradigm", language),
        options=offered,
        format_func=lambda paradigm: paradigm_name(paradigm, language),
        required=True,
        key=PARADIGM_KEY,
    ) or wanted  # required: never None, though its type allows it


def choose_fraction(
    manifest: Manifest, fractions: list[float], column, language: str
) -> float:
    """The label fraction: the lesson's (nearest logged one), else the smallest, where the
    unlabelled digits matter most."""
    wanted_in_lesson = page_helpers.lesson_state().label_fraction
    # `fractions` is never empty (the choices come from logged runs), so a closest one exists.
    wanted = min(fractions) if wanted_in_lesson is None else closest_fraction(fractions, wanted_in_lesson) or min(fractions)
    if page_helpers.controls_hidden() or len(fractions) == 1:
        return wanted
    labels = {
        model.label_fraction: model.n_labels
        for model in manifest.models
        if model.label_fraction is not None and model.n_labels is not None
    }
    page_helpers.seed_widget(FRACTION_KEY, wanted, fractions)  # another method logs other fractions
    return column.select_slider(
        t("semi_supervised.fraction", language),
        options=fractions,
        format_func=lambda fraction: t(
            "semi_supervised.fraction_option",
            language,
            fraction=format_fraction(fraction, language),
            labels=_count(labels[fraction], language) if fraction in labels else "?",
        ),
        key=FRACTION_KEY,
    )


def remember_view(
    manifest: Manifest, offered: list[str], paradigm: str, fraction: float, fractions: list[float]
) -> None:
    """Write the view into the lesson state (the URL and the lesson link), changing only what
    does not already lead here: the study and try pages read the same fields."""
    lesson = page_helpers.lesson_state()
    paradigms = lesson_paradigms(
        lesson.paradigms, offered, paradigm, shipped_paradigms(manifest, "supervised")
    )
    shown_fraction = (
        min(fractions)
        if lesson.label_fraction is None
        else closest_fraction(fractions, lesson.label_fraction)
    )
    page_helpers.update_lesson(
        paradigms=paradigms,
        label_fraction=lesson.label_fraction if shown_fraction == fraction else fraction,
    )


def choose_run(manifest: Manifest, language: str) -> PseudoLabelDetailsInfo:
    """The run shown. Every choice offered comes from the logs the manifest lists, so there is
    always one."""
    dataset = choose_dataset(manifest, language)
    offered = [
        paradigm
        for paradigm in semi_supervised.paradigms_with_details(manifest)
        if semi_supervised.fractions_with_details(manifest, paradigm, dataset)
    ]
    paradigm = choose_paradigm(offered, language)
    fractions = semi_supervised.fractions_with_details(manifest, paradigm, dataset)
    column = None if page_helpers.controls_hidden() else st.columns([1, 1])[0]
    fraction = choose_fraction(manifest, fractions, column, language)
    remember_view(manifest, offered, paradigm, fraction, fractions)
    entry = semi_supervised.details_entry(manifest, paradigm, fraction, dataset)
    # Every choice offered comes from a logged run's entry: its absence is a bug, not a user's doing.
    assert entry is not None, (paradigm, fraction, dataset)
    return entry


# --- the figures, built once per view ----------------------------------------------------------
#
# Plotly checks every property it is given, so a figure costs 10 to 30 ms to build: most of a
# rerun's budget (100 ms). These two change only with the run, the round and the display, so a
# rerun for another control (another test digit, another colour) takes them from here. Keyed on
# the manifest's entries, which hold the files' SHA-256: a rebuilt file is another key. Streamlit
# only reads a figure it is given (to_dict), so one cached object can serve every session.


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_rounds_figure(
    entry: PseudoLabelDetailsInfo,
    round_index: int,
    language: str,
    presentation: bool,
    *,
    _summary: pd.DataFrame,
):
    return pseudo_label_rounds_figure(
        _summary, language=language, current_round=round_index, presentation=presentation
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_map_figure(
    entry: PseudoLabelDetailsInfo,
    dataset: DatasetInfo,
    round_index: int,
    colour_by: str,
    language: str,
    presentation: bool,
    *,
    _details: PseudoLabelDetails,
    _pool_xy: np.ndarray,
):
    return pool_map_figure(
        semi_supervised.map_points(_details, _pool_xy, round_index),
        colour_by=colour_by,
        class_names=dataset.class_names,
        language=language,
        presentation=presentation,
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_threshold_figure(
    model: ModelInfo,
    test_digit: int,
    threshold: float,
    language: str,
    presentation: bool,
    *,
    _verdict: semi_supervised.ThresholdVerdict,
    _class_names: tuple[str, ...],
):
    # The verdict is this model's (its manifest entry holds its SHA-256) on one test digit,
    # against this bar.
    return threshold_figure(
        _verdict,
        class_names=_class_names,
        model_name=paradigm_name(model.paradigm, language),
        language=language,
        presentation=presentation,
    )


# --- the sections ----------------------------------------------------------------------------


def gallery_scale() -> int:
    return PRESENTATION_GALLERY_SCALE if page_helpers.presentation_mode() else GALLERY_SCALE


def render_labelled(details: PseudoLabelDetails, language: str) -> None:
    st.header(t("semi_supervised.labelled.heading", language))
    pool = details.n_labelled + details.n_unlabelled
    st.markdown(
        t(
            "semi_supervised.labelled.text",
            language,
            labelled=_count(details.n_labelled, language),
            pool=_count(pool, language),
            unlabelled=_count(details.n_unlabelled, language),
        )
    )
    labels = [str(int(label)) for label in details.labelled_sample_labels]
    if labels:
        # A sample of up to 60 digits drawn smaller, so that it stays a glance, not a page (on a
        # projector too, where the bigger type would otherwise spread it over four rows).
        smaller = len(labels) > LARGE_SAMPLE or page_helpers.presentation_mode()
        scale = gallery_scale() - (1 if smaller else 0)
        st.image(
            list(semi_supervised.enlarged(details.labelled_sample_images, scale)),
            caption=[t("semi_supervised.labelled.caption", language, label=label) for label in labels],
            width=28 * scale,
            alt=[t("semi_supervised.labelled.alt", language, label=label) for label in labels],
        )
    if len(labels) < details.n_labelled:
        st.caption(t("semi_supervised.labelled.sample", language, shown=_count(len(labels), language)))


def choose_round(entry: PseudoLabelDetailsInfo, details: PseudoLabelDetails, language: str) -> int:
    """The round shown: the last one (the pool as full as it gets) whenever another run is
    chosen, then wherever the slider moves it."""
    last = details.n_rounds - 1
    if page_helpers.controls_hidden() or details.n_rounds == 1:
        return last
    another_run = st.session_state.get(ROUND_RUN_KEY) != entry.id
    if another_run or st.session_state.get(ROUND_KEY) not in range(details.n_rounds):
        st.session_state[ROUND_RUN_KEY] = entry.id
        st.session_state[ROUND_KEY] = last
    return st.select_slider(
        t("semi_supervised.round", language),
        options=list(range(details.n_rounds)),
        format_func=lambda index: t(
            "semi_supervised.round_option", language, step=_count(details.steps[index], language)
        ),
        key=ROUND_KEY,
    )


def render_round_numbers(summary: pd.DataFrame, round_index: int, language: str) -> None:
    row = summary.iloc[round_index]
    previous = summary.iloc[round_index - 1] if round_index > 0 else None
    step = _count(row["step"], language)
    threshold = format_percent(row["threshold"], language, digits=0)
    carried, unlabelled = int(row["n_carried"]), int(row["n_unlabelled"])
    columns = st.columns(3)
    columns[0].metric(
        t("semi_supervised.metric.carried", language),
        _count(carried, language),
        delta=None if previous is None else carried - int(previous["n_carried"]),
    )
    columns[1].metric(
        t("semi_supervised.metric.accuracy", language),
        "—" if carried == 0 else format_percent(row["carried_accuracy"], language),
    )
    columns[2].metric(t("semi_supervised.metric.waiting", language), _count(unlabelled - carried, language))
    if carried == 0:
        st.markdown(
            t(
                "semi_supervised.spreading.sentence_none",
                language,
                step=step,
                unlabelled=_count(unlabelled, language),
                threshold=threshold,
            )
        )
    else:
        st.markdown(
            t(
                "semi_supervised.spreading.sentence",
                language,
                step=step,
                carried=_count(carried, language),
                unlabelled=_count(unlabelled, language),
                accuracy=format_percent(row["carried_accuracy"], language),
                threshold=threshold,
            )
        )


def render_map(
    manifest: Manifest,
    entry: PseudoLabelDetailsInfo,
    details: PseudoLabelDetails,
    round_index: int,
    language: str,
) -> None:
    dataset = manifest.dataset(entry.dataset)
    if dataset is None:
        st.error(
            t(
                "error.pool_map_missing",
                language,
                dataset=entry.dataset,
                path=f"data/{entry.dataset}-pool-map.npz",
                command=semi_supervised.study_command([entry.paradigm]),
            ),
            icon=icons.ERROR,
        )
        return
    try:
        pool_xy = cached_files.read_pool_map(manifest, dataset, entry.paradigm)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    if not semi_supervised.map_fits(details, pool_xy):
        st.error(
            t(
                "error.pool_map_invalid",
                language,
                dataset=dataset.id,
                path=dataset.pool_map_file or "?",
                command=semi_supervised.study_command([entry.paradigm]),
            ),
            icon=icons.ERROR,
        )
        return
    if page_helpers.controls_hidden():
        colour_by = COLOUR_MODES[0]
    else:
        page_helpers.seed_widget(COLOUR_KEY, COLOUR_MODES[0])
        colour_by = st.segmented_control(
            t("semi_supervised.colour_by", language),
            options=COLOUR_MODES,
            format_func=lambda mode: t(f"semi_supervised.colour_by.{mode}", language),
            required=True,
            key=COLOUR_KEY,
        ) or COLOUR_MODES[0]  # required: never None, though its type allows it
    st.plotly_chart(
        cached_map_figure(
            entry,
            dataset,
            round_index,
            colour_by,
            language,
            page_helpers.presentation_mode(),
            _details=details,
            _pool_xy=pool_xy,
        ),
        theme=None,
        config=plotly_config("paradigm-lab-pool-map"),
        alt=t("semi_supervised.map_alt", language),
        key="semi_supervised_map",
    )
    st.caption(t("semi_supervised.map.caption", language))


# A fragment: its widgets rerun only this function, not the whole page and sidebar (a class
# moving a slider together costs the server a fraction of a page each; issue #20).
@page_helpers.interactive_fragment
def render_spreading(
    manifest: Manifest, entry: PseudoLabelDetailsInfo, details: PseudoLabelDetails, language: str
) -> None:
    st.header(t("semi_supervised.spreading.heading", language))
    summary = semi_supervised.round_summary(details)
    round_index = choose_round(entry, details, language)
    render_round_numbers(summary, round_index, language)
    st.plotly_chart(
        cached_rounds_figure(
            entry,
            round_index,
            language,
            page_helpers.presentation_mode(),
            _summary=summary,
        ),
        theme=None,
        config=plotly_config("paradigm-lab-pseudo-labels"),
        alt=t("semi_supervised.chart_alt", language),
        key="semi_supervised_rounds_chart",
    )
    with st.expander(t("semi_supervised.table_heading", language)):
        page_helpers.show_table(tables.pseudo_label_rounds_table(summary, language=language))
        st.caption(t("semi_supervised.table_caption", language))
    # The map of the pool tells more than the class needs first: folded, under the chart.
    with page_helpers.going_further(t("semi_supervised.map.heading", language)):
        render_map(manifest, entry, details, round_index, language)


def render_mistakes(details: PseudoLabelDetails, language: str) -> None:
    st.header(t("semi_supervised.mistakes.heading", language))
    st.markdown(t("semi_supervised.mistakes.text", language))
    last_step = _count(details.steps[-1], language)
    if not len(details.mistake_guesses):
        st.success(t("semi_supervised.mistakes.none", language, step=last_step), icon=icons.SUCCESS)
        return
    wrong = int(semi_supervised.round_summary(details)["n_carried_wrong"].iloc[-1])
    # On a projector one row of the surest mistakes makes the point; a screen shows them all.
    shown = PROJECTOR_MISTAKES_SHOWN if page_helpers.presentation_mode() else len(details.mistake_guesses)
    guesses = [str(int(guess)) for guess in details.mistake_guesses[:shown]]
    truths = [str(int(truth)) for truth in details.mistake_truth[:shown]]
    scale = gallery_scale()
    st.image(
        list(semi_supervised.enlarged(details.mistake_images[:shown], scale)),
        caption=[
            t(
                "semi_supervised.mistakes.caption",
                language,
                guess=guess,
                truth=truth,
                confidence=format_percent(float(confidence), language, digits=0),
            )
            for guess, truth, confidence in zip(guesses, truths, details.mistake_confidence)
        ],
        width=28 * scale,
        alt=[
            t("semi_supervised.mistakes.alt", language, guess=guess, truth=truth)
            for guess, truth in zip(guesses, truths)
        ],
    )
    st.caption(
        t(
            "semi_supervised.mistakes.count",
            language,
            shown=_count(len(guesses), language),
            wrong=_count(max(wrong, len(guesses)), language),
            step=last_step,
        )
    )


def _another_digit(n_digits: int) -> None:
    # A callback: a widget's value may only be set before the widget is drawn in a run.
    current = st.session_state.get(DIGIT_KEY, 0)
    choice = secrets.randbelow(n_digits)
    st.session_state[DIGIT_KEY] = (choice + 1) % n_digits if choice == current else choice


def choose_test_digit(n_digits: int, language: str) -> int:
    if page_helpers.controls_hidden():
        return 0
    page_helpers.seed_widget(DIGIT_KEY, 0)
    if not 0 <= st.session_state[DIGIT_KEY] < n_digits:  # another data set, fewer test digits
        st.session_state[DIGIT_KEY] = 0
    index = st.number_input(
        t("semi_supervised.threshold.digit", language),
        min_value=0,
        max_value=n_digits - 1,
        step=1,
        key=DIGIT_KEY,
    )
    st.button(
        t("semi_supervised.threshold.another", language),
        icon=icons.ANOTHER,
        on_click=_another_digit,
        args=(n_digits,),
        key="semi_supervised_another_digit",
    )
    return int(index)


# A fragment: its widgets rerun only this function, not the whole page and sidebar (a class
# moving a slider together costs the server a fraction of a page each; issue #20).
@page_helpers.interactive_fragment
def render_threshold(
    manifest: Manifest, entry: PseudoLabelDetailsInfo, details: PseudoLabelDetails, language: str
) -> None:
    # Live settings are for a class that understood the rounds: folded.
    with page_helpers.going_further(t("semi_supervised.threshold.heading", language)):
        show_threshold(manifest, entry, details, language)


def show_threshold(
    manifest: Manifest, entry: PseudoLabelDetailsInfo, details: PseudoLabelDetails, language: str
) -> None:
    st.markdown(t("semi_supervised.threshold.text", language))
    model = manifest.model(entry.id)
    if model is None:
        st.info(
            t(
                "semi_supervised.threshold.no_model",
                language,
                model_id=entry.id,
                command=semi_supervised.details_rebuild_command(entry),
            )
        )
        return
    try:
        dataset = manifest.dataset_of(model)
        evaluation = page_helpers.read_evaluation_set(manifest, dataset)
        session = page_helpers.load_session(manifest, model)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    digit_column, chart_column = st.columns([1, 2.2])
    with digit_column:
        index = choose_test_digit(len(evaluation.labels), language)
        image = evaluation.images[index]  # (28, 28) uint8
        truth = str(int(evaluation.labels[index]))
        st.image(
            semi_supervised.enlarged(image[np.newaxis], TEST_DIGIT_SCALE)[0],
            caption=t("semi_supervised.threshold.image_caption", language, index=index, truth=truth),
            alt=t("semi_supervised.threshold.image_alt", language, index=index, truth=truth),
        )
    try:
        probabilities = inference.class_probabilities(
            session, model, image[np.newaxis].astype(np.float32) / 255.0
        )[0]
    except BundleError as error:
        page_helpers.show_error(error)
        return
    verdict = semi_supervised.threshold_verdict(probabilities, float(details.thresholds[-1]))
    names = model.class_names or dataset.class_names
    guess = names[verdict.guess] if verdict.guess < len(names) else str(verdict.guess)
    with chart_column:
        st.plotly_chart(
            cached_threshold_figure(
                model,
                index,
                verdict.threshold,
                language,
                page_helpers.presentation_mode(),
                _verdict=verdict,
                _class_names=names,
            ),
            theme=None,
            config=plotly_config("paradigm-lab-confidence-bar"),
            alt=t("semi_supervised.threshold.chart_alt", language),
            key="semi_supervised_threshold_chart",
        )
        values = {
            "guess": guess,
            "confidence": format_percent(verdict.confidence, language),
            "threshold": format_percent(verdict.threshold, language, digits=0),
            "truth": truth,
        }
        right = guess == truth
        if verdict.carried:
            outcome = "semi_supervised.threshold.right" if right else "semi_supervised.threshold.confident_mistake"
            text = t("semi_supervised.threshold.carried", language, **values) + " " + t(
                outcome, language, **values
            )
            (st.success if right else st.warning)(text, icon=icons.SUCCESS if right else icons.WARNING)
        else:
            outcome = "semi_supervised.threshold.below_right" if right else "semi_supervised.threshold.wrong"
            text = t("semi_supervised.threshold.below", language, **values) + " " + t(
                outcome, language, **values
            )
            st.info(text, icon=icons.INFO)


def method_text(paradigm: str, language: str) -> str:
    """What a round of this method is, in a sentence or two; the registry's short description
    for a semi-supervised paradigm this page has no text for yet."""
    key = f"semi_supervised.method.{paradigm}"
    if key in CATALOGUE:
        return t(key, language)
    return paradigm_text(paradigm, "description", language)


def render_methods(manifest: Manifest, paradigms: list[str], language: str) -> None:
    with page_helpers.going_further(t("semi_supervised.methods.heading", language)):
        st.markdown(
            "\n".join(
                "- "
                + t(
                    "semi_supervised.methods.item",
                    language,
                    name=paradigm_name(paradigm, language),
                    text=method_text(paradigm, language),
                )
                for paradigm in paradigms
            )
        )
    page_helpers.study_link_for_family(manifest, semi_supervised.FAMILY, t("semi_supervised.go_study", language))


def render_semi_supervised() -> None:
    language = page_helpers.current_language()
    st.title(t("semi_supervised.heading", language))
    st.markdown(t("semi_supervised.intro", language))
    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        return
    family = semi_supervised.semi_supervised_paradigms(manifest)
    if not manifest.pseudo_label_details:
        st.info(
            t(
                "semi_supervised.no_details",
                language,
                command=semi_supervised.study_command(family),
            ),
            icon=icons.INFO,
        )
        if family:
            render_methods(manifest, family, language)
        return

    entry = choose_run(manifest, language)
    if page_helpers.controls_hidden():
        # No control says which run this is: the sentence does.
        model = manifest.model(entry.id)
        st.markdown(
            t(
                "semi_supervised.run_shown",
                language,
                name=paradigm_name(entry.paradigm, language),
                fraction=format_fraction(entry.label_fraction, language),
                labels="?" if model is None or model.n_labels is None else _count(
                    model.n_labels, language
                ),
            )
        )
    st.caption(method_text(entry.paradigm, language))
    panels = visible_panels(page_helpers.lesson_state(), PAGE_ID)
    try:
        details = cached_files.read_pseudo_label_details(manifest, entry)
    except BundleError as error:
        # Every section draws from the log (the live example takes its bar from it); the
        # controls and the methods below still show, so another run can be chosen.
        page_helpers.show_error(error)
        details = None
    if details is not None:
        if "labelled" in panels:
            render_labelled(details, language)
        if "spreading" in panels:
            render_spreading(manifest, entry, details, language)
        if "mistakes" in panels:
            render_mistakes(details, language)
        if "threshold" in panels:
            render_threshold(manifest, entry, details, language)
    # Every method of the family is explained, logged or not yet.
    explained = dict.fromkeys([*family, *semi_supervised.paradigms_with_details(manifest)])
    render_methods(manifest, list(explained), language)


render_semi_supervised()
