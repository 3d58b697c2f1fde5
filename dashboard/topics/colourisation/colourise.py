"""Colourising a photo with the shipped colouriser: the functions the colourisation page calls.

The colour code itself (sRGB <-> CIELAB, the lightness the colouriser reads, the annealed-mean
decoding, the colour figures) lives in paradigm_lab/colour.py, written once for the page and the
training: the study's evaluation runs those very functions, so the figures in the manifest are
the page's own. This module names them for the page and adds what only the page needs.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from paradigm_lab.colour import (
    ColourFigures,
    ColouriseError,
    ColouriserSpec,
    annealed_mean,
    colour_error,
    colour_figures,
    colourfulness,
    colourise,
    colours_to_image,
    grey_version,
    lab_to_rgb,
    model_input,
    predict_colours,
    resize_channels,
    rgb_to_lab,
    to_rgb,
    working_size,
)

__all__ = [
    "GREY_TOLERANCE", "ColourFigures", "ColouriseError", "ColouriserSpec", "annealed_mean", "colour_error",
    "colour_figures", "colourfulness", "colourise", "colours_to_image", "grey_version", "is_grey", "lab_to_rgb",
    "model_input", "predict_colours", "resize_channels", "rgb_to_lab", "to_rgb", "working_size",
]

# A grey photo's channels differ by rounding only; above this, a photo has colours to compare with.
GREY_TOLERANCE = 2


def is_grey(rgb: Image.Image) -> bool:
    """True when the photo holds no colour (an old black-and-white picture): no truth to compare."""
    pixels = np.asarray(rgb, dtype=np.int16)
    return int(np.max(pixels.max(axis=2) - pixels.min(axis=2))) <= GREY_TOLERANCE
