"""Running shipped ONNX models with ONNX Runtime on the CPU, checked against what the manifest says.

Input and output names are read from the session and compared with the manifest, never assumed;
how to scale pixels comes from the manifest's input range. Anything that makes a model unusable
(not ONNX, other shapes than declared, a failure while running) is raised as a ModelError that
names the model and the command rebuilding it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from dashboard.core.bundle_reader import (
    EvaluationSet,
    ModelError,
    ModelInfo,
    TensorSpec,
    model_rebuild_command,
    verified_model_path,
)

# Streamlit serves every browser tab from its own thread, and ONNX Runtime would by default give
# each session one thread per core: on a 2-core school machine, tabs would fight over the cores.
# A few threads per session keep one tab fast without starving the others.
INTRA_OP_THREADS = int(os.environ.get("PARADIGM_LAB_ORT_THREADS") or max(1, min(4, os.cpu_count() or 1)))
# Models are measured on the test set by batches of 32 digits. Batches of 250 were slower on a
# 2-core machine (240 against 160 ms for 1,000 digits through one classifier: the activations of 32
# digits stay in the CPU's caches) and a session's memory arena kept their peak, about 100 MB
# against 40 MB while the session lived.
EVALUATION_BATCH_SIZE = 32
DEFAULT_INPUT_RANGE = (0.0, 1.0)
# ONNX Runtime and the PyTorch model measured at export round floats differently, so a digit on a
# decision boundary may flip: half a point on 1,000 test images is five flips. More than that
# means the file is not the model the manifest describes.
ACCURACY_AGREEMENT_TOLERANCE = 0.005


@dataclass(frozen=True)
class AccuracyMeasurement:
    accuracy: float  # fraction of test images classified right, in [0, 1]
    n_images: int
    seconds: float


class EncoderThenHead:
    """Two sessions used as one: the encoder (image -> features), then a classifier head
    (features -> logits). It answers get_inputs, get_outputs and run like an InferenceSession, so
    every classifier, whole or in two parts, goes through the same code."""

    def __init__(self, encoder: ort.InferenceSession, head: ort.InferenceSession):
        self.encoder, self.head = encoder, head
        self._features_name = head.get_inputs()[0].name

    def get_inputs(self):
        return self.encoder.get_inputs()

    def get_outputs(self):
        return self.head.get_outputs()

    def run(self, output_names, feeds):
        (features,) = self.encoder.run(None, feeds)  # (B, feature_dim)
        return self.head.run(output_names, {self._features_name: features})


def release_freed_memory() -> None:
    """Hand the memory a large run just freed back to the system (glibc's malloc_trim). A photo's
    run allocates tens of megabytes that malloc would otherwise keep, scattered, for the
    server's lifetime; no-op where there is no glibc."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def create_session(
    model_path: Path, model: ModelInfo, *, memory_arena: bool = True, threads: int = INTRA_OP_THREADS
):
    """An ONNX Runtime session on the CPU, or a ModelError if the file is not a usable model.
    For a head that names its encoder, the encoder's file is beside it in the same bundle.
    Without ``memory_arena`` the session hands its memory back after each run: for a model that
    reads whole photos (the colouriser), whose arena would otherwise keep its largest photo's peak."""
    if model.encoder is not None:
        # model_path is <bundle>/<model.file>: climb back to the bundle folder.
        bundle_directory = model_path.parents[len(Path(model.file).parts) - 1]
        encoder_path = (bundle_directory / model.encoder.file).resolve()
        encoder = _plain_session(encoder_path, model.encoder, memory_arena, threads)
        head = _plain_session(model_path, model, memory_arena, threads)
        features, expected = encoder.get_outputs()[0], head.get_inputs()[0]
        if len(features.shape) != 2 or features.shape[1] != expected.shape[1]:
            raise shape_error(model, expected.name, shape_text(expected.shape), shape_text(features.shape))
        return EncoderThenHead(encoder, head)
    return _plain_session(model_path, model, memory_arena, threads)


