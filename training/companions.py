"""What a paradigm ships beside a point's classifier, so that the study knows no family.

Two hooks, both the paradigm's:
- in the worker, ``TrainedPoint.companions``: objects with ``ship(context) -> Shipped`` that the
  paradigm's ``train_point`` hands back (a frozen encoder to ship with a small probe head per
  fraction, a pseudo-label log to score against the withheld labels...). Each may replace the
  classifier's export (a head instead of the whole network), add files recorded before the
  results row, or a pseudo-label log;
- in the study process, before any training, the paradigm module's ``point_shipping`` (a
  ``PointShipping``): which manifest entries a shipped point needs in place to count as done on a
  rerun, and which bundle-wide files (the pool map, the baseline feature maps) to make first.

A paradigm without them ships its classifier alone. The study asks these hooks and never a
paradigm's family or registry flags.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from paradigm_lab import contract
from training.bundle_writer import (
    BundleFile,
    atomic_write_bytes,
    read_manifest,
    record_bundle_file,
    record_pseudo_label_log,
    sha256_of_file,
    update_manifest,
    upsert_model,
    utc_now,
)
from training.data import FRACTIONS, Dataset, Split

if TYPE_CHECKING:
    # Both import torch, which the study process loads only when a point runs in it.
    from training.export import ExportedModel
    from training.families.semi_supervised.pseudo_label_log import PointLog


@dataclass(frozen=True)
class PointKey:
    paradigm: str
    dataset: str
    label_fraction: float
    seed: int

    @property
    def point_id(self) -> str:
        """The id of the point's classifier and of its pseudo-label log in the manifest."""
        return f"{self.paradigm}-{self.dataset}-{round(self.label_fraction * 100):03d}pct-seed{self.seed}"


@dataclass(frozen=True)
class ShipContext:
    """What a companion receives in the worker, once the point is trained and measured."""
    key: PointKey
    ship_model: bool  # the shipped seed: its files go into the bundle
    model_id: str  # the classifier's id
    task: Any  # training.point.PointTask
    dataset: Dataset
    split: Split
    classifier: Any  # the trained classifier (nn.Module)
    test_images: Any  # (N, 1, 28, 28) float32 tensor of the fixed test split
    classifier_facts: dict  # the manifest facts of the point's classifier
    shipped_facts: dict  # the facts every file shipped once per seed shares


@dataclass
class Shipped:
    classifier: ExportedModel | None = None  # replaces the export of the whole classifier
    files: list = field(default_factory=list)  # recorded before the results row
    log: PointLog | None = None


@dataclass(frozen=True)
class PointShipping:
    """A paradigm module's ``point_shipping``: what its shipped points need beyond the classifier."""
    # (manifest list, entry id) of every entry a shipped point needs in place, its file there
    # with its SHA-256, for a rerun to skip it.
    required: Callable[[PointKey], list[tuple[str, str]]] = lambda key: []
    # Files made once per bundle before the points: (bundle_dir, dataset, split, dry_run) -> None.
    prepare: tuple[Callable[[Path, Dataset, Split, bool], None], ...] = ()
    # False for a paradigm whose rows are a measurement of another paradigm's encoder (a
    # fine-tune, pretraining then FixMatch): the chart and the tables read its results rows, and
    # its classifiers, whole networks of 250 kB each, would take a third of the 40 MB bundle.
    ships_classifier: bool = True


NOTHING_BESIDE = PointShipping()
RESULTS_ONLY = PointShipping(ships_classifier=False)


# --- a frozen encoder, shipped once per seed, with a probe head per fraction -------------------


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


def feature_map(source: str, dataset: Dataset, split: Split, test_features: np.ndarray,
                pool_features: np.ndarray) -> FeatureMap:
    from training.feature_maps import KNN_NEIGHBOURS, MAP_METHOD, feature_map_npz, knn_accuracy

    npz = feature_map_npz(test_features)
    knn = knn_accuracy(pool_features, dataset.labels[split.pool_indices], test_features,
                       dataset.labels[split.test_indices])
    entry = contract.entry_to_json(contract.FeatureMapEntry(
        id=f"{source}-{dataset.name}", source=source, dataset=dataset.name,
        file=feature_map_file(source, dataset.name), sha256=hashlib.sha256(npz).hexdigest(),
        size_bytes=len(npz), knn_accuracy=round(float(knn), 4), knn_k=KNN_NEIGHBOURS,
        method=MAP_METHOD, created_at=utc_now()))
    return FeatureMap(entry, npz)


