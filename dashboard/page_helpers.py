"""What every page shares: the language and display mode, cached reads of the bundle, and errors.

This is the Streamlit side of bundle.py and inference.py: it caches what is read from disk, keyed
on each file's path, modification time and size, so a page rerun after a widget change reads
nothing again, while a bundle rewritten by `python -m training study` is picked up on the next run.
"""

from __future__ import annotations

from pathlib import Path

import onnxruntime as ort
import pandas as pd
import streamlit as st

from dashboard import bundle, inference, study_results
from dashboard.bundle import BundleError, DatasetInfo, EvaluationSet, Manifest, ModelInfo
from dashboard.i18n import resolve_language

LANGUAGE_KEY = "language"
PRESENTATION_KEY = "presentation_mode"


def current_language() -> str:
    return resolve_language(st.session_state.get(LANGUAGE_KEY))


def presentation_mode() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def show_error(error: BundleError) -> None:
    st.error(error.message(current_language()), icon="🚫")


# Up to this many rows a table shows whole; a longer one scrolls inside a fixed height.
ROWS_SHOWN_WHOLE = 25


def show_table(table: pd.DataFrame) -> None:
    """A table that stays readable on a projector.

    st.dataframe draws on a canvas that page CSS cannot enlarge, so presentation mode uses
    st.table, plain HTML that follows the bigger type.
    """
    if presentation_mode():
        st.table(table, hide_index=True)
    else:
        height = "content" if len(table) <= ROWS_SHOWN_WHOLE else 640
        st.dataframe(table, hide_index=True, height=height)


def _file_version(path: Path) -> tuple[int, int] | None:
    """(modification time in ns, size): what the caches key on, None for a missing file."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


# --- manifest and results --------------------------------------------------------------------


# cache_resource, not cache_data: the manifest is frozen, so every session can share one object
# instead of unpickling a copy on every rerun.
@st.cache_resource(show_spinner=False, max_entries=8)
def _manifest_version(bundle_directory: str, modified_ns: int, size: int) -> Manifest:
    return bundle.load_manifest(Path(bundle_directory))


def read_manifest() -> Manifest:
    """The bundle's manifest, or a ManifestError telling what is wrong and how to fix it."""
    directory = bundle.locate_bundle()
    version = _file_version(bundle.manifest_path(directory))
    if version is None:
        return bundle.load_manifest(directory)  # raises the "no manifest" error
    return _manifest_version(str(directory), *version)


@st.cache_data(show_spinner=False, max_entries=8)
def _results_version(bundle_directory: str, modified_ns: int, size: int) -> pd.DataFrame:
    return bundle.load_results(Path(bundle_directory))


@st.cache_data(show_spinner=False, max_entries=8)
def _summary_version(bundle_directory: str, modified_ns: int, size: int) -> pd.DataFrame:
    return study_results.summarise_by_fraction(
        _results_version(bundle_directory, modified_ns, size)
    )


def _results_key() -> tuple[str, int, int]:
    directory = bundle.locate_bundle()
    version = _file_version(bundle.results_path(directory))
    if version is None:
        raise bundle.missing_results_error(directory)
    return str(directory), *version


def read_results() -> pd.DataFrame:
    """results.csv, every seed of every study point, or a ResultsError."""
    return _results_version(*_results_key())


def read_study_summary() -> pd.DataFrame:
    """Mean and spread over seeds per (paradigm, data set, fraction), or a ResultsError."""
    return _summary_version(*_results_key())


# --- models and test images ------------------------------------------------------------------


def model_statuses(manifest: Manifest) -> dict[str, bundle.FileStatus]:
    """Each model's file status. Cheap on reruns: bundle.file_sha256 hashes a file version once."""
    return {
        model.id: bundle.model_file_status(manifest.bundle_directory, model)
        for model in manifest.models
    }


# Keyed on the path and the SHA-256 that was verified just before: a changed file has another
# version and is verified again before any session is taken from here.
@st.cache_resource(show_spinner=False, max_entries=64)
def _session_for(model_path: str, sha256: str, _model: ModelInfo) -> ort.InferenceSession:
    return inference.create_session(Path(model_path), _model)


def load_session(manifest: Manifest, model: ModelInfo) -> ort.InferenceSession:
    """A ready ONNX Runtime session for a verified model file, or a ModelError."""
    path = bundle.verified_model_path(manifest.bundle_directory, model)
    return _session_for(str(path), model.sha256, model)


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluation_set_version(
    bundle_directory: str, dataset: DatasetInfo, modified_ns: int, size: int
) -> EvaluationSet:
    return bundle.load_evaluation_set(Path(bundle_directory), dataset)


def read_evaluation_set(manifest: Manifest, dataset: DatasetInfo) -> EvaluationSet:
    """The data set's shipped test images and labels, or an EvaluationDataError."""
    path = bundle.evaluation_file_path(manifest.bundle_directory, dataset)
    version = None if path is None else _file_version(path)
    if version is None:
        return bundle.load_evaluation_set(manifest.bundle_directory, dataset)  # raises
    return _evaluation_set_version(str(manifest.bundle_directory), dataset, *version)
