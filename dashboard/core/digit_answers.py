"""Every shipped paradigm's answer for one digit: one loop over the manifest's classifiers.

All classifiers share one interface (docs/design.md): `image` (B, 1, 28, 28) in [0, 1] -> `logits`
(B, 10). So this module never names a paradigm: a paradigm added to the registry and the bundle
answers here with no new code. Sessions come from a callable, so the page passes its cached
`page_helpers.load_session` and tests or scripts pass their own.

    answers = answer_digit(classifiers_at_fraction(manifest, 1.0), session_for, model_input)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from dashboard.core import inference
from dashboard.core.bundle_reader import BundleError, Manifest, ModelInfo

CLASSIFIER_ROLE = "classifier"

SessionFor = Callable[[ModelInfo], ort.InferenceSession]


@dataclass(frozen=True)
class DigitAnswer:
    """One model's reading of the digit, or the error that kept it from answering."""

    model: ModelInfo
    probabilities: np.ndarray | None  # (n_classes,), summing to 1; None when `error` is set
    error: BundleError | None = None

    @property
    def predicted_index(self) -> int | None:
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    @property
    def predicted_class(self) -> str | None:
        """The class name the model reads ("7"), from the manifest's class names."""
        index = self.predicted_index
        if index is None:
            return None
        names = self.model.class_names
        return names[index] if index < len(names) else str(index)

    @property
    def confidence(self) -> float | None:
        """The probability the model gives its own answer, in [0, 1]."""
        if self.probabilities is None:
            return None
        return float(self.probabilities[int(np.argmax(self.probabilities))])


@dataclass(frozen=True)
class DigitReading:
    answers: tuple[DigitAnswer, ...]
    seconds: float  # wall time of the whole loop, every model included


def classifier_fractions(manifest: Manifest) -> list[float]:
    """The label fractions at which at least one classifier is shipped, smallest first."""
    return sorted(
        {
            model.label_fraction
            for model in manifest.models
            if model.role == CLASSIFIER_ROLE and model.label_fraction is not None
        }
    )


def closest_fraction(fractions: Sequence[float], wanted: float | None) -> float | None:
    """The shipped fraction nearest to `wanted` (on a log scale); the largest for None."""
    if not fractions:
        return None
    if wanted is None or not wanted > 0:
        return max(fractions)
    return min(fractions, key=lambda fraction: abs(np.log(fraction) - np.log(wanted)))


def classifiers_at_fraction(manifest: Manifest, label_fraction: float) -> list[ModelInfo]:
    """One classifier per paradigm trained at `label_fraction`, in the registry's order.

    The bundle ships seed 0; should it ever ship several seeds, the lowest one answers, so the
    page shows one answer per paradigm.
    """
    chosen: dict[str, ModelInfo] = {}
    for model in manifest.models_in_registry_order():
        if model.role != CLASSIFIER_ROLE or model.label_fraction is None:
            continue
        if not np.isclose(model.label_fraction, label_fraction, rtol=1e-9, atol=0.0):
            continue
        chosen.setdefault(model.paradigm, model)
    return list(chosen.values())


def paradigms_without_model_at(manifest: Manifest, label_fraction: float) -> list[str]:
    """Paradigms that ship classifiers, but none at this fraction (the page says so)."""
    with_classifiers = {
        model.paradigm: None
        for model in manifest.models_in_registry_order()
        if model.role == CLASSIFIER_ROLE
    }
    answering = {model.paradigm for model in classifiers_at_fraction(manifest, label_fraction)}
    return [paradigm for paradigm in with_classifiers if paradigm not in answering]


def answer_digit(
    models: Sequence[ModelInfo], session_for: SessionFor, model_input: np.ndarray
) -> DigitReading:
    """Run every model on one digit (float32 (28, 28) in [0, 1], white on black).

    A model that cannot be loaded or run gives an answer carrying its error (which names the
    model and the command that rebuilds it); the others still answer.
    """
    started = time.perf_counter()
    batch = model_input[np.newaxis]  # (1, 28, 28)
    answers = []
    for model in models:
        try:
            session = session_for(model)
            probabilities = inference.class_probabilities(session, model, batch)[0]
        except BundleError as error:
            answers.append(DigitAnswer(model=model, probabilities=None, error=error))
            continue
        answers.append(DigitAnswer(model=model, probabilities=probabilities))
    return DigitReading(answers=tuple(answers), seconds=time.perf_counter() - started)


def group_by_family(
    answers: Sequence[DigitAnswer], family_order: Sequence[str]
) -> list[tuple[str, list[DigitAnswer]]]:
    """The answers grouped by family, families in `family_order`, then any other family."""
    families = list(dict.fromkeys(answer.model.family for answer in answers))
    ordered = [family for family in family_order if family in families]
    ordered += [family for family in families if family not in ordered]
    return [
        (family, [answer for answer in answers if answer.model.family == family])
        for family in ordered
    ]
