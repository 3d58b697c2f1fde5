"""How well do the shipped models read digits on paper that the project never saw?

    .venv/bin/python scripts/digit_photo_check.py                 # prints accuracy per paradigm
    .venv/bin/python scripts/digit_photo_check.py --save 40       # also writes 40 samples per set
                                                                  # to build/digit_photo_check/

Builds a check set at run time (nothing is committed) and reads every picture through the
dashboard's own path, `dashboard.core.digit_input.to_model_input` and the shipped ONNX classifiers at
100 % labels (`dashboard.core.digit_answers`), exactly as the "Try your own digit" page does:

- printed: digits 0-9 rendered with every font the system lists (`fc-list`: DejaVu and
  Liberation families, regular, bold, italic, condensed, mono), several sizes, small rotations,
  dark ink on off-white "paper" photographed under uneven light: a shading gradient, grain,
  blur, then JPEG compression at a random quality;
- pen strokes: digits drawn by this script as jittered pen strokes (slant, width, wobble, open
  and closed 4s, 7s with and without a bar...), photographed the same way. They stand in for
  handwriting on paper; they are not real handwriting.

No picture, font or stroke is tuned on the models' answers; the seed fixes the whole set.
"""

from __future__ import annotations

import argparse
import io
import math
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY_ROOT))  # run as a script, not from the repository root package

from dashboard.core import bundle_reader as bundle  # noqa: E402
from dashboard.core.digit_answers import answer_digit, classifiers_at_fraction  # noqa: E402
from dashboard.core.digit_input import DigitInputError, to_model_input  # noqa: E402
from dashboard.core.inference import session_cache  # noqa: E402

SAVE_DIRECTORY = REPOSITORY_ROOT / "build" / "digit_photo_check"
FULL_LABELS = 1.0
# Fonts that hold no ordinary digits for a page of handwriting practice (maths symbols).
SKIPPED_FONT_WORDS = ("Math",)


# --- the "photo" of a sheet of paper ---------------------------------------------------------


def photograph(ink_mask: np.ndarray, rng: np.random.Generator) -> Image.Image:
    """A sheet of paper with ink where `ink_mask` (H, W) in [0, 1] says, as a phone sees it:
    tinted paper, ink that is not quite black, uneven light, blur, grain, JPEG."""
    height, width = ink_mask.shape
    paper = np.array([rng.uniform(225, 255), rng.uniform(220, 250), rng.uniform(200, 240)])
    ink_colours = ([25, 25, 30], [30, 40, 110], [60, 60, 60], [15, 20, 60])  # black, blue, pencil
    ink = np.array(ink_colours[rng.integers(len(ink_colours))], dtype=float)
    strength = rng.uniform(0.75, 1.0)  # a pencil or a dry pen does not cover the paper fully
    alpha = (ink_mask * strength)[..., None]
    picture = paper * (1 - alpha) + ink * alpha  # (H, W, 3)

    # Light falls off across the sheet (a lamp on one side, the phone's own shadow).
    angle = rng.uniform(0, 2 * math.pi)
    rows, columns = np.mgrid[0:height, 0:width]
    ramp = (np.cos(angle) * columns / width + np.sin(angle) * rows / height + 1) / 2  # [0, 1]
    shading = 1 - rng.uniform(0.0, 0.35) * ramp
    vignette = 1 - rng.uniform(0.0, 0.15) * (
        ((rows / height - 0.5) ** 2 + (columns / width - 0.5) ** 2) * 2
    )
    picture = picture * (shading * vignette)[..., None]

    image = Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8))
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.0, 1.5)))
    grain = rng.normal(0, rng.uniform(2, 8), size=(height, width, 1))
    image = Image.fromarray(np.clip(np.asarray(image, float) + grain, 0, 255).astype(np.uint8))
    encoded = io.BytesIO()
    image.save(encoded, format="JPEG", quality=int(rng.integers(35, 91)))
    return Image.open(io.BytesIO(encoded.getvalue()))


