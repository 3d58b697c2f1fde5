"""Label-fraction study page: test accuracy against the fraction of labelled examples.

Reads results.csv (every seed of every study point); the manifest, when there is one, only gives
the order in which paradigms are listed, so the chart still shows if the manifest is broken. The
paradigms, seeds and panels shown come from the lesson state (a lesson link can set them), and at
the bottom the chart re-checks itself from the shipped models (dashboard/topics/study/recheck.py).
"""

import time

import pandas as pd
import streamlit as st

from dashboard.core import icons, page_helpers, study_results, tables
from dashboard.core.bundle_reader import FULL_STUDY_COMMAND, BundleError
from dashboard.core.figures import (
    STUDY_PNG_FILENAME,
    label_fraction_figure,
    plotly_config,
    recheck_figure,
)
from dashboard.core.i18n import format_decimal, format_integer, paradigm_name, t
from dashboard.core.lesson_state import PANELS_BY_PAGE, visible_panels
from dashboard.topics.study import recheck_memory
from dashboard.topics.study.recheck import RecheckReport, recheck_study

PAGE_ID = "study"
DEFAULT_TARGET_PERCENT = 90
PARADIGMS_KEY = "study_paradigms"
SEEDS_KEY = "study_seeds"
RECHECK_KEY = "study_recheck_report"


# Building the chart costs about 75 ms on 2 cores (Plotly checks each of its ~27 traces), most of
# a rerun; the same inputs give the same figure, and st.plotly_chart only reads it. A resource,
# not data: a pickled copy per rerun would cost a good part of what the cache saves.
@st.cache_resource(show_spinner=False, max_entries=32)
def _study_figure(shown: pd.DataFrame, language: str, spread: str, order: tuple[str, ...],
                  presentation: bool):
    return label_fraction_figure(shown, language=language, spread=spread, paradigm_order=list(order),
                                 presentation=presentation)


def paradigm_order(present: list[str]) -> list[str]:
    """Study paradigms in the manifest's registry order, then any the manifest does not list."""
    try:
        registry = [paradigm.id for paradigm in page_helpers.read_manifest().paradigms]
    except BundleError:
        registry = []
    return [p for p in registry if p in present] + [p for p in present if p not in registry]


def choose_paradigms(order: list[str], headline: list[str], column, language: str) -> list[str]:
    """The paradigms shown: the lesson's (the headline ones when it names none), through the
    multiselect unless controls are hidden."""
    wanted = page_helpers.lesson_state().paradigms
    if wanted is None:
        wanted = tuple(headline)
    from_lesson = [p for p in order if p in wanted] or order
    if page_helpers.controls_hidden():
        return from_lesson
    page_helpers.seed_widget(PARADIGMS_KEY, from_lesson)
    # Another data set may list other paradigms: a choice it does not offer is dropped.
    still_offered = [p for p in st.session_state[PARADIGMS_KEY] if p in order]
    if still_offered != st.session_state[PARADIGMS_KEY]:
        st.session_state[PARADIGMS_KEY] = still_offered
    chosen = column.multiselect(
        t("study.paradigms", language),
        options=order,
        format_func=lambda paradigm: paradigm_name(paradigm, language),
        key=PARADIGMS_KEY,
    )
    # The headline set is what a link without paradigms opens on: it needs no parameter.
    as_opened = not chosen or set(chosen) == set(headline)
    page_helpers.update_lesson(
        paradigms=None if as_opened else tuple(p for p in order if p in chosen)
    )
    return chosen


def choose_seeds(available: list[int], column, language: str) -> list[int]:
    """The seeds averaged: the lesson's, through the multiselect unless controls are hidden."""
    wanted = page_helpers.lesson_state().seeds
    from_lesson = [s for s in available if wanted is None or s in wanted] or available
    if page_helpers.controls_hidden():
        return from_lesson
    page_helpers.seed_widget(SEEDS_KEY, from_lesson)
    # Pills, not a drop-down: three seeds fit side by side in a narrow column.
    chosen = column.pills(
        t("study.seeds", language),
        options=available,
        selection_mode="multi",
        format_func=lambda seed: t("study.seed_option", language, seed=seed),
        key=SEEDS_KEY,
    )
    every_one = not chosen or set(chosen) == set(available)
    page_helpers.update_lesson(
        seeds=None if every_one else tuple(s for s in available if s in chosen)
    )
    return chosen


