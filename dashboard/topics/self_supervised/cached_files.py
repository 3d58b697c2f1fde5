"""The self-supervised page's encoder maps, read once per version (cached on the file's path,
modification time and size: a rebuilt map is read again)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.core.bundle_reader import FeatureMapInfo, Manifest
from dashboard.core.page_helpers import file_version
from dashboard.topics.self_supervised import pretext_examples as self_supervised


# cache_resource: the (N, 2) arrays are read-only, so every session shares one copy.
@st.cache_resource(show_spinner=False, max_entries=32)
def _feature_map_version(
    bundle_directory: str, entry: FeatureMapInfo, modified_ns: int, size: int, _command: str
):
    # The command only words an error, and errors are never cached.
    return self_supervised.load_feature_map(Path(bundle_directory), entry, _command)


def read_feature_map(manifest: Manifest, entry: FeatureMapInfo, command: str):
    """An encoder's 2-D map of the test digits, (N, 2) float32, checked against its SHA-256, or
    a FeatureMapError whose rebuild command is `command`."""
    path = self_supervised.feature_map_path(manifest.bundle_directory, entry)
    version = None if path is None else file_version(path)
    if version is None:
        return self_supervised.load_feature_map(manifest.bundle_directory, entry, command)
    return _feature_map_version(str(manifest.bundle_directory), entry, *version, command)
