"""Fine-tuning and the probe's reader: what the issue's "probe against fine-tune" rests on.

The fine-tune rows must start from the very encoder the probe rows read (same pretraining, same
seed) and then train every weight; the probe's reader and strength must come from the validation
split alone, so every fraction reads the same layer; every reader must export to ONNX.
"""

import copy

import numpy as np
import onnxruntime
import pytest
import torch

from training import finetuning, frozen_probe
from training.backbone import make_encoder
from training.data import load_dataset, make_split
from training.export import export_model
from training.families.gan import gan_probe
from training.families.self_supervised import contrastive
from training.point import make_point_task, to_tensor
from training.registry import PARADIGMS, study_paradigms


@pytest.fixture(scope="module")
def digits():
    data = load_dataset("digits")
    return data, make_split(data)


def test_every_pretrained_encoder_has_a_fine_tune_row_and_one_row_pretrains_then_trains_semi_supervised():
    encoders = {p.name for p in study_paradigms() if p.frozen_encoder}
    fine_tuned = {p.encoder_from for p in study_paradigms() if p.name.endswith("_finetune")}
    assert fine_tuned == encoders  # the five pretext encoders and the GAN discriminator (gan_probe)
    assert PARADIGMS["contrastive_fixmatch"].encoder_from == "contrastive"
    assert PARADIGMS["contrastive_fixmatch"].family == "semi_supervised"


@pytest.mark.parametrize("blocks, grid", frozen_probe.PROBE_READERS)
def test_every_reader_exports_with_parity(blocks, grid, digits):
    data, split = digits
    torch.manual_seed(0)
    reader = frozen_probe.ProbeReader(make_encoder().eval(), blocks, grid).eval()
    images = to_tensor(data.images[split.test_indices[:16]])
    exported = export_model(reader, model_id=f"reader-{blocks}-{grid}", example_input=images[:4],
                            output_name="features", facts={"paradigm": "test", "role": "encoder", "metrics": {}})
    assert exported.entry["outputs"][0]["shape"] == ["batch", reader.feature_dim]
    session = onnxruntime.InferenceSession(exported.onnx_bytes, providers=["CPUExecutionProvider"])
    with torch.inference_mode():
        expected = reader(images).numpy()
    np.testing.assert_allclose(session.run(None, {"image": images.numpy()})[0], expected, atol=1e-4)


def test_the_probe_reader_is_chosen_on_the_validation_split_alone(digits, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path))
    data, split = digits
    config = contrastive.Config().for_tests()
    small, large = (make_point_task(data, split, "contrastive", f, seed=0) for f in (0.05, 0.5))
    first, second = contrastive.train_point(small, config), contrastive.train_point(large, config)
    keys = ("probe_blocks", "probe_grid", "probe_c", "probe_validation_accuracy")
    assert [first.extra_metrics[k] for k in keys] == [second.extra_metrics[k] for k in keys]
    assert first.extra_metrics["probe_validation_accuracy"] > 0.5  # the tiny encoder still reads digits
    # The shipped encoder is the reader the probe reads: its width is the head's input.
    reader = first.companions[0].encoder
    assert reader.feature_dim == first.classifier.head.in_features

    # With the validation labels scrambled, cross-validation finds nothing to read.
    encoder = first.companions[0].pretrained.encoder
    scrambled = small.validation_targets[torch.randperm(len(small.validation_targets), generator=torch.Generator().manual_seed(0))]
    chance = frozen_probe.choose_probe(encoder, small.validation_images, scrambled, config)
    assert chance.validation_accuracy < 0.3


