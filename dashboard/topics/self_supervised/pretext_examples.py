"""The self-supervised page's logic: the free pairs each pretext task makes from one digit, the
pretext networks' answers on them, the scores the manifest records, and the encoders' 2-D maps.

A self-supervised paradigm invents an exercise whose answer the program knows because it made
the question: it turned the digit, cut it into pieces, shot a clip of it moving, warped it twice,
or hid part of it. This module makes those questions from any 28x28 digit with numpy alone (the
dashboard never imports torch), runs the shipped pretext network on them with ONNX Runtime, and
says which answers are right. The making itself is paradigm_lab/pretext_tasks.py, the numpy
version the training's torch code is tested to agree with. What a task needs to know (the turns,
the grid, the frame orders, the mask) comes from the pretext model's manifest entry
(`ModelInfo.pretext`), checked here so a malformed entry is a message naming the model, never a
traceback.

Nothing here imports streamlit: tests/test_dashboard_self_supervised.py calls it directly, and
dashboard/topics/self_supervised/page.py only lays the results out.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core import bundle_reader as bundle
from dashboard.core.bundle_reader import (
    FULL_STUDY_COMMAND,
    BundleError,
    FeatureMapInfo,
    Manifest,
    ModelError,
    ModelInfo,
)
from dashboard.core.inference import softmax
from paradigm_lab import pretext_tasks

FAMILY = "self_supervised"
PRETEXT_ROLE = "pretext_head"
ENCODER_ROLE = "encoder"
# The two maps every encoder is compared with: the pixels themselves, and the same encoder with
# its random starting weights (what the network knows before any training).
RAW_PIXELS = "raw_pixels"
UNTRAINED_ENCODER = "untrained_encoder"
BASELINE_SOURCES = (RAW_PIXELS, UNTRAINED_ENCODER)
IMAGE_SIDE = 28

# The pretext tasks this page knows how to pose, by paradigm id. The page offers those the
# manifest's registry lists as implemented self-supervised paradigms, in the registry's order;
# colourisation works on colour photos and has a page of its own.
ROTATION = "rotation"
RELATIVE_POSITION = "relative_position"
TEMPORAL_ORDER = "temporal_order"
CONTRASTIVE = "contrastive"
AUTOENCODER = "autoencoder"
TASKS = (ROTATION, RELATIVE_POSITION, TEMPORAL_ORDER, CONTRASTIVE, AUTOENCODER)

# How many other digits the contrastive line-up shows beside the chosen digit's two views.
OTHER_DIGITS_IN_LINEUP = 7
# A neighbour piece with less ink than this (sum of pixel values in [0, 1]) is blank: it says
# nothing about where it was, and the training rarely asks about such pieces.
BLANK_PIECE_INK = 1.0


class PretextFactsError(ModelError):
    """A pretext model's manifest entry lacks a fact its task needs, or holds a wrong one."""


class FeatureMapError(BundleError):
    """An encoder's 2-D map is missing, damaged, or made for other test images."""


# --- which models the bundle holds -----------------------------------------------------------


def pretext_paradigms(manifest: Manifest) -> list[str]:
    """The self-supervised paradigms this page can show, in the registry's order."""
    return [
        paradigm.id
        for paradigm in manifest.paradigms
        if paradigm.family == FAMILY and paradigm.implemented and paradigm.id in TASKS
    ]


def datasets_with_pretext(manifest: Manifest) -> list[str]:
    """Data sets that have a pretext network or a feature map, the first ones first as listed."""
    named = [
        model.dataset
        for model in manifest.models
        if model.role == PRETEXT_ROLE and model.family == FAMILY and model.dataset
    ]
    named += [entry.dataset for entry in manifest.feature_maps]
    return list(dict.fromkeys(named))


def pretext_model(manifest: Manifest, paradigm: str, dataset: str) -> ModelInfo | None:
    """The paradigm's pretext network on this data set; the lowest seed if several ship."""
    candidates = [
        model
        for model in manifest.models
        if model.role == PRETEXT_ROLE and model.paradigm == paradigm and model.dataset == dataset
    ]
    return min(candidates, key=lambda model: model.seed or 0, default=None)


def feature_map_entry(manifest: Manifest, source: str, dataset: str) -> FeatureMapInfo | None:
    matches = (
        entry
        for entry in manifest.feature_maps
        if entry.source == source and entry.dataset == dataset
    )
    return next(matches, None)


