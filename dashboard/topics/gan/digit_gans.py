"""The GAN page's logic: which GAN models the bundle ships, drawing digits with them through ONNX
Runtime, the training timeline, the "real or fake?" game in rounds of ten and the quality measures.

A GAN's generator turns a vector of random numbers (the noise) into a digit; its discriminator
learned to tell the pool's real digits from the generator's, with labels nobody typed: an image
is "real" when it came from the pool and "fake" when the generator just drew it. This module
draws digits from any seed the class picks (numpy's default_rng, standard normal, float32), walks
from one noise vector to another, keeps the score of the classroom game, and measures the
generator against a "judge": the shipped supervised classifier trained on every label (seed 0),
which never saw a generated digit. The Fréchet distance is computed in the judge's ten output
scores (logits): the shipped classifiers expose nothing else.

Nothing here imports streamlit: tests/test_dashboard_gan.py calls it directly, and
dashboard/topics/gan/page.py only lays the results out.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core import bundle_reader as bundle
from dashboard.core.bundle_reader import (
    BundleError,
    EvaluationSet,
    GanTimelineInfo,
    Manifest,
    ModelError,
    ModelInfo,
    TensorSpec,
    model_rebuild_command,
    paradigm_study_command,
)
from dashboard.core.inference import run_failed, run_logits, scale_to_model_input, shape_error, shape_text

FAMILY = "gan"
GENERATOR_ROLE = "generator"
DISCRIMINATOR_ROLE = "discriminator"
UNCONDITIONAL = "dcgan"  # draws any digit; ships the discriminator the game asks
CONDITIONAL = "conditional_gan"  # draws the digit it is asked for
GENERATOR_PARADIGMS = (UNCONDITIONAL, CONDITIONAL)
# The study's GAN paradigms, which the page explains and links to (their numbers are in the study).
STUDY_PARADIGMS = ("semi_supervised_gan", "gan_probe")

# The judge of the quality measures: a classifier trained apart from every GAN, on every label.
JUDGE_PARADIGM, JUDGE_FRACTION, JUDGE_SEED = "supervised", 1.0, 0

IMAGE_SIDE = 28
GRID_SIZES = (16, 36, 64)
INTERPOLATION_FRAMES = 10
ROW_LENGTH = 12
# Sessions keep the memory arena of their largest batch for as long as they live (cached ones
# for the whole app): batches of 250 hold that to a few tens of megabytes.
GENERATION_BATCH_SIZE = 250

QUALITY_SAMPLES = 1000
QUALITY_NOISE_SEED = 20240  # any fixed seed: the same 1,000 digits on every visit
# The issues' targets: no digit drawn in more than 15 % of the samples, none in fewer than 5 %
# (issue #16; a missing digit is mode collapse); the conditional GAN's digit read as asked at
# least 90 %.
MAX_DIGIT_SHARE = 0.15
MIN_DIGIT_SHARE = 0.05
ASKED_DIGIT_TARGET = 0.90
TEST_HALVES_SEED = 0

# The losses file's columns (averages over the last 25 training steps at each row's step).
LOSS_COLUMNS = (
    "step",
    "discriminator_loss",
    "generator_loss",
    "mean_real_probability_on_real",
    "mean_real_probability_on_fake",
)


class GanDataError(BundleError):
    """A GAN's timeline or losses file is missing, changed or malformed."""


# --- which models the bundle holds -------------------------------------------------------------


def build_command(paradigm: str) -> str:
    """The command that (re)makes a GAN paradigm's generator, discriminator and timeline."""
    return paradigm_study_command(paradigm)


def _lowest_seed(models: list[ModelInfo]) -> ModelInfo | None:
    return min(models, key=lambda model: model.seed or 0, default=None)


def _shipped(manifest: Manifest, role: str, paradigm: str, dataset: str) -> ModelInfo | None:
    """The paradigm's model of this role on this data set; the lowest seed if several ship."""
    return _lowest_seed([model for model in manifest.models
                         if model.role == role and model.paradigm == paradigm and model.dataset == dataset])


def generator_model(manifest: Manifest, paradigm: str, dataset: str) -> ModelInfo | None:
    """The paradigm's generator on this data set; the lowest seed if several ship."""
    return _shipped(manifest, GENERATOR_ROLE, paradigm, dataset)


