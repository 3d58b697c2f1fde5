"""The label-fraction study: every (paradigm, fraction, seed) point trained, measured and recorded.

    python -m training study --profile full                  # 3 seeds, MNIST-5k, into exported_models/
    python -m training study --profile quick --paradigm kmeans
    python -m training study --profile test                  # sklearn digits, tiny configs, < 1 minute

Resumable: a point counts as done when the results table holds it with the same config and test
split (and, for the shipped seed, when its model is in the manifest with a matching SHA-256), so
rerunning the same command after a crash trains only what is missing. Points run in parallel in
worker processes, one torch thread each, so the cores are not oversubscribed; with
``--executor ray --address HOST:PORT`` they run on a Ray cluster instead (``pip install -e '.[ray]'``).

Workers only compute; this process is the bundle's single writer. Write order for one point:
model file (atomic) -> manifest entry -> results row. A kill between two steps leaves at worst a
model file nobody names yet, which the rerun overwrites.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from training.bundle import (
    DEFAULT_BUNDLE,
    BundleFile,
    atomic_write_bytes,
    read_manifest,
    read_results,
    record_bundle_file,
    record_pseudo_label_log,
    record_result,
    sha256_of_file,
    update_manifest,
    upsert_model,
    utc_now,
)
from training.data import FRACTIONS, Dataset, Split, load_dataset, make_split
from training.registry import PARADIGMS, get_paradigm, implemented_paradigms

if TYPE_CHECKING:
    # For annotations only: both modules import torch, which the study process loads only when a
    # point runs in it (workers import it themselves).
    from training.export import ExportedModel
    from training.families.semi_supervised.pseudo_label_log import PointLog

# The bundle ships the models of this seed; the results table holds every seed.
SHIPPED_SEED = 0
PREPROCESSING = "white ink on black, 28x28, digit in a 20x20 box centred by mass (MNIST)"


class StudyError(Exception):
    """A problem the user can fix; the message says what to do."""


@dataclass(frozen=True)
class Profile:
    name: str
    dataset: str
    seeds: tuple[int, ...]
    tiny: bool  # the paradigms' for_tests() configs: a smoke test of the whole path, not a result
    default_out: Path
    description: str


PROFILES = {
    "test": Profile("test", "digits", (0,), True, DEFAULT_BUNDLE.parent / "build" / "test_bundle",
                    "scikit-learn 8x8 digits, tiny configs, seed 0: the whole path in under a minute"),
    "quick": Profile("quick", "mnist5k", (0,), False, DEFAULT_BUNDLE, "MNIST-5k, seed 0 only"),
    "full": Profile("full", "mnist5k", (0, 1, 2), False, DEFAULT_BUNDLE, "MNIST-5k, seeds 0, 1 and 2 (published results)"),
}


@dataclass(frozen=True)
class PointJob:
    """Everything a worker process needs to train one point (picklable)."""
    paradigm: str
    data: str  # data set name or path, loaded again in the worker
    label_fraction: float
    seed: int
    tiny: bool
    dry_run: bool
    ship_model: bool
    progress: bool = False


@dataclass(frozen=True)
class ArtifactJob:
    """A model that is not a label-fraction classifier (a GAN that draws digits), trained once for
    the shipped seed (picklable)."""
    paradigm: str
    data: str
    seed: int
    tiny: bool
    dry_run: bool
    progress: bool = False
    photos: str | None = None  # a teacher's folder of photos for the colouriser (study --photos)


@dataclass(frozen=True)
class ArtifactContext:
    """What a paradigm's ``make_artifacts`` receives."""
    dataset: Dataset
    split: Split
    seed: int
    config: object
    common: dict  # manifest facts every file it ships shares (paradigm, family, data set, seed, config...)


def make_config(paradigm_name: str, *, tiny: bool, dry_run: bool):
    config = get_paradigm(paradigm_name).load().Config()
    if dry_run:
        return config.for_dry_run()
    return config.for_tests() if tiny else config


