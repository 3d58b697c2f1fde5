"""Each pretext task's two versions agree: the numpy one the page shares (paradigm_lab/pretext_tasks.py,
paradigm_lab/colour.py) and the training's torch one, on the same images and the same random draws.

The training keeps its generator; each test replays the training's draws from a generator seeded
alike, in the training's order, and hands them to the numpy version explicitly. Turns, pieces,
orders, masks and the colouriser's lightness must be equal bit for bit; a warp's resampled pixels
to float32 rounding (numpy and torch round the sampler's arithmetic differently).

Images are multiples of 1/256 so that the ink sums that weight the relative-position draws are
exact in float32 in both libraries (the same weights then give the same draws).
"""

import numpy as np
import pytest
import torch

from paradigm_lab import colour
from paradigm_lab import pretext_tasks as tasks
from training.augment import strong_augment
from training.families.self_supervised import autoencoder, contrastive, relative_position, rotation, temporal_order
from training.families.self_supervised import colouriser_training as colourisation

WARP_TOLERANCE = 1e-5  # pixels in [0, 1]; the measured gap is about 3e-6


def digits(n=32, seed=0) -> torch.Tensor:
    """Sparse made-up digits, (n, 1, 28, 28), every pixel a multiple of 1/256."""
    generator = torch.Generator().manual_seed(seed)
    levels = torch.randint(0, 256, (n, 1, 28, 28), generator=generator) / 256.0
    return levels * (torch.rand(n, 1, 28, 28, generator=generator) > 0.6)


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# --- rotation ---------------------------------------------------------------------------------------


def test_rotation_turns_and_free_pairs_agree():
    images = digits()
    turns = torch.arange(len(images)) % 4
    assert np.array_equal(tasks.rotate_quarter_turns(images.numpy(), turns.numpy()),
                          rotation.rotate(images, turns).numpy())
    torch_pairs, torch_turns = rotation.free_pairs(images)
    numpy_pairs, numpy_turns = tasks.rotation_free_pairs(images.numpy())
    assert np.array_equal(numpy_pairs, torch_pairs.numpy()) and np.array_equal(numpy_turns, torch_turns.numpy())
    assert rotation.TURNS_DEGREES == tasks.TURNS_DEGREES


# --- relative position ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_relative_position_pairs_agree_on_the_same_draws(seed):
    images = digits(seed=seed)
    torch_pairs, torch_place = relative_position.free_pairs(images, generator(seed))

    # The training's draws, replayed: a place weighted by its ink, then the two pieces' jitter.
    weights = tasks.place_weights(tasks.neighbour_ink(images.numpy()))
    replay = generator(seed)
    place = torch.multinomial(torch.from_numpy(weights), 1, generator=replay).squeeze(1)
    jitter = torch.randint(0, tasks.CELL - tasks.PIECE + 1, (2, len(images), 2), generator=replay)

    assert np.array_equal(place.numpy(), torch_place.numpy())
    numpy_pairs = tasks.relative_position_pairs(images.numpy(), place.numpy(), jitter.numpy())
    assert np.array_equal(numpy_pairs, torch_pairs.numpy())


def test_the_page_cuts_pieces_where_the_training_does():
    """The page's facts come from the manifest the training writes; its pieces are the shared
    cut at the same corners."""
    from dashboard.topics.self_supervised import pretext_examples as page

    facts = page.PatchFacts(grid=tasks.GRID, cell=tasks.CELL, piece=tasks.PIECE, padding=tasks.PADDING,
                            places=tasks.NEIGHBOURS, place_names=tasks.PLACE_NAMES)
    assert relative_position.RelativePositionNetwork().facts() == {
        "task": "relative_position", "grid": facts.grid, "cell": facts.cell, "piece": facts.piece,
        "padding": facts.padding, "places": [list(p) for p in facts.places], "place_names": list(facts.place_names)}
    image = digits(1)[0, 0].numpy()
    pairs = page.patch_pairs(image, facts, np.random.default_rng(0))
    jitter = np.stack([pairs.neighbour_corners - np.array(facts.places) * facts.cell] * 2)
    jitter[0] = np.array(pairs.middle_corner) - np.array(tasks.MIDDLE) * facts.cell
    every_place = np.arange(len(tasks.NEIGHBOURS))
    shared = tasks.relative_position_pairs(np.repeat(image[None, None], len(every_place), axis=0), every_place, jitter)
    assert np.array_equal(pairs.model_input(), shared)


# --- temporal order ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_temporal_order_clips_and_shuffles_agree_on_the_same_draws(seed):
    images = digits(seed=seed)
    torch_clips, torch_class = temporal_order.free_pairs(images, generator(seed))

    replay = generator(seed)
    motion = [torch.rand(len(images), generator=replay).numpy() for _ in range(4)]  # direction, distance, sign, turn
    order_class = torch.randint(0, len(tasks.ORDERS), (len(images),), generator=replay).numpy()
    reverse = (torch.rand(len(images), generator=replay) < 0.5).numpy()

    assert np.array_equal(order_class, torch_class.numpy())
    clips = tasks.make_clip(images.numpy(), *motion)
    np.testing.assert_allclose(tasks.shuffle_clip(clips, order_class, reverse), torch_clips.numpy(),
                               rtol=0, atol=WARP_TOLERANCE)
    # The shuffle alone, on the same clips, is exact.
    same_clips = temporal_order.make_clip(images, generator(seed))
    assert np.array_equal(tasks.shuffle_clip(same_clips.numpy(), order_class, reverse),
                          temporal_order.shuffle_clip(same_clips, torch.from_numpy(order_class),
                                                      torch.from_numpy(reverse)).numpy())
    assert temporal_order.ORDERS == tasks.ORDERS and len(tasks.ORDERS) == 12


