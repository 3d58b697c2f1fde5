"""What the semi-supervised page shows, computed without Streamlit: how a few human labels spread.

A shipped semi-supervised run comes with its pseudo-label log (manifest `pseudo_label_details`,
one npz per run, exported_models/README.md): at a few moments of training ("rounds"), the model's
guess and confidence for every unlabelled digit of the pool. A guess carries a pseudo-label when
its confidence reaches the method's bar; the log also holds the true labels that the method never
saw, so the page can score each pseudo-label right or wrong. This module reads and checks those
files, sums each round up, places the pool on its 2-D map (`xy`, one row per pool digit) and
tells whether a model's answer for a test digit would clear the bar.

    entry = details_entry(manifest, "fixmatch", 0.01, "mnist5k")
    details = load_pseudo_label_details(manifest.bundle_directory, entry)
    round_summary(details)          # one row per round: carried, right, accuracy
    map_points(details, pool_xy, round_index=-1)
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core import bundle_reader as bundle
from dashboard.core.bundle_reader import (
    FULL_STUDY_COMMAND,
    BundleError,
    DatasetInfo,
    Manifest,
    PseudoLabelDetailsInfo,
)

FAMILY = "semi_supervised"
IMAGE_SIDE = 28

# What a point of the pool map is at one round, in drawing order (the labelled digits on top).
WAITING = "waiting"  # unlabelled, and no guess has reached the bar yet
RIGHT = "right"  # carries a pseudo-label, and it is the true label
WRONG = "wrong"  # carries a pseudo-label, and it is not
LABELLED = "labelled"  # labelled by a person
POINT_KINDS = (WAITING, RIGHT, WRONG, LABELLED)


class PseudoLabelDataError(BundleError):
    """A pseudo-label log or the pool map is missing, changed or malformed."""


@dataclass(frozen=True)
class PseudoLabelDetails:
    """One run's pseudo-label log. R rounds, U unlabelled digits, L labelled digits, S of them
    shown, M confident mistakes at the last round. Arrays are read-only: one cached copy serves
    every browser tab."""

    steps: np.ndarray  # (R,) int: the training step (or spreading step) of each round
    thresholds: np.ndarray  # (R,) float32: the method's confidence bar at each round
    guesses: np.ndarray  # (R, U) int: the guessed digit of each unlabelled digit
    confidence: np.ndarray  # (R, U) float32 in [0, 1]: the probability of that guess
    unlabelled_positions: np.ndarray  # (U,) int: rows of the pool (and of its map)
    unlabelled_truth: np.ndarray  # (U,) int: withheld true labels, for scoring only
    labelled_positions: np.ndarray  # (L,) int
    labelled_labels: np.ndarray  # (L,) int
    labelled_sample_images: np.ndarray  # (S, 28, 28) uint8, white ink on black
    labelled_sample_labels: np.ndarray  # (S,) int
    mistake_images: np.ndarray  # (M, 28, 28) uint8
    mistake_guesses: np.ndarray  # (M,) int
    mistake_truth: np.ndarray  # (M,) int
    mistake_confidence: np.ndarray  # (M,) float32

    @property
    def n_rounds(self) -> int:
        return len(self.steps)

    @property
    def n_unlabelled(self) -> int:
        return len(self.unlabelled_positions)

    @property
    def n_labelled(self) -> int:
        return len(self.labelled_positions)

    def carried(self, round_index: int) -> np.ndarray:
        """(U,) bool: the guesses that carry a pseudo-label at this round."""
        return self.confidence[round_index] >= self.thresholds[round_index]


# --- which runs the bundle holds -------------------------------------------------------------


def paradigms_with_details(manifest: Manifest) -> list[str]:
    """Paradigms with at least one pseudo-label log, in the registry's order."""
    logged = {entry.paradigm for entry in manifest.pseudo_label_details}
    registry = [paradigm.id for paradigm in manifest.paradigms if paradigm.id in logged]
    return registry + sorted(logged - set(registry))