def config_hash(paradigm_name: str, config) -> str:
    text = json.dumps({"paradigm": paradigm_name, **asdict(config)}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def model_id_for(paradigm: str, dataset: str, label_fraction: float, seed: int) -> str:
    return f"{paradigm}-{dataset}-{round(label_fraction * 100):03d}pct-seed{seed}"


@lru_cache(maxsize=4)
def _dataset_and_split(data: str) -> tuple[Dataset, Split]:
    dataset = load_dataset(data)
    return dataset, make_split(dataset)


# ---------------------------------------------------------------------------------------------
# One point (runs in a worker process, or in-process for a single point)


def _init_worker() -> None:
    import torch
    from threadpoolctl import threadpool_limits

    _end_with_parent()
    torch.set_num_threads(1)
    threadpool_limits(1)  # scikit-learn's k-means uses OpenMP too


def _end_with_parent() -> None:
    """Ask Linux to stop this worker when the study process dies. Only the study process writes
    the bundle, so a killed study loses nothing by it; but its workers would go on training
    points nobody will record, for as long as half an hour (seen after a test's timeout killed a
    study), and a resumed study would share the cores with them."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    # The study may have died while this worker was still starting, before the request above.
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)


def pseudo_label_details_file(model_id: str) -> str:
    return f"pseudo_labels/{model_id}.npz"


def run_point(job: PointJob) -> tuple[dict, ExportedModel | None, PointLog | None, list]:
    """Train, evaluate and (for the shipped seed) export one point.

    Returns (results row, exported model or None, pseudo-label log or None, companions): the
    companions are what a self-supervised paradigm ships once per seed beside its classifiers
    (its pretext network, its encoder, the map of its feature space), made with the shipped
    seed's first fraction.
    """
    import torch

    from training.export import export_model
    from training.point import accuracy, make_point_task, to_tensor

    dataset, split = _dataset_and_split(job.data)
    paradigm = get_paradigm(job.paradigm)
    module = paradigm.load()
    config = make_config(job.paradigm, tiny=job.tiny, dry_run=job.dry_run)
    task = make_point_task(dataset, split, job.paradigm, job.label_fraction, job.seed)
    trained = module.train_point(task, config, progress=job.progress)

    test_images = to_tensor(dataset.images[split.test_indices])
    test_targets = torch.from_numpy(dataset.labels[split.test_indices])
    test_accuracy = accuracy(trained.classifier, test_images, test_targets)
    hash_of_config = config_hash(job.paradigm, config)
    model_id = model_id_for(job.paradigm, dataset.name, job.label_fraction, job.seed)

    exported = None
    if job.ship_model and trained.pretext is not None:
        exported = _export_probe_head(job, trained, task, dataset, model_id, test_images, test_accuracy, config)
    elif job.ship_model:
        exported = export_model(trained.classifier, model_id=model_id, example_input=test_images[:8],
                                facts=classifier_facts(job, task, dataset, trained, test_accuracy, config))
    row = {
        "paradigm": job.paradigm, "family": paradigm.family, "dataset": dataset.name,
        "label_fraction": job.label_fraction, "n_labels": len(task.labelled_targets), "seed": job.seed,
        "test_accuracy": round(test_accuracy, 6), "train_seconds": round(trained.train_seconds, 2),
        "config_hash": hash_of_config, "split_sha256": split.fingerprint[:16],
        "subset_sha256": task.subset_sha256, "model_id": model_id if exported else "", "finished_at": utc_now(),
    }
    companions = []
    if trained.pretext is not None and job.ship_model and job.label_fraction == FRACTIONS[0]:
        companions = _pretext_companions(job, trained.pretext, dataset, split, test_images, config)
    return row, exported, _pseudo_label_log(job, task, trained, dataset, split, model_id), companions


def classifier_facts(job: PointJob, task, dataset: Dataset, trained, test_accuracy: float, config) -> dict:
    """What the manifest says about a point's classifier, whole or a probe head."""
    return {
        "paradigm": job.paradigm, "family": get_paradigm(job.paradigm).family, "role": "classifier",
        "dataset": dataset.name, "label_fraction": job.label_fraction,
        "n_labels": len(task.labelled_targets), "seed": job.seed,
        "class_names": list(dataset.class_names), "preprocessing": PREPROCESSING,
        "metrics": {"test_accuracy": test_accuracy, **trained.extra_metrics},
        "train_seconds": round(trained.train_seconds, 2),
        "config": asdict(config), "config_hash": config_hash(job.paradigm, config),
    }


def shipped_facts(paradigm_name: str, dataset: Dataset, seed: int, config) -> dict:
    """The manifest facts shared by every file a paradigm ships once per seed (an encoder, a
    pretext network, a generator...)."""
    return {"paradigm": paradigm_name, "family": get_paradigm(paradigm_name).family, "dataset": dataset.name,
            "seed": seed, "preprocessing": PREPROCESSING, "config": asdict(config),
            "config_hash": config_hash(paradigm_name, config)}


def artifact_config(job: ArtifactJob, *, dry_run: bool):
    """The job's config; a folder of photos is part of it, so another folder means retraining."""
    config = make_config(job.paradigm, tiny=job.tiny, dry_run=dry_run)
    if job.photos and hasattr(config, "photo_folder"):
        config = replace(config, photo_folder=str(Path(job.photos).expanduser().resolve()))
    return config


def artifacts_id(paradigm: str, dataset: str, seed: int) -> str:
    return f"{paradigm}-{dataset}-seed{seed}"


def run_artifacts(job: ArtifactJob) -> list:
    """Train (or take from the cache) and export what a non-study paradigm ships."""
    import time

    started = time.perf_counter()
    dataset, split = _dataset_and_split(job.data)
    config = artifact_config(job, dry_run=job.dry_run)
    common = shipped_facts(job.paradigm, dataset, job.seed, config)
    context = ArtifactContext(dataset, split, job.seed, config, common)
    companions = get_paradigm(job.paradigm).load().make_artifacts(context, progress=job.progress)
    files = {}
    for companion in companions:
        if isinstance(companion, BundleFile):
            files.update({name: hashlib.sha256(data).hexdigest() for name, data in companion.files.items()})
        else:
            files[companion.entry["file"]] = companion.entry["sha256"]
    # Listed last by the writer: the paradigm counts as done only once every file is in place.
    done = {"id": artifacts_id(job.paradigm, dataset.name, job.seed), "paradigm": job.paradigm, "dataset": dataset.name,
            "seed": job.seed, "config_hash": common["config_hash"], "files": files,
            "seconds": round(time.perf_counter() - started, 2), "finished_at": utc_now()}
    return companions + [BundleFile(entry=done, list_name="artifacts", files={})]


def artifacts_done(job: ArtifactJob, dataset_name: str, manifest: dict, bundle_dir: Path) -> bool:
    config = artifact_config(job, dry_run=False)
    entry = {e["id"]: e for e in manifest.get("artifacts", [])}.get(artifacts_id(job.paradigm, dataset_name, job.seed))
    if not entry or entry["config_hash"] != config_hash(job.paradigm, config):
        return False
    return all((bundle_dir / name).exists() and sha256_of_file(bundle_dir / name) == sha
               for name, sha in entry["files"].items())


def _export_probe_head(job: PointJob, trained, task, dataset: Dataset, model_id: str, test_images, test_accuracy: float,
                       config):
    """A self-supervised point ships only its probe (features -> logits, a few kB); the manifest
    entry names the seed's encoder, and the pair is used as one image -> logits classifier. Seven
    copies of the same encoder would cost 2.6 MB per paradigm of the 40 MB bundle."""
    import torch

    from training.backbone import count_parameters
    from training.export import export_model

    encoder, head = trained.classifier.encoder, trained.classifier.head
    with torch.no_grad():  # not inference_mode: the exporter traces through this tensor
        example_features = encoder.eval()(test_images[:8])
    exported = export_model(head, model_id=model_id, example_input=example_features, input_name="features",
                            facts=classifier_facts(job, task, dataset, trained, test_accuracy, config))
    entry = dict(exported.entry)
    # What the pair takes and gives; the head file's own input is the encoder's output.
    entry["head_inputs"] = entry["inputs"]
    entry["inputs"] = [{"name": "image", "dtype": "float32", "shape": ["batch", *test_images.shape[1:]], "range": [0.0, 1.0]}]
    entry["encoder"] = encoder_model_id(job.paradigm, dataset.name, job.seed)
    entry["parameters"] = count_parameters(trained.classifier)
    return type(exported)(entry=entry, onnx_bytes=exported.onnx_bytes)


def pretext_model_id(paradigm: str, dataset: str, seed: int) -> str:
    return f"{paradigm}-{dataset}-pretext-seed{seed}"


def encoder_model_id(paradigm: str, dataset: str, seed: int) -> str:
    return f"{paradigm}-{dataset}-encoder-seed{seed}"


def feature_map_file(source: str, dataset: str) -> str:
    return f"feature_maps/{source}-{dataset}.npz"


@dataclass(frozen=True)
class FeatureMap:
    entry: dict  # manifest entry under "feature_maps"; entry["file"] is the path in the bundle
    npz_bytes: bytes


def _feature_map(source: str, dataset: Dataset, split: Split, test_features: np.ndarray,
                 pool_features: np.ndarray) -> FeatureMap:
    from training.feature_maps import KNN_NEIGHBOURS, MAP_METHOD, feature_map_npz, knn_accuracy

    npz = feature_map_npz(test_features)
    knn = knn_accuracy(pool_features, dataset.labels[split.pool_indices], test_features,
                       dataset.labels[split.test_indices])
    entry = {"id": f"{source}-{dataset.name}", "source": source, "dataset": dataset.name,
             "file": feature_map_file(source, dataset.name), "sha256": hashlib.sha256(npz).hexdigest(),
             "size_bytes": len(npz), "knn_accuracy": round(knn, 4), "knn_k": KNN_NEIGHBOURS,
             "method": MAP_METHOD, "created_at": utc_now()}
    return FeatureMap(entry, npz)


def _pretext_companions(job: PointJob, pretrained, dataset: Dataset, split: Split, test_images, config) -> list:
    """The pretext network and the encoder of the shipped seed, exported, and the encoder's map.
    The GAN probe's encoder is the DCGAN discriminator's trunk: its network ships with ``dcgan``."""
    import torch

    from training.export import export_model
    from training.frozen_probe import encode
    from training.point import to_tensor

    generator = torch.Generator().manual_seed(0)  # the same free pairs at every export
    common = {**shipped_facts(job.paradigm, dataset, job.seed, config),
              "train_seconds": round(pretrained.pretrain_seconds, 2)}
    shipped = []
    if pretrained.network is not None:
        network = pretrained.network.eval()
        shipped.append(export_model(
            network, model_id=pretext_model_id(job.paradigm, dataset.name, job.seed),
            example_input=network.example_input(test_images, generator),
            input_name=network.input_name, output_name=network.output_name,
            facts={**common, "role": "pretext_head", "pretext": network.facts(),
                   "metrics": {**network.evaluate(test_images, generator), "steps": pretrained.steps,
                               "final_loss": pretrained.final_loss},
                   "loss_history": [[step, round(value, 5)] for step, value in pretrained.history]},
        ))
    test_features = encode(pretrained.encoder, test_images).numpy()
    pool_features = encode(pretrained.encoder, to_tensor(dataset.images[split.pool_indices])).numpy()
    feature_map = _feature_map(job.paradigm, dataset, split, test_features, pool_features)
    encoder = export_model(
        pretrained.encoder, model_id=encoder_model_id(job.paradigm, dataset.name, job.seed),
        example_input=test_images[:8], output_name="features",
        facts={**common, "role": "encoder", "metrics": {"knn_accuracy": feature_map.entry["knn_accuracy"]}},
    )
    return shipped + [encoder, feature_map]


def _pseudo_label_log(job: PointJob, task, trained, dataset: Dataset, split: Split, model_id: str):
    """Score a semi-supervised run's guesses against the withheld labels (the method never had them)."""
    from training.families.semi_supervised.pseudo_label_log import PointLog, details_npz, score_rounds

    if not trained.pseudo_label_rounds:
        return None
    pool_labels = dataset.labels[split.pool_indices]
    truth = pool_labels[task.unlabelled_positions]
    rows = score_rounds(trained.pseudo_label_rounds, truth)
    if not job.ship_model:
        return PointLog(rows, None, None)
    details = details_npz(task, trained.pseudo_label_rounds, truth, dataset.images[split.pool_indices], pool_labels)
    return PointLog(rows, pseudo_label_details_file(model_id), details)


# ---------------------------------------------------------------------------------------------
# The bundle around the points


def prepare_bundle(bundle_dir: Path, dataset: Dataset, split: Split, seeds: tuple[int, ...]) -> None:
    """Record the paradigms, the data set and its test split; refuse a bundle made with another split."""
    from training.data import labelled_subset, labelling_order, subset_fingerprint

    known = read_manifest(bundle_dir).get("datasets", {}).get(dataset.name)
    if known and known.get("test_split_sha256") != split.fingerprint:
        raise StudyError(
            f"{bundle_dir} holds results for '{dataset.name}' made with another test split. "
            "Write this run elsewhere with --out DIR, or move that bundle away."
        )
    eval_file = f"data/{dataset.name}-test.npz"
    buffer = io.BytesIO()
    np.savez_compressed(buffer, images=dataset.images[split.test_indices],
                        labels=dataset.labels[split.test_indices], indices=split.test_indices)
    eval_path = bundle_dir / eval_file
    if not eval_path.exists() or not known or known.get("eval_sha256") != sha256_of_file(eval_path):
        atomic_write_bytes(eval_path, buffer.getvalue())

    pool_labels = dataset.labels[split.pool_indices]
    # The unlabelled pool as the class-labels page shows it: its images, the order it hands them
    # out in, and the true labels, which only the teacher's "reveal" reads (no paradigm does).
    pool_file = f"data/{dataset.name}-pool.npz"
    buffer = io.BytesIO()
    np.savez_compressed(buffer, images=dataset.images[split.pool_indices], hidden_labels=pool_labels,
                        order=labelling_order(pool_labels, SHIPPED_SEED).astype(np.int32),
                        indices=split.pool_indices)
    pool_path = bundle_dir / pool_file
    if not pool_path.exists() or not known or known.get("pool_sha256") != sha256_of_file(pool_path):
        atomic_write_bytes(pool_path, buffer.getvalue())

    subsets = {str(seed): {f"{f:g}": subset_fingerprint(labelled_subset(pool_labels, f, seed)) for f in FRACTIONS}
               for seed in seeds}

    def change(manifest: dict) -> None:
        manifest["paradigms"] = [
            {"id": p.name, "family": p.family, "in_study": p.in_study, "implemented": p.implemented}
            for p in PARADIGMS.values()
        ]
        previous = manifest["datasets"].get(dataset.name, {})
        manifest["datasets"][dataset.name] = {
            "source": dataset.source, "licence": dataset.licence,
            "n_images": int(len(dataset.labels)), "n_test": int(len(split.test_indices)),
            "n_pool": int(len(split.pool_indices)), "class_names": list(dataset.class_names),
            "test_split_sha256": split.fingerprint, "eval_file": eval_file,
            "eval_sha256": sha256_of_file(eval_path), "eval_size_bytes": eval_path.stat().st_size,
            "pool_file": pool_file, "pool_sha256": sha256_of_file(pool_path),
            "pool_order": f"labelling order of seed {SHIPPED_SEED}'s nested labelled subsets",
            "labelled_subsets": {**previous.get("labelled_subsets", {}), **subsets},
            # Written by ensure_pool_map; a run without a semi-supervised paradigm keeps them.
            **{key: value for key, value in previous.items() if key.startswith("pool_map_")},
        }

    update_manifest(bundle_dir, change)


def record_point_log(bundle_dir: Path, row: dict, log) -> None:
    """Details file (shipped seed), its manifest entry, then the rounds' rows: before the results
    row, so a point that counts as done always has its log."""
    if log.details_bytes is not None:
        atomic_write_bytes(bundle_dir / log.details_file, log.details_bytes)
        entry = {"id": row["model_id"], "paradigm": row["paradigm"], "dataset": row["dataset"],
                 "label_fraction": row["label_fraction"], "seed": row["seed"], "config_hash": row["config_hash"],
                 "file": log.details_file, "sha256": sha256_of_file(bundle_dir / log.details_file),
                 "size_bytes": len(log.details_bytes)}

        def change(manifest: dict) -> None:
            logs = [e for e in manifest.get("pseudo_label_details", []) if e["id"] != entry["id"]]
            manifest["pseudo_label_details"] = sorted(logs + [entry], key=lambda e: e["id"])

        update_manifest(bundle_dir, change)
    point = {key: row[key] for key in ("paradigm", "dataset", "label_fraction", "seed", "config_hash")}
    record_pseudo_label_log(bundle_dir, point, [{**point, **r} for r in log.rows])


def record_companion(bundle_dir: Path, companion) -> None:
    """Write an exported model, feature map or other bundle file, then its manifest entry."""
    if isinstance(companion, BundleFile):
        record_bundle_file(bundle_dir, companion)
    elif isinstance(companion, FeatureMap):
        atomic_write_bytes(bundle_dir / companion.entry["file"], companion.npz_bytes)

        def change(manifest: dict) -> None:
            maps = [e for e in manifest.get("feature_maps", []) if e["id"] != companion.entry["id"]]
            manifest["feature_maps"] = sorted(maps + [companion.entry], key=lambda e: e["id"])

        update_manifest(bundle_dir, change)
    else:
        atomic_write_bytes(bundle_dir / companion.entry["file"], companion.onnx_bytes)
        update_manifest(bundle_dir, lambda manifest: upsert_model(manifest, companion.entry))


def ensure_feature_map_baselines(bundle_dir: Path, dataset: Dataset, split: Split) -> None:
    """The maps the self-supervised page compares encoders with: raw pixels, and the shared
    encoder with its random starting weights (seed 0), each with its kNN accuracy."""
    import torch

    from training.backbone import make_encoder
    from training.frozen_probe import encode
    from training.point import to_tensor

    listed = {e["id"]: e for e in read_manifest(bundle_dir).get("feature_maps", [])}
    test_pixels = dataset.images[split.test_indices].reshape(len(split.test_indices), -1) / 255.0
    pool_pixels = dataset.images[split.pool_indices].reshape(len(split.pool_indices), -1) / 255.0
    torch.manual_seed(0)
    untrained = make_encoder().eval()
    makers = {
        "raw_pixels": lambda: (test_pixels, pool_pixels),
        "untrained_encoder": lambda: (encode(untrained, to_tensor(dataset.images[split.test_indices])).numpy(),
                                      encode(untrained, to_tensor(dataset.images[split.pool_indices])).numpy()),
    }
    for source, make in makers.items():
        entry = listed.get(f"{source}-{dataset.name}")
        if entry and (bundle_dir / entry["file"]).exists() and sha256_of_file(bundle_dir / entry["file"]) == entry["sha256"]:
            continue
        record_companion(bundle_dir, _feature_map(source, dataset, split, *make()))


def ensure_pool_map(bundle_dir: Path, dataset: Dataset, split: Split) -> None:
    """The 2-D map of the pool the semi-supervised page draws; made once per data set and split."""
    from training.families.semi_supervised.pseudo_label_log import pool_map

    known = read_manifest(bundle_dir).get("datasets", {}).get(dataset.name, {})
    map_file = f"data/{dataset.name}-pool-map.npz"
    path = bundle_dir / map_file
    if known.get("pool_map_file") == map_file and path.exists() and sha256_of_file(path) == known.get("pool_map_sha256"):
        return
    buffer = io.BytesIO()
    np.savez_compressed(buffer, xy=pool_map(dataset.images[split.pool_indices]).astype(np.float16),
                        pool_indices=split.pool_indices.astype(np.int32))
    atomic_write_bytes(path, buffer.getvalue())

    def change(manifest: dict) -> None:
        manifest["datasets"][dataset.name].update(
            pool_map_file=map_file, pool_map_sha256=sha256_of_file(path),
            pool_map_method="PCA (50) then t-SNE of the pixels, no labels; rows in pool order")

    update_manifest(bundle_dir, change)


def remove_stale_temporaries(bundle_dir: Path, older_than_seconds: float = 60.0) -> None:
    """Delete temporary files a killed run left behind (never a live write: those last milliseconds)."""
    import time

    if not bundle_dir.exists():
        return
    for leftover in bundle_dir.rglob(".*.tmp"):
        if time.time() - leftover.stat().st_mtime > older_than_seconds:
            leftover.unlink(missing_ok=True)


def is_done(job: PointJob, dataset_name: str, split: Split, results, models_by_id: dict, bundle_dir: Path,
            details_entries: list[dict] = (), feature_maps_by_id: dict | None = None) -> bool:
    config = make_config(job.paradigm, tiny=job.tiny, dry_run=False)
    rows = results[
        (results["paradigm"] == job.paradigm) & (results["dataset"] == dataset_name)
        & (results["label_fraction"].astype(float).round(6) == round(job.label_fraction, 6))
        & (results["seed"].astype(int) == job.seed)
        & (results["config_hash"].astype(str) == config_hash(job.paradigm, config))
        & (results["split_sha256"].astype(str) == split.fingerprint[:16])
    ]
    if rows.empty:
        return False
    feature_maps_by_id = feature_maps_by_id or {}
    if not job.ship_model:
        return True
    model_id = model_id_for(job.paradigm, dataset_name, job.label_fraction, job.seed)
    entry = models_by_id.get(model_id)
    path = bundle_dir / entry["file"] if entry else None
    if not (path and path.exists() and sha256_of_file(path) == entry["sha256"]):
        return False
    paradigm = get_paradigm(job.paradigm)
    if paradigm.frozen_encoder:
        # Its head needs the seed's encoder; the first fraction's point also ships the feature
        # map and, for a self-supervised paradigm, the pretext network.
        wanted = [models_by_id.get(encoder_model_id(job.paradigm, dataset_name, job.seed))]
        if job.label_fraction == FRACTIONS[0]:
            wanted.append(feature_maps_by_id.get(f"{job.paradigm}-{dataset_name}"))
            if paradigm.family == "self_supervised":
                wanted.append(models_by_id.get(pretext_model_id(job.paradigm, dataset_name, job.seed)))
        return all(e and (bundle_dir / e["file"]).exists() and sha256_of_file(bundle_dir / e["file"]) == e["sha256"]
                   for e in wanted)
    if paradigm.family == "semi_supervised" and job.label_fraction < 1.0:
        # The semi-supervised page needs the shipped run's details too.
        details = bundle_dir / pseudo_label_details_file(model_id)
        listed = {e["file"]: e["sha256"] for e in details_entries}
        return details.exists() and listed.get(str(pseudo_label_details_file(model_id))) == sha256_of_file(details)
    return True


@dataclass
class StudySummary:
    finished: list[dict]
    skipped: int
    failed: list[tuple[PointJob | ArtifactJob, str]]
    artifacts: list[dict] = field(default_factory=list)  # the "artifacts" entries of what was shipped


def run_job(job: PointJob | ArtifactJob):
    return run_artifacts(job) if isinstance(job, ArtifactJob) else run_point(job)


def run_study(
    *,
    paradigms: list[str],
    data: str,
    seeds: tuple[int, ...],
    fractions: tuple[float, ...] = FRACTIONS,
    bundle_dir: Path,
    tiny: bool = False,
    dry_run: bool = False,
    force: bool = False,
    workers: int | None = None,
    executor: str = "local",
    address: str | None = None,
    progress: bool = True,
    photos: str | None = None,
) -> StudySummary:
    from tqdm import tqdm

    for name in paradigms:
        get_paradigm(name).load()  # unknown or planned names fail now, before any work
    dataset, split = _dataset_and_split(data)

    scratch = None
    if dry_run:  # one batch per point, exported to a scratch folder: proves the path, writes nothing real
        scratch = Path(tempfile.mkdtemp(prefix="paradigm-lab-dry-run-"))
        bundle_dir = scratch
    bundle_dir = Path(bundle_dir)
    try:
        remove_stale_temporaries(bundle_dir)
        prepare_bundle(bundle_dir, dataset, split, seeds)
        if any(get_paradigm(name).family == "semi_supervised" for name in paradigms):
            ensure_pool_map(bundle_dir, dataset, split)
        if any(get_paradigm(name).frozen_encoder for name in paradigms) and not dry_run:
            ensure_feature_map_baselines(bundle_dir, dataset, split)
        results = read_results(bundle_dir)
        manifest = read_manifest(bundle_dir)
        models_by_id = {m["id"]: m for m in manifest["models"]}
        details_entries = manifest.get("pseudo_label_details", [])
        feature_maps_by_id = {e["id"]: e for e in manifest.get("feature_maps", [])}
        in_study = [name for name in paradigms if get_paradigm(name).in_study]
        # The models that are not label-fraction classifiers: once, for the shipped seed (when
        # this run covers it), and first, since they are the longest single jobs.
        artifact_jobs = [ArtifactJob(paradigm=name, data=data, seed=SHIPPED_SEED, tiny=tiny, dry_run=dry_run, photos=photos)
                         for name in paradigms if not get_paradigm(name).in_study and SHIPPED_SEED in seeds]
        jobs = artifact_jobs + [
            PointJob(paradigm=name, data=data, label_fraction=fraction, seed=seed, tiny=tiny, dry_run=dry_run,
                     ship_model=(seed == SHIPPED_SEED))
            # Fraction-major: the first jobs are one per (paradigm, seed), so parallel workers
            # pretrain different self-supervised encoders first and later fractions reuse them.
            for fraction in fractions for name in in_study for seed in seeds
        ]

        def done(job) -> bool:
            if isinstance(job, ArtifactJob):
                return artifacts_done(job, dataset.name, manifest, bundle_dir)
            return is_done(job, dataset.name, split, results, models_by_id, bundle_dir, details_entries,
                           feature_maps_by_id)

        pending = [j for j in jobs if force or dry_run or not done(j)]
        summary = StudySummary(finished=[], skipped=len(jobs) - len(pending), failed=[])
        if summary.skipped and progress:
            print(f"{summary.skipped} point(s) already in {bundle_dir}: skipped (resume).")
        if not pending:
            return summary

        workers = max(1, min(workers or os.cpu_count() or 1, len(pending)))
        bar = tqdm(total=len(pending), desc="study points", unit="point", disable=not progress)

        def record_artifacts(job: ArtifactJob, companions: list) -> None:
            for companion in companions:  # the "artifacts" entry comes last: done means complete
                record_companion(bundle_dir, companion)
            summary.artifacts.append(companions[-1].entry)
            bar.set_postfix_str(f"{job.paradigm}: shipped")
            bar.update()

        def settle(job, outcome) -> None:
            if isinstance(job, ArtifactJob):
                record_artifacts(job, outcome)
            else:
                record(job, *outcome)

        def record(job: PointJob, row: dict, exported, log, companions=()) -> None:
            for companion in companions:  # before the row: a point that counts as done has them
                record_companion(bundle_dir, companion)
            if exported is not None:
                atomic_write_bytes(bundle_dir / exported.entry["file"], exported.onnx_bytes)
                update_manifest(bundle_dir, lambda manifest: upsert_model(manifest, exported.entry))
            if log is not None:
                record_point_log(bundle_dir, row, log)
            record_result(bundle_dir, row)
            summary.finished.append(row)
            bar.set_postfix_str(f"{job.paradigm} {job.label_fraction:.0%} seed {job.seed}: {row['test_accuracy']:.1%}")
            bar.update()

        if executor == "ray":
            from training.ray_executor import run_on_ray

            for job, outcome in run_on_ray(pending, run_job, address=address):
                if isinstance(outcome, Exception):
                    summary.failed.append((job, f"{type(outcome).__name__}: {outcome}"))
                else:
                    settle(job, outcome)
        elif workers == 1:
            # One thread, as in every worker: the thread count changes the order of float sums,
            # and a point must give the same numbers whether `train` or `study` ran it.
            _init_worker()
            for job in pending:
                try:
                    settle(job, run_job(job))
                except Exception as error:  # one failed point must not stop the others
                    summary.failed.append((job, f"{type(error).__name__}: {error}"))
        else:
            context = multiprocessing.get_context("spawn")  # fresh interpreters: no forked torch thread state
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool:
                futures = {pool.submit(run_job, job): job for job in pending}
                try:
                    for future in concurrent.futures.as_completed(futures):
                        job = futures[future]
                        try:
                            settle(job, future.result())
                        except Exception as error:
                            summary.failed.append((job, f"{type(error).__name__}: {error}"))
                except KeyboardInterrupt:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        bar.close()
        return summary
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def default_paradigms() -> list[str]:
    """Everything implemented: the study's paradigms and the models that are shipped beside them."""
    return [p.name for p in implemented_paradigms()]


def print_summary(summary: StudySummary, stream=sys.stdout) -> None:
    for row in summary.finished:
        print(f"  {row['paradigm']:<20} {row['label_fraction']:>6.0%}  seed {row['seed']}  "
              f"{row['n_labels']:>5} labels  accuracy {row['test_accuracy']:.2%}  ({row['train_seconds']:.1f} s)", file=stream)
    for entry in summary.artifacts:
        print(f"  {entry['paradigm']:<20} shipped {len(entry['files'])} file(s), seed {entry['seed']}  "
              f"({entry['seconds']:.1f} s)", file=stream)
    for job, message in summary.failed:
        where = f"{job.label_fraction:.0%} seed {job.seed}" if isinstance(job, PointJob) else f"seed {job.seed}"
        print(f"  FAILED {job.paradigm} {where}: {message}", file=stream)