def render_downloads(
    shown: pd.DataFrame, results: pd.DataFrame, dataset: str, language: str
) -> None:
    st.download_button(
        t("study.download_summary", language),
        data=tables.summary_csv(shown, language=language),
        file_name=f"paradigm-lab-study-summary-{dataset}.csv",
        mime="text/csv",
        icon=icons.DOWNLOAD,
    )
    st.download_button(
        t("study.download_raw", language),
        data=tables.results_csv(results),
        file_name=f"paradigm-lab-study-results-{dataset}.csv",
        mime="text/csv",
        icon=icons.DOWNLOAD,
    )


# A fragment: its widgets rerun only this function, not the whole page and sidebar (a class
# moving a slider together costs the server a fraction of a page each; issue #20).
@page_helpers.interactive_fragment
def render_target(shown: pd.DataFrame, chosen_in_order: list[str], language: str) -> None:
    if page_helpers.controls_hidden():
        target_percent = DEFAULT_TARGET_PERCENT
    else:
        target_percent = st.slider(
            t("study.target", language),
            min_value=10,
            max_value=100,
            value=DEFAULT_TARGET_PERCENT,
            step=1,
            format="%d %%",
            key="study_target",
        )
    needed = study_results.labels_needed(shown, target_percent / 100)
    page_helpers.show_table(
        tables.labels_needed_table(needed, language=language, paradigm_order=chosen_in_order)
    )
    st.caption(t("study.target_caption", language))


# --- the chart re-checks itself ----------------------------------------------------------------


def run_recheck(language: str) -> RecheckReport | None:
    """Measure every shipped model now, with a progress bar; None (with the message shown) if
    the bundle is unusable."""
    try:
        manifest = page_helpers.read_manifest()
        results = page_helpers.read_results()
    except BundleError as error:
        page_helpers.show_error(error)
        return None
    progress = st.progress(0.0, text=t("study.recheck_starting", language))

    def show_progress(done: int, total: int) -> None:
        progress.progress(done / total, text=t("study.recheck_progress", language, done=done, total=total))

    report = recheck_study(
        manifest,
        results,
        # One thread per session: the re-check measures models side by side, one per core.
        session_for=lambda model: page_helpers.measuring_session(manifest, model, threads=1),
        evaluation_set_for=lambda dataset: page_helpers.read_evaluation_set(manifest, dataset),
        on_progress=show_progress,
        memory=recheck_memory.recheck_memory(manifest),
    )
    progress.empty()
    return report


def show_recheck(report: RecheckReport, language: str) -> None:
    if not report.points:
        st.info(t("study.recheck_none", language, command=FULL_STUDY_COMMAND))
        return
    flagged = report.flagged
    # The points with no model to measure are named in the same box, so that its verdict is not
    # read as covering them.
    results_only = (
        " " + t("study.recheck_results_only", language, count=report.n_results_only)
        if report.n_results_only else ""
    )
    if flagged:
        verdict = t("study.recheck_disagree", language, flagged=len(flagged), count=len(report.points))
        st.warning(verdict + results_only, icon=icons.WARNING)
    else:
        verdict = t("study.recheck_agree", language, count=len(report.points))
        st.success(verdict + results_only, icon=icons.SUCCESS)
    # Each model that could not be measured: the sentence naming it and its rebuild command.
    messages = dict.fromkeys(
        point.error.message(language) for point in report.points if point.error is not None
    )
    for message in messages:
        st.error(message, icon=icons.ERROR)
    st.plotly_chart(
        recheck_figure(
            list(report.points), language=language, presentation=page_helpers.presentation_mode()
        ),
        theme=None,
        config=plotly_config("paradigm-lab-recheck"),
        alt=t("study.recheck_chart_alt", language),
        key="study_recheck_chart",
    )
    page_helpers.show_table(tables.recheck_table(report.points, language=language))
    measured = sum(point.measured_accuracy is not None for point in report.points)
    recalled = min(report.n_recalled, measured)
    lines = []
    if measured > recalled:
        lines.append(t("study.recheck_caption", language, count=measured - recalled,
                       n_images=format_integer(report.n_images, language)))
    if recalled:
        at = time.strftime("%H:%M", time.localtime(report.first_measured_at or time.time()))
        lines.append(t("study.recheck_recalled", language, count=recalled, time=at,
                       n_images=format_integer(report.n_images, language)))
    lines.append(t("study.recheck_seconds", language, seconds=format_decimal(report.seconds, language, digits=2)))
    st.caption(" ".join(lines))


