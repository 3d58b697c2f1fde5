"""The catalogue of texts: both languages complete and alike, plurals by CLDR's rules, numbers by
Babel, and every key the code uses present (and none left unused). A few tests over the whole
catalogue, each naming every key that fails it."""

import ast
import fnmatch
import json
import re
import string
import tomllib
from pathlib import Path

import babel
import pytest

from dashboard.core import i18n
from dashboard.core.i18n import CATALOGUE, PluralText, forms_of, t

REPOSITORY = Path(__file__).resolve().parent.parent
DASHBOARD_DIRECTORY = REPOSITORY / "dashboard"


def dashboard_code() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(DASHBOARD_DIRECTORY.rglob("*.py"))]


def keys_used_in_dashboard_code() -> dict[str, str]:
    """Every constant key passed to t(...) in dashboard code, with the file that uses it."""
    used = {}
    for path, tree in dashboard_code():
        for node in ast.walk(tree):
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


def all_placeholders(key: str, language: str) -> set[str]:
    return set().union(*(placeholders(text) for text in forms_of(key, language)))


def every_text():
    """(key, language, text) for each text and each plural form of the catalogue."""
    for key, entry in CATALOGUE.items():
        for language in entry:
            for text in forms_of(key, language):
                yield key, language, text


def test_every_key_is_written_in_both_languages():
    incomplete = sorted(key for key, entry in CATALOGUE.items() if set(entry) != set(i18n.LANGUAGES))
    empty = sorted({f"{key} ({language})" for key, language, text in every_text() if not text.strip()})
    assert len(CATALOGUE) > 500, "the catalogue files were not all read"
    assert not incomplete, f"keys missing a language: {incomplete}"
    assert not empty, f"empty texts: {empty}"


def test_both_languages_fill_the_same_placeholders():
    different = sorted(key for key in CATALOGUE if all_placeholders(key, "fr") != all_placeholders(key, "en"))
    assert not different, f"the two languages fill different placeholders: {different}"


def test_plural_tables_have_the_forms_each_language_needs():
    problems = []
    for key, entry in CATALOGUE.items():
        for language, text in entry.items():
            if not isinstance(text, PluralText):
                continue
            # A form the rule never picks would never be read; "other" is the rule's fallback.
            possible = babel.Locale.parse(language).plural_form.tags | {"other"}
            if not {"one", "other"} <= set(text.forms) or not set(text.forms) <= possible:
                problems.append(f"{key} ({language}): forms {sorted(text.forms)}")
            if text.counted not in all_placeholders(key, language):
                problems.append(f"{key} ({language}): counts {text.counted!r}, which it does not fill")
    assert not problems


def test_french_counts_zero_and_one_as_singular_and_english_only_one():
    assert t("models.summary", "fr", count=0, size="1 Mo", updated_at="hier").startswith("0 modèle,")
    assert t("models.summary", "fr", count=1, size="1 Mo", updated_at="hier").startswith("1 modèle,")
    assert t("models.summary", "fr", count=2, size="1 Mo", updated_at="hier").startswith("2 modèles,")
    assert t("models.summary", "en", count=0, size="1 MB", updated_at="now").startswith("0 models,")
    assert t("models.summary", "en", count=1, size="1 MB", updated_at="now").startswith("1 model,")
    # French CLDR has a "many" form (exact millions: "1 000 000 de modèles"); a table without it
    # falls back to "other".
    assert t("models.summary", "fr", count=1_000_000, size="1 Mo", updated_at="hier").startswith("1000000 modèles,")


@pytest.mark.parametrize(
    ("count", "french", "english"),
    [(0, "0 modèle absent ou modifié", "0 models missing"), (1, "1 modèle absent ou modifié", "1 model missing"),
     ("1 000", "1 000 modèles absents ou modifiés", "1 000 models missing")],
)
def test_a_count_agrees_with_its_words(count, french, english):
    assert t("models.problems", "fr", count=count).startswith(french)
    assert t("models.problems", "en", count=count).startswith(english)


