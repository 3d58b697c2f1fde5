"""What every page shares: the lesson state (language, display mode, the view a link opened),
cached reads of the bundle, and errors.

This is the Streamlit side of bundle_reader.py, inference.py and lesson_state.py (each topic keeps
the cached reads of its own files beside its page): it
caches what is read from disk, keyed on each file's path, modification time and size, so a page
rerun after a widget change reads nothing again, while a bundle rewritten by
`python -m training study` is picked up on the next run.

The lesson state lives in st.session_state (the sidebar navigation drops the URL's query
parameters, docs/design.md) and app.py writes it back to the URL after every run. Widgets are seeded
from it and copy their value back into it, because Streamlit forgets a widget's value when a run
does not draw it (another page, or controls hidden for students).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import onnxruntime as ort
import pandas as pd
import streamlit as st

from dashboard.core import bundle_reader as bundle
from dashboard.core import icons, inference, study_results
from dashboard.core.bundle_reader import (
    BundleError,
    DatasetInfo,
    EvaluationSet,
    Manifest,
    ModelInfo,
)
from dashboard.core.digit_answers import classifier_fractions
from dashboard.core.i18n import resolve_language, t
from dashboard.core.lesson_plan import STEPS
from dashboard.core.lesson_state import (
    NETWORK_ADDRESS_VARIABLE,
    LessonState,
    LessonVocabulary,
    app_base_url,
    reachable_base_url,
)

LANGUAGE_KEY = "language"
PRESENTATION_KEY = "presentation_mode"
LESSON_KEY = "lesson_state"


def lesson_state() -> LessonState:
    state = st.session_state.get(LESSON_KEY)
    return state if isinstance(state, LessonState) else LessonState()


def update_lesson(**changes: Any) -> LessonState:
    """Change some fields of the lesson state (what the next lesson link and URL will hold)."""
    state = dataclasses.replace(lesson_state(), **changes)
    st.session_state[LESSON_KEY] = state
    return state


def seed_widget(key: str, value: object, options=None) -> None:
    """Give a widget its value from the lesson state, unless it already holds one this session;
    with ``options``, also when the value it holds is no longer offered (the bundle changed
    under the control, or another choice offers other values).

    Setting the key before the widget is drawn (and passing no default) is how Streamlit lets
    code choose a widget's value without a warning.
    """
    if key not in st.session_state or (options is not None and st.session_state[key] not in options):
        st.session_state[key] = value


def link_base_url(page_id: str) -> str:
    """The root URL for links this page hands out (a lesson link, a student link): the one the
    browser shows, with the classroom network's address in place of "localhost" when the server
    listens there."""
    port = st.get_option("server.port")
    base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
    fallback = f"http://localhost:{port}" + (f"/{base_path}" if base_path else "")
    base = app_base_url(st.context.url, page_id, fallback)
    return reachable_base_url(base, os.environ.get(NETWORK_ADDRESS_VARIABLE))


def current_language() -> str:
    if LESSON_KEY in st.session_state:
        return resolve_language(lesson_state().language)
    return resolve_language(st.session_state.get(LANGUAGE_KEY))


def presentation_mode() -> bool:
    if LESSON_KEY in st.session_state:
        return lesson_state().projector
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def controls_hidden() -> bool:
    """True in a student view, where a lesson link hid the controls."""
    return lesson_state().controls_hidden


def lesson_vocabulary() -> LessonVocabulary:
    """What a lesson link may name, from the bundle; what cannot be read adds nothing."""
    paradigms: list[str] = []
    fractions: set[float] = set()
    seeds: set[int] = set()
    try:
        manifest = read_manifest()
        paradigms += [paradigm.id for paradigm in manifest.paradigms]
        fractions.update(classifier_fractions(manifest))
    except BundleError:
        pass
    try:
        results = read_results()
        paradigms += list(dict.fromkeys(results["paradigm"]))
        fractions.update(float(fraction) for fraction in results["label_fraction"])
        seeds.update(int(seed) for seed in results["seed"])
    except BundleError:
        pass
    return LessonVocabulary(
        paradigms=tuple(dict.fromkeys(paradigms)),
        fractions=tuple(sorted(fraction for fraction in fractions if 0 < fraction <= 1)),
        seeds=tuple(sorted(seeds)),
        steps=tuple(step.id for step in STEPS),
    )


def study_link_for_family(manifest: Manifest, family: str, label: str) -> None:
    """A link to the study chart with supervised learning and one family only: the comparison a
    family's page is about, each family in its own colour as everywhere in the study."""
    from dashboard.core.lesson_plan import shipped_paradigms
    from dashboard.core.lesson_state import to_query_params

    paradigms = shipped_paradigms(manifest, family, in_study=True)
    if not paradigms:
        return
    lesson = lesson_state()
    target = LessonState(
        page="study",
        language=lesson.language,
        paradigms=(*shipped_paradigms(manifest, "supervised"), *paradigms),
        controls_hidden=lesson.controls_hidden,
        projector=lesson.projector,
    )
    st.page_link("topics/study/page.py", label=label, icon=icons.STUDY, query_params=to_query_params(target))


