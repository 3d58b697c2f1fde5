"""A tiny but valid bundle for the dashboard tests, built in a temporary folder in milliseconds.

It follows the bundle contract (paradigm_lab/contract.py, docs/bundle_format.md): a manifest built
with the contract's models, listing every paradigm of the registry, real ONNX classifiers
(Flatten -> MatMul -> Add, random weights) for two paradigms, their test images and a results
table. The study accuracies are made up for UI tests only and never leave the temporary
folder; the manifest's test accuracies are the ones the tiny models really reach.

Tests import it with `from dashboard_fixtures import ...` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pandas as pd
from onnx import TensorProto, helper, numpy_helper

from paradigm_lab import contract

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
APP_PATH = REPOSITORY_ROOT / "dashboard" / "app.py"  # absolute: AppTest resolves relative paths
REAL_BUNDLE = REPOSITORY_ROOT / "exported_models"
STUDY_FRACTIONS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
POOL_SIZE = 4000
N_TEST_IMAGES = 60
DATASET = "mnist5k"

# Every paradigm of the training registry with its family; only the first two are implemented.
REGISTRY = (
    ("supervised", "supervised"),
    ("kmeans", "unsupervised"),
    ("rotation", "self_supervised"),
    ("relative_position", "self_supervised"),
    ("temporal_order", "self_supervised"),
    ("contrastive", "self_supervised"),
    ("autoencoder", "self_supervised"),
    ("colourisation", "self_supervised"),
    ("pseudo_label", "semi_supervised"),
    ("fixmatch", "semi_supervised"),
    ("label_spreading", "semi_supervised"),
    ("mean_teacher", "semi_supervised"),
    ("dcgan", "gan"),
    ("conditional_gan", "gan"),
    ("semi_supervised_gan", "gan"),
    ("gan_probe", "gan"),
)
IMPLEMENTED = {"supervised", "kmeans"}
# (paradigm, family, fraction) of the shipped fixture models, seed 0.
SHIPPED = (
    ("supervised", "supervised", 0.01),
    ("supervised", "supervised", 1.0),
    ("kmeans", "unsupervised", 0.01),
    ("kmeans", "unsupervised", 1.0),
)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_id(paradigm: str, fraction: float, seed: int = 0) -> str:
    return f"{paradigm}-{DATASET}-{round(fraction * 100):03d}pct-seed{seed}"


def write_linear_classifier(path: Path, weights: np.ndarray, bias: np.ndarray) -> None:
    """An ONNX classifier image (batch, 1, 28, 28) -> logits (batch, n_outputs)."""
    n_outputs = weights.shape[1]
    graph = helper.make_graph(
        nodes=[
            helper.make_node("Flatten", ["image"], ["pixels"], axis=1),  # (B, 784)
            helper.make_node("MatMul", ["pixels", "weights"], ["scores"]),  # (B, n_outputs)
            helper.make_node("Add", ["scores", "bias"], ["logits"]),
        ],
        name="tiny_classifier",
        inputs=[helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 1, 28, 28])],
        outputs=[helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", n_outputs])],
        initializer=[
            numpy_helper.from_array(weights.astype(np.float32), "weights"),
            numpy_helper.from_array(bias.astype(np.float32), "bias"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9  # read by every onnxruntime this project supports
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, path)


def linear_accuracy(weights: np.ndarray, bias: np.ndarray, images: np.ndarray, labels: np.ndarray):
    """What the classifier above really scores, computed with numpy: the manifest's truth."""
    logits = (images.reshape(len(images), -1).astype(np.float32) / 255.0) @ weights + bias
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def made_up_accuracy(paradigm: str, fraction: float, seed: int) -> float:
    """Invented, smooth, seed-dependent numbers: enough for charts and tables in UI tests."""
    base, gain = (0.60, 0.18) if paradigm == "supervised" else (0.50, 0.06)
    noise = ((seed * 7 + round(fraction * 100)) % 5 - 2) * 0.004
    return round(base + gain * np.log10(fraction * 100) + noise, 4)


