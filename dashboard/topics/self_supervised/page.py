"""Self-supervised page: the exercises a program invents from unlabelled digits, and what they
teach.

For one pretext task (rotation, relative position, temporal order, contrastive, autoencoder) and
one digit (a shipped test image, or the class's drawing from the "try_digit" page), the page makes the
task's questions from that digit, with the answers the program knows for free, and shows the
shipped pretext network's answers live (ONNX Runtime). Then the encoders' 2-D maps (raw pixels,
the untrained encoder, the task's encoder), the study's numbers for the five tasks against
supervised learning, and why each kind of data needs its own trick.

The logic is in dashboard/topics/self_supervised/pretext_examples.py, the maps in dashboard/topics/self_supervised/feature_map_figures.py.
A missing or damaged model or map is a message naming it and the command that rebuilds it; the
other sections still show.
"""

from __future__ import annotations

import secrets
import zlib

import numpy as np
import streamlit as st

from dashboard.core import icons, inference, page_helpers
from dashboard.core.bundle_reader import BundleError, DatasetInfo, EvaluationSet, Manifest
from dashboard.core.figures import label_fraction_figure, plotly_config
from dashboard.core.i18n import (
    CATALOGUE,
    format_decimal,
    format_integer,
    format_percent,
    paradigm_name,
    paradigm_text,
    t,
)
from dashboard.core.lesson_plan import shipped_paradigms
from dashboard.core.lesson_state import lesson_paradigms
from dashboard.core.study_results import SPREAD_STD
from dashboard.topics.self_supervised import cached_files
from dashboard.topics.self_supervised import pretext_examples as self_supervised
from dashboard.topics.self_supervised.feature_map_figures import MapPanel, feature_maps_figure
from dashboard.topics.self_supervised.pretext_examples import (
    AUTOENCODER,
    BASELINE_SOURCES,
    CONTRASTIVE,
    RELATIVE_POSITION,
    ROTATION,
    TEMPORAL_ORDER,
)

PAGE_ID = "self_supervised"
DATASET_KEY = "self_supervised_dataset"
TASK_KEY = "self_supervised_task"
SOURCE_KEY = "self_supervised_source"
DIGIT_KEY = "ssl_digit"
DRAW_KEY = "self_supervised_draw"  # how many times "draw new questions" was pressed
ALL_MAPS_KEY = "self_supervised_all_maps"
# The "try your own digit" page keeps its prepared picture under this key (PREPARED_KEY in
# dashboard/topics/try_digit/page.py, which cannot be imported: importing a page runs it), as
# (source id, 28x28 float32 model input or a DigitInputError, thumbnail, animated).
TRY_PREPARED_KEY = "try_digit_prepared"
SOURCE_TEST, SOURCE_DRAWN = "test", "drawn"
# Pictures drawn this many times their pixels, pixel for pixel (more on a projector).
DIGIT_SCALE, PRESENTATION_DIGIT_SCALE = 5, 7
PIECE_SCALE, PRESENTATION_PIECE_SCALE = 12, 16
CUT_SCALE, PRESENTATION_CUT_SCALE = 8, 10


def _count(value: int, language: str) -> str:
    return format_integer(int(value), language)


def digit_scale() -> int:
    return PRESENTATION_DIGIT_SCALE if page_helpers.presentation_mode() else DIGIT_SCALE


def piece_scale() -> int:
    return PRESENTATION_PIECE_SCALE if page_helpers.presentation_mode() else PIECE_SCALE


def cut_scale() -> int:
    return PRESENTATION_CUT_SCALE if page_helpers.presentation_mode() else CUT_SCALE


def _mark(right: bool, language: str) -> str:
    return t("self_supervised.right" if right else "self_supervised.wrong", language)


# --- choosing the view -------------------------------------------------------------------------


def choose_dataset(datasets: list[str], language: str) -> str:
    if len(datasets) == 1 or page_helpers.controls_hidden():
        return datasets[0]
    if st.session_state.get(DATASET_KEY) not in datasets:
        st.session_state[DATASET_KEY] = datasets[0]
    return st.selectbox(t("self_supervised.dataset", language), datasets, key=DATASET_KEY)