def test_each_language_counts_the_word_that_agrees():
    # French agrees with the models measured, English with the models in all.
    assert t("study.recheck_progress", "fr", done=1, total=5) == "1 modèle mesuré sur 5"
    assert t("study.recheck_progress", "en", done=1, total=5) == "1 of 5 models measured"


def test_no_text_writes_a_plural_in_brackets():
    # "modèle(s)" reads as a form, not a sentence: a table of plural forms chooses.
    bracketed = [f"{key} ({language})" for key, language, text in every_text() if re.search(r"\w\(s\)", text)]
    assert not bracketed


def test_french_puts_a_no_break_space_before_high_punctuation():
    # The rule dashboard/core/texts.fr.toml states: a no-break space before : ; ? ! % » and after
    # «, so that a line never starts with the punctuation. A plain space is the mistake.
    plain = sorted({key for key, language, text in every_text()
                    if language == "fr" and re.search(r" [:;?!%»]|« ", text)})
    assert not plain, f"French texts with a plain space before : ; ? ! % » or after «: {plain}"


def test_no_french_text_left_in_english():
    # A cheap tripwire for a French sentence pasted into the English column.
    french_words = re.compile(r"\b(les|des|une|est|avec|pour)\b")
    suspicious = sorted({key for key, language, text in every_text()
                         if language == "en" and french_words.search(text)
                         and not key.startswith(("language.", "sidebar.language"))})
    assert suspicious == []


def test_every_key_used_in_dashboard_code_is_in_the_catalogue():
    used = keys_used_in_dashboard_code()
    assert len(used) > 50, "the scan found too few keys: has the t() call style changed?"
    missing = {key: file for key, file in used.items() if key not in CATALOGUE}
    assert not missing, f"keys used but not in the catalogue: {missing}"


def test_every_key_named_outside_a_t_call_is_in_the_catalogue():
    # Errors carry their text's key to the page that shows them (LabelStoreError("class_labels.error.locked")):
    # any string of dashboard code shaped like a key of a known prefix must be one. Pieces of
    # f-strings are the run-time keys of the next test; a file name is not a key.
    heads = {key.split(".")[0] for key in CATALOGUE}
    shaped_like_a_key = re.compile(r"[a-z_]+(\.[a-z_0-9]+)+")
    file_name = re.compile(r".*\.(sqlite3|json|csv|onnx|npz|png|jpg|md|toml)")
    named = set()
    for path, tree in dashboard_code():
        in_f_strings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_f_strings
                    and shaped_like_a_key.fullmatch(node.value) and not file_name.fullmatch(node.value)
                    and node.value.split(".")[0] in heads):
                named.add((node.value, path.name))
    assert len(named) > 500
    assert sorted((key, file) for key, file in named if key not in CATALOGUE) == []


def keys_built_at_run_time() -> list[str]:
    # Keys assembled from ids (f"study.spread.{kind}", f"language.{code}") escape the scan above.
    from dashboard.core.lesson_plan import STEPS
    from dashboard.core.lesson_state import PANEL_IDS, PANELS_BY_PAGE
    from dashboard.core.page_registry import PAGE_IDS
    from dashboard.core.study_results import SPREAD_KINDS
    from dashboard.topics.semi_supervised.pseudo_label_figures import COLOUR_MODES

    built = [f"study.spread.{kind}" for kind in SPREAD_KINDS]
    built += [f"language.{language}" for language in i18n.LANGUAGES]
    built += [f"models.status.{status}" for status in ("ok", "missing", "mismatch", "outside")]
    built += [f"page.{page}.title" for page in PAGE_IDS]
    built += [f"panel.{panel}" for panel in PANEL_IDS]
    built += [f"try_digit.waiting.{method}" for method in PANELS_BY_PAGE["try_digit"]]
    built += [f"study.recheck.status.{status}" for status in ("agree", "differs", "not_recorded", "failed")]
    built += [f"figure.recheck.{source}" for source in ("recorded", "measured")]
    built += [f"figure.recheck.source_{source}" for source in ("recorded", "measured")]
    built += [f"semi_supervised.colour_by.{mode}" for mode in COLOUR_MODES]
    built += [f"semi_supervised.method.{paradigm}"
              for paradigm in ("pseudo_label", "fixmatch", "label_spreading", "mean_teacher")]
    for step in STEPS:
        built += [f"lesson.step.{step.id}.{field}" for field in ("title", "text", "notes")]
        built += [f"lesson.step.{step.id}.coming"] if step.families else []
    return built


