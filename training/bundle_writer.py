"""Writes into the bundle (``exported_models/``): atomic files, the manifest and the results table.

Every write goes to a temporary file in the same folder, is flushed to disk, then renamed over
the target: a rename is atomic on POSIX, so a reader (or a run killed mid-write) sees the old
file or the new one, never half of one. Read-modify-write of the manifest and the results table
happens under an exclusive lock file, so two study commands running side by side
(``study --paradigm supervised`` and ``study --paradigm kmeans``) never lose each other's rows.

The format is the typed contract ``paradigm_lab/contract.py`` (docs/bundle_format.md): every
manifest write is validated against it strictly, so a writer's misspelt or mistyped field fails
the study at once instead of reaching a classroom.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from paradigm_lab import contract

MANIFEST_NAME = "manifest.json"
RESULTS_NAME = "results.csv"
MANIFEST_FORMAT = contract.MANIFEST_FORMAT
RESULT_COLUMNS = [
    "paradigm", "family", "dataset", "label_fraction", "n_labels", "seed", "test_accuracy",
    "train_seconds", "config_hash", "split_sha256", "subset_sha256", "model_id", "finished_at",
]
POINT_KEY = ["paradigm", "dataset", "label_fraction", "seed"]
# One row per (point, round) of a semi-supervised run: how many unlabelled digits carried a
# pseudo-label at that moment of training and how many of those were right. "Right" is measured
# by the study against the withheld labels, which the method itself never receives.
PSEUDO_LABELS_NAME = "pseudo_labels.csv"
PSEUDO_LABEL_COLUMNS = [
    "paradigm", "dataset", "label_fraction", "seed", "config_hash", "round", "step", "threshold",
    "n_unlabelled", "n_carried", "n_carried_correct", "n_guesses_correct",
]

DEFAULT_BUNDLE = Path(__file__).resolve().parent.parent / "exported_models"


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes files private; the bundle is meant to be read
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def atomic_write_json(path: Path, payload: dict) -> None:
    atomic_write_bytes(path, (json.dumps(payload, indent=1, sort_keys=False) + "\n").encode("utf-8"))


@contextlib.contextmanager
def bundle_lock(bundle_dir: Path) -> Iterator[None]:
    bundle_dir.mkdir(parents=True, exist_ok=True)
    with open(bundle_dir / ".lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


class ManifestContractError(ValueError):
    """The writer built a manifest the contract refuses: a bug in training/, never a user's fault."""


def empty_manifest() -> dict:
    return contract.manifest_to_json(contract.BundleManifest(
        format=MANIFEST_FORMAT, updated_at=utc_now(), paradigms=[], datasets={}, models=[]))


def checked_manifest(manifest: dict) -> dict:
    """The manifest as the contract dumps it, after a strict validation (unknown fields refused)."""
    try:
        return contract.manifest_to_json(contract.validate_manifest(manifest, strict=True))
    except contract.ValidationError as error:
        field = contract.first_error_field(error, manifest)
        raise ManifestContractError(f"the manifest breaks the bundle contract at {field}: {error}") from None


def read_manifest(bundle_dir: Path) -> dict:
    path = bundle_dir / MANIFEST_NAME
    if not path.exists():
        return empty_manifest()
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def update_manifest(bundle_dir: Path, change: Callable[[dict], None]) -> dict:
    """Apply ``change`` to the manifest under the lock and write it back atomically."""
    with bundle_lock(bundle_dir):
        manifest = read_manifest(bundle_dir)
        change(manifest)
        manifest["updated_at"] = utc_now()
        manifest = checked_manifest(manifest)
        atomic_write_json(bundle_dir / MANIFEST_NAME, manifest)
        return manifest


def upsert_model(manifest: dict, entry: dict) -> None:
    """Replace the model with the same id, or add it; models stay sorted for stable diffs."""
    models = [m for m in manifest["models"] if m["id"] != entry["id"]]
    models.append(entry)
    models.sort(key=lambda m: (m["paradigm"], m["role"], m.get("dataset", ""), m.get("label_fraction") or 0, m["id"]))
    manifest["models"] = models


