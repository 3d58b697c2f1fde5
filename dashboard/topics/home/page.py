"""Home page: the map of paradigms, from every example labelled by people to no labels at all.

It reads the manifest's paradigm list to say which paradigms are available and which are coming;
without a manifest it still explains the families, with a message saying how to build the models.
"""

import streamlit as st

from dashboard.core import icons, page_helpers
from dashboard.core.bundle_reader import BundleError
from dashboard.core.figures import (
    FAMILY_MARKDOWN_COLOURS,
    UNKNOWN_FAMILY_MARKDOWN_COLOUR,
    paradigm_spectrum_figure,
    plotly_config,
    spectrum_entries,
    spectrum_families,
)
from dashboard.core.i18n import family_name, family_text, paradigm_name, paradigm_text, t


def render_home() -> None:
    language = page_helpers.current_language()
    st.title(t("home.heading", language))
    st.markdown(t("home.intro", language))

    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        st.info(t("home.without_manifest", language))
    try:
        paradigms_with_results = set(page_helpers.read_results()["paradigm"])
    except BundleError:
        # The study page explains a missing results table; here it only means "no results yet".
        paradigms_with_results = set()
    entries = spectrum_entries(manifest, paradigms_with_results)

    st.header(t("home.spectrum_heading", language))
    st.plotly_chart(
        paradigm_spectrum_figure(
            entries, language=language, presentation=page_helpers.presentation_mode()
        ),
        theme=None,  # the figure's own fonts and sizes, which presentation mode enlarges
        config=plotly_config("paradigm-lab-map"),
        alt=t("home.spectrum_alt", language),
    )
    st.caption(t("home.spectrum_caption", language))
    st.page_link("topics/study/page.py", label=t("home.go_study", language), icon=icons.STUDY)
    st.page_link("topics/models/page.py", label=t("home.go_models", language), icon=icons.MODELS)

    # Each family's detail is for a class that already read the map: folded (one rule, every page).
    with page_helpers.going_further(t("home.families_heading", language)):
        for family in spectrum_families(entries):
            with st.container(border=True):
                colour = FAMILY_MARKDOWN_COLOURS.get(family, UNKNOWN_FAMILY_MARKDOWN_COLOUR)
                st.markdown(f"#### :{colour}[{family_name(family, language)}]")
                st.markdown(family_text(family, "description", language))
                source = family_text(family, "label_source", language)
                if source:
                    st.markdown(t("home.label_source", language, source=source))
                members = [entry for entry in entries if entry.family == family]
                if manifest is not None and not members:
                    st.caption(t("home.no_paradigm", language))
                lines = [
                    "- "
                    + t(
                        "home.paradigm_item",
                        language,
                        name=paradigm_name(entry.paradigm, language),
                        status=t(
                            "home.status.available" if entry.available else "home.status.coming",
                            language,
                        ),
                        description=paradigm_text(entry.paradigm, "description", language),
                        source=paradigm_text(entry.paradigm, "label_source", language) or "?",
                    )
                    for entry in members
                ]
                if lines:
                    st.markdown("\n".join(lines))


render_home()
