"""Conditional GAN (Mirza and Osindero 2014): the generator also takes the digit to draw, and the
discriminator judges the pair (image, digit asked for), with the projection of Miyato and Koyama
(2018), and names the digit of what it sees (AC-GAN). Its labels: "real or fake" for free, plus the digit of each pool image, which people gave.

Not a label-fraction classifier: the study trains it once (the shipped seed) on the whole labelled
pool and ships the generator and its timeline for the GAN page.

    python -m training study --paradigm conditional_gan
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from training.families.gan.gan_training import GanConfig, cached_gan, gan_artifacts
from training.point import to_tensor

GAN_NAME = "conditional_gan"


@dataclass(frozen=True)
class Config(GanConfig):
    # A pilot with the projection alone drew one 3 for every noise (76 % read as the digit
    # asked); with mode seeking at weight 1 it drew varied digits but ignored the digit asked
    # (39 %). The auxiliary classifier keeps the digit, a light mode-seeking term the variety.
    # Weight 3 rather than 1: retrained with today's code, weight 1 gave 84.5 % read as asked
    # (7s at 35 %) where the first study had 92.1 %; weight 3 gave 97.0 %, every digit at least
    # 89 % (gan_pilots.md, scored against the pool by the page's judge).
    auxiliary_classifier_weight: float = 3.0
    mode_seeking_weight: float = 0.2
    # The first study's loop, not the DCGAN's new recipe: trained with that recipe (5,000 steps,
    # seed 0), its digits came closer to the pool's (Fréchet 0.81 -> 0.56) but were read as the
    # digit asked for less often (92.1 % -> 86.7 %; the 2s at 57 %), and being read as the digit
    # asked is what this generator is for. Scored against the pool by the page's judge, never on
    # the test split (docs/gan_pilots.md).
    steps: int = 2500
    generator_learning_rate: float = 2e-4
    discriminator_learning_rate: float = 2e-4
    generator_refine: bool = False
    discriminator_batchnorm: bool = True
    spectral_norm: bool = False
    hinge_loss: bool = False


def make_artifacts(context, *, progress: bool = False) -> list:
    """``context`` (training.study.ArtifactContext): the data, split, seed, config and common facts."""
    pool = to_tensor(context.dataset.images[context.split.pool_indices])
    labels = torch.from_numpy(context.dataset.labels[context.split.pool_indices])
    trained = cached_gan(GAN_NAME, context.dataset.name, pool, labels, context.config, context.seed, progress=progress)
    test_images = to_tensor(context.dataset.images[context.split.test_indices])
    name = f"{GAN_NAME}-{context.dataset.name}-seed{context.seed}"
    return gan_artifacts(trained, name=name, common=context.common, test_images=test_images,
                         model_ids={"generator": f"{name}-generator"},
                         class_names=list(context.dataset.class_names))
