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

from training.backbone import make_encoder
from training.companions import FROZEN_ENCODER, FrozenEncoder
from training.data import fractions_for_seed
from training.families.gan.gan_training import GanConfig, cached_gan
from training.frozen_probe import PROBE_CS, PROBE_READERS, pool_in_pool_order, probe_on_chosen_reader
from training.point import PointTask, TrainedPoint

# What its shipped points need beyond the probe head: the seed's encoder and its feature map.
point_shipping = FROZEN_ENCODER

# The network this paradigm probes; ``dcgan`` ships its generator and discriminator.
GAN_NAME = "dcgan"


@dataclass(frozen=True)
class Config(GanConfig):
    # The probe, as for the self-supervised encoders (training/families/self_supervised/pretext_training.py):
    # reader and C chosen on the validation split among the same candidates, 8 warped copies.
    probe_cs: tuple[float, ...] = PROBE_CS
    probe_readers: tuple[tuple[int, int], ...] = PROBE_READERS
    probe_copies: int = 8
    # BatchNorm's statistics measured again on the pool's clean digits before the probe reads
    # the encoder (training/frozen_probe.py), as for every frozen probe. The spectrally normalised
    # discriminator has no BatchNorm layer, so here the pass changes nothing.
    probe_batchnorm_on_clean_pool: bool = True

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


def pretrained_encoder(task: PointTask, config: Config, *, progress: bool = False) -> tuple[torch.nn.Module, float]:
    """The discriminator's convolutions in the supervised baseline's network, and the GAN's
    training seconds, for ``gan_finetune``.

    The discriminator trains without BatchNorm (spectral norm instead), and a plain trunk without
    it diverged when fine-tuned at the supervised baseline's rate (10-20 % in the test profile).
    So its convolution weights go into the shared encoder with BatchNorm, fresh, where the
    supervised baseline has it: the network and the recipe are then the baseline's exactly, and
    only the starting weights differ (the convolutions' biases, which BatchNorm's shift replaces,
    are dropped; the LeakyReLU the discriminator learned with is kept)."""
    gan = cached_gan(GAN_NAME, task.dataset_name, pool_in_pool_order(task), None, config, task.seed, progress=progress)
    trunk = gan.discriminator.encoder
    slope = next((m.negative_slope for m in trunk if isinstance(m, torch.nn.LeakyReLU)), 0.0)
    encoder = make_encoder(leaky_slope=slope)
    learned = [m for m in trunk if isinstance(m, torch.nn.Conv2d)]
    fresh = [m for m in encoder if isinstance(m, torch.nn.Conv2d)]
    with torch.no_grad():
        for source, target in zip(learned, fresh, strict=True):
            target.weight.copy_(source.weight)
    return encoder, gan.train_seconds


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    gan = cached_gan(GAN_NAME, task.dataset_name, pool_in_pool_order(task), None, config, task.seed, progress=progress)
    started = time.perf_counter()
    encoder = gan.discriminator.encoder.eval()
    for parameter in encoder.parameters():
        parameter.requires_grad_(False)
    classifier, reader, choice = probe_on_chosen_reader(encoder, task, config, torch.Generator().manual_seed(task.seed + 1))
    probe_seconds = time.perf_counter() - started
    # The GAN serves every fraction of its seed: each point carries its share of it.
    seconds = probe_seconds + gan.train_seconds / len(fractions_for_seed(task.seed))
    return TrainedPoint(classifier=classifier, train_seconds=seconds,
                        extra_metrics={"gan_train_seconds": round(gan.train_seconds, 2),
                                       "probe_seconds": round(probe_seconds, 2), **choice.as_metrics()},
                        companions=[FrozenEncoder(DiscriminatorFeatures(encoder, gan.train_seconds, gan.steps), reader)])
