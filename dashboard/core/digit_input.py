"""A digit from a pupil (a canvas drawing, a photo of paper, a camera shot) made into a model input.

Every shipped classifier reads a float32 (28, 28) image in [0, 1], white ink on black, the digit
scaled into a 20x20 box and centred by its centre of mass, as MNIST was made. `to_model_input`
does that to any PIL image, whatever its mode and size:

1. grey levels in [0, 1] from any mode (transparency, 16-bit, CMYK, palette, float...);
2. which side is ink: the border of the picture is the paper, so dark ink on light paper is
   turned into light ink on dark, and light ink on a dark board is left as it is;
3. the paper's brightness is estimated everywhere (a shadow across a photo makes paper darker in
   one corner) and removed, so only ink is left;
4. crop to the ink, scale it into a 20x20 box keeping its aspect, paste into 28x28 with its
   centre of mass at the centre.

An empty canvas or a blank photo raises `BlankImageError`; a file that is not a usable image
raises `UnreadableImageError` (from `open_image_bytes`). Both carry a translation key, so a page
shows a sentence in the pupil's language and never a traceback. Nothing here imports streamlit.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MODEL_SIDE = 28  # pixels of the model input, as in MNIST
DIGIT_BOX = 20  # MNIST scaled each digit into a 20x20 box inside the 28x28 field

# Larger pictures are shrunk before anything else: a phone photo of 12 megapixels holds no more
# of a digit than 512 pixels across, and shrinking first keeps every step fast.
WORKING_SIDE = 512
# Uploads with more pixels than this are refused before they are decoded: a small file can
# declare a huge picture (a "decompression bomb") that would fill a school machine's memory.
MAX_IMAGE_PIXELS = 40_000_000
# The paper's brightness is estimated on a grid of this many cells across the longer side.
BACKGROUND_GRID = 8
# Ink must stand out from the paper by this much (grey levels in [0, 1]), or the picture is blank:
# 0.08 is about 20 grey levels out of 255, more than JPEG noise and paper texture.
MINIMUM_CONTRAST = 0.08
# After removing the paper, pixels this dark (as a share of the darkest ink) count as paper.
INK_THRESHOLD = 0.25
# A speck of dust far from the digit must not stretch the crop: the crop keeps the rows and
# columns that hold all but this share of the ink at each end.
CROP_TRIM_SHARE = 0.005
# Where open_image_bytes notes how many frames an animated file had.
FRAME_COUNT_INFO = "paradigm_lab_frame_count"


class DigitInputError(Exception):
    """A picture that cannot be read as a digit, told by a translation key (dashboard/core/i18n.py reads the texts)."""

    message_key = "digit.error.unreadable"

    def __init__(self, message_key: str | None = None, **params: object) -> None:
        if message_key is not None:
            self.message_key = message_key
        self.params = params
        super().__init__(self.message_key)


class BlankImageError(DigitInputError):
    """No ink to read: an empty canvas, a blank sheet, a uniform picture."""

    message_key = "digit.error.blank"


class UnreadableImageError(DigitInputError):
    """Not an image, a damaged one, or one too large to open safely."""

    message_key = "digit.error.unreadable"


# --- opening uploads ---------------------------------------------------------------------------


def open_image_bytes(data: bytes) -> Image.Image:
    """Decode an uploaded file into a PIL image, fully loaded, upright, first frame only
    (`is_animated` tells whether there were more).

    Raises UnreadableImageError for anything that is not a usable image: not an image at all, a
    truncated or damaged file, a decompression bomb, or a picture with more than
    MAX_IMAGE_PIXELS pixels.
    """
    if not data:
        raise UnreadableImageError("digit.error.empty_file")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that limit; a warning here is a bomb.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UnreadableImageError(
                    "digit.error.too_large", megapixels=MAX_IMAGE_PIXELS // 1_000_000
                )
            # JPEG can decode at 1/2, 1/4 or 1/8 of its size straight away: a phone photo then
            # costs a few milliseconds instead of a few hundred.
            image.draft("RGB", (WORKING_SIDE, WORKING_SIDE))
            image.load()
            frame_count = int(getattr(image, "n_frames", 1))
            image = _upright(image)
            image.info[FRAME_COUNT_INFO] = frame_count
    except DigitInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnreadableImageError(
            "digit.error.too_large", megapixels=MAX_IMAGE_PIXELS // 1_000_000
        ) from error
    except UnidentifiedImageError as error:
        raise UnreadableImageError("digit.error.not_an_image") from error
    # Truncated and damaged files surface as OSError, SyntaxError (bad headers), ValueError or
    # struct/zlib errors, depending on the format's decoder; each means "damaged image".
    except Exception as error:
        raise UnreadableImageError("digit.error.damaged") from error
    return image


def _upright(image: Image.Image) -> Image.Image:
    """Phones store photos sideways with an EXIF note saying how to turn them: turn them. The
    turned copy holds the first frame only. A damaged EXIF note is ignored, not the photo."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # Pillow's EXIF parser raises many types on a malformed note
        return image.copy()