def choose_task(manifest: Manifest, offered: list[str], language: str) -> str:
    """The task shown: the lesson's first self-supervised paradigm (the first offered one by
    default), through the control unless controls are hidden; the view goes into the lesson."""
    lesson = page_helpers.lesson_state()
    named = [paradigm for paradigm in (lesson.paradigms or ()) if paradigm in offered]
    wanted = named[0] if named else offered[0]
    if page_helpers.controls_hidden():
        task = wanted
        st.markdown(t("self_supervised.task_shown", language, name=paradigm_name(task, language)))
    else:
        page_helpers.seed_widget(TASK_KEY, wanted, offered)
        # required=True: never None, though its type allows it.
        task = st.segmented_control(
            t("self_supervised.task", language),
            options=offered,
            format_func=lambda paradigm: paradigm_name(paradigm, language),
            required=True,
            key=TASK_KEY,
        ) or wanted
    # The study and try pages read the same field: a link that already leads here is kept.
    page_helpers.update_lesson(
        paradigms=lesson_paradigms(
            lesson.paradigms, offered, task, shipped_paradigms(manifest, "supervised")
        )
    )
    return task


def drawn_digit() -> np.ndarray | None:
    """The digit drawn (or photographed) on the "try_digit" page this session, if it could be read."""
    stored = st.session_state.get(TRY_PREPARED_KEY)
    if not isinstance(stored, tuple) or len(stored) < 2:
        return None
    digit = stored[1]
    if isinstance(digit, np.ndarray) and digit.shape == (28, 28) and np.isfinite(digit).all():
        return np.clip(digit.astype(np.float32), 0.0, 1.0)
    return None


def _another_digit(n_digits: int) -> None:
    # A callback: a widget's value may only be set before the widget is drawn in a run.
    current = st.session_state.get(DIGIT_KEY, 0)
    choice = secrets.randbelow(n_digits)
    st.session_state[DIGIT_KEY] = (choice + 1) % n_digits if choice == current else choice


def _new_questions() -> None:
    st.session_state[DRAW_KEY] = st.session_state.get(DRAW_KEY, 0) + 1


class ChosenDigit:
    """The digit the questions are made from: pixels in [0, 1], its test-set row (None for a
    drawing) and a number that fixes the random draws, so that a rerun for another control
    keeps the same questions."""

    def __init__(self, image: np.ndarray, index: int | None, draw: int):
        self.image = image
        self.index = index
        key = index if index is not None else zlib.crc32(image.tobytes())
        self.rng_seed = (int(key), int(draw))

    def rng(self) -> np.random.Generator:
        return np.random.default_rng(self.rng_seed)


def choose_digit(evaluation: EvaluationSet, language: str) -> ChosenDigit:
    """A test image by number (or at random), or the class's drawing from the "try_digit" page."""
    n_digits = len(evaluation.labels)
    if page_helpers.controls_hidden():
        # A student view has no control: the page's first digit, with the same questions each time.
        first = self_supervised.default_test_digit(evaluation.labels)
        show_test_digit(evaluation, first, language)
        return ChosenDigit(evaluation.images[first].astype(np.float32) / 255.0, first, 0)
    drawn = drawn_digit()
    source = SOURCE_TEST
    if drawn is not None:
        page_helpers.seed_widget(SOURCE_KEY, SOURCE_DRAWN)
        source = st.segmented_control(
            t("self_supervised.digit.source", language),
            options=[SOURCE_TEST, SOURCE_DRAWN],
            format_func=lambda option: t(f"self_supervised.digit.source.{option}", language),
            required=True,
            key=SOURCE_KEY,
        ) or SOURCE_TEST
    draw = st.session_state.get(DRAW_KEY, 0)
    if source == SOURCE_DRAWN and drawn is not None:
        st.image(
            self_supervised.to_pixels(drawn, digit_scale()),
            caption=t("self_supervised.digit.drawn_caption", language),
            width=28 * digit_scale(),
            alt=t("self_supervised.digit.alt", language),
        )
        return ChosenDigit(drawn, None, draw)
    first = self_supervised.default_test_digit(evaluation.labels)
    page_helpers.seed_widget(DIGIT_KEY, first)
    if not 0 <= st.session_state[DIGIT_KEY] < n_digits:  # another data set, fewer test digits
        st.session_state[DIGIT_KEY] = first
    index = int(
        st.number_input(
            t("self_supervised.digit.index", language),
            min_value=0,
            max_value=n_digits - 1,
            step=1,
            key=DIGIT_KEY,
        )
    )
    st.button(
        t("self_supervised.digit.another", language),
        icon=icons.ANOTHER,
        on_click=_another_digit,
        args=(n_digits,),
        key="self_supervised_another_digit",
    )
    show_test_digit(evaluation, index, language)
    return ChosenDigit(evaluation.images[index].astype(np.float32) / 255.0, index, draw)