def _read_table(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=columns)
    return pd.read_csv(path, dtype={"model_id": str, "config_hash": str})


def _replace_point_rows(bundle_dir: Path, name: str, columns: list[str], point: dict, rows: list[dict]) -> None:
    """Replace every row of one point (POINT_KEY) in the table ``name`` by ``rows``, under the lock."""
    with bundle_lock(bundle_dir):
        table = _read_table(bundle_dir / name, columns)
        same_point = (
            (table["paradigm"] == point["paradigm"]) & (table["dataset"] == point["dataset"])
            & (table["label_fraction"].astype(float).round(6) == round(float(point["label_fraction"]), 6))
            & (table["seed"].astype(int) == int(point["seed"]))
        )
        table = pd.concat([table[~same_point], pd.DataFrame(rows, columns=columns)], ignore_index=True)
        table = table.sort_values(POINT_KEY, kind="stable").reset_index(drop=True)
        _write_table(bundle_dir / name, table)


def _write_table(path: Path, table: pd.DataFrame) -> None:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, float_format="%.6g")
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8"))


def read_results(bundle_dir: Path) -> pd.DataFrame:
    table = _read_table(bundle_dir / RESULTS_NAME, RESULT_COLUMNS)
    table["model_id"] = table["model_id"].fillna("")
    return table


def record_result(bundle_dir: Path, row: dict) -> None:
    """Add one finished point to the results table, replacing an earlier row for the same point."""
    _replace_point_rows(bundle_dir, RESULTS_NAME, RESULT_COLUMNS, row, [row])


def clear_model_ids(bundle_dir: Path, paradigms: set[str]) -> None:
    """Empty the model_id of these paradigms' results rows (they ship no classifier)."""
    with bundle_lock(bundle_dir):
        table = read_results(bundle_dir)
        named = table["paradigm"].isin(paradigms) & (table["model_id"] != "")
        if not named.any():
            return
        table.loc[named, "model_id"] = ""
        _write_table(bundle_dir / RESULTS_NAME, table)


def read_pseudo_label_log(bundle_dir: Path) -> pd.DataFrame:
    return _read_table(bundle_dir / PSEUDO_LABELS_NAME, PSEUDO_LABEL_COLUMNS)


def record_pseudo_label_log(bundle_dir: Path, point: dict, rows: list[dict]) -> None:
    """Write one point's pseudo-label rounds, replacing the rounds an earlier run wrote for it."""
    _replace_point_rows(bundle_dir, PSEUDO_LABELS_NAME, PSEUDO_LABEL_COLUMNS, point, rows)


@dataclass(frozen=True)
class BundleFile:
    """Files that are not models (a GAN's timeline, its losses table...) and the manifest entry
    that lists them under ``manifest[list_name]``; the entry gets each file's SHA-256 and size."""
    entry: dict
    list_name: str
    files: dict[str, bytes]  # path inside the bundle -> bytes


def record_bundle_file(bundle_dir: Path, item: BundleFile) -> dict:
    """Write the files (atomically), then the entry: the manifest never names a missing file."""
    for name, data in item.files.items():
        atomic_write_bytes(bundle_dir / name, data)
    entry = dict(item.entry)
    if item.files:
        entry.update(sha256={name: hashlib.sha256(data).hexdigest() for name, data in item.files.items()},
                     size_bytes=sum(len(data) for data in item.files.values()), created_at=utc_now())
    entry = contract.entry_to_json(contract.validate_entry(contract.LIST_ENTRY_TYPES[item.list_name], entry))

    def change(manifest: dict) -> None:
        listed = [e for e in manifest.get(item.list_name, []) if e["id"] != entry["id"]]
        manifest[item.list_name] = sorted(listed + [entry], key=lambda e: e["id"])

    update_manifest(bundle_dir, change)
    return entry