def test_the_clip_thetas_are_the_trainings_own():
    """The frames' affine maps: computed alike in float32 (cos and sin may round apart)."""
    images = digits(8)
    replay = generator(5)
    motion = [torch.rand(len(images), generator=replay).numpy() for _ in range(4)]
    thetas = tasks.clip_thetas(*motion)
    assert thetas.shape == (tasks.FRAMES, len(images), 2, 3) and thetas.dtype == np.float32
    # The middle of the clip is the digit itself: the first and last frames' maps are opposite.
    np.testing.assert_allclose(thetas[0][:, :, 2], -thetas[-1][:, :, 2], atol=1e-7)
    np.testing.assert_allclose(thetas[0][:, 0, 1], -thetas[-1][:, 0, 1], atol=1e-7)


# --- contrastive ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_contrastive_views_agree_on_the_same_draws(seed):
    images = digits(seed=seed)
    torch_view = contrastive.make_view(images, generator(seed))
    assert torch.equal(torch_view, strong_augment(images, generator(seed)))  # the view is the strong augmentation

    replay = generator(seed)
    warp = [torch.rand(len(images), generator=replay).numpy() for _ in range(4)]  # angle, zoom, shift x, shift y
    corner = 28 - tasks.VIEW_CUTOUT + 1
    top = torch.randint(0, corner, (len(images),), generator=replay).numpy()
    left = torch.randint(0, corner, (len(images),), generator=replay).numpy()

    numpy_view = tasks.contrastive_view(images.numpy(), *warp, top, left)
    np.testing.assert_allclose(numpy_view, torch_view.numpy(), rtol=0, atol=WARP_TOLERANCE)
    # The black square is exactly where the training put it.
    square = tasks.cutout_masks(top, left)[:, None]
    assert not torch_view.numpy()[square].any() and square.sum() == len(images) * tasks.VIEW_CUTOUT ** 2


def test_a_warp_without_motion_is_the_digit_itself():
    images = digits(4).numpy()
    identity = np.tile(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32), (4, 1, 1))
    np.testing.assert_allclose(tasks.affine_sample(images, identity), images, atol=1e-6)


# --- masked autoencoder ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_autoencoder_masks_agree_on_the_same_draws(seed):
    torch_masks = autoencoder.random_masks(64, generator(seed))
    scores = torch.rand(64, tasks.MASK_GRID ** 2, generator=generator(seed)).numpy()
    masks = tasks.square_masks(tasks.hidden_from_scores(scores))
    assert np.array_equal(masks[:, None].astype(np.float32), torch_masks.numpy())
    assert (autoencoder.MASK_GRID, autoencoder.MASKED_SQUARES) == (tasks.MASK_GRID, tasks.MASKED_SQUARES)


def test_the_pages_mask_hides_whole_squares_of_the_shared_grid():
    from dashboard.topics.self_supervised import pretext_examples as page

    facts = page.MaskFacts(mask_grid=tasks.MASK_GRID, masked_squares=tasks.MASKED_SQUARES)
    mask = page.random_mask(facts, np.random.default_rng(3))
    squares = mask.reshape(4, 7, 4, 7).transpose(0, 2, 1, 3).reshape(16, 49)
    hidden = squares.all(axis=1)
    assert np.array_equal(tasks.square_masks(hidden[None])[0], mask)


# --- colourisation --------------------------------------------------------------------------------


def test_the_colouriser_reads_the_same_lightness_in_training_and_on_the_page():
    rng = np.random.default_rng(0)
    crops = np.stack([colour.rgb_to_lab((rng.random((16, 24, 3)) * 255).astype(np.uint8)) for _ in range(3)])
    # The training's batch: (B, 3, H, W) tensors, split and scaled as its loop does.
    lab = torch.from_numpy(crops).permute(0, 3, 1, 2)
    lightness, colours = colour.split_lab(lab, axis=1)
    training_input = colour.scaled_lightness(lightness)
    # The page's input: one photo's L, padded to the network's multiple (here already one).
    for crop, trained in zip(crops, training_input):
        page_input = colour.model_input(crop[..., 0], multiple=8)
        assert np.array_equal(page_input[0], trained.numpy())
    assert torch.equal(colours, lab[:, 1:])


def test_lab_split_and_merge_give_the_photo_back():
    rng = np.random.default_rng(1)
    lab = colour.rgb_to_lab((rng.random((10, 12, 3)) * 255).astype(np.uint8))
    lightness, colours = colour.split_lab(lab)
    assert lightness.shape == (10, 12, 1) and colours.shape == (10, 12, 2)
    assert np.array_equal(colour.merge_lab(lightness[..., 0], colours), lab)


def test_training_no_longer_reaches_into_the_dashboard():
    assert colourisation.colourise is colour.colourise and colourisation.ColouriserSpec is colour.ColouriserSpec
