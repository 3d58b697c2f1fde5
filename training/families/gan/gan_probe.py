"""Discriminator features + linear probe: what a GAN's discriminator learned, with no label.

The DCGAN discriminator (the ``dcgan`` paradigm's, same config and seed: one cached network) spent
its training telling pool digits from generated ones. Its trunk is the shared encoder; here it is
frozen and read like a self-supervised encoder: a logistic-regression probe per label fraction on
its 64 features. The free label it learned from is "real or fake"; the probe's few labels only
name what it found.

    python -m training train gan_probe --fraction 0.01 --seed 0
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import torch

from training.companions import FROZEN_ENCODER, FrozenEncoder
from training.data import FRACTIONS
from training.families.gan.gan_training import GanConfig, cached_gan
from training.frozen_probe import fit_probe, pool_in_pool_order, probe_classifier
from training.point import PointTask, TrainedPoint

# What its shipped points need beyond the probe head: the seed's encoder and its feature map.
point_shipping = FROZEN_ENCODER

# The network this paradigm probes; ``dcgan`` ships its generator and discriminator.
GAN_NAME = "dcgan"


@dataclass(frozen=True)
class Config(GanConfig):
    # The probe, as for the self-supervised encoders (training/families/self_supervised/pretext_training.py, fixed there
    # before the study): C = 5 and 8 lightly warped copies of each labelled digit.
    probe_c: float = 5.0
    probe_copies: int = 8

    def for_tests(self):
        return replace(GanConfig.for_tests(self), probe_copies=2)

    def for_dry_run(self):
        return replace(GanConfig.for_dry_run(self), probe_copies=0)


@dataclass
class DiscriminatorFeatures:
    """What the study ships beside the probe heads: the frozen encoder (and its feature map)."""
    encoder: torch.nn.Module
    pretrain_seconds: float
    steps: int
    network: None = None  # no pretext network of its own: the discriminator ships with ``dcgan``


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    gan = cached_gan(GAN_NAME, task.dataset_name, pool_in_pool_order(task), None, config, task.seed, progress=progress)
    started = time.perf_counter()
    encoder = gan.discriminator.encoder.eval()
    for parameter in encoder.parameters():
        parameter.requires_grad_(False)
    head = fit_probe(encoder, task.labelled_images, task.labelled_targets, task.num_classes, config,
                     torch.Generator().manual_seed(task.seed + 1))
    probe_seconds = time.perf_counter() - started
    # The GAN serves the seven fractions of its seed: each point carries a seventh of it.
    seconds = probe_seconds + gan.train_seconds / len(FRACTIONS)
    return TrainedPoint(classifier=probe_classifier(encoder, head), train_seconds=seconds,
                        extra_metrics={"gan_train_seconds": round(gan.train_seconds, 2),
                                       "probe_seconds": round(probe_seconds, 2)},
                        companions=[FrozenEncoder(DiscriminatorFeatures(encoder, gan.train_seconds, gan.steps))])