def study_command(paradigms: list[str] | tuple[str, ...]) -> str:
    """The study command that (re)makes these paradigms' pretext networks, encoders and maps.

    The study is resumable: it re-runs only the points whose files are missing or changed, and
    the first fraction's seed-0 point of a self-supervised paradigm ships its pretext network,
    its encoder and its map (the two baseline maps come with any self-supervised study run).
    """
    return FULL_STUDY_COMMAND + "".join(f" --paradigm {paradigm}" for paradigm in paradigms)


# --- the task facts from the manifest ----------------------------------------------------------


@dataclass(frozen=True)
class RotationFacts:
    turns_degrees: tuple[int, ...]  # class i is a turn of turns_degrees[i], anticlockwise


@dataclass(frozen=True)
class PatchFacts:
    grid: int  # the padded digit is a grid x grid of cells
    cell: int  # pixels per cell
    piece: int  # a piece is a piece x piece square inside its cell
    padding: int  # zero pixels added around the 28x28 digit before cutting
    places: tuple[tuple[int, int], ...]  # class i is the neighbour in cell places[i] (row, col)
    place_names: tuple[str, ...]

    @property
    def middle(self) -> tuple[int, int]:
        return self.grid // 2, self.grid // 2


@dataclass(frozen=True)
class ClipFacts:
    frames: int
    orders: tuple[tuple[int, ...], ...]  # class c: slot s of the shuffled clip shows orders[c][s]
    max_shift_pixels: float
    turn_degrees: tuple[float, float]  # the total turn's size, its sign drawn at random
    time_reversed_twin: bool  # an order and its time-reversed twin are one class


@dataclass(frozen=True)
class ViewFacts:
    max_degrees: float
    max_shift_pixels: float
    zoom: tuple[float, float]
    cutout: int  # side of the black square


@dataclass(frozen=True)
class MaskFacts:
    mask_grid: int  # the digit is a mask_grid x mask_grid grid of squares
    masked_squares: int  # how many of them are blacked out

    @property
    def square(self) -> int:
        return IMAGE_SIDE // self.mask_grid


# The contrastive view is described in the manifest by a sentence only ("random rotation up to
# 25 degrees, shift up to 20 %, zoom 0.8-1.2, a 10x10 black square"); these numbers are that
# sentence's, and a manifest that ships them as numbers (the keys below) takes precedence. The
# shift is 20 % of the half-width in the training's affine grid: 0.2 x 14 = 2.8 pixels.
DEFAULT_VIEW = ViewFacts(
    max_degrees=pretext_tasks.VIEW_MAX_DEGREES,
    max_shift_pixels=pretext_tasks.VIEW_MAX_SHIFT * IMAGE_SIDE / 2,
    zoom=pretext_tasks.VIEW_ZOOM,
    cutout=pretext_tasks.VIEW_CUTOUT,
)


def _facts_error(model: ModelInfo, field: str) -> PretextFactsError:
    return PretextFactsError(
        "error.pretext_facts",
        model_id=model.id,
        field=f"pretext.{field}",
        command=bundle.model_rebuild_command(model),
    )


def _integer(model: ModelInfo, facts: Mapping, field: str, low: int = 1) -> int:
    value = facts.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _facts_error(model, field)
    return value