@contextlib.contextmanager
def going_further(title: str) -> Iterator[None]:
    """A part of a page folded away from the class's first view.

    Each page shows the class a short view first (its question, one experiment and what it
    shows); the parts that explain more (maps, comparisons of methods, tables, live settings) wait
    here, closed, until the teacher opens them. One rule for every page, so a class meets the
    same shape everywhere."""
    with st.expander(t("page.going_further", current_language(), title=title), icon=icons.GOING_FURTHER):
        yield


@contextlib.contextmanager
def page_part(title: str, *, folded: bool) -> Iterator[None]:
    """A part of a page that a lesson step may name: open under its heading when the step shows
    it to the class, folded under "going further" when the page is opened on its own."""
    if folded:
        with going_further(title):
            yield
    else:
        st.header(title[:1].upper() + title[1:])
        yield


# The mark each run leaves as its last element, for the browser checks (scripts/browser_check.py):
# a browser that shows the mark of a run it had not seen, and no mark left over from an earlier
# run, has drawn everything that run sent (Streamlit's "running" sign says only that the server
# is still running the script). Every run's mark is new, so a check reads the marks before a
# click and waits for a new one after it, instead of waiting for a fixed time for the run to start.
RUN_END_CLASS = "paradigm-lab-run-end"


def draw_run_end(scope: str) -> None:
    """The run's last element: ``scope`` is "app" at the end of the whole script, "fragment" at
    the end of a fragment's own run."""
    st.html(f'<span class="{RUN_END_CLASS}" data-scope="{scope}" data-run="{uuid.uuid4().hex}" '
            'aria-hidden="true"></span>')


def interactive_fragment(body: Callable[..., None]) -> Callable[..., None]:
    """st.fragment for a part of a page with its own widgets: a click there reruns only the
    fragment, so the fragment ends with its own run mark. (A fragment that redraws itself on a
    timer has none: its mark would tell a check that a run it waits for has drawn.)"""

    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> None:
        body(*args, **kwargs)
        draw_run_end("fragment")

    return st.fragment(run)


def show_error(error: BundleError) -> None:
    st.error(error.message(current_language()), icon=icons.ERROR)


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
        if len(table) <= ROWS_SHOWN_WHOLE:
            st.dataframe(table, hide_index=True, height="content")
        else:
            st.dataframe(table, hide_index=True, height=640)


def file_version(path: Path) -> tuple[int, int] | None:
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
    version = file_version(bundle.manifest_path(directory))
    if version is None:
        return bundle.load_manifest(directory)  # raises the "no manifest" error
    return _manifest_version(str(directory), *version)


def manifest_or_error() -> Manifest | None:
    """The manifest, or None once the page shows what is wrong with it and how to fix it.

    Every page starts with this; what it draws without a manifest (nothing more, an explanation,
    a rebuild command) is the page's own choice."""
    try:
        return read_manifest()
    except BundleError as error:
        show_error(error)
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def _results_version(bundle_directory: str, modified_ns: int, size: int) -> pd.DataFrame:
    return bundle.load_results(Path(bundle_directory))


