"""The server's memory of the study's re-check: one per bundle folder, shared by every session,
and the thread that measures ahead of the first click (dashboard/topics/study/recheck.py)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard.core.bundle_reader import Manifest
from dashboard.topics.study import recheck as study_recheck

# "0": the re-check measures only when clicked (the tests, which measure on purpose).
MEASURE_AHEAD_VARIABLE = "PARADIGM_LAB_MEASURE_AHEAD"


@st.cache_resource(show_spinner=False)
def _recheck_memory(bundle_directory: str) -> study_recheck.MeasurementMemory:
    memory = study_recheck.MeasurementMemory()
    if os.environ.get(MEASURE_AHEAD_VARIABLE, "1") != "0":
        study_recheck.start_measuring_ahead(Path(bundle_directory), memory)
    return memory


def recheck_memory(manifest: Manifest) -> study_recheck.MeasurementMemory:
    """The server's memory of measured accuracies; the first call starts measuring ahead of the
    first click, on one low-priority thread."""
    return _recheck_memory(str(manifest.bundle_directory))
