"""Colours for the colouriser, written once for the page and the training (torch-free).

sRGB <-> CIELAB (scikit-image, D65 white; nothing here converts colours by hand), the split of a
photo into the lightness the colouriser reads and the (a, b) colours it answers, and the
colouriser's decoding and figures. The colourisation page runs them on the shipped ONNX model;
the training runs the very same functions on its PyTorch network to choose the decoding
temperature and to compute the held-out figures the manifest records, so those figures are the
page's own.

The colouriser sees only the lightness L of a photo in CIELAB and answers, for each 4x4 block of
pixels, a probability for each of a few hundred colour bins in the (a, b) plane. The colour shown
is the "annealed mean" of that distribution (Zhang, Isola and Efros 2016): the plain mean of the
bins is safe but brown-grey, the single most likely bin is vivid but blotchy; a temperature
between the two sharpens the distribution before its mean is taken. The study chose the shipped
temperature on validation photos, never on the held-out ones.

Only numpy, Pillow and scikit-image: the dashboard installs without PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

# The colouriser reads the lightness L of CIELAB, in [0, 100], brought to [-1, 1] about its middle.
LIGHTNESS_MIDDLE = 50.0
LIGHTNESS_HALF_RANGE = 50.0


class ColouriseError(Exception):
    """A photo the colouriser cannot take (too large once decoded, no pixels...)."""


@dataclass(frozen=True)
class ColouriserSpec:
    """What the manifest says about the shipped colouriser (the dashboard's bundle reader reads it;
    the training writes it)."""
    model_id: str
    ab_bins: np.ndarray  # (Q, 2) the centres of the colour bins, in CIELAB a and b
    temperature: float  # the annealed-mean temperature chosen by the study on validation photos
    max_side: int  # photos are scaled down to this longest side before the model reads them
    size_multiple: int  # the network halves its maps three times: sides padded to a multiple of 8
    output_stride: int  # one distribution per 4x4 block of pixels
    input_name: str = "lightness"
    output_name: str = "logits"


def to_rgb(image: Image.Image) -> Image.Image:
    """Any PIL image as 8-bit RGB: the first frame of an animation, transparency laid on white,
    16-bit and float greys brought to 8 bits, CMYK and palettes converted by Pillow."""
    if getattr(image, "is_animated", False):
        image.seek(0)
    image = ImageOps.exif_transpose(image)  # a phone photo stands the way it was taken
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # Pillow's own conversion clips 16-bit values at 255; scale the range to 8 bits instead.
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        image = Image.fromarray(np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def rgb_to_lab(rgb: Image.Image | np.ndarray) -> np.ndarray:
    """(H, W, 3) float32 CIELAB: L in [0, 100], a and b roughly in [-110, 110]."""
    from skimage import color

    return color.rgb2lab(np.asarray(rgb, dtype=np.uint8)).astype(np.float32)


def lab_to_rgb(lab: np.ndarray) -> Image.Image:
    """CIELAB back to an 8-bit RGB image; colours outside sRGB are clipped by scikit-image."""
    import warnings

    from skimage import color

    with warnings.catch_warnings():
        # Predicted colours can fall outside sRGB; scikit-image clips them and says so each time.
        warnings.simplefilter("ignore", UserWarning)
        rgb = color.lab2rgb(lab.astype(np.float64))
    return Image.fromarray(np.clip(rgb * 255.0 + 0.5, 0, 255).astype(np.uint8), "RGB")


def split_lab(lab, axis: int = -1):
    """A CIELAB array -> (lightness, colours): L and (a, b), each keeping the channel axis. Plain
    slicing, so the training splits its (B, 3, H, W) tensors with it as the page splits photos."""
    lightness, colours = [slice(None)] * lab.ndim, [slice(None)] * lab.ndim
    lightness[axis], colours[axis] = slice(0, 1), slice(1, 3)
    return lab[tuple(lightness)], lab[tuple(colours)]


def merge_lab(lightness: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """(H, W) lightness and (H, W, 2) colours -> (H, W, 3) CIELAB."""
    return np.concatenate([lightness[..., None], colours], axis=-1)


def scaled_lightness(lightness):
    """L in [0, 100] -> the network's input in [-1, 1]. Plain arithmetic, so the training applies
    it to its tensors and the page to its arrays, with the same float32 rounding."""
    return (lightness - LIGHTNESS_MIDDLE) / LIGHTNESS_HALF_RANGE


def grey_version(rgb: Image.Image) -> Image.Image:
    """The model's input as a person sees it: the photo's lightness with no colour (a = b = 0)."""
    lab = rgb_to_lab(rgb)
    lab[..., 1:] = 0.0
    return lab_to_rgb(lab)


def working_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The (width, height) the model reads: the photo scaled down to ``max_side``, never up."""
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def model_input(lightness: np.ndarray, multiple: int) -> np.ndarray:
    """(1, 1, H', W') float32 in [-1, 1], the lightness padded by repeating its edges so that each
    side is a multiple of ``multiple`` (the network's three halvings need it)."""
    height, width = lightness.shape
    padded = np.pad(lightness, ((0, -height % multiple), (0, -width % multiple)), mode="edge")
    return scaled_lightness(padded)[None, None].astype(np.float32)