def is_animated(image: Image.Image) -> bool:
    """Whether the uploaded file held several frames (only the first one is read)."""
    return image.info.get(FRAME_COUNT_INFO, 1) > 1


def decode_canvas_drawing(data_url: object) -> Image.Image | None:
    """The PNG a drawing canvas sends ("data:image/png;base64,..."), or None for no drawing."""
    if not isinstance(data_url, str) or not data_url:
        return None
    header, separator, encoded = data_url.partition(",")
    if not separator or not header.startswith("data:image/") or ";base64" not in header:
        raise UnreadableImageError("digit.error.not_an_image")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise UnreadableImageError("digit.error.damaged") from error
    return open_image_bytes(data)


# --- grey levels from any mode -----------------------------------------------------------------

_NUMERIC_MODES = ("I", "F", "I;16", "I;16L", "I;16B", "I;16N")


def _numeric_grey(image: Image.Image) -> np.ndarray:
    """32-bit integer, float and 16-bit images: their own range stretched to [0, 1]."""
    values = np.asarray(image, dtype=np.float64)
    finite = np.isfinite(values)
    if not finite.any():
        raise BlankImageError()
    low, high = values[finite].min(), values[finite].max()
    if not high > low:
        raise BlankImageError()
    # NaN and infinities carry no brightness: they become the darkest finite value.
    values = np.where(finite, values, low)
    return (values - low) / (high - low)