def build_fixture_bundle(directory: Path) -> Path:
    """Write the tiny bundle into `directory` and return it."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(N_TEST_IMAGES, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=N_TEST_IMAGES).astype(np.int64)
    eval_path = directory / "data" / f"{DATASET}-test.npz"
    eval_path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(eval_path, images=images, labels=labels, indices=np.arange(N_TEST_IMAGES))

    models = []
    for index, (paradigm, family, fraction) in enumerate(SHIPPED):
        weights = np.random.default_rng(100 + index).normal(0, 0.05, (784, 10)).astype(np.float32)
        bias = np.zeros(10, dtype=np.float32)
        identifier = model_id(paradigm, fraction)
        file = f"models/{identifier}.onnx"
        write_linear_classifier(directory / file, weights, bias)
        models.append(
            contract.ModelEntry(
                id=identifier,
                paradigm=paradigm,
                family=family,
                role="classifier",
                dataset=DATASET,
                label_fraction=fraction,
                n_labels=round(fraction * POOL_SIZE),
                seed=0,
                file=file,
                size_bytes=(directory / file).stat().st_size,
                sha256=sha256_of(directory / file),
                inputs=[contract.TensorSpec(name="image", dtype="float32", shape=["batch", 1, 28, 28], range=[0.0, 1.0])],
                outputs=[contract.TensorSpec(name="logits", dtype="float32", shape=["batch", 10])],
                class_names=[str(digit) for digit in range(10)],
                metrics=contract.ModelMetrics(test_accuracy=linear_accuracy(weights, bias, images, labels)),
                parameters=weights.size + bias.size,
                train_seconds=1.5,
            )
        )
    manifest = contract.BundleManifest(
        format=contract.MANIFEST_FORMAT,
        updated_at="2026-01-01T00:00:00Z",
        paradigms=[
            contract.ParadigmEntry(
                id=paradigm,
                family=family,
                in_study=paradigm not in {"colourisation", "dcgan", "conditional_gan"},
                implemented=paradigm in IMPLEMENTED,
            )
            for paradigm, family in REGISTRY
        ],
        datasets={
            DATASET: contract.DatasetEntry(
                source="fixture digits (random pixels)",
                licence="CC0",
                n_images=POOL_SIZE + N_TEST_IMAGES,
                n_test=N_TEST_IMAGES,
                n_pool=POOL_SIZE,
                class_names=[str(digit) for digit in range(10)],
                eval_file=f"data/{DATASET}-test.npz",
                eval_sha256=sha256_of(eval_path),
                eval_size_bytes=eval_path.stat().st_size,
            )
        },
        models=models,
    )
    write_manifest(directory, manifest)

    shipped_ids = {(m.paradigm, m.label_fraction): m.id for m in models}
    rows = [
        {
            "paradigm": paradigm,
            "family": family,
            "dataset": DATASET,
            "label_fraction": fraction,
            "n_labels": round(fraction * POOL_SIZE),
            "seed": seed,
            "test_accuracy": made_up_accuracy(paradigm, fraction, seed),
            "train_seconds": 1.5,
            "config_hash": "fixture",
            "split_sha256": "fixture",
            "subset_sha256": "fixture",
            "model_id": shipped_ids.get((paradigm, fraction), "") if seed == 0 else "",
            "finished_at": "2026-01-01T00:00:00Z",
        }
        for paradigm, family in (("supervised", "supervised"), ("kmeans", "unsupervised"))
        for fraction in STUDY_FRACTIONS
        for seed in (0, 1, 2)
    ]
    pd.DataFrame(rows).to_csv(directory / "results.csv", index=False)
    return directory


def write_manifest(directory: Path, manifest: contract.BundleManifest) -> None:
    """Write a manifest built with the contract's models, as the study's writer would."""
    text = json.dumps(contract.manifest_to_json(manifest), indent=1)
    (directory / "manifest.json").write_text(text, encoding="utf-8")


def edit_manifest_entries(directory: Path, edit: Callable[[contract.BundleManifest], None]) -> None:
    """Change the manifest through the contract's models: the result is a valid manifest."""
    path = directory / "manifest.json"
    manifest = contract.validate_manifest(json.loads(path.read_text(encoding="utf-8")))
    edit(manifest)
    write_manifest(directory, contract.validate_manifest(contract.manifest_to_json(manifest), strict=True))


