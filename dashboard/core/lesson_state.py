"""A lesson as a link: the view a teacher prepared (page, language, label fraction, paradigms,
seeds, visible panels, hidden controls, projector mode), to and from the URL.

    http://localhost:8501/study?lang=en&paradigms=supervised,kmeans&seeds=0&panels=chart,table&controls=hidden

The page is the URL's path (Streamlit routes on it); everything else is a query parameter. Reading
a URL is total: an unknown page, a fraction the study never measured (`fraction=7`), a paradigm
that does not exist, a script tag or any other garbage is ignored and leaves that part of the view
at its default, never an error. What is valid comes from a `LessonVocabulary` built from the
bundle, so a new paradigm or fraction needs no change here. Nothing here imports streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from dashboard.core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from dashboard.core.page_registry import HOME_PAGE, PAGE_IDS, PAGES

# Panels a lesson link can show or hide, per page (declared in the page registry).
PANELS_BY_PAGE = {page.id: page.panels for page in PAGES if page.panels}
# Once each: two pages may both have a panel of the same name ("draw").
PANEL_IDS = tuple(dict.fromkeys(panel for panels in PANELS_BY_PAGE.values() for panel in panels))

# Query parameter names, as they appear in a lesson link.
LANGUAGE_PARAMETER = "lang"
FRACTION_PARAMETER = "fraction"  # in percent: fraction=5 is 5 % of the pool labelled
PARADIGMS_PARAMETER = "paradigms"
SEEDS_PARAMETER = "seeds"
PANELS_PARAMETER = "panels"
CONTROLS_PARAMETER = "controls"
PROJECTOR_PARAMETER = "projector"
CLASS_PARAMETER = "class"  # the class-labels page's class code, e.g. class=KMPT
STEP_PARAMETER = "step"  # the lesson step a view was opened from, e.g. step=few_labels
CONTROLS_HIDDEN_VALUE = "hidden"
PROJECTOR_ON_VALUE = "1"
_TRUE_WORDS = ("1", "on", "true", "yes")

# Longer values are not a lesson link a person made: ignored unread.
MAX_VALUE_LENGTH = 400


@dataclass(frozen=True)
class LessonVocabulary:
    """What a link may name, read from the bundle: anything else in a link is ignored."""

    paradigms: tuple[str, ...] = ()
    fractions: tuple[float, ...] = ()  # label fractions in (0, 1]
    seeds: tuple[int, ...] = ()
    steps: tuple[str, ...] = ()  # the guided lesson's step ids


@dataclass(frozen=True)
class LessonState:
    """One view of the app. None means "the page's default" (all paradigms, all seeds, all
    panels, the largest fraction), so a link names only what the teacher chose."""

    page: str = HOME_PAGE
    language: str = DEFAULT_LANGUAGE
    label_fraction: float | None = None
    paradigms: tuple[str, ...] | None = None
    seeds: tuple[int, ...] | None = None
    panels: tuple[str, ...] | None = None
    controls_hidden: bool = False
    projector: bool = False
    class_code: str | None = None
    step: str | None = None  # the guided-lesson step that opened this view

    def shows_panel(self, panel: str) -> bool:
        return self.panels is None or panel in self.panels


# --- reading a URL -----------------------------------------------------------------------------


def _text(params: Mapping[str, object], name: str) -> str | None:
    """The parameter's last value as stripped text, or None if absent or not plausible text."""
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH:
        return None
    return value.strip()


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()] if text else []


def _chosen(items: list, allowed: tuple) -> tuple | None:
    """The allowed items named, in the vocabulary's order; None (the default) if none is."""
    named = set(items)
    chosen = tuple(item for item in allowed if item in named)
    return chosen or None


def _fraction(text: str | None, allowed: tuple[float, ...]) -> float | None:
    if not text:
        return None
    try:
        percent = float(text.removesuffix("%"))
    except ValueError:
        return None
    if not math.isfinite(percent):
        return None
    return next(
        (fraction for fraction in allowed if math.isclose(100 * fraction, percent, rel_tol=1e-6)),
        None,
    )


def _one_of(text: str | None, allowed: tuple[str, ...]) -> str | None:
    return text if text in allowed else None