def _grey_and_alpha(image: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Luminance in [0, 1] and, for images with transparency, opacity in [0, 1]."""
    if image.mode in _NUMERIC_MODES:
        return _numeric_grey(image), None
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    rgba = _to_rgba(image)
    pixels = np.asarray(rgba, dtype=np.float32) / 255.0  # (H, W, 4)
    # ITU-R 601 luma, as Pillow's own conversion to "L".
    grey = pixels[..., 0] * 0.299 + pixels[..., 1] * 0.587 + pixels[..., 2] * 0.114
    return grey, (pixels[..., 3] if has_alpha else None)


def _flatten_transparency(grey: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Lay a transparent picture on the background its visible part stands out from.

    Black strokes on a transparent canvas go on white, white strokes on black: whichever
    background the opaque pixels are not.
    """
    weight = float(alpha.sum())
    if weight <= 0:
        raise BlankImageError()
    opaque_brightness = float((grey * alpha).sum()) / weight
    background = 1.0 if opaque_brightness < 0.5 else 0.0
    return grey * alpha + background * (1.0 - alpha)


def _shrink(image: Image.Image) -> Image.Image:
    """The image with its longer side at most WORKING_SIDE, averaging pixels (no aliasing)."""
    longest = max(image.size)
    if longest <= WORKING_SIDE:
        return image
    scale = WORKING_SIDE / longest
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if image.mode in _NUMERIC_MODES:
        image = image.convert("F")
    elif image.mode not in ("L", "LA", "RGB", "RGBA"):
        # Pillow resizes bilevel and palette images by picking pixels, which loses thin strokes;
        # other exotic modes (CMYK, premultiplied...) are turned into colour first as well.
        image = _to_rgba(image)
    return image.resize(size, Image.Resampling.BOX)


def _to_rgba(image: Image.Image) -> Image.Image:
    try:
        return image.convert("RGBA")
    except ValueError:
        try:  # modes without a direct route to RGBA (premultiplied "La") go through "LA"
            return image.convert("LA").convert("RGBA")
        except ValueError as error:
            raise UnreadableImageError("digit.error.unsupported_mode", mode=image.mode) from error


# --- from grey levels to ink -------------------------------------------------------------------


def _border(values: np.ndarray) -> np.ndarray:
    """The pixels of a frame a few percent wide around the picture: where the paper is."""
    height, width = values.shape
    depth = max(1, round(0.04 * min(height, width)))
    return np.concatenate(
        [
            values[:depth].ravel(),
            values[-depth:].ravel(),
            values[:, :depth].ravel(),
            values[:, -depth:].ravel(),
        ]
    )


def _paper_brightness(paper_side_up: np.ndarray) -> np.ndarray:
    """The paper's brightness at every pixel, ignoring ink: the brightest pixels of each cell of
    a coarse grid, spread to the neighbouring cells (a cell may fall inside a thick stroke),
    then smoothed back to full size."""
    height, width = paper_side_up.shape
    cell = max(2, int(np.ceil(max(height, width) / BACKGROUND_GRID)))
    rows, columns = int(np.ceil(height / cell)), int(np.ceil(width / cell))
    padded = np.pad(
        paper_side_up, ((0, rows * cell - height), (0, columns * cell - width)), mode="edge"
    )
    blocks = padded.reshape(rows, cell, columns, cell).swapaxes(1, 2).reshape(rows, columns, -1)
    # The 90th percentile, not the maximum: one glint of light must not set the paper's level.
    cell_paper = np.percentile(blocks, 90, axis=2)
    spread = np.pad(cell_paper, 1, mode="edge")
    neighbourhood = np.stack(
        [spread[r : r + rows, c : c + columns] for r in range(3) for c in range(3)]
    )
    cell_paper = neighbourhood.max(axis=0)
    smooth = Image.fromarray(cell_paper.astype(np.float32)).resize(
        (columns * cell, rows * cell), Image.Resampling.BILINEAR
    )
    return np.asarray(smooth, dtype=np.float32)[:height, :width]


def _ink(grey: np.ndarray) -> np.ndarray:
    """Ink strength in [0, 1] (1 = the darkest ink on paper), paper at 0."""
    border = _border(grey)
    low, high = np.percentile(grey, [0.1, 99.9])
    if high - low < MINIMUM_CONTRAST:
        raise BlankImageError()
    # The border is paper. Paper brighter than the ink (dark pen on white paper) is flipped so
    # that paper is always the bright side while the background is estimated.
    paper_is_light = float(np.median(border)) - low >= high - float(np.median(border))
    paper_side_up = grey if paper_is_light else 1.0 - grey
    ink = np.clip(_paper_brightness(paper_side_up) - paper_side_up, 0.0, None)

    # What the border still shows after removing the paper is noise (grain, JPEG, texture).
    border_ink = _border(ink)
    median = float(np.median(border_ink))
    noise = median + 3 * 1.4826 * float(np.median(np.abs(border_ink - median)))
    strongest = float(np.percentile(ink, 99.9))
    if strongest - noise < MINIMUM_CONTRAST:
        raise BlankImageError()
    return np.clip((ink - noise) / (strongest - noise), 0.0, 1.0)


def _ink_box(ink: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the ink, bottom and right excluded."""
    mask = ink > INK_THRESHOLD
    if not mask.any():
        raise BlankImageError()
    weights = np.where(mask, ink, 0.0)

    def span(profile: np.ndarray) -> tuple[int, int]:
        cumulative = np.cumsum(profile) / profile.sum()
        first = int(np.searchsorted(cumulative, CROP_TRIM_SHARE, side="right"))
        last = int(np.searchsorted(cumulative, 1.0 - CROP_TRIM_SHARE, side="left"))
        return first, max(first + 1, min(last + 1, len(profile)))

    top, bottom = span(weights.sum(axis=1))
    left, right = span(weights.sum(axis=0))
    return top, bottom, left, right


def _scale_into_box(ink: np.ndarray) -> np.ndarray:
    """The ink scaled so its longer side is DIGIT_BOX pixels, keeping its aspect."""
    height, width = ink.shape
    scale = DIGIT_BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # Shrinking averages the pixels each output pixel covers (antialiased, like MNIST's own
    # normalisation: a thin stroke becomes a grey one, not a gap); enlarging interpolates.
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    resized = Image.fromarray(ink.astype(np.float32)).resize(size, resample)
    return np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)


def _centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """Paste the digit into MODEL_SIDE x MODEL_SIDE with its centre of mass at the centre."""
    height, width = digit.shape
    total = float(digit.sum())
    rows, columns = np.indices(digit.shape)
    centre_row = float((rows * digit).sum()) / total
    centre_column = float((columns * digit).sum()) / total
    field = np.zeros((MODEL_SIDE, MODEL_SIDE), dtype=np.float32)
    # Where the digit's top-left corner goes so that its centre of mass lands on pixel (14, 14),
    # where MNIST's digits have theirs (measured on the shipped test images: 13.99, 14.00);
    # the field crops whatever a lopsided digit pushes out, as MNIST did.
    top = int(round(MODEL_SIDE / 2 - centre_row))
    left = int(round(MODEL_SIDE / 2 - centre_column))
    source_top, source_left = max(0, -top), max(0, -left)
    target_top, target_left = max(0, top), max(0, left)
    rows_copied = min(height - source_top, MODEL_SIDE - target_top)
    columns_copied = min(width - source_left, MODEL_SIDE - target_left)
    if rows_copied > 0 and columns_copied > 0:
        field[
            target_top : target_top + rows_copied, target_left : target_left + columns_copied
        ] = digit[source_top : source_top + rows_copied, source_left : source_left + columns_copied]
    return field


def to_model_input(image: Image.Image) -> np.ndarray:
    """A picture of one digit, any mode and size, as MNIST: float32 (28, 28) in [0, 1], white
    ink on black, scaled into a 20x20 box and centred by mass.

    Raises BlankImageError when there is no ink to read, UnreadableImageError for a mode that
    cannot be turned into grey levels.
    """
    try:
        image = _shrink(image)
        grey, alpha = _grey_and_alpha(image)
    except DigitInputError:
        raise
    # A damaged file that Pillow opened lazily fails here, on first access to its pixels.
    except Exception as error:
        raise UnreadableImageError("digit.error.damaged") from error
    grey = grey.astype(np.float32)
    if alpha is not None:
        grey = _flatten_transparency(grey, alpha)
    grey = np.nan_to_num(grey, nan=0.0, posinf=1.0, neginf=0.0)
    ink = _ink(grey)  # (H, W) in [0, 1]
    top, bottom, left, right = _ink_box(ink)
    digit = _scale_into_box(ink[top:bottom, left:right])
    peak = float(digit.max())
    if peak <= 0:
        raise BlankImageError()
    # MNIST strokes reach full white; a digit made of thin strokes shrunk to 20 px reaches less.
    digit = digit / peak
    model_input = _centre_by_mass(digit)
    return np.clip(np.nan_to_num(model_input), 0.0, 1.0).astype(np.float32)
