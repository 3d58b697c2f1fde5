"""Paradigm Lab's entry point: the page router and the sidebar every page shares.

Run from the repository root with `streamlit run dashboard/app.py` (add `?lang=en` to the URL for
English). The pages live in dashboard/topics/; this file only routes to them, draws the sidebar
(language, presentation mode, the lesson link) and keeps the lesson state and the URL in step:

- a URL opened (a new tab, a lesson link, a step of the guided lesson) sets the lesson state;
- the sidebar navigation drops the URL's query parameters, so the state lives in the session and
  is written back to the URL after every run (dashboard/core/lesson_state.py has the format);
- `controls=hidden` in a link is the student view: no sidebar, no controls, only the content.
"""

import dataclasses
import logging
import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the repository root, so
# `import dashboard.xxx` (which the pages and the tests share) needs the root added here.
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
if str(REPOSITORY_ROOT) not in sys.path:
    sys.path.insert(0, str(REPOSITORY_ROOT))

import streamlit as st  # noqa: E402 (after the sys.path fix above)

from dashboard.core import icons, page_helpers  # noqa: E402
from dashboard.core.bundle_reader import BundleError  # noqa: E402
from dashboard.core.i18n import LANGUAGES, resolve_language, t  # noqa: E402
from dashboard.core.lesson_plan import STEPS, step_position, step_target  # noqa: E402
from dashboard.core.lesson_state import (  # noqa: E402
    PANELS_BY_PAGE,
    LessonState,
    lesson_link,
    parse_query_params,
    switch_page,
    to_query_params,
    visible_panels,
    with_page_panels,
)
from dashboard.core.page_helpers import LANGUAGE_KEY, LESSON_KEY, PRESENTATION_KEY  # noqa: E402
from dashboard.core.page_registry import HOME_PAGE, LINK_DRIVEN_WIDGETS, PAGES, page_entry  # noqa: E402

DASHBOARD_DIRECTORY = Path(__file__).resolve().parent

# The query parameters this session last wrote: a URL that differs was opened by the user.
WRITTEN_PARAMS_KEY = "lesson_params_written"
HIDE_CONTROLS_KEY = "lesson_link_hide_controls"
PAGE_VIEWS_KEY = "page_views"  # each page's view as the user last left it (lesson_state.switch_page)
LESSON_PAGE = "lesson"
PANELS_WIDGET_PREFIX = "lesson_panels_"

# Projector mode: bigger type everywhere (Streamlit sizes in rem, so the root size scales it all)
# and black on white with underlined links, which survive a washed-out projector. The app's own
# toolbar is hidden: nothing on the screen that the class does not need.
# Every view: Streamlit's captions are a faded grey below WCAG AA's 4.5:1 contrast on white
# (scripts/accessibility_check.py finds them); a darker grey keeps them secondary but readable.
# And the runs' marks (page_helpers.draw_run_end) take no room: each sits in an element of its
# own, which would add a gap between elements (21 px on a projector) at the end of every fragment.
# A page's sections are h2 under its h1 title (st.header): h3 straight after h1 skips a level for
# a screen reader (axe-core's heading-order). They keep the size they had as h3 (Streamlit's
# 1.75rem, 0.75rem above, 1rem below): at h2's own size every figure moved down the projector
# screen.
EVERY_VIEW_CSS = f"""
<style>
.stApp [data-testid="stHeading"] h2 {{ font-size: 1.75rem; padding: 0.75rem 0 1rem; }}
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] p,
.stApp [data-testid="stCaptionContainer"] code {{ color: #4a4d57 !important; opacity: 1 !important; }}
.stApp [data-testid="stElementContainer"]:has(.{page_helpers.RUN_END_CLASS}) {{ display: none; }}
</style>
"""

