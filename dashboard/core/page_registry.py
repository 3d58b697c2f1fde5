"""The dashboard's pages, in the sidebar's order: one list that the router (app.py), lesson links
(lesson_state.py), the guided lesson (topics/lesson/page.py) and the tests all read.

A page's id is also its URL path (`/study`), and its title is the translation `page.<id>.title`.
Icons: dashboard/core/icons.py says why they are plain symbols. What a lesson link can set on a page
is declared with the page: the panels it can show or hide (`panels=` in a link, translated as
`panel.<id>`) and the keys of its widgets that a link seeds (forgotten when a link opens, so the
page seeds them again from the new lesson state; tests check that the page uses each key).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.core import icons


@dataclass(frozen=True)
class PageEntry:
    id: str
    file: str  # relative to dashboard/, as st.page_link and st.switch_page take it
    icon: str
    panels: tuple[str, ...] = ()  # a page shows all of its panels by default
    link_widgets: tuple[str, ...] = ()


PAGES = (
    PageEntry("home", "topics/home/page.py", icons.HOME),
    PageEntry("lesson", "topics/lesson/page.py", icons.LESSON),
    PageEntry("try_digit", "topics/try_digit/page.py", icons.TRY,
              panels=("draw", "upload", "camera"), link_widgets=("try_digit_fraction",)),
    PageEntry("study", "topics/study/page.py", icons.STUDY,
              panels=("chart", "table", "downloads", "target", "recheck"),
              link_widgets=("study_paradigms", "study_seeds")),
    PageEntry("semi_supervised", "topics/semi_supervised/page.py", icons.SEMI_SUPERVISED,
              panels=("labelled", "spreading", "mistakes", "threshold"),
              link_widgets=("semi_supervised_paradigm", "semi_supervised_fraction")),
    PageEntry("gan", "topics/gan/page.py", icons.GAN),
    PageEntry("self_supervised", "topics/self_supervised/page.py", icons.SELF_SUPERVISED, link_widgets=("self_supervised_task",)),
    PageEntry("colourisation", "topics/colourisation/page.py", icons.COLOURISATION),
    # Students get "label" (and "draw"), the projector "chart".
    PageEntry("class_labels", "topics/class_labels/page.py", icons.CLASS_LABELS, panels=("label", "draw", "chart", "teacher")),
    PageEntry("models", "topics/models/page.py", icons.MODELS),
)
HOME_PAGE = "home"
PAGE_IDS = tuple(page.id for page in PAGES)
LINK_DRIVEN_WIDGETS = tuple(key for page in PAGES for key in page.link_widgets)


def page_entry(page_id: str) -> PageEntry:
    return next(page for page in PAGES if page.id == page_id)
