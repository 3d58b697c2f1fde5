"""Colourisation: a grey photo in, colours out, from a network whose labels were the colours.

The class picks a photo the model never saw (shipped with the bundle), an old black-and-white
one, their own upload or a camera shot; the page shows the original, the grey version the model
reads and its colourised answer side by side, with the colour error against the original where
there is one. A temperature slider shows the choice between safe brown-grey and vivid colours.
Below: the study's figures on the held-out photos, how the temperature was chosen, and where
the model fails and why.

The logic is in dashboard/topics/colourisation/colourise.py. The model runs once per photo (cached, keyed on the
photo's SHA-256); a new temperature only decodes the cached answer again.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
from PIL import Image

from dashboard.core import bundle_reader as bundle
from dashboard.core import icons, inference, page_helpers
from dashboard.core.bundle_reader import BundleError, ColouriserInfo, Manifest, ModelError
from dashboard.core.digit_input import DigitInputError, is_animated, open_image_bytes
from dashboard.core.i18n import format_decimal, format_percent, t
from dashboard.topics.colourisation import colourise

PAGE_ID = "colourisation"
SOURCE_KEY = "colourisation_source"
SAMPLE_KEY = "colourisation_sample"
UPLOAD_KEY = "colourisation_upload"
CAMERA_KEY = "colourisation_camera"
TEMPERATURE_KEY = "colourisation_temperature"
SOURCES = ("sample", "upload", "camera")
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"]
# The slider's stops: a few values, so each photo's answers at every stop can stay cached.
TEMPERATURES = (0.1, 0.2, 0.38, 0.7, 1.0, 1.5, 2.0, 3.0)
# A grey photo from scikit-image (an installed package): the "old family picture" example.
GREY_SAMPLE = "camera"
BUILD_COMMAND = "python -m training study --paradigm colourisation"


@st.cache_resource(show_spinner=False, max_entries=2)
def _colouriser_session(model_path: str, sha256: str, _model: bundle.ModelInfo):
    # No memory arena: a session's arena would keep its largest photo's peak for good.
    return inference.create_session(Path(model_path), _model, memory_arena=False)


# Resources, not data: Streamlit would otherwise copy (pickle) each array and picture on every
# rerun; the page only reads them.
@st.cache_resource(show_spinner=False, max_entries=3)
def _logits(photo_key: str, model_path: str, sha256: str, _rgb: Image.Image, _spec: colourise.ColouriserSpec,
            _model: bundle.ModelInfo) -> np.ndarray:
    session = _colouriser_session(model_path, sha256, _model)
    try:
        # Half precision in the cache: a 512-pixel photo's answer is 4 MB instead of 8, and the
        # decoding's exponentials are computed in float64 from it anyway.
        return colourise.predict_colours(session, _spec, _rgb).astype(np.float16)
    except colourise.ColouriseError:
        raise
    except Exception as error:  # ONNX Runtime's own exception types for a model that cannot run
        raise inference.run_failed(_model) from error
    finally:
        inference.release_freed_memory()


def jpeg(image: Image.Image) -> bytes:
    """The picture as the browser gets it, encoded once: st.image would encode a PIL image again
    on every rerun (tens of milliseconds for three 512-pixel photos)."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@st.cache_resource(show_spinner=False, max_entries=3)
def _views(photo_key: str, _rgb: Image.Image) -> tuple[np.ndarray, bytes, bytes]:
    """The photo's lightness (kept for every temperature), and the original and grey pictures."""
    lightness = colourise.rgb_to_lab(_rgb)[..., 0]
    return lightness, jpeg(_rgb), jpeg(colourise.grey_version(_rgb))


@st.cache_resource(show_spinner=False, max_entries=8)
def _colourised(photo_key: str, sha256: str, temperature: float, _logits: np.ndarray, _rgb: Image.Image,
                _spec: colourise.ColouriserSpec, _lightness: np.ndarray) -> tuple[Image.Image, bytes]:
    result = colourise.colours_to_image(_logits, _spec, _rgb, temperature, _lightness)
    return result, jpeg(result)


@st.cache_resource(show_spinner=False, max_entries=8)
def _figures(photo_key: str, sha256: str, temperature: float, _truth: Image.Image,
             _result: Image.Image) -> colourise.ColourFigures:
    return colourise.colour_figures(_truth, _result)


@st.cache_data(show_spinner=False, max_entries=8)
def _shipped_photo(path: str, sha256: str | None) -> bytes:
    data = Path(path).read_bytes()
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError("changed")
    return data


@st.cache_data(show_spinner=False, max_entries=1)
def _grey_sample() -> bytes:
    from skimage import data

    buffer = io.BytesIO()
    Image.fromarray(data.camera()).save(buffer, format="PNG")
    return buffer.getvalue()


def _photo_label(name: str, colouriser: ColouriserInfo, language: str) -> str:
    if name == GREY_SAMPLE:
        return t("colourisation.sample.grey", language)
    role = next((p.role for p in colouriser.photos if p.name == name), "heldout")
    return t("colourisation.sample.item", language, name=name, role=t(f"colourisation.role.{role}", language))