def _seed(item: str) -> int | None:
    # isdecimal, not int(): int() also reads "٣", "+1", " 1_0 ", which no person types in a link.
    return int(item) if item.isascii() and item.isdecimal() and len(item) <= 9 else None


def _class_code(text: str | None) -> str | None:
    """Four capital letters (the shape of every class code), or None; whether such a class
    exists is the class-labels page's question, not the link's."""
    code = (text or "").upper()
    return code if len(code) == 4 and code.isascii() and code.isalpha() else None


def page_from_path(path: object) -> str:
    """The page a URL path names ("/study" -> "study"); the home page for anything else."""
    if not isinstance(path, str):
        return HOME_PAGE
    segments = [segment for segment in path.split("/") if segment]
    last = segments[-1] if segments else ""
    return last if last in PAGE_IDS else HOME_PAGE


def parse_query_params(
    params: Mapping[str, object], vocabulary: LessonVocabulary, *, page: str = HOME_PAGE
) -> LessonState:
    """The lesson state a URL's query parameters describe; never raises.

    `params` maps names to a value or a list of values (the last one counts), as
    `st.query_params.to_dict()` or `urllib.parse.parse_qs` give them.
    """
    if not isinstance(params, Mapping):
        params = {}
    language = (_text(params, LANGUAGE_PARAMETER) or "").lower()
    seeds = [_seed(item) for item in _items(_text(params, SEEDS_PARAMETER))]
    return LessonState(
        page=page if page in PAGE_IDS else HOME_PAGE,
        language=language if language in LANGUAGES else DEFAULT_LANGUAGE,
        label_fraction=_fraction(_text(params, FRACTION_PARAMETER), vocabulary.fractions),
        paradigms=_chosen(_items(_text(params, PARADIGMS_PARAMETER)), vocabulary.paradigms),
        seeds=_chosen([seed for seed in seeds if seed is not None], vocabulary.seeds),
        panels=_chosen(_items(_text(params, PANELS_PARAMETER)), PANEL_IDS),
        controls_hidden=(_text(params, CONTROLS_PARAMETER) or "").lower() == CONTROLS_HIDDEN_VALUE,
        projector=(_text(params, PROJECTOR_PARAMETER) or "").lower() in _TRUE_WORDS,
        class_code=_class_code(_text(params, CLASS_PARAMETER)),
        step=_one_of(_text(params, STEP_PARAMETER), vocabulary.steps),
    )


