"""A corpus of uploads a class might feed the dashboard, most of them broken or hostile.

    python scripts/hostile_uploads.py build/hostile    # writes the files and lists them

Made at run time (nothing committed): the tests and the browser check upload every file to every
page with an uploader and expect a clear message, never a traceback, and a working page after.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def _digit_on_paper(size: int = 200) -> Image.Image:
    """A plausible good photo: a dark '1' stroke on light grey paper."""
    paper = np.full((size, size), 225, dtype=np.uint8)
    paper[size // 5 : 4 * size // 5, size // 2 - size // 20 : size // 2 + size // 20] = 30
    return Image.fromarray(paper).convert("RGB")


def _animated_gif() -> bytes:
    frames = [Image.fromarray(np.full((40, 40), value, dtype=np.uint8)).convert("P") for value in (0, 128, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _decompression_bomb() -> bytes:
    # 20,000 x 20,000 one-bit pixels of nothing: a few kB on disk, 400 megapixels once decoded,
    # which Pillow refuses (DecompressionBombError) well before allocating it.
    return _png(Image.new("1", (20_000, 20_000), 0))


def _huge_photo() -> bytes:
    # 6,000 x 4,000, smooth enough to stay a few MB as JPEG, under the 10 MB upload cap.
    gradient = np.linspace(0, 255, 6000, dtype=np.float32)[None, :].repeat(4000, axis=0)
    noise = np.random.default_rng(0).normal(0, 3, size=(4000, 6000)).astype(np.float32)
    return _jpeg(Image.fromarray(np.clip(gradient + noise, 0, 255).astype(np.uint8)).convert("RGB"), quality=70)


def corpus() -> dict[str, bytes]:
    """File name -> bytes for every kind of bad upload (at least 15), plus one good photo."""
    good_png = _png(_digit_on_paper())
    good_jpeg = _jpeg(_digit_on_paper())
    cmyk = _digit_on_paper().convert("CMYK")
    return {
        "random_bytes.png": np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes(),
        "empty.png": b"",
        "truncated.png": good_png[: len(good_png) // 2],
        "truncated.jpg": good_jpeg[: len(good_jpeg) // 2],
        "one_pixel.png": _png(Image.new("L", (1, 1), 0)),
        "all_white.png": _png(Image.new("RGB", (300, 300), (255, 255, 255))),
        "all_black.png": _png(Image.new("RGB", (300, 300), (0, 0, 0))),
        "fully_transparent.png": _png(Image.new("RGBA", (200, 200), (0, 0, 0, 0))),
        "sixteen_bit.png": _png(Image.fromarray((np.asarray(_digit_on_paper().convert("L"), dtype=np.uint16) * 257))),
        "cmyk.jpg": _jpeg(cmyk),
        "animated.gif": _animated_gif(),
        "text_renamed.png": b"This is a shopping list, not a picture.\nmilk\neggs\n",
        "svg_renamed.png": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        "html_renamed.jpg": b"<html><body><img src=x onerror=alert(1)></body></html>",
        "decompression_bomb.png": _decompression_bomb(),
        "huge_photo.jpg": _huge_photo(),
        "good_digit.png": good_png,
    }



def write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in corpus().items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/hostile")
    for name, path in write_corpus(target).items():
        print(f"{path.stat().st_size:>10,} B  {path}")
