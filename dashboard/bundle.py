"""Reading the bundle that training/ writes (exported_models/README.md): manifest, results, files.

The bundle is found through the PARADIGM_LAB_BUNDLE environment variable, or else in
<repository>/exported_models. Every problem a user can meet (no manifest, a manifest that is not
JSON, a model file missing or changed, damaged test images) is raised as a `BundleError` that
carries a translation key and its values, so each page turns it into a sentence in the user's
language that names the file and the command that rebuilds it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core.i18n import t
from dashboard.topics.colourisation.colourise import ColouriserSpec

BUNDLE_ENVIRONMENT_VARIABLE = "PARADIGM_LAB_BUNDLE"
# exported_models/ beside the dashboard package: the repository's in a clone, the copy that the
# wheel installs in site-packages otherwise (pyproject.toml).
DEFAULT_BUNDLE_DIRECTORY = Path(__file__).resolve().parent.parent / "exported_models"
MANIFEST_FILE = "manifest.json"
RESULTS_FILE = "results.csv"
SUPPORTED_MANIFEST_FORMAT = 1

FULL_STUDY_COMMAND = "python -m training study --profile full"

RESULTS_COLUMNS = (
    "paradigm",
    "family",
    "dataset",
    "label_fraction",
    "n_labels",
    "seed",
    "test_accuracy",
)
_NUMERIC_RESULTS_COLUMNS = ("label_fraction", "n_labels", "seed", "test_accuracy")


class BundleError(Exception):
    """A problem with the bundle that a user can meet, told by a translation key and its values."""

    def __init__(self, message_key: str, **params: object) -> None:
        self.message_key = message_key
        self.params = params
        super().__init__(t(message_key, "en", **params))

    def message(self, language: str) -> str:
        return t(self.message_key, language, **self.params)


class ManifestError(BundleError):
    """manifest.json is missing, not JSON, or not in the expected format."""


class ResultsError(BundleError):
    """results.csv is missing or unreadable."""


class ModelError(BundleError):
    """One model cannot be used: missing, changed, not ONNX, or not the declared shape."""

    def __init__(self, message_key: str, *, model_id: str, **params: object) -> None:
        self.model_id = model_id
        super().__init__(message_key, model_id=model_id, **params)


class EvaluationDataError(BundleError):
    """A data set's shipped test images are missing or damaged."""


@dataclass(frozen=True)
class ParadigmInfo:
    id: str
    family: str
    in_study: bool
    implemented: bool


@dataclass(frozen=True)
class TensorSpec:
    name: str
    dtype: str
    shape: tuple[int | str, ...]  # a str is a named free axis, such as "batch"
    value_range: tuple[float, float] | None


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    source: str
    licence: str
    n_images: int | None
    n_test: int | None
    n_pool: int | None
    class_names: tuple[str, ...]
    eval_file: str | None
    eval_sha256: str | None
    # The 2-D map of the pool that the semi-supervised page draws (written with the first
    # semi-supervised run on this data set).
    pool_map_file: str | None = None
    pool_map_sha256: str | None = None
    # The unlabelled pool's images, labelling order and hidden labels (the class-labels page).
    pool_file: str | None = None
    pool_sha256: str | None = None


@dataclass(frozen=True)
class ModelInfo:
    id: str
    paradigm: str
    family: str
    role: str
    dataset: str | None
    label_fraction: float | None
    n_labels: int | None
    seed: int | None
    file: str
    size_bytes: int | None
    sha256: str
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    class_names: tuple[str, ...]
    test_accuracy: float | None
    parameters: int | None
    train_seconds: float | None
    # A classifier whose file is only a head (features -> logits) names the encoder that runs
    # first (image -> features): the self-supervised paradigms ship one encoder per seed and a
    # small head per label fraction. The pair is used as one image -> logits classifier.
    encoder: "ModelInfo | None" = None
    metrics: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)
    # What a pretext network's page needs to make its inputs (turns, grid, frames, orders...).
    pretext: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    def files(self) -> tuple["ModelInfo", ...]:
        """The models whose files this one needs, its encoder first."""
        return ((self.encoder,) if self.encoder else ()) + (self,)


