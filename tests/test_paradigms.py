"""Every implemented paradigm of the registry, tested through the same interface (no per-paradigm code)."""

import pytest
import torch

from training.data import load_dataset, make_split
from training.export import export_model
from training.point import accuracy, make_point_task, to_tensor
from training.registry import PARADIGMS, Paradigm, UnknownParadigm, get_paradigm, study_paradigms

IMPLEMENTED = [p.name for p in study_paradigms()]


@pytest.fixture(scope="module")
def digits():
    data = load_dataset("digits")
    return data, make_split(data)


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_paradigm_trains_a_classifier_with_the_common_interface(name, digits):
    data, split = digits
    module = get_paradigm(name).load()
    task = make_point_task(data, split, name, 0.2, seed=0)
    trained = module.train_point(task, module.Config().for_tests())

    test_images = to_tensor(data.images[split.test_indices])
    with torch.inference_mode():
        logits = trained.classifier(test_images[:5])
    assert logits.shape == (5, 10) and logits.dtype == torch.float32
    assert accuracy(trained.classifier, test_images, torch.from_numpy(data.labels[split.test_indices])) > 0.7

    exported = export_model(trained.classifier, model_id=name, example_input=test_images[:4],
                            facts={"paradigm": name, "role": "classifier", "metrics": {}})
    assert exported.entry["metrics"]["onnx_parity_max_abs_diff"] < 1e-3
    assert exported.entry["size_bytes"] == len(exported.onnx_bytes) > 0


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_paradigm_dry_run_is_one_small_step(name, digits):
    data, split = digits
    module = get_paradigm(name).load()
    task = make_point_task(data, split, name, 0.01, seed=0)
    trained = module.train_point(task, module.Config().for_dry_run())
    assert trained.train_seconds < 10


def test_unknown_and_planned_paradigms_fail_with_a_sentence():
    with pytest.raises(UnknownParadigm, match="Known paradigms: supervised, kmeans"):
        get_paradigm("superviesd")
    planned = Paradigm("time_travel", "self_supervised", "tomorrow's labels", None, issue=99)
    with pytest.raises(UnknownParadigm, match=r"planned but not implemented yet \(issue #99\)"):
        planned.load()


def test_registry_names_every_family_of_the_course():
    assert {p.family for p in PARADIGMS.values()} == {"supervised", "unsupervised", "semi_supervised",
                                                      "self_supervised", "gan"}
