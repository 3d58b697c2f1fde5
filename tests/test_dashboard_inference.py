"""Running shipped models with ONNX Runtime: the manifest's accuracy, or a clear error."""

import numpy as np
import pytest
from dashboard_fixtures import (
    DATASET,
    REAL_BUNDLE,
    build_fixture_bundle,
    edit_manifest,
    model_id,
    real_bundle_available,
    sha256_of,
    write_linear_classifier,
)

from dashboard import bundle, inference
from dashboard.bundle import ModelError


@pytest.fixture
def fixture_bundle(tmp_path):
    return build_fixture_bundle(tmp_path / "bundle")


def measure(bundle_directory, identifier):
    manifest = bundle.load_manifest(bundle_directory)
    model = manifest.model(identifier)
    evaluation_set = bundle.load_evaluation_set(bundle_directory, manifest.dataset(model.dataset))
    path = bundle.verified_model_path(bundle_directory, model)
    session = inference.create_session(path, model)
    return model, inference.measure_accuracy(session, model, evaluation_set)


def test_measured_accuracy_is_the_manifests(fixture_bundle):
    model, measurement = measure(fixture_bundle, model_id("supervised", 0.01))
    assert measurement.n_images == 60
    assert measurement.accuracy == pytest.approx(model.test_accuracy, abs=1e-9)


def test_pixels_are_scaled_to_the_declared_range(fixture_bundle):
    model = bundle.load_manifest(fixture_bundle).models[0]
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[0, 3, 4] = 255
    images[1, 5, 6] = 51
    prepared = inference.prepare_images(images, model)
    assert prepared.shape == (2, 1, 28, 28) and prepared.dtype == np.float32
    assert prepared[0, 0, 3, 4] == 1.0
    assert prepared[1, 0, 5, 6] == pytest.approx(0.2)
    assert prepared.sum() == pytest.approx(1.2)


def test_a_file_that_is_not_onnx_is_named_with_its_rebuild_command(fixture_bundle):
    identifier = model_id("kmeans", 0.01)
    model = bundle.load_manifest(fixture_bundle).model(identifier)
    path = fixture_bundle / model.file
    path.write_bytes(b"this is not a protobuf")
    with pytest.raises(ModelError) as raised:
        inference.create_session(path, model)
    message = raised.value.message("fr")
    assert raised.value.message_key == "error.model_not_onnx"
    assert identifier in message
    assert "python -m training train kmeans --fraction 0.01 --seed 0" in message


def test_a_model_with_another_output_shape_is_refused(fixture_bundle):
    identifier = model_id("supervised", 1.0)
    file = fixture_bundle / "models" / f"{identifier}.onnx"
    write_linear_classifier(file, np.zeros((784, 7), np.float32), np.zeros(7, np.float32))
    edit_manifest(
        fixture_bundle,
        lambda manifest: next(m for m in manifest["models"] if m["id"] == identifier).update(
            sha256=sha256_of(file)
        ),
    )
    with pytest.raises(ModelError) as raised:
        measure(fixture_bundle, identifier)
    message = raised.value.message("en")
    assert raised.value.message_key == "error.model_shape"
    assert "(batch, 10)" in message and "(batch, 7)" in message
    assert identifier in message


def test_a_model_whose_input_is_not_the_declared_name_is_refused(fixture_bundle):
    edit_manifest(fixture_bundle, lambda m: m["models"][0]["inputs"][0].update(name="pixels"))
    with pytest.raises(ModelError) as raised:
        measure(fixture_bundle, bundle.load_manifest(fixture_bundle).models[0].id)
    assert raised.value.message_key == "error.model_shape"


@pytest.mark.skipif(not real_bundle_available(), reason="exported_models/ not built yet")
def test_every_shipped_classifier_reproduces_its_manifest_accuracy():
    manifest = bundle.load_manifest(REAL_BUNDLE)
    classifiers = [m for m in manifest.models if m.role == "classifier"]
    assert classifiers
    for model in classifiers:
        _, measurement = measure(REAL_BUNDLE, model.id)
        assert measurement.accuracy == pytest.approx(
            model.test_accuracy, abs=inference.ACCURACY_AGREEMENT_TOLERANCE
        ), model.id
        assert measurement.n_images == manifest.dataset(model.dataset or DATASET).n_test