@dataclass(frozen=True)
class FeatureMapInfo:
    """A 2-D map of the test digits in one feature space (an encoder's, or raw pixels), rows in
    the order of the data set's evaluation file, with how well that space groups digits (kNN)."""

    id: str
    source: str  # a paradigm id, or "raw_pixels" / "untrained_encoder"
    dataset: str
    file: str
    sha256: str
    knn_accuracy: float | None
    knn_k: int | None
    method: str


@dataclass(frozen=True)
class PseudoLabelDetailsInfo:
    """The pseudo-label log of one shipped semi-supervised run: what its model believed about the
    unlabelled pool, round by round. Its id is the id of the classifier the run produced."""

    id: str
    paradigm: str
    dataset: str
    label_fraction: float
    seed: int
    file: str
    sha256: str
    size_bytes: int | None


@dataclass(frozen=True)
class GanTimelineInfo:
    """What one GAN's training left behind for the GAN page: its generator's output on a fixed
    noise batch at checkpoints through training (npz), and its losses step by step (csv)."""

    id: str
    paradigm: str
    dataset: str
    seed: int | None
    generator: str  # the id of the generator model it belongs to
    file: str  # the timeline npz
    losses_file: str  # the losses csv
    # Each file's SHA-256 as the manifest records it (None where the manifest names none).
    file_sha256: str | None
    losses_sha256: str | None
    early_step: int | None
    fixed_noise_seed: int | None


@dataclass(frozen=True)
class Gan2dRecordingInfo:
    """The 2-D GAN's recorded training (training/families/gan/gan_2d_training.py): points in the plane, the
    discriminator's verdict on a grid and the generator's push, at every recorded moment."""

    id: str
    paradigm: str
    seed: int | None
    file: str
    sha256: str | None  # as the manifest records it (None where it names none)
    size_bytes: int | None
    train_seconds: float | None


@dataclass(frozen=True)
class ColourPhotoInfo:
    """A photo the colouriser was trained or measured on. Only the held-out and validation
    photos ship (``file``); the training photos are named with their source and licence."""

    name: str
    role: str  # "train", "validation" or "heldout"
    source: str
    licence: str
    file: str | None
    sha256: str | None


@dataclass(frozen=True)
class ColouriserInfo:
    """The shipped colouriser: its model, how to read its answer, and the photos it was measured on."""

    model_id: str
    spec: ColouriserSpec
    photos: tuple[ColourPhotoInfo, ...]
    temperature_trials: tuple[Mapping[str, float], ...]
    losses_file: str | None
    losses_sha256: str | None


@dataclass(frozen=True)
class Manifest:
    """The parsed manifest. Frozen, so one cached instance can be shared by every session."""

    bundle_directory: Path
    format: int
    updated_at: str
    paradigms: tuple[ParadigmInfo, ...]
    datasets: tuple[DatasetInfo, ...]
    models: tuple[ModelInfo, ...]
    pseudo_label_details: tuple[PseudoLabelDetailsInfo, ...] = ()
    feature_maps: tuple[FeatureMapInfo, ...] = ()
    gan_timelines: tuple[GanTimelineInfo, ...] = ()
    gan_2d_recordings: tuple[Gan2dRecordingInfo, ...] = ()
    colourisers: tuple[ColouriserInfo, ...] = ()

    def paradigm(self, paradigm_id: str) -> ParadigmInfo | None:
        return next((p for p in self.paradigms if p.id == paradigm_id), None)

    def dataset(self, dataset_id: str | None) -> DatasetInfo | None:
        return next((d for d in self.datasets if d.id == dataset_id), None)

    def model(self, model_id: str) -> ModelInfo | None:
        return next((m for m in self.models if m.id == model_id), None)

    def dataset_of(self, model: ModelInfo) -> DatasetInfo:
        """The data set a model is measured on, or a ModelError naming the model and the rebuild."""
        dataset = self.dataset(model.dataset)
        if dataset is None:
            raise ModelError(
                "error.dataset_unknown",
                model_id=model.id,
                dataset=model.dataset or "?",
                command=FULL_STUDY_COMMAND,
            )
        return dataset

    def models_in_registry_order(self) -> list[ModelInfo]:
        """Models by paradigm as the registry lists them (supervised first), then fraction, seed."""
        rank = {paradigm.id: index for index, paradigm in enumerate(self.paradigms)}
        return sorted(
            self.models,
            key=lambda model: (
                rank.get(model.paradigm, len(rank)),
                model.paradigm,
                model.label_fraction or 0.0,
                model.seed or 0,
                model.id,
            ),
        )