def annealed_mean(logits: np.ndarray, ab_bins: np.ndarray, temperature: float) -> np.ndarray:
    """(Q, h, w) logits -> (h, w, 2) colours: the mean of softmax(logits / T) over the bins."""
    scaled = logits.astype(np.float64) / max(temperature, 1e-3)
    scaled -= scaled.max(axis=0, keepdims=True)
    weights = np.exp(scaled)
    weights /= weights.sum(axis=0, keepdims=True)
    return np.einsum("qhw,qc->hwc", weights, ab_bins.astype(np.float64)).astype(np.float32)


def resize_channels(values: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(h, w, C) float -> (H, W, C) float, bilinear, with Pillow's 32-bit float images."""
    width, height = size
    channels = [np.asarray(Image.fromarray(values[..., c].astype(np.float32), "F").resize((width, height),
                                                                                          Image.Resampling.BILINEAR))
                for c in range(values.shape[2])]
    return np.stack(channels, axis=2)


def predict_colours(session, spec: ColouriserSpec, rgb: Image.Image) -> np.ndarray:
    """Run the colouriser once: (Q, h, w) logits for the photo scaled to its working size (the
    page keeps them, so a new temperature costs no second run)."""
    small = rgb.resize(working_size(rgb.size, spec.max_side), Image.Resampling.LANCZOS) \
        if max(rgb.size) > spec.max_side else rgb
    lightness = rgb_to_lab(small)[..., 0]
    logits = session.run([spec.output_name], {spec.input_name: model_input(lightness, spec.size_multiple)})[0]
    expected = (1, len(spec.ab_bins))
    if logits.ndim != 4 or logits.shape[:2] != expected:
        raise ColouriseError(f"the colouriser answered a {logits.shape} array, expected {expected} x h x w")
    # Keep only the blocks that cover the photo, not its padding.
    blocks_high = -(-small.size[1] // spec.output_stride)
    blocks_wide = -(-small.size[0] // spec.output_stride)
    return logits[0, :, :blocks_high, :blocks_wide]


def colours_to_image(logits: np.ndarray, spec: ColouriserSpec, rgb: Image.Image,
                     temperature: float | None = None, lightness: np.ndarray | None = None) -> Image.Image:
    """The colourised photo at its own size: its own full-resolution lightness, with the predicted
    colours stretched from the blocks to every pixel. ``lightness`` (the photo's L channel) may
    be given when the caller has it already: the page keeps it across temperatures."""
    ab = annealed_mean(logits, spec.ab_bins, spec.temperature if temperature is None else temperature)
    working = working_size(rgb.size, spec.max_side)
    # The blocks cover a little more than the photo when a side is not a multiple of 4: stretch
    # them to the covered area, then crop, so each colour stays over its own pixels.
    covered = (ab.shape[1] * spec.output_stride, ab.shape[0] * spec.output_stride)
    ab = resize_channels(ab, covered)[: working[1], : working[0]]
    if working != rgb.size:
        ab = resize_channels(ab, rgb.size)
    if lightness is None:
        lightness = rgb_to_lab(rgb)[..., 0]
    return lab_to_rgb(merge_lab(lightness, ab))


def colourise(image: Image.Image, session, spec: ColouriserSpec, temperature: float | None = None) -> Image.Image:
    """Any PIL image (any mode, any size) -> its colourised version, RGB, the same size."""
    rgb = to_rgb(image)
    if rgb.size[0] < 1 or rgb.size[1] < 1:
        raise ColouriseError("the photo has no pixels")
    return colours_to_image(predict_colours(session, spec, rgb), spec, rgb, temperature)


# ---------------------------------------------------------------------------------------------
# How close and how colourful: the figures of the study's evaluation and of the page


def colour_error(truth: Image.Image, result: Image.Image) -> float:
    """Mean distance between the two photos' colours in the (a, b) plane of CIELAB, per pixel.
    Lightness is left out: the colouriser keeps the photo's own."""
    a = rgb_to_lab(truth)[..., 1:]
    b = rgb_to_lab(result)[..., 1:]
    return float(np.mean(np.linalg.norm(a - b, axis=2)))


def colourfulness(rgb: Image.Image) -> float:
    """Hasler and Süsstrunk's (2003) colourfulness: the spread and strength of the opponent
    colours red-green and yellow-blue (0 for a grey photo; about 50 is "quite colourful")."""
    pixels = np.asarray(rgb, dtype=np.float64)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    red_green = red - green
    yellow_blue = 0.5 * (red + green) - blue
    spread = np.hypot(red_green.std(), yellow_blue.std())
    strength = np.hypot(red_green.mean(), yellow_blue.mean())
    return float(spread + 0.3 * strength)


@dataclass(frozen=True)
class ColourFigures:
    """One photo's figures: the colour error of the result and of leaving the photo grey, and the
    colourfulness of the result and of the original."""
    colour_error: float
    grey_error: float
    colourfulness: float
    original_colourfulness: float

    @property
    def colourfulness_ratio(self) -> float:
        return self.colourfulness / self.original_colourfulness if self.original_colourfulness > 0 else float("nan")


def colour_figures(truth: Image.Image, result: Image.Image) -> ColourFigures:
    truth = to_rgb(truth)
    return ColourFigures(colour_error=colour_error(truth, result), grey_error=colour_error(truth, grey_version(truth)),
                         colourfulness=colourfulness(result), original_colourfulness=colourfulness(truth))