def datasets_with_details(manifest: Manifest) -> list[str]:
    return sorted({entry.dataset for entry in manifest.pseudo_label_details})


def fractions_with_details(manifest: Manifest, paradigm: str, dataset: str) -> list[float]:
    """The label fractions this paradigm has a log for (never 100 %: nothing is unlabelled)."""
    return sorted(
        {
            entry.label_fraction
            for entry in manifest.pseudo_label_details
            if entry.paradigm == paradigm and entry.dataset == dataset
        }
    )


def details_entry(
    manifest: Manifest, paradigm: str, label_fraction: float, dataset: str
) -> PseudoLabelDetailsInfo | None:
    """The log of (paradigm, fraction, data set); the lowest seed if several are shipped."""
    entries = [
        entry
        for entry in manifest.pseudo_label_details
        if entry.paradigm == paradigm
        and entry.dataset == dataset
        and np.isclose(entry.label_fraction, label_fraction, rtol=1e-9, atol=0.0)
    ]
    return min(entries, key=lambda entry: entry.seed, default=None)


def semi_supervised_paradigms(manifest: Manifest) -> list[str]:
    """The registry's implemented semi-supervised paradigms (what a study run should include)."""
    return [
        paradigm.id
        for paradigm in manifest.paradigms
        if paradigm.family == FAMILY and paradigm.implemented
    ]


def study_command(paradigms: list[str]) -> str:
    """The study command that writes the pseudo-label logs of these paradigms."""
    return FULL_STUDY_COMMAND + "".join(f" --paradigm {paradigm}" for paradigm in paradigms)


def details_rebuild_command(entry: PseudoLabelDetailsInfo) -> str:
    # `study` skips a point whose results row and model are in place, even if its log is gone;
    # `train` always runs the point again and rewrites its log with its model.
    return bundle.point_rebuild_command(entry.paradigm, entry.label_fraction, entry.seed)


# --- reading the files -----------------------------------------------------------------------


def _inside_bundle(bundle_directory: Path, relative: str) -> Path | None:
    path = (bundle_directory / relative).resolve()
    return path if path.is_relative_to(bundle_directory.resolve()) else None


def _read_checked_npz(path: Path, sha256: str | None, mismatch: BundleError) -> dict:
    """Every array of the npz, once its SHA-256 matches; OSError or ValueError if unreadable."""
    if sha256 is not None and bundle.file_sha256(path) != sha256.lower():
        raise mismatch
    # allow_pickle=False: a damaged or hostile file must not run code on load.
    with np.load(path, allow_pickle=False) as archive:
        return {name: np.asarray(archive[name]) for name in archive.files}


def _read_only(array: np.ndarray, dtype) -> np.ndarray:
    array = np.ascontiguousarray(array, dtype=dtype)
    array.setflags(write=False)
    return array


def details_file_path(bundle_directory: Path, entry: PseudoLabelDetailsInfo) -> Path | None:
    return _inside_bundle(bundle_directory, entry.file)


def load_pseudo_label_details(
    bundle_directory: Path, entry: PseudoLabelDetailsInfo
) -> PseudoLabelDetails:
    """The run's log, checked against the manifest's SHA-256 and for consistent shapes, or a
    PseudoLabelDataError naming the file and the command that writes it again."""
    values = {"model_id": entry.id, "path": entry.file, "command": details_rebuild_command(entry)}
    path = details_file_path(bundle_directory, entry)
    if path is None or not path.is_file():
        raise PseudoLabelDataError("error.details_missing", **values)
    invalid = PseudoLabelDataError("error.details_invalid", **values)
    try:
        arrays = _read_checked_npz(
            path, entry.sha256, PseudoLabelDataError("error.details_mismatch", **values)
        )
        details = PseudoLabelDetails(
            steps=_read_only(arrays["steps"], np.int64),
            thresholds=_read_only(arrays["thresholds"], np.float32),
            guesses=_read_only(arrays["guesses"], np.int64),
            confidence=_read_only(arrays["confidence"], np.float32),
            unlabelled_positions=_read_only(arrays["unlabelled_positions"], np.int64),
            unlabelled_truth=_read_only(arrays["unlabelled_truth"], np.int64),
            labelled_positions=_read_only(arrays["labelled_positions"], np.int64),
            labelled_labels=_read_only(arrays["labelled_labels"], np.int64),
            labelled_sample_images=_read_only(arrays["labelled_sample_images"], np.uint8),
            labelled_sample_labels=_read_only(arrays["labelled_sample_labels"], np.int64),
            mistake_images=_read_only(arrays["mistake_images"], np.uint8),
            mistake_guesses=_read_only(arrays["mistake_guesses"], np.int64),
            mistake_truth=_read_only(arrays["mistake_truth"], np.int64),
            mistake_confidence=_read_only(arrays["mistake_confidence"], np.float32),
        )
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        raise invalid from error
    if not _well_formed(details):
        raise invalid
    return details


