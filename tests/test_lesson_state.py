"""A lesson as a link: the view survives the trip to the URL and back; garbage in a URL is ignored.

What a teacher would notice: a link copied from the app opens the same page, language, fraction,
paradigms, seeds and panels; a link typed wrong (fraction 7, an unknown page, a script tag) opens
the default view instead of an error.
"""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.core.lesson_state import (
    PAGE_IDS,
    PANEL_IDS,
    LessonState,
    LessonVocabulary,
    app_base_url,
    lesson_link,
    page_from_path,
    parse_lesson_link,
    parse_query_params,
    switch_page,
    to_query_params,
    visible_panels,
    with_page_panels,
)

VOCABULARY = LessonVocabulary(
    paradigms=("supervised", "kmeans", "rotation", "fixmatch"),
    fractions=(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0),
    seeds=(0, 1, 2),
)
BASE_URL = "http://localhost:8501"


def subset_or_none(values):
    """None (the default) or a non-empty subset in the vocabulary's order, as the app keeps it."""
    return st.one_of(
        st.none(),
        st.sets(st.sampled_from(values), min_size=1).map(
            lambda chosen: tuple(value for value in values if value in chosen)
        ),
    )


lesson_states = st.builds(
    LessonState,
    page=st.sampled_from(PAGE_IDS),
    language=st.sampled_from(("fr", "en")),
    label_fraction=st.one_of(st.none(), st.sampled_from(VOCABULARY.fractions)),
    paradigms=subset_or_none(VOCABULARY.paradigms),
    seeds=subset_or_none(VOCABULARY.seeds),
    panels=subset_or_none(PANEL_IDS),
    controls_hidden=st.booleans(),
    projector=st.booleans(),
)


@settings(max_examples=1000, deadline=None)
@given(lesson_states)
def test_a_state_survives_the_url_and_the_link(state):
    params = to_query_params(state)
    assert parse_query_params(params, VOCABULARY, page=state.page) == state
    assert parse_lesson_link(lesson_link(BASE_URL, state), VOCABULARY) == state


hostile_values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "7",
            "nan",
            "inf",
            "-1",
            "1e309",
            "0,0,abc,-1,99",
            "supervised,<b>kmeans</b>",
            "../../etc/passwd",
            "x" * 5000,
            "%00",
            "１",  # a full-width digit
        ]
    ),
    st.lists(st.text(max_size=20), max_size=3),
    st.integers(),
    st.none(),
    st.binary(max_size=20),
)


@settings(max_examples=1000, deadline=None)
@given(
    params=st.dictionaries(
        st.one_of(
            st.sampled_from(
                ["lang", "fraction", "paradigms", "seeds", "panels", "controls", "projector"]
            ),
            st.text(max_size=12),
        ),
        hostile_values,
        max_size=8,
    ),
    path=st.one_of(st.text(max_size=30), st.sampled_from(["/study", "/nope", "/<script>"])),
)
def test_any_url_gives_a_valid_view_and_never_an_error(params, path):
    state = parse_query_params(params, VOCABULARY, page=page_from_path(path))
    assert state.page in PAGE_IDS
    assert state.language in ("fr", "en")
    assert state.label_fraction is None or state.label_fraction in VOCABULARY.fractions
    assert state.paradigms is None or set(state.paradigms) <= set(VOCABULARY.paradigms)
    assert state.seeds is None or set(state.seeds) <= set(VOCABULARY.seeds)
    assert state.panels is None or set(state.panels) <= set(PANEL_IDS)
    # What the app writes back is again a valid view: the URL heals itself.
    assert parse_query_params(to_query_params(state), VOCABULARY, page=state.page) == state


def test_typed_mistakes_fall_back_to_the_default_view():
    state = parse_query_params(
        {
            "lang": "<script>alert(1)</script>",
            "fraction": "7",
            "paradigms": "<img src=x onerror=alert(1)>",
            "seeds": "abc",
            "panels": "everything",
            "controls": "maybe",
            "projector": "<b>",
        },
        VOCABULARY,
        page=page_from_path("/definitely-not-a-page"),
    )
    assert state == LessonState()