def show_test_digit(evaluation: EvaluationSet, index: int, language: str) -> None:
    truth = str(int(evaluation.labels[index]))
    st.image(
        self_supervised.to_pixels(evaluation.images[index] / 255.0, digit_scale()),
        caption=t("self_supervised.digit.caption", language, index=index, truth=truth),
        width=28 * digit_scale(),
        alt=t("self_supervised.digit.alt", language),
    )
    st.caption(t("self_supervised.digit.label_unused", language))


# --- the task's questions and the network's answers ------------------------------------------


def how_text(task: str, manifest: Manifest, dataset: str, language: str) -> str:
    """How the task makes its questions, with its numbers from the pretext model's facts; the
    registry's one-line description when no pretext model ships (no numbers to quote)."""
    model = self_supervised.pretext_model(manifest, task, dataset)
    if model is None:
        return paradigm_text(task, "description", language)
    facts = model.pretext
    grid, mask_grid = facts.get("grid", "?"), facts.get("mask_grid", "?")
    return t(
        f"self_supervised.task.{task}.how",
        language,
        cells=f"{grid}×{grid}",
        frames=facts.get("frames", "?"),
        classes=len(orders) if isinstance(orders := facts.get("orders"), list) and orders else "?",
        squares=f"{mask_grid}×{mask_grid}",
        hidden=facts.get("masked_squares", "?"),
    )


def render_rotation(result: self_supervised.RotationResult, facts, language: str) -> None:
    answers = result.answers
    turns = facts.turns_degrees
    captions = [
        t(
            "self_supervised.rotation.caption",
            language,
            turn=turns[index],
            guess=turns[int(answers.guesses[index])],
            confidence=format_percent(float(answers.confidence[index]), language, digits=0),
            mark=_mark(bool(answers.right[index]), language),
        )
        for index in range(len(turns))
    ]
    scale = digit_scale()
    st.image(
        [self_supervised.to_pixels(copy, scale) for copy in result.copies],
        caption=captions,
        width=28 * scale,
        alt=[t("self_supervised.rotation.alt", language, turn=turn) for turn in turns],
    )
    st.markdown(
        t(
            "self_supervised.rotation.summary",
            language,
            right=int(answers.right.sum()),
            total=len(turns),
        )
    )


def place_name(place: tuple[int, int], fallback: str, language: str) -> str:
    """A neighbour's place in the page's language; the manifest's English name for a grid this
    catalogue has no name for."""
    key = f"self_supervised.place.{place[0]}_{place[1]}"
    return t(key, language) if key in CATALOGUE else fallback


def render_relative_position(result: self_supervised.PatchResult, facts, language: str) -> None:
    pairs, answers = result.pairs, result.answers
    names = [
        place_name(place, fallback, language)
        for place, fallback in zip(facts.places, facts.place_names)
    ]
    cut_column, grid_column = st.columns([1, 1.3])
    with cut_column:
        cut = self_supervised.cut_picture(pairs, facts, cut_scale())
        st.image(
            cut,
            caption=t("self_supervised.relative.cut_caption", language),
            width=cut.shape[1],
            alt=t("self_supervised.relative.cut_alt", language),
        )
    with grid_column:
        st.caption(t("self_supervised.relative.layout", language))
        by_cell = {place: index for index, place in enumerate(facts.places)}
        scale = piece_scale()
        piece_width = facts.piece * scale
        for row in range(facts.grid):
            for column, cell in zip(st.columns(facts.grid), range(facts.grid)):
                place = (row, cell)
                with column:
                    if place == facts.middle:
                        st.image(
                            self_supervised.framed_piece(
                                pairs.middle, scale, self_supervised.MIDDLE_COLOUR
                            ),
                            caption=t("self_supervised.relative.middle_caption", language),
                            width=piece_width,
                        )
                    elif place in by_cell:
                        index = by_cell[place]
                        guess = names[int(answers.guesses[index])]
                        if pairs.blank[index]:
                            caption = t("self_supervised.relative.blank_caption", language, guess=guess)
                        else:
                            caption = t(
                                "self_supervised.relative.caption",
                                language,
                                guess=guess,
                                confidence=format_percent(
                                    float(answers.confidence[index]), language, digits=0
                                ),
                                mark=_mark(bool(answers.right[index]), language),
                            )
                        st.image(
                            self_supervised.framed_piece(
                                pairs.neighbours[index],
                                scale,
                                self_supervised.NEIGHBOUR_COLOUR,
                            ),
                            caption=caption,
                            width=piece_width,
                            alt=t("self_supervised.relative.piece_alt", language, place=names[index]),
                        )
    right, asked = result.right_on_inked
    st.markdown(t("self_supervised.relative.summary", language, right=right, asked=asked))