def edit_manifest(directory: Path, edit: Callable[[dict], None]) -> None:
    """Change the manifest in place, as a broken or outdated export would have written it."""
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def real_bundle_available() -> bool:
    return (REAL_BUNDLE / "manifest.json").is_file() and (REAL_BUNDLE / "results.csv").is_file()


# A hand-made study with round numbers, for checking aggregation and display by hand.
def results_table(points):
    """The results.csv columns the dashboard reads, one row per
    (paradigm, family, fraction, n_labels, seed, accuracy) tuple."""
    return pd.DataFrame(
        [
            {
                "paradigm": paradigm,
                "family": family,
                "dataset": "mnist5k",
                "label_fraction": fraction,
                "n_labels": n_labels,
                "seed": seed,
                "test_accuracy": accuracy,
            }
            for paradigm, family, fraction, n_labels, seed, accuracy in points
        ]
    )


SAMPLE_RESULTS = results_table(
    [
        ("supervised", "supervised", 0.01, 40, 0, 0.70),
        ("supervised", "supervised", 0.01, 40, 1, 0.74),
        ("supervised", "supervised", 0.01, 40, 2, 0.78),
        ("supervised", "supervised", 0.10, 400, 0, 0.93),
        ("supervised", "supervised", 0.10, 400, 1, 0.95),
        ("supervised", "supervised", 0.10, 400, 2, 0.94),
        ("kmeans", "unsupervised", 0.01, 40, 0, 0.55),
        ("kmeans", "unsupervised", 0.10, 400, 0, 0.61),
    ]
)


def open_page(page: str, language: str = "fr", **params: str):
    """Run app.py under AppTest (the sidebar included), then open ``page`` ("topics/<page id>/page.py") as a
    link with the query parameters ``params`` would."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP_PATH), default_timeout=30)
    app.query_params["lang"] = language
    if page == "topics/home/page.py":
        app.query_params.update(params)
        return app.run()
    app.run()
    # As a browser opens a link: the page and its parameters arrive together (a page reached
    # through the sidebar, without them, opens with its own defaults).
    app.query_params.update(params)
    return app.switch_page(page).run()


def folded_parts(app, language: str) -> list[str]:
    """The titles of the page's "going further" parts, folded away from the class's first view."""
    from dashboard.core.i18n import t

    prefix = t("page.going_further", language, title="")
    return [expander.label[len(prefix):] for expander in app.expander if expander.label.startswith(prefix)]


def assert_healthy(app, language: str) -> None:
    """No exception box, and no "unexpected error" from app.py's last safety net."""
    from dashboard.core.i18n import t

    assert not app.exception, [exception.value for exception in app.exception]
    safety_net = t("error.unexpected", language, error_type="").split("(")[0]
    assert not [error.value for error in app.error if safety_net in error.value]


# --- semi-supervised runs: a hand-made pseudo-label log with round numbers --------------------
#
# A pool of 40 digits: the first 4 labelled by a person, the other 36 not. Three rounds, bar 0.9:
#   step 100: no guess reaches the bar;
#   step 200: the first 12 unlabelled digits carry a pseudo-label, 2 of them wrong (10 right);
#   step 300: the first 30 carry one, 3 of them wrong (27 right); 6 still wait.
SEMI_POOL = 40
SEMI_LABELLED = 4
SEMI_STEPS = (100, 200, 300)
SEMI_THRESHOLD = 0.9
SEMI_CARRIED = (0, 12, 30)
SEMI_WRONG = (0, 2, 3)
SEMI_RUNS = (("fixmatch", 0.01), ("fixmatch", 0.02), ("pseudo_label", 0.01))


