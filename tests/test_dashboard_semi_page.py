"""The semi-supervised page under Streamlit's AppTest, in French and English.

On the fixture bundle with hand-made pseudo-label logs (tests/dashboard_fixtures.py: at the last
round, 30 of 36 unlabelled digits carry a pseudo-label, 27 right), each test checks what a teacher
would see: the numbers of the round, the controls, the live confidence bar, and, when a file is
missing or damaged, a sentence naming it and the command that rebuilds it, never a traceback.
"""

import json
import shutil

import pytest
from dashboard_fixtures import (
    REAL_BUNDLE,
    add_semi_supervised_runs,
    assert_healthy,
    build_fixture_bundle,
    edit_manifest,
    folded_parts,
    model_id,
    open_page,
    real_bundle_available,
)

from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE
from dashboard.core.i18n import t

PAGE = "topics/semi_supervised/page.py"


def errors(app) -> list[str]:
    return [error.value for error in app.error]


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def charts(app) -> dict[str, list]:
    """Each chart's traces, by the chart's widget key."""
    return {chart.key: json.loads(chart.proto.spec)["data"] for chart in app.get("plotly_chart")}


@pytest.fixture
def semi_bundle(tmp_path, monkeypatch):
    directory = add_semi_supervised_runs(build_fixture_bundle(tmp_path / "bundle"))
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    return directory


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_shows_the_labels_spreading_in_both_languages(semi_bundle, language):
    app = open_page(PAGE, language)
    assert_healthy(app, language)
    assert not errors(app)
    assert app.title[0].value == t("semi_supervised.heading", language)
    assert [header.value for header in app.header] == [
        t(key, language)
        for key in ("semi_supervised.labelled.heading", "semi_supervised.spreading.heading", "semi_supervised.mistakes.heading")
    ]
    # The map, the live bar and the methods wait folded for a class that wants more.
    assert folded_parts(app, language) == [
        t(key, language) for key in ("semi_supervised.map.heading", "semi_supervised.threshold.heading", "semi_supervised.methods.heading")
    ]
    # The smallest fraction of the first method in the registry, at its last round.
    assert app.segmented_control(key="semi_supervised_paradigm").value == "pseudo_label"
    assert app.select_slider(key="semi_supervised_round").value == 2
    assert metrics(app) == {
        t("semi_supervised.metric.carried", language): "30",
        t("semi_supervised.metric.accuracy", language): "90,0\u202f%" if language == "fr" else "90.0%",
        t("semi_supervised.metric.waiting", language): "6",
    }
    markdown = " ".join(element.value for element in app.markdown)
    assert t("semi_supervised.labelled.text", language, labelled=4, pool=40, unlabelled=36) in markdown
    assert t("semi_supervised.intro", language) in markdown
    assert t("paradigm.fixmatch.name", language) in markdown, "every method is explained"
    labelled, mistakes, test_digit = app.get("image")
    assert labelled.captions == [t("semi_supervised.labelled.caption", language, label=d) for d in "3141"]
    assert len(mistakes.captions) == 2
    first_mistake = t("semi_supervised.mistakes.caption", language, guess=1, truth=0, confidence="97 %")
    assert mistakes.captions[0].split("\n")[0] == first_mistake.split("\n")[0]
    assert len(test_digit.captions) == 1
    assert set(charts(app)) == {"semi_supervised_rounds_chart", "semi_supervised_map", "semi_supervised_threshold_chart"}
    assert t("semi_supervised.threshold.text", language) in markdown
    # The live bar: one sentence with the model's verdict on the test digit against the 90 % bar.
    (verdict,) = [alert.value for alert in [*app.success, *app.warning, *app.info]]
    assert ("90\u202f%" if language == "fr" else "90%") in verdict
    # The study chart with supervised learning and the semi-supervised family only.
    link = app.get("page_link")[-1]
    assert link.proto.page == "study"
    assert "paradigms=supervised%2Cpseudo_label%2Cfixmatch" in link.proto.query_string


