"""The classroom pages under Streamlit's AppTest, in French and English: try your own digit, the
guided lesson, the study's re-check, and lessons carried by links.

Each test checks what a teacher or a pupil would notice: answers for an uploaded digit, a clear
message for a file that is not an image, a chart that re-checks itself, a link that reopens the
same view, and a student link without controls.
"""

import io
import json
import shutil

import pandas as pd
import pytest
from dashboard_fixtures import (
    REAL_BUNDLE,
    assert_healthy,
    build_fixture_bundle,
    open_page,
    real_bundle_available,
)
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE, load_manifest
from dashboard.core.i18n import t
from dashboard.core.lesson_plan import STEPS
from dashboard.core.lesson_state import LessonVocabulary, parse_lesson_link

NEW_PAGES = {"topics/try_digit/page.py": "try_digit.heading", "topics/lesson/page.py": "lesson.heading"}


def photo_of_a_seven() -> bytes:
    """A 7 written with a thick dark pen on light paper, as a phone would send it."""
    paper = Image.new("RGB", (240, 300), (236, 232, 220))
    ImageDraw.Draw(paper).line(
        [(50, 60), (190, 60), (110, 250)], fill=(25, 25, 40), width=22, joint="curve"
    )
    buffer = io.BytesIO()
    paper.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def answers(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def upload(app: AppTest, name: str, data: bytes, mime: str = "image/png") -> AppTest:
    app.button_group(key="try_digit_input").set_value("upload").run()
    app.file_uploader(key="try_digit_upload").upload(name, data, mime).run()
    return app


@pytest.fixture
def fixture_bundle(tmp_path, monkeypatch):
    directory = build_fixture_bundle(tmp_path / "bundle")
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    return directory


def shipped_classifier_paradigms(bundle_directory):
    """The paradigms with a classifier in the bundle, in the manifest's registry order."""
    manifest = load_manifest(bundle_directory)
    shipped = {m.paradigm for m in manifest.models if m.role == "classifier"}
    return [p for p in manifest.paradigms if p.id in shipped]


def results_only_points_of_seed_0(bundle_directory) -> int:
    """Seed 0's rows of the paradigms that ship results and no classifier (the fine-tunes): the
    re-check cannot measure them, and its verdict says how many there are."""
    results_only = {p.id for p in load_manifest(bundle_directory).paradigms if not p.ships_classifier}
    results = pd.read_csv(bundle_directory / "results.csv")
    return int(((results["seed"] == 0) & results["paradigm"].isin(results_only)).sum())


def recheck_verdict(key: str, language: str, bundle_directory, **values) -> str:
    """The re-check's sentence as the page writes it: the verdict, then the points it leaves to
    the results table, if the bundle has any."""
    not_measured = results_only_points_of_seed_0(bundle_directory)
    verdict = t(key, language, **values)
    if not_measured:
        verdict += " " + t("study.recheck_results_only", language, count=not_measured)
    return verdict


@pytest.fixture
def real_bundle_copy(tmp_path, monkeypatch):
    if not real_bundle_available():
        pytest.skip("exported_models/ not built yet")
    directory = shutil.copytree(REAL_BUNDLE, tmp_path / "bundle")
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    return directory


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("page", sorted(NEW_PAGES))
def test_the_new_pages_render_in_both_languages(fixture_bundle, page, language):
    app = open_page(page, language)
    assert_healthy(app, language)
    assert not app.error
    assert app.title[0].value == t(NEW_PAGES[page], language)
    if page == "topics/try_digit/page.py":
        assert [info.value for info in app.info] == [t("try_digit.waiting.draw", language)]
    else:
        labels = [link.value for link in app.get("page_link")]
        assert t("lesson.open", language, page=t("page.try_digit.title", language)) in labels
        # The two GAN, three self-supervised (the chart, the exercises, colourisation) and two
        # semi-supervised steps: nothing ships in the fixture bundle, so all open the map.
        assert labels.count(t("lesson.open_map", language)) == 7
        markdown = " ".join(element.value for element in app.markdown)
        assert t("lesson.step.gan.coming", language) in markdown


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_uploaded_photo_gets_every_paradigms_answer_grouped_by_family(
    real_bundle_copy, language
):
    app = upload(open_page("topics/try_digit/page.py", language), "seven.jpg", photo_of_a_seven())
    assert_healthy(app, language)
    shipped = shipped_classifier_paradigms(real_bundle_copy)
    read = answers(app)
    assert set(read) == {t(f"paradigm.{p.id}.name", language) for p in shipped}
    # A clear photo of a 7: the supervised model and all but one of the others read it.
    assert read[t("paradigm.supervised.name", language)] == "7"
    assert list(read.values()).count("7") >= len(read) - 1
    headings = [element.value for element in app.markdown if element.value.startswith("#####")]
    families = list(dict.fromkeys(p.family for p in shipped))
    assert len(headings) == len(families)
    assert t("family.supervised.name", language) in headings[0]
    assert t("family.unsupervised.name", language) in headings[-1]
    captions = [caption for image in app.image for caption in image.captions]
    assert captions == [t("try_digit.your_picture", language), t("try_digit.model_view", language)]


def test_the_slider_changes_the_models_and_the_url(real_bundle_copy):
    app = upload(open_page("topics/try_digit/page.py", "en"), "seven.jpg", photo_of_a_seven())
    app.select_slider(key="try_digit_fraction").set_value(0.01).run()
    assert_healthy(app, "en")
    assert len(answers(app)) == len(shipped_classifier_paradigms(real_bundle_copy))
    assert app.query_params["fraction"] == "1"
    captions = " ".join(caption.value for caption in app.caption)
    assert "1% of the images labelled (40 labels)" in captions
    link = next(code.value for code in app.code if code.value.startswith("http"))
    assert link == "http://localhost:8501/try_digit?lang=en&fraction=1"


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("digit.png", b"these bytes are not a picture", "digit.error.not_an_image"),
        ("digit.jpg", photo_of_a_seven()[:400], "digit.error.damaged"),
        ("blank.png", None, "digit.error.blank"),
    ],
    ids=["not an image", "truncated jpeg", "blank sheet"],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_unusable_upload_gets_a_clear_message_and_nothing_breaks(
    fixture_bundle, name, data, key, language
):
    if data is None:
        buffer = io.BytesIO()
        Image.new("RGB", (300, 200), (240, 240, 240)).save(buffer, format="PNG")
        data = buffer.getvalue()
    app = upload(open_page("topics/try_digit/page.py", language), name, data)
    assert_healthy(app, language)
    assert [warning.value for warning in app.warning] == [t(key, language)]
    assert not app.metric
    app.switch_page("topics/study/page.py").run()
    assert_healthy(app, language)