def choose_photo(manifest: Manifest, colouriser: ColouriserInfo, language: str) -> tuple[str, bytes, str] | None:
    """(the photo's key, its bytes, where it comes from) for the chosen source, or None."""
    source = st.radio(t("colourisation.source", language), SOURCES, horizontal=True, key=SOURCE_KEY,
                      format_func=lambda s: t(f"colourisation.source.{s}", language))
    if source == "sample":
        shipped = [p for p in colouriser.photos if p.file]
        names = [p.name for p in shipped] + [GREY_SAMPLE]
        name = st.selectbox(t("colourisation.sample", language), names, key=SAMPLE_KEY,
                            format_func=lambda n: _photo_label(n, colouriser, language))
        if name == GREY_SAMPLE:
            return "sample:camera", _grey_sample(), "grey"
        photo = next(p for p in shipped if p.name == name)
        path = manifest.bundle_directory / (photo.file or "")  # `shipped` keeps photos with a file
        try:
            return f"sample:{photo.sha256 or name}", _shipped_photo(str(path), photo.sha256), photo.role
        except (OSError, ValueError):
            st.error(t("colourisation.error.photo_file", language, file=photo.file, command=BUILD_COMMAND), icon=icons.ERROR)
            return None
    if source == "upload":
        uploaded = st.file_uploader(t("colourisation.upload", language), type=UPLOAD_TYPES, key=UPLOAD_KEY,
                                    help=t("colourisation.upload_help", language))
    else:
        uploaded = st.camera_input(t("colourisation.camera", language), key=CAMERA_KEY)
    if uploaded is None:
        st.info(t(f"colourisation.waiting.{source}", language), icon=icons.INFO)
        return None
    data = uploaded.getvalue()
    return f"{source}:{hashlib.sha256(data).hexdigest()}", data, source


@st.cache_resource(show_spinner=False, max_entries=3)
def _opened(photo_key: str, max_side: int, _data: bytes) -> tuple[Image.Image | None, bool, tuple[str, dict]]:
    """(the photo as RGB at the model's working size, whether it was animated, the error key and
    values when it cannot be read). Kept per photo: a rerun decodes nothing again."""
    try:
        image = open_image_bytes(_data)
    except DigitInputError as error:
        return None, False, (error.message_key.replace("digit.error.", "colourisation.error."), error.params)
    try:
        rgb = colourise.to_rgb(image)
    except Exception:  # a mode Pillow cannot convert to RGB
        return None, False, ("colourisation.error.unsupported_mode", {"mode": image.mode})
    if max(rgb.size) > max_side:  # large photos are scaled down first: the page's 1 s budget
        rgb = rgb.resize(colourise.working_size(rgb.size, max_side), Image.Resampling.LANCZOS)
    return rgb, is_animated(image), ("", {})


def open_photo(photo_key: str, data: bytes, max_side: int, language: str) -> Image.Image | None:
    """The photo ready for the model, or None after saying why it cannot be read."""
    rgb, animated, (error_key, params) = _opened(photo_key, max_side, data)
    if rgb is None:
        st.error(t(error_key, language, **params), icon=icons.ERROR)
        return None
    if animated:
        st.caption(t("colourisation.animated", language))
    return rgb


# A fragment: its widgets rerun only this function, not the whole page and sidebar (a class
# moving a slider together costs the server a fraction of a page each; issue #20).
@page_helpers.interactive_fragment
def render_photo(manifest: Manifest, colouriser: ColouriserInfo, language: str) -> None:
    model = manifest.model(colouriser.model_id)
    chosen = choose_photo(manifest, colouriser, language)
    if chosen is None or model is None:
        return
    photo_key, data, origin = chosen
    rgb = open_photo(photo_key, data, colouriser.spec.max_side, language)
    if rgb is None:
        return
    spec = colouriser.spec
    try:
        path = bundle.verified_model_path(manifest.bundle_directory, model)
        logits = _logits(photo_key, str(path), model.sha256, rgb, spec, model)
    except BundleError as error:
        page_helpers.show_error(error)
        return
    except colourise.ColouriseError:
        st.error(t("colourisation.error.answer", language, command=BUILD_COMMAND), icon=icons.ERROR)
        return
    default = min(TEMPERATURES, key=lambda value: abs(value - spec.temperature))
    temperature = st.select_slider(t("colourisation.temperature", language), TEMPERATURES, value=default,
                                   key=TEMPERATURE_KEY, help=t("colourisation.temperature_help", language))
    lightness, original_jpeg, grey_jpeg = _views(photo_key, rgb)
    result, result_jpeg = _colourised(photo_key, model.sha256, temperature, logits, rgb, spec, lightness)
    grey = colourise.is_grey(rgb)
    columns = st.columns(2 if grey else 3)
    if not grey:
        columns[0].image(original_jpeg, caption=t("colourisation.original", language), width="stretch",
                         alt=t("colourisation.original", language))
    columns[-2].image(grey_jpeg, caption=t("colourisation.grey", language), width="stretch", alt=t("colourisation.grey", language))
    caption = t("colourisation.result", language, temperature=format_decimal(temperature, language, 2))
    columns[-1].image(result_jpeg, caption=caption, width="stretch", alt=caption)
    if grey:
        st.info(t("colourisation.no_truth", language), icon=icons.INFO)
        return
    figures = _figures(photo_key, model.sha256, temperature, rgb, result)
    left, right = st.columns(2)
    left.metric(t("colourisation.metric.error", language), format_decimal(figures.colour_error, language, 1),
                delta=format_decimal(figures.colour_error - figures.grey_error, language, 1), delta_color="inverse",
                help=t("colourisation.metric.error_help", language, grey=format_decimal(figures.grey_error, language, 1)))
    right.metric(t("colourisation.metric.colourfulness", language), format_percent(figures.colourfulness_ratio, language, 0),
                 help=t("colourisation.metric.colourfulness_help", language,
                        result=format_decimal(figures.colourfulness, language, 1),
                        original=format_decimal(figures.original_colourfulness, language, 1)))
    verdict = "better" if figures.colour_error < figures.grey_error else "worse"
    st.caption(t(f"colourisation.verdict.{verdict}", language, error=format_decimal(figures.colour_error, language, 1),
                 grey=format_decimal(figures.grey_error, language, 1)))
    if origin in ("upload", "camera"):
        st.caption(t("colourisation.own_photo", language))


