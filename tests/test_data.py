"""The study protocol's data: one fixed test split, nested stratified labelled subsets, user data."""

import gzip
import struct

import numpy as np
import pytest
from PIL import Image

from training.data import FRACTIONS, DataError, labelled_subset, load_dataset, make_split
from training.point import make_point_task


@pytest.fixture(scope="module")
def mnist5k():
    return load_dataset("mnist5k")


def test_mnist5k_split_is_fixed_stratified_and_disjoint(mnist5k):
    split = make_split(mnist5k)
    assert mnist5k.images.shape == (5000, 28, 28) and mnist5k.images.dtype == np.uint8
    assert (len(split.test_indices), len(split.validation_indices), len(split.pool_indices)) == (1000, 500, 3500)
    test, validation, pool = set(split.test_indices), set(split.validation_indices), set(split.pool_indices)
    assert not test & pool and not test & validation and not validation & pool
    # 500 images per class in MNIST-5k: exactly 100 of each in the test split, 50 in validation.
    assert np.bincount(mnist5k.labels[split.test_indices]).tolist() == [100] * 10
    assert np.bincount(mnist5k.labels[split.validation_indices]).tolist() == [50] * 10
    assert make_split(load_dataset("mnist5k")).fingerprint == split.fingerprint


def test_carving_the_validation_split_left_the_test_split_where_it_was(mnist5k):
    """The 1,000 test digits are the ones every earlier bundle was measured on."""
    import hashlib

    test = make_split(mnist5k).test_indices.astype(np.int64)
    assert hashlib.sha256(test.tobytes()).hexdigest() == "71ae628bd83d5464f4ec28916ef743bce949216e6e843ecd7a8ecd15ee8ef92d"


def test_the_point_task_carries_the_validation_split_labelled_and_outside_the_pool(mnist5k):
    split = make_split(mnist5k)
    task = make_point_task(mnist5k, split, "supervised", 0.01, seed=0)
    assert task.validation_images.shape == (500, 1, 28, 28) and task.validation_targets.shape == (500,)
    assert len(task.labelled_targets) + len(task.unlabelled_images) == 3500
    pool_bytes = {image.numpy().tobytes() for image in task.pool_images}
    assert not any(image.numpy().tobytes() in pool_bytes for image in task.validation_images)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_labelled_subsets_are_nested_stratified_and_inside_the_pool(mnist5k, seed):
    split = make_split(mnist5k)
    pool_labels = mnist5k.labels[split.pool_indices]
    previous = set()
    for fraction in FRACTIONS:
        subset = labelled_subset(pool_labels, fraction, seed)
        counts = np.bincount(pool_labels[subset], minlength=10)
        assert counts.min() >= 1
        assert counts.max() - counts.min() <= 1, "every class gets the same share"
        assert len(subset) == pytest.approx(fraction * 3500, abs=10)
        assert previous <= set(subset), f"the {fraction:.0%} subset must contain the smaller ones"
        assert subset.max() < len(split.pool_indices)
        previous = set(subset)
    assert len(labelled_subset(pool_labels, 0.01, seed)) == 40


def test_seeds_draw_different_labelled_digits(mnist5k):
    pool_labels = mnist5k.labels[make_split(mnist5k).pool_indices]
    assert set(labelled_subset(pool_labels, 0.01, 0)) != set(labelled_subset(pool_labels, 0.01, 1))


def test_point_task_hides_the_labels_of_the_unlabelled_pool(mnist5k):
    split = make_split(mnist5k)
    task = make_point_task(mnist5k, split, "supervised", 0.05, seed=0)
    assert task.labelled_images.shape == (180, 1, 28, 28)
    assert task.labelled_targets.shape == (180,)
    assert task.unlabelled_images.shape == (3320, 1, 28, 28)
    assert not hasattr(task, "unlabelled_targets")
    assert float(task.labelled_images.max()) <= 1.0 and float(task.labelled_images.min()) >= 0.0


def test_sklearn_digits_become_28x28_white_on_black():
    digits = load_dataset("digits")
    assert digits.images.shape == (1797, 28, 28)
    # The 8x8 digit sits in a 20x20 box: the 4-pixel border stays black, like MNIST.
    assert digits.images[:, :4, :].max() == 0 and digits.images[:, -4:, :].max() == 0
    assert digits.images.mean() < 60


def _write_digit(path, value: int, *, dark_on_light: bool):
    canvas = np.full((40, 30), 255 if dark_on_light else 0, dtype=np.uint8)
    ink = 0 if dark_on_light else 255
    canvas[8:32, 12 + value : 16 + value] = ink
    Image.fromarray(canvas).save(path)


def test_image_folder_with_one_subfolder_per_class(tmp_path):
    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
        for i in range(6):
            _write_digit(tmp_path / name / f"{i}.png", i, dark_on_light=(name == "cat"))
    (tmp_path / "dog" / "broken.png").write_bytes(b"not an image at all")
    data = load_dataset(str(tmp_path))
    assert data.class_names == ("cat", "dog")
    assert data.images.shape == (12, 28, 28)
    # Dark ink on light paper is inverted: every image ends up with a black background.
    assert all(img[0, 0] == 0 for img in data.images)
    assert np.bincount(data.labels).tolist() == [6, 6]


def test_folder_errors_are_sentences(tmp_path):
    with pytest.raises(DataError, match="at least two"):
        load_dataset(str(tmp_path))
    with pytest.raises(DataError, match="neither a known data set"):
        load_dataset(str(tmp_path / "missing"))


def test_mnist_idx_files(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(30, 28, 28), dtype=np.uint8)
    labels = np.arange(30, dtype=np.uint8) % 3
    with gzip.open(tmp_path / "train-images-idx3-ubyte.gz", "wb") as f:
        f.write(struct.pack(">HBB3I", 0, 8, 3, 30, 28, 28) + images.tobytes())
    with gzip.open(tmp_path / "train-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">HBBI", 0, 8, 1, 30) + labels.tobytes())
    data = load_dataset(str(tmp_path))
    assert data.images.shape == (30, 28, 28) and np.array_equal(data.images, images)
    assert data.class_names == ("0", "1", "2")
    split = make_split(data)
    assert len(split.test_indices) == 6