def test_an_animated_picture_is_read_from_its_first_frame_and_says_so(real_bundle_copy):
    first = Image.open(io.BytesIO(photo_of_a_seven())).convert("P")
    buffer = io.BytesIO()
    first.save(buffer, format="GIF", save_all=True, append_images=[Image.new("P", first.size)])
    app = upload(open_page("topics/try_digit/page.py", "en"), "seven.gif", buffer.getvalue())
    assert_healthy(app, "en")
    assert [info.value for info in app.info] == [t("try_digit.first_frame", "en")]
    assert answers(app)[t("paradigm.supervised.name", "en")] == "7"


def test_a_camera_photo_is_read_like_an_upload(real_bundle_copy):
    app = open_page("topics/try_digit/page.py", "en")
    app.button_group(key="try_digit_input").set_value("camera").run()
    app.camera_input(key="try_digit_camera").upload("photo.jpg", photo_of_a_seven(), "image/jpeg").run()
    assert_healthy(app, "en")
    assert answers(app)[t("paradigm.supervised.name", "en")] == "7"


def test_the_language_switch_keeps_the_digit_and_its_answers(real_bundle_copy):
    app = upload(open_page("topics/try_digit/page.py", "fr"), "seven.jpg", photo_of_a_seven())
    app.sidebar.radio[0].set_value("en").run()
    assert_healthy(app, "en")
    assert answers(app)[t("paradigm.supervised.name", "en")] == "7"