def _number(model: ModelInfo, facts: Mapping, field: str, default: float | None = None) -> float:
    value = facts.get(field, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _facts_error(model, field)
    return float(value)


def _integer_rows(model: ModelInfo, facts: Mapping, field: str) -> tuple[tuple[int, ...], ...]:
    rows = facts.get(field)
    if not isinstance(rows, list) or not rows:
        raise _facts_error(model, field)
    parsed = []
    for row in rows:
        if not isinstance(row, list) or not all(
            isinstance(value, int) and not isinstance(value, bool) for value in row
        ):
            raise _facts_error(model, field)
        parsed.append(tuple(row))
    return tuple(parsed)


def rotation_facts(model: ModelInfo) -> RotationFacts:
    facts = model.pretext
    turns = facts.get("turns_degrees")
    if (
        not isinstance(turns, list)
        or not turns
        or not all(isinstance(turn, int) and not isinstance(turn, bool) for turn in turns)
        or any(turn % 90 for turn in turns)
    ):
        raise _facts_error(model, "turns_degrees")
    return RotationFacts(turns_degrees=tuple(turns))


def patch_facts(model: ModelInfo) -> PatchFacts:
    facts = model.pretext
    grid = _integer(model, facts, "grid", low=3)
    cell = _integer(model, facts, "cell")
    piece = _integer(model, facts, "piece")
    padding = _integer(model, facts, "padding", low=0)
    if piece > cell:
        raise _facts_error(model, "piece")
    if grid * cell > IMAGE_SIDE + 2 * padding:  # the cells must fit in the padded digit
        raise _facts_error(model, "cell")
    places = _integer_rows(model, facts, "places")
    if not all(len(place) == 2 and all(0 <= value < grid for value in place) for place in places):
        raise _facts_error(model, "places")
    names = facts.get("place_names")
    if not isinstance(names, list) or len(names) != len(places):
        names = [f"{row},{column}" for row, column in places]
    return PatchFacts(
        grid=grid,
        cell=cell,
        piece=piece,
        padding=padding,
        places=tuple((place[0], place[1]) for place in places),
        place_names=tuple(str(name) for name in names),
    )


def clip_facts(model: ModelInfo) -> ClipFacts:
    facts = model.pretext
    frames = _integer(model, facts, "frames", low=2)
    orders = _integer_rows(model, facts, "orders")
    if not all(sorted(order) == list(range(frames)) for order in orders):
        raise _facts_error(model, "orders")
    turn = facts.get("turn_degrees")
    if (
        not isinstance(turn, list)
        or len(turn) != 2
        or not all(
            isinstance(value, (int, float)) and not isinstance(value, bool) for value in turn
        )
    ):
        raise _facts_error(model, "turn_degrees")
    return ClipFacts(
        frames=frames,
        orders=orders,
        max_shift_pixels=_number(model, facts, "max_shift_pixels"),
        turn_degrees=(float(min(turn)), float(max(turn))),
        time_reversed_twin="time_reversed_twin" in facts,
    )


def view_facts(model: ModelInfo) -> ViewFacts:
    facts = model.pretext
    zoom = facts.get("zoom", list(DEFAULT_VIEW.zoom))
    if not isinstance(zoom, list) or len(zoom) != 2 or not all(
        isinstance(value, (int, float)) and value > 0 for value in zoom
    ):
        raise _facts_error(model, "zoom")
    cutout = facts.get("cutout", DEFAULT_VIEW.cutout)
    if isinstance(cutout, bool) or not isinstance(cutout, int) or not 0 <= cutout <= IMAGE_SIDE:
        raise _facts_error(model, "cutout")
    return ViewFacts(
        max_degrees=_number(model, facts, "max_degrees", DEFAULT_VIEW.max_degrees),
        max_shift_pixels=_number(model, facts, "max_shift_pixels", DEFAULT_VIEW.max_shift_pixels),
        zoom=(float(min(zoom)), float(max(zoom))),
        cutout=cutout,
    )


def mask_facts(model: ModelInfo) -> MaskFacts:
    facts = model.pretext
    grid = _integer(model, facts, "mask_grid")
    if IMAGE_SIDE % grid:
        raise _facts_error(model, "mask_grid")
    masked = _integer(model, facts, "masked_squares", low=0)
    if masked > grid * grid:
        raise _facts_error(model, "masked_squares")
    return MaskFacts(mask_grid=grid, masked_squares=masked)


# --- warping a digit as the training does -------------------------------------------------------


def _warped(image: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    """(28, 28) and (N, 2, 3) affine maps -> (N, 28, 28), with the training's own sampler in numpy."""
    batch = np.broadcast_to(image.astype(np.float32), (len(thetas), 1, *image.shape))
    return pretext_tasks.affine_sample(batch, thetas)[:, 0]


# --- the free pairs of each task -----------------------------------------------------------------


def rotated_copies(image: np.ndarray, facts: RotationFacts) -> tuple[np.ndarray, np.ndarray]:
    """The digit in each turn, and the turn's class: (T, 28, 28), (T,); turned as the training
    turns it (anticlockwise as seen), by the shared numpy version of its turn."""
    quarter_turns = np.array([turn // 90 % 4 for turn in facts.turns_degrees])
    copies = pretext_tasks.rotate_quarter_turns(np.repeat(image[np.newaxis], len(quarter_turns), axis=0), quarter_turns)
    return np.ascontiguousarray(copies, dtype=np.float32), np.arange(len(facts.turns_degrees))


@dataclass(frozen=True)
class PatchPairs:
    """One middle piece and every neighbour piece of a digit, as the relative-position task
    cuts them: neighbour i comes from cell facts.places[i], which is its free label."""

    padded: np.ndarray  # (S, S) the digit with its zero border
    middle: np.ndarray  # (piece, piece)
    neighbours: np.ndarray  # (N, piece, piece), in class order
    middle_corner: tuple[int, int]  # (top, left) of the middle piece in `padded`
    neighbour_corners: np.ndarray  # (N, 2) (top, left) of each neighbour piece
    ink: np.ndarray  # (N,) sum of each neighbour piece's pixels

    def model_input(self) -> np.ndarray:
        """(N, 2, piece, piece) [middle, neighbour] pairs, the network's `pieces` input."""
        middle = np.broadcast_to(self.middle, self.neighbours.shape)
        return np.stack([middle, self.neighbours], axis=1).astype(np.float32)

    @property
    def blank(self) -> np.ndarray:
        """(N,) bool: neighbours with (almost) no ink, which say nothing about their place."""
        return self.ink < BLANK_PIECE_INK


def _piece_corner(facts: PatchFacts, place: tuple[int, int], jitter: np.ndarray) -> tuple[int, int]:
    top, left = pretext_tasks.piece_corners(place, jitter, facts.cell)
    return int(top), int(left)


def patch_pairs(image: np.ndarray, facts: PatchFacts, rng: np.random.Generator) -> PatchPairs:
    """Cut the middle piece and the 8 neighbour pieces, each at a random offset in its cell.

    The training cuts a fresh middle piece for every pair; one middle serves all eight here, so
    that the page can show it once.
    """
    padded = pretext_tasks.pad_digits(image.astype(np.float32), facts.padding)
    jitter = rng.integers(0, facts.cell - facts.piece + 1, size=(len(facts.places) + 1, 2))
    size = facts.piece

    def cut(corners: list[tuple[int, int]]) -> np.ndarray:
        return pretext_tasks.cut_pieces(np.broadcast_to(padded, (len(corners), *padded.shape)), corners, size)

    middle_corner = _piece_corner(facts, facts.middle, jitter[0])
    corners = [_piece_corner(facts, place, shake) for place, shake in zip(facts.places, jitter[1:])]
    neighbours = cut(corners)
    return PatchPairs(
        padded=padded,
        middle=cut([middle_corner])[0],
        neighbours=neighbours,
        middle_corner=middle_corner,
        neighbour_corners=np.array(corners, dtype=np.int64),
        ink=neighbours.sum(axis=(1, 2)),
    )


@dataclass(frozen=True)
class Clip:
    """A clip of one digit moving, shuffled: slot s shows frame `slots[s]` of `frames`."""

    frames: np.ndarray  # (F, 28, 28) in the order they were shot
    order_class: int  # the free label: index into facts.orders
    slots: tuple[int, ...]  # facts.orders[order_class]
    shuffled: np.ndarray  # (F, 28, 28) the network's input, one frame per channel


def clip_frames(
    image: np.ndarray, facts: ClipFacts, rng: np.random.Generator
) -> np.ndarray:
    """(F, 28, 28): the digit sliding in a straight line while it turns steadily.

    Made as the training makes it (the shared clip maps and sampler), from the manifest's facts:
    the move's size, direction and turn drawn at random (a turn of either sign), the middle of
    the clip being the digit itself.
    """
    direction, distance, sign, turn = rng.uniform(size=(4, 1))
    thetas = pretext_tasks.clip_thetas(
        direction,
        distance,
        sign,
        turn,
        frames=facts.frames,
        max_shift_pixels=facts.max_shift_pixels,
        turn_degrees=facts.turn_degrees,
    )
    return _warped(image, thetas[:, 0])


def shuffle_frames(frames: np.ndarray, slots: tuple[int, ...]) -> np.ndarray:
    """Slot s shows frame slots[s]."""
    return frames[list(slots)]


def unshuffle(shuffled: np.ndarray, slots: tuple[int, ...]) -> np.ndarray:
    """Put the frames back in shot order, believing slot s shows frame slots[s]."""
    frames = np.empty_like(shuffled)
    frames[list(slots)] = shuffled
    return frames


def time_reversed(slots: tuple[int, ...]) -> tuple[int, ...]:
    """The same shuffle of the clip played backwards: where a slot showed frame f, it now shows
    frame frames - 1 - f."""
    return tuple(len(slots) - 1 - frame for frame in slots)


def class_readings(slots: tuple[int, ...], facts: ClipFacts) -> list[tuple[int, ...]]:
    """The slot orders one class stands for: itself, and its time-reversed twin when the manifest
    says they are one class (the training shuffles with either)."""
    return [slots, time_reversed(slots)] if facts.time_reversed_twin else [slots]


# The digit the page opens on: one that looks different upside down and in pieces (a 0, 1 or 8
# would show the class the case where the made-up tasks cannot work, which the page tells later).
DEFAULT_DIGIT = 7


def default_test_digit(labels: np.ndarray) -> int:
    """The row of the first test digit that is a DEFAULT_DIGIT (the first row if none is)."""
    rows = np.flatnonzero(np.asarray(labels) == DEFAULT_DIGIT)
    return int(rows[0]) if len(rows) else 0


def temporal_clip(image: np.ndarray, facts: ClipFacts, rng: np.random.Generator) -> Clip:
    """A clip of the digit and a random shuffle of it with its class.

    The page always shuffles with the class's own order, never its time-reversed twin: un-shuffling with the
    class's order then gives back the clip as shot, which is what the page shows.
    """
    frames = clip_frames(image, facts, rng)
    # A "shuffled" clip still in the order it was shot shows the class nothing to put back.
    shuffled_classes = [c for c, order in enumerate(facts.orders) if list(order) != sorted(order)]
    order_class = int(rng.choice(shuffled_classes or range(len(facts.orders))))
    slots = facts.orders[order_class]
    return Clip(
        frames=frames,
        order_class=order_class,
        slots=slots,
        shuffled=shuffle_frames(frames, slots),
    )


def random_view(image: np.ndarray, facts: ViewFacts, rng: np.random.Generator) -> np.ndarray:
    """One view of the contrastive task: a strong random warp, then a black square, made as the
    training makes it (the shared warp and sampler)."""
    theta = pretext_tasks.affine_thetas(
        *rng.uniform(size=(4, 1)),
        max_degrees=facts.max_degrees,
        max_shift=facts.max_shift_pixels / (IMAGE_SIDE / 2),  # pixels -> the sampler's [-1, 1] units
        zoom_range=facts.zoom,
    )
    view = _warped(image, theta)[0]
    if facts.cutout:
        top, left = rng.integers(0, IMAGE_SIDE - facts.cutout + 1, size=2)
        view[top : top + facts.cutout, left : left + facts.cutout] = 0.0
    return view


@dataclass(frozen=True)
class Lineup:
    """Two views of the chosen digit, and one view of each of a few other digits."""

    anchor: np.ndarray  # (28, 28) the first view
    candidates: np.ndarray  # (1 + K, 28, 28): the partner (the second view) first, then others
    other_indices: np.ndarray  # (K,) rows of the evaluation set the others come from

    def model_input(self) -> np.ndarray:
        return np.concatenate([self.anchor[np.newaxis], self.candidates])[:, np.newaxis]


def contrastive_lineup(
    image: np.ndarray,
    others: np.ndarray,
    other_indices: np.ndarray,
    facts: ViewFacts,
    rng: np.random.Generator,
) -> Lineup:
    """`others` (K, 28, 28) in [0, 1]: the digits whose views should look less alike."""
    anchor, partner = random_view(image, facts, rng), random_view(image, facts, rng)
    views = [random_view(other, facts, rng) for other in others]
    return Lineup(
        anchor=anchor,
        candidates=np.stack([partner, *views]).astype(np.float32),
        other_indices=np.asarray(other_indices, dtype=np.int64),
    )


def other_digits(
    n_digits: int, chosen: int | None, count: int, rng: np.random.Generator
) -> np.ndarray:
    """Rows of the evaluation set for the line-up, never the chosen digit itself."""
    pool = np.array([index for index in range(n_digits) if index != chosen], dtype=np.int64)
    return rng.choice(pool, size=min(count, len(pool)), replace=False)


def random_mask(facts: MaskFacts, rng: np.random.Generator) -> np.ndarray:
    """(28, 28) bool, True where a pixel is hidden: masked_squares of the grid's squares."""
    hidden = np.zeros(facts.mask_grid * facts.mask_grid, dtype=bool)
    hidden[rng.choice(len(hidden), size=facts.masked_squares, replace=False)] = True
    return pretext_tasks.square_masks(hidden[np.newaxis], facts.mask_grid)[0]


def hidden_error(drawn: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """Mean squared error on the hidden pixels: the autoencoder's own test measure."""
    if not mask.any():
        return 0.0
    return float(np.mean((drawn[mask] - original[mask]) ** 2))


# --- running a pretext network --------------------------------------------------------------


def run_pretext(session, model: ModelInfo, batch: np.ndarray) -> np.ndarray:
    """The network's output for a batch already in its input shape, as float32.

    The input and output names are read from the session; a failure or an output of another
    shape than the manifest states is a ModelError naming the model and the study command.
    """
    command = study_command([model.paradigm])
    input_name = session.get_inputs()[0].name
    output_name = session.get_outputs()[0].name
    try:
        (output,) = session.run([output_name], {input_name: batch.astype(np.float32, copy=False)})
    # ONNX Runtime raises many unrelated types for a graph that cannot run; all mean "rebuild".
    except Exception as error:
        raise ModelError("error.model_run_failed", model_id=model.id, command=command) from error
    declared = model.outputs[0].shape[1:] if model.outputs else output.shape[1:]
    fixed = [
        (have, want) for have, want in zip(output.shape[1:], declared) if isinstance(want, int)
    ]
    if (
        len(output) != len(batch)
        or len(output.shape) != len(declared) + 1
        or any(have != want for have, want in fixed)
        or not np.all(np.isfinite(output))
    ):
        raise ModelError(
            "error.model_shape",
            model_id=model.id,
            tensor=output_name,
            expected="(batch, " + ", ".join(str(value) for value in declared) + ")",
            found="(" + ", ".join(str(value) for value in output.shape) + ")",
            command=command,
        )
    return np.asarray(output, dtype=np.float32)


@dataclass(frozen=True)
class ClassAnswers:
    """A classifying pretext network's answers on a batch of free pairs."""

    probabilities: np.ndarray  # (N, C)
    truth: np.ndarray  # (N,) the free labels

    @property
    def guesses(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    @property
    def confidence(self) -> np.ndarray:
        return self.probabilities.max(axis=1)

    @property
    def right(self) -> np.ndarray:
        return self.guesses == self.truth


def class_answers(logits: np.ndarray, truth: np.ndarray) -> ClassAnswers:
    return ClassAnswers(probabilities=softmax(logits), truth=np.asarray(truth, dtype=np.int64))


Runner = Callable[[np.ndarray], np.ndarray]  # a model input batch -> the network's output


@dataclass(frozen=True)
class RotationResult:
    copies: np.ndarray  # (T, 28, 28)
    answers: ClassAnswers


def answer_rotation(image: np.ndarray, facts: RotationFacts, run: Runner) -> RotationResult:
    copies, turns = rotated_copies(image, facts)
    return RotationResult(copies, class_answers(run(copies[:, np.newaxis]), turns))


@dataclass(frozen=True)
class PatchResult:
    pairs: PatchPairs
    answers: ClassAnswers

    @property
    def right_on_inked(self) -> tuple[int, int]:
        """(right, asked) over the neighbours that have ink."""
        inked = ~self.pairs.blank
        return int((self.answers.right & inked).sum()), int(inked.sum())


def answer_relative_position(
    image: np.ndarray, facts: PatchFacts, run: Runner, rng: np.random.Generator
) -> PatchResult:
    pairs = patch_pairs(image, facts, rng)
    truth = np.arange(len(facts.places))
    return PatchResult(pairs, class_answers(run(pairs.model_input()), truth))


@dataclass(frozen=True)
class ClipResult:
    clip: Clip
    answers: ClassAnswers  # one row
    believed_slots: tuple[int, ...]  # the order of the class the network chose

    @property
    def right(self) -> bool:
        return bool(self.answers.right[0])

    @property
    def reordered(self) -> np.ndarray:
        """The shuffled clip put back in the order the network believes."""
        return unshuffle(self.clip.shuffled, self.believed_slots)


def answer_temporal_order(
    image: np.ndarray, facts: ClipFacts, run: Runner, rng: np.random.Generator
) -> ClipResult:
    clip = temporal_clip(image, facts, rng)
    answers = class_answers(run(clip.shuffled[np.newaxis]), np.array([clip.order_class]))
    return ClipResult(clip, answers, facts.orders[int(answers.guesses[0])])


@dataclass(frozen=True)
class LineupResult:
    lineup: Lineup
    similarity: np.ndarray  # (1 + K,) cosine similarity of the anchor with each candidate

    @property
    def ranking(self) -> np.ndarray:
        """Candidates from the most to the least similar (0 is the partner)."""
        return np.argsort(-self.similarity, kind="stable")

    @property
    def partner_found(self) -> bool:
        return int(self.ranking[0]) == 0


def cosine_similarities(embeddings: np.ndarray) -> np.ndarray:
    """(1 + M, D) -> (M,): the first row's cosine similarity with each of the others."""
    norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
    unit = embeddings / np.maximum(norms, 1e-12)
    return unit[1:] @ unit[0]


def answer_contrastive(
    image: np.ndarray,
    others: np.ndarray,
    other_indices: np.ndarray,
    facts: ViewFacts,
    run: Runner,
    rng: np.random.Generator,
) -> LineupResult:
    lineup = contrastive_lineup(image, others, other_indices, facts, rng)
    embeddings = run(lineup.model_input())  # (2 + K, D)
    return LineupResult(lineup, cosine_similarities(embeddings))


@dataclass(frozen=True)
class MaskResult:
    original: np.ndarray  # (28, 28)
    mask: np.ndarray  # (28, 28) bool
    drawn: np.ndarray  # (28, 28) the network's drawing, in [0, 1]

    @property
    def masked(self) -> np.ndarray:
        return np.where(self.mask, 0.0, self.original).astype(np.float32)

    @property
    def error(self) -> float:
        return hidden_error(self.drawn, self.original, self.mask)


def answer_autoencoder(
    image: np.ndarray, facts: MaskFacts, run: Runner, rng: np.random.Generator
) -> MaskResult:
    mask = random_mask(facts, rng)
    masked = np.where(mask, 0.0, image).astype(np.float32)
    drawn = run(masked[np.newaxis, np.newaxis])[0].reshape(IMAGE_SIDE, IMAGE_SIDE)
    return MaskResult(image.astype(np.float32), mask, np.clip(drawn, 0.0, 1.0))


# --- what the manifest says about each task --------------------------------------------------


@dataclass(frozen=True)
class PretextScore:
    """The task's score on the test digits, measured at export, and what chance would get."""

    kind: str  # "accuracy" (higher is better) or "error" (lower is better)
    value: float
    baseline: float | None  # chance (accuracy), or the average digit painted in (error)
    steps: int | None
    final_loss: float | None


def _metric(metrics: Mapping, key: str) -> float | None:
    value = metrics.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def pretext_score(model: ModelInfo) -> PretextScore | None:
    metrics = model.metrics
    steps = _metric(metrics, "steps")
    step_count = None if steps is None else int(steps)
    final_loss = _metric(metrics, "final_loss")
    accuracy = _metric(metrics, "pretext_accuracy")
    if accuracy is not None:
        return PretextScore("accuracy", accuracy, _metric(metrics, "pretext_chance"), step_count, final_loss)
    error = _metric(metrics, "pretext_error")
    if error is not None:
        return PretextScore("error", error, _metric(metrics, "pretext_chance_error"), step_count, final_loss)
    return None


# --- the encoders' maps -------------------------------------------------------------------------


def map_source_command(source: str, paradigm: str) -> str:
    """The command that writes a map again: its own paradigm's study, or, for the two baselines,
    any self-supervised study (here the one of the task on screen)."""
    return study_command([source if source not in BASELINE_SOURCES else paradigm])


def feature_map_path(bundle_directory: Path, entry: FeatureMapInfo) -> Path | None:
    path = (bundle_directory / entry.file).resolve()
    return path if path.is_relative_to(bundle_directory.resolve()) else None


def load_feature_map(
    bundle_directory: Path, entry: FeatureMapInfo, command: str
) -> np.ndarray:
    """(N, 2) float32, read-only: the map's rows, checked against the manifest's SHA-256."""
    values = {"source": entry.source, "path": entry.file, "command": command}
    path = feature_map_path(bundle_directory, entry)
    if path is None or not path.is_file():
        raise FeatureMapError("error.feature_map_missing", **values)
    invalid = FeatureMapError("error.feature_map_invalid", **values)
    try:
        if bundle.file_sha256(path) != entry.sha256:
            raise invalid
        # allow_pickle=False: a damaged or hostile file must not run code on load.
        with np.load(path, allow_pickle=False) as archive:
            xy = np.ascontiguousarray(archive["xy"], dtype=np.float32)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        raise invalid from error
    if xy.ndim != 2 or xy.shape[1] != 2 or len(xy) == 0 or not np.all(np.isfinite(xy)):
        raise invalid
    xy.setflags(write=False)
    return xy


def map_fits(xy: np.ndarray, labels: np.ndarray) -> bool:
    """Whether the map has one row per test digit (one made for other test images has not)."""
    return len(xy) == len(labels)


# --- the study's numbers ---------------------------------------------------------------------


def comparison_summary(
    summary: pd.DataFrame, dataset: str, paradigms: list[str], yardstick: tuple[str, ...]
) -> pd.DataFrame:
    """The study summary of one data set for the supervised yardstick and these paradigms."""
    kept = summary[
        (summary["dataset"] == dataset) & summary["paradigm"].isin([*yardstick, *paradigms])
    ]
    return kept.reset_index(drop=True)


FINETUNE_SUFFIX = "_finetune"  # the registry's fine-tune rows: "<task>_finetune"


@dataclass(frozen=True)
class ProbeAgainstFinetune:
    """One task's encoder read two ways at the study's smallest fraction, beside supervised
    training from scratch: mean test accuracy over the seeds (None where the bundle has no row)."""
    n_labels: int
    probe: float | None
    finetune: float | None
    supervised: float | None
    n_seeds: int


def probe_against_finetune(summary: pd.DataFrame, dataset: str, task: str,
                           yardstick: str = "supervised") -> ProbeAgainstFinetune | None:
    """The frozen probe of ``task``, its fine-tuned row and the yardstick, at the smallest label
    fraction the task's probe has; None when the probe has no result at all."""
    rows = summary[summary["dataset"] == dataset]
    probe = rows[rows["paradigm"] == task]
    if probe.empty:
        return None
    fraction = float(probe["label_fraction"].min())
    at = rows[rows["label_fraction"].astype(float).round(6) == round(fraction, 6)]

    def mean_of(paradigm: str) -> float | None:
        found = at[at["paradigm"] == paradigm]
        return float(found["mean_accuracy"].iloc[0]) if not found.empty else None

    first = probe[probe["label_fraction"].astype(float).round(6) == round(fraction, 6)].iloc[0]
    return ProbeAgainstFinetune(n_labels=int(first["n_labels"]), probe=mean_of(task),
                                finetune=mean_of(task + FINETUNE_SUFFIX), supervised=mean_of(yardstick),
                                n_seeds=int(first["n_seeds"]))


# --- pictures ------------------------------------------------------------------------------------


def to_pixels(unit_image: np.ndarray, scale: int) -> np.ndarray:
    """float (H, W) in [0, 1] -> uint8 (H*scale, W*scale), pixel for pixel: a browser scaling a
    small picture up would blur it."""
    pixels = np.clip(np.round(unit_image * 255.0), 0, 255).astype(np.uint8)
    return np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)


def _outline(picture: np.ndarray, top: int, left: int, size: int, colour, width: int) -> None:
    bottom, right = top + size, left + size
    picture[top : top + width, left:right] = colour
    picture[bottom - width : bottom, left:right] = colour
    picture[top:bottom, left : left + width] = colour
    picture[top:bottom, right - width : right] = colour


MIDDLE_COLOUR = (230, 159, 0)  # Okabe-Ito orange
NEIGHBOUR_COLOUR = (86, 180, 233)  # Okabe-Ito sky blue
GRID_COLOUR = (90, 90, 90)


def cut_picture(pairs: PatchPairs, facts: PatchFacts, scale: int) -> np.ndarray:
    """uint8 (S*scale, S*scale, 3): the padded digit with the grid's cells and every piece cut,
    the middle piece outlined in orange and the neighbour pieces in blue."""
    grey = to_pixels(pairs.padded, scale)
    picture = np.repeat(grey[:, :, np.newaxis], 3, axis=2)
    for line in range(1, facts.grid):
        position = line * facts.cell * scale
        picture[position - 1 : position + 1, :] = GRID_COLOUR
        picture[:, position - 1 : position + 1] = GRID_COLOUR
    width = max(1, scale // 3)
    size = facts.piece * scale
    for top, left in pairs.neighbour_corners:
        _outline(picture, int(top) * scale, int(left) * scale, size, NEIGHBOUR_COLOUR, width)
    top, left = pairs.middle_corner
    _outline(picture, top * scale, left * scale, size, MIDDLE_COLOUR, width)
    return picture


def framed_piece(piece: np.ndarray, scale: int, colour) -> np.ndarray:
    """uint8 RGB: one piece enlarged, edged in the colour it has on the cut picture."""
    picture = np.repeat(to_pixels(piece, scale)[:, :, np.newaxis], 3, axis=2)
    _outline(picture, 0, 0, picture.shape[0], colour, max(1, scale // 3))
    return picture


def mask_picture(result: MaskResult, facts: MaskFacts, scale: int) -> np.ndarray:
    """uint8 RGB: the masked digit as the network sees it (hidden squares black), each hidden
    square edged in orange so that it reads as "hidden", not as paper with no ink."""
    picture = np.repeat(to_pixels(result.masked, scale)[:, :, np.newaxis], 3, axis=2)
    size, width = facts.square * scale, max(1, scale // 3)
    for row in range(facts.mask_grid):
        for column in range(facts.mask_grid):
            if result.mask[row * facts.square, column * facts.square]:
                _outline(picture, row * size, column * size, size, MIDDLE_COLOUR, width)
    return picture