def heldout_table(model: bundle.ModelInfo, language: str) -> pd.DataFrame | None:
    heldout = model.metrics.get("heldout") if isinstance(model.metrics, dict) else None
    if not isinstance(heldout, dict) or not isinstance(heldout.get("photos"), dict):
        return None
    rows = []
    for name, row in [*heldout["photos"].items(), (t("colourisation.table.mean", language), heldout.get("mean", {}))]:
        try:
            rows.append({
                t("colourisation.table.photo", language): name,
                t("colourisation.table.error", language): format_decimal(float(row["colour_error"]), language, 1),
                t("colourisation.table.grey_error", language): format_decimal(float(row["grey_error"]), language, 1),
                t("colourisation.table.colourfulness", language): format_percent(
                    float(row["colourfulness"]) / float(row["original_colourfulness"]), language, 0),
            })
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            continue
    return pd.DataFrame(rows) if rows else None


def render_study(manifest: Manifest, colouriser: ColouriserInfo, language: str) -> None:
    model = manifest.model(colouriser.model_id)
    if model is None:
        return
    # Measures on held-out photos are for the teacher and a curious class: folded.
    with page_helpers.going_further(t("colourisation.study_heading", language)):
        show_measures(colouriser, model, language)


def show_measures(colouriser: ColouriserInfo, model: bundle.ModelInfo, language: str) -> None:
    table = heldout_table(model, language)
    if table is None:
        st.caption(t("colourisation.no_figures", language, command=BUILD_COMMAND))
    else:
        st.markdown(t("colourisation.study_text", language,
                      temperature=format_decimal(colouriser.spec.temperature, language, 2)))
        page_helpers.show_table(table)
    if colouriser.temperature_trials:
        with st.expander(t("colourisation.trials_heading", language)):
            st.markdown(t("colourisation.trials_text", language))
            trials = pd.DataFrame([{
                t("colourisation.trials.temperature", language): format_decimal(float(row.get("temperature", 0)), language, 2),
                t("colourisation.table.error", language): format_decimal(float(row.get("colour_error", 0)), language, 1),
                t("colourisation.table.colourfulness", language): format_percent(float(row.get("colourfulness_ratio", 0)),
                                                                          language, 0),
            } for row in colouriser.temperature_trials])
            page_helpers.show_table(trials)


def render_explanation(colouriser: ColouriserInfo | None, language: str) -> None:
    st.header(t("colourisation.labels_heading", language))
    st.markdown(t("colourisation.labels_text", language))
    st.header(t("colourisation.fails_heading", language))
    st.markdown(t("colourisation.fails_text", language))
    if colouriser is not None:
        training = [p for p in colouriser.photos if p.role == "train"]
        with st.expander(t("colourisation.credits_heading", language, count=len(training))):
            st.markdown("\n".join(
                t("colourisation.credit", language, name=p.name, source=p.source, licence=p.licence,
                  role=t(f"colourisation.role.{p.role}", language)) for p in colouriser.photos))


def render_colourisation() -> None:
    language = page_helpers.current_language()
    st.title(t("colourisation.heading", language))
    st.markdown(t("colourisation.intro", language))
    manifest = page_helpers.manifest_or_error()
    if manifest is None:
        render_explanation(None, language)
        return
    colouriser = manifest.colourisers[0] if manifest.colourisers else None
    if colouriser is None or manifest.model(colouriser.model_id) is None:
        st.info(t("colourisation.no_model", language, command=BUILD_COMMAND), icon=icons.INFO)
        render_explanation(None, language)
        return
    try:
        render_photo(manifest, colouriser, language)
    except ModelError as error:
        page_helpers.show_error(error)
    render_study(manifest, colouriser, language)
    render_explanation(colouriser, language)


render_colourisation()
