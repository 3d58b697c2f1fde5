"""GAN studio: digits drawn by a network that never saw a label, and how it learned to draw them.

From top to bottom: a grid of generated digits from a seed the class picks; a walk from one
seed's digit to another's; the conditional generator asked for one digit in many styles; the
training timeline (the fixed-noise grid at each checkpoint beside the losses); the "real or
fake?" game against the discriminator, in rounds of ten that end with a summary for the
projector; the quality of the generated digits as read by a judge (the supervised classifier at
100 % labels); and where a GAN's labels come from.

The logic is in dashboard/topics/gan/digit_gans.py and the figures in dashboard/topics/gan/gan_figures.py. A missing or
damaged model or file is a message naming it and the command that rebuilds it, and the other
sections still show. What costs more than a few milliseconds (the 1,000-sample quality
measures, the figures) is cached, keyed on the files' SHA-256, so a rerun after a widget change
recomputes nothing it already has.
"""

from __future__ import annotations

import base64
import io
import secrets
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from dashboard.core import icons, inference, page_helpers
from dashboard.core.bundle_reader import (
    BundleError,
    DatasetInfo,
    EvaluationSet,
    Gan2dRecordingInfo,
    GanTimelineInfo,
    Manifest,
    ModelInfo,
)
from dashboard.core.figures import plotly_config
from dashboard.core.i18n import (
    format_decimal,
    format_integer,
    format_percent,
    paradigm_name,
    t,
)
from dashboard.topics.gan import digit_gans as gan
from dashboard.topics.gan import game_2d as gan_2d
from dashboard.topics.gan.digit_gans import GameState
from dashboard.topics.gan.gan_figures import (
    FrechetBar,
    asked_digit_figure,
    digit_shares_figure,
    frechet_figure,
    gan_2d_figure,
    losses_figure,
    timeline_animation_figure,
)

PAGE_ID = "gan"
DATASET_KEY = "gan_dataset"
GRID_SIZE_KEY = "gan_grid_size"
SEED_KEY = "gan_seed"
FROM_SEED_KEY = "gan_from_seed"
TO_SEED_KEY = "gan_to_seed"
DIGIT_KEY = "gan_digit"
TIMELINE_KEY = "gan_timeline"
STEP_KEY = "gan_step"
GAME_KEY = "gan_game"
MAX_SEED = 2**31 - 1
DEFAULT_GRID_SIZE = 36
# Pictures are drawn about this many pixels wide (the browser fits them to their column), each
# digit enlarged a whole number of times, pixel for pixel.
GRID_PIXELS = 720
STRIP_SCALE = 3
GAME_SCALE = 8
TIMELINE_SCALE = 3


def presentation() -> bool:
    return page_helpers.presentation_mode()


