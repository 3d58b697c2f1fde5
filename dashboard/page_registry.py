"""The dashboard's pages, in the sidebar's order: one list that the router (app.py), lesson links
(lesson_state.py) and the guided lesson (views/lesson.py) all read.

A page's id is also its URL path (`/study`), and its title is the translation `page.<id>.title`.
Icons are emoji: Material icons would make the browser fetch them from the internet.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    id: str
    file: str  # relative to dashboard/, as st.page_link and st.switch_page take it
    icon: str


PAGES = (
    PageEntry("home", "views/home.py", "🧭"),
    PageEntry("lesson", "views/lesson.py", "🎓"),
    PageEntry("try", "views/try_digit.py", "✍️"),
    PageEntry("study", "views/study.py", "📈"),
    PageEntry("semi", "views/semi_supervised.py", "🌱"),
    PageEntry("gan", "views/gan.py", "🎨"),
    PageEntry("self_supervised", "views/self_supervised.py", "🧩"),
    PageEntry("colourisation", "views/colourisation.py", "🖌️"),
    PageEntry("labels", "views/class_labels.py", "🏷️"),
    PageEntry("models", "views/models.py", "📦"),
)
HOME_PAGE = "home"
PAGE_IDS = tuple(page.id for page in PAGES)


def page_entry(page_id: str) -> PageEntry:
    return next(page for page in PAGES if page.id == page_id)
