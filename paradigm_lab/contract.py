"""The bundle contract: what exported_models/manifest.json holds, as typed models.

Training fills these models and dumps them (training/bundle_writer.py), the dashboard validates the file
with them (dashboard/core/bundle_reader.py), and docs/bundle_format.md is generated from their descriptions
(scripts/bundle_format_doc.py): one definition of the format instead of four. Torch-free, so the
dashboard imports it without the training dependencies.

Unknown fields: ignored on reading, refused on writing. A dashboard of last term must open a
bundle that a newer study wrote with one more field, so `validate_manifest` keeps the fields it
does not know (they survive a read-modify-write) and checks the ones it knows. The writer calls
it with ``strict=True`` before every write, which refuses any field the contract does not name:
a typo in a writer ("label_fration") fails the study at once instead of shipping a field nobody
reads. Free-form maps (a model's config, its metrics beyond the named ones, library versions)
are declared as such and are open in both modes.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

MANIFEST_FORMAT = 1

__all__ = [
    "LIST_ENTRY_TYPES",
    "MANIFEST_FORMAT",
    "ArtifactsEntry",
    "BundleManifest",
    "ColourPhoto",
    "ColourisationEntry",
    "ContractRuleError",
    "DatasetEntry",
    "FeatureMapEntry",
    "Gan2dRecordingEntry",
    "GanTimelineEntry",
    "ModelEntry",
    "ModelMetrics",
    "ParadigmEntry",
    "PseudoLabelDetailsEntry",
    "TensorSpec",
    "UnknownFieldError",
    "ValidationError",
    "first_error_field",
    "entry_to_json",
    "manifest_to_json",
    "validate_entry",
    "validate_manifest",
]


class ContractRuleError(ValueError):
    """A rule between fields is broken; ``field`` names the one to blame, relative to the entry."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


