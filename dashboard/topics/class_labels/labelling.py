"""The class-labels page's logic: the class labels digits of the unlabelled pool, and every
feature source learns from those labels at once. Nothing here imports streamlit or torch.

Two halves:

- `LabelStore`, the class's labels in one SQLite file (WAL mode, every write in a transaction),
  shared by every session and every server process on the machine. A class is a short code; a
  label is a digit given to a pool digit (or to a drawing) by an anonymous labeller token. Two
  labellers who disagree are both kept; `ClassLabels.resolved` settles each digit by majority.
  Whatever goes wrong with the file (locked, read-only, corrupt, missing folder) is raised as a
  `LabelStoreError` that a page turns into a sentence; a corrupt file is never overwritten.
- `LearningBench`, what learns from the labels without PyTorch: for raw pixels and for every
  shipped pretrained encoder (run through ONNX Runtime), a logistic regression fitted on the
  labelled digits and scored on the bundled test set (`probe_accuracies`), and label spreading
  over the whole pool in the same feature space (`spreading_accuracies`). The test set's and the
  pool's features are computed once per bundle and process.

The probe's settings are fixed in advance, not tuned: scikit-learn's LogisticRegression defaults
(C = 1, L2), encoder features standardised with the pool's mean and spread (unlabelled digits,
so no label is read), raw pixels left in [0, 1]. Label spreading uses the study's own settings
for its label-spreading paradigm (kNN graph, 10 neighbours, alpha 0.2, 30 steps).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
import time
import warnings
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from dashboard.core.bundle_reader import (
    BundleError,
    DatasetInfo,
    EvaluationDataError,
    Manifest,
    ModelInfo,
    file_sha256,
    load_evaluation_set,
    load_manifest,
    locate_bundle,
    verified_model_path,
)
from dashboard.core.i18n import t
from dashboard.core.inference import create_session, release_freed_memory, scale_to_model_input

# --- where the labels live ---------------------------------------------------------------------

DATA_ENVIRONMENT_VARIABLE = "PARADIGM_LAB_DATA"
DATABASE_FILE = "class_labels.sqlite3"
# Letters that cannot be mistaken for one another on a projector (no I, O, 0, 1).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 4
# A digit handed to one labeller is not handed to another for this long: students labelling at
# once get different digits, and a digit someone left unanswered comes back later.
RESERVATION_SECONDS = 90.0
# How long a write waits for another process's transaction before saying the book is busy.
BUSY_TIMEOUT_SECONDS = 5.0
IMAGE_SIDE = 28


def data_directory() -> Path:
    """The folder of the class-labels database: $PARADIGM_LAB_DATA, else ~/.paradigm-lab."""
    configured = os.environ.get(DATA_ENVIRONMENT_VARIABLE, "").strip()
    return Path(configured).expanduser() if configured else Path.home() / ".paradigm-lab"


def database_path() -> Path:
    return data_directory() / DATABASE_FILE


class LabelStoreError(Exception):
    """A problem with the class's labels that a user can meet, told by a translation key."""

    def __init__(self, message_key: str, **params: object) -> None:
        self.message_key = message_key
        self.params = params
        super().__init__(t(message_key, "en", **params))

    def message(self, language: str) -> str:
        return t(self.message_key, language, **self.params)


def normalise_code(text: object) -> str:
    """A class code as typed ("  kmpt ") -> "KMPT", or a LabelStoreError for anything else."""
    code = str(text or "").strip().upper()
    if len(code) != CODE_LENGTH or any(letter not in CODE_ALPHABET for letter in code):
        raise LabelStoreError("class_labels.error.bad_code", code=str(text or "")[:20])
    return code


def checked_digit(value: object) -> int:
    """A label must be one digit, 0 to 9 (as an int or its text); else a LabelStoreError."""
    text = str(value).strip()
    if len(text) != 1 or text not in "0123456789":  # not isdigit(): "٣" and "²" are digits too
        raise LabelStoreError("class_labels.error.not_a_digit", value=text[:20])
    return int(text)


@dataclass(frozen=True)
class GivenLabel:
    """One label as a labeller gave it: on a pool digit (`pool_position`) or on a drawing."""

    id: int
    pool_position: int | None
    drawing: bytes | None  # 28 x 28 uint8, white ink on black
    label: int
    labeller: str
    given_at: float


