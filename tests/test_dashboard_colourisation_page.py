"""The colourisation page under Streamlit's AppTest, in French and English, on the test-profile
bundle: a sample photo side by side with its grey version and the colourised answer, the
temperature slider, a grey photo with no truth, an upload, a camera shot, bad uploads, and a
missing model or photo, each told in a sentence while the rest of the page keeps working.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from dashboard_fixtures import assert_healthy, folded_parts, open_page
from PIL import Image

from dashboard.core.i18n import t
from scripts.hostile_uploads import corpus

PAGE = "topics/colourisation/page.py"


def captions(app) -> list[str]:
    return [caption for image in app.get("image") for caption in image.captions]


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def colourful_png(width: int = 120, height: int = 80, format: str = "PNG") -> bytes:
    rows, columns = np.mgrid[0:height, 0:width]
    pixels = np.stack([255 * columns / width, 255 * rows / height, np.full_like(rows, 90)], axis=2)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, format=format)
    return buffer.getvalue()


def upload(app, name: str, data: bytes, mime: str = "image/png"):
    app.radio(key="colourisation_source").set_value("upload").run()
    app.file_uploader(key="colourisation_upload").upload(name, data, mime).run()
    return app


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_sample_photo_is_shown_grey_and_colourised_beside_the_original(bundle_in_env, language):
    app = open_page(PAGE, language)
    assert_healthy(app, language)
    assert not app.error
    assert app.title[0].value == t("colourisation.heading", language)
    shown = captions(app)
    assert shown[:2] == [t("colourisation.original", language), t("colourisation.grey", language)]
    assert shown[2].startswith(t("colourisation.result", language, temperature="").split("(")[0])
    assert set(metrics(app)) == {t("colourisation.metric.error", language), t("colourisation.metric.colourfulness", language)}
    # The study's held-out figures: three photos and their mean.
    table = app.dataframe[0].value
    assert len(table) == 4 and table.iloc[-1, 0] == t("colourisation.table.mean", language)
    subheadings = [s.value for s in app.header]
    assert subheadings == [t("colourisation.labels_heading", language), t("colourisation.fails_heading", language)]
    # The measures on held-out photos are for the teacher: folded.
    assert folded_parts(app, language) == [t("colourisation.study_heading", language)]


def test_the_temperature_changes_the_colours_not_the_photo(bundle_in_env):
    app = open_page(PAGE, "en")
    before = metrics(app)[t("colourisation.metric.colourfulness", "en")]
    app.select_slider(key="colourisation_temperature").set_value(0.1).run()
    assert_healthy(app, "en")
    assert captions(app)[2] == t("colourisation.result", "en", temperature="0.10")
    after = metrics(app)[t("colourisation.metric.colourfulness", "en")]
    assert int(after.rstrip("%")) > int(before.rstrip("%"))  # colder is more vivid


def test_an_old_grey_photo_is_colourised_with_no_truth_shown(bundle_in_env):
    app = open_page(PAGE, "fr")
    app.selectbox(key="colourisation_sample").set_value("camera").run()
    assert_healthy(app, "fr")
    assert captions(app)[0] == t("colourisation.grey", "fr") and len(captions(app)) == 2
    assert [info.value for info in app.info] == [t("colourisation.no_truth", "fr")]
    assert not app.metric


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_uploaded_photo_is_colourised(bundle_in_env, language):
    app = upload(open_page(PAGE, language), "holiday.png", colourful_png())
    assert_healthy(app, language)
    assert not app.error
    assert len(captions(app)) == 3 and len(app.metric) == 2
    assert t("colourisation.own_photo", language) in [caption.value for caption in app.caption]


def test_a_camera_photo_is_colourised(bundle_in_env):
    app = open_page(PAGE, "en")
    app.radio(key="colourisation_source").set_value("camera").run()
    assert [info.value for info in app.info] == [t("colourisation.waiting.camera", "en")]
    app.camera_input(key="colourisation_camera").upload("shot.jpg", colourful_png(64, 48, "JPEG"), "image/jpeg").run()
    assert_healthy(app, "en")
    assert len(captions(app)) == 3


BAD_UPLOADS = {
    "random_bytes.png": "colourisation.error.not_an_image",
    "empty.png": None,  # the uploader sends nothing for an empty file, or the page says so
    "truncated.png": "colourisation.error.damaged",
    "text_renamed.png": "colourisation.error.not_an_image",
    "decompression_bomb.png": "colourisation.error.too_large",
}
ODD_BUT_FINE = ("one_pixel.png", "fully_transparent.png", "sixteen_bit.png", "cmyk.jpg", "animated.gif",
                "huge_photo.jpg", "all_black.png")


@pytest.mark.parametrize("name", sorted(BAD_UPLOADS))
def test_a_bad_upload_gets_a_sentence_and_the_page_keeps_working(bundle_in_env, name):
    data = corpus()[name]
    app = upload(open_page(PAGE, "fr"), name, data)
    assert_healthy(app, "fr")
    expected = BAD_UPLOADS[name]
    if expected is not None:
        assert [error.value for error in app.error] == [t(expected, "fr", megapixels=40)]
    assert not app.metric
    assert app.dataframe  # the study's figures still show
    app.radio(key="colourisation_source").set_value("sample").run()
    assert_healthy(app, "fr")
    assert len(captions(app)) == 3  # and a sample photo still works after it


@pytest.mark.parametrize("name", ODD_BUT_FINE)
def test_odd_but_real_pictures_are_colourised(bundle_in_env, name):
    app = upload(open_page(PAGE, "en"), name, corpus()[name])
    assert_healthy(app, "en")
    assert not app.error
    assert captions(app), name
    if name == "animated.gif":
        assert t("colourisation.animated", "en") in [caption.value for caption in app.caption]


def test_a_missing_model_is_a_sentence_with_the_command(own_bundle):
    manifest = json.loads((own_bundle / "manifest.json").read_text())
    entry = next(m for m in manifest["models"] if m["role"] == "colouriser")
    (own_bundle / entry["file"]).unlink()
    app = open_page(PAGE, "en")
    assert_healthy(app, "en")
    assert len(app.error) == 1 and entry["id"] in app.error[0].value
    assert "python -m training study" in app.error[0].value
    assert app.dataframe  # the recorded figures and the explanation still show


def test_a_changed_sample_photo_is_named(own_bundle):
    manifest = json.loads((own_bundle / "manifest.json").read_text())
    entry = next(m for m in manifest["models"] if m["role"] == "colouriser")
    first = next(p for p in entry["photos"].values() if "file" in p)
    (own_bundle / first["file"]).write_bytes(b"not the photo any more")
    app = open_page(PAGE, "fr")
    assert_healthy(app, "fr")
    assert [error.value for error in app.error] == [
        t("colourisation.error.photo_file", "fr", file=first["file"], command="python -m training study --paradigm colourisation")]


def test_a_bundle_without_a_colouriser_says_how_to_build_it(own_bundle):
    manifest = json.loads((own_bundle / "manifest.json").read_text())
    manifest["models"] = [m for m in manifest["models"] if m["role"] != "colouriser"]
    (own_bundle / "manifest.json").write_text(json.dumps(manifest))
    app = open_page(PAGE, "en")
    assert_healthy(app, "en")
    assert [info.value for info in app.info] == [
        t("colourisation.no_model", "en", command="python -m training study --paradigm colourisation")]
