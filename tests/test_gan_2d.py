"""The 2-D GAN's training and recording (training/families/gan/gan_2d_training.py): what the GAN page plays back.

Trained with the test profile's config (400 steps, about 2 seconds on one thread): the recording
has the moments, the grid and the arrows the page draws, the fake points end closer to the ring
than they start, the same seed gives the same recording, and the file stays far under 2 MB.
"""

import io

import numpy as np
import pytest

from training.families.gan import gan_2d_training as gan_2d
from training.registry import get_paradigm

BUNDLE_LIMIT_BYTES = 2_000_000


@pytest.fixture(scope="module")
def recorded():
    config = gan_2d.Gan2dConfig().for_tests()
    return config, gan_2d.train_gan_2d(config, seed=0)


def test_the_recording_holds_every_moment_the_page_draws(recorded):
    config, recording = recorded
    moments = len(recording.steps)
    assert moments >= 40
    assert recording.steps[0] == 0 and recording.steps[-1] == config.steps
    assert np.all(np.diff(recording.steps) > 0)
    # Closer early on: the first half of the moments covers less than half of the steps.
    assert recording.steps[moments // 2] < config.steps / 2
    assert recording.fake_points.shape == (moments, config.fake_shown, 2)
    assert recording.verdict.shape == (moments, config.grid_size, config.grid_size)
    assert np.all((recording.verdict >= 0) & (recording.verdict <= 1))
    assert recording.push.shape == (moments, config.arrows, 2)
    assert np.all(np.linalg.norm(recording.push[1:], axis=2).mean(axis=1) > 0), "every moment pushes"
    assert recording.real_points.shape == (config.real_shown, 2)
    assert recording.mean_real_on_real.shape == recording.mean_real_on_fake.shape == (moments,)


def test_the_fake_points_end_closer_to_the_ring_than_they_start(recorded):
    config, recording = recorded
    start, end = recording.mean_distance_to_ring(config.ring_radius)
    assert end < 0.6 * start, (start, end)


def test_the_arrows_point_where_the_discriminator_says_real():
    """The push is minus the gradient of -log D(x): a small step along it raises D(x)."""
    import torch

    torch.manual_seed(0)
    discriminator = gan_2d.mlp(2, 16, 1)
    points = torch.randn(8, 2)
    moment = gan_2d.record_moment(gan_2d.mlp(2, 16, 2), discriminator, points, points,
                                  torch.zeros(1, 2), arrows=8)
    fake = torch.from_numpy(moment["fake"])
    pushed = fake + 1e-3 * torch.from_numpy(moment["push"])
    with torch.no_grad():
        assert torch.all(discriminator(pushed) > discriminator(fake))


def test_the_same_seed_records_the_same_game(recorded):
    config, recording = recorded
    again = gan_2d.train_gan_2d(config, seed=0)
    assert np.array_equal(recording.fake_points, again.fake_points)
    assert np.array_equal(recording.verdict, again.verdict)


def test_the_recording_file_is_small_and_loads_without_pickles(recorded):
    config, recording = recorded
    data = gan_2d.recording_npz(recording, config)
    assert len(data) < BUNDLE_LIMIT_BYTES
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        assert archive["verdict"].dtype == np.float16
        assert archive["fake_points"].shape == recording.fake_points.shape


def test_the_shipped_config_learns_the_ring_into_a_small_file():
    """The bundle's own recording (48 moments, 40x40 grid). Its training time is not asserted
    (a busy machine would make that flaky): the study records it in the manifest (8 s on the
    2-core machine)."""
    config = gan_2d.Gan2dConfig()
    recording = gan_2d.train_gan_2d(config, seed=0)
    assert len(recording.steps) >= 40 and config.grid_size >= 40
    assert len(gan_2d.recording_npz(recording, config)) < BUNDLE_LIMIT_BYTES
    start, end = recording.mean_distance_to_ring(config.ring_radius)
    assert end < 0.2 * start


def test_the_registry_ships_it_outside_the_study():
    paradigm = get_paradigm("gan_2d")
    assert paradigm.family == "gan" and not paradigm.in_study
    module = paradigm.load()
    assert callable(module.make_artifacts)
    assert module.Config().for_tests().steps < module.Config().steps


def test_moments_are_distinct_and_end_at_the_last_step():
    steps = gan_2d.moment_steps(3000, 48)
    assert len(steps) == 48 and steps[0] == 0 and steps[-1] == 3000
    assert len(gan_2d.moment_steps(2, 3)) == 3
    assert list(gan_2d.moment_steps(1, 40)) == [0, 1]
