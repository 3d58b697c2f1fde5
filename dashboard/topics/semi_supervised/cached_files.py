"""The semi-supervised page's files, read once per version: each run's pseudo-label log and the
pool map, cached on their path, modification time and size (a rebuilt file is read again)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.core.bundle_reader import DatasetInfo, Manifest, PseudoLabelDetailsInfo
from dashboard.core.page_helpers import file_version
from dashboard.topics.semi_supervised import pseudo_labels as semi_supervised


# cache_resource: the arrays are read-only, so every session shares one copy instead of
# unpickling a few hundred kilobytes on each rerun of the round slider.
@st.cache_resource(show_spinner=False, max_entries=32)
def _pseudo_label_details_version(
    bundle_directory: str, entry: PseudoLabelDetailsInfo, modified_ns: int, size: int
) -> semi_supervised.PseudoLabelDetails:
    return semi_supervised.load_pseudo_label_details(Path(bundle_directory), entry)


def read_pseudo_label_details(
    manifest: Manifest, entry: PseudoLabelDetailsInfo
) -> semi_supervised.PseudoLabelDetails:
    """One run's pseudo-label log, checked against its SHA-256, or a PseudoLabelDataError."""
    path = semi_supervised.details_file_path(manifest.bundle_directory, entry)
    version = None if path is None else file_version(path)
    if version is None:
        return semi_supervised.load_pseudo_label_details(manifest.bundle_directory, entry)  # raises
    return _pseudo_label_details_version(str(manifest.bundle_directory), entry, *version)


@st.cache_resource(show_spinner=False, max_entries=8)
def _pool_map_version(
    bundle_directory: str, dataset: DatasetInfo, modified_ns: int, size: int, _paradigm: str
):
    # The paradigm only names the rebuild command in an error, and errors are never cached:
    # one map serves every paradigm.
    return semi_supervised.load_pool_map(Path(bundle_directory), dataset, _paradigm)


def read_pool_map(manifest: Manifest, dataset: DatasetInfo, paradigm: str):
    """The data set's pool map, (P, 2) float32, or a PseudoLabelDataError whose rebuild command
    names `paradigm`."""
    path = semi_supervised.pool_map_path(manifest.bundle_directory, dataset)
    version = None if path is None else file_version(path)
    if version is None:
        return semi_supervised.load_pool_map(manifest.bundle_directory, dataset, paradigm)
    return _pool_map_version(str(manifest.bundle_directory), dataset, *version, paradigm)
