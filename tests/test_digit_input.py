"""A pupil's digit as the models read it: `to_model_input` and the safe opening of uploads.

What a user would notice: a digit drawn or photographed in any way comes out as an MNIST-like
28x28 picture that the shipped model reads right; a blank picture and a file that is not an image
get a message (a typed error with a translation key), never a traceback.
"""

import base64
import io
import re
from pathlib import Path

import numpy as np
import pytest
from dashboard_fixtures import REAL_BUNDLE, real_bundle_available
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.core.digit_input import (
    MAX_IMAGE_PIXELS,
    BlankImageError,
    DigitInputError,
    UnreadableImageError,
    decode_canvas_drawing,
    is_animated,
    open_image_bytes,
    to_model_input,
)
from dashboard.core.i18n import CATALOGUE, t

MODES = ("1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK", "I;16", "I", "F", "YCbCr", "HSV")
CONTENTS = ("constant", "noise", "stroke", "gradient", "blocks", "extreme")


# --- building arbitrary pictures ---------------------------------------------------------------


def picture(mode: str, width: int, height: int, content: str, seed: int) -> Image.Image:
    """A picture of the given mode, size and kind of content, made from the seed."""
    rng = np.random.default_rng(seed)
    if content == "constant":
        unit = np.full((height, width), rng.random())
    elif content == "noise":
        unit = rng.random((height, width))
    elif content == "gradient":
        unit = np.linspace(0, 1, width)[None, :] * np.ones((height, 1))
    elif content == "blocks":
        unit = np.kron(rng.random((4, 4)), np.ones((height // 4 + 1, width // 4 + 1)))
        unit = unit[:height, :width]
    elif content == "extreme":
        unit = rng.choice([0.0, 1.0], size=(height, width), p=[0.97, 0.03])
    else:  # stroke: a dark line on light paper, a digit's simplest form
        paper = Image.new("L", (width, height), int(rng.integers(150, 256)))
        ImageDraw.Draw(paper).line(
            [tuple(rng.integers(0, max(1, d)) for d in (width, height)) for _ in range(3)],
            fill=int(rng.integers(0, 100)),
            width=max(1, min(width, height) // 12),
        )
        unit = np.asarray(paper, dtype=float) / 255.0
    channels = {"LA": 2, "PA": 2, "RGB": 3, "YCbCr": 3, "HSV": 3, "RGBA": 4, "CMYK": 4}
    if mode == "1":
        return Image.fromarray(unit > 0.5)
    if mode == "I;16":
        return Image.frombytes("I;16", (width, height), (unit * 65535).astype("<u2").tobytes())
    if mode == "I":
        scale = float(rng.choice([1.0, 1e3, 2.0**31 - 1]))
        return Image.frombytes("I", (width, height), (unit * scale).astype("<i4").tobytes())
    if mode == "F":
        values = (unit * rng.choice([1.0, 1e30, -5.0])).astype("<f4")
        if content == "extreme":  # NaN and infinities, which a float TIFF can hold
            values.flat[:: max(1, values.size // 7)] = rng.choice([np.nan, np.inf, -np.inf])
        return Image.frombytes("F", (width, height), values.tobytes())
    grey = (unit * 255).astype(np.uint8)
    if mode in ("L", "P"):
        image = Image.frombytes("L" if mode == "L" else "P", (width, height), grey.tobytes())
        if mode == "P":
            image.putpalette(rng.integers(0, 256, 768, dtype=np.uint8).tobytes())
            if seed % 2:
                image.info["transparency"] = int(rng.integers(0, 256))
        return image
    count = channels[mode]
    stacked = np.stack([grey] * count, axis=-1)
    if mode in ("LA", "PA", "RGBA"):
        # Transparency of any kind: opaque, see-through, or an alpha channel carrying the ink.
        stacked[..., -1] = rng.choice([255, 0, 128]) if seed % 3 else 255 - grey
    return Image.frombytes(mode, (width, height), np.ascontiguousarray(stacked).tobytes())


def assert_model_input(model_input: np.ndarray) -> None:
    assert model_input.shape == (28, 28)
    assert model_input.dtype == np.float32
    assert np.isfinite(model_input).all()
    assert model_input.min() >= 0.0 and model_input.max() <= 1.0


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mode=st.sampled_from(MODES),
    width=st.integers(1, 600),
    height=st.integers(1, 600),
    content=st.sampled_from(CONTENTS),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_picture_becomes_a_model_input_or_a_blank_message(mode, width, height, content, seed):
    image = picture(mode, width, height, content, seed)
    try:
        model_input = to_model_input(image)
    except BlankImageError as error:
        assert error.message_key == "digit.error.blank"
        return
    assert content != "constant", "a uniform picture has no digit to read"
    assert_model_input(model_input)
    assert model_input.max() == pytest.approx(1.0), "the strongest ink is full white, as in MNIST"


# --- what the preprocessing does, checked by hand ----------------------------------------------


def draw_one(size=(200, 260), paper=235, ink=30, width=18, mode="L") -> Image.Image:
    """A '1' as a pupil writes it: a vertical stroke, off-centre, dark on light paper."""
    image = Image.new(mode, size, paper if mode == "L" else (paper, paper, paper))
    ImageDraw.Draw(image).line(
        [(60, 40), (70, 220)], fill=ink if mode == "L" else (ink, ink, ink), width=width
    )
    return image


def centre_of_mass(model_input):
    rows, columns = np.indices(model_input.shape)
    total = model_input.sum()
    return (rows * model_input).sum() / total, (columns * model_input).sum() / total


def test_a_digit_is_white_on_black_in_a_20_pixel_box_centred_by_mass():
    model_input = to_model_input(draw_one())
    assert_model_input(model_input)
    assert model_input[0].max() == 0 and model_input[:, 0].max() == 0, "the border is black"
    rows = np.nonzero(model_input.max(axis=1) > 0.05)[0]
    assert rows.max() - rows.min() + 1 in (20, 21), "the longer side fills the 20-pixel box"
    row, column = centre_of_mass(model_input)
    assert abs(row - 14) <= 0.5 and abs(column - 14) <= 0.5, "centred by mass as MNIST"


def test_ink_side_is_read_from_the_border_not_assumed():
    dark_on_light = to_model_input(draw_one(paper=235, ink=30))
    light_on_dark = to_model_input(draw_one(paper=10, ink=240))
    np.testing.assert_allclose(dark_on_light, light_on_dark, atol=0.08)


def test_uneven_light_across_the_paper_is_not_taken_for_ink():
    even = draw_one(size=(300, 300))
    shadow = np.linspace(1.0, 0.45, 300)[None, :]  # a shadow darkening the right half
    shaded = Image.fromarray((np.asarray(even, dtype=float) * shadow).astype(np.uint8))
    np.testing.assert_allclose(to_model_input(shaded), to_model_input(even), atol=0.15)


def test_black_strokes_on_a_transparent_canvas_are_read():
    canvas = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).line([(140, 40), (140, 240)], fill=(17, 17, 17, 255), width=20)
    model_input = to_model_input(canvas)
    assert model_input[14, 14] > 0.9 and model_input[14, 4] == 0


@pytest.mark.parametrize(
    "blank",
    [
        Image.new("RGB", (280, 280), "white"),
        Image.new("RGBA", (280, 280), (0, 0, 0, 0)),
        Image.new("L", (1, 1), 0),
        Image.fromarray(
            200 + np.random.default_rng(0).integers(0, 3, (120, 90), dtype=np.uint8)
        ),
    ],
    ids=["white canvas", "transparent canvas", "one pixel", "grey paper with faint grain"],
)
def test_a_blank_picture_gets_the_blank_message(blank):
    with pytest.raises(BlankImageError) as raised:
        to_model_input(blank)
    assert t(raised.value.message_key, "fr").startswith("Aucun chiffre")


@pytest.mark.skipif(not real_bundle_available(), reason="exported_models/ not built yet")
def test_mnist_digits_printed_on_paper_are_read_as_from_the_test_set():
    manifest = bundle.load_manifest(REAL_BUNDLE)
    test_set = bundle.load_evaluation_set(REAL_BUNDLE, manifest.dataset("mnist5k"))
    model = next(
        m for m in manifest.models if m.paradigm == "supervised" and m.label_fraction == 1.0
    )
    session = inference.create_session(bundle.verified_model_path(REAL_BUNDLE, model), model)
    rng = np.random.default_rng(0)
    images, labels = test_set.images[:200], test_set.labels[:200]
    inputs = []
    for digit in images:
        # Dark ink on grey paper at 10x, with grain: what a photo of a printed MNIST digit gives.
        paper = Image.fromarray(255 - digit).resize((280, 280), Image.Resampling.BILINEAR)
        photo = np.asarray(paper, dtype=float) * 0.75 + 40 + rng.normal(0, 6, (280, 280))
        inputs.append(to_model_input(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))))
    read = inference.class_probabilities(session, model, np.stack(inputs)).argmax(axis=1)
    direct = inference.class_probabilities(session, model, images / 255.0).argmax(axis=1)
    assert np.mean(read == labels) >= np.mean(direct == labels) - 0.02
    # An MNIST digit itself goes through unchanged: it already is what to_model_input makes.
    same = [
        np.corrcoef(to_model_input(Image.fromarray(digit)).ravel(), digit.ravel())[0, 1]
        for digit in images
    ]
    assert np.median(same) > 0.99


# --- opening uploads ---------------------------------------------------------------------------


def encoded(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "digit.error.empty_file"),
        (b"%PDF-1.4 not a picture at all", "digit.error.not_an_image"),
        (b"<script>alert(1)</script>", "digit.error.not_an_image"),
        (encoded(draw_one(), "PNG")[:200], "digit.error.damaged"),
        (encoded(draw_one(mode="RGB"), "JPEG")[:300], "digit.error.damaged"),
        (encoded(Image.new("1", (10_000, 10_000)), "PNG"), "digit.error.too_large"),
    ],
    ids=["empty", "pdf", "script", "truncated png", "truncated jpeg", "decompression bomb"],
)
def test_an_upload_that_is_not_a_usable_image_gets_its_message(data, key):
    with pytest.raises(UnreadableImageError) as raised:
        image = open_image_bytes(data)
        to_model_input(image)  # some truncations only show when the pixels are read
    assert raised.value.message_key == key
    for language in ("fr", "en"):
        assert "{" not in t(key, language, **raised.value.params)


def test_the_pixel_cap_is_below_pillows_own_bomb_limit():
    assert MAX_IMAGE_PIXELS < Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize(
    "photo",
    [
        encoded(draw_one(mode="RGB").convert("CMYK"), "JPEG"),
        encoded(Image.fromarray((np.asarray(draw_one(), dtype=np.uint16) * 257)), "PNG"),
        encoded(
            draw_one().convert("P"),
            "GIF",
            save_all=True,
            append_images=[Image.new("P", (200, 260))],
        ),
        encoded(draw_one(mode="RGB"), "WEBP"),
        encoded(draw_one(mode="RGB"), "TIFF"),
    ],
    ids=["cmyk jpeg", "16-bit png", "animated gif", "webp", "tiff"],
)
def test_usable_uploads_of_any_kind_are_read(photo):
    model_input = to_model_input(open_image_bytes(photo))
    assert_model_input(model_input)
    assert model_input[14].max() > 0.5, "the stroke of the '1' crosses the centre row"


def test_an_animated_picture_is_read_from_its_first_frame():
    frames = [draw_one().convert("P"), Image.new("P", (200, 260))]
    image = open_image_bytes(encoded(frames[0], "GIF", save_all=True, append_images=frames[1:]))
    assert is_animated(image)
    assert to_model_input(image)[14].max() > 0.5, "the first frame (the '1'), not the blank one"
    assert not is_animated(open_image_bytes(encoded(draw_one(), "PNG")))


def test_a_phone_photo_taken_sideways_is_turned_upright():
    upright = draw_one(mode="RGB")
    sideways = upright.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 8  # orientation: the viewer must turn the picture 90 degrees back
    photo = open_image_bytes(encoded(sideways, "JPEG", exif=exif.tobytes(), quality=95))
    assert photo.size == upright.size


def test_a_canvas_drawing_is_decoded_from_its_data_url():
    png = encoded(draw_one(mode="RGB"), "PNG")
    assert decode_canvas_drawing(None) is None and decode_canvas_drawing("") is None
    image = decode_canvas_drawing("data:image/png;base64," + base64.b64encode(png).decode())
    assert image.size == (200, 260)
    with pytest.raises(UnreadableImageError):
        decode_canvas_drawing("data:text/html;base64,PHNjcmlwdD4=")
    with pytest.raises(UnreadableImageError):
        decode_canvas_drawing("data:image/png;base64,@@not base64@@")


def test_every_message_key_of_the_module_is_translated():
    source = Path(__file__).resolve().parent.parent / "dashboard" / "core" / "digit_input.py"
    keys = set(re.findall(r'"(digit\.error\.[a-z_]+)"', source.read_text(encoding="utf-8")))
    assert len(keys) >= 6
    assert {key for key in keys if key not in CATALOGUE} == set()
    assert issubclass(BlankImageError, DigitInputError)