class FileStatus(enum.Enum):
    OK = "ok"
    MISSING = "missing"
    MISMATCH = "mismatch"
    OUTSIDE = "outside"  # the manifest points outside the bundle folder


@dataclass(frozen=True)
class EvaluationSet:
    images: np.ndarray  # (N, 28, 28) uint8, white ink on black
    labels: np.ndarray  # (N,) int64


def locate_bundle() -> Path:
    """The bundle folder: $PARADIGM_LAB_BUNDLE if set, else DEFAULT_BUNDLE_DIRECTORY."""
    configured = os.environ.get(BUNDLE_ENVIRONMENT_VARIABLE, "").strip()
    return Path(configured).expanduser().resolve() if configured else DEFAULT_BUNDLE_DIRECTORY


def paradigm_study_command(paradigm_id: str) -> str:
    return f"python -m training study --paradigm {paradigm_id}"


def point_rebuild_command(paradigm: str, label_fraction: float | None, seed: int | None) -> str:
    """The command that trains one study point again and rewrites what it exports."""
    command = f"python -m training train {paradigm}"
    if label_fraction is not None:
        command += f" --fraction {label_fraction:g}"
    if seed is not None:
        command += f" --seed {seed}"
    return command


def model_rebuild_command(model: ModelInfo) -> str:
    """The command that trains and exports this one model again. A model that belongs to no label
    fraction (a self-supervised encoder or pretext network, made with the seed's first point) is
    rebuilt by the study, which redoes the one point that lacks it."""
    if model.label_fraction is None and model.role != "classifier":
        command = f"python -m training study --profile full --paradigm {model.paradigm}"
        return command + (f" --seed {model.seed}" if model.seed is not None else "")
    return point_rebuild_command(model.paradigm, model.label_fraction, model.seed)


# --- manifest.json ---------------------------------------------------------------------------


