"""Reading the bundle that training/ writes (docs/bundle_format.md): manifest, results, files.

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
from paradigm_lab import contract
from paradigm_lab.colour import ColouriserSpec

BUNDLE_ENVIRONMENT_VARIABLE = "PARADIGM_LAB_BUNDLE"
# exported_models/ beside the dashboard package: the repository's in a clone, the copy that the
# wheel installs in site-packages otherwise (pyproject.toml).
DEFAULT_BUNDLE_DIRECTORY = Path(__file__).resolve().parents[2] / "exported_models"
MANIFEST_FILE = "manifest.json"
RESULTS_FILE = "results.csv"
SUPPORTED_MANIFEST_FORMAT = contract.MANIFEST_FORMAT

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
    ships_classifier: bool = True  # false: its study rows are results only (a fine-tune)


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
#
# paradigm_lab/contract.py checks the JSON (types, ranges, the rules between fields); what follows
# only turns the validated models into the frozen records the pages use.


def _tensor_specs(specs: list[contract.TensorSpec]) -> tuple[TensorSpec, ...]:
    return tuple(
        TensorSpec(
            name=spec.name,
            dtype=spec.dtype,
            shape=tuple(spec.shape),
            value_range=(float(spec.range[0]), float(spec.range[1])) if spec.range is not None else None,
        )
        for spec in specs
    )


def _dataset_info(dataset_id: str, entry: contract.DatasetEntry) -> DatasetInfo:
    return DatasetInfo(
        id=dataset_id,
        source=entry.source,
        licence=entry.licence,
        n_images=entry.n_images,
        n_test=entry.n_test,
        n_pool=entry.n_pool,
        class_names=tuple(entry.class_names),
        eval_file=entry.eval_file,
        eval_sha256=entry.eval_sha256,
        pool_map_file=entry.pool_map_file,
        pool_map_sha256=entry.pool_map_sha256,
        pool_file=entry.pool_file,
        pool_sha256=entry.pool_sha256,
    )


def _model_info(entry: contract.ModelEntry, families: dict[str, str]) -> ModelInfo:
    return ModelInfo(
        id=entry.id,
        paradigm=entry.paradigm,
        family=entry.family if entry.family is not None else families.get(entry.paradigm, ""),
        role=entry.role,
        dataset=entry.dataset,
        label_fraction=entry.label_fraction,
        n_labels=entry.n_labels,
        seed=entry.seed,
        file=entry.file,
        size_bytes=entry.size_bytes,
        sha256=entry.sha256.lower(),
        inputs=_tensor_specs(entry.inputs),
        outputs=_tensor_specs(entry.outputs),
        class_names=tuple(entry.class_names),
        test_accuracy=entry.metrics.test_accuracy,
        parameters=entry.parameters,
        train_seconds=entry.train_seconds,
        # As written: the pages show every measure, the named ones and the free ones.
        metrics=entry.metrics.model_dump(exclude_unset=True),
        pretext=entry.pretext,
    )


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


def _feature_map_info(entry: contract.FeatureMapEntry) -> FeatureMapInfo:
    return FeatureMapInfo(
        id=entry.id, source=entry.source, dataset=entry.dataset, file=entry.file,
        sha256=entry.sha256.lower(), knn_accuracy=entry.knn_accuracy, knn_k=entry.knn_k, method=entry.method,
    )


def _pseudo_label_details_info(entry: contract.PseudoLabelDetailsEntry) -> PseudoLabelDetailsInfo:
    return PseudoLabelDetailsInfo(
        id=entry.id, paradigm=entry.paradigm, dataset=entry.dataset, label_fraction=entry.label_fraction,
        seed=entry.seed, file=entry.file, sha256=entry.sha256.lower(), size_bytes=entry.size_bytes,
    )


def _gan_timeline_info(entry: contract.GanTimelineEntry) -> GanTimelineInfo:
    digests = {name: digest.lower() for name, digest in entry.sha256.items()}
    return GanTimelineInfo(
        id=entry.id, paradigm=entry.paradigm, dataset=entry.dataset, seed=entry.seed,
        generator=entry.generator, file=entry.file, losses_file=entry.losses_file,
        file_sha256=digests.get(entry.file), losses_sha256=digests.get(entry.losses_file),
        early_step=entry.early_step, fixed_noise_seed=entry.fixed_noise_seed,
    )


def _gan_2d_recording_info(entry: contract.Gan2dRecordingEntry) -> Gan2dRecordingInfo:
    digest = entry.sha256.get(entry.file)
    return Gan2dRecordingInfo(
        id=entry.id, paradigm=entry.paradigm, seed=entry.seed, file=entry.file,
        sha256=digest.lower() if digest is not None else None,
        size_bytes=entry.size_bytes, train_seconds=entry.train_seconds,
    )


def _colouriser_info(entry: contract.ModelEntry, shipped_files: dict[str, str]) -> ColouriserInfo:
    """A model entry with the role "colouriser" (the contract checked its bins and sizes), with
    the SHA-256 of the photos and losses it shipped with."""
    assert entry.ab_bins is not None and entry.temperature is not None  # the contract's rule
    assert entry.max_side is not None and entry.size_multiple is not None and entry.output_stride is not None
    spec = ColouriserSpec(
        model_id=entry.id, ab_bins=np.asarray(entry.ab_bins, dtype=np.float32),
        temperature=float(entry.temperature), max_side=entry.max_side, size_multiple=entry.size_multiple,
        output_stride=entry.output_stride,
        input_name=entry.inputs[0].name if entry.inputs else "lightness",
        output_name=entry.outputs[0].name if entry.outputs else "logits",
    )
    photos = tuple(
        ColourPhotoInfo(
            name=name, role=photo.role, source=photo.source, licence=photo.licence, file=photo.file,
            sha256=shipped_files.get(photo.file) if photo.file else None,
        )
        for name, photo in entry.photos.items()
    )
    losses_file = next((name for name in shipped_files if name.endswith("losses.csv")), None)
    return ColouriserInfo(model_id=entry.id, spec=spec, photos=photos,
                          temperature_trials=tuple(entry.temperature_trials),
                          losses_file=losses_file,
                          losses_sha256=shipped_files.get(losses_file) if losses_file else None)


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

    invalid = functools.partial(
        ManifestError, "error.manifest_invalid", path=str(path), command=FULL_STUDY_COMMAND)
    if not isinstance(raw, dict):
        raise invalid(field="(root)")
    # The format first: a bundle of another format is told as such, not as its first field that
    # this contract reads differently.
    manifest_format = raw.get("format")
    if not isinstance(manifest_format, int) or isinstance(manifest_format, bool):
        raise invalid(field="format")
    if manifest_format != SUPPORTED_MANIFEST_FORMAT:
        raise ManifestError(
            "error.manifest_format",
            path=str(path),
            found=manifest_format,
            expected=SUPPORTED_MANIFEST_FORMAT,
            command=FULL_STUDY_COMMAND,
        )
    try:
        parsed = contract.validate_manifest(raw)
    except contract.ValidationError as error:
        # Never the validation report itself: the teacher gets the file and the first bad field.
        raise invalid(field=contract.first_error_field(error, raw)) from None

    families = {paradigm.id: paradigm.family for paradigm in parsed.paradigms}
    models = _with_encoders(
        tuple(_model_info(entry, families) for entry in parsed.models),
        [entry.encoder for entry in parsed.models],
    )
    colourisation_files = {
        entry.colouriser: {name: digest.lower() for name, digest in entry.sha256.items()}
        for entry in parsed.colourisation
    }
    return Manifest(
        bundle_directory=bundle_directory,
        format=parsed.format,
        updated_at=parsed.updated_at,
        paradigms=tuple(
            ParadigmInfo(id=p.id, family=p.family, in_study=p.in_study, implemented=p.implemented,
                         ships_classifier=p.ships_classifier)
            for p in parsed.paradigms
        ),
        datasets=tuple(_dataset_info(dataset_id, entry) for dataset_id, entry in parsed.datasets.items()),
        models=models,
        pseudo_label_details=tuple(_pseudo_label_details_info(entry) for entry in parsed.pseudo_label_details),
        feature_maps=tuple(_feature_map_info(entry) for entry in parsed.feature_maps),
        gan_timelines=tuple(_gan_timeline_info(entry) for entry in parsed.gan_timelines),
        gan_2d_recordings=tuple(_gan_2d_recording_info(entry) for entry in parsed.gan_2d_recordings),
        colourisers=tuple(
            _colouriser_info(entry, colourisation_files.get(entry.id, {}))
            for entry in parsed.models if entry.role == "colouriser"
        ),
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