@dataclass(frozen=True)
class ResolvedDigit:
    """A digit the class labelled, settled by majority (ties: the label given first)."""

    pool_position: int | None  # None for a drawing
    drawing_id: int | None
    label: int
    votes: dict[int, int]
    first_given_at: float

    @property
    def disputed(self) -> bool:
        return len(self.votes) > 1


@dataclass(frozen=True)
class ClassLabels:
    code: str
    given: tuple[GivenLabel, ...]

    def resolved(self) -> list[ResolvedDigit]:
        """Each labelled digit once, in the order the class first labelled it."""
        groups: dict[tuple, list[GivenLabel]] = {}
        for label in self.given:  # given in id order, so each group's first label comes first
            key = ("pool", label.pool_position) if label.pool_position is not None else ("drawing", label.id)
            groups.setdefault(key, []).append(label)
        digits = []
        for (kind, number), labels in groups.items():
            votes: dict[int, int] = {}
            for label in labels:
                votes[label.label] = votes.get(label.label, 0) + 1
            best = max(votes.values())
            winner = next(label.label for label in labels if votes[label.label] == best)
            digits.append(ResolvedDigit(
                pool_position=number if kind == "pool" else None,
                drawing_id=number if kind == "drawing" else None,
                label=winner, votes=votes, first_given_at=labels[0].given_at,
            ))
        return sorted(digits, key=lambda digit: digit.first_given_at)


