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

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.core.bundle_reader import ModelError


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


def _write_matmul(path, input_name, output_name, in_shape, weights, bias):
    """A one-layer ONNX graph: flatten, matmul, add (an 'encoder' or a 'head' for these tests)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    graph = helper.make_graph(
        nodes=[helper.make_node("Flatten", [input_name], ["flat"], axis=1),
               helper.make_node("MatMul", ["flat", "w"], ["scores"]),
               helper.make_node("Add", ["scores", "b"], [output_name])],
        name="part",
        inputs=[helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["batch", *in_shape])],
        outputs=[helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["batch", weights.shape[1]])],
        initializer=[numpy_helper.from_array(weights.astype(np.float32), "w"),
                     numpy_helper.from_array(bias.astype(np.float32), "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, path)


def _split_a_classifier_into_encoder_and_head(directory):
    """Turn the fixture's supervised 1 % classifier into an encoder (image -> 64 features) and a
    head (features -> logits) as the self-supervised paradigms ship them; returns the numpy truth."""
    rng = np.random.default_rng(5)
    encoder_weights, head_weights = rng.normal(0, 0.05, (784, 64)), rng.normal(0, 0.3, (64, 10))
    encoder_file, head_file = directory / "models/enc.onnx", directory / "models/head.onnx"
    _write_matmul(encoder_file, "image", "features", [1, 28, 28], encoder_weights, np.zeros(64))
    _write_matmul(head_file, "features", "logits", [64], head_weights, np.zeros(10))
    evaluation = np.load(directory / f"data/{DATASET}-test.npz")
    pixels = evaluation["images"].reshape(-1, 784).astype(np.float32) / 255.0
    truth = float(np.mean(np.argmax(pixels @ encoder_weights @ head_weights, axis=1) == evaluation["labels"]))
    identifier = model_id("supervised", 0.01)

    def change(manifest):
        head = next(m for m in manifest["models"] if m["id"] == identifier)
        encoder = {**head, "id": "enc", "role": "encoder", "label_fraction": None, "file": "models/enc.onnx",
                   "sha256": sha256_of(encoder_file), "outputs": [{"name": "features", "shape": ["batch", 64]}]}
        head.update(file="models/head.onnx", sha256=sha256_of(head_file), encoder="enc")
        head["metrics"]["test_accuracy"] = truth
        manifest["models"].append(encoder)

    edit_manifest(directory, change)
    return identifier, truth


def test_a_head_runs_after_its_encoder_as_one_classifier(fixture_bundle):
    identifier, truth = _split_a_classifier_into_encoder_and_head(fixture_bundle)
    model, measurement = measure(fixture_bundle, identifier)
    assert model.encoder is not None and model.encoder.id == "enc"
    assert measurement.accuracy == pytest.approx(truth, abs=1e-9)
    session = inference.open_verified_session(fixture_bundle, model)
    probabilities = inference.class_probabilities(session, model, np.zeros((3, 28, 28), dtype=np.float32))
    assert probabilities.shape == (3, 10)


def test_a_missing_encoder_is_named_with_its_rebuild_command(fixture_bundle):
    identifier, _ = _split_a_classifier_into_encoder_and_head(fixture_bundle)
    (fixture_bundle / "models/enc.onnx").unlink()
    model = bundle.load_manifest(fixture_bundle).model(identifier)
    with pytest.raises(ModelError) as raised:
        bundle.verified_model_path(fixture_bundle, model)
    assert raised.value.message_key == "error.model_missing"
    assert "enc" in raised.value.message("en") and "python -m training" in raised.value.message("en")