class UnknownFieldError(ValueError):
    """The writer put a field into the manifest that the contract does not name."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"{field}: not a field of the bundle contract (a typo in the writer?)")


class _Entry(BaseModel):
    # strict: a "3" where a number belongs, or true where an int belongs, is a malformed field,
    # as the hand-written reader had it. Ints are still accepted where a float belongs.
    # NaN stays NaN (json.dumps writes it so), rather than turning into null on the way out.
    model_config = ConfigDict(strict=True, extra="allow", ser_json_inf_nan="constants")
    # True for maps whose keys are free (metrics beyond the named ones): open even when writing.
    open_ended: ClassVar[bool] = False


def _fraction_in_range(value: float | None) -> float | None:
    if value is not None and not 0.0 < value <= 1.0:
        raise ValueError("a label fraction is in (0, 1]")
    return value


class TensorSpec(_Entry):
    """One input or output of an ONNX file, as ONNX Runtime names and shapes it."""

    name: str = Field(description="The ONNX input or output name (`image`, `features`, `logits`, `noise`...).")
    dtype: str = Field("float32", description="Element type as numpy spells it (`float32`, `int64`).")
    shape: list[int | str] = Field(
        description="Axis sizes; a string is a free axis named by the exporter (`batch`, `height`)."
    )
    range: list[float] | None = Field(
        None,
        description="[low, high] of the values the model expects or gives (images: [0, 1]); null when unbounded.",
    )

    @field_validator("range")
    @classmethod
    def _two_bounds(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and len(value) != 2:
            raise ValueError("a range is [low, high]")
        return value


class ParadigmEntry(_Entry):
    """One paradigm of the training registry (training/paradigms), in registry order."""

    id: str = Field(description="Paradigm id, also the page ids and text keys use it (`supervised`, `fixmatch`).")
    family: str = Field(description="`supervised`, `unsupervised`, `self_supervised`, `semi_supervised` or `gan`.")
    in_study: bool = Field(True, description="Whether it takes part in the label-fraction study (false: GANs that draw, the colouriser).")
    implemented: bool = Field(True, description="False for a planned paradigm, shown as coming.")
    ships_classifier: bool = Field(True, description="Whether its study points ship a classifier; false for a study paradigm whose rows measure another's encoder (a fine-tune: results rows only), and for paradigms outside the study.")


class DatasetEntry(_Entry):
    """A data set the study ran on, keyed by its id (`mnist5k`, `digits`), with its fixed split."""

    source: str = Field("", description="Where the images come from.")
    licence: str = Field("", description="The images' licence.")
    n_images: int | None = Field(None, description="Images in the data set (test split + validation split + pool).")
    n_test: int | None = Field(None, description="Images of the fixed test split.")
    n_validation: int | None = Field(None, description="Images of the fixed validation split: settings are chosen on it, nothing is trained on it (absent in bundles made before it existed).")
    n_pool: int | None = Field(None, description="Images of the training pool, labelled or not.")
    class_names: list[str] = Field(default_factory=list, description="Class names in output order (`0` ... `9`).")
    test_split_sha256: str | None = Field(None, description="Fingerprint of the test split and, after it, the validation split; a bundle made on another split is refused.")
    validation_sha256: str | None = Field(None, description="SHA-256 of the validation split's indices into the data set.")
    eval_file: str | None = Field(None, description="The shipped test images, npz (`images` (N, 28, 28) uint8, `labels` (N,) int64, `indices`).")
    eval_sha256: str | None = Field(None, description="SHA-256 of `eval_file`.")
    eval_size_bytes: int | None = Field(None, description="Size of `eval_file` in bytes.")
    pool_file: str | None = Field(None, description="The unlabelled pool, npz (`images`, `hidden_labels`, `order`, `indices`), for the class-labels page.")
    pool_sha256: str | None = Field(None, description="SHA-256 of `pool_file`.")
    pool_order: str | None = Field(None, description="What the pool file's `order` array is, in words.")
    pool_map_file: str | None = Field(None, description="2-D map of the pool, npz (`xy` float16, `pool_indices`), written with the first semi-supervised run.")
    pool_map_sha256: str | None = Field(None, description="SHA-256 of `pool_map_file`.")
    pool_map_method: str | None = Field(None, description="How the pool map was made, in words.")
    labelled_subsets: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Seed -> label fraction (`0.01`...`1`) -> fingerprint of the labelled subset that point trained on.",
    )


class ModelMetrics(_Entry):
    """What was measured on a model. Only `test_accuracy` is read by name; the other keys are free
    (pretext error, kNN accuracy, ONNX parity...) and shown as they are."""

    open_ended: ClassVar[bool] = True
    test_accuracy: float | None = Field(None, description="Accuracy on the fixed test split, in [0, 1] (classifiers).")
    onnx_parity_max_abs_diff: float | None = Field(None, description="Largest |ONNX Runtime - PyTorch| on a probe batch at export.")

    @field_validator("test_accuracy")
    @classmethod
    def _accuracy_in_range(cls, value: float | None) -> float | None:
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError("an accuracy is in [0, 1]")
        return value


class ColourPhoto(_Entry):
    """A photo the colouriser was trained or measured on; only validation and held-out photos ship."""

    role: str = Field(description="`train`, `validation` or `heldout`.")
    source: str = Field("", description="Who took it, where it comes from.")
    licence: str = Field("", description="Its licence.")
    file: str | None = Field(None, description="The shipped photo inside the bundle (absent for training photos).")


class ModelEntry(_Entry):
    """One ONNX file of the bundle and what the dashboard needs to use it.

    Every model has the common fields; the role decides which of the others it carries: a
    classifier its label fraction and test accuracy, a head its encoder, a pretext network its
    `pretext`, a generator its latent size, the colouriser its colour bins.
    """

    # Common to every model.
    id: str = Field(description="Unique model id, e.g. `supervised-mnist5k-001pct-seed0`.")
    paradigm: str = Field(description="Id of the paradigm that made it.")
    family: str | None = Field(None, description="The paradigm's family; taken from `paradigms` when absent.")
    role: str = Field(
        "classifier",
        description="`classifier`, `encoder`, `pretext_head`, `generator`, `discriminator` or `colouriser`.",
    )
    dataset: str | None = Field(None, description="Data set id (a key of `datasets`; `photos` for the colouriser).")
    seed: int | None = Field(None, description="Training seed.")
    file: str = Field(description="The ONNX file, relative to the bundle folder (`models/<id>.onnx`).")
    sha256: str = Field(description="SHA-256 of `file`, hex; the dashboard refuses a file that does not match.")
    size_bytes: int | None = Field(None, description="Size of `file` in bytes.")
    inputs: list[TensorSpec] = Field(default_factory=list, description="What the model takes (for a head with an encoder: what the pair takes).")
    outputs: list[TensorSpec] = Field(default_factory=list, description="What the model gives.")
    parameters: int | None = Field(None, description="Trainable parameters (for a head: encoder and head together).")
    train_seconds: float | None = Field(None, description="Wall-clock training time, seconds.")
    preprocessing: str | None = Field(None, description="What an input image must look like, in words.")
    config: dict[str, Any] = Field(default_factory=dict, description="The paradigm's hyper-parameters (its Config dataclass).")
    config_hash: str | None = Field(None, description="12 hex digits of the config's SHA-256; a changed config means retraining.")
    metrics: ModelMetrics = Field(default_factory=lambda: ModelMetrics.model_validate({}), description="What was measured on it.")
    versions: dict[str, str] = Field(default_factory=dict, description="Library versions at export (python, torch, onnx, onnxruntime, numpy).")
    created_at: str | None = Field(None, description="Export time, UTC, ISO 8601.")
    # Classifiers.
    label_fraction: float | None = Field(None, description="Share of the pool's labels it trained with, in (0, 1].")
    n_labels: int | None = Field(None, description="Number of labelled images it trained with.")
    class_names: list[str] = Field(default_factory=list, description="Names of its outputs' classes, in order.")
    encoder: str | None = Field(None, description="For a head (features -> logits): the id of the encoder that runs first.")
    head_inputs: list[TensorSpec] | None = Field(None, description="For a head: the head file's own input (the encoder's output).")
    # Pretext networks.
    pretext: dict[str, Any] = Field(default_factory=dict, description="What a pretext network's page needs to make its inputs (task, grid, frames...).")
    loss_history: list[list[float]] | None = Field(None, description="[step, loss] pairs of the pretext training.")
    # Generators and discriminators.
    latent_dim: int | None = Field(None, description="Size of a generator's noise vector.")
    noise: str | None = Field(None, description="The noise's distribution, in words.")
    timeline: str | None = Field(None, description="The GAN's timeline file (see `gan_timelines`).")
    # The colouriser.
    colour_space: dict[str, str] | None = Field(None, description="The colour space of input and output, in words.")
    ab_bins: list[list[float]] | None = Field(None, description="The (a, b) colour of each output bin, CIELAB; at least 2 bins.")
    temperature: float | None = Field(None, description="Softmax temperature used to read the bins' mean colour.")
    temperature_trials: list[dict[str, float]] = Field(default_factory=list, description="Temperatures tried on the validation photos and their mean colour errors.")
    max_side: int | None = Field(None, description="Longest side, pixels, a photo is shrunk to.")
    size_multiple: int | None = Field(None, description="Both sides are cut to a multiple of this.")
    output_stride: int | None = Field(None, description="The output has one answer per square of this side.")
    photos: dict[str, ColourPhoto] = Field(default_factory=dict, description="Photo name -> the colouriser's training and test photos.")

    @field_validator("label_fraction")
    @classmethod
    def _fraction(cls, value: float | None) -> float | None:
        return _fraction_in_range(value)

    @model_validator(mode="after")
    def _role_fields(self) -> "ModelEntry":
        if self.role == "colouriser":
            for name in ("ab_bins", "temperature", "max_side", "size_multiple", "output_stride"):
                if getattr(self, name) is None:
                    raise ContractRuleError(name, "a colouriser needs it")
            assert self.ab_bins is not None
            if len(self.ab_bins) < 2 or any(len(pair) != 2 for pair in self.ab_bins):
                raise ContractRuleError("ab_bins", "at least two (a, b) pairs")
        if self.encoder is not None and self.encoder == self.id:
            raise ContractRuleError("encoder", "a head cannot be its own encoder")
        return self


class PseudoLabelDetailsEntry(_Entry):
    """The pseudo-label log of one shipped semi-supervised run (npz: what its model believed about
    the unlabelled pool, round by round). Its id is the id of the classifier the run produced."""

    id: str = Field(description="The id of the run's classifier.")
    paradigm: str = Field(description="Paradigm id.")
    dataset: str = Field(description="Data set id.")
    label_fraction: float = Field(description="Share of the pool's labels, in (0, 1).")
    seed: int = Field(description="Training seed.")
    config_hash: str | None = Field(None, description="The run's config hash.")
    file: str = Field(description="The npz (`steps`, `thresholds`, `guesses`, `confidence`, positions, samples, mistakes).")
    sha256: str = Field(description="SHA-256 of `file`.")
    size_bytes: int | None = Field(None, description="Size of `file` in bytes.")

    @field_validator("label_fraction")
    @classmethod
    def _fraction(cls, value: float) -> float:
        return _fraction_in_range(value)  # type: ignore[return-value]


class FeatureMapEntry(_Entry):
    """A 2-D map of the test digits in one feature space, rows in the evaluation file's order."""

    id: str = Field(description="`<source>-<dataset>`.")
    source: str = Field(description="A paradigm id, or `raw_pixels` / `untrained_encoder`.")
    dataset: str = Field(description="Data set id.")
    file: str = Field(description="The npz of the map.")
    sha256: str = Field(description="SHA-256 of `file`.")
    size_bytes: int | None = Field(None, description="Size of `file` in bytes.")
    knn_accuracy: float | None = Field(None, description="Accuracy, in [0, 1], of a k-nearest-neighbour vote in this space (pool -> test).")
    knn_k: int | None = Field(None, description="k of that vote.")
    method: str = Field("", description="How the map was made, in words.")
    created_at: str | None = Field(None, description="When, UTC, ISO 8601.")


