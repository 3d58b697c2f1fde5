"""What a paradigm receives to train one study point, and what it hands back.

A point is (paradigm, data set, label fraction, seed). The task carries the data already as
tensors in memory (no DataLoader: the data sets are small and per-batch Python work would
dominate on 2 cores) and hides the labels of the unlabelled pool, so a paradigm cannot read a
label it is not allowed to see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from training.data import Dataset, Split, labelled_subset, subset_fingerprint


@dataclass(frozen=True)
class PointTask:
    paradigm: str
    dataset_name: str
    label_fraction: float
    seed: int
    class_names: tuple[str, ...]
    labelled_images: torch.Tensor  # (L, 1, 28, 28) float32 in [0, 1]
    labelled_targets: torch.Tensor  # (L,) int64
    unlabelled_images: torch.Tensor  # (U, 1, 28, 28): the rest of the pool, labels withheld
    subset_sha256: str
    # Where each image sits in the pool (positions, not labels): the study uses them to check the
    # pseudo-labels against the withheld truth and to place the digits on the pool's map.
    labelled_positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    unlabelled_positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # The validation split, labelled: only for choosing among settings fixed in advance (a frozen
    # probe's layer and strength), never trained on. Empty when the split has none.
    validation_images: torch.Tensor = field(default_factory=lambda: torch.zeros(0, 1, 28, 28))
    validation_targets: torch.Tensor = field(default_factory=lambda: torch.zeros(0, dtype=torch.int64))

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def pool_images(self) -> torch.Tensor:
        """Every pool image, labelled first: what a label-free method may learn from."""
        return torch.cat([self.labelled_images, self.unlabelled_images])


@dataclass(frozen=True)
class PseudoLabelRound:
    """What a semi-supervised method believed about the unlabelled pool at one moment of training.

    ``labels[i]`` is its guess for ``task.unlabelled_images[i]`` and ``confidence[i]`` the
    probability it gave that guess; a guess at or above ``threshold`` is one the method trains on
    (or would). The method never sees the true labels: the study scores these guesses afterwards.
    """
    step: int
    labels: np.ndarray  # (U,) int64
    confidence: np.ndarray  # (U,) float32 in [0, 1]
    threshold: float

    @property
    def carried(self) -> np.ndarray:
        return self.confidence >= self.threshold  # (U,) bool


@dataclass
class TrainedPoint:
    classifier: nn.Module  # image (B, 1, 28, 28) in [0, 1] -> logits (B, num_classes)
    train_seconds: float
    extra_metrics: dict[str, float] = field(default_factory=dict)
    # What the paradigm hands the study beside the classifier, each with ``ship(context)``
    # (training/companions.py: a frozen encoder to ship, a pseudo-label log to score...).
    companions: list = field(default_factory=list)


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 (N, 28, 28) -> float32 (N, 1, 28, 28) in [0, 1]."""
    return torch.from_numpy(images).float().div_(255.0).unsqueeze(1)


def make_point_task(dataset: Dataset, split: Split, paradigm: str, label_fraction: float, seed: int,
                    positions: np.ndarray | None = None) -> PointTask:
    """The task of one point; ``positions`` (the labelled pool positions) default to the study's subset."""
    pool_labels = dataset.labels[split.pool_indices]
    if positions is None:
        positions = labelled_subset(pool_labels, label_fraction, seed)
    hidden = np.setdiff1d(np.arange(len(split.pool_indices)), positions)
    pool_images = dataset.images[split.pool_indices]
    return PointTask(
        paradigm=paradigm,
        dataset_name=dataset.name,
        label_fraction=label_fraction,
        seed=seed,
        class_names=dataset.class_names,
        labelled_images=to_tensor(pool_images[positions]),
        labelled_targets=torch.from_numpy(pool_labels[positions]),
        unlabelled_images=to_tensor(pool_images[hidden]),
        subset_sha256=subset_fingerprint(positions),
        labelled_positions=np.asarray(positions, dtype=np.int64),
        unlabelled_positions=hidden.astype(np.int64),
        validation_images=to_tensor(dataset.images[split.validation_indices]),
        validation_targets=torch.from_numpy(dataset.labels[split.validation_indices]),
    )


@torch.inference_mode()
def read_guesses(classifier: nn.Module, images: torch.Tensor, *, step: int, threshold: float,
                 batch_size: int = 500) -> PseudoLabelRound:
    """The classifier's guess and confidence for every image (no augmentation, eval mode)."""
    was_training = classifier.training
    classifier.eval()
    labels, confidence = [], []
    for start in range(0, len(images), batch_size):
        probabilities = classifier(images[start : start + batch_size]).float().softmax(dim=1)
        best, guess = probabilities.max(dim=1)
        labels.append(guess)
        confidence.append(best)
    classifier.train(was_training)
    if not labels:
        return PseudoLabelRound(step, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), threshold)
    return PseudoLabelRound(step, torch.cat(labels).numpy(), torch.cat(confidence).numpy(), threshold)


@torch.inference_mode()
def accuracy(classifier: nn.Module, images: torch.Tensor, targets: torch.Tensor, batch_size: int = 500) -> float:
    classifier.eval()
    correct = 0
    for start in range(0, len(images), batch_size):
        logits = classifier(images[start : start + batch_size])
        correct += int((logits.argmax(dim=1) == targets[start : start + batch_size]).sum())
    return correct / len(images)