def test_keys_built_at_run_time_exist():
    assert [key for key in keys_built_at_run_time() if key not in CATALOGUE] == []


def test_no_key_is_left_unused():
    # A key counts as used when dashboard code holds it as a string, or an f-string starts with
    # its beginning (f"study.spread.{kind}"). The colourisation page reuses the photo errors of
    # dashboard/core/digit_input.py under its own prefix (topics/colourisation/page.py).
    strings, beginnings = set(), set()
    for _, tree in dashboard_code():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                beginnings.add(node.values[0].value)
    strings |= {key.replace("digit.error.", "colourisation.error.") for key in CATALOGUE if key.startswith("digit.error.")}
    beginnings = tuple(beginning for beginning in beginnings if "." in beginning)
    unused = sorted(key for key in CATALOGUE if key not in strings and not key.startswith(beginnings))
    assert not unused, f"keys no code reads: {unused}"


def test_the_training_registry_is_named_and_described_in_both_languages():
    from training.registry import FAMILIES, PARADIGMS

    wanted = [f"paradigm.{paradigm}.{field}" for paradigm in PARADIGMS for field in ("name", "description", "label_source")]
    wanted += [f"family.{family}.{field}" for family in FAMILIES for field in ("name", "description", "label_source")]
    assert [key for key in wanted if key not in CATALOGUE] == []


def test_every_role_of_the_shipped_manifest_has_a_name():
    manifest_path = REPOSITORY / "exported_models" / "manifest.json"
    if not manifest_path.exists():
        pytest.skip("no shipped manifest here")
    roles = {model["role"] for model in json.loads(manifest_path.read_text())["models"]}
    assert sorted(role for role in roles if f"role.{role}" not in CATALOGUE) == []


def test_a_key_defined_twice_fails_at_load(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "study").mkdir()
    (tmp_path / "core" / "texts.fr.toml").write_text('"study.heading" = "Étude"\n', encoding="utf-8")
    (tmp_path / "study" / "texts.fr.toml").write_text('"study.heading" = "Encore"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="defined twice"):
        i18n.load_catalogue(tmp_path)


def test_an_unquoted_dotted_key_fails_at_load(tmp_path):
    # study.heading = "..." without quotes makes nested tables, not the key "study.heading".
    (tmp_path / "texts.en.toml").write_text('study.heading = "Study"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="neither a text nor a table of plural forms"):
        i18n.load_catalogue(tmp_path)


def test_the_wheel_ships_every_catalogue_file():
    patterns = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["dashboard"]
    files = [path.relative_to(DASHBOARD_DIRECTORY).as_posix() for path in DASHBOARD_DIRECTORY.rglob("texts.*.toml")]
    assert len(files) == 22
    assert [name for name in files if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)] == []


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
    assert i18n.format_percent(0.5, "fr", digits=0) == f"50{narrow_space}%"
    assert i18n.format_integer(94218, "fr") == f"94{narrow_space}218"
    assert i18n.format_integer(94218, "en") == "94,218"
    assert i18n.format_decimal(1234.56, "fr", digits=2) == f"1{narrow_space}234,56"
    assert i18n.format_decimal(-0.25, "en", digits=1) == "-0.2"
    assert i18n.format_fraction(0.05, "en") == "5%"
    assert i18n.format_fraction(0.005, "fr") == f"0,5{narrow_space}%"
    assert i18n.format_fraction(0.07, "fr") == f"7{narrow_space}%"
    assert i18n.format_points(0.012, "fr") == f"1,2{narrow_space}pt"
