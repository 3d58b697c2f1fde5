"""The dashboard's pages, in the sidebar's order: one list that the router (app.py), lesson links
(lesson_state.py), the guided lesson (views/lesson.py) and the tests all read.

A page's id is also its URL path (`/study`), and its title is the translation `page.<id>.title`.
Icons: dashboard/icons.py says why they are plain symbols. What a lesson link can set on a page
is declared with the page: the panels it can show or hide (`panels=` in a link, translated as
`panel.<id>`) and the keys of its widgets that a link seeds (forgotten when a link opens, so the
page seeds them again from the new lesson state; tests check that the page uses each key).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import icons


@dataclass(frozen=True)
class PageEntry:
    id: str
    file: str  # relative to dashboard/, as st.page_link and st.switch_page take it
    icon: str
    panels: tuple[str, ...] = ()  # a page shows all of its panels by default
    link_widgets: tuple[str, ...] = ()


PAGES = (
    PageEntry("home", "views/home.py", icons.HOME),
    PageEntry("lesson", "views/lesson.py", icons.LESSON),
    PageEntry("try", "views/try_digit.py", icons.TRY,
              panels=("draw", "upload", "camera"), link_widgets=("try_fraction",)),
    PageEntry("study", "views/study.py", icons.STUDY,
              panels=("chart", "table", "downloads", "target", "recheck"),
              link_widgets=("study_paradigms", "study_seeds")),
    PageEntry("semi", "views/semi_supervised.py", icons.SEMI_SUPERVISED,
              panels=("labelled", "spreading", "mistakes", "threshold"),
              link_widgets=("semi_paradigm", "semi_fraction")),
    PageEntry("gan", "views/gan.py", icons.GAN),
    PageEntry("self_supervised", "views/self_supervised.py", icons.SELF_SUPERVISED, link_widgets=("ssl_task",)),
    PageEntry("colourisation", "views/colourisation.py", icons.COLOURISATION),
    # Students get "label" (and "draw"), the projector "chart".
    PageEntry("labels", "views/class_labels.py", icons.CLASS_LABELS, panels=("label", "draw", "chart", "teacher")),
    PageEntry("models", "views/models.py", icons.MODELS),
)
HOME_PAGE = "home"
PAGE_IDS = tuple(page.id for page in PAGES)
LINK_DRIVEN_WIDGETS = tuple(key for page in PAGES for key in page.link_widgets)


def page_entry(page_id: str) -> PageEntry:
    return next(page for page in PAGES if page.id == page_id)
