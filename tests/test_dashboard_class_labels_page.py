"""The class-labels page under Streamlit's AppTest, in French and English, on the test-profile
bundle: a class is started, its students label digits and the chart shows the class's point; a
bad or unknown class code, the student view and the teacher's tools."""

from __future__ import annotations

import numpy as np
import pytest
from dashboard_fixtures import assert_healthy, open_page

from dashboard.core.i18n import t
from dashboard.topics.class_labels.labelling import LabelStore

PAGE = "topics/class_labels/page.py"


def answer_buttons(app) -> dict[int, str]:
    """The digit shown now: its pool position, and the key of each digit's button."""
    keys = [button.key for button in app.button if button.key and button.key.startswith("class_labels_answer_")]
    position = int(keys[0].rsplit("_", 2)[1])
    return {int(key.rsplit("_", 1)[1]): key for key in keys if int(key.rsplit("_", 2)[1]) == position}


def pool_truth(bundle) -> np.ndarray:
    name = next((bundle / "data").glob("*-pool.npz"))
    return np.load(name)["hidden_labels"]


def label_digits(app, truth: np.ndarray, count: int, wrong: int = 0):
    for index in range(count):
        buttons = answer_buttons(app)
        position = int(next(iter(buttons.values())).rsplit("_", 2)[1])
        digit = int(truth[position]) if index >= wrong else (int(truth[position]) + 1) % 10
        app.button(key=buttons[digit]).click().run()
    return app


def started(language: str):
    app = open_page(PAGE, language)
    app.default_timeout = 120  # the first run computes every encoder's features once
    app.run()
    app.button(key="class_labels_start").click().run()
    return app


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_class_labels_digits_and_sees_its_point_on_the_chart(bundle_in_env, language):
    app = started(language)
    assert_healthy(app, language)
    assert app.title[0].value == t("class_labels.title", language)
    code = app.metric[0].value
    assert len(code) == 4 and code in str(app.query_params["class"])  # the link carries the class
    assert not app.get("plotly_chart")
    truth = pool_truth(bundle_in_env)
    label_digits(app, truth, 12)
    assert_healthy(app, language)
    progress = t("class_labels.progress", language, labels="12", digits="12", disputed="0")
    assert any(progress == markdown.value for markdown in app.markdown)
    (chart,) = app.get("plotly_chart")
    assert '"x":[5,10,12]' in chart.proto.spec.replace(" ", "")  # the class's curve ends at 12 labels
    table = app.dataframe[0].value
    encoders = [model for model in _manifest_models(bundle_in_env) if model["role"] == "encoder"]
    assert len(table) == 1 + len(encoders)  # raw pixels and every shipped encoder
    assert t("class_labels.source.pixels", language) in table.iloc[:, 0].tolist()


def _manifest_models(bundle):
    import json

    return json.loads((bundle / "manifest.json").read_text())["models"]


@pytest.mark.parametrize("typed, key", [("12", "class_labels.error.bad_code"), ("WXYZ", "class_labels.error.no_such_class")])
def test_a_bad_or_unknown_class_code_is_a_sentence(bundle_in_env, typed, key):
    app = open_page(PAGE, "en")
    app.default_timeout = 120
    app.run()
    app.text_input(key="class_labels_join_code").input(typed).run()
    app.button(key="class_labels_join").click().run()
    assert_healthy(app, "en")
    expected = t(key, "en", code=typed)
    assert [warning.value for warning in app.warning] == [expected]
    assert app.button(key="class_labels_start")  # still offered


def test_a_student_link_shows_only_the_digits_to_label(bundle_in_env):
    code = LabelStore().create_class()
    app = open_page(PAGE, "fr", **{"class": code, "panels": "label,draw", "controls": "hidden"})
    app.default_timeout = 120
    app.run()
    assert_healthy(app, "fr")
    assert len(answer_buttons(app)) == 10
    assert not app.metric and not app.get("plotly_chart")  # no class header, no chart
    assert not [e for e in app.expander if e.label == t("class_labels.teacher_heading", "fr")]


def test_the_teacher_reveals_the_truth_flips_labels_and_clears_the_class(bundle_in_env):
    app = started("en")
    label_digits(app, pool_truth(bundle_in_env), 6, wrong=2)
    app.toggle(key="class_labels_reveal").set_value(True).run()
    assert_healthy(app, "en")
    shown = [markdown.value for markdown in app.markdown]
    assert t("class_labels.reveal_count", "en", wrong="2", digits="6") in shown
    app.slider(key="class_labels_flip").set_value(3).run()
    assert_healthy(app, "en")
    headers = [list(frame.value.columns) for frame in app.dataframe]
    assert [t("class_labels.column.source", "en"), t("class_labels.column.as_given", "en"),
            t("class_labels.column.flipped", "en", count=3)] in headers
    app.toggle(key="class_labels_spread").set_value(True).run()
    assert_healthy(app, "en")
    headers = [list(frame.value.columns) for frame in app.dataframe]
    assert any(t("class_labels.column.labels_only", "en") in header for header in headers)
    app.checkbox(key="class_labels_clear_confirm").check().run()
    app.button(key="class_labels_clear").click().run()
    assert_healthy(app, "en")
    assert any(t("class_labels.cleared", "en", count="6") == s.value for s in app.success)
    assert t("class_labels.no_labels_yet", "en") in [info.value for info in app.info]


def test_adding_a_drawing_without_one_says_so_beside_the_button(bundle_in_env):
    app = started("en")
    app.button(key="class_labels_add_drawing").click().run()
    warnings = [warning.value for warning in app.warning]
    assert warnings == [t("class_labels.draw_first", "en")]
    (drawing,) = [expander for expander in app.expander if expander.label == t("class_labels.draw_heading", "en")]
    assert [warning.value for warning in drawing.warning] == warnings  # beside the button, not at the top
    assert drawing.proto.expanded  # left open, so the student sees it
    app.pills(key="class_labels_drawing_label").set_value(7).run()
    assert not app.warning  # shown once