class GanTimelineEntry(_Entry):
    """What a digit GAN's training left for the GAN page: its generator's output on fixed noise at
    checkpoints (npz) and its losses step by step (csv)."""

    id: str = Field(description="`<paradigm>-<dataset>-seed<seed>`.")
    paradigm: str = Field(description="Paradigm id.")
    family: str | None = Field(None, description="`gan`.")
    dataset: str = Field(description="Data set id.")
    seed: int | None = Field(None, description="Training seed.")
    config_hash: str | None = Field(None, description="The run's config hash.")
    generator: str = Field(description="Id of the generator model it belongs to.")
    file: str = Field(description="The timeline npz.")
    losses_file: str = Field(description="The losses csv.")
    checkpoint_steps: list[int] = Field(default_factory=list, description="Training steps of the timeline's checkpoints.")
    early_step: int | None = Field(None, description="The checkpoint the page shows as 'early'.")
    fixed_noise_seed: int | None = Field(None, description="Seed of the fixed noise batch.")
    train_seconds: float | None = Field(None, description="Training time, seconds.")
    sha256: dict[str, str] = Field(default_factory=dict, description="File -> its SHA-256, for `file` and `losses_file`.")
    size_bytes: int | None = Field(None, description="Both files' size, bytes.")
    created_at: str | None = Field(None, description="When, UTC, ISO 8601.")