@dataclass
class FrozenEncoder:
    """A paradigm that learns an encoder without labels, frozen, and fits a probe per fraction.
    ``pretrained`` has ``encoder``, ``network`` (its pretext network, or None), ``pretrain_seconds``
    and, with a network, ``steps``, ``final_loss`` and ``history``."""
    pretrained: Any
    # What the probe reads (training/frozen_probe.py's ProbeReader, chosen on validation): it
    # ships as the seed's encoder; the pretrained trunk whole when None.
    reader: Any = None

    @property
    def encoder(self) -> Any:
        return self.pretrained.encoder if self.reader is None else self.reader

    def ship(self, context: ShipContext) -> Shipped:
        if not context.ship_model:
            return Shipped()
        head = self._probe_head(context)
        first = context.key.label_fraction == FRACTIONS[0]
        return Shipped(classifier=head, files=self._once_per_seed(context) if first else [])

    def _probe_head(self, context: ShipContext) -> ExportedModel:
        """A point ships only its probe (features -> logits, a few kB); the manifest entry names
        the seed's encoder, and the pair is used as one image -> logits classifier. Seven copies
        of the same encoder would cost 2.6 MB per paradigm of the 40 MB bundle."""
        import torch

        from training.backbone import count_parameters
        from training.export import export_model

        encoder, head = context.classifier.encoder, context.classifier.head
        with torch.no_grad():  # not inference_mode: the exporter traces through this tensor
            example_features = encoder.eval()(context.test_images[:8])
        exported = export_model(head, model_id=context.model_id, example_input=example_features,
                                input_name="features", facts=context.classifier_facts)
        entry = dict(exported.entry)
        # What the pair takes and gives; the head file's own input is the encoder's output.
        entry["head_inputs"] = entry["inputs"]
        entry["inputs"] = [{"name": "image", "dtype": "float32", "shape": ["batch", *context.test_images.shape[1:]],
                            "range": [0.0, 1.0]}]
        entry["encoder"] = encoder_model_id(context.key.paradigm, context.dataset.name, context.key.seed)
        entry["parameters"] = count_parameters(context.classifier)
        return type(exported)(entry=entry, onnx_bytes=exported.onnx_bytes)

    def _once_per_seed(self, context: ShipContext) -> list:
        """The pretext network and the encoder of the shipped seed, exported, and the encoder's map.
        The GAN probe's encoder is the DCGAN discriminator's trunk: its network ships with ``dcgan``."""
        import torch

        from training.export import export_model
        from training.frozen_probe import encode
        from training.point import to_tensor

        pretrained, key, dataset, test_images = self.pretrained, context.key, context.dataset, context.test_images
        generator = torch.Generator().manual_seed(0)  # the same free pairs at every export
        common = {**context.shipped_facts, "train_seconds": round(pretrained.pretrain_seconds, 2)}
        shipped = []
        if pretrained.network is not None:
            network = pretrained.network.eval()
            shipped.append(export_model(
                network, model_id=pretext_model_id(key.paradigm, dataset.name, key.seed),
                example_input=network.example_input(test_images, generator),
                input_name=network.input_name, output_name=network.output_name,
                facts={**common, "role": "pretext_head", "pretext": network.facts(),
                       "metrics": {**network.evaluate(test_images, generator), "steps": pretrained.steps,
                                   "final_loss": pretrained.final_loss},
                       "loss_history": [[step, round(value, 5)] for step, value in pretrained.history]},
            ))
        test_features = encode(self.encoder, test_images).numpy()
        pool_features = encode(self.encoder, to_tensor(dataset.images[context.split.pool_indices])).numpy()
        encoder_map = feature_map(key.paradigm, dataset, context.split, test_features, pool_features)
        encoder = export_model(
            self.encoder, model_id=encoder_model_id(key.paradigm, dataset.name, key.seed),
            example_input=test_images[:8], output_name="features",
            facts={**common, "role": "encoder", "metrics": {"knn_accuracy": encoder_map.entry["knn_accuracy"]}},
        )
        return shipped + [encoder, encoder_map]