def render_recheck(language: str) -> None:
    st.header(t("study.recheck_heading", language))
    st.markdown(t("study.recheck_intro", language))
    try:
        # Measuring starts ahead of the click, once per server: the class then waits for the
        # files' fingerprints, not for 91 models.
        recheck_memory.recheck_memory(page_helpers.read_manifest())
    except BundleError:
        pass  # the click says why the bundle cannot be read
    version = page_helpers.bundle_version()
    if st.button(
        t("study.recheck_button", language), type="primary", icon=icons.RECHECK, key="study_recheck_button"
    ):
        report = run_recheck(language)
        if report is not None:
            st.session_state[RECHECK_KEY] = (version, report)
    stored = st.session_state.get(RECHECK_KEY)
    # Shown again on later reruns (a language switch), unless the bundle has changed since.
    if stored is not None and stored[0] == version:
        show_recheck(stored[1], language)


def render_study() -> None:
    language = page_helpers.current_language()
    panels = visible_panels(page_helpers.lesson_state(), PAGE_ID)
    st.title(t("study.heading", language))
    st.markdown(t("study.intro", language))
    try:
        results = page_helpers.read_results()
    except BundleError as error:
        page_helpers.show_error(error)
        return
    if results.empty:
        st.info(t("study.no_results", language, command=FULL_STUDY_COMMAND))
        return
    all_seeds = sorted(int(seed) for seed in results["seed"].unique())
    controls = None if page_helpers.controls_hidden() else st.columns([2.6, 1.3, 1.7])
    seeds = choose_seeds(all_seeds, controls[2] if controls else None, language)
    if not seeds:
        st.info(t("study.no_seed", language))
        return
    try:
        summary = page_helpers.read_study_summary(
            None if set(seeds) == set(all_seeds) else tuple(seeds)
        )
    except BundleError as error:
        page_helpers.show_error(error)
        return

    datasets = sorted(summary["dataset"].unique())
    if len(datasets) > 1 and controls is not None:
        dataset = controls[0].selectbox(
            t("study.dataset", language), datasets, key="study_dataset"
        )
    else:
        dataset = datasets[0]
    summary = summary[summary["dataset"] == dataset]
    order = paradigm_order(list(dict.fromkeys(summary["paradigm"])))
    headline = study_results.headline_paradigms(summary)
    chosen = choose_paradigms(order, headline, controls[0] if controls else None, language)
    if controls is None:
        spread = study_results.SPREAD_STD
    else:
        spread = controls[1].radio(
            t("study.spread", language),
            options=study_results.SPREAD_KINDS,
            format_func=lambda kind: t(f"study.spread.{kind}", language),
            key="study_spread",
        )
    if not chosen:
        st.info(t("study.no_selection", language))
        return
    shown = summary[summary["paradigm"].isin(chosen)]
    chosen_in_order = [paradigm for paradigm in order if paradigm in chosen]

    if "chart" in panels:
        st.plotly_chart(
            _study_figure(shown, language, spread, tuple(chosen_in_order), page_helpers.presentation_mode()),
            theme=None,  # the figure's own fonts and sizes, which presentation mode enlarges
            config=plotly_config(STUDY_PNG_FILENAME),
            alt=t("study.chart_alt", language),
        )
        st.caption(t("study.png_caption", language, filename=STUDY_PNG_FILENAME))
        if set(chosen) == set(headline) and len(order) > len(chosen):
            st.caption(t("study.headline_caption", language, count=len(order) - len(chosen)))

    # The chart is the class's view; a lesson step that names the table or the target shows them
    # open, the page opened on its own folds them.
    folded = len(panels) == len(PANELS_BY_PAGE[PAGE_ID])
    if "table" in panels:
        with page_helpers.page_part(t("study.table_heading", language), folded=folded):
            page_helpers.show_table(
                tables.accuracy_table(
                    shown, spread=spread, language=language, paradigm_order=chosen_in_order
                )
            )
            st.caption(
                t("study.table_caption", language, spread=t(f"study.spread.{spread}", language))
            )
    if "downloads" in panels:
        shown_results = results[
            (results["dataset"] == dataset)
            & results["paradigm"].isin(chosen)
            & results["seed"].isin(seeds)
        ]
        render_downloads(shown, shown_results, dataset, language)
    if "target" in panels:
        with page_helpers.page_part(t("study.target_heading", language), folded=folded):
            render_target(shown, chosen_in_order, language)
    if "recheck" in panels:
        render_recheck(language)


render_study()