def _scale_for(columns: int) -> int:
    return max(2, GRID_PIXELS // (columns * gan.IMAGE_SIDE))


def png(picture: np.ndarray) -> bytes:
    """PNG, not the JPEG Streamlit picks for a grey picture: a digit's pixels stay crisp."""
    buffer = io.BytesIO()
    # Level 1: three times faster than the default, and no bigger for pixels repeated in blocks.
    Image.fromarray(picture).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


# The encoded picture is kept, not only the digits: encoding a 700-pixel grid costs more than
# drawing it. The key names everything the picture depends on (the model's SHA-256, the seeds,
# the sizes); errors are never cached.
@st.cache_resource(show_spinner=False, max_entries=128)
def cached_picture(key: tuple, *, _draw) -> bytes:
    return png(_draw())


def show_picture(picture: bytes, caption: str, alt: str) -> None:
    # Drawn a little larger than the column and fitted to it by the browser: a picture wider than
    # its column would spill over the next one, and shrinking a sharp picture keeps it sharp.
    st.image(picture, caption=caption, width="stretch", output_format="PNG", alt=alt)


class RunSessions:
    """The ONNX sessions this run uses, each checked once per run (SHA-256 against the manifest,
    inputs and outputs against the session): three sections share the DCGAN generator."""

    def __init__(self, manifest: Manifest):
        self.manifest = manifest
        self._sessions: dict[str, object] = {}

    def __call__(self, model: ModelInfo):
        """A ready session, or a BundleError naming the model and its rebuild command."""
        if model.id not in self._sessions:
            session = page_helpers.load_session(self.manifest, model)
            inference.check_session_matches_manifest(session, model)
            self._sessions[model.id] = session
        return self._sessions[model.id]


def show_chart(figure, key: str, alt: str) -> None:
    st.plotly_chart(
        figure, theme=None, config=plotly_config(f"paradigm-lab-{key.replace('_', '-')}"),
        alt=alt, key=key,
    )


# --- cached work ---------------------------------------------------------------------------------


# cache_resource: read-only arrays shared by every session. The key names the model's SHA-256 and
# everything the noise is made from, so a rebuilt generator or another seed is a new entry.
@st.cache_resource(show_spinner=False, max_entries=64)
def cached_digits(model_sha256: str, noise_key: tuple, *, _session, _model: ModelInfo,
                  _noise: np.ndarray, _digits: np.ndarray | None) -> np.ndarray:
    images = gan.to_uint8(gan.generate(_session, _model, _noise, _digits))  # (B, 28, 28)
    images.setflags(write=False)
    return images


def digits_picture(sessions: RunSessions, model: ModelInfo, noise_key: tuple, noise: np.ndarray,
                   digits: np.ndarray | None, *, columns: int, scale: int, gap: int = 2) -> bytes:
    """The generator's digits as one PNG picture, `columns` to a row, or a BundleError."""
    session = sessions(model)  # checked first: a cached picture must not hide a changed file

    def draw() -> np.ndarray:
        drawn = cached_digits(model.sha256, noise_key, _session=session, _model=model,
                              _noise=noise, _digits=digits)
        return gan.tile(drawn, columns, scale=scale, gap=gap)

    return cached_picture((model.sha256, *noise_key, columns, scale, gap), _draw=draw)


# Cache keys are short tuples of ids and SHA-256s: Streamlit hashes a key on every call, and a
# manifest entry hashed field by field costs a millisecond each time.
def timeline_key(entry: GanTimelineInfo | None) -> tuple | None:
    return None if entry is None else (entry.id, entry.file_sha256, entry.losses_sha256)


def dataset_key(dataset: DatasetInfo) -> tuple:
    return dataset.id, dataset.eval_sha256, dataset.eval_file


@st.cache_resource(show_spinner=False, max_entries=16)
def _timeline_version(
    bundle_directory: str, key: tuple | None, version: tuple, *, _entry: GanTimelineInfo
) -> gan.GanTimeline:
    # Errors are never cached: a file fixed by a new study run is read on the next rerun.
    return gan.load_timeline(Path(bundle_directory), _entry)


def read_timeline(manifest: Manifest, entry: GanTimelineInfo) -> gan.GanTimeline:
    """The GAN's timeline, checked against its SHA-256, or a GanDataError."""
    directory = manifest.bundle_directory
    version = tuple(page_helpers.file_version(directory / name) for name in (entry.file, entry.losses_file))
    if None in version:
        return gan.load_timeline(directory, entry)  # raises the "missing" message
    return _timeline_version(str(directory), timeline_key(entry), version, _entry=entry)


class MeasuringSession:
    """A fresh session opened on first use, for the 1,000-digit measures: a cached session would
    keep the memory arena of its batches of 250 for the app's lifetime (tens of MB per model,
    as the re-check found); this one goes, arena and all, with the measurement."""

    def __init__(self, manifest: Manifest, model: ModelInfo):
        self.manifest, self.model, self._session = manifest, model, None

    def __call__(self):
        if self._session is None:
            self._session = page_helpers.measuring_session(self.manifest, self.model)
            inference.check_session_matches_manifest(self._session, self.model)
        return self._session


@st.cache_resource(show_spinner=False, max_entries=8)
def _judge_reference(judge_sha256: str, dataset: tuple, *, _session: MeasuringSession, _judge: ModelInfo,
                     _evaluation: EvaluationSet) -> gan.JudgeReference:
    return gan.judge_reference(_session(), _judge, _evaluation)


# 1,000 samples through the generator and the judge take a second on a school laptop: once per
# (generator, judge, test set, timeline) for the app's lifetime, whoever asked first.
@st.cache_resource(show_spinner=False, max_entries=8)
def _quality(generator_sha256: str, judge_sha256: str, dataset: tuple, timeline: tuple | None,
             *, _generator_session: MeasuringSession, _generator: ModelInfo, _judge_run,
             _reference: gan.JudgeReference,
             _timeline: gan.GanTimeline | None) -> gan.GeneratorQuality:
    return gan.measure_quality(_generator_session(), _generator, _judge_run, _reference, _timeline)


@st.cache_resource(show_spinner=False)
def _measured_keys() -> set:
    """The quality measures already made in this app: only the first visit shows a spinner (a
    spinner costs a few milliseconds on every rerun)."""
    return set()


# Plotly checks every property it is given: figures are built once per view and reused.
@st.cache_resource(show_spinner=False, max_entries=64)
def _losses_figure(timeline: tuple | None, step: int, language: str, presentation_on: bool, *,
                   _losses):
    return losses_figure(_losses, step, language=language, presentation=presentation_on)


# Keyed on the numbers a figure shows (and its labels, already in the page's language).
@st.cache_resource(show_spinner=False, max_entries=32)
def _quality_figure(kind: str, shown: tuple, class_names: tuple[str, ...], language: str,
                    presentation_on: bool, *, _values):
    if kind == "shares":
        return digit_shares_figure(_values, class_names=class_names, low=gan.MIN_DIGIT_SHARE,
                                   high=gan.MAX_DIGIT_SHARE, language=language,
                                   presentation=presentation_on)
    if kind == "asked":
        return asked_digit_figure(_values, class_names=class_names,
                                  target=gan.ASKED_DIGIT_TARGET, language=language,
                                  presentation=presentation_on)
    return frechet_figure(_values, language=language, presentation=presentation_on)


def data_uri(picture: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(picture).decode("ascii")


# The checkpoints' pictures, encoded once per timeline and layout, one pixel per pixel: the
# browser enlarges them without smoothing (the image trace's zsmooth is off), so they stay sharp.
# 16 grey levels (4-bit PNG) instead of 256: the digits look the same on a projector, and the 12
# frames weigh 210 kB instead of 470 kB, sent again on every rerun of the page.
GREY_LEVELS = 16


@st.cache_resource(show_spinner=False, max_entries=8)
def _timeline_pictures(timeline: tuple | None, columns: int, *, _images: np.ndarray) -> tuple[str, ...]:
    step = 256 // GREY_LEVELS
    palette = [level * 255 // (GREY_LEVELS - 1) for level in range(GREY_LEVELS) for _ in range(3)]

    def encoded(images: np.ndarray) -> str:
        levels = Image.fromarray((gan.tile(images, columns) // step).astype(np.uint8)).convert("P")
        levels.putpalette(palette)
        buffer = io.BytesIO()
        levels.save(buffer, format="PNG", optimize=True, bits=4)
        return data_uri(buffer.getvalue())

    return tuple(encoded(images) for images in _images)


# The figure, once per GAN, language and mode: it opens on the last checkpoint.
@st.cache_resource(show_spinner=False, max_entries=16)
def _timeline_animation(timeline: tuple | None, columns: int, language: str,
                        presentation_on: bool, *, _timeline: gan.GanTimeline):
    pictures = _timeline_pictures(timeline, columns, _images=_timeline.images)
    height, width = gan.tile(_timeline.images[0], columns).shape[:2]
    return timeline_animation_figure(list(pictures), [int(s) for s in _timeline.steps], len(pictures) - 1,
                                     width=width, height=height, language=language,
                                     presentation=presentation_on)


# The 2-D game: the recording is read and its figure built once per file version, language and
# mode, then shared by every session (a rerun only sends the cached figure again).
@st.cache_resource(show_spinner=False, max_entries=8)
def _gan_2d_view(bundle_directory: str, key: tuple, version: tuple | None, language: str,
                 presentation_on: bool, *, _entry: Gan2dRecordingInfo):
    recording = gan_2d.load_recording(Path(bundle_directory), _entry)
    return recording, gan_2d_figure(recording, language=language, presentation=presentation_on)


# --- 1. the grid -------------------------------------------------------------------------------


def _next_seed() -> None:
    # A callback: a widget's value may only be set before the widget is drawn in a run.
    st.session_state[SEED_KEY] = (int(st.session_state.get(SEED_KEY, 0)) + 1) % (MAX_SEED + 1)


def seed_input(key: str, label: str, default: int) -> int:
    if page_helpers.controls_hidden():
        return default
    page_helpers.seed_widget(key, default)
    return int(st.number_input(label, min_value=0, max_value=MAX_SEED, step=1, key=key))


def render_grid(sessions: RunSessions, generator: ModelInfo | None, language: str) -> int:
    """The grid of generated digits; returns the seed chosen (the other sections reuse it)."""
    st.header(t("gan.grid.heading", language))
    st.markdown(t("gan.grid.text", language))
    if generator is None:
        missing_generator(gan.UNCONDITIONAL, language)
        return 0
    controls, shown, _ = st.columns([1, 2.2, 0.8])
    with controls:
        if page_helpers.controls_hidden():
            count, seed = DEFAULT_GRID_SIZE, 0
        else:
            page_helpers.seed_widget(GRID_SIZE_KEY, DEFAULT_GRID_SIZE, gan.GRID_SIZES)
            count = st.segmented_control(
                t("gan.grid.count", language), options=list(gan.GRID_SIZES), required=True,
                format_func=lambda n: format_integer(n, language), key=GRID_SIZE_KEY,
            ) or DEFAULT_GRID_SIZE  # required: never None, though its type allows it
            seed = seed_input(SEED_KEY, t("gan.grid.seed", language), 0)
            st.button(
                t("gan.grid.new", language), icon=icons.ANOTHER, on_click=_next_seed, key="gan_new_grid"
            )
        st.caption(t("gan.grid.seed_help", language))
    with shown:
        columns = gan.grid_columns(count)
        try:
            latent_dim = gan.generator_inputs(generator).latent_dim
            noise = gan.noise_batch(seed, count, latent_dim)
            picture = digits_picture(sessions, generator, ("grid", seed, count), noise, None,
                                     columns=columns, scale=_scale_for(columns))
        except BundleError as error:
            page_helpers.show_error(error)
            return seed
        show_picture(
            picture,
            t("gan.grid.caption", language, count=count, seed=seed),
            t("gan.grid.alt", language, count=count),
        )
    return seed


# --- folded: interpolation ---------------------------------------------------------------------------


def render_interpolation(sessions: RunSessions, generator: ModelInfo | None, seed: int,
                         language: str) -> None:
    st.markdown(t("gan.walk.text", language, frames=gan.INTERPOLATION_FRAMES))
    if generator is None:
        missing_generator(gan.UNCONDITIONAL, language)
        return
    if page_helpers.controls_hidden():
        seed_from, seed_to = seed, seed + 1
    else:
        left, right, _ = st.columns([1, 1, 2])
        with left:
            seed_from = seed_input(FROM_SEED_KEY, t("gan.walk.from", language), seed)
        with right:
            seed_to = seed_input(TO_SEED_KEY, t("gan.walk.to", language), seed + 1)
    try:
        latent_dim = gan.generator_inputs(generator).latent_dim
        frames = gan.INTERPOLATION_FRAMES
        noise = gan.interpolation_noise(seed_from, seed_to, frames, latent_dim)
        picture = digits_picture(sessions, generator, ("walk", seed_from, seed_to, frames), noise,
                                 None, columns=frames, scale=STRIP_SCALE, gap=4)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    show_picture(
        picture,
        t("gan.walk.caption", language, start=seed_from, end=seed_to),
        t("gan.walk.alt", language, start=seed_from, end=seed_to),
    )


# --- folded: the conditional generator -------------------------------------------------------------


# A fragment: its widgets rerun only this function, not the whole page and sidebar (a class
# moving a slider together costs the server a fraction of a page each; issue #20).
@page_helpers.interactive_fragment
def render_conditional(sessions: RunSessions, generator: ModelInfo | None, seed: int,
                       language: str) -> None:
    st.markdown(t("gan.conditional.text", language, count=gan.ROW_LENGTH))
    if generator is None:
        missing_generator(gan.CONDITIONAL, language)
        return
    class_names = generator.class_names or tuple(str(d) for d in range(10))
    options = list(range(len(class_names)))
    if page_helpers.controls_hidden():
        digit = 0
    else:
        page_helpers.seed_widget(DIGIT_KEY, 0, options)
        digit = st.segmented_control(
            t("gan.conditional.digit", language), options=options, required=True,
            format_func=lambda d: class_names[d], key=DIGIT_KEY,
        ) or 0  # required: never None, though its type allows it (and 0 is its default)
    try:
        latent_dim = gan.generator_inputs(generator).latent_dim
        noise = gan.noise_batch(seed, gan.ROW_LENGTH, latent_dim)
        asked = np.full(gan.ROW_LENGTH, digit, dtype=np.int64)
        key = ("row", seed, digit, gan.ROW_LENGTH)
        picture = digits_picture(sessions, generator, key, noise, asked, columns=gan.ROW_LENGTH,
                                 scale=STRIP_SCALE, gap=4)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    show_picture(
        picture,
        t("gan.conditional.caption", language, digit=class_names[digit], seed=seed),
        t("gan.conditional.alt", language, digit=class_names[digit], count=gan.ROW_LENGTH),
    )


# --- 3. the timeline ------------------------------------------------------------------------------


# A fragment: its widgets rerun only this function, not the whole page and sidebar (a class
# moving a slider together costs the server a fraction of a page each; issue #20).
@page_helpers.interactive_fragment
def render_timeline(manifest: Manifest, dataset: str, language: str) -> None:
    st.header(t("gan.timeline.heading", language))
    st.markdown(t("gan.timeline.text", language))
    entries = gan.timeline_entries(manifest, dataset)
    if not entries:
        st.info(t("gan.timeline.missing", language, command=gan.build_command(gan.UNCONDITIONAL)),
                icon=icons.INFO)
        return
    by_id = {entry.id: entry for entry in entries}
    if page_helpers.controls_hidden() or len(entries) == 1:
        entry = entries[0]
    else:
        page_helpers.seed_widget(TIMELINE_KEY, entries[0].id, list(by_id))
        chosen = st.segmented_control(
            t("gan.timeline.which", language), options=list(by_id), required=True,
            format_func=lambda identifier: paradigm_name(by_id[identifier].paradigm, language),
            key=TIMELINE_KEY,
        )
        entry = by_id[chosen] if chosen is not None else entries[0]  # required: never None in practice
    try:
        timeline = read_timeline(manifest, entry)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    steps = [int(step) for step in timeline.steps]
    if page_helpers.controls_hidden():
        step = steps[-1]
    else:
        page_helpers.seed_widget(STEP_KEY, steps[-1], steps)
        step = st.select_slider(
            t("gan.timeline.step", language), options=steps, key=STEP_KEY,
            format_func=lambda s: format_integer(s, language),
        )
    # The animation opens on the last checkpoint whatever the slider says: it is then built once
    # per GAN, language and mode, and a slider move (which redraws only the losses chart and
    # the sentence below it) does not rebuild 24 pictures (124 ms a move when it followed the
    # slider, on the 2-core bench machine).
    last = len(steps) - 1
    pictures, chart = st.columns([2, 3])
    with pictures:
        conditional = len(timeline.digits) > 0
        columns = 10 if conditional and timeline.digits_by_column(10) else 8
        values = {"step": format_integer(steps[last], language), "count": len(timeline.images[last])}
        if columns == 10:
            caption = t("gan.timeline.caption_digits", language, **values)
        else:
            caption = t("gan.timeline.caption", language, **values)
        # The checkpoints as one animated picture: its play button runs in the browser, with no
        # rerun.
        show_chart(
            _timeline_animation(timeline_key(entry), columns, language, presentation(),
                                _timeline=timeline),
            "gan_timeline_animation",
            t("gan.timeline.alt", language, count=len(timeline.images[last]), checkpoints=len(steps)),
        )
        st.caption(caption)
        st.caption(t("gan.timeline.play_text", language, count=len(timeline.images[last])))
        if step == 0:
            st.caption(t("gan.timeline.untrained", language))
    with chart:
        if len(timeline.losses):
            show_chart(
                _losses_figure(timeline_key(entry), step, language, presentation(),
                               _losses=timeline.losses),
                "gan_losses", t("gan.losses.alt", language),
            )
        else:
            st.info(t("gan.losses.none", language))
    st.caption(t("gan.losses.caption", language))
    show_belief(timeline.losses, step, language)


def show_belief(losses, step: int, language: str) -> None:
    """What the chart shows at this step, in words made from its own numbers."""
    belief = gan.belief_at(losses, step) if len(losses) else None
    if belief is None:
        return
    real, fake = belief
    verdict = "gan.timeline.fooled" if abs(real - fake) < gan.FOOLED_GAP else "gan.timeline.still_tells"
    st.markdown(t("gan.timeline.belief", language, step=format_integer(step, language),
                  real=format_percent(real, language, digits=0), fake=format_percent(fake, language, digits=0))
                + " " + t(verdict, language))


# --- 2. the game made visible: the 2-D GAN ----------------------------------------------------


def render_gan_2d(manifest: Manifest, language: str) -> None:
    st.header(t("gan.game_2d.heading", language))
    st.markdown(t("gan.game_2d.text", language))
    entry = gan_2d.recording_entry(manifest)
    if entry is None:
        st.info(t("gan.game_2d.missing", language, command=gan_2d.build_command()), icon=icons.INFO)
        return
    directory = manifest.bundle_directory
    version = page_helpers.file_version(directory / entry.file)
    try:
        if version is None:
            gan_2d.load_recording(directory, entry)  # raises the "missing" message
        recording, figure = _gan_2d_view(str(directory), (entry.id, entry.sha256), version, language,
                                         presentation(), _entry=entry)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    shown, words = st.columns([3, 2])
    with shown:
        show_chart(figure, "gan_2d_game", t("gan.game_2d.alt", language, moments=recording.moments))
    with words:
        show_game_facts(gan_2d.game_facts(recording), language)
        if entry.train_seconds is not None:
            st.caption(t("gan.game_2d.budget", language, moments=recording.moments,
                         seconds=format_decimal(entry.train_seconds, language)))
    with st.expander(t("gan.game_2d.teacher.heading", language), icon=icons.TEACHER):
        st.markdown(t("gan.game_2d.teacher.text", language, grid=len(recording.grid),
                      command=gan_2d.build_command()))


def show_game_facts(facts: gan_2d.GameFacts, language: str) -> None:
    """What the recording shows, in sentences made from its own numbers."""
    values = {"first": format_integer(facts.first_step, language),
              "last": format_integer(facts.last_step, language),
              "start": format_decimal(facts.distance_first, language, digits=2),
              "end": format_decimal(facts.distance_last, language, digits=2)}
    st.markdown(t("gan.game_2d.facts.closer" if facts.came_closer else "gan.game_2d.facts.not_closer", language, **values))
    if facts.clusters_last == facts.clusters:
        st.markdown(t("gan.game_2d.facts.all_clusters", language, clusters=facts.clusters))
    else:
        st.markdown(t("gan.game_2d.facts.clusters", language, reached=facts.clusters_last,
                      clusters=facts.clusters, reached_first=facts.clusters_first))
    real, fake = facts.real_on_real_last, facts.real_on_fake_last
    verdict = "gan.game_2d.facts.fooled" if facts.fooled else "gan.game_2d.facts.still_tells"
    st.markdown(t("gan.game_2d.facts.belief", language, real=format_percent(real, language, digits=0),
                  fake=format_percent(fake, language, digits=0)) + " " + t(verdict, language))


# --- 4. real or fake? --------------------------------------------------------------------------

# The round's digits in the summary: enlarged this many times, framed in the colour of the
# class's answer (the mark under each says it in words too, for whoever tells no colours apart).
SUMMARY_SCALE = 4
SUMMARY_FRAME = 5
FRAME_COLOURS = {True: (0, 114, 60), False: (213, 94, 0), None: (150, 150, 150)}  # right, wrong, no vote


def _game() -> GameState | None:
    state = st.session_state.get(GAME_KEY)
    return state if isinstance(state, GameState) else None


def _update_game(change, *args) -> None:
    # A callback: it runs before the next run draws the game. A session that lost its game (a
    # server restart) gets a new one drawn by the page instead of an error.
    state = _game()
    if state is not None:
        st.session_state[GAME_KEY] = change(state, *args)


def _vote(answer: str, probability: float) -> None:
    _update_game(gan.vote, answer, probability)


def _reveal(probability: float) -> None:
    _update_game(gan.reveal, probability)


def _next_digit() -> None:
    _update_game(gan.next_digit)


def _new_round() -> None:
    _update_game(gan.new_round)


def _reset() -> None:
    _update_game(gan.reset, secrets.randbits(31))


def round_image(sessions: RunSessions, generator: ModelInfo, digit: gan.GameDigit,
                evaluation: EvaluationSet) -> np.ndarray:
    """uint8 (28, 28): the game's digit, a test image or one the generator draws."""
    if digit.truth == gan.REAL:
        return evaluation.images[digit.test_index]
    latent_dim = gan.generator_inputs(generator).latent_dim
    assert digit.noise_seed is not None  # a fake digit always draws its noise seed
    noise = gan.noise_batch(digit.noise_seed, 1, latent_dim)
    drawn = cached_digits(generator.sha256, ("game", digit.noise_seed),
                          _session=sessions(generator), _model=generator, _noise=noise,
                          _digits=None)
    return drawn[0]


def framed(image: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    """uint8 RGB: the digit enlarged SUMMARY_SCALE times, pixel for pixel, in a coloured frame."""
    enlarged = gan.tile(image[None], 1, scale=SUMMARY_SCALE, gap=0)
    side = enlarged.shape[0] + 2 * SUMMARY_FRAME
    picture = np.empty((side, side, 3), dtype=np.uint8)
    picture[:] = colour
    picture[SUMMARY_FRAME:-SUMMARY_FRAME, SUMMARY_FRAME:-SUMMARY_FRAME] = enlarged[..., None]
    return picture


# A fragment: its widgets rerun only this function, not the whole page and sidebar (a class
# moving a slider together costs the server a fraction of a page each; issue #20).
@page_helpers.interactive_fragment
def render_game(sessions: RunSessions, generator: ModelInfo | None,
                discriminator: ModelInfo | None, evaluation: EvaluationSet | None,
                class_names: tuple[str, ...], language: str) -> None:
    st.header(t("gan.game.heading", language))
    st.markdown(t("gan.game.text", language, count=gan.ROUND_LENGTH))
    if generator is None or discriminator is None:
        missing_generator(gan.UNCONDITIONAL, language)
        return
    if evaluation is None:
        return  # the evaluation set's own message is already on the page
    state = _game()
    if state is None or state.n_test != len(evaluation.labels):
        state = gan.new_game(secrets.randbits(31), len(evaluation.labels))
        st.session_state[GAME_KEY] = state
    try:
        image = round_image(sessions, generator, state.digit, evaluation)
        # The discriminator judges exactly the picture the class sees (rounded to 8 bits).
        unit_image = image[None].astype(np.float32) / 255.0
        probability = float(gan.real_probability(sessions(discriminator), discriminator,
                                                 unit_image)[0])
    except BundleError as error:
        page_helpers.show_error(error)
        return
    digit_column, play_column, score_column = st.columns([2, 3, 2])
    with digit_column:
        show_picture(
            png(gan.tile(image[None], 1, scale=GAME_SCALE, gap=0)),
            t("gan.game.round", language, round=state.round_number, number=state.digit_in_round,
              total=gan.ROUND_LENGTH),
            t("gan.game.alt", language),
        )
    with play_column:
        st.markdown(t("gan.game.question", language))
        real_button, fake_button = st.columns(2)
        # Labels wrap instead of being cut: projector type is large and the columns are narrow.
        real_button.button(t("gan.game.vote_real", language), icon=icons.HUMAN, key="gan_vote_real",
                           on_click=_vote, args=(gan.REAL, probability), disabled=state.revealed,
                           width="stretch", wrap=True)
        fake_button.button(t("gan.game.vote_fake", language), icon=icons.MACHINE, key="gan_vote_fake",
                           on_click=_vote, args=(gan.FAKE, probability), disabled=state.revealed,
                           width="stretch", wrap=True)
        if state.revealed:
            render_reveal(state, evaluation, class_names, language)
        else:
            st.button(t("gan.game.reveal", language), icon=icons.REVEAL, key="gan_reveal",
                      on_click=_reveal, args=(probability,), wrap=True)
        next_column, reset_column = st.columns(2)
        if not state.round_over:  # at the round's end, "new round" waits under its summary
            # The next digit only after the answer: no digit is skipped unscored.
            next_column.button(t("gan.game.next", language), icon=icons.NEXT, key="gan_next",
                               on_click=_next_digit, disabled=not state.revealed,
                               type="primary" if state.revealed else "secondary",
                               width="stretch", wrap=True)
        reset_column.button(t("gan.game.reset", language), icon=icons.RESET, key="gan_reset",
                            on_click=_reset, width="stretch", wrap=True)
    with score_column:
        render_scores(state, language)
    summary = gan.round_summary(state)
    if summary is not None:
        render_summary(sessions, generator, summary, evaluation, language)


def render_scores(state: GameState, language: str) -> None:
    """This round's scores, then every round's together once there was more than one."""
    class_right, class_votes, discriminator_right = state.round_points
    st.metric(t("gan.game.class_score", language),
              t("gan.game.score", language, right=class_right, total=class_votes))
    st.metric(t("gan.game.discriminator_score", language),
              t("gan.game.score", language, right=discriminator_right, total=len(state.this_round)))
    st.caption(t("gan.game.score_caption", language))
    if state.round_number > 1:
        st.caption(t("gan.game.totals", language, digits=state.discriminator_digits,
                     class_right=state.class_right, class_votes=state.class_votes,
                     discriminator_right=state.discriminator_right))


def winner_text(summary: gan.RoundSummary, language: str) -> str:
    points = {"class_right": summary.class_right, "discriminator_right": summary.discriminator_right}
    if summary.winner == gan.CLASS:
        return t("gan.game.summary.class_wins", language, **points)
    if summary.winner == gan.DISCRIMINATOR:
        return t("gan.game.summary.discriminator_wins", language, **points)
    return t("gan.game.summary.tie", language, points=summary.class_right)


def render_summary(sessions: RunSessions, generator: ModelInfo, summary: gan.RoundSummary,
                   evaluation: EvaluationSet, language: str) -> None:
    """The round's end, large enough for the back of the room: who won, both scores, the ten
    digits with what each was and whether the class found it, then the next round."""
    try:
        pictures = [png(framed(round_image(sessions, generator, shown.digit, evaluation),
                               FRAME_COLOURS[shown.class_was_right]))
                    for shown in summary.digits]
    except BundleError as error:
        page_helpers.show_error(error)
        pictures = []
    with st.container(border=True, key="gan_round_summary"):
        st.markdown(f"### {t('gan.game.summary.heading', language, round=summary.round_number)}")
        st.markdown(f"## {winner_text(summary, language)}")
        class_column, discriminator_column, words = st.columns([1, 1, 2])
        class_column.metric(t("gan.game.class_score", language),
                            t("gan.game.score", language, right=summary.class_right,
                              total=summary.class_votes))
        discriminator_column.metric(t("gan.game.discriminator_score", language),
                                    t("gan.game.score", language, right=summary.discriminator_right,
                                      total=summary.discriminator_digits))
        words.caption(t("gan.game.summary.caption", language, votes=summary.class_votes,
                        total=summary.discriminator_digits))
        if pictures:
            st.markdown(t("gan.game.summary.row", language))
            for place, (column, shown, picture) in enumerate(
                    zip(st.columns(len(pictures)), summary.digits, pictures), start=1):
                truth = t({gan.REAL: "gan.game.summary.real", gan.FAKE: "gan.game.summary.fake"}[shown.digit.truth],
                          language)
                mark = t({True: "gan.game.summary.class_right", False: "gan.game.summary.class_wrong",
                          None: "gan.game.summary.no_vote"}[shown.class_was_right], language)
                with column:
                    st.image(picture, width="stretch", output_format="PNG",
                             alt=t("gan.game.summary.alt", language, number=place, truth=truth, mark=mark))
                    st.markdown(f"**{truth}**  \n{mark}")
        st.button(t("gan.game.new_round", language), icon=icons.NEXT, key="gan_new_round",
                  on_click=_new_round, type="primary")


def render_reveal(state: GameState, evaluation: EvaluationSet, class_names: tuple[str, ...],
                  language: str) -> None:
    current = state.digit
    if current.truth == gan.REAL:
        label = int(evaluation.labels[current.test_index])
        name = class_names[label] if label < len(class_names) else str(label)
        truth = t("gan.game.truth_real", language, index=current.test_index, digit=name)
    else:
        truth = t("gan.game.truth_fake", language, seed=current.noise_seed)
    if state.vote is None:
        st.info(t("gan.game.no_vote", language, truth=truth))
    elif state.class_was_right:
        st.success(t("gan.game.class_right", language, truth=truth), icon=icons.CLASS_RIGHT)
    else:
        st.warning(t("gan.game.class_wrong", language, truth=truth), icon=icons.CLASS_WRONG)
    if state.real_probability is None:  # recorded at the reveal; a reveal without it shows no verdict
        return
    verdict, confidence = gan.discriminator_verdict(state.real_probability)
    right = verdict == current.truth
    st.markdown(
        t(
            "gan.game.discriminator",
            language,
            verdict=t("gan.game.says_real", language)
            if verdict == gan.REAL
            else t("gan.game.says_fake", language),
            confidence=format_percent(confidence, language, digits=0),
            mark=t("gan.game.right" if right else "gan.game.wrong", language),
        )
    )


# --- folded: quality --------------------------------------------------------------------------------


def render_quality(sessions: RunSessions, dataset: DatasetInfo,
                   generators: dict[str, ModelInfo], evaluation: EvaluationSet | None,
                   language: str) -> None:
    samples = format_integer(gan.QUALITY_SAMPLES, language)
    st.markdown(t("gan.quality.text", language, samples=samples))
    manifest = sessions.manifest
    judge = gan.judge_model(manifest, dataset.id)
    if judge is None:
        command = gan.judge_rebuild_command()
        st.info(t("gan.quality.no_judge", language, command=command), icon=icons.INFO)
        return
    if evaluation is None:
        return
    judge_session = MeasuringSession(manifest, judge)  # opened only if something is measured
    try:
        reference = _judge_reference(judge.sha256, dataset_key(dataset), _session=judge_session,
                                     _judge=judge,
                                     _evaluation=evaluation)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    st.caption(t("gan.quality.judge", language,
                 accuracy=format_percent(reference.accuracy, language)))

    def judge_run(images: np.ndarray) -> np.ndarray:
        return gan.judge_logits(judge_session(), judge, images)

    class_names = judge.class_names or tuple(str(d) for d in range(10))
    measured: dict[str, gan.GeneratorQuality] = {}
    for paradigm, generator in generators.items():
        entry = gan.timeline_of(manifest, generator)
        try:
            timeline = read_timeline(manifest, entry) if entry is not None else None
        except BundleError as error:
            page_helpers.show_error(error)  # the distances still show, without the early one
            entry = timeline = None
        key = (generator.sha256, judge.sha256, dataset_key(dataset), timeline_key(entry))
        try:
            inputs: dict[str, Any] = {"_generator_session": MeasuringSession(manifest, generator), "_generator": generator,
                      "_judge_run": judge_run, "_reference": reference, "_timeline": timeline}
            if key in _measured_keys():
                measured[paradigm] = _quality(*key, **inputs)
            else:  # the first visit waits a second: say why
                name = paradigm_name(paradigm, language)
                with st.spinner(t("gan.quality.measuring", language, name=name)):
                    measured[paradigm] = _quality(*key, **inputs)
                _measured_keys().add(key)
        except BundleError as error:
            page_helpers.show_error(error)
    if not measured:
        return
    left, right = st.columns(2)
    unconditional = measured.get(gan.UNCONDITIONAL)
    conditional = measured.get(gan.CONDITIONAL)
    with left:
        if unconditional is not None:
            render_shares(unconditional, class_names, language)
    with right:
        if conditional is not None:
            render_asked(conditional, class_names, language)
    render_frechet(measured, reference, language)


def render_shares(quality: gan.GeneratorQuality, class_names, language: str) -> None:
    name = paradigm_name(quality.paradigm, language)
    st.markdown(f"**{t('gan.shares.heading', language, name=name)}**")
    show_chart(
        _quality_figure("shares", tuple(quality.shares), tuple(class_names), language,
                        presentation(), _values=quality.shares),
        "gan_shares", t("gan.shares.alt", language),
    )
    too_many, too_few = gan.shares_outside_targets(quality.shares)
    high = format_percent(gan.MAX_DIGIT_SHARE, language, digits=0)
    low = format_percent(gan.MIN_DIGIT_SHARE, language, digits=0)
    if not too_many and not too_few:
        st.success(t("gan.shares.ok", language, high=high, low=low))
        return
    if too_many:
        digits = ", ".join(class_names[d] for d in too_many)
        st.warning(t("gan.shares.too_many", language, digits=digits, high=high))
    if too_few:
        digits = ", ".join(class_names[d] for d in too_few)
        st.warning(t("gan.shares.too_few", language, digits=digits, low=low))


def render_asked(quality: gan.GeneratorQuality, class_names, language: str) -> None:
    if quality.asked_right is None or quality.asked_right_by_digit is None:  # not a conditional GAN
        return
    st.markdown(f"**{t('gan.asked.heading', language)}**")
    st.metric(
        t("gan.asked.metric", language),
        format_percent(quality.asked_right, language),
        delta=t("gan.asked.delta", language,
                target=format_percent(gan.ASKED_DIGIT_TARGET, language, digits=0)),
        delta_color="off",
        delta_arrow="off",
    )
    show_chart(
        _quality_figure("asked", tuple(quality.asked_right_by_digit), tuple(class_names),
                        language, presentation(), _values=quality.asked_right_by_digit),
        "gan_asked", t("gan.asked.alt", language),
    )


def render_frechet(measured: dict[str, gan.GeneratorQuality], reference: gan.JudgeReference,
                   language: str) -> None:
    # A measure for the teacher (scores, a distance between distributions), inside the folded
    # "how good is the forger" part (an expander cannot hold another).
    st.markdown(f"##### {t('gan.frechet.heading', language)}")
    show_frechet(measured, reference, language)


def show_frechet(measured: dict[str, gan.GeneratorQuality], reference: gan.JudgeReference,
                 language: str) -> None:
    bars = [
        FrechetBar(
            t("gan.frechet.halves", language, count=format_integer(reference.half_size, language)),
            reference.frechet_halves, "reference",
        )
    ]
    for paradigm, quality in measured.items():
        name = paradigm_name(paradigm, language)
        trained = t("gan.frechet.trained", language, name=name)
        bars.append(FrechetBar(trained, quality.frechet, "trained"))
        if quality.frechet_early is not None:
            step = format_integer(quality.early_step or 0, language)  # set with frechet_early
            bars.append(FrechetBar(t("gan.frechet.early", language, name=name, step=step),
                                   quality.frechet_early, "early"))
    show_chart(
        _quality_figure("frechet", tuple(bars), (), language, presentation(), _values=bars),
        "gan_frechet", t("gan.frechet.alt", language),
    )
    st.caption(t("gan.frechet.caption", language))


# --- 5. where the labels come from ------------------------------------------------------------


def render_labels(manifest: Manifest | None, language: str) -> None:
    st.header(t("gan.labels.heading", language))
    st.markdown(t("gan.labels.text", language))
    st.markdown(t("gan.labels.between", language))
    st.markdown(
        t(
            "gan.labels.study",
            language,
            semi=paradigm_name("semi_supervised_gan", language),
            probe=paradigm_name("gan_probe", language),
        )
    )
    if manifest is not None:
        page_helpers.study_link_for_family(manifest, gan.FAMILY, t("gan.go_study", language))


# --- the page ----------------------------------------------------------------------------------


def missing_generator(paradigm: str, language: str) -> None:
    st.info(
        t("gan.missing", language, name=paradigm_name(paradigm, language),
          command=gan.build_command(paradigm)),
        icon=icons.INFO,
    )


def choose_dataset(datasets: list[str], language: str) -> str:
    if len(datasets) == 1 or page_helpers.controls_hidden():
        return datasets[0]
    page_helpers.seed_widget(DATASET_KEY, datasets[0], datasets)
    return st.selectbox(t("gan.dataset", language), datasets, key=DATASET_KEY)


def render_gan() -> None:
    language = page_helpers.current_language()
    st.title(t("gan.heading", language))
    st.markdown(t("gan.intro", language))
    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        render_labels(None, language)
        return
    datasets = gan.gan_datasets(manifest)
    if not datasets:
        st.info(
            t("gan.no_models", language, command=gan.build_command(gan.UNCONDITIONAL),
              conditional=gan.build_command(gan.CONDITIONAL)),
            icon=icons.INFO,
        )
        render_labels(manifest, language)
        return
    dataset = manifest.dataset(choose_dataset(datasets, language))
    dataset_id = dataset.id if dataset is not None else datasets[0]
    generators = {
        paradigm: model
        for paradigm in gan.GENERATOR_PARADIGMS
        if (model := gan.generator_model(manifest, paradigm, dataset_id)) is not None
    }
    unconditional = generators.get(gan.UNCONDITIONAL)
    evaluation = None
    if dataset is not None:
        try:
            evaluation = page_helpers.read_evaluation_set(manifest, dataset)
        except BundleError as error:
            page_helpers.show_error(error)  # the game and the quality need the test digits

    sessions = RunSessions(manifest)
    # The class's view: digits nobody wrote, the game made visible, the digits learning, the
    # class playing against the discriminator, and where the labels come from. The walk between
    # digits, the conditional GAN and the measures of quality wait folded.
    seed = render_grid(sessions, unconditional, language)
    render_gan_2d(manifest, language)
    render_timeline(manifest, dataset_id, language)
    class_names = (dataset.class_names if dataset is not None else ()) or tuple(
        str(digit) for digit in range(10))
    discriminator = gan.discriminator_model(manifest, dataset_id)
    render_game(sessions, unconditional, discriminator, evaluation, class_names, language)
    render_labels(manifest, language)
    with page_helpers.going_further(t("gan.walk.heading", language)):
        render_interpolation(sessions, unconditional, seed, language)
    with page_helpers.going_further(t("gan.conditional.heading", language)):
        render_conditional(sessions, generators.get(gan.CONDITIONAL), seed, language)
    if dataset is not None:
        with page_helpers.going_further(t("gan.quality.heading", language)):
            render_quality(sessions, dataset, generators, evaluation, language)


render_gan()
