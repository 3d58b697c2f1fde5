"""The frozen-encoder probe that the self-supervised paradigms and ``gan_probe`` share: an encoder
learned without labels is frozen, and each label fraction fits only a linear probe on its features.

A logistic regression on standardised features is folded into one linear layer, so that encoder +
probe is an ordinary classifier (image -> logits) that exports like any other.

Which features the probe reads, and how strongly it is regularised, are chosen once per encoder
on the validation split (5-fold cross-validation on its labelled digits), then used at every
fraction: a pretext task shapes its last block for the pretext itself (a rotation is told by
where the strokes are, which global averaging throws away), so an earlier block, or the last one
pooled onto a 2x2 grid, can serve the digits better (Gidaris et al. 2018 read their probes from
intermediate blocks for this reason).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import torch
from torch import nn

from training.augment import random_affine
from training.backbone import Classifier
from training.point import PointTask

# The candidates the validation split chooses among, fixed in advance (the pretext paradigms and
# gan_probe carry them in their configs): C, scikit-learn's inverse L2 strength, and the readers,
# (conv blocks kept, side of the pooled grid).
PROBE_CS: tuple[float, ...] = (0.05, 0.5, 5.0)
PROBE_READERS: tuple[tuple[int, int], ...] = ((2, 2), (3, 2), (4, 1), (4, 2))


class ProbeSettings(Protocol):
    """The probe fields a paradigm's config carries (PretextConfig, gan_probe's Config): read
    only, as the frozen dataclasses give them."""

    @property
    def probe_cs(self) -> tuple[float, ...]: ...  # scikit-learn's inverse L2 strengths tried on validation

    @property
    def probe_readers(self) -> tuple[tuple[int, int], ...]: ...  # (conv blocks kept, pooled grid side) tried

    @property
    def probe_copies(self) -> int: ...  # lightly warped copies of each labelled digit fitted beside it

    @property
    def probe_batchnorm_on_clean_pool(self) -> bool: ...  # BatchNorm statistics re-measured on the pool's digits


@dataclass(frozen=True)
class ProbeChoice:
    """What the validation split chose for one encoder: the reader and the probe's strength."""
    blocks: int
    grid: int
    c: float
    validation_accuracy: float  # mean over the folds; nan when there was no validation split

    def as_metrics(self) -> dict[str, float]:
        return {"probe_blocks": self.blocks, "probe_grid": self.grid, "probe_c": self.c,
                "probe_validation_accuracy": round(self.validation_accuracy, 4)}


class ProbeReader(nn.Module):
    """The encoder's first ``blocks`` convolution blocks, averaged onto a ``grid`` x ``grid`` map
    and flattened: image (B, 1, 28, 28) -> features (B, channels * grid * grid)."""

    def __init__(self, encoder: nn.Module, blocks: int, grid: int):
        super().__init__()
        self.trunk = nn.Sequential(*_first_blocks(encoder, blocks))
        with torch.no_grad():
            channels, side = self.trunk.eval()(torch.zeros(1, 1, 28, 28)).shape[1:3]
        # Plain average pooling with windows that tile the map (overlapping by a row when the side
        # does not divide, 7 -> 2: windows of 4 every 3): ONNX exports it, unlike an adaptive
        # pooling whose output does not divide its input.
        stride = side // grid
        self.pool = nn.AvgPool2d(kernel_size=side - (grid - 1) * stride, stride=stride)
        self.blocks, self.grid = blocks, grid
        self.feature_dim = int(channels) * grid * grid

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.pool(self.trunk(image)).flatten(1)


def _first_blocks(encoder: nn.Module, blocks: int) -> list[nn.Module]:
    """The layers up to the ``blocks``-th convolution's block (its normalisation and activation),
    stopping before the next convolution or the final pooling."""
    kept: list[nn.Module] = []
    seen = 0
    for layer in encoder.children():  # the shared encoder is a Sequential: its layers in order
        if isinstance(layer, nn.Conv2d):
            if seen == blocks:
                break
            seen += 1
        if isinstance(layer, (nn.AdaptiveAvgPool2d, nn.Flatten)):
            break
        kept.append(layer)
    if seen < blocks:
        raise ValueError(f"the encoder has {seen} convolution blocks, not {blocks}")
    return kept


