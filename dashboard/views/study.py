"""Label-fraction study page: test accuracy against the fraction of labelled examples.

Reads results.csv (every seed of every study point); the manifest, when there is one, only gives
the order in which paradigms are listed, so the chart still shows if the manifest is broken.
"""

import streamlit as st

from dashboard import page_helpers, study_results, tables
from dashboard.bundle import FULL_STUDY_COMMAND, BundleError
from dashboard.figures import STUDY_PNG_FILENAME, label_fraction_figure, plotly_config
from dashboard.i18n import paradigm_name, t

DEFAULT_TARGET_PERCENT = 90


def paradigm_order(present: list[str]) -> list[str]:
    """Study paradigms in the manifest's registry order, then any the manifest does not list."""
    try:
        registry = [paradigm.id for paradigm in page_helpers.read_manifest().paradigms]
    except BundleError:
        registry = []
    return [p for p in registry if p in present] + [p for p in present if p not in registry]


def render_study() -> None:
    language = page_helpers.current_language()
    st.title(t("study.heading", language))
    st.markdown(t("study.intro", language))
    try:
        summary = page_helpers.read_study_summary()
        results = page_helpers.read_results()
    except BundleError as error:
        page_helpers.show_error(error)
        return
    if summary.empty:
        st.info(t("study.no_results", language, command=FULL_STUDY_COMMAND))
        return

    datasets = sorted(summary["dataset"].unique())
    control_columns = st.columns([1, 3, 1.4] if len(datasets) > 1 else [3, 1.4])
    if len(datasets) > 1:
        dataset = control_columns[0].selectbox(
            t("study.dataset", language), datasets, key="study_dataset"
        )
    else:
        dataset = datasets[0]
    summary = summary[summary["dataset"] == dataset]
    order = paradigm_order(list(dict.fromkeys(summary["paradigm"])))
    chosen = control_columns[-2].multiselect(
        t("study.paradigms", language),
        options=order,
        default=order,
        format_func=lambda paradigm: paradigm_name(paradigm, language),
        key="study_paradigms",
    )
    spread = control_columns[-1].radio(
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

    st.plotly_chart(
        label_fraction_figure(
            shown,
            language=language,
            spread=spread,
            paradigm_order=chosen_in_order,
            presentation=page_helpers.presentation_mode(),
        ),
        theme=None,  # the figure's own fonts and sizes, which presentation mode enlarges
        config=plotly_config(STUDY_PNG_FILENAME),
        alt=t("study.chart_alt", language),
    )
    st.caption(t("study.png_caption", language, filename=STUDY_PNG_FILENAME))

    st.subheader(t("study.table_heading", language))
    page_helpers.show_table(
        tables.accuracy_table(
            shown, spread=spread, language=language, paradigm_order=chosen_in_order
        )
    )
    st.caption(t("study.table_caption", language, spread=t(f"study.spread.{spread}", language)))
    st.download_button(
        t("study.download_summary", language),
        data=tables.summary_csv(shown, language=language),
        file_name=f"paradigm-lab-study-summary-{dataset}.csv",
        mime="text/csv",
        icon="⬇️",
    )
    st.download_button(
        t("study.download_raw", language),
        data=tables.results_csv(
            results[(results["dataset"] == dataset) & results["paradigm"].isin(chosen)]
        ),
        file_name=f"paradigm-lab-study-results-{dataset}.csv",
        mime="text/csv",
        icon="⬇️",
    )

    st.subheader(t("study.target_heading", language))
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


render_study()