class LabelStore:
    """The class-labels database. Each call opens its own connection: Streamlit runs sessions
    in threads and the page may run in several processes, and SQLite's own locking (WAL) keeps
    them all consistent."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else database_path()

    # -- connection and errors

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LabelStoreError("class_labels.error.unreachable", path=str(self.path.parent)) from error
        try:
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as error:
            raise self._translated(error) from error
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(
                """
                CREATE TABLE IF NOT EXISTS classes (
                    code TEXT PRIMARY KEY,
                    created_at REAL NOT NULL
                );
                CREATE TABLE IF NOT EXISTS labels (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    class_code TEXT NOT NULL REFERENCES classes(code),
                    pool_position INTEGER,
                    drawing BLOB,
                    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
                    labeller TEXT NOT NULL,
                    given_at REAL NOT NULL,
                    CHECK ((pool_position IS NULL) != (drawing IS NULL))
                );
                CREATE INDEX IF NOT EXISTS labels_by_class ON labels (class_code, id);
                CREATE TABLE IF NOT EXISTS reservations (
                    class_code TEXT NOT NULL,
                    pool_position INTEGER NOT NULL,
                    labeller TEXT NOT NULL,
                    reserved_at REAL NOT NULL,
                    PRIMARY KEY (class_code, pool_position)
                );
                """
            )
        except sqlite3.Error as error:
            connection.close()
            raise self._translated(error) from error
        return connection

    def _translated(self, error: sqlite3.Error) -> LabelStoreError:
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return LabelStoreError("class_labels.error.locked")
        if "readonly" in text or "read-only" in text:
            return LabelStoreError("class_labels.error.read_only", path=str(self.path))
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
            return LabelStoreError("class_labels.error.corrupt", path=str(self.path))
        if "malformed" in text or "not a database" in text:
            return LabelStoreError("class_labels.error.corrupt", path=str(self.path))
        return LabelStoreError("class_labels.error.unreachable", path=str(self.path))

    def _run(self, work, *, write: bool):
        """Run `work(connection)` in one transaction (IMMEDIATE for a write, so two writers
        queue instead of failing half-way) and translate SQLite's errors into sentences."""
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            result = work(connection)
            connection.execute("COMMIT")
            return result
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise self._translated(error) from error
        finally:
            connection.close()

    # -- classes

    def create_class(self) -> str:
        """A new class with a code nobody else uses."""
        def create(connection: sqlite3.Connection) -> str:
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if connection.execute("SELECT 1 FROM classes WHERE code = ?", (code,)).fetchone() is None:
                    connection.execute("INSERT INTO classes VALUES (?, ?)", (code, time.time()))
                    return code

        return self._run(create, write=True)

    def class_exists(self, code: str) -> bool:
        return self._run(
            lambda c: c.execute("SELECT 1 FROM classes WHERE code = ?", (code,)).fetchone() is not None,
            write=False,
        )

    def require_class(self, text: object) -> str:
        """The class code typed, normalised, if that class exists; else a LabelStoreError."""
        code = normalise_code(text)
        if not self.class_exists(code):
            raise LabelStoreError("class_labels.error.no_such_class", code=code)
        return code

    def clear_class(self, code: str) -> int:
        """Delete every label of the class (the teacher's choice); the code stays valid."""
        def clear(connection: sqlite3.Connection) -> int:
            connection.execute("DELETE FROM reservations WHERE class_code = ?", (code,))
            return connection.execute("DELETE FROM labels WHERE class_code = ?", (code,)).rowcount

        return self._run(clear, write=True)

    # -- labels

    def add_label(self, code: str, labeller: str, pool_position: int, label: object) -> None:
        digit = checked_digit(label)

        def add(connection: sqlite3.Connection) -> None:
            self._check_class(connection, code)
            connection.execute(
                "INSERT INTO labels (class_code, pool_position, label, labeller, given_at) VALUES (?, ?, ?, ?, ?)",
                (code, int(pool_position), digit, labeller, time.time()),
            )
            connection.execute(
                "DELETE FROM reservations WHERE class_code = ? AND pool_position = ?", (code, int(pool_position))
            )

        self._run(add, write=True)

    def add_drawing(self, code: str, labeller: str, image: np.ndarray, label: object) -> None:
        """A drawing (28 x 28, white ink on black, floats in [0, 1] or uint8) with its label."""
        digit = checked_digit(label)
        pixels = np.asarray(image)
        if pixels.shape != (IMAGE_SIDE, IMAGE_SIDE):
            raise LabelStoreError("class_labels.error.bad_drawing")
        if pixels.dtype != np.uint8:
            pixels = np.clip(np.rint(pixels.astype(np.float32) * 255), 0, 255).astype(np.uint8)

        def add(connection: sqlite3.Connection) -> None:
            self._check_class(connection, code)
            connection.execute(
                "INSERT INTO labels (class_code, drawing, label, labeller, given_at) VALUES (?, ?, ?, ?, ?)",
                (code, pixels.tobytes(), digit, labeller, time.time()),
            )

        self._run(add, write=True)

    def class_labels(self, code: str) -> ClassLabels:
        rows = self._run(
            lambda c: c.execute(
                "SELECT id, pool_position, drawing, label, labeller, given_at FROM labels "
                "WHERE class_code = ? ORDER BY id", (code,)
            ).fetchall(),
            write=False,
        )
        return ClassLabels(code, tuple(GivenLabel(*row) for row in rows))

    def next_digits(self, code: str, labeller: str, order: np.ndarray, count: int,
                    second_opinion: bool = False) -> list[int]:
        """The pool positions this labeller should label next, `count` of them, reserved for
        them. In the pool's labelling order: digits nobody labelled and nobody else holds; with
        `second_opinion`, digits classmates labelled once that this labeller has not seen."""
        def choose(connection: sqlite3.Connection) -> list[int]:
            self._check_class(connection, code)
            now = time.time()
            connection.execute("DELETE FROM reservations WHERE reserved_at < ?", (now - RESERVATION_SECONDS,))
            counts = dict(connection.execute(
                "SELECT pool_position, COUNT(*) FROM labels WHERE class_code = ? AND pool_position IS NOT NULL "
                "GROUP BY pool_position", (code,)).fetchall())
            mine = {row[0] for row in connection.execute(
                "SELECT pool_position FROM labels WHERE class_code = ? AND labeller = ? AND pool_position IS NOT NULL",
                (code, labeller))}
            held = dict(connection.execute(
                "SELECT pool_position, labeller FROM reservations WHERE class_code = ?", (code,)).fetchall())
            wanted = 1 if second_opinion else 0  # labels a digit must already have

            def open_to_me(position: int) -> bool:
                return position not in mine and counts.get(position, 0) == wanted

            # The digits already held for this labeller first: a rerun shows the same digit.
            chosen = [int(p) for p in order if held.get(int(p)) == labeller and open_to_me(int(p))][:count]
            for position in (int(p) for p in order):
                if len(chosen) >= count:
                    break
                if position not in chosen and held.get(position, labeller) == labeller and open_to_me(position):
                    chosen.append(position)
            connection.executemany(
                "INSERT OR REPLACE INTO reservations VALUES (?, ?, ?, ?)",
                [(code, position, labeller, now) for position in chosen],
            )
            return chosen

        return self._run(choose, write=True)

    @staticmethod
    def _check_class(connection: sqlite3.Connection, code: str) -> None:
        if connection.execute("SELECT 1 FROM classes WHERE code = ?", (code,)).fetchone() is None:
            raise LabelStoreError("class_labels.error.no_such_class", code=code)