def frozen_encoder_entries(key: PointKey, *, pretext: bool) -> list[tuple[str, str]]:
    """A head needs the seed's encoder; the first fraction's point also ships the feature map and,
    with ``pretext``, the pretext network."""
    wanted = [("models", encoder_model_id(key.paradigm, key.dataset, key.seed))]
    if key.label_fraction == FRACTIONS[0]:
        wanted.append(("feature_maps", f"{key.paradigm}-{key.dataset}"))
        if pretext:
            wanted.append(("models", pretext_model_id(key.paradigm, key.dataset, key.seed)))
    return wanted


def ensure_feature_map_baselines(bundle_dir: Path, dataset: Dataset, split: Split, dry_run: bool = False) -> None:
    """The maps the self-supervised page compares encoders with: raw pixels, and the shared
    encoder with its random starting weights (seed 0), each with its kNN accuracy."""
    if dry_run:
        return
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
        record_companion(bundle_dir, feature_map(source, dataset, split, *make()))


# A self-supervised paradigm ships its pretext network too; the GAN probe has none of its own.
FROZEN_ENCODER_WITH_PRETEXT = PointShipping(required=partial(frozen_encoder_entries, pretext=True),
                                            prepare=(ensure_feature_map_baselines,))
FROZEN_ENCODER = PointShipping(required=partial(frozen_encoder_entries, pretext=False),
                               prepare=(ensure_feature_map_baselines,))


# --- a pseudo-label log, scored against the withheld labels ------------------------------------


def pseudo_label_details_file(model_id: str) -> str:
    return f"pseudo_labels/{model_id}.npz"


@dataclass
class PseudoLabelLog:
    """What a semi-supervised method believed about the unlabelled pool, round by round
    (training.point.PseudoLabelRound); scored here, the method never had the labels."""
    rounds: list

    def ship(self, context: ShipContext) -> Shipped:
        from training.families.semi_supervised.pseudo_label_log import PointLog, details_npz, score_rounds

        if not self.rounds:
            return Shipped()
        dataset, split, task = context.dataset, context.split, context.task
        pool_labels = dataset.labels[split.pool_indices]
        truth = pool_labels[task.unlabelled_positions]
        rows = score_rounds(self.rounds, truth)
        if not context.ship_model:
            return Shipped(log=PointLog(rows, None, None))
        details = details_npz(task, self.rounds, truth, dataset.images[split.pool_indices], pool_labels)
        return Shipped(log=PointLog(rows, pseudo_label_details_file(context.model_id), details))


def pseudo_label_details_entries(key: PointKey) -> list[tuple[str, str]]:
    """The semi-supervised page needs the shipped run's details (none at 100 %: nothing unlabelled)."""
    if key.label_fraction >= 1.0:
        return []
    return [("pseudo_label_details", key.point_id)]


def ensure_pool_map(bundle_dir: Path, dataset: Dataset, split: Split, dry_run: bool = False) -> None:
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


PSEUDO_LABEL_LOG = PointShipping(required=pseudo_label_details_entries, prepare=(ensure_pool_map,))


# --- the study's single writer -----------------------------------------------------------------


def record_point_log(bundle_dir: Path, row: dict, log) -> None:
    """Details file (shipped seed), its manifest entry, then the rounds' rows: before the results
    row, so a point that counts as done always has its log."""
    if log.details_bytes is not None:
        atomic_write_bytes(bundle_dir / log.details_file, log.details_bytes)
        # The point's id, not the row's model_id: a results-only paradigm ships its log alone.
        key = PointKey(row["paradigm"], row["dataset"], row["label_fraction"], row["seed"])
        entry = contract.entry_to_json(contract.PseudoLabelDetailsEntry(
            id=key.point_id, paradigm=row["paradigm"], dataset=row["dataset"],
            label_fraction=row["label_fraction"], seed=row["seed"], config_hash=row["config_hash"],
            file=log.details_file, sha256=sha256_of_file(bundle_dir / log.details_file),
            size_bytes=len(log.details_bytes)))

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


def entries_in_place(bundle_dir: Path, manifest: dict, wanted: list[tuple[str, str]]) -> bool:
    """Whether every (list, id) entry is in the manifest and its file in the bundle, unchanged."""
    for list_name, entry_id in wanted:
        entry = next((e for e in manifest.get(list_name, []) if e.get("id") == entry_id), None)
        if entry is None:
            return False
        path = bundle_dir / entry["file"]
        if not (path.exists() and sha256_of_file(path) == entry["sha256"]):
            return False
    return True