def _plain_session(
    model_path: Path, model: ModelInfo, memory_arena: bool = True, threads: int = INTRA_OP_THREADS
) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.enable_cpu_mem_arena = memory_arena
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # By default ONNX Runtime's worker threads spin (busy-wait for more work) after every run.
    # The try page runs 13 classifiers on one digit, then draws in Python: the spinning threads
    # kept both cores busy, and its rerun took 180 ms instead of 55 (AppTest, side by side), while
    # other tabs' runs wait for the same cores.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3  # errors only: the console is for problems, not notices
    try:
        return ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    # ONNX Runtime raises a dozen unrelated exception types (InvalidProtobuf, InvalidGraph, Fail...)
    # for a file it cannot load; all of them mean the same to a user: rebuild the model.
    except Exception as error:
        raise ModelError(
            "error.model_not_onnx", model_id=model.id, command=model_rebuild_command(model)
        ) from error



def open_verified_session(
    bundle_directory: Path, model: ModelInfo, *, threads: int = INTRA_OP_THREADS
) -> ort.InferenceSession:
    """A session on the model's file once its SHA-256 matches the manifest (scripts and tests;
    the pages go through page_helpers, which caches sessions across reruns)."""
    return create_session(verified_model_path(bundle_directory, model), model, threads=threads)


def session_cache(bundle_directory: Path):
    """A ``session_for(model)`` that opens each model once, for loops over many digits."""
    sessions: dict[str, ort.InferenceSession] = {}

    def session_for(model: ModelInfo) -> ort.InferenceSession:
        if model.id not in sessions:
            sessions[model.id] = open_verified_session(bundle_directory, model)
        return sessions[model.id]

    return session_for

def shape_text(shape: tuple | list) -> str:
    return "(" + ", ".join(str(dimension) for dimension in shape) + ")"


def run_failed(model: ModelInfo) -> ModelError:
    """The message for a graph ONNX Runtime could not run: the model is unusable, rebuild it."""
    return ModelError("error.model_run_failed", model_id=model.id, command=model_rebuild_command(model))


def shape_error(model: ModelInfo, tensor: str, expected: object, found: object) -> ModelError:
    return ModelError(
        "error.model_shape",
        model_id=model.id,
        tensor=tensor,
        expected=expected,
        found=found,
        command=model_rebuild_command(model),
    )


def _dimensions_match(declared: int | str, actual: int | str | None) -> bool:
    """A declared size must be the actual size; a declared free axis must stay free in the model."""
    if isinstance(declared, int):
        return not isinstance(actual, int) or actual == declared
    return not isinstance(actual, int)


def _check_tensors(
    model: ModelInfo, declared: tuple[TensorSpec, ...], actual: list, kind: str
) -> None:
    actual_by_name = {tensor.name: tensor for tensor in actual}
    if not declared:
        raise shape_error(model, kind, "?", ", ".join(actual_by_name) or "-")
    for spec in declared:
        tensor = actual_by_name.get(spec.name)
        if tensor is None:
            raise shape_error(model, spec.name, shape_text(spec.shape), ", ".join(actual_by_name))
        if len(tensor.shape) != len(spec.shape) or not all(
            _dimensions_match(d, a) for d, a in zip(spec.shape, tensor.shape)
        ):
            raise shape_error(
                model, spec.name, shape_text(spec.shape), shape_text(tensor.shape)
            )


def check_session_matches_manifest(session: ort.InferenceSession, model: ModelInfo) -> None:
    """Raise a ModelError unless the session's inputs and outputs are the manifest's."""
    _check_tensors(model, model.inputs, session.get_inputs(), "inputs")
    _check_tensors(model, model.outputs, session.get_outputs(), "outputs")


def prepare_images(images: np.ndarray, model: ModelInfo) -> np.ndarray:
    """uint8 images (N, H, W) in [0, 255] -> float32 in the model's input shape and value range."""
    return scale_to_model_input(images.astype(np.float32) / 255.0, model)


