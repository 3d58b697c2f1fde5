"""Every page under Streamlit's AppTest, in French and English, with a good, broken or no bundle.

Each test checks what a user would notice: the title in their language, the chart and the tables,
and, when something is wrong, a message naming the model and the command that rebuilds it, while
the other pages keep working.
"""

import json

import numpy as np
import pytest
from dashboard_fixtures import (
    APP_PATH,
    assert_healthy,
    build_fixture_bundle,
    edit_manifest,
    model_id,
    open_page,
    real_bundle_available,
    sha256_of,
    write_linear_classifier,
)
from streamlit.testing.v1 import AppTest

from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE, FULL_STUDY_COMMAND
from dashboard.core.i18n import t

PAGES = ("topics/home/page.py", "topics/study/page.py", "topics/models/page.py")
HEADINGS = {
    "topics/home/page.py": "home.heading",
    "topics/study/page.py": "study.heading",
    "topics/models/page.py": "models.heading",
}


def errors(app: AppTest) -> list[str]:
    return [error.value for error in app.error]


def chart_traces(app: AppTest) -> list[dict]:
    charts = app.get("plotly_chart")
    assert charts, "no plotly chart on the page"
    return json.loads(charts[0].proto.spec)["data"]


@pytest.fixture
def fixture_bundle(tmp_path, monkeypatch):
    directory = build_fixture_bundle(tmp_path / "bundle")
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    return directory


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(fixture_bundle, page, language):
    app = open_page(page, language)
    assert_healthy(app, language)
    assert not errors(app)
    assert app.title[0].value == t(HEADINGS[page], language)
    if page == "topics/home/page.py":
        names = {trace["text"][0] for trace in chart_traces(app)}
        assert any(t("family.self_supervised.name", language) in name for name in names)
        assert any(t("paradigm.rotation.name", language) in name for name in names)
        markdown = " ".join(element.value for element in app.markdown)
        assert t("home.status.coming", language) in markdown
    elif page == "topics/study/page.py":
        assert {trace["name"] for trace in chart_traces(app)} == {
            t("paradigm.supervised.name", language),
            t("paradigm.kmeans.name", language),
        }
        assert len(app.dataframe) == 2  # accuracies, and labels needed
        assert len(app.get("download_button")) == 2
        assert app.caption[0].value == t(
            "study.png_caption", language, filename="paradigm-lab-label-fraction-study"
        )
    else:
        shown = app.dataframe[0].value
        assert len(shown) == 4
        statuses = set(shown[t("models.column.sha_status", language)])
        assert statuses == {t("models.status.ok", language)}
        assert FULL_STUDY_COMMAND in [code.value for code in app.code]


def test_language_switch_in_the_sidebar_holds_across_pages(fixture_bundle):
    app = open_page("topics/home/page.py", "fr")
    assert app.title[0].value == t("home.heading", "fr")
    app.sidebar.radio[0].set_value("en").run()
    assert app.title[0].value == t("home.heading", "en")
    assert app.query_params["lang"] == "en"  # written back for the next navigation
    app.switch_page("topics/study/page.py").run()
    assert app.title[0].value == t("study.heading", "en")


def test_study_controls_change_the_chart_and_the_tables(fixture_bundle):
    app = open_page("topics/study/page.py", "en")
    app.multiselect(key="study_paradigms").set_value(["kmeans"]).run()
    assert [trace["name"] for trace in chart_traces(app)] == ["k-means"]
    app.radio(key="study_spread").set_value("range").run()
    assert chart_traces(app)[0]["error_y"]["symmetric"] is False
    app.slider(key="study_target").set_value(99).run()
    needed = app.dataframe[1].value
    assert needed[t("study.column.labels_needed", "en")].tolist() == ["not reached"]
    app.multiselect(key="study_paradigms").set_value([]).run()
    assert_healthy(app, "en")
    assert t("study.no_selection", "en") in [info.value for info in app.info]


def test_live_check_of_a_good_model_agrees_with_the_manifest(fixture_bundle):
    app = open_page("topics/models/page.py", "en")
    app.selectbox(key="live_check_model").set_value(model_id("kmeans", 1.0)).run()
    app.button[0].click().run()
    assert_healthy(app, "en")
    assert not errors(app)
    assert [success.value for success in app.success] == [t("models.live_agree", "en")]
    measured, expected = (metric.value for metric in app.metric)
    assert measured == expected


def break_missing(directory, identifier):
    (directory / "models" / f"{identifier}.onnx").unlink()


def break_checksum(directory, identifier):
    with open(directory / "models" / f"{identifier}.onnx", "ab") as file:
        file.write(b"corrupted")


def break_truncated(directory, identifier):
    # Half a file, as a copy interrupted on a USB stick leaves it, with a checksum that matches:
    # the loader itself must refuse it.
    file = directory / "models" / f"{identifier}.onnx"
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    _declare_sha(directory, identifier, sha256_of(file))