def parse_lesson_link(url: str, vocabulary: LessonVocabulary) -> LessonState:
    """The lesson state of a whole link (page from its path, the rest from its query)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return LessonState()
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    return parse_query_params(params, vocabulary, page=page_from_path(parts.path))


# --- writing a URL -----------------------------------------------------------------------------


def format_fraction_parameter(label_fraction: float) -> str:
    """0.05 -> "5", 0.005 -> "0.5": the percentage, as short as it is exact."""
    return f"{100 * label_fraction:.6g}"


def to_query_params(state: LessonState) -> dict[str, str]:
    """The query parameters of a state: the language always, the rest only when not default."""
    params = {LANGUAGE_PARAMETER: state.language}
    if state.label_fraction is not None:
        params[FRACTION_PARAMETER] = format_fraction_parameter(state.label_fraction)
    if state.paradigms:
        params[PARADIGMS_PARAMETER] = ",".join(state.paradigms)
    if state.seeds:
        params[SEEDS_PARAMETER] = ",".join(str(seed) for seed in state.seeds)
    if state.panels:
        params[PANELS_PARAMETER] = ",".join(state.panels)
    if state.controls_hidden:
        params[CONTROLS_PARAMETER] = CONTROLS_HIDDEN_VALUE
    if state.projector:
        params[PROJECTOR_PARAMETER] = PROJECTOR_ON_VALUE
    if state.class_code:
        params[CLASS_PARAMETER] = state.class_code
    if state.step:
        params[STEP_PARAMETER] = state.step
    return params


def app_base_url(current_url: str | None, current_page: str, fallback: str) -> str:
    """The app's root URL, from the browser's URL of the current page (st.context.url).

    `fallback` serves where no browser URL is known (tests, a script).
    """
    if not current_url or not current_url.startswith(("http://", "https://")):
        return fallback.rstrip("/")
    base = current_url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if current_page and base.endswith("/" + current_page):
        base = base[: -len(current_page) - 1]
    return base


# Set by `paradigm-lab --network` and the classroom server: this machine's address on the
# classroom network, which links for students use instead of "localhost".
NETWORK_ADDRESS_VARIABLE = "PARADIGM_LAB_NETWORK_ADDRESS"
_THIS_MACHINE = ("localhost", "127.0.0.1", "::1")


def reachable_base_url(base_url: str, network_address: str | None) -> str:
    """The app's root URL as another device reaches it: a teacher who opened the app as
    "localhost" would otherwise hand students a link that opens their own machine."""
    parts = urlsplit(base_url)
    if not network_address or parts.hostname not in _THIS_MACHINE:
        return base_url
    netloc = network_address + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def lesson_link(base_url: str, state: LessonState) -> str:
    """The link that opens this view: the page's path and the state's query parameters."""
    path = "" if state.page == HOME_PAGE else state.page
    # Commas stay readable: a teacher may edit "paradigms=supervised,kmeans" by hand.
    query = urlencode(to_query_params(state), safe=",", quote_via=quote)
    return f"{base_url.rstrip('/')}/{path}?{query}"


def lesson_paradigms(
    current: tuple[str, ...] | None, offered: list[str], chosen: str, yardstick: tuple[str, ...]
) -> tuple[str, ...] | None:
    """The paradigms a lesson link should hold for this page showing `chosen`.

    The page shows the first of the link's paradigms it offers (the first offered one if none),
    so a link that already leads to `chosen` is kept as it is: the study page reads the same
    field, and a choice made there is not overwritten by a visit here. Otherwise the link names
    the supervised yardstick and `chosen`, which is the comparison the study chart then shows.
    """
    named = [paradigm for paradigm in (current or ()) if paradigm in offered]
    shown = named[0] if named else (offered[0] if offered else None)
    if shown == chosen:
        return current
    return (*[paradigm for paradigm in yardstick if paradigm != chosen], chosen)


# --- moving between pages ----------------------------------------------------------------------

# What a view sets for its own page only: a fraction chosen on the try page, or the paradigms a
# lesson step filtered on the study page, must not follow the teacher to the next page, where
# they would replace that page's own default (the semi-supervised page's 1 %, say).
PAGE_SCOPED_FIELDS = ("label_fraction", "paradigms", "seeds", "panels", "step")


def switch_page(
    state: LessonState, page: str, remembered: Mapping[str, Mapping[str, object]]
) -> tuple[LessonState, dict[str, dict[str, object]]]:
    """The state for `page` when the user moves there from `state.page` without a link (the
    sidebar): the page's own view as the user last left it this session, or its defaults.

    Returns the new state and the views remembered (the one being left added).
    """
    views = {name: dict(view) for name, view in remembered.items()}
    views[state.page] = {field: getattr(state, field) for field in PAGE_SCOPED_FIELDS}
    if page == state.page:
        return state, views
    own = views.get(page, dict.fromkeys(PAGE_SCOPED_FIELDS))
    # A view remembered from a lesson step is the page's own: the step itself does not follow.
    return replace(state, page=page, **{**own, "step": None}), views


# --- panels ------------------------------------------------------------------------------------


def visible_panels(state: LessonState, page: str) -> tuple[str, ...]:
    """The page's panels the state shows. A state naming none of this page's panels (a link
    made on another page) shows them all: a lesson never opens on an empty page."""
    page_panels = PANELS_BY_PAGE.get(page, ())
    shown = tuple(panel for panel in page_panels if state.shows_panel(panel))
    return shown or page_panels


def with_page_panels(
    state: LessonState, page: str, chosen: list[str] | tuple[str, ...]
) -> LessonState:
    """The state with this page's visible panels set to `chosen` (all, if none or every one)."""
    page_panels = PANELS_BY_PAGE.get(page, ())
    others = tuple(panel for panel in (state.panels or ()) if panel not in page_panels)
    mine = tuple(panel for panel in page_panels if panel in chosen)
    if not mine or mine == page_panels:
        mine = ()
    combined = tuple(panel for panel in PANEL_IDS if panel in others + mine)
    return replace(state, panels=combined or None)