def scale_to_model_input(unit_images: np.ndarray, model: ModelInfo) -> np.ndarray:
    """float images (N, H, W) in [0, 1] -> float32 in the model's input shape and value range."""
    spec = model.inputs[0]
    per_image_shape = tuple(d if isinstance(d, int) else -1 for d in spec.shape[1:])
    if per_image_shape.count(-1) > 0 or int(np.prod(per_image_shape)) != unit_images[0].size:
        raise shape_error(
            model,
            spec.name,
            shape_text(spec.shape),
            shape_text(("batch", *unit_images.shape[1:])),
        )
    low, high = spec.value_range or DEFAULT_INPUT_RANGE
    scaled = low + (high - low) * unit_images.astype(np.float32, copy=False)
    return scaled.reshape((len(unit_images), *per_image_shape)).astype(np.float32, copy=False)


def run_logits(session: ort.InferenceSession, model: ModelInfo, batch: np.ndarray) -> np.ndarray:
    """The model's logits (B, n_classes) for one batch already in its input shape and range."""
    input_name = session.get_inputs()[0].name
    output_name = session.get_outputs()[0].name
    n_classes = len(model.class_names) or None
    try:
        (logits,) = session.run([output_name], {input_name: batch})  # (B, n_classes)
    # Same reason as in create_session: any runtime failure means the graph is unusable.
    except Exception as error:
        raise run_failed(model) from error
    if logits.ndim != 2 or len(logits) != len(batch) or (
        n_classes is not None and logits.shape[1] != n_classes
    ):
        expected = shape_text((len(batch), n_classes or "classes"))
        raise shape_error(model, output_name, expected, shape_text(logits.shape))
    return logits


def predict_classes(
    session: ort.InferenceSession, model: ModelInfo, model_input: np.ndarray
) -> np.ndarray:
    """Predicted class per image, (N,) int64, running the model by batches."""
    predictions = []
    for start in range(0, len(model_input), EVALUATION_BATCH_SIZE):
        batch = model_input[start : start + EVALUATION_BATCH_SIZE]
        predictions.append(np.argmax(run_logits(session, model, batch), axis=1))
    return np.concatenate(predictions)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Class probabilities from logits (N, C), computed without overflow."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exponentials = np.exp(shifted.astype(np.float64))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def class_probabilities(
    session: ort.InferenceSession, model: ModelInfo, unit_images: np.ndarray
) -> np.ndarray:
    """Probabilities (N, n_classes) for float images (N, 28, 28) in [0, 1], white on black."""
    return softmax(run_logits(session, model, scale_to_model_input(unit_images, model)))


def encoder_features(
    session: EncoderThenHead, model: ModelInfo, evaluation_set: EvaluationSet
) -> np.ndarray:
    """What the head of `model` reads: its encoder's features of the test images, (N, feature_dim),
    run by the same batches as the pair would run them. Every head of one encoder reads the same
    features, so a loop over heads can run the encoder once."""
    model_input = prepare_images(evaluation_set.images, model)
    input_name = session.encoder.get_inputs()[0].name
    features = []
    for start in range(0, len(model_input), EVALUATION_BATCH_SIZE):
        batch = model_input[start : start + EVALUATION_BATCH_SIZE]
        try:
            features.append(session.encoder.run(None, {input_name: batch})[0])  # (B, feature_dim)
        except Exception as error:  # as in run_logits: the pair is unusable
            raise run_failed(model) from error
    return np.concatenate(features)


def measure_accuracy(
    session: ort.InferenceSession,
    model: ModelInfo,
    evaluation_set: EvaluationSet,
    features: np.ndarray | None = None,
) -> AccuracyMeasurement:
    """The model's accuracy on the shipped test images, measured now. For a head and its encoder
    (an EncoderThenHead), `features` from encoder_features spare the encoder's run: only the head
    runs."""
    check_session_matches_manifest(session, model)
    started = time.perf_counter()
    if features is not None:
        predicted = predict_classes(session.head, model, features)
    else:
        predicted = predict_classes(session, model, prepare_images(evaluation_set.images, model))
    seconds = time.perf_counter() - started
    return AccuracyMeasurement(
        accuracy=float(np.mean(predicted == evaluation_set.labels)),
        n_images=len(evaluation_set.labels),
        seconds=seconds,
    )
