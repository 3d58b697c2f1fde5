"""Reading the bundle: manifest checks, results, SHA-256 checks and the errors a user can meet."""

import os

import numpy as np
import pytest
from dashboard_fixtures import (
    DATASET,
    build_fixture_bundle,
    edit_manifest,
    model_id,
)

from dashboard.core import bundle_reader as bundle
from dashboard.core.bundle_reader import FileStatus, ManifestError, ModelError, ResultsError


@pytest.fixture
def fixture_bundle(tmp_path):
    return build_fixture_bundle(tmp_path / "bundle")


def test_manifest_of_the_fixture_bundle_reads_back(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    assert len(manifest.paradigms) == 16
    assert manifest.paradigm("rotation").implemented is False
    assert manifest.paradigm("kmeans").family == "unsupervised"
    model = manifest.model(model_id("supervised", 0.01))
    assert model.label_fraction == 0.01 and model.n_labels == 40 and model.seed == 0
    assert model.inputs[0].shape == ("batch", 1, 28, 28)
    assert model.inputs[0].value_range == (0.0, 1.0)
    assert manifest.dataset(DATASET).n_test == 60


def test_bundle_location_follows_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(bundle.BUNDLE_ENVIRONMENT_VARIABLE, str(tmp_path))
    assert bundle.locate_bundle() == tmp_path.resolve()
    monkeypatch.delenv(bundle.BUNDLE_ENVIRONMENT_VARIABLE)
    assert bundle.locate_bundle() == bundle.DEFAULT_BUNDLE_DIRECTORY


def test_missing_manifest_says_how_to_build_the_models(tmp_path):
    with pytest.raises(ManifestError) as raised:
        bundle.load_manifest(tmp_path)
    assert raised.value.message_key == "error.manifest_missing"
    assert bundle.FULL_STUDY_COMMAND in raised.value.message("fr")
    assert str(tmp_path) in raised.value.message("en")


def test_manifest_that_is_not_json_names_the_line(fixture_bundle):
    (fixture_bundle / "manifest.json").write_text('{"format": 1,\n  "models": [oops', "utf-8")
    with pytest.raises(ManifestError) as raised:
        bundle.load_manifest(fixture_bundle)
    assert raised.value.message_key == "error.manifest_not_json"
    assert "ligne 2" in raised.value.message("fr")


def test_manifest_with_a_malformed_model_names_the_field(fixture_bundle):
    edit_manifest(fixture_bundle, lambda manifest: manifest["models"][1].pop("sha256"))
    with pytest.raises(ManifestError) as raised:
        bundle.load_manifest(fixture_bundle)
    assert raised.value.message_key == "error.manifest_invalid"
    assert "models[1].sha256" in raised.value.message("en")


def test_manifest_in_another_format_is_refused(fixture_bundle):
    edit_manifest(fixture_bundle, lambda manifest: manifest.update(format=2))
    with pytest.raises(ManifestError) as raised:
        bundle.load_manifest(fixture_bundle)
    assert raised.value.message_key == "error.manifest_format"


def test_results_read_with_numeric_columns(fixture_bundle):
    results = bundle.load_results(fixture_bundle)
    assert len(results) == 2 * 7 * 3
    assert results["n_labels"].dtype == np.int64
    assert set(results["label_fraction"]) == {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0}


def test_missing_or_broken_results_are_errors(fixture_bundle):
    results_file = fixture_bundle / "results.csv"
    results_file.write_text("paradigm,seed\nsupervised,0\n", "utf-8")
    with pytest.raises(ResultsError) as raised:
        bundle.load_results(fixture_bundle)
    assert raised.value.message_key == "error.results_invalid"
    results_file.unlink()
    with pytest.raises(ResultsError) as raised:
        bundle.load_results(fixture_bundle)
    assert raised.value.message_key == "error.results_missing"


def test_model_status_ok_missing_and_mismatch(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    first, second = manifest.models[:2]
    assert bundle.model_file_status(fixture_bundle, first) is FileStatus.OK
    (fixture_bundle / first.file).unlink()
    assert bundle.model_file_status(fixture_bundle, first) is FileStatus.MISSING
    with open(fixture_bundle / second.file, "ab") as file:
        file.write(b"\0")
    assert bundle.model_file_status(fixture_bundle, second) is FileStatus.MISMATCH


def test_a_rewritten_file_is_hashed_again(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    model = manifest.models[0]
    path = fixture_bundle / model.file
    assert bundle.file_sha256(path) == model.sha256
    original = path.read_bytes()
    path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))  # same size, new content
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert bundle.file_sha256(path) != model.sha256


def test_verified_model_path_errors_name_the_model_and_the_rebuild_command(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    model = manifest.model(model_id("supervised", 0.01))
    (fixture_bundle / model.file).unlink()
    with pytest.raises(ModelError) as raised:
        bundle.verified_model_path(fixture_bundle, model)
    message = raised.value.message("en")
    assert raised.value.message_key == "error.model_missing"
    assert model.id in message
    assert "python -m training train supervised --fraction 0.01 --seed 0" in message


def test_model_outside_the_bundle_is_refused(fixture_bundle):
    edit_manifest(fixture_bundle, lambda m: m["models"][0].update(file="../../etc/passwd"))
    model = bundle.load_manifest(fixture_bundle).models[0]
    assert bundle.model_file_status(fixture_bundle, model) is FileStatus.OUTSIDE
    with pytest.raises(ModelError) as raised:
        bundle.verified_model_path(fixture_bundle, model)
    assert raised.value.message_key == "error.model_outside_bundle"


def test_rebuild_command_for_every_kind_of_model(fixture_bundle):
    model = bundle.load_manifest(fixture_bundle).model(model_id("kmeans", 1.0))
    expected = "python -m training train kmeans --fraction 1 --seed 0"
    assert bundle.model_rebuild_command(model) == expected
    generator = model.__class__(**{**model.__dict__, "paradigm": "dcgan", "role": "generator", "label_fraction": None})
    assert bundle.model_rebuild_command(generator) == "python -m training study --profile full --paradigm dcgan --seed 0"


def test_evaluation_set_loads_and_detects_damage(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    dataset = manifest.dataset(DATASET)
    evaluation_set = bundle.load_evaluation_set(fixture_bundle, dataset)
    assert evaluation_set.images.shape == (60, 28, 28)
    assert evaluation_set.images.dtype == np.uint8
    assert evaluation_set.labels.shape == (60,)
    (fixture_bundle / dataset.eval_file).write_bytes(b"not an npz")
    with pytest.raises(bundle.EvaluationDataError) as raised:
        bundle.load_evaluation_set(fixture_bundle, dataset)
    assert raised.value.message_key == "error.eval_invalid"


def test_test_images_that_are_not_uint8_pixels_are_refused(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    dataset = manifest.dataset(DATASET)
    images = np.zeros((5, 28, 28), dtype=np.float32)  # already scaled: would be scaled twice
    np.savez(fixture_bundle / dataset.eval_file, images=images, labels=np.zeros(5, np.int64))
    unchecked = dataset.__class__(**{**dataset.__dict__, "eval_sha256": None})
    with pytest.raises(bundle.EvaluationDataError) as raised:
        bundle.load_evaluation_set(fixture_bundle, unchecked)
    assert raised.value.message_key == "error.eval_invalid"
    assert bundle.evaluation_file_status(fixture_bundle, dataset) is FileStatus.MISMATCH
