"""Every shipped paradigm's answer for one digit: one loop over the manifest's classifiers.

What a user would notice: one answer per shipped paradigm at the chosen fraction, with a
confidence that is a probability, grouped by family; a broken model is named while the others
still answer.
"""

import numpy as np
import pytest
from dashboard_fixtures import build_fixture_bundle, edit_manifest, model_id

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.core.digit_answers import (
    answer_digit,
    classifier_fractions,
    classifiers_at_fraction,
    closest_fraction,
    group_by_family,
    paradigms_without_model_at,
)
from dashboard.core.figures import SPECTRUM_FAMILIES


@pytest.fixture
def fixture_bundle(tmp_path):
    return build_fixture_bundle(tmp_path / "bundle")


def sessions_of(directory):
    return lambda model: inference.create_session(
        bundle.verified_model_path(directory, model), model
    )


def a_digit() -> np.ndarray:
    digit = np.zeros((28, 28), dtype=np.float32)
    digit[4:24, 13:16] = 1.0  # a "1"
    return digit


def test_one_answer_per_shipped_paradigm_at_the_chosen_fraction(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    assert classifier_fractions(manifest) == [0.01, 1.0]
    models = classifiers_at_fraction(manifest, 1.0)
    assert [model.id for model in models] == [
        model_id("supervised", 1.0),
        model_id("kmeans", 1.0),
    ]
    reading = answer_digit(models, sessions_of(fixture_bundle), a_digit())
    for answer in reading.answers:
        assert answer.error is None
        assert answer.probabilities.sum() == pytest.approx(1.0)
        assert answer.predicted_class in [str(digit) for digit in range(10)]
        assert 0.1 <= answer.confidence <= 1.0  # the top of ten probabilities
    groups = group_by_family(reading.answers, SPECTRUM_FAMILIES)
    assert [family for family, _ in groups] == ["supervised", "unsupervised"]


def test_a_broken_model_is_named_and_the_others_still_answer(fixture_bundle):
    broken = model_id("kmeans", 0.01)
    with open(fixture_bundle / "models" / f"{broken}.onnx", "ab") as file:
        file.write(b"damaged")
    manifest = bundle.load_manifest(fixture_bundle)
    reading = answer_digit(
        classifiers_at_fraction(manifest, 0.01), sessions_of(fixture_bundle), a_digit()
    )
    supervised, kmeans = reading.answers
    assert supervised.error is None and supervised.predicted_class is not None
    assert kmeans.predicted_class is None
    assert broken in kmeans.error.message("en")


def test_fractions_without_a_model_are_said_and_the_nearest_one_is_used(fixture_bundle):
    edit_manifest(
        fixture_bundle,
        lambda manifest: manifest["models"].remove(
            next(m for m in manifest["models"] if m["id"] == model_id("kmeans", 0.01))
        ),
    )
    manifest = bundle.load_manifest(fixture_bundle)
    assert paradigms_without_model_at(manifest, 0.01) == ["kmeans"]
    assert closest_fraction([0.01, 1.0], 0.05) == 0.01
    assert closest_fraction([0.01, 1.0], 0.5) == 1.0
    assert closest_fraction([0.01, 1.0], None) == 1.0
    assert closest_fraction([], 0.5) is None


def test_softmax_holds_for_huge_logits():
    probabilities = inference.softmax(np.array([[1e30, 0.0, -1e30]], dtype=np.float32))
    assert np.isfinite(probabilities).all()
    assert probabilities[0].tolist() == pytest.approx([1.0, 0.0, 0.0])
