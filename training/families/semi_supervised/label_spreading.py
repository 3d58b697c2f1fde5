"""Label spreading (Zhou et al. 2004, scikit-learn's LabelSpreading): the few labels flow along a
graph that joins each pool digit to its nearest neighbours in pixel space, then a CNN learns from
the spread labels.

The graph holds every pool digit, labelled or not; each step of spreading passes every digit's
label mass on to its neighbours (and keeps part of the original labels, ``alpha``), so after k
steps the labels have reached digits k hops away. A digit's spread label is the class holding most
of its mass, and its certainty is one minus the normalised entropy of that mass. The spread labels
alone are a transductive answer for the pool, not a model for new digits, so the shared CNN is then
trained on the labelled digits plus the spread ones, each weighted by its certainty (the recipe of
Iscen et al. 2019); that CNN is the classifier that ships.

With no unlabelled digit (100 % labels) nothing spreads and the CNN is the supervised baseline.

    python -m training train label_spreading --fraction 0.01 --seed 0
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.exceptions import ConvergenceWarning
from sklearn.semi_supervised import LabelSpreading
from tqdm import tqdm

from training.augment import random_affine
from training.backbone import Classifier, make_encoder
from training.companions import PSEUDO_LABEL_LOG, PseudoLabelLog
from training.optimisation import OneCycleAdamW
from training.point import PointTask, PseudoLabelRound, TrainedPoint

# What its shipped points need beyond the classifier: the run's pseudo-label log (and the pool map).
point_shipping = PSEUDO_LABEL_LOG


@dataclass(frozen=True)
class Config:
    n_neighbors: int = 10  # scikit-learn's default for the kNN kernel
    alpha: float = 0.2  # share of a digit's mass that comes from its neighbours at each step (default)
    spreading_steps: int = 30  # scikit-learn's default max_iter
    # Spreading steps at which the log reads the labels: the page shows them reaching further.
    logged_steps: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 12, 30)
    # For the log: a spread label "carries" when one digit holds more than half of the mass.
    threshold: float = 0.5
    # The CNN: the supervised baseline's budget and optimiser.
    steps: int = 1000
    batch_size: int = 64
    learning_rate: float = 5e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.1
    augment: bool = True

    def for_tests(self) -> "Config":
        return replace(self, steps=150, batch_size=32, logged_steps=(1, 3, 30))

    def for_dry_run(self) -> "Config":
        return replace(self, steps=1, batch_size=8, spreading_steps=2, logged_steps=(1, 2))


def spread(pixels: np.ndarray, labels: np.ndarray, config: Config, max_iter: int) -> np.ndarray:
    """pixels (N, D), labels (N,) with -1 for unlabelled -> label mass (N, K) after ``max_iter`` steps."""
    model = LabelSpreading(kernel="knn", n_neighbors=config.n_neighbors, alpha=config.alpha, max_iter=max_iter)
    with warnings.catch_warnings():
        # Stopping after a few steps on purpose (the log) is not a convergence failure.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(pixels, labels)
    return model.label_distributions_  # rows sum to 1, or 0 where no label has arrived yet


def _round(mass: np.ndarray, step: int, threshold: float) -> PseudoLabelRound:
    return PseudoLabelRound(step, mass.argmax(axis=1).astype(np.int64), mass.max(axis=1).astype(np.float32), threshold)


def certainty(mass: np.ndarray) -> np.ndarray:
    """1 - entropy / log(K) per row: 1 for all mass on one class, 0 for uniform or no mass."""
    total = mass.sum(axis=1, keepdims=True)
    reached = total[:, 0] > 0
    p = np.where(reached[:, None], mass / np.where(total > 0, total, 1.0), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.nansum(np.where(p > 0, p * np.log(p), 0.0), axis=1)
    return np.where(reached, 1.0 - entropy / np.log(mass.shape[1]), 0.0)


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    started = time.perf_counter()
    torch.manual_seed(task.seed)
    generator = torch.Generator().manual_seed(task.seed)

    unlabelled = task.unlabelled_images
    images, targets = task.labelled_images, task.labelled_targets
    weights = torch.ones(len(targets))
    rounds = []
    if len(unlabelled):
        n_labelled = len(task.labelled_targets)
        pixels = torch.cat([task.labelled_images, unlabelled]).flatten(1).numpy()
        labels = np.concatenate([task.labelled_targets.numpy(), np.full(len(unlabelled), -1)])
        for step in config.logged_steps:
            if step < config.spreading_steps:
                rounds.append(_round(spread(pixels, labels, config, step)[n_labelled:], step, config.threshold))
        mass = spread(pixels, labels, config, config.spreading_steps)[n_labelled:]
        rounds.append(_round(mass, config.spreading_steps, config.threshold))
        images = torch.cat([images, unlabelled])
        targets = torch.cat([targets, torch.from_numpy(mass.argmax(axis=1).astype(np.int64))])
        weights = torch.cat([weights, torch.from_numpy(certainty(mass).astype(np.float32))])

    classifier = Classifier(make_encoder(), task.num_classes)
    optimiser = OneCycleAdamW(classifier.parameters(), learning_rate=config.learning_rate,
                              weight_decay=config.weight_decay, steps=config.steps)
    classifier.train()
    for _ in tqdm(range(config.steps), desc=f"label spreading {task.label_fraction:.0%}", disable=not progress):
        batch = torch.randint(0, len(images), (config.batch_size,), generator=generator)
        inputs = images[batch]
        if config.augment:
            inputs = random_affine(inputs, generator)
        losses = F.cross_entropy(classifier(inputs), targets[batch], label_smoothing=config.label_smoothing, reduction="none")
        batch_weights = weights[batch]
        loss = (losses * batch_weights).sum() / batch_weights.sum().clamp_min(1e-6)
        optimiser.step(loss)
    classifier.eval()
    return TrainedPoint(classifier=classifier, train_seconds=time.perf_counter() - started, companions=[PseudoLabelLog(rounds)])
