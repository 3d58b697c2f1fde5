"""The chart re-checks itself: every shipped model measured now against its row in results.csv.

The bundle ships the models of seed 0 (exported_models/README.md), so each seed-0 row of the
results table has a model file that ONNX Runtime can run on the bundled test images. Measuring
them all and comparing with the table shows a class that the chart is made of real, shipped
models: one test image in 1,000 is 0.1 point, and any larger difference is flagged.

    report = recheck_study(manifest, results, session_for, evaluation_set_for)
    report.flagged  # the points that do not agree

Sessions and test images come from callables, so the page passes its loaders and tests pass
their own. Nothing here imports streamlit. Three things keep the re-check of 91 models short: models
are measured side by side on the cores (MODELS_AT_ONCE), the heads of one self-supervised encoder
share one run of that encoder over the test images, and a `MeasurementMemory` keeps what a server
already measured: the accuracy of a model file on a test file is fixed by the two files, so a
model whose file (and encoder's, and test images') still has the fingerprint it had when measured
is not run again. Its fingerprint is checked at every re-check: a changed file is measured anew, or
named if it no longer matches the manifest.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort
import pandas as pd

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.core.bundle_reader import (
    BundleError,
    DatasetInfo,
    EvaluationSet,
    Manifest,
    ModelError,
    ModelInfo,
)

SHIPPED_SEED = 0
# Differences above one test image in 1,000 (0.1 point) are flagged; the small epsilon keeps a
# difference of exactly 0.001, computed in floating point, on the agreeing side.
RECHECK_TOLERANCE = 0.001
_FLOAT_EPSILON = 1e-9
# Models measured at once, each in its own thread. The page opens their sessions with one thread
# each: on 2 cores, two small models side by side beat one model at a time on two threads.
# Two at most: a session measuring the test set holds a memory arena of about 40 MB until it is
# dropped (inference.EVALUATION_BATCH_SIZE), and the dashboard's memory budget is 400 MB.
MODELS_AT_ONCE = max(1, min(2, os.cpu_count() or 1))

SessionFor = Callable[[ModelInfo], ort.InferenceSession]
MeasurementKey = tuple[str, str | None, str | None]  # model's, encoder's and test images' SHA-256


def measurement_key(model: ModelInfo, dataset: DatasetInfo) -> MeasurementKey:
    """What fixes a model's measured accuracy: its file, its encoder's file, the test images."""
    return model.sha256, model.encoder.sha256 if model.encoder else None, dataset.eval_sha256


class MeasurementMemory:
    """Accuracies measured by this process, by `measurement_key`; safe to share between threads
    (the page's re-checks and the warm-up that measures ahead of the first click)."""

    def __init__(self) -> None:
        self._accuracies: dict[MeasurementKey, float] = {}
        self._being_measured: dict[MeasurementKey, threading.Event] = {}
        self._lock = threading.Lock()
        self.first_measured_at: float | None = None  # time.time() of the first accuracy kept

    def recall(self, key: MeasurementKey) -> float | None:
        with self._lock:
            return self._accuracies.get(key)

    def measure_once(self, key: MeasurementKey, measure: Callable[[], float]) -> float:
        """`measure()`, kept; or, if another thread is measuring the same key, its result once it
        is done (measured here after all if that thread failed: the error is then this one's)."""
        with self._lock:
            if key in self._accuracies:
                return self._accuracies[key]
            running = self._being_measured.get(key)
            if running is None:
                self._being_measured[key] = threading.Event()
        if running is not None:
            running.wait()
            known = self.recall(key)
            return known if known is not None else measure()
        try:
            accuracy = measure()
            self.keep(key, accuracy)
            return accuracy
        finally:
            with self._lock:
                self._being_measured.pop(key).set()

    def keep(self, key: MeasurementKey, accuracy: float) -> None:
        with self._lock:
            self._accuracies[key] = accuracy
            if self.first_measured_at is None:
                self.first_measured_at = time.time()

    def __len__(self) -> int:
        with self._lock:
            return len(self._accuracies)
EvaluationSetFor = Callable[[DatasetInfo], EvaluationSet]


@dataclass(frozen=True)
class RecheckedPoint:
    """One study point: the accuracy results.csv records and the one measured now."""

    paradigm: str
    family: str
    dataset: str
    label_fraction: float
    n_labels: int | None
    seed: int
    model_id: str
    recorded_accuracy: float | None  # None: the shipped model has no row in results.csv
    measured_accuracy: float | None  # None: the model could not be measured (see `error`)
    error: BundleError | None = None

    @property
    def difference(self) -> float | None:
        """measured - recorded, as a proportion (0.001 = 0.1 point); None if either is missing."""
        if self.recorded_accuracy is None or self.measured_accuracy is None:
            return None
        return self.measured_accuracy - self.recorded_accuracy

    @property
    def flagged(self) -> bool:
        """True unless both accuracies exist and agree within RECHECK_TOLERANCE."""
        difference = self.difference
        return difference is None or abs(difference) > RECHECK_TOLERANCE + _FLOAT_EPSILON


@dataclass(frozen=True)
class RecheckReport:
    points: tuple[RecheckedPoint, ...]
    seconds: float  # wall time of the whole re-check, loading included
    n_images: int  # test images each model was measured on (the largest test set)
    n_recalled: int = 0  # models whose accuracy came from the memory, their files checked now
    first_measured_at: float | None = None  # when the memory's first accuracy was measured
    # Seed-0 rows of results-only paradigms (the fine-tunes...): charted from results.csv, with no
    # model to measure. The page says so, so that "the chart comes from the shipped models" is
    # not read as covering them.
    n_results_only: int = 0

    @property
    def flagged(self) -> list[RecheckedPoint]:
        return [point for point in self.points if point.flagged]


def _model_for_row(row: pd.Series, manifest: Manifest) -> ModelInfo | None:
    """The manifest's model for a results row: by its model_id, else by its point."""
    model_id = row.get("model_id")
    if isinstance(model_id, str) and model_id:
        return manifest.model(model_id)
    for model in manifest.models:
        if (
            model.role == "classifier"
            and model.paradigm == row["paradigm"]
            and model.dataset == row["dataset"]
            and model.seed == row["seed"]
            and model.label_fraction is not None
            and math.isclose(model.label_fraction, row["label_fraction"], rel_tol=1e-9)
        ):
            return model
    return None


def _missing_model_error(row: pd.Series) -> ModelError:
    model_id = row.get("model_id")
    return ModelError(
        "error.model_not_in_manifest",
        model_id=model_id if isinstance(model_id, str) and model_id else "?",
        paradigm=row["paradigm"],
        command=bundle.paradigm_study_command(row["paradigm"]),
    )


Measurement = tuple[float | None, BundleError | None]  # (accuracy, or the error that prevented it)


def _read_evaluation_sets(
    manifest: Manifest, models: list[ModelInfo], evaluation_set_for: EvaluationSetFor
) -> dict[str, EvaluationSet | BundleError]:
    """The test images of every data set the models are measured on, or the error reading them.
    Read before measuring, on the caller's thread: the page reads them through Streamlit's cache,
    which expects the script's thread, not the measuring threads."""
    evaluation_sets: dict[str, EvaluationSet | BundleError] = {}
    for model in models:
        dataset = manifest.dataset(model.dataset)
        if dataset is not None and dataset.id not in evaluation_sets:
            try:
                evaluation_sets[dataset.id] = evaluation_set_for(dataset)
            except BundleError as error:
                evaluation_sets[dataset.id] = error
    return evaluation_sets


def _measure_models(
    manifest: Manifest,
    models: list[ModelInfo],
    session_for: SessionFor,
    evaluation_sets: dict[str, EvaluationSet | BundleError],
    models_at_once: int,
    on_progress: Callable[[int, int], None] | None = None,
    memory: MeasurementMemory | None = None,
) -> tuple[dict[str, Measurement], int]:
    """Each model's accuracy on its data set's test images, by model id, `models_at_once` models
    at a time, and how many came from `memory` (their files' fingerprints checked now)."""
    recalled: set[str] = set()
    # The self-supervised paradigms ship one encoder and a head per label fraction: their heads read
    # the features of one encoder run (per data set) instead of running the encoder once per head.
    shared_features: dict[tuple[str, str, str], np.ndarray] = {}

    def measure(model: ModelInfo) -> Measurement:
        try:
            dataset = manifest.dataset_of(model)
            evaluation_set = evaluation_sets[dataset.id]
            if isinstance(evaluation_set, BundleError):
                raise evaluation_set
            key = measurement_key(model, dataset)
            known = memory.recall(key) if memory is not None else None
            if known is not None:
                # The files must still be the ones measured: a changed file is measured again
                # (or named, if it no longer matches the manifest).
                bundle.verified_model_path(manifest.bundle_directory, model)
                recalled.add(model.id)
                return known, None

            def run() -> float:
                # A head is opened with its encoder, as every page opens it, so both files are
                # verified and their shapes checked; opening an encoder costs milliseconds,
                # running it on the test set is what the shared features spare.
                session = session_for(model)
                features = None
                if isinstance(session, inference.EncoderThenHead) and model.encoder is not None:
                    encoder_key = (model.encoder.id, model.encoder.sha256, dataset.id)
                    if encoder_key not in shared_features:
                        shared_features[encoder_key] = inference.encoder_features(session, model, evaluation_set)
                    features = shared_features[encoder_key]
                return inference.measure_accuracy(session, model, evaluation_set, features).accuracy

            # With a memory, a model another thread is measuring (the server measuring ahead) is
            # waited for instead of measured twice.
            return (memory.measure_once(key, run) if memory is not None else run()), None
        except BundleError as error:
            return None, error

    # The first head of each encoder runs it; the other heads, measured after all first heads,
    # find its features ready instead of waiting for them or running the encoder again.
    first_heads: dict[str, ModelInfo] = {}
    for model in models:
        if model.encoder is not None:
            first_heads.setdefault(model.encoder.id, model)
    first = list(first_heads.values())
    first_ids = {model.id for model in first}
    then = [model for model in models if model.id not in first_ids]
    measured: dict[str, Measurement] = {}
    with ThreadPoolExecutor(max_workers=max(1, models_at_once)) as pool:
        for group in (first, then):
            running = {pool.submit(measure, model): model.id for model in group}
            for done in as_completed(running):
                measured[running[done]] = done.result()
                # Told from this thread, the caller's: a Streamlit page may draw from it.
                if on_progress is not None:
                    on_progress(len(measured), len(models))
    return measured, len(recalled)


def recheck_study(
    manifest: Manifest,
    results: pd.DataFrame,
    session_for: SessionFor,
    evaluation_set_for: EvaluationSetFor,
    *,
    models_at_once: int = MODELS_AT_ONCE,
    on_progress: Callable[[int, int], None] | None = None,
    memory: MeasurementMemory | None = None,
) -> RecheckReport:
    """Measure every shipped classifier now and set it beside its seed-0 row of results.csv.

    Points come in the registry's order: one per seed-0 row, then any shipped classifier the table
    has no row for (flagged: the chart cannot show it). A model that cannot be measured (missing,
    changed, not ONNX...) is a flagged point carrying the error that names it. Models are measured
    `models_at_once` at a time, in threads: `session_for` must be safe to call from any thread.
    `on_progress(done, total)` is called, from the calling thread, as each model is measured.
    With a `memory`, models it holds are not run again once their files are checked, and what is
    measured is kept in it.
    """
    started = time.perf_counter()
    # The registry's order (supervised first), as the chart's legend and tables list paradigms.
    rank = {paradigm.id: index for index, paradigm in enumerate(manifest.paradigms)}
    # Results-only paradigms (the fine-tunes) ship no classifier to measure again.
    results_only = {paradigm.id for paradigm in manifest.paradigms if not paradigm.ships_classifier}
    of_shipped_seed = results["seed"] == SHIPPED_SEED
    is_results_only = results["paradigm"].isin(results_only)
    shipped = results[of_shipped_seed & ~is_results_only].copy()
    shipped["_rank"] = shipped["paradigm"].map(rank).fillna(len(rank))
    shipped = shipped.sort_values(["dataset", "_rank", "paradigm", "label_fraction"], kind="stable")
    rows = [(row, _model_for_row(row, manifest)) for _, row in shipped.iterrows()]
    in_table = {model.id for _, model in rows if model is not None}
    not_in_table = [
        model
        for model in manifest.models_in_registry_order()
        if model.role == "classifier" and model.id not in in_table and model.label_fraction is not None
    ]
    to_measure = list({model.id: model for _, model in rows if model is not None}.values())
    to_measure += not_in_table
    evaluation_sets = _read_evaluation_sets(manifest, to_measure, evaluation_set_for)
    measured, n_recalled = _measure_models(manifest, to_measure, session_for, evaluation_sets,
                                           models_at_once, on_progress, memory)

    points: list[RecheckedPoint] = []
    measured_accuracy: float | None
    error: BundleError | None
    for row, model in rows:
        if model is None:
            measured_accuracy, error = None, _missing_model_error(row)
            model_id = row.get("model_id") if isinstance(row.get("model_id"), str) else ""
        else:
            measured_accuracy, error = measured[model.id]
            model_id = model.id
        points.append(
            RecheckedPoint(
                paradigm=row["paradigm"],
                family=row["family"],
                dataset=row["dataset"],
                label_fraction=float(row["label_fraction"]),
                n_labels=int(row["n_labels"]),
                seed=int(row["seed"]),
                model_id=model_id or "",
                recorded_accuracy=float(row["test_accuracy"]),
                measured_accuracy=measured_accuracy,
                error=error,
            )
        )
    for model in not_in_table:
        measured_accuracy, error = measured[model.id]
        assert model.label_fraction is not None  # not_in_table keeps only models with one
        points.append(
            RecheckedPoint(
                paradigm=model.paradigm,
                family=model.family,
                dataset=model.dataset or "?",
                label_fraction=model.label_fraction,
                n_labels=model.n_labels,
                seed=model.seed if model.seed is not None else SHIPPED_SEED,
                model_id=model.id,
                recorded_accuracy=None,
                measured_accuracy=measured_accuracy,
                error=error,
            )
        )

    loaded = [found for found in evaluation_sets.values() if isinstance(found, EvaluationSet)]
    n_images = max((len(found.labels) for found in loaded), default=0)
    return RecheckReport(
        points=tuple(points), seconds=time.perf_counter() - started, n_images=n_images,
        n_recalled=n_recalled, first_measured_at=memory.first_measured_at if memory else None,
        n_results_only=int((of_shipped_seed & is_results_only).sum()),
    )


def measure_ahead(bundle_directory, memory: MeasurementMemory) -> None:
    """Measure every shipped model into `memory`, one at a time, on this thread at low priority.

    Started when a server first shows the study page: measuring does not depend on the click, so a
    class that clicks a minute later waits only for the fingerprints to be checked (on a 2-core
    machine the 91 models take 7 to 13 s to measure; the click then takes well under a second).
    A bundle that cannot be read is left to the click, which says why."""
    try:
        # Linux gives each thread its own priority: the pages' runs keep the cores first.
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass
    try:
        manifest = bundle.load_manifest(bundle_directory)
        results = bundle.load_results(bundle_directory)
    except BundleError:
        return
    recheck_study(
        manifest,
        results,
        # No memory arena: a server measuring ahead gives each model's memory back at once.
        session_for=lambda model: inference.create_session(
            bundle.verified_model_path(bundle_directory, model), model, memory_arena=False, threads=1
        ),
        evaluation_set_for=lambda dataset: bundle.load_evaluation_set(bundle_directory, dataset),
        models_at_once=1,
        memory=memory,
    )


def start_measuring_ahead(bundle_directory, memory: MeasurementMemory) -> threading.Thread:
    thread = threading.Thread(
        target=measure_ahead, args=(bundle_directory, memory), name="recheck-measure-ahead", daemon=True
    )
    thread.start()
    return thread