def _well_formed(details: PseudoLabelDetails) -> bool:
    n_rounds, n_unlabelled = details.n_rounds, details.n_unlabelled
    n_sample, n_mistakes = len(details.labelled_sample_labels), len(details.mistake_guesses)
    shapes = (
        (details.steps, (n_rounds,)),
        (details.thresholds, (n_rounds,)),
        (details.guesses, (n_rounds, n_unlabelled)),
        (details.confidence, (n_rounds, n_unlabelled)),
        (details.unlabelled_truth, (n_unlabelled,)),
        (details.labelled_labels, (details.n_labelled,)),
        (details.labelled_sample_images, (n_sample, IMAGE_SIDE, IMAGE_SIDE)),
        (details.mistake_images, (n_mistakes, IMAGE_SIDE, IMAGE_SIDE)),
        (details.mistake_truth, (n_mistakes,)),
        (details.mistake_confidence, (n_mistakes,)),
    )
    return (
        n_rounds > 0
        and details.unlabelled_positions.ndim == 1
        and details.labelled_positions.ndim == 1
        and all(array.shape == shape for array, shape in shapes)
        and bool(np.all(np.isfinite(details.confidence)))
        and bool(np.all(np.isfinite(details.thresholds)))
    )


def pool_map_path(bundle_directory: Path, dataset: DatasetInfo) -> Path | None:
    return None if dataset.pool_map_file is None else _inside_bundle(
        bundle_directory, dataset.pool_map_file
    )


def load_pool_map(bundle_directory: Path, dataset: DatasetInfo, paradigm: str) -> np.ndarray:
    """The pool's 2-D map, (P, 2) float32 in [-1, 1], one row per pool digit in pool order.

    `paradigm` only names the study command in the message: any semi-supervised study run
    writes the map again when it is missing or changed.
    """
    values = {
        "dataset": dataset.id,
        "path": dataset.pool_map_file or f"data/{dataset.id}-pool-map.npz",
        "command": study_command([paradigm]),
    }
    path = pool_map_path(bundle_directory, dataset)
    if path is None or not path.is_file():
        raise PseudoLabelDataError("error.pool_map_missing", **values)
    invalid = PseudoLabelDataError("error.pool_map_invalid", **values)
    try:
        xy = _read_checked_npz(path, dataset.pool_map_sha256, invalid)["xy"]
        xy = _read_only(xy, np.float32)
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        raise invalid from error
    if xy.ndim != 2 or xy.shape[1] != 2 or len(xy) == 0 or not np.all(np.isfinite(xy)):
        raise invalid
    return xy


# --- round by round --------------------------------------------------------------------------