def choose_probe(encoder: nn.Module, validation_images: torch.Tensor, validation_targets: torch.Tensor,
                 config: ProbeSettings, folds: int = 5) -> ProbeChoice:
    """The reader and C with the best 5-fold cross-validated accuracy on the validation digits
    (ties go to the earlier reader and the stronger regularisation). Without a validation split,
    the last block averaged and the middle C, as before this choice existed."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    counts = np.bincount(validation_targets.numpy()) if len(validation_targets) else np.zeros(0)
    if len(validation_targets) == 0 or counts[counts > 0].min() < folds:
        blocks, grid = (4, 1) if (4, 1) in config.probe_readers else config.probe_readers[-1]
        return ProbeChoice(blocks, grid, sorted(config.probe_cs)[len(config.probe_cs) // 2], float("nan"))
    labels = validation_targets.numpy()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    best: ProbeChoice | None = None
    for blocks, grid in config.probe_readers:
        features = encode(ProbeReader(encoder, blocks, grid), validation_images).numpy().astype(np.float64)
        for c in sorted(config.probe_cs):
            scores = []
            for train, held in splitter.split(features, labels):
                mean, spread = features[train].mean(axis=0), features[train].std(axis=0) + 1e-6
                regression = LogisticRegression(C=c, max_iter=2000)
                regression.fit((features[train] - mean) / spread, labels[train])
                scores.append(regression.score((features[held] - mean) / spread, labels[held]))
            score = float(np.mean(scores))
            if best is None or score > best.validation_accuracy + 1e-9:
                best = ProbeChoice(blocks, grid, c, score)
    assert best is not None
    return best


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
              config: ProbeSettings, generator: torch.Generator, c: float) -> nn.Linear:
    """Logistic regression (inverse strength ``c``) on frozen, standardised features, folded into
    one linear layer so that encoder + probe is an ordinary classifier (image -> logits)."""
    from sklearn.linear_model import LogisticRegression

    inputs = [images] + [random_affine(images, generator) for _ in range(config.probe_copies)]
    features = encode(encoder, torch.cat(inputs)).numpy().astype(np.float64)
    labels = targets.repeat(len(inputs)).numpy()
    mean, spread = features.mean(axis=0), features.std(axis=0) + 1e-6
    regression = LogisticRegression(C=c, max_iter=2000)
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


def chosen_once(encoder: nn.Module, validation_images: torch.Tensor, validation_targets: torch.Tensor,
                config: ProbeSettings) -> ProbeChoice:
    """``choose_probe``, kept in the training cache under the encoder's weights, the validation
    split and the candidates: the cross-validation takes about a minute and a half on one core,
    and every fraction of a seed (and every rerun) would otherwise redo the same choice."""
    from dataclasses import asdict

    from training.train_cache import cached

    digest = hashlib.sha256()
    for name, tensor in encoder.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().float().contiguous().numpy().tobytes())
    digest.update(validation_images.numpy().tobytes())
    digest.update(validation_targets.numpy().tobytes())
    digest.update(repr((sorted(config.probe_cs), tuple(config.probe_readers))).encode())

    def choose() -> tuple[ProbeChoice, dict]:
        choice = choose_probe(encoder, validation_images, validation_targets, config)
        return choice, asdict(choice)

    return cached(f"probe-choice-{digest.hexdigest()[:24]}", choose, lambda saved: ProbeChoice(**saved))


def with_clean_statistics(encoder: nn.Module, task: PointTask) -> nn.Module:
    """A copy of the frozen encoder whose BatchNorm layers average the pool's digits as they are.

    A pretext task trains on inputs the probe never shows it (rotated digits, patches, strongly
    augmented views, masked pixels), and BatchNorm keeps the statistics of those batches; the
    probe then normalises clean digits with them. One pass over the pool (its images, no label)
    measures them again and changes no weight. A copy, so that the pretext network that ships
    beside it keeps the statistics of the inputs it is shown on the page."""
    import copy

    from training.batchnorm_statistics import recalibrate_on_clean

    clean = copy.deepcopy(encoder)
    recalibrate_on_clean(clean, pool_in_pool_order(task))
    return clean


def probe_on_chosen_reader(encoder: nn.Module, task: PointTask, config: ProbeSettings,
                           generator: torch.Generator) -> tuple[Classifier, ProbeReader, ProbeChoice]:
    """Choose the reader and C on validation (the same choice at every fraction: it depends only
    on the encoder and the validation split), then fit this fraction's probe on the labelled digits."""
    if config.probe_batchnorm_on_clean_pool:
        encoder = with_clean_statistics(encoder, task)
    choice = chosen_once(encoder, task.validation_images, task.validation_targets, config)
    reader = ProbeReader(encoder, choice.blocks, choice.grid).eval()
    head = fit_probe(reader, task.labelled_images, task.labelled_targets, task.num_classes, config, generator, choice.c)
    return probe_classifier(reader, head), reader, choice


def probe_classifier(encoder: nn.Module, head: nn.Linear) -> Classifier:
    classifier = Classifier(encoder, head.out_features, feature_dim=head.in_features)
    classifier.head = head
    return classifier.eval()
