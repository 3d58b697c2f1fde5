"""Colourising a photo (dashboard/topics/colourisation/colourise.py) as the page and the study's evaluation use it.

The colour-space conversions, the decoding of the model's answer, the figures, and the
colourise() function on the test-profile bundle's colouriser at odd sizes and modes: what comes
back is always an RGB photo of the input's size, with the input's own lightness.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.topics.colourisation import colourise
from dashboard.topics.colourisation.colourise import ColouriserSpec

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_BUNDLE = ROOT / "exported_models"


def photo(width: int, height: int, seed: int = 0) -> Image.Image:
    """A smooth colourful picture: colour gradients plus a little noise."""
    rows, columns = np.mgrid[0:height, 0:width]
    rng = np.random.default_rng(seed)
    red = 255 * columns / max(width - 1, 1)
    green = 255 * rows / max(height - 1, 1)
    blue = 128 + 100 * np.sin(columns / 7.0)
    pixels = np.stack([red, green, blue], axis=2) + rng.normal(0, 4, (height, width, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


# --- colour spaces -----------------------------------------------------------------------------


def test_rgb_to_lab_and_back_gives_the_same_colours():
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    back = np.asarray(colourise.lab_to_rgb(colourise.rgb_to_lab(pixels)), dtype=np.int16)
    assert np.abs(back - pixels).max() <= 1


def test_known_colours_have_their_textbook_lab_values():
    pixels = np.array([[[255, 255, 255], [0, 0, 0], [255, 0, 0], [128, 128, 128]]], dtype=np.uint8)
    lab = colourise.rgb_to_lab(pixels)[0]
    np.testing.assert_allclose(lab[0], [100, 0, 0], atol=0.05)  # white
    np.testing.assert_allclose(lab[1], [0, 0, 0], atol=0.05)  # black
    np.testing.assert_allclose(lab[2], [53.24, 80.09, 67.20], atol=0.05)  # sRGB red, D65
    assert abs(lab[3][1]) < 0.05 and abs(lab[3][2]) < 0.05  # a grey has no colour


def test_the_grey_version_keeps_lightness_and_drops_colour():
    original = photo(40, 30)
    grey = colourise.grey_version(original)
    assert colourise.is_grey(grey) and not colourise.is_grey(original)
    np.testing.assert_allclose(colourise.rgb_to_lab(grey)[..., 0], colourise.rgb_to_lab(original)[..., 0], atol=0.6)


# --- any photo in, RGB out ----------------------------------------------------------------------


def _saved(image: Image.Image, format: str, **options) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return Image.open(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("make", [
    lambda: Image.new("RGBA", (20, 10), (255, 0, 0, 0)),  # fully transparent: white, not red
    lambda: Image.new("LA", (20, 10), (0, 0)),
    lambda: _saved(Image.new("P", (20, 10), 0), "PNG", transparency=0),
], ids=["rgba", "la", "palette with transparency"])
def test_transparency_is_laid_on_white(make):
    rgb = colourise.to_rgb(make())
    assert rgb.mode == "RGB" and rgb.size == (20, 10)
    assert np.asarray(rgb).min() == 255


def test_sixteen_bit_greys_keep_their_range():
    ramp = (np.arange(256, dtype=np.uint16).reshape(16, 16) * 257)
    rgb = colourise.to_rgb(_saved(Image.fromarray(ramp), "PNG"))
    values = np.asarray(rgb)[..., 0]
    assert values.min() == 0 and values.max() == 255 and len(np.unique(values)) > 200


def test_cmyk_and_animated_pictures_become_rgb():
    cmyk = colourise.to_rgb(_saved(photo(30, 20).convert("CMYK"), "JPEG"))
    assert cmyk.mode == "RGB" and cmyk.size == (30, 20)
    first, second = Image.new("RGB", (12, 8), (255, 0, 0)), Image.new("RGB", (12, 8), (0, 0, 255))
    buffer = io.BytesIO()
    first.save(buffer, format="GIF", save_all=True, append_images=[second])
    animated = Image.open(io.BytesIO(buffer.getvalue()))
    animated.seek(1)
    assert tuple(np.asarray(colourise.to_rgb(animated))[0, 0]) == (255, 0, 0)  # the first frame


# --- decoding the answer ------------------------------------------------------------------------


def test_the_temperature_goes_from_the_mean_to_the_most_likely_colour():
    bins = np.array([[0.0, 0.0], [60.0, 0.0], [0.0, 60.0]], dtype=np.float32)
    logits = np.log(np.array([0.2, 0.5, 0.3]))[:, None, None] * np.ones((3, 2, 2))
    np.testing.assert_allclose(colourise.annealed_mean(logits, bins, 1.0)[0, 0], [30.0, 18.0], atol=1e-4)
    np.testing.assert_allclose(colourise.annealed_mean(logits, bins, 0.01)[0, 0], [60.0, 0.0], atol=1e-3)
    chroma = [np.hypot(*colourise.annealed_mean(logits, bins, t)[0, 0]) for t in (1.0, 0.5, 0.2)]
    assert chroma[0] < chroma[1] < chroma[2]  # a lower temperature gives more vivid colours


def test_colourfulness_and_colour_error():
    grey = Image.new("RGB", (10, 10), (120, 120, 120))
    assert colourise.colourfulness(grey) == 0.0
    assert colourise.colourfulness(photo(50, 50)) > 40
    original = photo(30, 30)
    assert colourise.colour_error(original, original) == 0.0
    figures = colourise.colour_figures(original, colourise.grey_version(original))
    assert figures.colour_error == pytest.approx(figures.grey_error)
    chroma = np.hypot(*np.moveaxis(colourise.rgb_to_lab(original)[..., 1:], 2, 0)).mean()
    assert figures.grey_error == pytest.approx(chroma, rel=0.02)  # leaving grey costs each pixel its chroma


# --- the test-profile colouriser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def colouriser(request):
    directory = request.getfixturevalue("test_profile_bundle")
    manifest = bundle.load_manifest(directory)
    info = manifest.colourisers[0]
    model = manifest.model(info.model_id)
    return manifest, info, model, inference.open_verified_session(directory, model)


@pytest.mark.parametrize("size", [(1, 1), (3000, 20), (37, 101), (513, 260), (8, 8)],
                         ids=["1 px", "3000 px wide", "portrait", "larger than the working size", "8 px"])
def test_colourise_answers_rgb_of_the_input_size_with_its_lightness(colouriser, size):
    _, info, _, session = colouriser
    original = photo(*size)
    result = colourise.colourise(original, session, info.spec)
    assert result.mode == "RGB" and result.size == size
    lightness = colourise.rgb_to_lab(result)[..., 0]
    # The photo's own lightness, up to where a predicted colour fell outside sRGB and was clipped.
    assert np.median(np.abs(lightness - colourise.rgb_to_lab(original)[..., 0])) < 1.5


def test_colourise_takes_any_mode(colouriser):
    _, info, _, session = colouriser
    for image in (photo(30, 20).convert("L"), photo(30, 20).convert("RGBA"), photo(30, 20).convert("CMYK"),
                  Image.fromarray((np.asarray(photo(30, 20).convert("L"), dtype=np.uint16) * 257))):
        result = colourise.colourise(image, session, info.spec)
        assert result.mode == "RGB" and result.size == (30, 20)


def test_the_model_answers_a_distribution_per_block(colouriser):
    _, info, _, session = colouriser
    logits = colourise.predict_colours(session, info.spec, photo(37, 21))
    assert logits.shape == (len(info.spec.ab_bins), 6, 10)  # ceil(21 / 4) x ceil(37 / 4) blocks
    assert np.isfinite(logits).all()


def test_the_recorded_heldout_figures_are_what_the_evaluation_code_measures(colouriser):
    manifest, info, model, session = colouriser
    heldout = [p for p in info.photos if p.role == "heldout"]
    assert {p.name for p in heldout} == set(model.metrics["heldout"]["photos"])
    for entry in heldout:
        truth = Image.open(manifest.bundle_directory / entry.file).convert("RGB")
        figures = colourise.colour_figures(truth, colourise.colourise(truth, session, info.spec))
        recorded = model.metrics["heldout"]["photos"][entry.name]
        assert figures.colour_error == pytest.approx(recorded["colour_error"], abs=2e-3)
        assert figures.grey_error == pytest.approx(recorded["grey_error"], abs=2e-3)
        assert figures.colourfulness == pytest.approx(recorded["colourfulness"], abs=2e-3)


def test_a_wrong_answer_shape_is_an_error_not_a_crash():
    class Broken:
        def run(self, _names, _feeds):
            return [np.zeros((1, 3, 2, 2), dtype=np.float32)]

    spec = ColouriserSpec("m", np.zeros((5, 2), np.float32), 0.4, 512, 8, 4)
    with pytest.raises(colourise.ColouriseError, match="expected"):
        colourise.colourise(photo(16, 16), Broken(), spec)


# --- the shipped colouriser: issue #5's numbers -------------------------------------------------


def _shipped_colouriser() -> dict | None:
    manifest_file = SHIPPED_BUNDLE / "manifest.json"
    if not manifest_file.exists():
        return None
    models = json.loads(manifest_file.read_text())["models"]
    return next((m for m in models if m.get("role") == "colouriser"), None)


@pytest.mark.skipif(_shipped_colouriser() is None, reason="the committed bundle has no colouriser")
def test_the_shipped_colouriser_is_small_and_its_heldout_figures_are_reproduced():
    entry = _shipped_colouriser()
    assert entry["size_bytes"] < 5_000_000  # issue #5: the colouriser under 5 MB
    manifest = bundle.load_manifest(SHIPPED_BUNDLE)
    info = manifest.colourisers[0]
    session = inference.open_verified_session(SHIPPED_BUNDLE, manifest.model(info.model_id))
    recorded = entry["metrics"]["heldout"]
    assert {p.name for p in info.photos if p.role == "heldout"} == set(recorded["photos"]) and len(recorded["photos"]) == 3
    measured = []
    for photo_info in info.photos:
        if photo_info.role != "heldout":
            continue
        truth = Image.open(SHIPPED_BUNDLE / photo_info.file).convert("RGB")
        figures = colourise.colour_figures(truth, colourise.colourise(truth, session, info.spec))
        assert figures.colour_error == pytest.approx(recorded["photos"][photo_info.name]["colour_error"], abs=2e-3)
        measured.append(figures)
    # Colourfulness kept: at least half the original's (issue #5), on the mean of the photos.
    kept = np.mean([f.colourfulness for f in measured]) / np.mean([f.original_colourfulness for f in measured])
    assert kept == pytest.approx(recorded["mean"]["colourfulness_ratio"], abs=2e-3)
    assert kept >= 0.5


# --- the photos the colouriser trains on (issue #16) -------------------------------------------


def _wallpaper_folder(root: Path, names: list[str]) -> Path:
    """A stand-in for /usr/share/wallpapers holding some of the chosen wallpapers (small ones)."""
    from training.families.self_supervised import colouriser_training as training

    for index, name in enumerate(names):
        path = root / name / training.WALLPAPER_FILE
        path.parent.mkdir(parents=True)
        photo(160, 100, seed=index).save(path, format="JPEG")
    return root


def test_the_wallpapers_found_keep_their_roles_and_credits(tmp_path):
    from training.families.self_supervised import colouriser_training as training

    photos, note = training.wallpaper_photos(_wallpaper_folder(tmp_path, ["Kite", "Path"]))
    assert {p.name: p.role for p in photos} == {"kite": "validation", "path": "train"}
    assert all("Risto Saukonpää" in p.source and "GPL-2+" in p.licence for p in photos)
    assert "2 of the 9" in note and "plasma-workspace-wallpapers" in note


def test_training_without_the_wallpapers_uses_the_packaged_photos_and_says_so(tmp_path, monkeypatch, capsys):
    from types import SimpleNamespace

    from training.families.self_supervised import colourisation as paradigm
    from training.families.self_supervised import colouriser_training as training
    from training.study import ArtifactContext, shipped_facts

    monkeypatch.setattr(training, "WALLPAPER_FOLDER", tmp_path / "no wallpapers here")
    config = paradigm.Config().for_dry_run()
    digits = SimpleNamespace(name="digits")  # the colouriser reads no digits
    made = paradigm.make_artifacts(ArtifactContext(digits, None, 0, config, shipped_facts("colourisation", digits, 0, config)))
    said = capsys.readouterr().out
    assert "KDE wallpaper photos were not found" in said and "apt-get install plasma-workspace-wallpapers" in said
    roles = {name: photo["role"] for name, photo in made[0].entry["photos"].items()}
    assert roles == {"astronaut": "train", "chelsea": "heldout", "coffee": "validation", "motorcycle_left": "train",
                     "motorcycle_right": "train", "rocket": "heldout", "china": "train", "flower": "heldout"}
    assert set(made[0].entry["metrics"]["heldout"]["photos"]) == {"chelsea", "rocket", "flower"}


def test_the_temperature_is_chosen_on_the_validation_error_alone():
    from training.families.self_supervised import colouriser_training as training

    class Confident:  # all the probability on the bin of a vivid red, whatever the photo
        def run(self, _names, feeds):
            lightness = next(iter(feeds.values()))
            logits = np.zeros((1, 2, lightness.shape[2] // 4, lightness.shape[3] // 4), np.float32)
            logits[:, 0] = 4.0
            return [logits]

    bins = np.array([[60.0, 60.0], [0.0, 0.0]], np.float32)
    validation = [training.Photo("grey-green", photo(64, 48).convert("L").convert("RGB"), "", "", "validation")]
    temperature, trials = training.choose_temperature(Confident(), bins, validation)
    # On a grey photo the least colourful decoding is the closest: the highest temperature wins,
    # even though it keeps none of the (absent) colourfulness.
    assert temperature == max(training.TEMPERATURES)
    assert temperature == min(trials, key=lambda t: t["colour_error"])["temperature"]
