"""Every implemented paradigm of the registry, tested through the same interface (no per-paradigm code)."""

import numpy as np
import pytest
import torch

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from training.bundle_writer import read_results
from training.data import load_dataset, make_split
from training.point import make_point_task
from training.registry import PARADIGMS, Paradigm, UnknownParadigm, get_paradigm, study_paradigms

IMPLEMENTED = [p.name for p in study_paradigms()]


@pytest.fixture(scope="module")
def digits():
    data = load_dataset("digits")
    return data, make_split(data)


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_paradigm_trains_a_classifier_with_the_common_interface(name, shared_page_bundle):
    """The test-profile study trains every paradigm through ``train_point`` with its test config
    and exports what it ships (export_model checks the ONNX file against PyTorch; a fine-tune
    ships its results row only): its 20 % point is read here rather than trained a second time,
    which kept CI busy for minutes."""
    results = read_results(shared_page_bundle)
    point = results[(results["paradigm"] == name) & (results["label_fraction"] == 0.2) & (results["seed"] == 0)]
    assert len(point) == 1, f"the test profile has no 20 % point of {name}"
    assert point["test_accuracy"].iloc[0] > 0.7

    manifest = bundle.load_manifest(shared_page_bundle)
    paradigm = manifest.paradigm(name)
    assert paradigm is not None
    if not paradigm.ships_classifier:
        # A row that measures another row's encoder (a fine-tune) ships its results only.
        assert point["model_id"].iloc[0] == "" and not any(m.paradigm == name for m in manifest.models)
        return
    model = manifest.model(point["model_id"].iloc[0])
    assert model is not None and model.role == "classifier"
    test = bundle.load_evaluation_set(shared_page_bundle, manifest.dataset(model.dataset))
    session = inference.open_verified_session(shared_page_bundle, model)
    logits = inference.run_logits(session, model, inference.prepare_images(test.images[:5], model))
    assert logits.shape == (5, 10) and logits.dtype == np.float32
    # Recorded at export for the file that ships (the head alone for a frozen encoder's point).
    assert model.metrics["onnx_parity_max_abs_diff"] < 1e-3
    assert model.size_bytes is not None and model.size_bytes > 0


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_paradigm_dry_run_returns_a_whole_classifier(name, digits):
    data, split = digits
    module = get_paradigm(name).load()
    task = make_point_task(data, split, name, 0.01, seed=0)
    trained = module.train_point(task, module.Config().for_dry_run())
    # What the leakage test and the CLI's --dry-run rely on: a whole classifier comes back, its
    # training time recorded (how long it takes is the benchmark's business, not an assert's).
    trained.classifier.eval()
    with torch.no_grad():
        logits = trained.classifier(task.unlabelled_images[:5])
    assert logits.shape == (5, 10) and torch.isfinite(logits).all()
    assert trained.train_seconds > 0


def test_unknown_and_planned_paradigms_fail_with_a_sentence():
    with pytest.raises(UnknownParadigm, match="Known paradigms: supervised, kmeans"):
        get_paradigm("superviesd")
    planned = Paradigm("time_travel", "self_supervised", "tomorrow's labels", None, issue=99)
    with pytest.raises(UnknownParadigm, match=r"planned but not implemented yet \(issue #99\)"):
        planned.load()


def test_registry_names_every_family_of_the_course():
    assert {p.family for p in PARADIGMS.values()} == {"supervised", "unsupervised", "semi_supervised",
                                                      "self_supervised", "gan"}
