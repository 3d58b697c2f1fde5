"""The dashboard's pages, in the sidebar's order: one list that the router (app.py), lesson links
(lesson_state.py) and the guided lesson (views/lesson.py) all read.

A page's id is also its URL path (`/study`), and its title is the translation `page.<id>.title`.
Icons: dashboard/icons.py says why they are plain symbols.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import icons


@dataclass(frozen=True)
class PageEntry:
    id: str
    file: str  # relative to dashboard/, as st.page_link and st.switch_page take it
    icon: str


PAGES = (
    PageEntry("home", "views/home.py", icons.HOME),
    PageEntry("lesson", "views/lesson.py", icons.LESSON),
    PageEntry("try", "views/try_digit.py", icons.TRY),
    PageEntry("study", "views/study.py", icons.STUDY),
    PageEntry("semi", "views/semi_supervised.py", icons.SEMI_SUPERVISED),
    PageEntry("gan", "views/gan.py", icons.GAN),
    PageEntry("self_supervised", "views/self_supervised.py", icons.SELF_SUPERVISED),
    PageEntry("colourisation", "views/colourisation.py", icons.COLOURISATION),
    PageEntry("labels", "views/class_labels.py", icons.CLASS_LABELS),
    PageEntry("models", "views/models.py", icons.MODELS),
)
HOME_PAGE = "home"
PAGE_IDS = tuple(page.id for page in PAGES)


def page_entry(page_id: str) -> PageEntry:
    return next(page for page in PAGES if page.id == page_id)