def break_not_onnx(directory, identifier):
    # The checksum matches, so only loading the file can tell it is not a model.
    file = directory / "models" / f"{identifier}.onnx"
    file.write_bytes(b"definitely not an ONNX protobuf")
    _declare_sha(directory, identifier, sha256_of(file))


def break_shape(directory, identifier):
    file = directory / "models" / f"{identifier}.onnx"
    write_linear_classifier(file, np.zeros((784, 7), np.float32), np.zeros(7, np.float32))
    _declare_sha(directory, identifier, sha256_of(file))


def _declare_sha(directory, identifier, sha256):
    edit_manifest(
        directory,
        lambda manifest: next(m for m in manifest["models"] if m["id"] == identifier).update(
            sha256=sha256
        ),
    )


@pytest.mark.parametrize(
    "break_model", [break_missing, break_checksum, break_truncated, break_not_onnx, break_shape]
)
def test_broken_model_is_named_with_its_rebuild_command(fixture_bundle, break_model):
    identifier = model_id("supervised", 0.01)
    break_model(fixture_bundle, identifier)

    app = open_page("topics/models/page.py", "fr")
    assert_healthy(app, "fr")
    app.selectbox(key="live_check_model").set_value(identifier).run()
    app.button[0].click().run()
    assert_healthy(app, "fr")
    (message,) = errors(app)
    assert identifier in message
    assert "python -m training train supervised --fraction 0.01 --seed 0" in message

    for page in ("topics/home/page.py", "topics/study/page.py"):
        other = open_page(page, "fr")
        assert_healthy(other, "fr")
        assert not errors(other)
        assert chart_traces(other)


def test_a_broken_model_shows_in_the_models_table(fixture_bundle):
    break_checksum(fixture_bundle, model_id("kmeans", 0.01))
    app = open_page("topics/models/page.py", "en")
    statuses = app.dataframe[0].value[t("models.column.sha_status", "en")].tolist()
    assert statuses.count(t("models.status.mismatch", "en")) == 1
    assert app.warning


def test_missing_manifest_is_explained_on_every_page(tmp_path, monkeypatch):
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(tmp_path))
    for page in PAGES:
        app = open_page(page, "en")
        assert_healthy(app, "en")
        (message,) = errors(app)
        assert FULL_STUDY_COMMAND in message
    home = open_page("topics/home/page.py", "en")
    assert chart_traces(home), "the map of families still shows without a manifest"


def test_manifest_that_is_not_json_is_explained_and_the_study_still_shows(fixture_bundle):
    (fixture_bundle / "manifest.json").write_text("{ not json", encoding="utf-8")
    for page in ("topics/home/page.py", "topics/models/page.py"):
        app = open_page(page, "fr")
        assert_healthy(app, "fr")
        (message,) = errors(app)
        assert "JSON" in message and FULL_STUDY_COMMAND in message
    study = open_page("topics/study/page.py", "fr")
    assert_healthy(study, "fr")
    assert len(chart_traces(study)) == 2  # the study reads results.csv, not the manifest


def test_presentation_mode_keeps_every_page_working(fixture_bundle):
    app = open_page("topics/study/page.py", "en")
    app.sidebar.toggle[0].set_value(True).run()
    assert_healthy(app, "en")
    assert len(app.table) == 2, "tables become HTML so projector-sized type applies"
    for page in PAGES:
        app.switch_page(page).run()
        assert_healthy(app, "en")
        assert app.title[0].value == t(HEADINGS[page], "en")


@pytest.mark.skipif(not real_bundle_available(), reason="exported_models/ not built yet")
@pytest.mark.parametrize("language", ["fr", "en"])
def test_real_bundle_renders_every_page_and_checks_a_model(monkeypatch, language):
    monkeypatch.delenv(BUNDLE_ENVIRONMENT_VARIABLE, raising=False)
    for page in PAGES:
        app = open_page(page, language)
        assert_healthy(app, language)
        assert not errors(app), errors(app)
    statuses = set(app.dataframe[0].value[t("models.column.sha_status", language)])
    assert statuses == {t("models.status.ok", language)}
    app.button[0].click().run()
    assert [success.value for success in app.success] == [t("models.live_agree", language)]


def test_french_is_the_default_language(fixture_bundle):
    app = AppTest.from_file(str(APP_PATH), default_timeout=30).run()
    assert app.title[0].value == t("home.heading", "fr")
    assert app.query_params["lang"] == "fr"


def test_an_unforeseen_error_becomes_a_sentence_and_spares_the_other_pages(
    fixture_bundle, monkeypatch
):
    from dashboard.core import tables

    def fail(*arguments, **keywords):
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr(tables, "accuracy_table", fail)
    app = open_page("topics/study/page.py", "en")
    assert not app.exception
    assert errors(app) == [t("error.unexpected", "en", error_type="RuntimeError")]
    assert app.sidebar.radio, "the shared sidebar is still drawn"
    app.switch_page("topics/models/page.py").run()
    assert_healthy(app, "en")
    assert not errors(app)
