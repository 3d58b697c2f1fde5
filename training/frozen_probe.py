"""The frozen-encoder probe that the self-supervised paradigms and ``gan_probe`` share: an encoder
learned without labels is frozen, and each label fraction fits only a linear probe on its features.

A logistic regression on standardised features is folded into one linear layer, so that encoder +
probe is an ordinary classifier (image -> logits) that exports like any other.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import torch
from torch import nn

from training.augment import random_affine
from training.backbone import Classifier
from training.point import PointTask


class ProbeSettings(Protocol):
    """The two probe fields a paradigm's config carries (PretextConfig, gan_probe's Config): read
    only, as the frozen dataclasses give them."""

    @property
    def probe_c(self) -> float: ...  # scikit-learn's inverse L2 strength

    @property
    def probe_copies(self) -> int: ...  # lightly warped copies of each labelled digit fitted beside it


def pool_in_pool_order(task: PointTask) -> torch.Tensor:
    """Every pool image at its own pool position: the same tensor whatever the label fraction,
    so the pretraining (which must not depend on the fraction) sees identical data."""
    images = torch.empty((len(task.labelled_positions) + len(task.unlabelled_positions), *task.labelled_images.shape[1:]))
    images[torch.from_numpy(task.labelled_positions)] = task.labelled_images
    images[torch.from_numpy(task.unlabelled_positions)] = task.unlabelled_images
    return images


@torch.inference_mode()
def encode(encoder: nn.Module, images: torch.Tensor, batch_size: int = 500) -> torch.Tensor:
    encoder.eval()
    return torch.cat([encoder(images[s : s + batch_size]).float() for s in range(0, len(images), batch_size)])


def fit_probe(encoder: nn.Module, images: torch.Tensor, targets: torch.Tensor, num_classes: int,
              config: ProbeSettings, generator: torch.Generator) -> nn.Linear:
    """Logistic regression on frozen, standardised features, folded into one linear layer so that
    encoder + probe is an ordinary classifier (image -> logits)."""
    from sklearn.linear_model import LogisticRegression

    inputs = [images] + [random_affine(images, generator) for _ in range(config.probe_copies)]
    features = encode(encoder, torch.cat(inputs)).numpy().astype(np.float64)
    labels = targets.repeat(len(inputs)).numpy()
    mean, spread = features.mean(axis=0), features.std(axis=0) + 1e-6
    regression = LogisticRegression(C=config.probe_c, max_iter=2000)
    regression.fit((features - mean) / spread, labels)

    # A class the subset lacks would be missing from the regression; give it a very low score.
    weight = np.zeros((num_classes, features.shape[1]))
    bias = np.full(num_classes, -1e4)
    if len(regression.classes_) == 2:  # scikit-learn keeps one row for two classes
        rows = np.vstack([-regression.coef_[0], regression.coef_[0]]) / 2
        offsets = np.array([-regression.intercept_[0], regression.intercept_[0]]) / 2
    else:
        rows, offsets = regression.coef_, regression.intercept_
    weight[regression.classes_] = rows / spread
    bias[regression.classes_] = offsets - (rows / spread) @ mean
    head = nn.Linear(features.shape[1], num_classes)
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(weight).float())
        head.bias.copy_(torch.from_numpy(bias).float())
    return head


def probe_classifier(encoder: nn.Module, head: nn.Linear) -> Classifier:
    classifier = Classifier(encoder, head.out_features, feature_dim=head.in_features)
    classifier.head = head
    return classifier.eval()
