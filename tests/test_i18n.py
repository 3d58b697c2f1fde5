"""The translation catalogue: complete in French and English, covering every key the code uses."""

import ast
import re
import string
from pathlib import Path

import pytest

from dashboard.core import i18n
from dashboard.core.i18n import CATALOGUE, t

DASHBOARD_DIRECTORY = Path(__file__).resolve().parent.parent / "dashboard"


def keys_used_in_dashboard_code() -> dict[str, str]:
    """Every constant key passed to t(...) in dashboard code, with the file that uses it."""
    used = {}
    for path in DASHBOARD_DIRECTORY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                used[node.args[0].value] = path.name
    return used


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_french_and_english(key):
    entry = CATALOGUE[key]
    assert set(entry) == set(i18n.LANGUAGES), f"{key} has languages {sorted(entry)}"
    assert all(entry[language].strip() for language in i18n.LANGUAGES), f"{key} has an empty text"


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_both_languages_fill_the_same_placeholders(key):
    entry = CATALOGUE[key]
    assert placeholders(entry["fr"]) == placeholders(entry["en"])


def test_every_key_used_in_dashboard_code_is_in_the_catalogue():
    used = keys_used_in_dashboard_code()
    assert len(used) > 50, "the scan found too few keys: has the t() call style changed?"
    missing = {key: file for key, file in used.items() if key not in CATALOGUE}
    assert not missing, f"keys used but not in the catalogue: {missing}"


def test_keys_built_at_run_time_exist():
    # Keys assembled from ids (f"study.spread.{kind}", f"language.{code}") escape the scan above.
    from dashboard.core.study_results import SPREAD_KINDS

    built = [f"study.spread.{kind}" for kind in SPREAD_KINDS]
    built += [f"language.{language}" for language in i18n.LANGUAGES]
    built += [f"models.status.{status}" for status in ("ok", "missing", "mismatch", "outside")]
    # The classroom pages: page titles, panels, inputs, re-check statuses and lesson steps.
    from dashboard.core.lesson_plan import STEPS
    from dashboard.core.lesson_state import PANEL_IDS, PANELS_BY_PAGE
    from dashboard.core.page_registry import PAGE_IDS

    built += [f"page.{page}.title" for page in PAGE_IDS]
    built += [f"panel.{panel}" for panel in PANEL_IDS]
    built += [f"try.waiting.{method}" for method in PANELS_BY_PAGE["try"]]
    built += [
        f"study.recheck.status.{status}"
        for status in ("agree", "differs", "not_recorded", "failed")
    ]
    built += [f"figure.recheck.{source}" for source in ("recorded", "measured")]
    built += [f"figure.recheck.source_{source}" for source in ("recorded", "measured")]
    # The semi-supervised page: the map's colourings, and a text for each method of the registry.
    from dashboard.topics.semi_supervised.pseudo_label_figures import COLOUR_MODES

    built += [f"semi.colour_by.{mode}" for mode in COLOUR_MODES]
    built += [
        f"semi.method.{paradigm}"
        for paradigm in ("pseudo_label", "fixmatch", "label_spreading", "mean_teacher")
    ]
    for step in STEPS:
        built += [f"lesson.step.{step.id}.{field}" for field in ("title", "text", "notes")]
        built += [f"lesson.step.{step.id}.coming"] if step.families else []
    assert [key for key in built if key not in CATALOGUE] == []


@pytest.mark.parametrize("paradigm", i18n.PARADIGM_IDS)
def test_every_paradigm_has_a_name_description_and_label_source(paradigm):
    for field in ("name", "description", "label_source"):
        assert f"paradigm.{paradigm}.{field}" in CATALOGUE


@pytest.mark.parametrize("family", i18n.FAMILY_IDS)
def test_every_family_has_a_name_description_and_label_source(family):
    for field in ("name", "description", "label_source"):
        assert f"family.{family}.{field}" in CATALOGUE


@pytest.mark.parametrize("role", i18n.ROLE_IDS)
def test_every_role_has_a_name(role):
    assert f"role.{role}" in CATALOGUE


def test_unknown_ids_fall_back_to_the_id():
    assert i18n.paradigm_name("brand_new_paradigm", "fr") == "brand_new_paradigm"
    assert i18n.family_name("brand_new_family", "en") == "brand_new_family"
    assert i18n.role_name("oracle", "fr") == "oracle"
    assert i18n.paradigm_text("brand_new_paradigm", "description", "fr") == ""


def test_unknown_key_shows_the_key_instead_of_failing():
    assert t("no.such.key", "fr") == "no.such.key"


def test_placeholders_are_filled():
    text = t("error.model_missing", "en", model_id="m", path="p.onnx", command="python -m x")
    assert "“m”" in text and "`python -m x`" in text


@pytest.mark.parametrize(
    ("requested", "expected"),
    [(None, "fr"), ("en", "en"), ("EN", "en"), ("fr", "fr"), ("de", "fr"), (["en"], "fr")],
)
def test_language_from_the_url_defaults_to_french(requested, expected):
    assert i18n.resolve_language(requested) == expected


def test_numbers_follow_the_language():
    narrow_space = "\u202f"
    assert i18n.format_percent(0.7125, "fr") == f"71,2{narrow_space}%"
    assert i18n.format_percent(0.7125, "en") == "71.2%"
    assert i18n.format_integer(94218, "fr") == f"94{narrow_space}218"
    assert i18n.format_integer(94218, "en") == "94,218"
    assert i18n.format_fraction(0.05, "en") == "5%"
    assert i18n.format_fraction(0.005, "fr") == f"0,5{narrow_space}%"


def test_no_french_text_left_in_english():
    # A cheap tripwire for a French sentence pasted into the English column.
    french_words = re.compile(r"\b(les|des|une|est|avec|pour)\b")
    suspicious = [
        key
        for key, entry in CATALOGUE.items()
        if french_words.search(entry["en"])
        and not key.startswith(("language.", "sidebar.language"))
    ]
    assert suspicious == []


@pytest.mark.parametrize(
    ("count", "french", "english"),
    [(0, "0 modèle absent ou modifié", "0 models missing"), (1, "1 modèle absent ou modifié", "1 model missing"),
     ("1 000", "1 000 modèles absents ou modifiés", "1 000 models missing")],
)
def test_a_count_agrees_with_its_words(count, french, english):
    assert t("models.problems", "fr", count=count).startswith(french)
    assert t("models.problems", "en", count=count).startswith(english)


def test_no_text_writes_a_plural_in_brackets():
    # "modèle(s)" reads as a form, not a sentence: the {count:modèle|modèles} form chooses.
    bracketed = [f"{key} ({language})" for key, entry in CATALOGUE.items()
                 for language, text in entry.items() if re.search(r"\w\(s\)", text)]
    assert not bracketed