def render_temporal_order(result: self_supervised.ClipResult, language: str) -> None:
    clip = result.clip
    scale = digit_scale() - 1
    frames = len(clip.frames)
    st.markdown(f"**{t('self_supervised.temporal.shot', language)}**")
    st.image(
        [self_supervised.to_pixels(frame, scale) for frame in clip.frames],
        caption=[t("self_supervised.temporal.frame_caption", language, number=n + 1) for n in range(frames)],
        width=28 * scale,
        alt=[t("self_supervised.temporal.frame_alt", language, number=n + 1) for n in range(frames)],
    )
    slot_names = "ABCDEFGHIJ"
    st.markdown(f"**{t('self_supervised.temporal.shuffled', language)}**")
    st.image(
        [self_supervised.to_pixels(frame, scale) for frame in clip.shuffled],
        caption=[
            t("self_supervised.temporal.slot_caption", language, slot=slot_names[slot], frame=frame + 1)
            for slot, frame in enumerate(clip.slots)
        ],
        width=28 * scale,
    )
    verdict = t("self_supervised.temporal.right" if result.right else "self_supervised.temporal.wrong", language)
    confidence = format_percent(float(result.answers.confidence[0]), language, digits=0)
    st.markdown(
        f"**{t('self_supervised.temporal.reordered', language, confidence=confidence, verdict=verdict)}**"
    )
    # Slot s holds frame believed[s]: shown in the believed shot order, each named by its slot.
    believed = result.believed_slots
    slot_of_frame = {frame: slot for slot, frame in enumerate(believed)}
    st.image(
        [self_supervised.to_pixels(frame, scale) for frame in result.reordered],
        caption=[
            t("self_supervised.temporal.believed_caption", language, slot=slot_names[slot_of_frame[n]])
            for n in range(frames)
        ],
        width=28 * scale,
    )


def render_contrastive(result: self_supervised.LineupResult, language: str) -> None:
    scale = digit_scale() - 1
    lineup = result.lineup
    anchor_column, ranking_column = st.columns([1, 5])
    with anchor_column:
        st.markdown(f"**{t('self_supervised.contrastive.anchor', language)}**")
        st.image(
            self_supervised.framed_piece(lineup.anchor, scale, self_supervised.MIDDLE_COLOUR),
            caption=t("self_supervised.contrastive.anchor_caption", language),
            width=28 * scale,
            alt=t("self_supervised.contrastive.view_alt", language),
        )
    ranking = result.ranking
    captions = []
    for rank, candidate in enumerate(ranking, start=1):
        similarity = format_decimal(float(result.similarity[candidate]), language, digits=2)
        key = "partner_caption" if candidate == 0 else "other_caption"
        captions.append(t(f"self_supervised.contrastive.{key}", language, rank=rank, similarity=similarity))
    with ranking_column:
        st.markdown(f"**{t('self_supervised.contrastive.ranking', language)}**")
        st.image(
            # The two views of the chosen digit are edged alike: the partner is found at a glance.
            [
                self_supervised.framed_piece(
                    lineup.candidates[c], scale, self_supervised.MIDDLE_COLOUR
                )
                if c == 0
                else self_supervised.to_pixels(lineup.candidates[c], scale)
                for c in ranking
            ],
            caption=captions,
            width=28 * scale,
            alt=[t("self_supervised.contrastive.view_alt", language)] * len(ranking),
        )
    count = len(ranking)
    if result.partner_found:
        st.success(t("self_supervised.contrastive.found", language, count=count))
    else:
        rank = int(np.flatnonzero(ranking == 0)[0]) + 1
        st.warning(t("self_supervised.contrastive.not_found", language, count=count, rank=rank))


