"""Unsupervised baseline: k-means on raw pixels, clusters named afterwards by the few labels.

The clustering never sees a label; the labelled subset only names the clusters, by majority
vote of the labelled digits inside each one. A cluster that holds no labelled digit takes the
label of the labelled digit nearest to its centre, so every cluster gets a name even at 1 %.

Exported behind the common classifier interface: the logit of a class is minus the squared
distance to that class's nearest centre, divided by the typical within-cluster distance, so the
softmax reads as a graded confidence rather than a hard 0/1.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import torch
from sklearn.cluster import KMeans
from torch import nn

from training.point import PointTask, TrainedPoint


@dataclass(frozen=True)
class Config:
    # Three clusters per class on average: a digit comes in a few styles (a 7 with or without a
    # bar, a 1 upright or slanted) that one centre per class cannot hold. Fixed before the study.
    clusters_per_class: int = 3
    n_init: int = 3
    max_iter: int = 300

    def for_tests(self) -> "Config":
        return replace(self, n_init=1, max_iter=50)

    def for_dry_run(self) -> "Config":
        return replace(self, n_init=1, max_iter=2)


class NearestCentreClassifier(nn.Module):
    """image (B, 1, 28, 28) -> logits (B, K): a named set of k-means centres as a classifier."""

    centre_norms: torch.Tensor  # buffers, registered in __init__
    class_mask: torch.Tensor

    def __init__(self, centres: np.ndarray, centre_labels: np.ndarray, num_classes: int, distance_scale: float):
        super().__init__()
        # A frozen Parameter rather than a buffer: the centres are what k-means learned, and the
        # manifest's parameter count should say so.
        self.centres = nn.Parameter(torch.as_tensor(centres, dtype=torch.float32), requires_grad=False)  # (C, 784)
        self.register_buffer("centre_norms", self.centres.detach().pow(2).sum(dim=1))  # (C,)
        # 0 where centre j carries class k, a large negative number elsewhere; a class with no
        # centre ends up far below the others instead of at -inf, which ONNX softmax dislikes.
        mask = np.full((num_classes, len(centres)), -1e4, dtype=np.float32)
        mask[centre_labels, np.arange(len(centres))] = 0.0
        self.register_buffer("class_mask", torch.from_numpy(mask))  # (K, C)
        self.distance_scale = float(distance_scale)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        pixels = image.flatten(1)  # (B, 784)
        squared = pixels.pow(2).sum(dim=1, keepdim=True) - 2.0 * pixels @ self.centres.T + self.centre_norms  # (B, C)
        closeness = -squared / self.distance_scale
        return (closeness.unsqueeze(1) + self.class_mask).amax(dim=2)  # (B, K)


def name_clusters(centres: np.ndarray, assignments: np.ndarray, labelled_pixels: np.ndarray,
                  labelled_targets: np.ndarray, num_classes: int) -> np.ndarray:
    """One label per centre: majority of the labelled members, else the nearest labelled digit."""
    names = np.empty(len(centres), dtype=np.int64)
    for centre_index in range(len(centres)):
        members = labelled_targets[assignments == centre_index]
        if len(members):
            names[centre_index] = np.bincount(members, minlength=num_classes).argmax()
        else:
            distances = ((labelled_pixels - centres[centre_index]) ** 2).sum(axis=1)
            names[centre_index] = labelled_targets[distances.argmin()]
    return names


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    started = time.perf_counter()
    pool = task.pool_images.flatten(1).numpy()  # (N, 784): labelled first, then unlabelled
    n_clusters = min(len(pool), config.clusters_per_class * task.num_classes)
    kmeans = KMeans(n_clusters=n_clusters, n_init=config.n_init, max_iter=config.max_iter, random_state=task.seed)
    kmeans.fit(pool)  # no label is passed: the clustering is the same at every fraction

    labelled_pixels = task.labelled_images.flatten(1).numpy()
    labelled_targets = task.labelled_targets.numpy()
    labelled_assignments = kmeans.labels_[: len(labelled_pixels)]
    centre_labels = name_clusters(kmeans.cluster_centers_, labelled_assignments, labelled_pixels,
                                  labelled_targets, task.num_classes)
    typical_squared_distance = max(float(kmeans.inertia_) / len(pool), 1e-6)
    classifier = NearestCentreClassifier(kmeans.cluster_centers_, centre_labels, task.num_classes,
                                         typical_squared_distance)
    return TrainedPoint(classifier=classifier.eval(), train_seconds=time.perf_counter() - started,
                        extra_metrics={"clusters": float(n_clusters)})