def test_the_chart_re_checks_itself_on_the_shipped_bundle(real_bundle_copy):
    app = open_page("topics/study/page.py", "en")
    app.button(key="study_recheck_button").click().run()
    assert_healthy(app, "en")
    shipped = sum(m.role == "classifier" for m in load_manifest(real_bundle_copy).models)
    assert shipped == 7 * len(shipped_classifier_paradigms(real_bundle_copy))
    assert [success.value for success in app.success] == [
        recheck_verdict("study.recheck_agree", "en", real_bundle_copy, count=shipped)
    ]
    table = app.dataframe[-1].value
    assert set(table[t("study.recheck.column.status", "en")]) == {
        t("study.recheck.status.agree", "en")
    }
    # A language switch keeps the result on screen, in the other language.
    app.sidebar.radio[0].set_value("fr").run()
    assert [success.value for success in app.success] == [
        recheck_verdict("study.recheck_agree", "fr", real_bundle_copy, count=shipped)
    ]


def test_the_re_check_says_which_points_it_cannot_re_check(real_bundle_copy):
    """Results-only rows (a fine-tune ships no classifier) are charted from results.csv: the
    verdict says how many such points it does not cover, in each language."""
    manifest_path = real_bundle_copy / "manifest.json"
    raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    raw["paradigms"].append({"id": "rotation_finetune", "family": "self_supervised", "ships_classifier": False})
    manifest_path.write_text(json.dumps(raw), encoding="utf-8")
    results = pd.read_csv(real_bundle_copy / "results.csv")
    extra = results[(results["paradigm"] == "rotation")].copy()
    extra["paradigm"], extra["model_id"] = "rotation_finetune", ""
    pd.concat([results, extra]).to_csv(real_bundle_copy / "results.csv", index=False)
    of_seed_0 = results_only_points_of_seed_0(real_bundle_copy)
    assert of_seed_0 >= int((extra["seed"] == 0).sum())  # the added rows count, beside the bundle's own
    app = open_page("topics/study/page.py", "en")
    app.button(key="study_recheck_button").click().run()
    assert_healthy(app, "en")
    shipped = sum(m.role == "classifier" for m in load_manifest(real_bundle_copy).models)
    (success,) = app.success
    assert success.value == (
        t("study.recheck_agree", "en", count=shipped) + " " + t("study.recheck_results_only", "en", count=of_seed_0)
    )
    assert f"{of_seed_0} more points (seed 0)" in success.value
    app.sidebar.radio[0].set_value("fr").run()
    assert f"{of_seed_0} autres points (graine 0)" in app.success[0].value


def test_the_re_check_flags_a_results_row_changed_after_the_fact(real_bundle_copy):
    path = real_bundle_copy / "results.csv"
    results = pd.read_csv(path)
    row = (results["paradigm"] == "supervised") & (results["label_fraction"] == 0.02)
    results.loc[row & (results["seed"] == 0), "test_accuracy"] = 0.95
    results.to_csv(path, index=False)
    app = open_page("topics/study/page.py", "fr")
    app.button(key="study_recheck_button").click().run()
    assert_healthy(app, "fr")
    shipped = sum(m.role == "classifier" for m in load_manifest(real_bundle_copy).models)
    assert [warning.value for warning in app.warning] == [
        recheck_verdict("study.recheck_disagree", "fr", real_bundle_copy, flagged=1, count=shipped)
    ]
    table = app.dataframe[-1].value
    status = table[t("study.recheck.column.status", "fr")]
    flagged = table[status == t("study.recheck.status.differs", "fr")]
    assert flagged[t("study.column.fraction", "fr")].tolist() == ["2\u202f%"]
    assert flagged[t("study.recheck.column.recorded", "fr")].tolist() == ["95,0"]


def test_a_lesson_link_reopens_the_same_study_view(fixture_bundle):
    app = open_page(
        "topics/study/page.py", "en", paradigms="kmeans", seeds="0", panels="chart,downloads"
    )
    assert_healthy(app, "en")
    assert app.multiselect(key="study_paradigms").value == ["kmeans"]
    assert app.button_group(key="study_seeds").value == [0]
    assert not app.dataframe, "the table panel is hidden"
    assert len(app.get("download_button")) == 2
    link = next(code.value for code in app.code if code.value.startswith("http"))
    assert link == (
        "http://localhost:8501/study?lang=en&paradigms=kmeans&seeds=0&panels=chart,downloads"
    )
    # Changing a control changes the link: the teacher copies the view as it is now.
    app.multiselect(key="study_paradigms").set_value(["supervised", "kmeans"]).run()
    link = next(code.value for code in app.code if code.value.startswith("http"))
    assert "paradigms" not in link and "seeds=0" in link