def render_autoencoder(result: self_supervised.MaskResult, facts, language: str) -> None:
    scale = digit_scale()
    columns = st.columns(3)
    pictures = (
        (self_supervised.mask_picture(result, facts, scale), "self_supervised.autoencoder.masked"),
        (self_supervised.to_pixels(result.drawn, scale), "self_supervised.autoencoder.drawn"),
        (self_supervised.to_pixels(result.original, scale), "self_supervised.autoencoder.original"),
    )
    for column, (picture, key) in zip(columns, pictures):
        with column:
            text = t(key, language, hidden=facts.masked_squares)
            st.image(picture, caption=text, width=28 * scale, alt=text)
    st.markdown(
        t(
            "self_supervised.autoencoder.error",
            language,
            error=format_decimal(result.error, language, digits=3),
        )
    )


def render_score(model, language: str) -> None:
    score = self_supervised.pretext_score(model)
    if score is None:
        return
    columns = st.columns(3)
    if score.kind == "accuracy":
        columns[0].metric(t("self_supervised.score.accuracy", language), format_percent(score.value, language))
        if score.baseline is not None:
            columns[1].metric(
                t("self_supervised.score.chance", language), format_percent(score.baseline, language)
            )
        caption = t("self_supervised.score.caption", language)
    else:
        columns[0].metric(
            t("self_supervised.score.error", language), format_decimal(score.value, language, digits=3)
        )
        if score.baseline is not None:
            columns[1].metric(
                t("self_supervised.score.average_digit", language),
                format_decimal(score.baseline, language, digits=3),
            )
        caption = t("self_supervised.score.error_caption", language)
    if score.steps is not None:
        columns[2].metric(t("self_supervised.score.steps", language), _count(score.steps, language))
    st.caption(caption)


def answer_task(
    manifest: Manifest,
    task: str,
    dataset: str,
    digit: ChosenDigit,
    evaluation: EvaluationSet,
    language: str,
) -> None:
    """Make the task's questions from the digit, run the pretext network, show both."""
    model = self_supervised.pretext_model(manifest, task, dataset)
    if model is None:
        command = self_supervised.study_command([task])
        st.info(
            t("self_supervised.no_pretext", language, name=paradigm_name(task, language), command=command),
            icon=icons.INFO,
        )
        return
    # Rotation's questions are always the digit's four turns: nothing new to draw.
    if not page_helpers.controls_hidden() and task != ROTATION:
        st.button(
            t("self_supervised.pairs.new", language), icon=icons.ANOTHER, on_click=_new_questions, key="self_supervised_new_pairs"
        )
    rng = digit.rng()
    try:
        session = page_helpers.load_session(manifest, model)
        inference.check_session_matches_manifest(session, model)

        def run(batch: np.ndarray) -> np.ndarray:
            return self_supervised.run_pretext(session, model, batch)

        if task == ROTATION:
            turn_facts = self_supervised.rotation_facts(model)
            turn_answer = self_supervised.answer_rotation(digit.image, turn_facts, run)
            render_rotation(turn_answer, turn_facts, language)
        elif task == RELATIVE_POSITION:
            patch_facts = self_supervised.patch_facts(model)
            patch_answer = self_supervised.answer_relative_position(digit.image, patch_facts, run, rng)
            render_relative_position(patch_answer, patch_facts, language)
        elif task == TEMPORAL_ORDER:
            clip_facts = self_supervised.clip_facts(model)
            clip_answer = self_supervised.answer_temporal_order(digit.image, clip_facts, run, rng)
            render_temporal_order(clip_answer, language)
        elif task == CONTRASTIVE:
            view_facts = self_supervised.view_facts(model)
            indices = self_supervised.other_digits(
                len(evaluation.labels), digit.index, self_supervised.OTHER_DIGITS_IN_LINEUP, rng
            )
            others = evaluation.images[indices].astype(np.float32) / 255.0
            lineup = self_supervised.answer_contrastive(
                digit.image, others, indices, view_facts, run, rng
            )
            render_contrastive(lineup, language)
        elif task == AUTOENCODER:
            mask_facts = self_supervised.mask_facts(model)
            mask_answer = self_supervised.answer_autoencoder(digit.image, mask_facts, run, rng)
            render_autoencoder(mask_answer, mask_facts, language)
    except BundleError as error:  # missing, changed or malformed: named with its rebuild command
        page_helpers.show_error(error)
        return
    render_score(model, language)


# --- the maps ------------------------------------------------------------------------------


