"""Models and data page: every shipped model and data set, how to rebuild them, and a live check.

The live check runs one shipped classifier with ONNX Runtime on the bundled test images and
compares the accuracy measured now with the one the manifest states. A missing, changed or broken
model turns into a message naming it and the command that rebuilds it.
"""

import streamlit as st

from dashboard.core import bundle_reader as bundle
from dashboard.core import icons, inference, page_helpers, tables
from dashboard.core.bundle_reader import BundleError, FileStatus, Manifest, ModelInfo
from dashboard.core.i18n import (
    dataset_text,
    format_decimal,
    format_fraction,
    format_integer,
    format_percent,
    format_points,
    format_timestamp,
    paradigm_name,
    t,
)


def render_models_table(manifest: Manifest, language: str) -> None:
    st.header(t("models.table_heading", language))
    if not manifest.models:
        st.info(t("models.no_models", language, command=bundle.FULL_STUDY_COMMAND))
        return
    statuses = page_helpers.model_statuses(manifest)
    total_bytes = sum(model.size_bytes or 0 for model in manifest.models)
    st.markdown(
        t(
            "models.summary",
            language,
            count=len(manifest.models),
            size=t(
                "models.size_megabytes",
                language,
                size=format_decimal(total_bytes / 2**20, language),
            ),
            updated_at=format_timestamp(manifest.updated_at, language) or "?",
        )
    )
    page_helpers.show_table(
        tables.models_table(
            manifest, statuses, language=language, compact=page_helpers.presentation_mode()
        )
    )
    problems = sum(status is not FileStatus.OK for status in statuses.values())
    if problems:
        st.warning(t("models.problems", language, count=problems), icon=icons.WARNING)


def render_datasets(manifest: Manifest, language: str) -> None:
    st.header(t("models.datasets_heading", language))
    if not manifest.datasets:
        st.info(t("models.no_datasets", language))
    for dataset in manifest.datasets:
        status = bundle.evaluation_file_status(manifest.bundle_directory, dataset)
        st.markdown(f"### {dataset_text(dataset.id, 'name', dataset.id, language)}")
        st.markdown(
            t(
                "models.dataset.details",
                language,
                source=dataset_text(dataset.id, "source", dataset.source or "?", language),
                licence=dataset_text(dataset.id, "licence", dataset.licence or "?", language),
                n_images=_count(dataset.n_images, language),
                n_test=_count(dataset.n_test, language),
                n_pool=_count(dataset.n_pool, language),
                classes=", ".join(dataset.class_names) or "?",
                eval_status=t(f"models.status.{status.value}", language),
            )
        )


def _count(value: int | None, language: str) -> str:
    return "?" if value is None else format_integer(value, language)


def render_rebuild(manifest: Manifest | None, language: str) -> None:
    # Paths and commands are for the teacher who rebuilds models, never for the class: folded.
    with st.expander(t("models.rebuild_heading", language), icon=icons.TEACHER):
        show_rebuild(manifest, language)


def show_rebuild(manifest: Manifest | None, language: str) -> None:
    st.caption(t("models.bundle_location", language, directory=bundle.locate_bundle()))
    st.markdown(t("models.rebuild_intro", language))
    st.markdown(t("models.rebuild_full", language))
    st.code(bundle.FULL_STUDY_COMMAND, language="bash")
    st.markdown(t("models.rebuild_paradigm", language))
    st.code(
        bundle.paradigm_study_command(t("models.paradigm_placeholder", language)), language="bash"
    )
    if manifest is not None and manifest.models:
        st.markdown(t("models.rebuild_model", language))
        st.code(bundle.model_rebuild_command(manifest.models[0]), language="bash")


def _live_option(model: ModelInfo, language: str) -> str:
    return t(
        "models.live_option",
        language,
        paradigm=paradigm_name(model.paradigm, language),
        fraction=(
            "?" if model.label_fraction is None else format_fraction(model.label_fraction, language)
        ),
        seed="?" if model.seed is None else model.seed,
    )


def run_live_check(manifest: Manifest, model: ModelInfo, language: str) -> None:
    """Measure the model now and compare; any BundleError becomes the message that names it."""
    try:
        dataset = manifest.dataset_of(model)
        evaluation_set = page_helpers.read_evaluation_set(manifest, dataset)
        session = page_helpers.measuring_session(manifest, model)
        measurement = inference.measure_accuracy(session, model, evaluation_set)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    measured_column, expected_column = st.columns(2)
    measured_column.metric(
        t("models.live_measured", language), format_percent(measurement.accuracy, language)
    )
    if model.test_accuracy is not None:
        expected_column.metric(
            t("models.live_expected", language), format_percent(model.test_accuracy, language)
        )
        gap = abs(measurement.accuracy - model.test_accuracy)
        if gap <= inference.ACCURACY_AGREEMENT_TOLERANCE:
            st.success(t("models.live_agree", language), icon=icons.SUCCESS)
        else:
            st.warning(
                t(
                    "models.live_disagree",
                    language,
                    difference=format_points(gap, language),
                    command=bundle.model_rebuild_command(model),
                ),
                icon=icons.WARNING,
            )
    st.caption(
        t(
            "models.live_caption",
            language,
            n_images=format_integer(measurement.n_images, language),
            milliseconds=format_integer(round(1000 * measurement.seconds), language),
        )
    )


def render_live_check(manifest: Manifest, language: str) -> None:
    st.header(t("models.live_heading", language))
    st.markdown(t("models.live_intro", language))
    classifiers = [m for m in manifest.models_in_registry_order() if m.role == "classifier"]
    if not classifiers:
        st.info(t("models.live_no_classifier", language))
        return
    by_id = {model.id: model for model in classifiers}
    chosen_id = st.selectbox(
        t("models.live_model", language),
        options=list(by_id),
        format_func=lambda model_id: _live_option(by_id[model_id], language),
        key="live_check_model",
    )
    if st.button(t("models.live_button", language), type="primary", icon=icons.RUN):
        run_live_check(manifest, by_id[chosen_id], language)


def render_models_page() -> None:
    language = page_helpers.current_language()
    st.title(t("models.heading", language))
    st.markdown(t("models.intro", language))
    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        render_rebuild(None, language)
        return
    render_models_table(manifest, language)
    render_live_check(manifest, language)
    render_datasets(manifest, language)
    render_rebuild(manifest, language)


render_models_page()