class Gan2dRecordingEntry(_Entry):
    """The 2-D GAN's recorded training: points in the plane, the discriminator's verdict on a grid
    and the generator's push, at every recorded moment."""

    id: str = Field(description="`gan_2d-seed<seed>`.")
    paradigm: str = Field(description="`gan_2d`.")
    family: str | None = Field(None, description="`gan`.")
    seed: int | None = Field(None, description="Training seed.")
    config: dict[str, Any] = Field(default_factory=dict, description="Its hyper-parameters.")
    config_hash: str | None = Field(None, description="The config hash.")
    file: str = Field(description="The recording npz.")
    train_seconds: float | None = Field(None, description="Training time, seconds.")
    moments: int | None = Field(None, description="Recorded moments.")
    grid_size: int | None = Field(None, description="Side of the discriminator's grid, cells.")
    ring_radius: float | None = Field(None, description="Radius of the ring the real points lie on.")
    mean_distance_to_ring: dict[str, float] = Field(default_factory=dict, description="`first` and `last`: fakes' mean distance to the ring.")
    sha256: dict[str, str] = Field(default_factory=dict, description="File -> its SHA-256.")
    size_bytes: int | None = Field(None, description="Size of `file` in bytes.")
    created_at: str | None = Field(None, description="When, UTC, ISO 8601.")