def discriminator_model(manifest: Manifest, dataset: str) -> ModelInfo | None:
    """The unconditional GAN's discriminator on this data set (the conditional one ships none:
    its verdict needs the digit asked for, which a real test digit does not come with)."""
    return _shipped(manifest, DISCRIMINATOR_ROLE, UNCONDITIONAL, dataset)


def judge_model(manifest: Manifest, dataset: str) -> ModelInfo | None:
    """The shipped supervised classifier at 100 % labels, seed 0, on this data set."""
    return next(
        (
            model
            for model in manifest.models
            if model.role == "classifier"
            and model.paradigm == JUDGE_PARADIGM
            and model.label_fraction == JUDGE_FRACTION
            and model.seed == JUDGE_SEED
            and model.dataset == dataset
            and model.encoder is None
        ),
        None,
    )


def judge_rebuild_command() -> str:
    return bundle.point_rebuild_command(JUDGE_PARADIGM, JUDGE_FRACTION, JUDGE_SEED)


def gan_datasets(manifest: Manifest) -> list[str]:
    """Data sets with a generator, in the order the manifest lists them."""
    return list(
        dict.fromkeys(
            model.dataset
            for model in manifest.models
            if model.role == GENERATOR_ROLE and model.dataset
        )
    )


def timeline_entries(manifest: Manifest, dataset: str) -> list[GanTimelineInfo]:
    """The GANs' timelines on this data set, the unconditional one first."""
    order = {paradigm: index for index, paradigm in enumerate(GENERATOR_PARADIGMS)}
    entries = [entry for entry in manifest.gan_timelines if entry.dataset == dataset]
    return sorted(entries, key=lambda e: (order.get(e.paradigm, len(order)), e.seed or 0, e.id))


def timeline_of(manifest: Manifest, generator: ModelInfo) -> GanTimelineInfo | None:
    return next((e for e in manifest.gan_timelines if e.generator == generator.id), None)


# --- the generator's inputs ------------------------------------------------------------------


class GeneratorFactsError(ModelError):
    """A generator's manifest entry does not describe the inputs the page needs."""


def _facts_error(model: ModelInfo, field: str) -> GeneratorFactsError:
    return GeneratorFactsError(
        "error.generator_facts",
        model_id=model.id,
        field=field,
        command=model_rebuild_command(model),
    )


@dataclass(frozen=True)
class GeneratorInputs:
    noise: TensorSpec  # float32 (B, latent_dim), standard normal
    digit: TensorSpec | None  # int64 (B,): the digit asked for, conditional generators only

    @property
    def latent_dim(self) -> int:
        return int(self.noise.shape[-1])


def generator_inputs(model: ModelInfo) -> GeneratorInputs:
    """The noise input and, for a conditional generator, the digit input, told apart by their
    types as the manifest declares them (a float vector and an integer)."""
    noise = [spec for spec in model.inputs if spec.dtype.startswith("float")]
    digit = [spec for spec in model.inputs if spec.dtype.startswith("int")]
    if len(noise) != 1 or len(noise[0].shape) != 2 or not isinstance(noise[0].shape[1], int):
        raise _facts_error(model, "inputs (noise)")
    if len(digit) > 1 or (digit and len(digit[0].shape) != 1):
        raise _facts_error(model, "inputs (digit)")
    if not model.outputs:
        raise _facts_error(model, "outputs")
    return GeneratorInputs(noise=noise[0], digit=digit[0] if digit else None)


def is_conditional(model: ModelInfo) -> bool:
    return generator_inputs(model).digit is not None


def noise_batch(seed: int, count: int, latent_dim: int) -> np.ndarray:
    """(count, latent_dim) float32, standard normal, from numpy's default_rng(seed). The first k
    rows do not depend on count: the first digit of a seed's grid is that seed's digit."""
    return np.random.default_rng(seed).standard_normal((count, latent_dim), dtype=np.float32)


