"""Guided lesson page: the steps of dashboard/core/lesson_plan.py, each opening the right page and view.

Each step has its text, a link that opens its page already set up (the lesson state travels as
query parameters), and teacher notes, hidden in the student view. A step about a family that
ships no model yet says "coming", explains the idea and opens the map instead of a chart.
"""

import streamlit as st

from dashboard.core import icons, page_helpers
from dashboard.core.bundle_reader import Manifest
from dashboard.core.i18n import format_integer, t
from dashboard.core.lesson_plan import STEPS, LessonStep, step_is_coming, step_target
from dashboard.core.lesson_state import to_query_params
from dashboard.core.page_registry import page_entry


def step_numbers(manifest: Manifest | None, language: str) -> dict[str, str]:
    """Numbers the step texts quote, read from the manifest ("?" where it does not say)."""
    pool = few_labels = None
    if manifest is not None:
        pool = next((d.n_pool for d in manifest.datasets if d.n_pool is not None), None)
        classifiers = [
            m for m in manifest.models if m.label_fraction is not None and m.n_labels is not None
        ]
        if classifiers:
            few_labels = min(classifiers, key=lambda model: model.label_fraction or 1.0).n_labels  # all have a fraction
    return {
        "pool": "?" if pool is None else format_integer(pool, language),
        "few_labels": "?" if few_labels is None else format_integer(few_labels, language),
    }


def render_step(
    number: int, step: LessonStep, manifest: Manifest | None, numbers: dict, language: str
) -> None:
    coming = step_is_coming(step, manifest)
    target = step_target(step, page_helpers.lesson_state(), manifest)
    title = t(f"lesson.step.{step.id}.title", language)
    with st.container(border=True):
        st.header(t("lesson.step_heading", language, number=number, title=title))
        text_key = f"lesson.step.{step.id}.coming" if coming else f"lesson.step.{step.id}.text"
        st.markdown(t(text_key, language, **numbers))
        if coming:
            st.info(t("lesson.coming", language))
            label = t("lesson.open_map", language)
        else:
            label = t("lesson.open", language, page=t(f"page.{target.page}.title", language))
        page = page_entry(target.page)
        st.page_link(page.file, label=label, icon=page.icon, query_params=to_query_params(target))
        if not page_helpers.controls_hidden():
            with st.expander(t("lesson.teacher_notes", language), icon=icons.TEACHER):
                st.markdown(t(f"lesson.step.{step.id}.notes", language, **numbers))


def render_lesson() -> None:
    language = page_helpers.current_language()
    st.title(t("lesson.heading", language))
    st.markdown(t("lesson.intro", language, count=len(STEPS)))
    # Without a manifest every family step is "coming" and the texts say "?" for numbers.
    manifest = page_helpers.manifest_or_error()
    numbers = step_numbers(manifest, language)
    for number, step in enumerate(STEPS, start=1):
        render_step(number, step, manifest, numbers, language)


render_lesson()