def round_summary(details: PseudoLabelDetails) -> pd.DataFrame:
    """One row per round: the step, the bar, how many unlabelled digits carry a pseudo-label,
    how many of those are right, and the accuracy of the carried ones and of every guess.

    Recomputed from the log's float16 confidences, so a count may differ by a digit or two from
    pseudo_labels.csv (written from float32): the page's numbers then agree with its map.
    """
    carried = details.confidence >= details.thresholds[:, np.newaxis]  # (R, U)
    right = details.guesses == details.unlabelled_truth[np.newaxis, :]  # (R, U)
    n_carried = carried.sum(axis=1)
    n_carried_correct = (carried & right).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        carried_accuracy = np.where(n_carried > 0, n_carried_correct / n_carried, np.nan)
    return pd.DataFrame(
        {
            "round": np.arange(details.n_rounds),
            "step": details.steps,
            "threshold": details.thresholds.astype(np.float64),
            "n_unlabelled": details.n_unlabelled,
            "n_carried": n_carried,
            "n_carried_correct": n_carried_correct,
            "n_carried_wrong": n_carried - n_carried_correct,
            "carried_accuracy": carried_accuracy,
            "guesses_accuracy": right.mean(axis=1) if details.n_unlabelled else np.nan,
        }
    )


@dataclass(frozen=True)
class MapPoints:
    """The pool at one round, as the map draws it: one entry per pool digit the run used."""

    x: np.ndarray  # (N,) float
    y: np.ndarray  # (N,) float
    kind: np.ndarray  # (N,) str, one of POINT_KINDS
    digit: np.ndarray  # (N,) int: the true label (labelled) or the guess (unlabelled)
    truth: np.ndarray  # (N,) int: the true label
    confidence: np.ndarray  # (N,) float: of the guess; 1 for a person's label

    def count(self, kind: str) -> int:
        return int(np.sum(self.kind == kind))


def _positions(details: PseudoLabelDetails) -> np.ndarray:
    return np.concatenate([details.unlabelled_positions, details.labelled_positions])


def map_fits(details: PseudoLabelDetails, pool_xy: np.ndarray) -> bool:
    """Whether every digit of the run has a row on the map (a map made for another split of the
    data, or cut short, has not)."""
    positions = _positions(details)
    return not len(positions) or (positions.min() >= 0 and positions.max() < len(pool_xy))


def map_points(details: PseudoLabelDetails, pool_xy: np.ndarray, round_index: int) -> MapPoints:
    """Where each pool digit sits on the map and what it is at this round. The labelled digits
    come last, so a figure that draws in order puts them on top."""
    if not map_fits(details, pool_xy):
        raise ValueError("the pool map has no row for some of the run's digits")
    positions = _positions(details)
    carried = details.carried(round_index)
    guesses = details.guesses[round_index]
    kind = np.where(
        carried, np.where(guesses == details.unlabelled_truth, RIGHT, WRONG), WAITING
    )
    return MapPoints(
        x=pool_xy[positions, 0],
        y=pool_xy[positions, 1],
        kind=np.concatenate([kind, np.full(details.n_labelled, LABELLED)]),
        digit=np.concatenate([guesses, details.labelled_labels]),
        truth=np.concatenate([details.unlabelled_truth, details.labelled_labels]),
        confidence=np.concatenate(
            [details.confidence[round_index], np.ones(details.n_labelled, dtype=np.float32)]
        ),
    )


# --- the confidence bar, on one test digit ----------------------------------------------------


@dataclass(frozen=True)
class ThresholdVerdict:
    probabilities: np.ndarray  # (n_classes,), summing to 1
    guess: int  # the class with the highest probability
    confidence: float  # its probability
    threshold: float
    carried: bool  # would this guess carry a pseudo-label?


def threshold_verdict(probabilities: np.ndarray, threshold: float) -> ThresholdVerdict:
    """Whether the model's best guess for a digit clears the bar: the same rule the training
    applied to every unlabelled digit (confidence >= threshold)."""
    guess = int(np.argmax(probabilities))
    confidence = float(probabilities[guess])
    return ThresholdVerdict(
        probabilities=probabilities,
        guess=guess,
        confidence=confidence,
        threshold=float(threshold),
        carried=confidence >= threshold,
    )


def enlarged(images: np.ndarray, scale: int) -> np.ndarray:
    """uint8 (N, H, W) -> (N, H*scale, W*scale), pixel for pixel: a browser scaling a 28x28
    picture up would blur it."""
    return np.repeat(np.repeat(images, scale, axis=1), scale, axis=2)