def spherical_interpolation(start: np.ndarray, end: np.ndarray, frames: int) -> np.ndarray:
    """(frames, D) float32 from `start` to `end`, both included, along the great circle.

    Spherical, not linear: 64 standard normal numbers almost always have a length close to 8,
    and the generator only ever saw noise of that length. A straight line between two such
    vectors passes closer to the centre (about 8 / sqrt(2) half-way for two unrelated ones), so
    the middle frames would come from noise the generator never trained on and look washed out.
    The arc keeps every frame at about the length of its ends."""
    start = start.astype(np.float64)
    end = end.astype(np.float64)
    weights = np.linspace(0.0, 1.0, frames)[:, None]  # (frames, 1)
    norms = np.linalg.norm(start) * np.linalg.norm(end)
    cosine = np.clip(np.dot(start, end) / norms, -1.0, 1.0) if norms > 0 else 1.0
    angle = float(np.arccos(cosine))
    if angle < 1e-6:  # the same direction: the arc is the line
        path = (1.0 - weights) * start + weights * end
    else:
        path = (
            np.sin((1.0 - weights) * angle) * start + np.sin(weights * angle) * end
        ) / np.sin(angle)
    return path.astype(np.float32)


def interpolation_noise(seed_from: int, seed_to: int, frames: int, latent_dim: int) -> np.ndarray:
    """(frames, latent_dim): from the first noise vector of one seed to that of another."""
    start = noise_batch(seed_from, 1, latent_dim)[0]
    end = noise_batch(seed_to, 1, latent_dim)[0]
    return spherical_interpolation(start, end, frames)


# --- running the shipped networks --------------------------------------------------------------


