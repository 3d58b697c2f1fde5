"""The pseudo-label log of a semi-supervised run, scored against the labels the method never saw.

A semi-supervised paradigm hands back, with its classifier, what it believed about the unlabelled
pool at a few moments of training (``PseudoLabelRound``). Only here, in the study, are those
guesses compared with the withheld true labels: the method's code never receives them, and a test
proves it by scrambling them. Every run gets a few rows in ``pseudo_labels.csv``; the shipped seed
also gets a details file for the semi-supervised page (every guess per round, a sample of the
labelled digits, the most confident mistakes), and the data set a 2-D map of its pool.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from training.point import PointTask, PseudoLabelRound

LABELLED_SAMPLE = 60  # labelled digits shown on the page
MISTAKES_SHOWN = 24  # confident mistakes kept for the gallery


@dataclass(frozen=True)
class PointLog:
    rows: list[dict]  # one per round, columns of PSEUDO_LABEL_COLUMNS less the point's key
    details_file: str | None  # bundle-relative path; None for seeds whose details are not shipped
    details_bytes: bytes | None


def score_rounds(rounds: list[PseudoLabelRound], truth: np.ndarray) -> list[dict]:
    """Per round: how many unlabelled digits carry a pseudo-label, and how many of those are right."""
    rows = []
    for number, guesses in enumerate(rounds):
        carried = guesses.carried
        right = guesses.labels == truth
        rows.append({
            "round": number, "step": guesses.step, "threshold": guesses.threshold,
            "n_unlabelled": int(len(truth)), "n_carried": int(carried.sum()),
            "n_carried_correct": int((carried & right).sum()), "n_guesses_correct": int(right.sum()),
        })
    return rows


def details_npz(task: PointTask, rounds: list[PseudoLabelRound], truth: np.ndarray, pool_images: np.ndarray,
                pool_labels: np.ndarray) -> bytes:
    """Everything the page draws for one shipped run, small: int8 guesses, float16 confidences.

    ``pool_images`` uint8 (P, 28, 28) and ``pool_labels`` (P,) are the whole pool in pool order.
    """
    rng = np.random.default_rng(task.seed)
    shown = task.labelled_positions
    if len(shown) > LABELLED_SAMPLE:
        shown = np.sort(rng.choice(shown, LABELLED_SAMPLE, replace=False))
    final = rounds[-1]
    wrong = np.flatnonzero(final.carried & (final.labels != truth))
    worst = wrong[np.argsort(-final.confidence[wrong], kind="stable")][:MISTAKES_SHOWN]
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        steps=np.array([r.step for r in rounds], dtype=np.int32),
        thresholds=np.array([r.threshold for r in rounds], dtype=np.float32),
        guesses=np.stack([r.labels for r in rounds]).astype(np.int8),  # (R, U)
        confidence=np.stack([r.confidence for r in rounds]).astype(np.float16),  # (R, U)
        unlabelled_positions=task.unlabelled_positions.astype(np.int32),  # (U,) pool positions
        unlabelled_truth=truth.astype(np.int8),  # (U,) for scoring on the page, never used in training
        labelled_positions=task.labelled_positions.astype(np.int32),
        labelled_labels=pool_labels[task.labelled_positions].astype(np.int8),
        labelled_sample_images=pool_images[shown],  # (S, 28, 28) uint8
        labelled_sample_labels=pool_labels[shown].astype(np.int8),
        mistake_images=pool_images[task.unlabelled_positions[worst]],  # (M, 28, 28) uint8
        mistake_guesses=final.labels[worst].astype(np.int8),
        mistake_truth=truth[worst].astype(np.int8),
        mistake_confidence=final.confidence[worst].astype(np.float32),
    )
    return buffer.getvalue()


def pool_map(pool_images: np.ndarray, seed: int = 0) -> np.ndarray:
    """A 2-D map of the pool from pixels alone (no label): PCA to 50 dimensions, then t-SNE.

    uint8 (P, H, W) -> float32 (P, 2) scaled to [-1, 1]. Built once per data set; every
    semi-supervised run is drawn on the same map, so a class sees the labels fill one picture.
    """
    from training.feature_maps import map_2d

    pixels = pool_images.reshape(len(pool_images), -1).astype(np.float32) / 255.0
    return map_2d(pixels, seed)
