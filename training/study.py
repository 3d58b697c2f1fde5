"""The label-fraction study: every (paradigm, fraction, seed) point trained, measured and recorded.

    python -m training study --profile full                  # 5 seeds, MNIST-5k, into exported_models/
    python -m training study --profile quick --paradigm kmeans
    python -m training study --profile test                  # sklearn digits, tiny configs, 3 fractions: a smoke test

Resumable: a point counts as done when the results table holds it with the same config and test
split (and, for the shipped seed, when its model and what its paradigm ships beside it, see
training/companions.py, are in the manifest with matching SHA-256s), so rerunning the same
command after a crash trains only what is missing. Points run in parallel in
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

from paradigm_lab import contract
from training.bundle_writer import (
    DEFAULT_BUNDLE,
    BundleFile,
    atomic_write_bytes,
    clear_model_ids,
    read_manifest,
    read_results,
    record_result,
    sha256_of_file,
    update_manifest,
    upsert_model,
    utc_now,
)
from training.companions import (
    NOTHING_BESIDE,
    PointKey,
    PointShipping,
    ShipContext,
    entries_in_place,
    record_companion,
    record_point_log,
)
from training.data import (
    FEW_LABEL_SEEDS,
    FRACTIONS,
    STUDY_SEEDS,
    Dataset,
    Split,
    fractions_for_seed,
    load_dataset,
    make_split,
)
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
    fractions: tuple[float, ...] = FRACTIONS


PROFILES = {
    # Three fractions, not seven: each point is the same path whatever its fraction, and the test
    # suite waits for this bundle (fewest labels, the 20 % the paradigm tests read, all; 5 % was
    # dropped on 7 December: no test read it, and it cost a quarter of the bundle's training).
    "test": Profile("test", "digits", (0,), True, DEFAULT_BUNDLE.parent / "build" / "test_bundle",
                    "scikit-learn 8x8 digits, tiny configs, seed 0, 1/20/100 % labels: the whole path as a "
                    "smoke test, not a result", fractions=(0.01, 0.2, 1.0)),
    "quick": Profile("quick", "mnist5k", (0,), False, DEFAULT_BUNDLE, "MNIST-5k, seed 0 only"),
    "full": Profile("full", "mnist5k", STUDY_SEEDS + FEW_LABEL_SEEDS, False, DEFAULT_BUNDLE,
                    "MNIST-5k, seeds 0-2 at every fraction and 3-4 at 1, 2 and 5 % (published results)"),
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
    """Of the paradigm's settings and, for a row that starts from another paradigm's encoder, of
    that paradigm's full settings too: a new pretraining makes the row due again."""
    settings = {"paradigm": paradigm_name, **asdict(config)}
    source = get_paradigm(paradigm_name).encoder_from if paradigm_name in PARADIGMS else None
    if source:
        settings["encoder_config"] = asdict(get_paradigm(source).load().Config())
    text = json.dumps(settings, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def model_id_for(paradigm: str, dataset: str, label_fraction: float, seed: int) -> str:
    return PointKey(paradigm, dataset, label_fraction, seed).point_id


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


def run_point(job: PointJob) -> tuple[dict, ExportedModel | None, PointLog | None, list]:
    """Train, evaluate and (for the shipped seed) export one point.

    Returns (results row, exported model or None, pseudo-label log or None, companions): the
    companions are the files the paradigm ships beside its classifier (training/companions.py:
    for a frozen encoder, the encoder, its pretext network and feature map, with the seed's first
    fraction), asked of what its ``train_point`` handed back, never of its family.
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

    context = ShipContext(
        key=PointKey(job.paradigm, dataset.name, job.label_fraction, job.seed), ship_model=job.ship_model,
        model_id=model_id, task=task, dataset=dataset, split=split, classifier=trained.classifier,
        test_images=test_images, classifier_facts=classifier_facts(job, task, dataset, trained, test_accuracy, config),
        shipped_facts=shipped_facts(job.paradigm, dataset, job.seed, config))
    shipped = [companion.ship(context) for companion in trained.companions]
    exported = next((s.classifier for s in shipped if s.classifier is not None), None)
    if not point_shipping(job.paradigm).ships_classifier:
        exported = None
    elif exported is None and job.ship_model:
        exported = export_model(trained.classifier, model_id=model_id, example_input=test_images[:8],
                                facts=context.classifier_facts)
    row = {
        "paradigm": job.paradigm, "family": paradigm.family, "dataset": dataset.name,
        "label_fraction": job.label_fraction, "n_labels": len(task.labelled_targets), "seed": job.seed,
        "test_accuracy": round(test_accuracy, 6), "train_seconds": round(trained.train_seconds, 2),
        "config_hash": hash_of_config, "split_sha256": split.fingerprint[:16],
        "subset_sha256": task.subset_sha256, "model_id": model_id if exported else "", "finished_at": utc_now(),
    }
    companions = [file for s in shipped for file in s.files]
    log = next((s.log for s in shipped if s.log is not None), None)
    return row, exported, log, companions


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
    done = contract.entry_to_json(contract.ArtifactsEntry(
        id=artifacts_id(job.paradigm, dataset.name, job.seed), paradigm=job.paradigm, dataset=dataset.name,
        seed=job.seed, config_hash=common["config_hash"], files=files,
        seconds=round(time.perf_counter() - started, 2), finished_at=utc_now()))
    return companions + [BundleFile(entry=done, list_name="artifacts", files={})]


def artifacts_done(job: ArtifactJob, dataset_name: str, manifest: dict, bundle_dir: Path) -> bool:
    config = artifact_config(job, dry_run=False)
    entry = {e["id"]: e for e in manifest.get("artifacts", [])}.get(artifacts_id(job.paradigm, dataset_name, job.seed))
    if not entry or entry["config_hash"] != config_hash(job.paradigm, config):
        return False
    return all((bundle_dir / name).exists() and sha256_of_file(bundle_dir / name) == sha
               for name, sha in entry["files"].items())


# ---------------------------------------------------------------------------------------------
# The bundle around the points


def prepare_bundle(bundle_dir: Path, dataset: Dataset, split: Split, seeds: tuple[int, ...],
                   fractions: tuple[float, ...] = FRACTIONS) -> None:
    """Record the paradigms, the data set, its test split and the labelled subsets this run trains on
    (`fractions`); refuse a bundle made with another split."""
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

    subsets = {str(seed): {f"{f:g}": subset_fingerprint(labelled_subset(pool_labels, f, seed))
                           for f in fractions_for_seed(seed) if f in fractions} for seed in seeds}

    def change(manifest: dict) -> None:
        manifest["paradigms"] = [
            contract.entry_to_json(contract.ParadigmEntry(
                id=p.name, family=p.family, in_study=p.in_study, implemented=p.implemented,
                ships_classifier=p.in_study and p.implemented and point_shipping(p.name).ships_classifier))
            for p in PARADIGMS.values()
        ]
        previous = manifest["datasets"].get(dataset.name, {})
        manifest["datasets"][dataset.name] = contract.entry_to_json(contract.DatasetEntry(
            source=dataset.source, licence=dataset.licence,
            n_images=int(len(dataset.labels)), n_test=int(len(split.test_indices)),
            n_validation=int(len(split.validation_indices)), validation_sha256=split.validation_fingerprint,
            n_pool=int(len(split.pool_indices)), class_names=list(dataset.class_names),
            test_split_sha256=split.fingerprint, eval_file=eval_file,
            eval_sha256=sha256_of_file(eval_path), eval_size_bytes=eval_path.stat().st_size,
            pool_file=pool_file, pool_sha256=sha256_of_file(pool_path),
            pool_order=f"labelling order of seed {SHIPPED_SEED}'s nested labelled subsets",
            labelled_subsets={**previous.get("labelled_subsets", {}), **subsets},
            # Written by ensure_pool_map; a run without a semi-supervised paradigm keeps them.
            **{key: value for key, value in previous.items() if key.startswith("pool_map_")},
        ))

    update_manifest(bundle_dir, change)


def remove_stale_temporaries(bundle_dir: Path, older_than_seconds: float = 60.0) -> None:
    """Delete temporary files a killed run left behind (never a live write: those last milliseconds)."""
    import time

    if not bundle_dir.exists():
        return
    for leftover in bundle_dir.rglob(".*.tmp"):
        if time.time() - leftover.stat().st_mtime > older_than_seconds:
            leftover.unlink(missing_ok=True)


def point_shipping(paradigm_name: str) -> PointShipping:
    """What the paradigm ships beside each point's classifier (its module's ``point_shipping``)."""
    return getattr(get_paradigm(paradigm_name).load(), "point_shipping", NOTHING_BESIDE)


def is_done(job: PointJob, dataset_name: str, split: Split, results, manifest: dict, bundle_dir: Path) -> bool:
    """The point is in the results with this config and split; for the shipped seed, its model
    and every entry the paradigm ships beside it are in the manifest, their files unchanged."""
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
    if not job.ship_model:
        return True
    key = PointKey(job.paradigm, dataset_name, job.label_fraction, job.seed)
    shipping = point_shipping(job.paradigm)
    wanted = [("models", key.point_id)] if shipping.ships_classifier else []
    return entries_in_place(bundle_dir, manifest, wanted + shipping.required(key))


def drop_classifiers_not_shipped(bundle_dir: Path) -> list[str]:
    """Delete the classifiers of results-only paradigms (``PointShipping.ships_classifier``)
    that an earlier run shipped, with their manifest entries, and clear their rows' model_id:
    the bundle then holds what the paradigms ship now. Returns the ids dropped."""
    results_only = {p.name for p in PARADIGMS.values()
                    if p.in_study and p.implemented and not point_shipping(p.name).ships_classifier}
    stale = [m for m in read_manifest(bundle_dir).get("models", [])
             if m["role"] == "classifier" and m["paradigm"] in results_only]
    dropped = {m["id"] for m in stale}
    if stale:
        def change(manifest: dict) -> None:
            manifest["models"] = [m for m in manifest["models"] if m["id"] not in dropped]

        update_manifest(bundle_dir, change)  # the entries first: the manifest never names a missing file
        for model in stale:
            (bundle_dir / model["file"]).unlink(missing_ok=True)
    # By paradigm, not by the ids just dropped: a run killed after the entries went still has
    # its rows cleared by the next one.
    clear_model_ids(bundle_dir, results_only)
    return sorted(dropped)


@dataclass
class StudySummary:
    finished: list[dict]
    skipped: int
    failed: list[tuple[PointJob | ArtifactJob, str]]
    artifacts: list[dict] = field(default_factory=list)  # the "artifacts" entries of what was shipped


def run_job(job: PointJob | ArtifactJob):
    return run_artifacts(job) if isinstance(job, ArtifactJob) else run_point(job)


TRAINED_ELSEWHERE = "trained elsewhere"


def run_job_unless_trained_elsewhere(job: PointJob | ArtifactJob):
    """``run_job``, or ``TRAINED_ELSEWHERE`` at once when the network it starts from is being
    trained by the other worker: the seeds of one encoder are shared by its probe, fine-tuning and
    semi-supervised rows, and a worker that waited on that lock left a core idle for the length of
    a pretraining (a quarter of an hour for the DCGAN). Its second try comes after the queued points."""
    from training.train_cache import TrainingElsewhere, elsewhere_is_an_error

    try:
        with elsewhere_is_an_error():
            return run_job(job)
    except TrainingElsewhere:
        return TRAINED_ELSEWHERE


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
    every_seed_every_fraction: bool = False,
) -> StudySummary:
    """``every_seed_every_fraction``: train each given seed at each given fraction (the ``train``
    command); by default seeds 3 and 4 run only the few-label fractions (training/data.py)."""
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
        prepare_bundle(bundle_dir, dataset, split, seeds, fractions)
        # Bundle-wide files the paradigms' points draw on (a pool map, baseline feature maps),
        # each made once however many paradigms ask for it.
        preparations = dict.fromkeys(step for name in paradigms for step in point_shipping(name).prepare)
        for prepare in preparations:
            prepare(bundle_dir, dataset, split, dry_run)
        dropped = [] if dry_run else drop_classifiers_not_shipped(bundle_dir)
        if dropped and progress:
            print(f"{len(dropped)} classifier(s) of results-only paradigms removed from {bundle_dir}.")
        results = read_results(bundle_dir)
        manifest = read_manifest(bundle_dir)
        in_study = [name for name in paradigms if get_paradigm(name).in_study]
        # The models that are not label-fraction classifiers: once, for the shipped seed (when
        # this run covers it), and first, since they are the longest single jobs.
        artifact_jobs = [ArtifactJob(paradigm=name, data=data, seed=SHIPPED_SEED, tiny=tiny, dry_run=dry_run, photos=photos)
                         for name in paradigms if not get_paradigm(name).in_study and SHIPPED_SEED in seeds]
        # The shipped seed's points last within each fraction when artifacts run first: the
        # DCGAN's artifact job trains the GAN of that seed, and a gan_probe point of the same
        # seed started beside it would wait on the cache's lock, one core idle for 20 minutes.
        seed_order = [s for s in seeds if not artifact_jobs or s != SHIPPED_SEED] + \
            [s for s in seeds if artifact_jobs and s == SHIPPED_SEED]
        jobs = artifact_jobs + [
            PointJob(paradigm=name, data=data, label_fraction=fraction, seed=seed, tiny=tiny, dry_run=dry_run,
                     ship_model=(seed == SHIPPED_SEED))
            # Fraction-major: the first jobs are one per (paradigm, seed), so parallel workers
            # pretrain different self-supervised encoders first and later fractions reuse them.
            for fraction in fractions for name in in_study for seed in seed_order
            if every_seed_every_fraction or fraction in fractions_for_seed(seed)
        ]

        def done(job) -> bool:
            if isinstance(job, ArtifactJob):
                return artifacts_done(job, dataset.name, manifest, bundle_dir)
            return is_done(job, dataset.name, split, results, manifest, bundle_dir)

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
                futures = {pool.submit(run_job_unless_trained_elsewhere, job): job for job in pending}
                try:
                    while futures:
                        finished, _ = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
                        for future in finished:
                            job = futures.pop(future)
                            try:
                                outcome = future.result()
                            except Exception as error:
                                summary.failed.append((job, f"{type(error).__name__}: {error}"))
                                continue
                            if isinstance(outcome, str) and outcome == TRAINED_ELSEWHERE:  # to the back of the queue; then it may wait
                                futures[pool.submit(run_job, job)] = job
                                continue
                            try:
                                settle(job, outcome)
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
