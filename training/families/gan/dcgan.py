"""DCGAN (Radford et al. 2015) on the pool with no labels: a generator that draws digits from
noise, and a discriminator that learned "real or fake" from labels nobody typed.

Not a label-fraction classifier: the study trains it once (the shipped seed) and ships the
generator, the discriminator and the training timeline for the GAN page. ``gan_probe`` measures
what the same discriminator learned, with a linear probe per label fraction.

    python -m training study --paradigm dcgan
"""

from __future__ import annotations

from dataclasses import dataclass

from training.families.gan.gan_training import GanConfig, cached_gan, gan_artifacts
from training.point import to_tensor

GAN_NAME = "dcgan"


@dataclass(frozen=True)
class Config(GanConfig):
    pass


def make_artifacts(context, *, progress: bool = False) -> list:
    """``context`` (training.study.ArtifactContext): the data, split, seed, config and common facts."""
    pool = to_tensor(context.dataset.images[context.split.pool_indices])
    trained = cached_gan(GAN_NAME, context.dataset.name, pool, None, context.config, context.seed, progress=progress)
    test_images = to_tensor(context.dataset.images[context.split.test_indices])
    name = f"{GAN_NAME}-{context.dataset.name}-seed{context.seed}"
    return gan_artifacts(trained, name=name, common=context.common, test_images=test_images,
                         model_ids={"generator": f"{name}-generator", "discriminator": f"{name}-discriminator"})