class ColourisationEntry(_Entry):
    """The files the colouriser shipped with: its held-out and validation photos and its losses."""

    id: str = Field(description="`colourisation-photos-seed<seed>`.")
    paradigm: str = Field(description="`colourisation`.")
    family: str | None = Field(None, description="`self_supervised`.")
    dataset: str | None = Field(None, description="`photos`.")
    seed: int | None = Field(None, description="Training seed.")
    config_hash: str | None = Field(None, description="The config hash.")
    colouriser: str = Field(description="Id of the colouriser model.")
    photos: list[str] = Field(default_factory=list, description="The shipped photos.")
    losses_file: str | None = Field(None, description="The losses csv.")
    train_seconds: float | None = Field(None, description="Training time, seconds.")
    sha256: dict[str, str] = Field(default_factory=dict, description="File -> its SHA-256, photos and losses.")
    size_bytes: int | None = Field(None, description="All files' size, bytes.")
    created_at: str | None = Field(None, description="When, UTC, ISO 8601.")


class ArtifactsEntry(_Entry):
    """Written last for a paradigm that is not a label-fraction classifier: its files are all in
    place. The study counts it done when every file here still has its SHA-256 (resume)."""

    id: str = Field(description="`<paradigm>-<dataset>-seed<seed>`.")
    paradigm: str = Field(description="Paradigm id.")
    dataset: str = Field(description="Data set id of the run.")
    seed: int = Field(description="Training seed.")
    config_hash: str = Field(description="The config hash; another config means retraining.")
    files: dict[str, str] = Field(description="File -> its SHA-256, every file the paradigm shipped.")
    seconds: float | None = Field(None, description="Time taken, seconds.")
    finished_at: str | None = Field(None, description="When, UTC, ISO 8601.")


class BundleManifest(_Entry):
    """exported_models/manifest.json: everything in the bundle and what it means."""

    format: int = Field(description=f"Format version; this contract reads and writes {MANIFEST_FORMAT}.")
    updated_at: str = Field("", description="Last write, UTC, ISO 8601.")
    paradigms: list[ParadigmEntry] = Field(description="The registry's paradigms, in registry order.")
    datasets: dict[str, DatasetEntry] = Field(default_factory=dict, description="Data set id -> the data set.")
    models: list[ModelEntry] = Field(description="Every ONNX file, sorted by paradigm, role, data set, fraction, id.")
    pseudo_label_details: list[PseudoLabelDetailsEntry] = Field(default_factory=list, description="Pseudo-label logs of the shipped semi-supervised runs.")
    feature_maps: list[FeatureMapEntry] = Field(default_factory=list, description="2-D maps of the test digits in feature spaces.")
    gan_timelines: list[GanTimelineEntry] = Field(default_factory=list, description="Digit GANs' timelines and losses.")
    gan_2d_recordings: list[Gan2dRecordingEntry] = Field(default_factory=list, description="The 2-D GAN's recorded training.")
    colourisation: list[ColourisationEntry] = Field(default_factory=list, description="The colouriser's shipped photos and losses.")
    artifacts: list[ArtifactsEntry] = Field(default_factory=list, description="Completion records of the paradigms that are not label-fraction classifiers.")

    @model_validator(mode="after")
    def _cross_references(self) -> "BundleManifest":
        for name in ("models", "pseudo_label_details", "feature_maps", "gan_timelines", "gan_2d_recordings",
                     "colourisation", "artifacts"):
            seen: set[str] = set()
            for index, entry in enumerate(getattr(self, name)):
                if entry.id in seen:
                    raise ContractRuleError(f"{name}[{index}].id", f"the id {entry.id!r} is listed twice")
                seen.add(entry.id)
        known_paradigms = {paradigm.id for paradigm in self.paradigms}
        for index, model in enumerate(self.models):
            if model.paradigm not in known_paradigms:
                raise ContractRuleError(f"models[{index}].paradigm", f"{model.paradigm!r} is not in `paradigms`")
        return self


