"""The pilot-only options of the GAN loop (training.families.gan.gan_training.GanOptions, scripts/gan_pilot.py)."""

import torch
from torch import nn

from training.families.gan.gan_training import (
    Discriminator,
    GanConfig,
    GanOptions,
    Generator,
    diff_augment,
    minibatch_std,
    train_gan,
)


def test_translation_moves_a_pixel_by_whole_pixels_and_keeps_its_value():
    images = torch.zeros(32, 1, 28, 28)
    images[:, 0, 14, 14] = 0.7
    moved = diff_augment(images, GanOptions(diff_augment=True, cutout_pixels=0), torch.Generator().manual_seed(0))
    assert moved.shape == images.shape
    for image in moved[:, 0]:
        rows, cols = torch.nonzero(image, as_tuple=True)
        assert len(rows) == 1 and abs(int(rows[0]) - 14) <= 3 and abs(int(cols[0]) - 14) <= 3
        assert image[rows[0], cols[0]] == 0.7


def test_cutout_only_blanks_pixels_and_passes_the_gradient():
    images = torch.rand(16, 1, 28, 28, requires_grad=True)
    cut = diff_augment(images, GanOptions(diff_augment=True, translation_pixels=0), torch.Generator().manual_seed(0))
    kept = cut != 0
    assert torch.equal(cut[kept], images.detach()[kept]) and (~kept).sum() > 0
    cut.sum().backward()
    assert torch.equal(images.grad, kept.float())


def test_minibatch_std_is_zero_for_identical_images_and_positive_otherwise():
    same = torch.ones(8, 64, 7, 7)
    assert minibatch_std(same, 4).shape == (8, 65, 7, 7)
    assert minibatch_std(same, 4)[:, 64].abs().max() < 1e-3
    assert minibatch_std(torch.randn(8, 64, 7, 7), 4)[:, 64].min() > 0.5


def test_the_shipped_recipe_trains_a_plain_network_the_cache_can_restore():
    # The recipe's discriminator has no BatchNorm and ends training without its spectral-norm
    # parametrisation, so the cache, the probe and the ONNX export see ordinary layers.
    config = GanConfig().for_dry_run()
    trained = train_gan(torch.rand(16, 1, 28, 28), None, config, seed=0)
    modules = list(trained.discriminator.modules())
    assert not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in modules)
    assert not any(nn.utils.parametrize.is_parametrized(m) for m in modules)
    restored = Discriminator(0, config.leaky_slope, batchnorm=config.discriminator_batchnorm)
    restored.load_state_dict(trained.discriminator.state_dict())  # strict: same names and shapes
    Generator(config.generator_width, refine=config.generator_refine).load_state_dict(trained.generator.state_dict())
    assert GanOptions() == GanOptions(diff_augment=False, minibatch_std_group=0, r1_weight=0.0)
