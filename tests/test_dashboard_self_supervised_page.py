"""The self-supervised page under Streamlit's AppTest, in French and English.

On a small real bundle (tests/test_dashboard_self_supervised.py says where it comes from), each
test checks what a teacher would see: the five exercises, the live answers of the pretext
networks, the encoders' maps and the study chart, and, when a file is missing, a sentence naming
it and the command that rebuilds it while the rest of the page keeps working.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from dashboard_fixtures import assert_healthy, build_fixture_bundle, folded_parts, open_page

# The dev bundle's source is shared with the logic tests (made once if build/ lacks it).
from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE
from dashboard.core.i18n import paradigm_name, t
from dashboard.topics.self_supervised.pretext_examples import TASKS, default_test_digit

PAGE = "topics/self_supervised/page.py"
SUBHEADINGS = ("self_supervised.setup.heading", "self_supervised.pairs.heading", "self_supervised.probe.heading",
               "self_supervised.finetune.heading")
# Folded under "going further", after the class's view.
FOLDED = ("self_supervised.maps.heading", "self_supervised.limits.heading")


def errors(app) -> list[str]:
    return [error.value for error in app.error]


def charts(app) -> dict[str, dict]:
    return {chart.key: json.loads(chart.proto.spec) for chart in app.get("plotly_chart")}


def captions(app) -> list[str]:
    return [caption for image in app.get("image") for caption in image.captions]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_shows_the_five_exercises_in_both_languages(bundle_in_env, language):
    app = open_page(PAGE, language)
    assert_healthy(app, language)
    assert not errors(app)
    assert app.title[0].value == t("self_supervised.heading", language)
    assert [header.value for header in app.header] == [t(key, language) for key in SUBHEADINGS]
    assert folded_parts(app, language) == [t(key, language) for key in FOLDED]
    tasks = app.segmented_control(key="self_supervised_task")
    assert tasks.options == [paradigm_name(task, language) for task in TASKS]
    assert tasks.value == "rotation"
    # The four turned copies, each with the network's answer and a right/wrong mark.
    _, copies = app.get("image")[:2]
    turned = copies.captions
    assert len(turned) == 4
    first_line = t("self_supervised.rotation.caption", language, turn=90, guess="", confidence="", mark="")
    assert turned[1].startswith(first_line.split("\n")[0])
    marks = (t("self_supervised.right", language), t("self_supervised.wrong", language))
    assert all(any(mark in caption for mark in marks) for caption in turned)
    assert t("self_supervised.score.accuracy", language) in [metric.label for metric in app.metric]
    # Raw pixels, the untrained encoder and the rotation encoder, each titled with its
    # nearest-neighbour score.
    shown = charts(app)
    assert set(shown) == {"self_supervised_maps", "self_supervised_study_chart"}
    titles = [note["text"] for note in shown["self_supervised_maps"]["layout"]["annotations"]]
    score = t("self_supervised.map.title", language, name="", accuracy="").split("<br>")[-1].strip()
    assert len(titles) == 3 and all(score in title for title in titles)
    assert titles[0].startswith(t("self_supervised.source.raw_pixels", language))
    study_lines = {trace["name"] for trace in shown["self_supervised_study_chart"]["data"]}
    assert study_lines == {paradigm_name(p, language) for p in ("supervised", *TASKS)}
    link = app.get("page_link")[-1]
    assert link.proto.page == "study"
    assert "paradigms=supervised%2Crotation%2Crelative_position" in link.proto.query_string
    markdown = " ".join(element.value for element in app.markdown)
    assert t("self_supervised.intro", language) in markdown and t("self_supervised.limits.text", language) in markdown
    assert t("self_supervised.finetune.text", language) in markdown


@pytest.mark.parametrize("language", ["fr", "en"])
def test_probe_and_fine_tune_are_shown_side_by_side_from_the_results(bundle_in_env, language):
    import pandas as pd

    from dashboard.core.i18n import format_percent

    app = open_page(PAGE, language)
    assert not errors(app)
    shown = {metric.label: metric.value for metric in app.metric}
    results = pd.read_csv(bundle_in_env / "results.csv")
    smallest = results.loc[results["paradigm"] == "rotation", "label_fraction"].min()
    for key, paradigm in (("probe", "rotation"), ("finetune", "rotation_finetune"), ("supervised", "supervised")):
        rows = results[(results["paradigm"] == paradigm) & (results["label_fraction"] == smallest)]
        assert not rows.empty, f"the test bundle has no {paradigm} row"
        assert shown[t(f"self_supervised.finetune.{key}", language)] == format_percent(rows["test_accuracy"].mean(), language)


def test_every_exercise_answers_and_another_digit_changes_the_questions(bundle_in_env):
    app = open_page(PAGE, "en")
    expected = {  # a text each task's answer shows, whatever the network answers
        "relative_position": t("self_supervised.relative.middle_caption", "en"),
        "temporal_order": t("self_supervised.temporal.frame_caption", "en", number=4),
        "contrastive": t("self_supervised.contrastive.anchor_caption", "en"),
        "autoencoder": t("self_supervised.autoencoder.drawn", "en"),
    }
    for task, text in expected.items():
        app.segmented_control(key="self_supervised_task").set_value(task).run()
        assert_healthy(app, "en")
        assert not errors(app), (task, errors(app))
        assert text in captions(app), task
        assert app.query_params["paradigms"] == f"supervised,{task}"
    maps = charts(app)["self_supervised_maps"]["layout"]["annotations"]
    assert maps[-1]["text"].startswith(paradigm_name("autoencoder", "en"))

    before = captions(app)
    app.button(key="self_supervised_new_pairs").click().run()
    assert captions(app)[0] == before[0], "the same digit"
    first = app.number_input(key="ssl_digit").value
    app.button(key="self_supervised_another_digit").click().run()
    assert_healthy(app, "en")
    assert app.number_input(key="ssl_digit").value != first
    app.number_input(key="ssl_digit").set_value(5).run()
    assert captions(app)[0].startswith(t("self_supervised.digit.caption", "en", index=5, truth="")[:-1])
    app.toggle(key="self_supervised_all_maps").set_value(True).run()
    assert len(charts(app)["self_supervised_maps"]["layout"]["annotations"]) == 2 + len(TASKS)


def test_a_digit_drawn_on_the_try_page_can_be_the_question(bundle_in_env):
    app = open_page(PAGE, "fr")
    drawn = np.zeros((28, 28), dtype=np.float32)
    drawn[4:24, 12:16] = 1.0  # a 1
    app.session_state["try_digit_prepared"] = ("draw:test", drawn, None, False)
    app.run()
    assert_healthy(app, "fr")
    assert app.segmented_control(key="self_supervised_source").value == "drawn"
    assert t("self_supervised.digit.drawn_caption", "fr") in captions(app)
    app.segmented_control(key="self_supervised_source").set_value("test").run()
    labels = np.load(next((bundle_in_env / "data").glob("*-test.npz")))["labels"]
    assert app.number_input(key="ssl_digit").value == default_test_digit(labels)
    assert labels[app.number_input(key="ssl_digit").value] == 7  # not a 0, which a turn leaves alike


def test_a_missing_pretext_network_is_named_and_the_rest_still_works(own_bundle):
    (own_bundle / "models" / "rotation-digits-pretext-seed0.onnx").unlink()
    for language in ("fr", "en"):
        app = open_page(PAGE, language)
        assert_healthy(app, language)
        (message,) = errors(app)
        assert "rotation-digits-pretext-seed0" in message
        assert "python -m training study --profile full --paradigm rotation" in message
        assert set(charts(app)) == {"self_supervised_maps", "self_supervised_study_chart"}
    app.segmented_control(key="self_supervised_task").set_value("contrastive").run()
    assert_healthy(app, "en")
    assert not errors(app)


def test_a_missing_map_is_named_and_the_other_maps_still_show(own_bundle):
    (own_bundle / "feature_maps" / "untrained_encoder-digits.npz").unlink()
    app = open_page(PAGE, "en")
    assert_healthy(app, "en")
    (message,) = errors(app)
    assert "feature_maps/untrained_encoder-digits.npz" in message
    assert "python -m training study --profile full --paradigm rotation" in message
    assert len(charts(app)["self_supervised_maps"]["layout"]["annotations"]) == 2


def test_a_student_link_shows_the_exercise_without_controls(bundle_in_env):
    app = open_page(PAGE, "en", paradigms="supervised,contrastive", controls="hidden")
    assert_healthy(app, "en")
    assert not errors(app)
    assert not app.get("segmented_control") and not app.number_input and not app.button
    shown = t("self_supervised.task_shown", "en", name=paradigm_name("contrastive", "en"))
    assert shown in [element.value for element in app.markdown]
    assert t("self_supervised.contrastive.anchor_caption", "en") in captions(app)


def test_without_self_supervised_models_the_page_says_which_command_makes_them(
    tmp_path, monkeypatch
):
    directory = build_fixture_bundle(tmp_path / "bundle")
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    app = open_page(PAGE, "fr")
    assert_healthy(app, "fr")
    assert not errors(app)
    (info,) = [element.value for element in app.info]
    assert "python -m training study --profile full --paradigm rotation" in info