class _ManifestReader:
    """Type-checked access to the raw JSON that names the faulty field in its error."""

    def __init__(self, manifest_path: Path) -> None:
        self.manifest_path = manifest_path

    def fail(self, field: str) -> ManifestError:
        return ManifestError(
            "error.manifest_invalid",
            path=str(self.manifest_path),
            field=field,
            command=FULL_STUDY_COMMAND,
        )

    def required(self, mapping: dict, key: str, kinds: type | tuple, field: str):
        value = mapping.get(key)
        # bool is an int in Python; a true/false where a number belongs is still a malformed field.
        wrong_type = not isinstance(value, kinds)
        if wrong_type or (isinstance(value, bool) and bool not in _as_tuple(kinds)):
            raise self.fail(field)
        return value

    def optional(self, mapping: dict, key: str, kinds: type | tuple, field: str, default=None):
        if mapping.get(key) is None:
            return default
        return self.required(mapping, key, kinds, field)

    def mapping(self, value: object, field: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(field)
        return value

    def tensor_specs(self, entry: dict, key: str, field: str) -> tuple[TensorSpec, ...]:
        specs = []
        for index, raw in enumerate(self.optional(entry, key, list, field, default=[])):
            spec_field = f"{field}[{index}]"
            raw = self.mapping(raw, spec_field)
            shape = self.required(raw, "shape", list, f"{spec_field}.shape")
            if not all(isinstance(d, (int, str)) and not isinstance(d, bool) for d in shape):
                raise self.fail(f"{spec_field}.shape")
            value_range = self.optional(raw, "range", list, f"{spec_field}.range")
            if value_range is not None:
                numbers = [v for v in value_range if isinstance(v, (int, float))]
                if len(value_range) != 2 or len(numbers) != 2:
                    raise self.fail(f"{spec_field}.range")
                value_range = (float(value_range[0]), float(value_range[1]))
            specs.append(
                TensorSpec(
                    name=self.required(raw, "name", str, f"{spec_field}.name"),
                    dtype=self.optional(raw, "dtype", str, f"{spec_field}.dtype", "float32"),
                    shape=tuple(shape),
                    value_range=value_range,
                )
            )
        return tuple(specs)


def _as_tuple(kinds: type | tuple) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _number(value: int | float | None) -> float | None:
    return None if value is None else float(value)


def _parse_paradigm(reader: _ManifestReader, raw: object, field: str) -> ParadigmInfo:
    raw = reader.mapping(raw, field)
    return ParadigmInfo(
        id=reader.required(raw, "id", str, f"{field}.id"),
        family=reader.required(raw, "family", str, f"{field}.family"),
        in_study=reader.optional(raw, "in_study", bool, f"{field}.in_study", True),
        implemented=reader.optional(raw, "implemented", bool, f"{field}.implemented", True),
    )


def _parse_dataset(reader: _ManifestReader, dataset_id: str, raw: object) -> DatasetInfo:
    field = f"datasets.{dataset_id}"
    raw = reader.mapping(raw, field)
    class_names = reader.optional(raw, "class_names", list, f"{field}.class_names", [])
    return DatasetInfo(
        id=dataset_id,
        source=reader.optional(raw, "source", str, f"{field}.source", ""),
        licence=reader.optional(raw, "licence", str, f"{field}.licence", ""),
        n_images=reader.optional(raw, "n_images", int, f"{field}.n_images"),
        n_test=reader.optional(raw, "n_test", int, f"{field}.n_test"),
        n_pool=reader.optional(raw, "n_pool", int, f"{field}.n_pool"),
        class_names=tuple(str(name) for name in class_names),
        eval_file=reader.optional(raw, "eval_file", str, f"{field}.eval_file"),
        eval_sha256=reader.optional(raw, "eval_sha256", str, f"{field}.eval_sha256"),
        pool_map_file=reader.optional(raw, "pool_map_file", str, f"{field}.pool_map_file"),
        pool_map_sha256=reader.optional(raw, "pool_map_sha256", str, f"{field}.pool_map_sha256"),
        pool_file=reader.optional(raw, "pool_file", str, f"{field}.pool_file"),
        pool_sha256=reader.optional(raw, "pool_sha256", str, f"{field}.pool_sha256"),
    )


def _parse_model(
    reader: _ManifestReader, raw: object, field: str, families: dict[str, str]
) -> ModelInfo:
    raw = reader.mapping(raw, field)
    paradigm = reader.required(raw, "paradigm", str, f"{field}.paradigm")
    metrics = reader.optional(raw, "metrics", dict, f"{field}.metrics", {})
    class_names = reader.optional(raw, "class_names", list, f"{field}.class_names", [])
    return ModelInfo(
        id=reader.required(raw, "id", str, f"{field}.id"),
        paradigm=paradigm,
        family=reader.optional(raw, "family", str, f"{field}.family", families.get(paradigm, "")),
        role=reader.optional(raw, "role", str, f"{field}.role", "classifier"),
        dataset=reader.optional(raw, "dataset", str, f"{field}.dataset"),
        label_fraction=_number(
            reader.optional(raw, "label_fraction", (int, float), f"{field}.label_fraction")
        ),
        n_labels=reader.optional(raw, "n_labels", int, f"{field}.n_labels"),
        seed=reader.optional(raw, "seed", int, f"{field}.seed"),
        file=reader.required(raw, "file", str, f"{field}.file"),
        size_bytes=reader.optional(raw, "size_bytes", int, f"{field}.size_bytes"),
        sha256=reader.required(raw, "sha256", str, f"{field}.sha256").lower(),
        inputs=reader.tensor_specs(raw, "inputs", f"{field}.inputs"),
        outputs=reader.tensor_specs(raw, "outputs", f"{field}.outputs"),
        class_names=tuple(str(name) for name in class_names),
        test_accuracy=_number(
            reader.optional(
                metrics, "test_accuracy", (int, float), f"{field}.metrics.test_accuracy"
            )
        ),
        parameters=reader.optional(raw, "parameters", int, f"{field}.parameters"),
        train_seconds=_number(
            reader.optional(raw, "train_seconds", (int, float), f"{field}.train_seconds")
        ),
        metrics=metrics,
        pretext=reader.optional(raw, "pretext", dict, f"{field}.pretext", {}),
    )


def _encoder_id(reader: "_ManifestReader", raw: object, field: str) -> str | None:
    return reader.optional(reader.mapping(raw, field), "encoder", str, f"{field}.encoder")


def _with_encoders(models: tuple[ModelInfo, ...], encoder_ids: list[str | None]) -> tuple[ModelInfo, ...]:
    """Attach to each head the encoder it names. A head whose encoder is not in the manifest keeps
    a placeholder entry with no file, so using it gives the usual missing-model message."""
    by_id = {model.id: model for model in models}
    linked = []
    for model, encoder_id in zip(models, encoder_ids):
        if encoder_id is not None:
            encoder = by_id.get(encoder_id) or dataclasses.replace(
                model, id=encoder_id, role="encoder", file=f"models/{encoder_id}.onnx", sha256="-",
                label_fraction=None, size_bytes=None)
            model = dataclasses.replace(model, encoder=encoder)
        linked.append(model)
    return tuple(linked)


def _parse_feature_map(reader: "_ManifestReader", raw: object, field: str) -> FeatureMapInfo:
    raw = reader.mapping(raw, field)
    return FeatureMapInfo(
        id=reader.required(raw, "id", str, f"{field}.id"),
        source=reader.required(raw, "source", str, f"{field}.source"),
        dataset=reader.required(raw, "dataset", str, f"{field}.dataset"),
        file=reader.required(raw, "file", str, f"{field}.file"),
        sha256=reader.required(raw, "sha256", str, f"{field}.sha256").lower(),
        knn_accuracy=_number(reader.optional(raw, "knn_accuracy", (int, float), f"{field}.knn_accuracy")),
        knn_k=reader.optional(raw, "knn_k", int, f"{field}.knn_k"),
        method=reader.optional(raw, "method", str, f"{field}.method", ""),
    )


def _parse_pseudo_label_details(
    reader: _ManifestReader, raw: object, field: str
) -> PseudoLabelDetailsInfo:
    raw = reader.mapping(raw, field)
    return PseudoLabelDetailsInfo(
        id=reader.required(raw, "id", str, f"{field}.id"),
        paradigm=reader.required(raw, "paradigm", str, f"{field}.paradigm"),
        dataset=reader.required(raw, "dataset", str, f"{field}.dataset"),
        label_fraction=float(
            reader.required(raw, "label_fraction", (int, float), f"{field}.label_fraction")
        ),
        seed=reader.required(raw, "seed", int, f"{field}.seed"),
        file=reader.required(raw, "file", str, f"{field}.file"),
        sha256=reader.required(raw, "sha256", str, f"{field}.sha256").lower(),
        size_bytes=reader.optional(raw, "size_bytes", int, f"{field}.size_bytes"),
    )


def _parse_gan_timeline(reader: _ManifestReader, raw: object, field: str) -> GanTimelineInfo:
    raw = reader.mapping(raw, field)
    file = reader.required(raw, "file", str, f"{field}.file")
    losses_file = reader.required(raw, "losses_file", str, f"{field}.losses_file")
    digests = reader.optional(raw, "sha256", dict, f"{field}.sha256", {})
    for name, digest in digests.items():
        if not isinstance(digest, str):
            raise reader.fail(f"{field}.sha256.{name}")
    return GanTimelineInfo(
        id=reader.required(raw, "id", str, f"{field}.id"),
        paradigm=reader.required(raw, "paradigm", str, f"{field}.paradigm"),
        dataset=reader.required(raw, "dataset", str, f"{field}.dataset"),
        seed=reader.optional(raw, "seed", int, f"{field}.seed"),
        generator=reader.required(raw, "generator", str, f"{field}.generator"),
        file=file,
        losses_file=losses_file,
        file_sha256=digests[file].lower() if file in digests else None,
        losses_sha256=digests[losses_file].lower() if losses_file in digests else None,
        early_step=reader.optional(raw, "early_step", int, f"{field}.early_step"),
        fixed_noise_seed=reader.optional(raw, "fixed_noise_seed", int, f"{field}.fixed_noise_seed"),
    )


def _parse_gan_2d_recording(reader: _ManifestReader, raw: object, field: str) -> Gan2dRecordingInfo:
    raw = reader.mapping(raw, field)
    file = reader.required(raw, "file", str, f"{field}.file")
    digests = reader.optional(raw, "sha256", dict, f"{field}.sha256", {})
    digest = digests.get(file)
    if digest is not None and not isinstance(digest, str):
        raise reader.fail(f"{field}.sha256.{file}")
    seconds = reader.optional(raw, "train_seconds", (int, float), f"{field}.train_seconds")
    return Gan2dRecordingInfo(
        id=reader.required(raw, "id", str, f"{field}.id"),
        paradigm=reader.required(raw, "paradigm", str, f"{field}.paradigm"),
        seed=reader.optional(raw, "seed", int, f"{field}.seed"),
        file=file,
        sha256=digest.lower() if digest is not None else None,
        size_bytes=reader.optional(raw, "size_bytes", int, f"{field}.size_bytes"),
        train_seconds=float(seconds) if seconds is not None else None,
    )


def _parse_colouriser(reader: _ManifestReader, raw: dict, field: str, shipped_files: dict) -> ColouriserInfo:
    """A model entry with the role "colouriser" (training/families/self_supervised/colourisation.py writes it)."""
    model_id = reader.required(raw, "id", str, f"{field}.id")
    bins = np.asarray(reader.required(raw, "ab_bins", list, f"{field}.ab_bins"), dtype=np.float32)
    if bins.ndim != 2 or bins.shape[1] != 2 or len(bins) < 2:
        raise reader.fail(f"{field}.ab_bins")
    inputs = reader.tensor_specs(raw, "inputs", f"{field}.inputs")
    outputs = reader.tensor_specs(raw, "outputs", f"{field}.outputs")
    spec = ColouriserSpec(
        model_id=model_id, ab_bins=bins,
        temperature=float(reader.required(raw, "temperature", (int, float), f"{field}.temperature")),
        max_side=reader.required(raw, "max_side", int, f"{field}.max_side"),
        size_multiple=reader.required(raw, "size_multiple", int, f"{field}.size_multiple"),
        output_stride=reader.required(raw, "output_stride", int, f"{field}.output_stride"),
        input_name=inputs[0].name if inputs else "lightness", output_name=outputs[0].name if outputs else "logits",
    )
    photos = []
    for name, entry in reader.optional(raw, "photos", dict, f"{field}.photos", {}).items():
        entry = reader.mapping(entry, f"{field}.photos.{name}")
        file = reader.optional(entry, "file", str, f"{field}.photos.{name}.file")
        photos.append(ColourPhotoInfo(
            name=name, role=reader.required(entry, "role", str, f"{field}.photos.{name}.role"),
            source=reader.optional(entry, "source", str, f"{field}.photos.{name}.source", ""),
            licence=reader.optional(entry, "licence", str, f"{field}.photos.{name}.licence", ""),
            file=file, sha256=shipped_files.get(file) if file else None,
        ))
    trials = reader.optional(raw, "temperature_trials", list, f"{field}.temperature_trials", [])
    losses_file = next((name for name in shipped_files if name.endswith("losses.csv")), None)
    return ColouriserInfo(model_id=model_id, spec=spec, photos=tuple(photos),
                          temperature_trials=tuple(t for t in trials if isinstance(t, dict)),
                          losses_file=losses_file, losses_sha256=shipped_files.get(losses_file))


def _colourisation_files(reader: _ManifestReader, entries: list) -> dict[str, dict[str, str]]:
    """Colouriser id -> {file: SHA-256} of the photos and losses it shipped with."""
    files = {}
    for index, entry in enumerate(entries):
        entry = reader.mapping(entry, f"colourisation[{index}]")
        digests = reader.optional(entry, "sha256", dict, f"colourisation[{index}].sha256", {})
        colouriser = reader.required(entry, "colouriser", str, f"colourisation[{index}].colouriser")
        files[colouriser] = {name: str(digest).lower() for name, digest in digests.items()}
    return files


def manifest_path(bundle_directory: Path) -> Path:
    return bundle_directory / MANIFEST_FILE


def load_manifest(bundle_directory: Path) -> Manifest:
    """Parse and validate manifest.json; a ManifestError says what is wrong and how to fix it."""
    path = manifest_path(bundle_directory)
    if not path.is_file():
        raise ManifestError(
            "error.manifest_missing", directory=str(bundle_directory), command=FULL_STUDY_COMMAND
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ManifestError(
            "error.manifest_not_json",
            path=str(path),
            line=error.lineno,
            column=error.colno,
            command=FULL_STUDY_COMMAND,
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(
            "error.manifest_unreadable",
            path=str(path),
            reason=type(error).__name__,
            command=FULL_STUDY_COMMAND,
        ) from error

    reader = _ManifestReader(path)
    raw = reader.mapping(raw, "(root)")
    manifest_format = reader.required(raw, "format", int, "format")
    if manifest_format != SUPPORTED_MANIFEST_FORMAT:
        raise ManifestError(
            "error.manifest_format",
            path=str(path),
            found=manifest_format,
            expected=SUPPORTED_MANIFEST_FORMAT,
            command=FULL_STUDY_COMMAND,
        )
    paradigms = tuple(
        _parse_paradigm(reader, entry, f"paradigms[{index}]")
        for index, entry in enumerate(reader.required(raw, "paradigms", list, "paradigms"))
    )
    families = {paradigm.id: paradigm.family for paradigm in paradigms}
    datasets = tuple(
        _parse_dataset(reader, dataset_id, entry)
        for dataset_id, entry in reader.optional(raw, "datasets", dict, "datasets", {}).items()
    )
    raw_models = reader.required(raw, "models", list, "models")
    models = _with_encoders(
        tuple(_parse_model(reader, entry, f"models[{index}]", families) for index, entry in enumerate(raw_models)),
        [_encoder_id(reader, entry, f"models[{index}]") for index, entry in enumerate(raw_models)],
    )
    details = reader.optional(raw, "pseudo_label_details", list, "pseudo_label_details", [])
    feature_maps = reader.optional(raw, "feature_maps", list, "feature_maps", [])
    gan_timelines = reader.optional(raw, "gan_timelines", list, "gan_timelines", [])
    gan_2d_recordings = reader.optional(raw, "gan_2d_recordings", list, "gan_2d_recordings", [])
    colourisation_files = _colourisation_files(
        reader, reader.optional(raw, "colourisation", list, "colourisation", []))
    colourisers = tuple(
        _parse_colouriser(reader, entry, f"models[{index}]", colourisation_files.get(entry.get("id"), {}))
        for index, entry in enumerate(raw_models) if isinstance(entry, dict) and entry.get("role") == "colouriser"
    )
    return Manifest(
        bundle_directory=bundle_directory,
        format=manifest_format,
        updated_at=reader.optional(raw, "updated_at", str, "updated_at", ""),
        paradigms=paradigms,
        datasets=datasets,
        models=models,
        pseudo_label_details=tuple(
            _parse_pseudo_label_details(reader, entry, f"pseudo_label_details[{index}]")
            for index, entry in enumerate(details)
        ),
        feature_maps=tuple(
            _parse_feature_map(reader, entry, f"feature_maps[{index}]")
            for index, entry in enumerate(feature_maps)
        ),
        gan_timelines=tuple(
            _parse_gan_timeline(reader, entry, f"gan_timelines[{index}]")
            for index, entry in enumerate(gan_timelines)
        ),
        gan_2d_recordings=tuple(
            _parse_gan_2d_recording(reader, entry, f"gan_2d_recordings[{index}]")
            for index, entry in enumerate(gan_2d_recordings)
        ),
        colourisers=colourisers,
    )


# --- results.csv -----------------------------------------------------------------------------


def results_path(bundle_directory: Path) -> Path:
    return bundle_directory / RESULTS_FILE


def missing_results_error(bundle_directory: Path) -> ResultsError:
    return ResultsError(
        "error.results_missing",
        path=str(results_path(bundle_directory)),
        command=FULL_STUDY_COMMAND,
    )


def load_results(bundle_directory: Path) -> pd.DataFrame:
    """Every finished study point, one row per (paradigm, dataset, fraction, seed)."""
    path = results_path(bundle_directory)
    if not path.is_file():
        raise missing_results_error(bundle_directory)
    try:
        results = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as error:  # EmptyDataError is a ValueError
        raise ResultsError(
            "error.results_invalid", path=str(path), field="(file)", command=FULL_STUDY_COMMAND
        ) from error
    for column in RESULTS_COLUMNS:
        if column not in results.columns:
            raise ResultsError(
                "error.results_invalid", path=str(path), field=column, command=FULL_STUDY_COMMAND
            )
    for column in _NUMERIC_RESULTS_COLUMNS:
        numbers = pd.to_numeric(results[column], errors="coerce")
        if numbers.isna().any():
            raise ResultsError(
                "error.results_invalid", path=str(path), field=column, command=FULL_STUDY_COMMAND
            )
        results[column] = numbers
    for column in ("paradigm", "family", "dataset"):
        results[column] = results[column].astype(str)
    results["n_labels"] = results["n_labels"].astype("int64")
    results["seed"] = results["seed"].astype("int64")
    return results


# --- model files -----------------------------------------------------------------------------


def model_file_path(bundle_directory: Path, model: ModelInfo) -> Path:
    """Where the model's file is; a ModelError if the manifest points outside the bundle."""
    path = (bundle_directory / model.file).resolve()
    if not path.is_relative_to(bundle_directory.resolve()):
        raise ModelError(
            "error.model_outside_bundle",
            model_id=model.id,
            path=model.file,
            command=model_rebuild_command(model),
        )
    return path


@functools.lru_cache(maxsize=512)
def _sha256_of_file_version(path: str, modified_ns: int, size_bytes: int) -> str:
    # The key holds mtime and size, so a file rewritten by a new export is hashed again.
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The file's SHA-256, hashed once per version of the file (its mtime and size)."""
    stat = path.stat()
    return _sha256_of_file_version(str(path), stat.st_mtime_ns, stat.st_size)


def model_file_status(bundle_directory: Path, model: ModelInfo) -> FileStatus:
    """Whether the model's file is there and is the one the manifest describes."""
    try:
        path = model_file_path(bundle_directory, model)
    except ModelError:
        return FileStatus.OUTSIDE
    try:
        digest = file_sha256(path)
    except OSError:  # absent, or unreadable (permissions): either way not usable
        return FileStatus.MISSING
    return FileStatus.OK if digest == model.sha256 else FileStatus.MISMATCH


def verified_model_path(bundle_directory: Path, model: ModelInfo) -> Path:
    """The model's file, checked against the manifest's SHA-256, or a ModelError saying why not.
    A head's encoder is checked too (first): the pair is only usable whole."""
    if model.encoder is not None:
        verified_model_path(bundle_directory, model.encoder)
    path = model_file_path(bundle_directory, model)
    command = model_rebuild_command(model)
    try:
        digest = file_sha256(path)
    except OSError as error:
        raise ModelError(
            "error.model_missing", model_id=model.id, path=model.file, command=command
        ) from error
    if digest != model.sha256:
        raise ModelError("error.model_mismatch", model_id=model.id, command=command)
    return path


# --- shipped test images ---------------------------------------------------------------------


def evaluation_file_path(bundle_directory: Path, dataset: DatasetInfo) -> Path | None:
    """Where the data set's test images are; None if not declared or outside the bundle."""
    if dataset.eval_file is None:
        return None
    path = (bundle_directory / dataset.eval_file).resolve()
    return path if path.is_relative_to(bundle_directory.resolve()) else None


def evaluation_file_status(bundle_directory: Path, dataset: DatasetInfo) -> FileStatus:
    """Whether the data set's test images are there and match the manifest's SHA-256."""
    if dataset.eval_file is None:
        return FileStatus.MISSING
    path = evaluation_file_path(bundle_directory, dataset)
    if path is None:
        return FileStatus.OUTSIDE
    try:
        digest = file_sha256(path)
    except OSError:
        return FileStatus.MISSING
    if dataset.eval_sha256 is not None and digest != dataset.eval_sha256.lower():
        return FileStatus.MISMATCH
    return FileStatus.OK


def load_evaluation_set(bundle_directory: Path, dataset: DatasetInfo) -> EvaluationSet:
    """The data set's fixed test split as shipped in the bundle, checked against its SHA-256."""
    path = evaluation_file_path(bundle_directory, dataset)
    shown_path = dataset.eval_file or f"data/{dataset.id}-test.npz"
    if path is None or not path.is_file():
        raise EvaluationDataError(
            "error.eval_missing", dataset=dataset.id, path=shown_path, command=FULL_STUDY_COMMAND
        )
    invalid = EvaluationDataError(
        "error.eval_invalid", dataset=dataset.id, path=shown_path, command=FULL_STUDY_COMMAND
    )
    try:
        if dataset.eval_sha256 is not None and file_sha256(path) != dataset.eval_sha256.lower():
            raise invalid
        # allow_pickle=False: a damaged or hostile file must not run code on load.
        with np.load(path, allow_pickle=False) as archive:
            images = np.asarray(archive["images"])  # (N, H, W) uint8
            labels = np.asarray(archive["labels"])  # (N,) int64
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise invalid from error
    well_formed = (
        images.dtype == np.uint8
        and np.issubdtype(labels.dtype, np.integer)
        and images.ndim == 3
        and labels.ndim == 1
        and 0 < len(labels) == len(images)
    )
    if not well_formed:
        raise invalid
    return EvaluationSet(images=images, labels=labels.astype(np.int64))