def source_name(source: str, language: str) -> str:
    if source in BASELINE_SOURCES:
        return t(f"self_supervised.source.{source}", language)
    return paradigm_name(source, language)


# Plotly checks every property it is given, so three maps of a thousand points cost tens of
# milliseconds to build: cached per view. Keyed on the manifest's map entries (which hold the
# files' SHA-256) and the data set (which holds the test file's), so a rebuilt file is a new key.
@st.cache_resource(show_spinner=False, max_entries=32)
def cached_maps_figure(
    entries: tuple,
    dataset: DatasetInfo,
    language: str,
    presentation: bool,
    *,
    _panels: list[MapPanel],
    _labels: np.ndarray,
):
    return feature_maps_figure(
        _panels,
        _labels,
        class_names=dataset.class_names,
        language=language,
        presentation=presentation,
        columns=3 if len(_panels) <= 3 else 4,
    )


def render_maps(
    manifest: Manifest,
    task: str,
    offered: list[str],
    dataset: DatasetInfo,
    evaluation: EvaluationSet,
    language: str,
) -> None:
    entries_known = [e for e in manifest.feature_maps if e.dataset == dataset.id]
    k = next((e.knn_k for e in entries_known if e.knn_k), 5)
    st.markdown(t("self_supervised.maps.text", language, k=k))
    show_all = False
    if not page_helpers.controls_hidden() and len(offered) > 1:
        show_all = st.toggle(t("self_supervised.maps.all", language), key=ALL_MAPS_KEY)
    sources = [*BASELINE_SOURCES, *(offered if show_all else [task])]
    panels, entries = [], []
    for source in sources:
        entry = self_supervised.feature_map_entry(manifest, source, dataset.id)
        command = self_supervised.map_source_command(source, task)
        if entry is None:
            st.info(
                t("self_supervised.maps.missing", language, name=source_name(source, language), command=command)
            )
            continue
        try:
            xy = cached_files.read_feature_map(manifest, entry, command)
        except BundleError as error:
            page_helpers.show_error(error)
            continue
        if not self_supervised.map_fits(xy, evaluation.labels):
            page_helpers.show_error(
                self_supervised.FeatureMapError(
                    "error.feature_map_invalid", source=source, path=entry.file, command=command
                )
            )
            continue
        name = source_name(source, language)
        title = (
            name
            if entry.knn_accuracy is None
            else t(
                "self_supervised.map.title",
                language,
                name=name,
                accuracy=format_percent(entry.knn_accuracy, language),
            )
        )
        panels.append(MapPanel(title=title, xy=xy))
        entries.append(entry)
    if not panels:
        return
    st.plotly_chart(
        cached_maps_figure(
            tuple(entries),
            dataset,
            language,
            page_helpers.presentation_mode(),
            _panels=panels,
            _labels=evaluation.labels,
        ),
        theme=None,
        config=plotly_config("paradigm-lab-encoder-maps"),
        alt=t("self_supervised.maps.alt", language),
        key="self_supervised_maps",
    )
    # The manifest's method is an English sentence ("t-SNE (after PCA ...) of ..."): only the
    # algorithm's name, which reads the same in both languages, goes into the translated caption.
    method = (entries[0].method or "t-SNE").split(" (")[0].split(" of ")[0]
    st.caption(t("self_supervised.maps.caption", language, method=method))


# --- the probe and the study ---------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_study_figure(
    bundle_version: tuple,
    dataset: str,
    paradigm_order: tuple[str, ...],
    language: str,
    presentation: bool,
    *,
    _summary,
):
    return label_fraction_figure(
        _summary,
        language=language,
        spread=SPREAD_STD,
        paradigm_order=list(paradigm_order),
        presentation=presentation,
    )


def feature_count(manifest: Manifest, dataset: str, task: str) -> str:
    """How many numbers the task's encoder gives the probe, from its manifest entry ("?" if none).
    Each encoder's probe reads the layer chosen on the validation split, so widths differ."""
    for model in manifest.models:
        is_encoder = (model.role == self_supervised.ENCODER_ROLE and model.dataset == dataset
                      and model.paradigm == task)
        if is_encoder and model.outputs:
            width = model.outputs[0].shape[-1]
            if isinstance(width, int):
                return str(width)
    return "?"