def test_fine_tuning_starts_from_the_probe_rows_encoder_and_trains_every_weight(digits, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path))
    data, split = digits
    task = make_point_task(data, split, "contrastive_finetune", 0.1, seed=0)
    probe_row = contrastive.train_point(make_point_task(data, split, "contrastive", 0.1, seed=0), contrastive.Config().for_tests())
    start, _ = finetuning.pretrained_encoder(task, "tests")
    for ours, theirs in zip(start.state_dict().values(), probe_row.companions[0].pretrained.encoder.state_dict().values()):
        assert torch.equal(ours, theirs)
    assert all(p.requires_grad for p in start.parameters())

    # It starts from the probe row's classifier (reader and head): the same answers on every digit.
    images, targets = to_tensor(data.images[split.test_indices]), torch.from_numpy(data.labels[split.test_indices])
    probe_start, _ = finetuning.probe_to_start_from(task, start, "tests")
    with torch.inference_mode():
        assert torch.allclose(probe_start.eval()(images), probe_row.classifier.eval()(images), atol=1e-4)
    assert all(p.requires_grad for p in probe_start.parameters())

    trained = finetuning.train_fine_tuned(task, finetuning.FineTuneConfig().for_tests())
    moved = [not torch.equal(a, b) for a, b in zip(trained.classifier.parameters(), probe_start.parameters())]
    assert len(moved) == len(list(probe_start.parameters())) and all(moved), \
        "fine-tuning trains every layer, not only the head"
    with torch.inference_mode():
        accuracy = float((trained.classifier.eval()(images).argmax(1) == targets).float().mean())
    assert accuracy > 0.5
    assert trained.extra_metrics["pretrain_seconds"] > 0


def test_the_gan_fine_tune_starts_from_the_discriminator_convolutions_in_the_baseline_network(digits, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_PRETRAIN_CACHE", str(tmp_path))
    data, split = digits
    task = make_point_task(data, split, "gan_probe", 0.1, seed=0)
    config = gan_probe.Config().for_tests()
    encoder, seconds = gan_probe.pretrained_encoder(task, config)
    trunk = gan_probe.cached_gan(gan_probe.GAN_NAME, task.dataset_name, frozen_probe.pool_in_pool_order(task), None,
                                 config, task.seed).discriminator.encoder
    convolutions = [m for m in encoder if isinstance(m, torch.nn.Conv2d)]
    learned = [m for m in trunk if isinstance(m, torch.nn.Conv2d)]
    assert len(convolutions) == len(learned) == 4
    assert all(torch.equal(a.weight, b.weight) for a, b in zip(convolutions, learned))
    assert sum(isinstance(m, torch.nn.BatchNorm2d) for m in encoder) == 4  # the baseline's network
    assert seconds > 0


def test_the_fine_tune_starts_at_a_fresh_networks_weight_scale_with_the_same_outputs():
    # A pretrained encoder whose convolutions grew (as contrastive pretraining leaves them, about
    # 2.3x): rescaled, every convolution feeding a BatchNorm has a fresh one's norm, and the
    # network computes the same thing, in training mode and with its running statistics.
    generator = torch.Generator().manual_seed(0)
    grown = make_encoder()
    grown.train()
    with torch.no_grad():
        for layer in grown:
            if isinstance(layer, torch.nn.Conv2d):
                layer.weight.mul_(2.3)
        for _ in range(5):  # running statistics of the grown network
            grown(torch.rand(32, 1, 28, 28, generator=generator))
    images = torch.rand(16, 1, 28, 28, generator=generator)
    # A forward pass in training mode updates the running statistics: each on its own copy.
    before_eval, before_train = copy.deepcopy(grown).eval()(images), copy.deepcopy(grown).train()(images)

    rescaled = finetuning.at_fresh_weight_scale(grown)
    fresh = make_encoder()
    for ours, new in zip([m for m in rescaled if isinstance(m, torch.nn.Conv2d)], [m for m in fresh if isinstance(m, torch.nn.Conv2d)]):
        assert float(ours.weight.detach().norm()) == pytest.approx(float(new.weight.detach().norm()), rel=0.1)
    assert torch.allclose(copy.deepcopy(rescaled).eval()(images), before_eval, atol=1e-4)
    assert torch.allclose(copy.deepcopy(rescaled).train()(images), before_train, atol=1e-4)