def generate(
    session, model: ModelInfo, noise: np.ndarray, digits: np.ndarray | None = None
) -> np.ndarray:
    """The generator's digits for `noise` (B, latent_dim) [and `digits` (B,) int]: float32
    (B, 28, 28) in [0, 1], white ink on black. A conditional generator needs `digits`."""
    inputs = generator_inputs(model)
    if inputs.digit is not None and (digits is None or len(digits) != len(noise)):
        raise ValueError("a conditional generator needs one digit per noise vector")
    if noise.ndim != 2 or noise.shape[1] != inputs.latent_dim:
        raise shape_error(model, inputs.noise.name, f"(B, {inputs.latent_dim})", shape_text(noise.shape))
    output_name = model.outputs[0].name
    parts = []
    for start in range(0, len(noise), GENERATION_BATCH_SIZE):
        chunk = noise[start : start + GENERATION_BATCH_SIZE]  # (b, latent_dim)
        feeds = {inputs.noise.name: np.ascontiguousarray(chunk, dtype=np.float32)}
        if inputs.digit is not None:
            assert digits is not None  # checked above: a conditional generator was given digits
            asked = digits[start : start + GENERATION_BATCH_SIZE]  # (b,)
            feeds[inputs.digit.name] = np.ascontiguousarray(asked, dtype=np.int64)
        try:
            (images,) = session.run([output_name], feeds)  # (b, 1, 28, 28)
        # ONNX Runtime raises many unrelated types; to a user each means: rebuild the model.
        except Exception as error:
            raise run_failed(model) from error
        expected = (len(feeds[inputs.noise.name]), 1, IMAGE_SIDE, IMAGE_SIDE)
        if images.shape != expected:
            raise shape_error(model, output_name, "(B, 1, 28, 28)", shape_text(images.shape))
        parts.append(images[:, 0])
    if not parts:
        return np.zeros((0, IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    return np.clip(np.concatenate(parts), 0.0, 1.0).astype(np.float32, copy=False)


def real_probability(session, model: ModelInfo, unit_images: np.ndarray) -> np.ndarray:
    """The discriminator's belief that each image (N, 28, 28) in [0, 1] is a real digit, (N,)."""
    batch = scale_to_model_input(unit_images, model)
    input_name = model.inputs[0].name
    output_name = model.outputs[0].name
    try:
        (probability,) = session.run([output_name], {input_name: batch})
    except Exception as error:
        raise run_failed(model) from error
    probability = np.asarray(probability, dtype=np.float64).reshape(-1)
    if len(probability) != len(unit_images) or not np.all(np.isfinite(probability)):
        raise shape_error(model, output_name, "(B,)", shape_text(np.shape(probability)))
    return np.clip(probability, 0.0, 1.0)


def judge_logits(session, model: ModelInfo, unit_images: np.ndarray) -> np.ndarray:
    """The judge's ten scores (N, 10) for images (N, 28, 28) in [0, 1], run by batches."""
    parts = []
    for start in range(0, len(unit_images), GENERATION_BATCH_SIZE):
        batch = scale_to_model_input(unit_images[start : start + GENERATION_BATCH_SIZE], model)
        parts.append(run_logits(session, model, batch))
    return np.concatenate(parts).astype(np.float64)


# --- pictures -----------------------------------------------------------------------------------


def to_uint8(unit_images: np.ndarray) -> np.ndarray:
    """float in [0, 1] -> uint8 in [0, 255], what a screen shows."""
    return np.clip(np.round(unit_images * 255.0), 0, 255).astype(np.uint8)


GAP_VALUE = 110  # a mid grey between digits: black paper would run from one digit into the next


def tile(images: np.ndarray, columns: int, *, scale: int = 1, gap: int = 2) -> np.ndarray:
    """uint8 images (N, H, W) as one picture, `columns` to a row, each enlarged `scale` times
    pixel for pixel (a browser scaling a small picture up would blur it), grey lines between."""
    images = images if images.dtype == np.uint8 else to_uint8(images)
    count, height, width = images.shape
    columns = max(1, min(columns, count)) if count else 1
    rows = max(1, -(-count // columns))
    cell_height, cell_width = height * scale, width * scale
    picture = np.full(
        (rows * (cell_height + gap) - gap, columns * (cell_width + gap) - gap),
        GAP_VALUE,
        dtype=np.uint8,
    )
    for index in range(count):
        row, column = divmod(index, columns)
        top, left = row * (cell_height + gap), column * (cell_width + gap)
        enlarged = np.repeat(np.repeat(images[index], scale, axis=0), scale, axis=1)
        picture[top : top + cell_height, left : left + cell_width] = enlarged
    return picture


def grid_columns(count: int) -> int:
    """Columns of a square-ish grid: 16 -> 4, 36 -> 6, 64 -> 8."""
    return max(1, int(np.ceil(np.sqrt(count))))


# --- the training timeline ---------------------------------------------------------------------


@dataclass(frozen=True)
class GanTimeline:
    steps: np.ndarray  # (K,) int, step 0 is the untrained generator
    images: np.ndarray  # (K, 64, 28, 28) uint8: the fixed noise batch at each step
    early_step: int
    early_samples: np.ndarray  # (S, 28, 28) uint8, drawn by the generator as it was at early_step
    digits: np.ndarray  # (64,) int64: the digit each cell was asked for; empty if unconditional
    losses: pd.DataFrame  # LOSS_COLUMNS, one row per 25 steps (none if training was shorter)

    def digits_by_column(self, columns: int) -> bool:
        """Whether cell i asked for digit i mod `columns`, so each column is one digit."""
        if len(self.digits) != len(self.images[0]):
            return False
        return bool(np.all(self.digits == np.arange(len(self.digits)) % columns))


# Beliefs on real and fake digits closer than this: the discriminator can hardly tell them apart.
FOOLED_GAP = 0.15


def belief_at(losses: pd.DataFrame, step: int) -> tuple[float, float] | None:
    """The discriminator's mean belief that real digits, then generated ones, are real, as
    last recorded at or before `step`; None where nothing was recorded yet."""
    recorded = losses[losses["step"] <= step]
    if recorded.empty:
        return None
    last = recorded.iloc[-1]
    return float(last["mean_real_probability_on_real"]), float(last["mean_real_probability_on_fake"])


def _path_inside(bundle_directory: Path, relative: str) -> Path | None:
    path = (bundle_directory / relative).resolve()
    return path if path.is_relative_to(bundle_directory.resolve()) else None


def load_timeline(bundle_directory: Path, entry: GanTimelineInfo) -> GanTimeline:
    """The GAN's timeline and losses, each checked against the manifest's SHA-256 (read-only
    arrays), or a GanDataError naming the file and the command that rebuilds it."""
    command = build_command(entry.paradigm)
    files = ((entry.file, entry.file_sha256), (entry.losses_file, entry.losses_sha256))
    paths = []
    for relative, digest in files:
        values = {"gan": entry.id, "path": relative, "command": command}
        path = _path_inside(bundle_directory, relative)
        if path is None or not path.is_file():
            raise GanDataError("error.gan_timeline_missing", **values)
        try:
            if digest is not None and bundle.file_sha256(path) != digest:
                raise GanDataError("error.gan_timeline_invalid", **values)
        except OSError as error:
            raise GanDataError("error.gan_timeline_missing", **values) from error
        paths.append(path)
    timeline_path, losses_path = paths
    invalid = GanDataError(
        "error.gan_timeline_invalid", gan=entry.id, path=entry.file, command=command
    )
    try:
        # allow_pickle=False: a damaged or hostile file must not run code on load.
        with np.load(timeline_path, allow_pickle=False) as archive:
            steps = np.asarray(archive["steps"]).astype(np.int64)
            images = np.asarray(archive["images"])
            early_step = int(archive["early_step"])
            early_samples = np.asarray(archive["early_samples"])
            digits = np.asarray(archive["digits"]) if "digits" in archive.files else np.zeros(0)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        raise invalid from error
    well_formed = (
        images.dtype == np.uint8
        and images.ndim == 4
        and images.shape[0] == len(steps) > 0
        and images.shape[2:] == (IMAGE_SIDE, IMAGE_SIDE)
        and early_samples.dtype == np.uint8
        and early_samples.ndim == 3
        and len(early_samples) > 1
        and early_samples.shape[1:] == (IMAGE_SIDE, IMAGE_SIDE)
        and np.all(np.diff(steps) > 0)
    )
    if not well_formed:
        raise invalid
    losses = read_losses(losses_path, entry, command)
    for array in (steps, images, early_samples, digits):
        array.setflags(write=False)
    return GanTimeline(
        steps=steps,
        images=images,
        early_step=early_step,
        early_samples=early_samples,
        digits=digits.astype(np.int64),
        losses=losses,
    )


def read_losses(path: Path, entry: GanTimelineInfo, command: str) -> pd.DataFrame:
    invalid = GanDataError(
        "error.gan_timeline_invalid", gan=entry.id, path=entry.losses_file, command=command
    )
    try:
        losses = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as error:  # EmptyDataError is a ValueError
        raise invalid from error
    if any(column not in losses.columns for column in LOSS_COLUMNS):
        raise invalid
    losses = losses[list(LOSS_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    if losses.isna().any().any():
        raise invalid
    return losses.sort_values("step").reset_index(drop=True)


def nearest_checkpoint(steps: np.ndarray, wanted: int) -> int:
    """The checkpoint step closest to `wanted` (a slider value kept from another GAN)."""
    return int(steps[int(np.argmin(np.abs(steps - wanted)))])


# --- the "real or fake?" game ------------------------------------------------------------------

REAL, FAKE = "real", "fake"
# The game is played in rounds of this many digits, each ending with a summary the class reads
# on the projector. "Round" means these ten digits; one of them is a "digit" (GameDigit).
ROUND_LENGTH = 10
CLASS, DISCRIMINATOR, TIE = "class", "discriminator", "tie"  # who won a round


@dataclass(frozen=True)
class GameDigit:
    """One digit of the game: a real test digit or one the generator draws now."""

    number: int  # 1, 2, 3... since the last reset, across rounds
    truth: str  # REAL or FAKE
    test_index: int | None  # the test digit shown, for a real one
    noise_seed: int | None  # the generator's noise seed, for a fake one


def draw_digit(game_seed: int, number: int, n_test: int) -> GameDigit:
    """Digit `number` of the game `game_seed`: real or fake at even odds. The same game and
    number always give the same digit, so a rerun of the page keeps the digit on screen."""
    rng = np.random.default_rng([game_seed, number])
    if rng.random() < 0.5:
        return GameDigit(number, REAL, int(rng.integers(n_test)), None)
    return GameDigit(number, FAKE, None, int(rng.integers(2**31 - 1)))


def discriminator_verdict(real_probability_value: float) -> tuple[str, float]:
    """(REAL or FAKE, how sure): the discriminator says "real" from a probability of 0.5 on."""
    if real_probability_value >= 0.5:
        return REAL, float(real_probability_value)
    return FAKE, float(1.0 - real_probability_value)


@dataclass(frozen=True)
class RevealedDigit:
    """A digit of the round whose answer was shown: what it was and who said what."""

    digit: GameDigit
    vote: str | None  # the class's vote, None when the answer was shown without one
    discriminator_says: str  # REAL or FAKE: the discriminator always answers

    @property
    def class_was_right(self) -> bool | None:
        return None if self.vote is None else self.vote == self.digit.truth

    @property
    def discriminator_was_right(self) -> bool:
        return self.discriminator_says == self.digit.truth


def _points(revealed: tuple[RevealedDigit, ...]) -> tuple[int, int, int]:
    """(the class's right answers, the digits it voted on, the discriminator's right answers)."""
    class_right = sum(bool(r.class_was_right) for r in revealed)
    votes = sum(r.vote is not None for r in revealed)
    return class_right, votes, sum(r.discriminator_was_right for r in revealed)


@dataclass(frozen=True)
class GameState:
    """The game's whole state: the digit on screen, the round it belongs to and the scores.

    A digit is scored once, at its reveal: the class's vote reveals it; "show the answer"
    reveals it without a vote (the class scores nothing, the discriminator still answers).
    Any vote after the reveal changes nothing, so a second click cannot count twice. The next
    digit comes only after a reveal, so every digit drawn is scored for the discriminator and a
    round is always ten revealed digits: nobody can skip a digit the class finds hard.

    The totals run over every round since the last reset: a teacher who plays three rounds can
    show the class 30 digits, where one round's ten leave much to luck."""

    game_seed: int
    n_test: int
    digit: GameDigit  # the digit on screen
    vote: str | None = None
    revealed: bool = False
    real_probability: float | None = None  # the discriminator's, recorded at the reveal
    round_number: int = 1
    this_round: tuple[RevealedDigit, ...] = ()  # the round's digits revealed so far, in order
    class_right: int = 0  # totals since the last reset, every round together
    class_votes: int = 0  # digits on which the class voted
    discriminator_right: int = 0
    discriminator_digits: int = 0  # digits revealed

    @property
    def discriminator_says(self) -> str | None:
        if self.real_probability is None:
            return None
        return discriminator_verdict(self.real_probability)[0]

    @property
    def class_was_right(self) -> bool | None:
        return None if self.vote is None or not self.revealed else self.vote == self.digit.truth

    @property
    def digit_in_round(self) -> int:
        """The place of the digit on screen in its round: 1 to ROUND_LENGTH."""
        return len(self.this_round) + (0 if self.revealed else 1)

    @property
    def round_over(self) -> bool:
        return len(self.this_round) >= ROUND_LENGTH

    @property
    def round_points(self) -> tuple[int, int, int]:
        """This round so far: (the class's right answers, its votes, the discriminator's right
        answers); the discriminator's total is len(this_round)."""
        return _points(self.this_round)


@dataclass(frozen=True)
class RoundSummary:
    """A finished round, as its summary shows it."""

    round_number: int
    digits: tuple[RevealedDigit, ...]  # ROUND_LENGTH of them, in the order they were shown
    class_right: int
    class_votes: int
    discriminator_right: int
    winner: str  # CLASS, DISCRIMINATOR or TIE

    @property
    def discriminator_digits(self) -> int:
        return len(self.digits)


def round_summary(state: GameState) -> RoundSummary | None:
    """The round's summary once its last digit is revealed; None before.

    The winner has more right answers. A digit the class did not vote on gives it no point,
    so that leaving the hard digits unvoted cannot win a round: comparing shares instead (6 of 6
    against 9 of 10) would reward the class for voting only when sure."""
    if not state.round_over:
        return None
    class_right, votes, discriminator_right = state.round_points
    if class_right > discriminator_right:
        winner = CLASS
    elif class_right < discriminator_right:
        winner = DISCRIMINATOR
    else:
        winner = TIE
    return RoundSummary(state.round_number, state.this_round, class_right, votes,
                        discriminator_right, winner)


def new_game(game_seed: int, n_test: int) -> GameState:
    if n_test < 1:
        raise ValueError("the game needs at least one test digit")
    return GameState(game_seed=game_seed, n_test=n_test, digit=draw_digit(game_seed, 1, n_test))


def reveal(state: GameState, real_probability_value: float) -> GameState:
    """Show the truth and the discriminator's verdict, without a vote from the class."""
    if state.revealed:
        return state
    verdict, _ = discriminator_verdict(real_probability_value)
    return dataclasses.replace(
        state,
        revealed=True,
        real_probability=float(real_probability_value),
        this_round=(*state.this_round, RevealedDigit(state.digit, state.vote, verdict)),
        discriminator_right=state.discriminator_right + (verdict == state.digit.truth),
        discriminator_digits=state.discriminator_digits + 1,
    )


def vote(state: GameState, answer: str, real_probability_value: float) -> GameState:
    """The class's answer (REAL or FAKE), then the reveal. Ignored once the digit is revealed."""
    if answer not in (REAL, FAKE):
        raise ValueError(f"a vote is {REAL!r} or {FAKE!r}, not {answer!r}")
    if state.revealed:
        return state
    voted = dataclasses.replace(
        state,
        vote=answer,
        class_right=state.class_right + (answer == state.digit.truth),
        class_votes=state.class_votes + 1,
    )
    return reveal(voted, real_probability_value)


def _next_drawn(state: GameState, **changes) -> GameState:
    number = state.digit.number + 1
    return dataclasses.replace(
        state,
        digit=draw_digit(state.game_seed, number, state.n_test),
        vote=None,
        revealed=False,
        real_probability=None,
        **changes,
    )


def next_digit(state: GameState) -> GameState:
    """The next digit of the round. Nothing happens before the digit on screen is revealed (no
    digit is skipped) or once the round is over (its summary stays until new_round)."""
    if not state.revealed or state.round_over:
        return state
    return _next_drawn(state)


def new_round(state: GameState) -> GameState:
    """The next round: its first digit, an empty round; the totals carry on. Only once the
    round is over: a round always counts ten digits."""
    if not state.round_over:
        return state
    return _next_drawn(state, round_number=state.round_number + 1, this_round=())


def reset(state: GameState, game_seed: int) -> GameState:
    """Scores back to zero, round 1 of a new game."""
    return new_game(game_seed, state.n_test)


# --- quality -------------------------------------------------------------------------------------


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """The Fréchet distance between two clouds of points (N, D) and (M, D), each summarised by
    its mean and covariance: |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)). 0 for one
    cloud against itself; larger as the clouds move apart or change shape.

    The trace of (S_a S_b)^(1/2) is that of (R S_b R)^(1/2) with R = S_a^(1/2): both matrices
    have the same eigenvalues, and R S_b R is symmetric, so two symmetric eigen-decompositions
    do it without scipy (which the dashboard does not install)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise ValueError("two sets of at least two points of the same dimension are needed")
    mean_gap = a.mean(axis=0) - b.mean(axis=0)
    covariance_a = np.atleast_2d(np.cov(a, rowvar=False))
    covariance_b = np.atleast_2d(np.cov(b, rowvar=False))
    root_a = _psd_square_root(covariance_a)
    middle = root_a @ covariance_b @ root_a
    middle = (middle + middle.T) / 2.0  # symmetric up to rounding; eigvalsh wants it exactly
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(middle), 0.0, None)).sum()
    distance = mean_gap @ mean_gap + np.trace(covariance_a) + np.trace(covariance_b) - 2.0 * cross
    return float(max(distance, 0.0))  # rounding can leave -1e-12 for identical clouds


def _psd_square_root(matrix: np.ndarray) -> np.ndarray:
    """The square root of a symmetric positive semi-definite matrix."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def halves_of_test_set(n_test: int, seed: int = TEST_HALVES_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Two halves of the test digits, drawn at random once and for all: the distance between
    them is what chance alone gives two sets of real digits."""
    order = np.random.default_rng(seed).permutation(n_test)
    return order[: n_test // 2], order[n_test // 2 :]


def digit_shares(predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes,) the share of the samples read as each digit."""
    counts = np.bincount(predicted, minlength=n_classes)[:n_classes]
    return counts / max(1, len(predicted))


def shares_outside_targets(shares: np.ndarray) -> tuple[list[int], list[int]]:
    """(digits drawn too often, digits drawn too rarely) against the issue's targets."""
    too_many = [int(d) for d in np.flatnonzero(shares > MAX_DIGIT_SHARE)]
    too_few = [int(d) for d in np.flatnonzero(shares < MIN_DIGIT_SHARE)]
    return too_many, too_few


def asked_digits(count: int, n_classes: int) -> np.ndarray:
    """(count,) int64: every digit asked for equally often, 0, 1, ..., 9, 0, 1..."""
    return np.arange(count, dtype=np.int64) % n_classes


@dataclass(frozen=True)
class JudgeReference:
    logits: np.ndarray  # (N, 10) the judge's scores on the test digits
    accuracy: float  # the judge's accuracy on them
    frechet_halves: float  # one half of the test digits against the other
    half_size: int


def judge_reference(judge_session, judge: ModelInfo, evaluation: EvaluationSet) -> JudgeReference:
    logits = judge_logits(judge_session, judge, evaluation.images.astype(np.float32) / 255.0)
    first, second = halves_of_test_set(len(logits))
    return JudgeReference(
        logits=logits,
        accuracy=float(np.mean(np.argmax(logits, axis=1) == evaluation.labels)),
        frechet_halves=frechet_distance(logits[first], logits[second]),
        half_size=len(first),
    )


@dataclass(frozen=True)
class GeneratorQuality:
    paradigm: str
    samples: int
    shares: np.ndarray  # (10,) share of the samples the judge reads as each digit
    frechet: float  # the samples against the test digits, in the judge's scores
    early_step: int | None
    frechet_early: float | None  # the early checkpoint's samples against the test digits
    asked_right: float | None  # conditional only: share read as the digit asked for
    asked_right_by_digit: np.ndarray | None  # (10,) the same, per digit asked for


def judged_samples(
    generator_session,
    generator: ModelInfo,
    judge_run: Callable[[np.ndarray], np.ndarray],
    n_classes: int,
    samples: int = QUALITY_SAMPLES,
) -> tuple[np.ndarray, np.ndarray | None]:
    """The judge's scores (samples, n_classes) on the generator's digits drawn from the fixed
    quality noise, and the digits asked for (None for an unconditional generator): what the page
    measures, and what docs/results.md reports (scripts/results_table.py)."""
    inputs = generator_inputs(generator)
    noise = noise_batch(QUALITY_NOISE_SEED, samples, inputs.latent_dim)
    digits = asked_digits(samples, n_classes) if inputs.digit is not None else None
    # Rounded to what a screen shows, as the test digits and early samples are stored.
    drawn = generate(generator_session, generator, noise, digits)  # (samples, 28, 28)
    images = to_uint8(drawn).astype(np.float32) / 255.0
    return judge_run(images), digits


def measure_quality(
    generator_session,
    generator: ModelInfo,
    judge_run: Callable[[np.ndarray], np.ndarray],
    reference: JudgeReference,
    timeline: GanTimeline | None,
    *,
    samples: int = QUALITY_SAMPLES,
) -> GeneratorQuality:
    """Draw `samples` digits from fixed noise (every digit asked for equally often, for a
    conditional generator) and measure them with `judge_run` (images -> judge's logits)."""
    n_classes = reference.logits.shape[1]
    logits, digits = judged_samples(generator_session, generator, judge_run, n_classes, samples)
    predicted = np.argmax(logits, axis=1)
    asked_right = asked_by_digit = None
    if digits is not None:
        right = predicted == digits
        asked_right = float(np.mean(right))
        asked_by_digit = np.array([right[digits == d].mean() for d in range(n_classes)])
    frechet_early = early_step = None
    if timeline is not None:
        early_logits = judge_run(timeline.early_samples.astype(np.float32) / 255.0)
        frechet_early = frechet_distance(early_logits, reference.logits)
        early_step = timeline.early_step
    return GeneratorQuality(
        paradigm=generator.paradigm,
        samples=samples,
        shares=digit_shares(predicted, n_classes),
        frechet=frechet_distance(logits, reference.logits),
        early_step=early_step,
        frechet_early=frechet_early,
        asked_right=asked_right,
        asked_right_by_digit=asked_by_digit,
    )