@st.cache_data(show_spinner=False, max_entries=32)
def _summary_version(
    bundle_directory: str, modified_ns: int, size: int, seeds: tuple[int, ...] | None
) -> pd.DataFrame:
    results = _results_version(bundle_directory, modified_ns, size)
    if seeds is not None:
        results = results[results["seed"].isin(seeds)]
    return study_results.summarise_by_fraction(results)


def _results_key() -> tuple[str, int, int]:
    directory = bundle.locate_bundle()
    version = file_version(bundle.results_path(directory))
    if version is None:
        raise bundle.missing_results_error(directory)
    return str(directory), *version


def read_results() -> pd.DataFrame:
    """results.csv, every seed of every study point, or a ResultsError."""
    return _results_version(*_results_key())


def read_study_summary(seeds: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Mean and spread over seeds (all, or the given ones) per (paradigm, data set, fraction),
    or a ResultsError."""
    return _summary_version(*_results_key(), seeds)


# --- models and test images ------------------------------------------------------------------


def model_statuses(manifest: Manifest) -> dict[str, bundle.FileStatus]:
    """Each model's file status. Cheap on reruns: bundle.file_sha256 hashes a file version once."""
    return {
        model.id: bundle.model_file_status(manifest.bundle_directory, model)
        for model in manifest.models
    }


# Keyed on the path and the SHA-256 that was verified just before: a changed file has another
# version and is verified again before any session is taken from here.
# Room for every shipped classifier (77 with the self-supervised heads) plus the pretext networks.
@st.cache_resource(show_spinner=False, max_entries=160)
def _session_for(model_path: str, sha256: str, _model: ModelInfo) -> ort.InferenceSession:
    return inference.create_session(Path(model_path), _model)


def measuring_session(
    manifest: Manifest, model: ModelInfo, *, threads: int = inference.INTRA_OP_THREADS
) -> ort.InferenceSession:
    """A fresh, uncached session for measuring a model on the whole test set. A session's memory
    arena keeps the peak of its largest batch for as long as the session lives (about 90 MB after
    batches of 250 digits, 40 MB after batches of 32); cached, the re-check's 77 sessions held
    6.5 GB with batches of 250. Dropped after use, it costs 20 ms to open and gives the memory
    back. ``threads=1`` where several models are measured side by side (the re-check)."""
    return inference.open_verified_session(manifest.bundle_directory, model, threads=threads)


def load_session(manifest: Manifest, model: ModelInfo) -> ort.InferenceSession:
    """A ready ONNX Runtime session for a verified model file, or a ModelError."""
    path = bundle.verified_model_path(manifest.bundle_directory, model)
    # The key holds every file's digest: a rebuilt encoder must not reuse an old session.
    return _session_for(str(path), "+".join(part.sha256 for part in model.files()), model)


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluation_set_version(
    bundle_directory: str, dataset: DatasetInfo, modified_ns: int, size: int
) -> EvaluationSet:
    return bundle.load_evaluation_set(Path(bundle_directory), dataset)


def read_evaluation_set(manifest: Manifest, dataset: DatasetInfo) -> EvaluationSet:
    """The data set's shipped test images and labels, or an EvaluationDataError."""
    path = bundle.evaluation_file_path(manifest.bundle_directory, dataset)
    version = None if path is None else file_version(path)
    if version is None:
        return bundle.load_evaluation_set(manifest.bundle_directory, dataset)  # raises
    return _evaluation_set_version(str(manifest.bundle_directory), dataset, *version)


def bundle_version() -> tuple:
    """What identifies the bundle's current manifest and results files (a re-check made on
    other files is stale)."""
    directory = bundle.locate_bundle()
    return (
        str(directory),
        file_version(bundle.manifest_path(directory)),
        file_version(bundle.results_path(directory)),
    )
