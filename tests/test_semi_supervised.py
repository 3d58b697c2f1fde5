"""The semi-supervised paradigms: their pseudo-label logs add up, and they have nothing to
pseudo-label when every label is known. That they never see a withheld label is checked with every
other paradigm in tests/test_leakage.py."""

import io

import numpy as np
import pytest
import torch

from training.augment import strong_augment
from training.data import load_dataset, make_split
from training.families.semi_supervised.label_spreading import certainty
from training.families.semi_supervised.pseudo_label_log import details_npz, score_rounds
from training.point import make_point_task
from training.registry import get_paradigm, study_paradigms

SEMI_SUPERVISED = [p.name for p in study_paradigms() if p.family == "semi_supervised"]


@pytest.fixture(scope="module")
def digits():
    data = load_dataset("digits")
    return data, make_split(data)


def test_the_four_methods_of_the_issue_are_in_the_study_with_pretraining_then_fixmatch():
    assert set(SEMI_SUPERVISED) == {"pseudo_label", "fixmatch", "label_spreading", "mean_teacher", "contrastive_fixmatch"}


@pytest.mark.parametrize("name", SEMI_SUPERVISED)
def test_with_every_label_known_nothing_is_pseudo_labelled(name, digits):
    data, split = digits
    module = get_paradigm(name).load()
    task = make_point_task(data, split, name, 1.0, seed=0)
    assert len(task.unlabelled_images) == 0
    trained = module.train_point(task, module.Config().for_dry_run())
    assert trained.companions[0].rounds == []


def test_pseudo_label_log_adds_up_and_its_details_match(digits):
    data, split = digits
    module = get_paradigm("pseudo_label").load()
    task = make_point_task(data, split, "pseudo_label", 0.1, seed=0)
    trained = module.train_point(task, module.Config().for_tests())
    pool_labels = data.labels[split.pool_indices]
    truth = pool_labels[task.unlabelled_positions]
    rows = score_rounds(trained.companions[0].rounds, truth)

    assert [r["step"] for r in rows] == [60, 90, 120, 150]
    for row in rows:
        assert row["n_unlabelled"] == len(task.unlabelled_images)
        assert 0 <= row["n_carried_correct"] <= row["n_carried"] <= row["n_unlabelled"]
        assert row["n_carried_correct"] <= row["n_guesses_correct"]
    assert rows[-1]["n_carried"] > 0

    details = np.load(io.BytesIO(details_npz(task, trained.companions[0].rounds, truth,
                                             data.images[split.pool_indices], pool_labels)))
    # The details keep confidences in float16 (steps of about 5e-4 near the bar), so only the
    # guesses clearly above or below the bar can be counted from them; how many lie within the
    # rounding depends on the processor's arithmetic (4 on an AVX2-only machine).
    confidence, bar = details["confidence"][-1].astype(np.float32), details["thresholds"][-1]
    surely_carried, perhaps_carried = int((confidence >= bar + 1e-3).sum()), int((confidence >= bar - 1e-3).sum())
    assert details["guesses"].shape == (len(rows), len(truth))
    assert surely_carried <= rows[-1]["n_carried"] <= perhaps_carried
    assert np.array_equal(details["unlabelled_truth"], truth)
    assert len(details["labelled_sample_images"]) == min(60, len(task.labelled_targets))
    # The gallery holds confident mistakes only, most confident first.
    assert np.all(details["mistake_guesses"] != details["mistake_truth"])
    assert np.all(np.diff(details["mistake_confidence"]) <= 0)


def test_strong_augmentation_keeps_shape_and_range_and_blacks_out_a_square():
    generator = torch.Generator().manual_seed(0)
    images = torch.ones(16, 1, 28, 28)
    out = strong_augment(images, generator, cutout=10)
    assert out.shape == images.shape
    assert out.min() >= 0 and out.max() <= 1
    assert bool(((out == 0).flatten(1).sum(dim=1) >= 100).all())  # at least the 10x10 square


def test_spread_certainty_is_one_for_a_sure_label_and_zero_for_none():
    mass = np.array([[1.0, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0, 0, 0], [0.2, 0.8, 0]])
    sure, uniform, unreached, leaning = certainty(mass)
    assert sure == pytest.approx(1.0) and uniform == pytest.approx(0.0) and unreached == 0.0
    assert 0 < leaning < 1
