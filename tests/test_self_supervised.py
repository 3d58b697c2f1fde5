"""Self-supervised paradigms: the free labels are right, the encoder ignores the label fraction and
the hidden labels, the probe is an ordinary classifier, and the exports agree with PyTorch."""

import numpy as np
import onnxruntime
import pytest
import torch

from training import frozen_probe
from training.data import load_dataset, make_split
from training.export import export_model
from training.families.self_supervised import autoencoder, contrastive, relative_position, rotation, temporal_order
from training.point import make_point_task, to_tensor
from training.registry import study_paradigms

SELF_SUPERVISED = [p.name for p in study_paradigms() if p.family == "self_supervised" and p.frozen_encoder]


@pytest.fixture(scope="module")
def digits():
    data = load_dataset("digits")
    return data, make_split(data)


def asymmetric_images(n=3):
    """Images whose every turn is different: one bright pixel near the top-left corner."""
    images = torch.zeros(n, 1, 28, 28)
    images[:, 0, 2, 5] = 1.0
    return images


def test_rotation_labels_are_the_turn_applied():
    inputs, turns = rotation.free_pairs(asymmetric_images(2))
    assert inputs.shape == (8, 1, 28, 28) and turns.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    for image, turn in zip(inputs, turns):
        # Undoing the labelled number of anticlockwise quarter turns gives back the original.
        assert torch.equal(torch.rot90(image, -int(turn), dims=(1, 2)), asymmetric_images(1)[0])
    # 90 degrees anticlockwise moves the pixel at (row 2, column 5) to (row 28-1-5, column 2).
    assert inputs[2, 0, 22, 2] == 1.0


def test_relative_position_pieces_come_from_the_labelled_cells():
    generator = torch.Generator().manual_seed(0)
    images = torch.zeros(64, 1, 28, 28)
    # Ink only in the middle cell and the bottom-right cell (padded 30x30 grid: rows/cols 20-29).
    images[:, 0, 10:18, 10:18] = 1.0
    images[:, 0, 20:27, 20:27] = 1.0
    pairs, place = relative_position.free_pairs(images, generator)
    assert pairs.shape == (64, 2, relative_position.PIECE, relative_position.PIECE)
    bottom_right = relative_position.NEIGHBOURS.index((2, 2))
    assert (place == bottom_right).float().mean() > 0.9  # pieces are drawn in proportion to their ink
    assert (pairs[place == bottom_right, 1].sum(dim=(1, 2)) > 0).all()


def test_a_shuffled_clip_can_be_put_back_in_order():
    generator = torch.Generator().manual_seed(0)
    images = to_tensor(load_dataset("digits").images[:12])
    clips = temporal_order.make_clip(images, generator)
    assert clips.shape == (12, temporal_order.FRAMES, 28, 28)
    assert len(temporal_order.ORDERS) == 12  # 4! orders, each the same class as its reverse
    for order_class in range(12):
        for reverse in (False, True):
            shuffled = temporal_order.shuffle_clip(clips, torch.full((12,), order_class), torch.full((12,), reverse))
            order = list(temporal_order.ORDERS[order_class])
            restored = torch.empty_like(shuffled)
            restored[:, order] = shuffled  # slot s shows frame order[s] (or the reverse)
            assert torch.equal(restored, clips) or torch.equal(restored, clips.flip(1))
    # The frames differ: the digit really moves (the task is not empty).
    assert (clips[:, 0] - clips[:, -1]).abs().sum() > 0


def test_the_autoencoder_mask_hides_exactly_half_of_the_squares():
    masks = autoencoder.random_masks(5, torch.Generator().manual_seed(0))
    hidden = masks.sum(dim=(1, 2, 3))
    assert torch.all(hidden == autoencoder.MASKED_SQUARES * 7 * 7)
    masked, masks, originals = autoencoder.free_pairs(torch.ones(5, 1, 28, 28), torch.Generator().manual_seed(1))
    assert torch.equal(masked, 1 - masks)