PRESENTATION_CSS = """
<style>
html { font-size: 21px; }
.stApp, .stApp [data-testid="stSidebar"] { background: #ffffff; color: #000000; }
.stApp p, .stApp li, .stApp label, .stApp td, .stApp th { color: #000000 !important; }
.stApp h1 { font-size: 2.6rem; color: #000000; }
.stApp h2, .stApp h3 { color: #000000; }
.stApp [data-testid="stCaptionContainer"] { color: #1a1a1a !important; font-size: 0.95rem; }
.stApp a { color: #00337a !important; text-decoration: underline; }
.stApp table { font-size: 1rem; border: 2px solid #000000; }
.stApp [data-testid="stSidebar"] { border-right: 3px solid #000000; }
/* The app's menu goes, not the toolbar: it holds the arrow that brings the folded sidebar back. */
.stApp [data-testid="stMainMenu"], .stApp [data-testid="stToolbarActions"],
.stApp [data-testid="stDecoration"] { display: none; }
/* The 6 rem Streamlit leaves above a page is a tenth of a 768-pixel projector: content instead. */
.stApp [data-testid="stMainBlockContainer"] { padding-top: 3rem; }
.stApp [data-testid="stHeader"] { background: transparent; }
</style>
"""
# Student view: only the content the lesson link chose; no sidebar and no app toolbar.
STUDENT_VIEW_CSS = """
<style>
.stApp [data-testid="stSidebar"], .stApp [data-testid="stSidebarCollapsedControl"],
.stApp [data-testid="stToolbar"], .stApp [data-testid="stDecoration"] { display: none; }
</style>
"""

st.set_page_config(page_title="Paradigm Lab", page_icon=icons.HOME, layout="wide")


def open_lesson_state() -> tuple[LessonState, bool]:
    """The lesson state for this run: from the URL if the user just opened one, else the
    session's, with the language and mode the sidebar widgets now hold; and whether a URL
    was opened."""
    params = st.query_params.to_dict()
    stored = st.session_state.get(LESSON_KEY)
    if not isinstance(stored, LessonState) or (
        params and params != st.session_state.get(WRITTEN_PARAMS_KEY)
    ):
        state = parse_query_params(params, page_helpers.lesson_vocabulary())
        st.session_state[LANGUAGE_KEY] = state.language
        st.session_state[PRESENTATION_KEY] = state.projector
        for key in list(st.session_state.keys()):
            if key in LINK_DRIVEN_WIDGETS or str(key).startswith(PANELS_WIDGET_PREFIX):
                del st.session_state[key]
        return state, True
    return dataclasses.replace(
        stored,
        language=resolve_language(st.session_state.get(LANGUAGE_KEY, stored.language)),
        projector=bool(st.session_state.get(PRESENTATION_KEY, stored.projector)),
    ), False


def step_link(target: LessonState, label: str) -> None:
    page = page_entry(target.page)
    st.page_link(DASHBOARD_DIRECTORY / page.file, label=label, query_params=to_query_params(target))


def show_lesson_navigation(lesson: LessonState, language: str, *, with_title: bool) -> None:
    """On a page a lesson step opened: where the lesson stands, the previous and next steps
    and the way back, so the teacher never has to look for them in the sidebar."""
    position = step_position(lesson.step)
    if position is None or lesson.controls_hidden:
        return
    try:
        manifest = page_helpers.read_manifest()
    except BundleError:
        manifest = None  # the steps then open the map; the page itself says what is missing
    step = STEPS[position]
    with st.container(border=True, key=f"lesson_navigation_{'top' if with_title else 'bottom'}"):
        if with_title:
            st.markdown(t("lesson.nav.where", language, number=position + 1, count=len(STEPS),
                          title=t(f"lesson.step.{step.id}.title", language)))
        columns = st.columns(3)
        with columns[0]:
            if position > 0:
                step_link(step_target(STEPS[position - 1], lesson, manifest),
                          t("lesson.nav.previous", language, number=position))
        with columns[1]:
            step_link(dataclasses.replace(LessonState(language=lesson.language, projector=lesson.projector),
                                          page=LESSON_PAGE), t("lesson.nav.back", language))
        with columns[2]:
            if position + 1 < len(STEPS):
                step_link(step_target(STEPS[position + 1], lesson, manifest),
                          t("lesson.nav.next", language, number=position + 2))