def test_the_round_slider_changes_the_numbers_the_chart_and_the_map(semi_bundle):
    app = open_page(PAGE, "en")
    app.select_slider(key="semi_supervised_round").set_value(1).run()
    assert_healthy(app, "en")
    assert metrics(app)["Pseudo-labels"] == "12"
    assert metrics(app)["Right among them"] == "83.3%"
    shapes = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]["shapes"]
    assert (shapes[0]["x0"], shapes[0]["x1"]) == (0.5, 1.5), "the chosen round is shaded"
    app.select_slider(key="semi_supervised_round").set_value(0).run()
    assert metrics(app)["Right among them"] == "—"
    sentence = t("semi_supervised.spreading.sentence_none", "en", step="100", unlabelled="36", threshold="90%")
    assert sentence in [element.value for element in app.markdown]
    app.segmented_control(key="semi_supervised_colour_by").set_value("outcome").run()
    map_traces = {trace["name"] for trace in charts(app)["semi_supervised_map"]}
    assert map_traces == {
        "no pseudo-label yet",
        "right pseudo-label",
        "wrong pseudo-label",
        "labelled by a person",
    }


def test_another_method_and_fraction_open_their_own_run(semi_bundle):
    app = open_page(PAGE, "en")
    app.segmented_control(key="semi_supervised_paradigm").set_value("fixmatch").run()
    assert_healthy(app, "en")
    fractions = app.select_slider(key="semi_supervised_fraction")
    assert fractions.options == ["1% (4 labels)", "2% (4 labels)"]
    fractions.set_value(0.02).run()
    assert_healthy(app, "en")
    assert not errors(app)
    # The view travels in the link: the method beside supervised learning, and the fraction.
    assert app.query_params["paradigms"] == "supervised,fixmatch"
    assert app.query_params["fraction"] == "2"
    first_digit = app.number_input(key="semi_supervised_test_digit").value
    caption = app.get("image")[-1].captions
    app.button(key="semi_supervised_another_digit").click().run()
    assert_healthy(app, "en")
    assert app.number_input(key="semi_supervised_test_digit").value != first_digit
    assert app.get("image")[-1].captions != caption, "the digit shown changes"


def test_a_lesson_link_opens_the_method_it_names(semi_bundle):
    app = open_page(PAGE, "fr", paradigms="supervised,fixmatch", fraction="2")
    assert_healthy(app, "fr")
    assert app.segmented_control(key="semi_supervised_paradigm").value == "fixmatch"
    assert app.select_slider(key="semi_supervised_fraction").value == 0.02


def test_a_student_link_shows_the_run_without_controls(semi_bundle):
    app = open_page(PAGE, "en", paradigms="fixmatch", controls="hidden", panels="spreading")
    assert_healthy(app, "en")
    assert not app.get("segmented_control") and not app.get("select_slider")
    assert not app.number_input and not app.button
    assert [header.value for header in app.header] == [t("semi_supervised.spreading.heading", "en")]
    assert folded_parts(app, "en") == [t("semi_supervised.map.heading", "en"), t("semi_supervised.methods.heading", "en")]
    shown = t(
        "semi_supervised.run_shown", "en", name="Consistency (FixMatch)", fraction="1%", labels="4"
    )
    assert shown in [element.value for element in app.markdown]


def test_presentation_mode_keeps_the_page_working(semi_bundle):
    app = open_page(PAGE, "fr", projector="1")
    assert_healthy(app, "fr")
    assert not errors(app)
    assert len(app.get("plotly_chart")) == 3