def hand_made_pseudo_label_log() -> dict[str, np.ndarray]:
    """The arrays of one details npz (docs/bundle_format.md), with the numbers above."""
    n_unlabelled = SEMI_POOL - SEMI_LABELLED
    truth = np.arange(n_unlabelled) % 10
    guesses, confidence = [], []
    for carried, wrong in zip(SEMI_CARRIED, SEMI_WRONG):
        # Wrong guesses are the first ones (inside the carried ones); below the bar, the guess is
        # wrong for the first half of the pool, so "every guess" is scored too.
        guess = truth.copy()
        guess[:wrong] = (truth[:wrong] + 1) % 10
        if not carried:
            guess[: n_unlabelled // 2] = (truth[: n_unlabelled // 2] + 1) % 10
        sure = np.full(n_unlabelled, 0.5)
        sure[:carried] = 0.95
        guesses.append(guess)
        confidence.append(sure)
    rng = np.random.default_rng(3)
    return {
        "steps": np.array(SEMI_STEPS, dtype=np.int32),
        "thresholds": np.full(len(SEMI_STEPS), SEMI_THRESHOLD, dtype=np.float32),
        "guesses": np.stack(guesses).astype(np.int8),
        "confidence": np.stack(confidence).astype(np.float16),
        "unlabelled_positions": np.arange(SEMI_LABELLED, SEMI_POOL, dtype=np.int32),
        "unlabelled_truth": truth.astype(np.int8),
        "labelled_positions": np.arange(SEMI_LABELLED, dtype=np.int32),
        "labelled_labels": np.array([3, 1, 4, 1], dtype=np.int8),
        "labelled_sample_images": rng.integers(0, 256, (SEMI_LABELLED, 28, 28), dtype=np.uint8),
        "labelled_sample_labels": np.array([3, 1, 4, 1], dtype=np.int8),
        "mistake_images": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        "mistake_guesses": np.array([1, 2], dtype=np.int8),
        "mistake_truth": np.array([0, 1], dtype=np.int8),
        "mistake_confidence": np.array([0.97, 0.96], dtype=np.float32),
    }


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> str:
    """Write an npz and return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as file:
        np.savez_compressed(file, **arrays)
    return sha256_of(path)


def add_semi_supervised_runs(directory: Path, runs=SEMI_RUNS) -> Path:
    """Add semi-supervised runs to a fixture bundle: for each (paradigm, fraction), a classifier,
    its pseudo-label log and manifest entry, and the data set's pool map."""
    map_file = f"data/{DATASET}-pool-map.npz"
    xy = np.random.default_rng(4).uniform(-1, 1, (SEMI_POOL, 2)).astype(np.float16)
    map_sha = write_npz(directory / map_file, {"xy": xy, "pool_indices": np.arange(SEMI_POOL)})
    log_arrays = hand_made_pseudo_label_log()

    def change(manifest: contract.BundleManifest) -> None:
        semi = {paradigm for paradigm, _ in runs}
        for paradigm in manifest.paradigms:
            if paradigm.id in semi:
                paradigm.implemented = True
        dataset = manifest.datasets[DATASET]
        dataset.pool_map_file, dataset.pool_map_sha256, dataset.pool_map_method = map_file, map_sha, "fixture"
        template = next(m for m in manifest.models if m.paradigm == "supervised")
        for index, (paradigm, fraction) in enumerate(runs):
            identifier = model_id(paradigm, fraction)
            file = f"models/{identifier}.onnx"
            weights = np.random.default_rng(200 + index).normal(0, 0.05, (784, 10))
            write_linear_classifier(directory / file, weights, np.zeros(10))
            manifest.models.append(
                template.model_copy(
                    update={
                        "id": identifier,
                        "paradigm": paradigm,
                        "family": "semi_supervised",
                        "label_fraction": fraction,
                        "n_labels": SEMI_LABELLED,
                        "file": file,
                        "size_bytes": (directory / file).stat().st_size,
                        "sha256": sha256_of(directory / file),
                    }
                )
            )
            log_file = f"pseudo_labels/{identifier}.npz"
            manifest.pseudo_label_details.append(
                contract.PseudoLabelDetailsEntry(
                    id=identifier,
                    paradigm=paradigm,
                    dataset=DATASET,
                    label_fraction=fraction,
                    seed=0,
                    config_hash="fixture",
                    file=log_file,
                    sha256=write_npz(directory / log_file, log_arrays),
                    size_bytes=(directory / log_file).stat().st_size,
                )
            )

    edit_manifest_entries(directory, change)
    return directory