def _field_path(location: tuple[int | str, ...]) -> str:
    """('models', 1, 'sha256') -> 'models[1].sha256', as a teacher reads it in the file."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def first_error_field(error: ValidationError, raw: object) -> str:
    """The first bad field of a failed validation of ``raw``, as a path into the JSON
    ("(root)" for the whole file)."""
    first = error.errors()[0]
    # Follow the location into the JSON itself: pydantic appends the names of a union's members
    # ('shape', 0, 'str'), which are no keys of the file.
    kept: list[int | str] = []
    value = raw
    for position, part in enumerate(first["loc"]):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        elif not (isinstance(value, dict) and position == len(first["loc"]) - 1):
            break  # a key that is absent is kept only as the last one: the missing field
        kept.append(part)
    path = _field_path(tuple(kept))
    rule = first.get("ctx", {}).get("error")
    if isinstance(rule, (ContractRuleError, UnknownFieldError)):
        path = f"{path}.{rule.field}" if path else rule.field
    return path or "(root)"


def _unknown_fields(model: BaseModel, path: str) -> str | None:
    """The first field the contract does not name, in a validated manifest (depth first)."""
    if not getattr(model, "open_ended", False) and model.model_extra:
        return _join(path, next(iter(model.model_extra)))
    for name in type(model).model_fields:
        value = getattr(model, name)
        children: list[tuple[str, object]]
        if isinstance(value, BaseModel):
            children = [(_join(path, name), value)]
        elif isinstance(value, list):
            children = [(f"{_join(path, name)}[{index}]", item) for index, item in enumerate(value)]
        elif isinstance(value, dict):
            children = [(_join(path, f"{name}.{key}"), item) for key, item in value.items()]
        else:
            continue
        for child_path, child in children:
            if isinstance(child, BaseModel):
                found = _unknown_fields(child, child_path)
                if found:
                    return found
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def validate_manifest(raw: object, *, strict: bool = False) -> BundleManifest:
    """The manifest as typed models, or a ValidationError whose `first_error_field` names the
    field. ``strict`` (the writer) also refuses fields the contract does not name."""
    manifest = BundleManifest.model_validate(raw)
    if strict:
        unknown = _unknown_fields(manifest, "")
        if unknown:
            raise ValidationError.from_exception_data(
                "BundleManifest",
                [{"type": "value_error", "loc": (), "input": raw, "ctx": {"error": UnknownFieldError(unknown)}}],
            )
    return manifest


def _mark_changed_fields_set(model: BaseModel) -> None:
    """Count as set every field that no longer holds its default: a list appended to in place
    (``manifest.models.append(...)``) is written, though pydantic saw no assignment."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if name not in model.model_fields_set:
            default = field.get_default(call_default_factory=True)
            if value != default:
                model.model_fields_set.add(name)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, BaseModel):
                _mark_changed_fields_set(child)


def manifest_to_json(manifest: BundleManifest) -> dict:
    """The JSON object to write: the fields that were set or changed (so an absent field stays
    absent and the file reads as before), unknown fields of a newer writer kept."""
    _mark_changed_fields_set(manifest)
    return manifest.model_dump(mode="json", exclude_unset=True)


EntryT = TypeVar("EntryT", bound=_Entry)


def validate_entry(entry_type: type[EntryT], raw: object) -> EntryT:
    """One entry as the writer hands it over, checked as strictly as `validate_manifest(strict=True)`
    checks a whole manifest: a field the contract does not name is refused at once."""
    entry = entry_type.model_validate(raw)
    unknown = _unknown_fields(entry, "")
    if unknown:
        raise ValidationError.from_exception_data(
            entry_type.__name__,
            [{"type": "value_error", "loc": (), "input": raw, "ctx": {"error": UnknownFieldError(unknown)}}],
        )
    return entry


def entry_to_json(entry: _Entry) -> dict:
    """One entry as JSON: the fields that were set, as `manifest_to_json` writes them."""
    _mark_changed_fields_set(entry)
    return entry.model_dump(mode="json", exclude_unset=True)


# The manifest's lists of entries other than `models`, by name, with the type of their entries.
LIST_ENTRY_TYPES: dict[str, type[_Entry]] = {
    "pseudo_label_details": PseudoLabelDetailsEntry,
    "feature_maps": FeatureMapEntry,
    "gan_timelines": GanTimelineEntry,
    "gan_2d_recordings": Gan2dRecordingEntry,
    "colourisation": ColourisationEntry,
    "artifacts": ArtifactsEntry,
}