def render_probe_against_finetune(summary, dataset: str, task: str, yardstick: str, language: str) -> None:
    """Probe or fine-tune: the two readings of the chosen task's encoder, in numbers."""
    st.header(t("self_supervised.finetune.heading", language))
    st.markdown(t("self_supervised.finetune.text", language))
    reading = self_supervised.probe_against_finetune(summary, dataset, task, yardstick)
    if reading is None:
        return
    st.markdown(t("self_supervised.finetune.at", language, labels=_count(reading.n_labels, language),
                  seeds=reading.n_seeds, task=paradigm_name(task, language)))
    columns = st.columns(3)
    for column, key, value in zip(columns, ("probe", "finetune", "supervised"),
                                  (reading.probe, reading.finetune, reading.supervised)):
        shown = format_percent(value, language) if value is not None else t("self_supervised.finetune.missing", language)
        column.metric(t(f"self_supervised.finetune.{key}", language), shown)
    if reading.finetune is None:
        st.caption(t("self_supervised.finetune.no_rows", language,
                     command=f"python -m training study --paradigm {task}{self_supervised.FINETUNE_SUFFIX}"))


def render_probe(manifest: Manifest, offered: list[str], dataset: str, task: str, language: str) -> None:
    st.header(t("self_supervised.probe.heading", language))
    st.markdown(t("self_supervised.probe.text", language, features=feature_count(manifest, dataset, task)))
    yardstick = shipped_paradigms(manifest, "supervised") or ("supervised",)
    try:
        summary = page_helpers.read_study_summary()
    except BundleError as error:
        page_helpers.show_error(error)
        summary = None
    if summary is not None:
        shown = self_supervised.comparison_summary(summary, dataset, offered, yardstick)
        if not shown["paradigm"].isin(offered).any():
            st.info(
                t(
                    "self_supervised.probe.no_results",
                    language,
                    command=self_supervised.study_command(offered),
                )
            )
        else:
            st.plotly_chart(
                cached_study_figure(
                    page_helpers.bundle_version(),
                    dataset,
                    (*yardstick, *offered),
                    language,
                    page_helpers.presentation_mode(),
                    _summary=shown,
                ),
                theme=None,
                config=plotly_config("paradigm-lab-self-supervised-study"),
                alt=t("self_supervised.probe.chart_alt", language),
                key="self_supervised_study_chart",
            )
            render_probe_against_finetune(summary, dataset, task, yardstick[0], language)
    page_helpers.study_link_for_family(manifest, self_supervised.FAMILY, t("self_supervised.go_study", language))


# --- the page ------------------------------------------------------------------------------------


def render_self_supervised() -> None:
    language = page_helpers.current_language()
    st.title(t("self_supervised.heading", language))
    st.markdown(t("self_supervised.intro", language))
    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        return
    offered = self_supervised.pretext_paradigms(manifest)
    datasets = self_supervised.datasets_with_pretext(manifest)
    if not offered or not datasets:
        family = offered or list(self_supervised.TASKS)
        st.info(
            t("self_supervised.no_models", language, command=self_supervised.study_command(family)), icon=icons.INFO
        )
        return
    dataset = manifest.dataset(choose_dataset(datasets, language))

    st.header(t("self_supervised.setup.heading", language))
    task = choose_task(manifest, offered, language)
    evaluation = None
    if dataset is not None:
        try:
            evaluation = page_helpers.read_evaluation_set(manifest, dataset)
        except BundleError as error:
            # No digit to ask about and nothing to colour the maps with: the study still shows.
            page_helpers.show_error(error)
    if dataset is not None and evaluation is not None:
        digit_column, how_column = st.columns([1, 2])
        with digit_column:
            digit = choose_digit(evaluation, language)
        with how_column:
            st.markdown(how_text(task, manifest, dataset.id, language))
            st.markdown(t(f"self_supervised.task.{task}.limits", language))
        st.header(t("self_supervised.pairs.heading", language))
        answer_task(manifest, task, dataset.id, digit, evaluation, language)
    render_probe(manifest, offered, dataset.id if dataset else datasets[0], task, language)
    # The class view ends with the probe's result; the maps and the other kinds of data wait
    # folded for a class that wants more.
    if dataset is not None and evaluation is not None:
        with page_helpers.going_further(t("self_supervised.maps.heading", language)):
            render_maps(manifest, task, offered, dataset, evaluation, language)
    with page_helpers.going_further(t("self_supervised.limits.heading", language)):
        st.markdown(t("self_supervised.limits.text", language))


render_self_supervised()