def new_labeller_token() -> str:
    """An anonymous labeller: a random token, nothing about the person."""
    return secrets.token_hex(6)


# --- the unlabelled pool ----------------------------------------------------------------------


@dataclass(frozen=True)
class LabelPool:
    images: np.ndarray  # (P, 28, 28) uint8, white ink on black
    hidden_labels: np.ndarray  # (P,) int64: only the teacher's "reveal" reads them
    order: np.ndarray  # (P,) pool positions in the order the page hands them out


def load_label_pool(bundle_directory: Path, dataset: DatasetInfo) -> LabelPool:
    """The data set's unlabelled pool as the study shipped it, checked against its SHA-256."""
    shown = dataset.pool_file or f"data/{dataset.id}-pool.npz"
    invalid = EvaluationDataError("class_labels.error.pool_invalid", path=shown,
                                  command="python -m training study --profile full --paradigm supervised")
    if dataset.pool_file is None:
        raise invalid
    path = (bundle_directory / dataset.pool_file).resolve()
    if not path.is_relative_to(bundle_directory.resolve()) or not path.is_file():
        raise invalid
    try:
        if dataset.pool_sha256 is not None and file_sha256(path) != dataset.pool_sha256.lower():
            raise invalid
        with np.load(path, allow_pickle=False) as archive:
            images = np.asarray(archive["images"])
            hidden = np.asarray(archive["hidden_labels"]).astype(np.int64)
            order = np.asarray(archive["order"]).astype(np.int64)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise invalid from error
    if (images.dtype != np.uint8 or images.ndim != 3 or len(hidden) != len(images)
            or sorted(order.tolist()) != list(range(len(images)))):
        raise invalid
    return LabelPool(images, hidden, order)


# --- learning from the class's labels ---------------------------------------------------------

PIXELS = "pixels"
SPREADING_NEIGHBOURS = 10
SPREADING_ALPHA = 0.2
SPREADING_STEPS = 30
FEATURE_BATCH = 64


@dataclass(frozen=True)
class FeatureSource:
    """Raw pixels, or one shipped encoder: what a linear classifier reads."""

    id: str  # "pixels" or the encoder model's id
    paradigm: str | None  # the encoder's paradigm (its name on the page); None for pixels
    model: ModelInfo | None


