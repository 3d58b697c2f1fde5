"""Paradigm Lab's entry point: the page router and the sidebar every page shares.

Run from the repository root with `streamlit run dashboard/app.py` (add `?lang=en` to the URL for
English). The pages live in dashboard/views/; this file only routes to them and draws the language
switch and the presentation-mode toggle.
"""

import logging
import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the repository root, so
# `import dashboard.xxx` (which the pages and the tests share) needs the root added here.
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
if str(REPOSITORY_ROOT) not in sys.path:
    sys.path.insert(0, str(REPOSITORY_ROOT))

import streamlit as st  # noqa: E402 (after the sys.path fix above)

from dashboard import bundle  # noqa: E402
from dashboard.i18n import LANGUAGES, resolve_language, t  # noqa: E402
from dashboard.page_helpers import LANGUAGE_KEY, PRESENTATION_KEY  # noqa: E402

VIEWS_DIRECTORY = Path(__file__).resolve().parent / "views"

# Projector mode: bigger type everywhere (Streamlit sizes in rem, so the root size scales it all)
# and black on white with underlined links, which survive a washed-out projector.
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
</style>
"""

st.set_page_config(page_title="Paradigm Lab", page_icon="🧭", layout="wide")

# The sidebar navigation drops the URL's query parameters, so the language lives in the session
# and is written back to the URL on every run (a bookmark or a shared link keeps it).
if LANGUAGE_KEY not in st.session_state:
    st.session_state[LANGUAGE_KEY] = resolve_language(st.query_params.get("lang"))
language = resolve_language(st.session_state[LANGUAGE_KEY])

# Emoji icons: Material icons would be fetched from the internet by the browser.
pages = [
    st.Page(
        VIEWS_DIRECTORY / "home.py",
        title=t("page.home.title", language),
        icon="🧭",
        url_path="home",
        default=True,
    ),
    st.Page(
        VIEWS_DIRECTORY / "study.py",
        title=t("page.study.title", language),
        icon="📈",
        url_path="study",
    ),
    st.Page(
        VIEWS_DIRECTORY / "models.py",
        title=t("page.models.title", language),
        icon="📦",
        url_path="models",
    ),
]
current_page = st.navigation(pages)

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
    st.caption(t("sidebar.bundle_location", language, directory=bundle.locate_bundle()))
st.query_params["lang"] = language

if st.session_state.get(PRESENTATION_KEY):
    st.html(PRESENTATION_CSS)

# Last safety net: the pages turn every error a user can meet into a sentence, but should one slip
# through, the user still gets a sentence and the other pages, while the terminal gets the
# traceback. st.stop() and st.rerun() raise BaseExceptions and pass through untouched.
try:
    current_page.run()
except Exception as error:
    logging.getLogger("paradigm_lab").exception("page %s failed", current_page.title)
    st.error(t("error.unexpected", language, error_type=type(error).__name__), icon="⚠️")