def test_what_a_teacher_types_is_understood():
    state = parse_query_params(
        {
            "lang": "EN",
            "fraction": "5",
            "paradigms": "kmeans, supervised, alien",
            "seeds": "0,0,2,99",
            "panels": "table,chart",
            "controls": "Hidden",
            "projector": "on",
        },
        VOCABULARY,
        page="study",
    )
    assert state == LessonState(
        page="study",
        language="en",
        label_fraction=0.05,
        paradigms=("supervised", "kmeans"),
        seeds=(0, 2),
        panels=("chart", "table"),
        controls_hidden=True,
        projector=True,
    )
    # Lists of values (a repeated parameter): the last one counts.
    assert parse_query_params({"lang": ["fr", "en"]}, VOCABULARY).language == "en"


def test_a_lesson_link_is_short_and_readable():
    state = LessonState(page="try_digit", language="en", label_fraction=0.01, paradigms=("kmeans",))
    assert lesson_link(BASE_URL, state) == (
        "http://localhost:8501/try_digit?lang=en&fraction=1&paradigms=kmeans"
    )
    assert lesson_link(BASE_URL + "/", LessonState()) == "http://localhost:8501/?lang=fr"


def test_the_base_url_comes_from_the_browser_or_the_fallback():
    assert app_base_url("http://10.0.0.5:8501/study", "study", BASE_URL) == "http://10.0.0.5:8501"
    assert app_base_url("https://school.example/lab/try_digit", "try_digit", BASE_URL) == (
        "https://school.example/lab"
    )
    assert app_base_url("http://10.0.0.5:8501/", "home", BASE_URL) == "http://10.0.0.5:8501"
    assert app_base_url(None, "study", BASE_URL + "/") == BASE_URL
    assert app_base_url("javascript:alert(1)", "study", BASE_URL) == BASE_URL


def test_panels_of_one_page_never_empty_another():
    study_only = LessonState(panels=("chart", "recheck"))
    assert visible_panels(study_only, "study") == ("chart", "recheck")
    assert visible_panels(study_only, "try_digit") == ("draw", "upload", "camera")
    both = with_page_panels(study_only, "try_digit", ["camera"])
    # In the pages' order (the registry's: the try page before the study page).
    assert both.panels == ("camera", "chart", "recheck")
    assert with_page_panels(both, "study", []).panels == ("camera",)
    assert with_page_panels(LessonState(), "try_digit", ["draw", "upload", "camera"]).panels is None


def test_a_view_stays_with_its_page_when_the_sidebar_moves_on():
    on_try = LessonState(page="try_digit", language="en", projector=True, label_fraction=1.0, step="every_label")
    on_semi, views = switch_page(on_try, "semi_supervised", {})
    assert on_semi.label_fraction is None, "the semi-supervised page opens with its own default"
    assert on_semi.step is None and (on_semi.language, on_semi.projector) == ("en", True)
    on_semi = replace(on_semi, label_fraction=0.05)
    back_on_try, views = switch_page(on_semi, "try_digit", views)
    assert back_on_try.label_fraction == 1.0, "the try page is as the user left it"
    assert back_on_try.step is None, "a lesson step is not the page's own view"
    again_on_semi, _ = switch_page(back_on_try, "semi_supervised", views)
    assert again_on_semi.label_fraction == 0.05
    assert switch_page(on_try, "try_digit", {})[0] == on_try  # a rerun of the same page changes nothing


def test_a_step_in_a_link_is_kept_only_if_the_lesson_has_it():
    vocabulary = replace(VOCABULARY, steps=("few_labels", "gan"))
    assert parse_query_params({"step": "gan"}, vocabulary).step == "gan"
    assert parse_query_params({"step": "<script>"}, vocabulary).step is None
    state = LessonState(page="try_digit", step="few_labels")
    assert parse_lesson_link(lesson_link(BASE_URL, state), vocabulary) == state


def test_every_widget_a_link_seeds_is_one_its_page_draws():
    # The page registry names the widgets a lesson link seeds; a key renamed on the page but not
    # in the registry would leave the old value on screen when a new link opens.
    from pathlib import Path

    from dashboard.core.page_registry import LINK_DRIVEN_WIDGETS, PAGES

    dashboard = Path(__file__).resolve().parent.parent / "dashboard"
    for page in PAGES:
        source = (dashboard / page.file).read_text(encoding="utf-8")
        for key in page.link_widgets:
            assert f'"{key}"' in source, (page.id, key)
    assert len(set(LINK_DRIVEN_WIDGETS)) == len(LINK_DRIVEN_WIDGETS)