def place_on_sheet(glyph: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The glyph (h, w) in [0, 1] placed off-centre on a larger sheet, never touching its edge."""
    glyph_height, glyph_width = glyph.shape
    fill = rng.uniform(0.35, 0.75)  # how much of the sheet's height the digit takes
    sheet_height = int(glyph_height / fill)
    sheet_width = int(max(glyph_width / 0.8, sheet_height * rng.uniform(0.8, 1.25)))
    sheet = np.zeros((sheet_height, sheet_width))
    top = int(rng.integers(0, sheet_height - glyph_height + 1))
    left = int(rng.integers(0, sheet_width - glyph_width + 1))
    sheet[top : top + glyph_height, left : left + glyph_width] = glyph
    margin = max(2, sheet_height // 20)
    return np.pad(sheet, margin)


def rotated(glyph: Image.Image, rng: np.random.Generator, degrees: float) -> np.ndarray:
    angle = rng.uniform(-degrees, degrees)
    turned = glyph.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    array = np.asarray(turned, dtype=float) / 255.0
    rows, columns = np.nonzero(array > 0.05)
    return array[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]


# --- printed digits ----------------------------------------------------------------------------


def system_fonts() -> list[Path]:
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=True
    ).stdout.split()
    fonts = sorted(
        {
            Path(path)
            for path in listed
            if path.lower().endswith((".ttf", ".otf"))
            and not any(word in path for word in SKIPPED_FONT_WORDS)
        }
    )
    if not fonts:
        raise SystemExit("fc-list lists no TrueType or OpenType font: nothing to render.")
    return fonts


def printed_digit(font_path: Path, digit: int, rng: np.random.Generator) -> Image.Image:
    size = int(rng.integers(60, 200))
    font = ImageFont.truetype(str(font_path), size)
    left, top, right, bottom = font.getbbox(str(digit))
    layer = Image.new("L", (round(right - left) + 20, round(bottom - top) + 20), 0)
    ImageDraw.Draw(layer).text((10 - left, 10 - top), str(digit), fill=255, font=font)
    return photograph(place_on_sheet(rotated(layer, rng, degrees=10), rng), rng)


def printed_set(variants: int, rng: np.random.Generator) -> Iterator[tuple[str, int, Image.Image]]:
    for font_path in system_fonts():
        for digit in range(10):
            for _ in range(variants):
                yield font_path.stem, digit, printed_digit(font_path, digit, rng)


# --- pen-stroke digits -------------------------------------------------------------------------
# Each digit is one or more strokes in a unit box (x to the right, y down, both in [0, 1]);
# a stroke is a function of the random generator returning its points, so every digit has a
# few common ways of being written.

Points = list[tuple[float, float]]


def arc(centre_x, centre_y, radius_x, radius_y, start_degrees, end_degrees, steps=40) -> Points:
    """Points along an ellipse; angles counter-clockwise from the right, 90 = top."""
    return [
        (
            centre_x + radius_x * math.cos(math.radians(angle)),
            centre_y - radius_y * math.sin(math.radians(angle)),
        )
        for angle in np.linspace(start_degrees, end_degrees, steps)
    ]


def line(*points: tuple[float, float]) -> Points:
    return list(points)


def strokes_for(digit: int, rng: np.random.Generator) -> list[Points]:
    choice = int(rng.integers(2))
    if digit == 0:
        return [arc(0.5, 0.5, 0.36, 0.48, 100, 100 + 370)]
    if digit == 1:
        stem = line((0.55, 0.02), (0.5, 0.98))
        return [stem] if choice else [line((0.28, 0.25), (0.55, 0.02)) + stem]
    if digit == 2:
        return [arc(0.5, 0.3, 0.34, 0.28, 160, -35) + line((0.12, 0.97), (0.9, 0.97))]
    if digit == 3:
        return [arc(0.48, 0.27, 0.3, 0.25, 150, -90) + arc(0.48, 0.73, 0.36, 0.25, 90, -150)]
    if digit == 4:
        if choice:
            return [line((0.62, 0.02), (0.08, 0.68), (0.92, 0.68)), line((0.66, 0.3), (0.66, 0.98))]
        return [line((0.22, 0.02), (0.14, 0.62), (0.92, 0.62)), line((0.7, 0.05), (0.7, 0.98))]
    if digit == 5:
        top = line((0.85, 0.03), (0.25, 0.03), (0.2, 0.45))
        return [top + arc(0.48, 0.68, 0.36, 0.3, 150, -140)]
    if digit == 6:
        descent = line((0.75, 0.03), (0.45, 0.16), (0.26, 0.4))
        return [descent + arc(0.5, 0.72, 0.3, 0.26, 170, 170 + 370)]
    if digit == 7:
        body = [line((0.1, 0.04), (0.9, 0.04), (0.4, 0.98))]
        return body + ([line((0.35, 0.52), (0.82, 0.52))] if choice else [])
    if digit == 8:
        return [arc(0.5, 0.27, 0.28, 0.24, -90, 270), arc(0.5, 0.72, 0.34, 0.27, 90, 450)]
    # 9: a loop, then a straight or a curved tail.
    loop = arc(0.48, 0.3, 0.32, 0.27, 0, 365)
    tail = line((0.8, 0.3), (0.78, 0.98)) if choice else arc(0.3, 0.3, 0.5, 0.68, 0, -75)
    return [loop + tail]


def pen_digit(digit: int, rng: np.random.Generator) -> Image.Image:
    height = int(rng.integers(100, 240))
    width = int(height * rng.uniform(0.55, 0.8))
    slant = rng.uniform(-0.3, 0.3)
    wobble_amplitude = rng.uniform(0.0, 0.03)
    wobble_phase = rng.uniform(0, 2 * math.pi, size=2)
    pen = max(2, int(height * rng.uniform(0.04, 0.11)))
    pad = pen * 2 + int(abs(slant) * height)
    layer = Image.new("L", (width + 2 * pad, height + 2 * pad), 0)
    draw = ImageDraw.Draw(layer)

    def to_pixels(x: float, y: float) -> tuple[float, float]:
        x += wobble_amplitude * math.sin(2 * math.pi * y * 1.5 + wobble_phase[0])
        y += wobble_amplitude * math.sin(2 * math.pi * x * 1.5 + wobble_phase[1])
        return pad + (x + slant * (0.5 - y)) * width, pad + y * height

    for stroke in strokes_for(digit, rng):
        points = [to_pixels(x, y) for x, y in stroke]
        draw.line(points, fill=255, width=pen, joint="curve")
        for x, y in (points[0], points[-1]):  # round pen ends
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)
    return photograph(place_on_sheet(rotated(layer, rng, degrees=8), rng), rng)


def pen_set(count: int, rng: np.random.Generator) -> Iterator[tuple[str, int, Image.Image]]:
    for index in range(count):
        digit = index % 10
        yield "pen", digit, pen_digit(digit, rng)


# --- reading them ------------------------------------------------------------------------------


def read_set(name, pictures, models, session_for, save: int) -> dict:
    correct: dict[str, int] = defaultdict(int)
    per_digit: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((10, 2), dtype=int))
    blank = total = 0
    started = time.perf_counter()
    save_directory = SAVE_DIRECTORY / name
    for index, (source, digit, picture) in enumerate(pictures):
        total += 1
        if index < save:
            save_directory.mkdir(parents=True, exist_ok=True)
            picture.save(save_directory / f"{index:03d}-{digit}-{source}.jpg")
        try:
            model_input = to_model_input(picture)
        except DigitInputError:
            blank += 1  # counted as wrong for every paradigm
            continue
        if index < save:
            Image.fromarray((model_input * 255).astype(np.uint8)).resize((112, 112)).save(
                save_directory / f"{index:03d}-{digit}-{source}-input.png"
            )
        for answer in answer_digit(models, session_for, model_input).answers:
            right = answer.predicted_class == str(digit)
            correct[answer.model.paradigm] += right
            per_digit[answer.model.paradigm][digit] += (right, 1)
    return {
        "total": total,
        "blank": blank,
        "correct": dict(correct),
        "per_digit": dict(per_digit),
        "seconds": time.perf_counter() - started,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", type=int, default=3, help="pictures per font and digit")
    parser.add_argument("--pen", type=int, default=1000, help="pen-stroke pictures")
    parser.add_argument("--save", type=int, default=0, help="samples per set written to build/")
    arguments = parser.parse_args()

    bundle_directory = bundle.locate_bundle()
    manifest = bundle.load_manifest(bundle_directory)
    models = classifiers_at_fraction(manifest, FULL_LABELS)
    if not models:
        raise SystemExit(f"No classifier at 100 % labels in {bundle_directory}.")
    session_for = session_cache(bundle_directory)
    rng = np.random.default_rng(arguments.seed)
    sets = {
        "printed": printed_set(arguments.variants, rng),
        "pen strokes": pen_set(arguments.pen, rng),
    }
    print(f"Bundle: {bundle_directory}; models at 100 % labels: {', '.join(m.id for m in models)}")
    all_correct: dict[str, int] = defaultdict(int)
    all_total = 0
    for name, pictures in sets.items():
        report = read_set(name.replace(" ", "_"), pictures, models, session_for, arguments.save)
        all_total += report["total"]
        print(
            f"\n{name}: {report['total']} pictures, {report['blank']} read as blank, "
            f"{report['seconds']:.1f} s"
        )
        for model in models:
            right = report["correct"].get(model.paradigm, 0)
            all_correct[model.paradigm] += right
            per_digit = report["per_digit"].get(model.paradigm)
            digits = (
                " ".join(f"{d}:{100 * r / n:.0f}" for d, (r, n) in enumerate(per_digit) if n)
                if per_digit is not None
                else ""
            )
            accuracy = 100 * right / report["total"]
            print(f"  {model.paradigm:14s} {accuracy:5.1f} %   per digit % {digits}")
    print(f"\nall {all_total} pictures:")
    for model in models:
        print(f"  {model.paradigm:14s} {100 * all_correct[model.paradigm] / all_total:5.1f} %")
    if arguments.save:
        print(f"\nsamples in {SAVE_DIRECTORY}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