def test_hostile_parameters_are_ignored_and_the_url_heals(fixture_bundle):
    app = open_page(
        "topics/try_digit/page.py",
        "<script>alert(1)</script>",
        fraction="7",
        paradigms="<img src=x onerror=alert(1)>",
        seeds="-1,abc",
        panels="everything",
        controls="maybe",
    )
    assert_healthy(app, "fr")
    assert app.title[0].value == t("try_digit.heading", "fr")
    assert app.select_slider(key="try_digit_fraction").value == 1.0
    assert dict(app.query_params) == {"lang": "fr", "fraction": "100"}


def test_a_student_link_hides_the_sidebar_and_the_controls(fixture_bundle):
    app = open_page("topics/study/page.py", "en", controls="hidden", panels="chart,recheck")
    assert_healthy(app, "en")
    assert app.title[0].value == t("study.heading", "en")
    assert not app.sidebar.radio and not app.sidebar.toggle
    assert not app.multiselect and not app.radio and not app.slider
    assert len(app.get("plotly_chart")) == 1
    assert app.button(key="study_recheck_button"), "the re-check is a panel, not a control"
    lesson = open_page("topics/lesson/page.py", "en", controls="hidden")
    assert not lesson.get("expandable"), "teacher notes stay with the teacher"
    assert all("controls=hidden" in link.proto.query_string for link in lesson.get("page_link"))


def test_every_lesson_step_opens_its_page_with_its_view(fixture_bundle):
    app = open_page("topics/lesson/page.py", "en", projector="1")
    assert_healthy(app, "en")
    links = app.get("page_link")
    assert len(links) == len(STEPS)
    opened = [
        parse_lesson_link(
            f"http://localhost:8501/{link.proto.page.split('/')[-1]}?{link.proto.query_string}",
            LessonVocabulary(fractions=(0.01, 1.0), seeds=(0, 1, 2)),
        )
        for link in links
    ]
    assert all(state.language == "en" and state.projector for state in opened)
    assert opened[1].label_fraction == 1.0 and opened[2].label_fraction == 0.01
    assert app.sidebar.toggle[0].value is True, "projector=1 in a link turns presentation on"


def test_pages_without_a_manifest_still_explain_themselves(tmp_path, monkeypatch):
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(tmp_path))
    for page in NEW_PAGES:
        app = open_page(page, "en")
        assert_healthy(app, "en")
        assert any("python -m training study --profile full" in e.value for e in app.error)


def test_a_fraction_chosen_on_one_page_does_not_follow_to_the_next(real_bundle_copy):
    app = open_page("topics/try_digit/page.py", "en")
    app.select_slider(key="try_digit_fraction").set_value(1.0).run()
    app.switch_page("topics/semi_supervised/page.py").run()  # the sidebar: no link, no parameters
    assert_healthy(app, "en")
    assert app.select_slider(key="semi_supervised_fraction").value == 0.01, "the page's own default: 40 labels"
    assert "fraction" not in app.query_params, "nor in the URL"
    app.switch_page("topics/try_digit/page.py").run()
    assert app.select_slider(key="try_digit_fraction").value == 1.0, "the try page as it was left"


def test_a_page_opened_by_a_lesson_step_leads_to_the_next_step_and_back(fixture_bundle):
    app = open_page("topics/try_digit/page.py", "fr", fraction="1", step="every_label")
    assert_healthy(app, "fr")
    title = t("lesson.step.every_label.title", "fr")
    where = t("lesson.nav.where", "fr", number=2, count=len(STEPS), title=title)
    assert where in [markdown.value for markdown in app.markdown]
    links = {link.proto.label: link.proto for link in app.get("page_link")}
    previous, back, following = (t("lesson.nav.previous", "fr", number=1), t("lesson.nav.back", "fr"),
                                 t("lesson.nav.next", "fr", number=3))
    assert {previous, back, following} <= set(links)
    assert links[following].page == "try_digit"
    assert "fraction=1" in links[following].query_string and "step=few_labels" in links[following].query_string
    assert links[back].page == "lesson"
    app.switch_page("topics/study/page.py").run()  # the sidebar: the step stays behind
    assert where not in [markdown.value for markdown in app.markdown]
    assert not [link for link in app.get("page_link") if link.proto.label == back]
