"""The pilot-only options of the GAN loop (training.families.gan.gan_training.GanOptions, scripts/gan_pilot.py)."""

import torch

from training.families.gan.gan_training import Discriminator, GanOptions, diff_augment, minibatch_std


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


def test_default_discriminator_has_the_shipped_weights_shapes():
    shipped = Discriminator().state_dict()
    assert {k: v.shape for k, v in Discriminator(minibatch_std_group=0).state_dict().items()} == \
        {k: v.shape for k, v in shipped.items()}
    assert GanOptions() == GanOptions(diff_augment=False, minibatch_std_group=0, spectral_norm=False,
                                      hinge_loss=False, r1_weight=0.0)