lesson, opened_a_link = open_lesson_state()
language = lesson.language
# On a projector the content gets the whole width: the sidebar starts folded (its arrow opens it).
st.set_page_config(initial_sidebar_state="collapsed" if lesson.projector else "auto")
# Streamlit forgets a widget's value when a run does not draw it (the student view hides the
# sidebar): the lesson state gives it back.
page_helpers.seed_widget(LANGUAGE_KEY, language)
page_helpers.seed_widget(PRESENTATION_KEY, lesson.projector)

pages = [
    st.Page(
        DASHBOARD_DIRECTORY / page.file,
        title=t(f"page.{page.id}.title", language),
        icon=page.icon,
        url_path=page.id,
        default=page.id == HOME_PAGE,
    )
    for page in PAGES
]
current_page = st.navigation(pages, position="hidden" if lesson.controls_hidden else "sidebar")
page_id = current_page.url_path or HOME_PAGE
if opened_a_link:
    lesson = dataclasses.replace(lesson, page=page_id)  # the link's view is this page's
else:
    # The sidebar: the page opens as the user last left it, or with its own defaults.
    lesson, page_views = switch_page(lesson, page_id, st.session_state.get(PAGE_VIEWS_KEY, {}))
    st.session_state[PAGE_VIEWS_KEY] = page_views
st.session_state[LESSON_KEY] = lesson

link_slot = None
if not lesson.controls_hidden:
    with st.sidebar:
        st.radio(
            t("sidebar.language", language),
            options=LANGUAGES,
            format_func=lambda code: t(f"language.{code}", language),
            key=LANGUAGE_KEY,
            horizontal=True,
        )
        st.toggle(
            t("sidebar.presentation", language),
            key=PRESENTATION_KEY,
            help=t("sidebar.presentation_help", language),
        )
        with st.expander(t("sidebar.lesson_link", language)):
            page_panels = PANELS_BY_PAGE.get(page_id)
            if page_panels:
                panels_key = PANELS_WIDGET_PREFIX + page_id
                page_helpers.seed_widget(panels_key, list(visible_panels(lesson, page_id)))
                chosen_panels = st.multiselect(
                    t("sidebar.panels", language),
                    options=page_panels,
                    format_func=lambda panel: t(f"panel.{panel}", language),
                    key=panels_key,
                )
                lesson = page_helpers.update_lesson(
                    panels=with_page_panels(lesson, page_id, chosen_panels).panels
                )
            st.toggle(
                t("sidebar.hide_controls", language),
                key=HIDE_CONTROLS_KEY,
                help=t("sidebar.hide_controls_help", language),
            )
            link_slot = st.empty()
else:
    st.html(STUDENT_VIEW_CSS)

st.html(EVERY_VIEW_CSS)
if lesson.projector:
    st.html(PRESENTATION_CSS)

# Last safety net: the pages turn every error a user can meet into a sentence, but should one slip
# through, the user still gets a sentence and the other pages, while the terminal gets the
# traceback. st.stop() and st.rerun() raise BaseExceptions and pass through untouched.
show_lesson_navigation(lesson, language, with_title=True)
try:
    current_page.run()
except Exception as error:
    logging.getLogger("paradigm_lab").exception("page %s failed", current_page.title)
    st.error(t("error.unexpected", language, error_type=type(error).__name__), icon=icons.WARNING)
show_lesson_navigation(page_helpers.lesson_state(), language, with_title=False)

# The page may have changed the state (a slider, a choice of paradigms): the URL and the lesson
# link follow, so a bookmark, a reload or a shared link opens this very view.
lesson = page_helpers.lesson_state()
params = to_query_params(lesson)
st.query_params.from_dict(params)
st.session_state[WRITTEN_PARAMS_KEY] = params
if link_slot is not None:
    base_url = page_helpers.link_base_url(current_page.url_path)
    link_state = dataclasses.replace(
        lesson, controls_hidden=bool(st.session_state.get(HIDE_CONTROLS_KEY))
    )
    with link_slot.container():
        st.caption(t("sidebar.lesson_intro", language))
        st.code(lesson_link(base_url, link_state), language=None, wrap_lines=True)
        st.caption(t("sidebar.lesson_copy", language))

# The run's last element (page_helpers.draw_run_end: what the browser checks wait for).
page_helpers.draw_run_end("app")