class LearningBench:
    """Everything the probes need, computed once: each source's features of the test set and
    of the pool, and the pool's mean and spread per feature."""

    def __init__(self, manifest: Manifest):
        self.manifest = manifest
        encoders = [m for m in manifest.models_in_registry_order() if m.role == "encoder"]
        dataset = manifest.dataset(encoders[0].dataset if encoders else None) or (
            manifest.datasets[0] if manifest.datasets else None)
        if dataset is None:
            raise EvaluationDataError("class_labels.error.pool_invalid", path="manifest.json",
                                      command="python -m training study --profile full")
        self.dataset = dataset
        self.pool = load_label_pool(manifest.bundle_directory, dataset)
        test = load_evaluation_set(manifest.bundle_directory, dataset)
        self.test_labels = test.labels
        self.sources = (FeatureSource(PIXELS, None, None),) + tuple(
            FeatureSource(model.id, model.paradigm, model) for model in encoders
            if model.dataset == dataset.id
        )
        self._sessions = {
            # No memory arena: the pool's 3,500 digits pass once, and an arena would keep their
            # peak for the server's lifetime.
            source.id: create_session(verified_model_path(manifest.bundle_directory, source.model), source.model,
                                      memory_arena=False)
            for source in self.sources if source.model is not None
        }
        # ONNX Runtime sessions may be shared by threads, but one run at a time keeps a
        # 2-core machine from running seven encoders at once for seven students.
        self._lock = threading.Lock()
        self.test_features: dict[str, np.ndarray] = {}
        self.pool_features: dict[str, np.ndarray] = {}
        self._centre: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for source in self.sources:
            pool = self._raw_features(source, self.pool.images.astype(np.float32) / 255.0)
            if source.model is not None:
                mean, spread = pool.mean(axis=0), pool.std(axis=0) + 1e-6
            else:
                mean, spread = np.zeros(pool.shape[1], np.float32), np.ones(pool.shape[1], np.float32)
            self._centre[source.id] = (mean, spread)
            self.pool_features[source.id] = ((pool - mean) / spread).astype(np.float32)
            self.test_features[source.id] = self.features(source, test.images.astype(np.float32) / 255.0)
        # The passes over 5,000 digits freed far more than they keep (about 160 against 30 MB).
        release_freed_memory()

    def _raw_features(self, source: FeatureSource, unit_images: np.ndarray) -> np.ndarray:
        if source.model is None:
            return unit_images.reshape(len(unit_images), -1).astype(np.float32)
        session = self._sessions[source.id]
        name = session.get_inputs()[0].name
        batches = []
        with self._lock:
            for start in range(0, len(unit_images), FEATURE_BATCH):
                batch = scale_to_model_input(unit_images[start:start + FEATURE_BATCH], source.model)
                batches.append(session.run(None, {name: batch})[0])
        return np.concatenate(batches).astype(np.float32)

    def features(self, source: FeatureSource, unit_images: np.ndarray) -> np.ndarray:
        """(N, 28, 28) floats in [0, 1] -> the source's features, standardised as the pool's."""
        mean, spread = self._centre[source.id]
        return ((self._raw_features(source, unit_images) - mean) / spread).astype(np.float32)

    def probe_accuracies(self, images: np.ndarray, labels: np.ndarray) -> dict[str, float]:
        """For each source, the test accuracy of a logistic regression fitted on these digits."""
        images, labels = _checked_examples(images, labels)
        return {source.id: self._probe(self.features(source, images), labels, source.id)
                for source in self.sources}

    def _probe(self, features: np.ndarray, labels: np.ndarray, source_id: str) -> float:
        from sklearn.linear_model import LogisticRegression

        test_features = self.test_features[source_id]
        if len(labels) == 0:
            return 0.0
        classes = np.unique(labels)
        if len(classes) == 1:  # nothing to tell apart: every test digit gets the one label seen
            return float(np.mean(self.test_labels == classes[0]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a few labels may not converge fully: still a fair answer
            model = LogisticRegression(max_iter=300).fit(features, labels)
        return float(np.mean(model.predict(test_features) == self.test_labels))

    def spreading_accuracies(self, pool_positions: np.ndarray, pool_labels: np.ndarray,
                             drawings: np.ndarray, drawing_labels: np.ndarray) -> dict[str, float]:
        """For each source, label spreading from the class's labels over the whole pool (and
        the drawings), scored on the test set: what the unlabelled digits add."""
        from sklearn.semi_supervised import LabelSpreading

        drawings, drawing_labels = _checked_examples(drawings, drawing_labels)
        results = {}
        for source in self.sources:
            points = self.pool_features[source.id]
            targets = np.full(len(points), -1, dtype=np.int64)
            targets[np.asarray(pool_positions, dtype=np.int64)] = pool_labels
            if len(drawings):
                points = np.concatenate([points, self.features(source, drawings)])
                targets = np.concatenate([targets, drawing_labels])
            if len(np.unique(targets[targets >= 0])) < 2:
                results[source.id] = self._probe(np.zeros((0, 1)), targets[targets >= 0], source.id) \
                    if np.any(targets >= 0) else 0.0
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = LabelSpreading(kernel="knn", n_neighbors=SPREADING_NEIGHBOURS, alpha=SPREADING_ALPHA,
                                       max_iter=SPREADING_STEPS).fit(points, targets)
                predicted = model.predict(self.test_features[source.id])
            results[source.id] = float(np.mean(predicted == self.test_labels))
        return results


def _checked_examples(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    images = np.asarray(images, dtype=np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} images but {len(labels)} labels")
    return images, labels


@lru_cache(maxsize=2)
def _bench_for(bundle_directory: str, manifest_version: tuple) -> LearningBench:
    return LearningBench(load_manifest(Path(bundle_directory)))


def learning_bench(bundle_directory: Path | None = None) -> LearningBench:
    """The bench of a bundle (default: the dashboard's), made once per process and manifest
    version; a BundleError if the bundle lacks what it needs."""
    directory = Path(bundle_directory) if bundle_directory is not None else locate_bundle()
    manifest_file = directory / "manifest.json"
    try:
        stat = manifest_file.stat()
    except OSError:
        load_manifest(directory)  # raises the manifest's own message
        raise
    return _bench_for(str(directory), (stat.st_mtime_ns, stat.st_size))


def probe_accuracies(images: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """For "pixels" and each shipped encoder's id, the bundled test set's accuracy of a linear
    classifier fitted on these digits: `images` (N, 28, 28) float32 in [0, 1], white digit on
    black (as `to_model_input` returns); `labels` (N,) integers."""
    return learning_bench().probe_accuracies(images, labels)


# Results per training set, shared by every session of the process: the projector's chart, a
# student's rerun and the teacher's table ask for the same class state many times.
_RESULTS: "OrderedDict[tuple, dict[str, float]]" = OrderedDict()
_RESULTS_LIMIT = 512
# One fit at a time per process: on a 2-core machine, thirty students' labels must queue, not
# run thirty fits side by side (each fit is quick; together they would starve every page).
_FIT_LOCK = threading.Lock()


def cached_probe_accuracies(bench: LearningBench, images: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """`bench.probe_accuracies`, computed once per training set and bench."""
    images, labels = _checked_examples(images, labels)
    key = (id(bench), hashlib.sha1(images.tobytes() + labels.tobytes()).hexdigest())
    with _FIT_LOCK:
        if key not in _RESULTS:
            _RESULTS[key] = bench.probe_accuracies(images, labels)
            while len(_RESULTS) > _RESULTS_LIMIT:
                _RESULTS.popitem(last=False)
        _RESULTS.move_to_end(key)
        return _RESULTS[key]


def class_curve(bench: LearningBench, images: np.ndarray, labels: np.ndarray) -> dict[int, dict[str, float]]:
    """Each source's accuracy after the class's first 5, 10, 20, 40... labels and after all of
    them, in the order the class gave them: the class's own curve."""
    return {n: cached_probe_accuracies(bench, images[:n], labels[:n]) for n in label_counts_to_chart(len(labels))}


def examples_of(resolved: list[ResolvedDigit], labels: ClassLabels, pool: LabelPool,
                ) -> tuple[np.ndarray, np.ndarray]:
    """The class's training set: each resolved digit's image (floats in [0, 1]) and label."""
    drawings = {label.id: label.drawing for label in labels.given if label.drawing is not None}
    images = np.zeros((len(resolved), IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    for row, digit in enumerate(resolved):
        if digit.pool_position is not None:
            images[row] = pool.images[digit.pool_position] / 255.0
        elif digit.drawing_id is not None:
            images[row] = np.frombuffer(drawings[digit.drawing_id], dtype=np.uint8).reshape(
                IMAGE_SIDE, IMAGE_SIDE) / 255.0
    return images, np.array([digit.label for digit in resolved], dtype=np.int64)


def label_counts_to_chart(n_labels: int) -> list[int]:
    """The numbers of labels at which the class's curve is drawn: 5, 10, 20, 40... up to now."""
    points, n = [], 5
    while n < n_labels:
        points.append(n)
        n *= 2
    return points + ([n_labels] if n_labels else [])


def flipped(labels: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    """`labels` with `count` of them (chosen at random, fixed seed) changed to another digit:
    the teacher's "wrong labels on purpose"."""
    rng = np.random.default_rng(seed)
    changed = labels.copy()
    for index in rng.choice(len(labels), size=min(count, len(labels)), replace=False):
        changed[index] = (changed[index] + rng.integers(1, 10)) % 10
    return changed


__all__ = [
    "BundleError", "ClassLabels", "LabelPool", "LabelStore", "LabelStoreError", "LearningBench",
    "database_path", "learning_bench", "probe_accuracies",
]