def test_pretraining_is_the_same_at_every_fraction_and_blind_to_the_labels(digits, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path))
    data, split = digits
    config = rotation.Config().for_tests()
    small = make_point_task(data, split, "rotation", 0.01, seed=0)
    large = make_point_task(data, split, "rotation", 0.5, seed=0)
    # The pool in pool order does not depend on which digits carry labels.
    assert torch.equal(frozen_probe.pool_in_pool_order(small), frozen_probe.pool_in_pool_order(large))

    first = rotation.train_point(small, config)
    assert first.companions[0].pretrained.from_cache is False
    second = rotation.train_point(large, config)
    assert second.companions[0].pretrained.from_cache is True  # pretrained once per seed, reused by the next fraction
    for a, b in zip(first.classifier.encoder.state_dict().values(), second.classifier.encoder.state_dict().values()):
        assert torch.equal(a, b)

    # Scrambling every pool label changes nothing the pretext sees: retrain with no cache.
    scrambled = data.__class__(**{**data.__dict__, "labels": np.random.default_rng(0).permutation(data.labels)})
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path / "fresh"))
    again = rotation.train_point(make_point_task(scrambled, split, "rotation", 0.01, seed=0), config)
    assert again.companions[0].pretrained.from_cache is False
    for a, b in zip(first.classifier.encoder.state_dict().values(), again.classifier.encoder.state_dict().values()):
        assert torch.equal(a, b)


def test_the_probe_is_a_linear_classifier_on_frozen_features(digits, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path))
    data, split = digits
    task = make_point_task(data, split, "contrastive", 0.2, seed=0)
    trained = contrastive.train_point(task, contrastive.Config().for_tests())
    classifier = trained.classifier
    assert isinstance(classifier.head, torch.nn.Linear) and classifier.head.out_features == 10
    assert not any(p.requires_grad for p in classifier.encoder.parameters())  # frozen
    images = to_tensor(data.images[split.test_indices])
    with torch.inference_mode():
        logits = classifier(images)
        by_hand = classifier.head(classifier.encoder(images))
    assert logits.shape == (len(images), 10)
    torch.testing.assert_close(logits, by_hand)
    assert trained.extra_metrics["pretrain_seconds"] > 0 and trained.train_seconds > 0


def test_the_probe_reads_batchnorm_statistics_of_clean_digits_not_of_the_pretext_batches(digits, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path))
    data, split = digits
    task = make_point_task(data, split, "contrastive", 0.2, seed=0)
    trained = contrastive.train_point(task, contrastive.Config().for_tests())
    pretext_encoder = trained.companions[0].pretrained.encoder  # trained on strongly augmented views
    probe_encoder = trained.classifier.encoder  # what the probe read and what ships

    def first_norm(module):
        return next(m for m in module.modules() if isinstance(m, torch.nn.BatchNorm2d))

    # The shipped encoder's first BatchNorm holds the plain mean of the clean pool's first-layer
    # activations; the pretext network keeps its own (the page shows it augmented views).
    clean = frozen_probe.pool_in_pool_order(task)
    first_conv = next(m for m in pretext_encoder.modules() if isinstance(m, torch.nn.Conv2d))
    with torch.inference_mode():
        expected = first_conv.float()(clean).mean(dim=(0, 2, 3))
    torch.testing.assert_close(first_norm(probe_encoder).running_mean, expected, rtol=1e-3, atol=1e-4)
    assert not torch.allclose(first_norm(pretext_encoder).running_mean, expected, rtol=1e-3, atol=1e-4)

@pytest.mark.parametrize("name", SELF_SUPERVISED)
def test_pretext_network_and_encoder_export_with_parity(name, digits, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path))
    from training.registry import get_paradigm

    data, split = digits
    module = get_paradigm(name).load()
    trained = module.train_point(make_point_task(data, split, name, 0.1, seed=0), module.Config().for_tests())
    network = trained.companions[0].pretrained.network
    images = to_tensor(data.images[split.test_indices])
    generator = torch.Generator().manual_seed(0)
    example = network.example_input(images, generator)
    pretext = export_model(network, model_id=f"{name}-pretext", example_input=example,
                           input_name=network.input_name, output_name=network.output_name,
                           facts={"paradigm": name, "role": "pretext_head", "metrics": {}})
    encoder = export_model(network.encoder, model_id=f"{name}-encoder", example_input=images[:4],
                           output_name="features", facts={"paradigm": name, "role": "encoder", "metrics": {}})
    assert pretext.entry["metrics"]["onnx_parity_max_abs_diff"] < 1e-3
    assert encoder.entry["outputs"][0]["shape"] == ["batch", 64]

    # The pretext task's own score comes with its chance level, and learning beats chance even
    # with the tiny test configuration (the error of the autoencoder beats the average digit's).
    scores = network.evaluate(images, generator)
    if "pretext_accuracy" in scores:
        assert scores["pretext_accuracy"] > scores["pretext_chance"]
    else:
        assert 0 < scores["pretext_error"]

    session = onnxruntime.InferenceSession(pretext.onnx_bytes, providers=["CPUExecutionProvider"])
    output = session.run(None, {network.input_name: example[:3].numpy()})[0]
    assert output.shape[0] == 3