def test_a_missing_log_is_named_with_its_rebuild_command(semi_bundle):
    (semi_bundle / "pseudo_labels" / f"{model_id('pseudo_label', 0.01)}.npz").unlink()
    for language in ("fr", "en"):
        app = open_page(PAGE, language)
        assert_healthy(app, language)
        (message,) = errors(app)
        assert f"pseudo_labels/{model_id('pseudo_label', 0.01)}.npz" in message
        assert "python -m training train pseudo_label --fraction 0.01 --seed 0" in message
        # The controls and the methods still show: another run can be chosen.
        assert app.segmented_control(key="semi_supervised_paradigm")
        assert t("semi_supervised.methods.heading", language) in folded_parts(app, language)
    app.segmented_control(key="semi_supervised_paradigm").set_value("fixmatch").run()
    assert_healthy(app, "en")
    assert not errors(app)
    assert metrics(app)["Pseudo-labels"] == "30"


def test_a_damaged_log_is_refused_by_its_checksum(semi_bundle):
    path = semi_bundle / "pseudo_labels" / f"{model_id('pseudo_label', 0.01)}.npz"
    path.write_bytes(path.read_bytes()[:200])
    app = open_page(PAGE, "en")
    assert_healthy(app, "en")
    (message,) = errors(app)
    assert "SHA-256" in message and model_id("pseudo_label", 0.01) in message


def test_a_missing_pool_map_leaves_the_rest_of_the_page(semi_bundle):
    (semi_bundle / "data" / "mnist5k-pool-map.npz").unlink()
    app = open_page(PAGE, "en")
    assert_healthy(app, "en")
    (message,) = errors(app)
    assert "data/mnist5k-pool-map.npz" in message
    assert "python -m training study --profile full --paradigm pseudo_label" in message
    assert set(charts(app)) == {"semi_supervised_rounds_chart", "semi_supervised_threshold_chart"}
    assert metrics(app)["Pseudo-labels"] == "30"


def test_a_missing_classifier_leaves_the_spreading_and_names_the_model(semi_bundle):
    (semi_bundle / "models" / f"{model_id('pseudo_label', 0.01)}.onnx").unlink()
    app = open_page(PAGE, "fr")
    assert_healthy(app, "fr")
    (message,) = errors(app)
    assert model_id("pseudo_label", 0.01) in message
    assert set(charts(app)) == {"semi_supervised_rounds_chart", "semi_supervised_map"}


def test_without_logs_the_page_says_which_command_makes_them(tmp_path, monkeypatch):
    directory = build_fixture_bundle(tmp_path / "bundle")

    def implement_the_family(manifest):
        for paradigm in manifest["paradigms"]:
            if paradigm["family"] == "semi_supervised":
                paradigm["implemented"] = True

    edit_manifest(directory, implement_the_family)
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    command = (
        "python -m training study --profile full --paradigm pseudo_label --paradigm fixmatch "
        "--paradigm label_spreading --paradigm mean_teacher"
    )
    for language in ("fr", "en"):
        app = open_page(PAGE, language)
        assert_healthy(app, language)
        assert not errors(app)
        expected = t("semi_supervised.no_details", language, command=command)
        assert [info.value for info in app.info] == [expected]
        assert t("semi_supervised.methods.heading", language) in folded_parts(app, language)


def test_without_a_manifest_the_page_explains_itself(tmp_path, monkeypatch):
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(tmp_path))
    app = open_page(PAGE, "en")
    assert_healthy(app, "en")
    (message,) = errors(app)
    assert "python -m training study --profile full" in message
    assert app.title[0].value == t("semi_supervised.heading", "en")


@pytest.mark.skipif(not real_bundle_available(), reason="exported_models/ not built yet")
def test_the_real_bundle_shows_the_page_or_the_command(tmp_path, monkeypatch):
    # A copy: the study may be writing into exported_models/ while the tests run.
    directory = shutil.copytree(REAL_BUNDLE, tmp_path / "bundle")
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    for language in ("fr", "en"):
        app = open_page(PAGE, language)
        assert_healthy(app, language)
        assert not errors(app), errors(app)
        assert app.get("plotly_chart") or any(
            "python -m training study" in info.value for info in app.info
        )
