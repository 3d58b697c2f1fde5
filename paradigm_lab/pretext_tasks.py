"""The pretext tasks' free examples and labels, made with numpy: the version the page and the
training share (torch-free, so the dashboard can import it).

A pretext task makes its own question and answer from an unlabelled digit. The task's geometry
lives here once (the quarter turns, the patch grid and its neighbour places, the clip's frames and
orders, the mask grid), and the training imports it from here, so what the page poses and what the
network was trained on cannot drift apart.

The training makes its examples in torch, batched on tensors, for speed; each function here that
has a torch twin there takes the twin's random draws as arguments (the generator stays in the
training), and tests/test_pretext_agreement.py checks that both make the same examples from the
same images and draws: exactly for turns, pieces, orders and masks; to float32 rounding for the
resampled pixels of a warp (numpy and torch round the sampler's arithmetic differently).

Images are (B, 1, 28, 28) float arrays in [0, 1], as in the training, unless a function says
otherwise.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import ArrayLike

IMAGE_SIDE = 28

# --- rotation: which quarter turn was applied ------------------------------------------------------

TURNS_DEGREES = (0, 90, 180, 270)  # class k is a turn of k quarter turns, anticlockwise as seen


def rotate_quarter_turns(images: np.ndarray, quarter_turns: np.ndarray) -> np.ndarray:
    """images (B, ..., H, W), quarter_turns (B,) in 0..3 -> each image turned anticlockwise as
    seen (np.rot90 on the last two axes is torch.rot90 on dims (2, 3) of a (B, 1, H, W) batch)."""
    quarter_turns = np.asarray(quarter_turns)
    turned = np.array(images, copy=True)
    for k in range(1, 4):
        chosen = quarter_turns == k
        if chosen.any():
            turned[chosen] = np.rot90(images[chosen], k, axes=(-2, -1))
    return turned


def rotation_free_pairs(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every image in its four turns, with the turn as label: (4B, ...), (4B,), turn-major as the
    training orders them (all images unturned, then all turned once...)."""
    turns = np.repeat(np.arange(len(TURNS_DEGREES)), len(images))
    return rotate_quarter_turns(np.concatenate([images] * len(TURNS_DEGREES)), turns), turns


# --- relative position: where a neighbour piece was cut ----------------------------------------------

GRID = 3
CELL = 10  # the 28x28 digit, padded to 30x30, is a 3x3 grid of 10x10 cells
PIECE = 8  # each piece is an 8x8 square inside its cell: a gap of at least 2 pixels, 1 pixel of jitter
PADDING = 1
MIDDLE = (1, 1)
# Neighbour places in reading order, as (row, column) of the grid: class i is the neighbour in NEIGHBOURS[i].
NEIGHBOURS = ((0, 0), (0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1), (2, 2))
PLACE_NAMES = ("top-left", "top", "top-right", "left", "right", "bottom-left", "bottom", "bottom-right")
# A blank neighbour says nothing about its place, so the training asks mostly about inked ones:
# each place is drawn in proportion to its ink plus this share of the neighbours' mean ink.
BLANK_PLACE_SHARE = 0.05


def pad_digits(images: np.ndarray, padding: int = PADDING) -> np.ndarray:
    """A black border of ``padding`` pixels around the last two axes."""
    widths = [(0, 0)] * (images.ndim - 2) + [(padding, padding)] * 2
    return np.pad(images, widths)


def piece_corners(places: ArrayLike, jitter: ArrayLike, cell: int = CELL) -> np.ndarray:
    """places (..., 2) grid (row, column), jitter (..., 2) in 0..cell-piece -> (..., 2) the
    (top, left) pixel of each piece in the padded digit."""
    return np.asarray(places) * cell + np.asarray(jitter)


def cut_pieces(padded: np.ndarray, corners: ArrayLike, piece: int = PIECE) -> np.ndarray:
    """padded (B, ..., S, S), corners (B, 2) -> (B, ..., piece, piece): image b's square at corners[b]."""
    return np.stack([image[..., top : top + piece, left : left + piece] for image, (top, left) in zip(padded, np.asarray(corners))])


def neighbour_ink(images: np.ndarray) -> np.ndarray:
    """(B, 1, 28, 28) -> (B, 8): the ink (sum of pixels) of each neighbour's whole cell."""
    padded = pad_digits(images)
    batch = len(images)
    cells = padded.reshape(batch, -1, GRID, CELL, GRID, CELL).sum(axis=(1, 3, 5))  # (B, GRID, GRID)
    rows, columns = np.array(NEIGHBOURS).T
    # Row-major, as the training's tensor: torch draws differently from a transposed layout.
    return np.ascontiguousarray(cells[:, rows, columns])


def place_weights(ink: np.ndarray) -> np.ndarray:
    """(B, 8) ink -> (B, 8) unnormalised chances of asking about each place."""
    return ink + BLANK_PLACE_SHARE * ink.sum(axis=1, keepdims=True) / len(NEIGHBOURS) + 1e-6


def relative_position_pairs(images: np.ndarray, place: np.ndarray, jitter: np.ndarray) -> np.ndarray:
    """images (B, 1, 28, 28), place (B,) in 0..7, jitter (2, B, 2) the middle's then the
    neighbour's offset in its cell -> (B, 2, PIECE, PIECE) [middle piece, neighbour piece]."""
    padded = pad_digits(images)[:, 0]
    neighbours = np.array(NEIGHBOURS)[np.asarray(place)]
    middle = cut_pieces(padded, piece_corners(np.array(MIDDLE), jitter[0]))
    neighbour = cut_pieces(padded, piece_corners(neighbours, jitter[1]))
    return np.stack([middle, neighbour], axis=1)


# --- warping a digit as the training's affine sampler does ----------------------------------------


def affine_sample(images: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """images (B, C, H, W), theta (B, 2, 3) -> (B, C, H, W): what torch's affine_grid then
    grid_sample (bilinear, black outside, align_corners=False) make, in numpy.

    theta maps each output pixel's place, in [-1, 1] units across the image, to where it reads
    the input; computed in float64 and returned in float32."""
    batch, _, height, width = images.shape
    theta = np.asarray(theta, dtype=np.float64)
    xs = (2 * np.arange(width) + 1) / width - 1  # pixel centres in [-1, 1] units
    ys = (2 * np.arange(height) + 1) / height - 1
    grid_y, grid_x = np.meshgrid(ys, xs, indexing="ij")
    source_x = (theta[:, 0, 0, None, None] * grid_x + theta[:, 0, 1, None, None] * grid_y + theta[:, 0, 2, None, None])
    source_y = (theta[:, 1, 0, None, None] * grid_x + theta[:, 1, 1, None, None] * grid_y + theta[:, 1, 2, None, None])
    x = ((source_x + 1) * width - 1) / 2  # back to pixel indices
    y = ((source_y + 1) * height - 1) / 2
    left, top = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
    right_weight, down_weight = x - left, y - top
    out = np.zeros(images.shape, dtype=np.float64)
    batch_index = np.arange(batch)[:, None, None]
    for row, row_weight in ((top, 1 - down_weight), (top + 1, down_weight)):
        for column, column_weight in ((left, 1 - right_weight), (left + 1, right_weight)):
            inside = (row >= 0) & (row < height) & (column >= 0) & (column < width)
            values = images[batch_index, :, np.clip(row, 0, height - 1), np.clip(column, 0, width - 1)]  # (B, H, W, C)
            weight = np.where(inside, row_weight * column_weight, 0.0)
            out += np.moveaxis(values * weight[..., None], -1, 1)
    return out.astype(np.float32)


# --- temporal order: in which order a clip's frames were shot ------------------------------------

FRAMES = 4
MAX_SHIFT_PIXELS = 4.0  # from first to last frame, the digit slides up to this far...
MAX_TURN_DEGREES = 30.0  # ...and turns up to this much
MIN_TURN_DEGREES = 10.0
# One order per class: entry c lists which original frame each slot of the shuffled clip shows.
# Its time-reversed twin (slot s shows frame FRAMES - 1 - ORDERS[c][s]) looks just as likely, so
# it is the same class; of each pair the list keeps the one whose first slot shows an early frame.
ORDERS = tuple(p for p in itertools.permutations(range(FRAMES)) if p[0] < FRAMES - 1 - p[0])


def clip_thetas(direction_draw: np.ndarray, distance_draw: np.ndarray, sign_draw: np.ndarray,
                turn_draw: np.ndarray, *, frames: int = FRAMES, max_shift_pixels: float = MAX_SHIFT_PIXELS,
                turn_degrees: tuple[float, float] = (MIN_TURN_DEGREES, MAX_TURN_DEGREES)) -> np.ndarray:
    """Four uniform draws in [0, 1) per clip, (B,) each -> (frames, B, 2, 3) the affine map of
    each frame: frame t is the digit moved and turned by t/(frames-1) of the clip's total motion,
    the middle of the clip being the digit itself. Float32, as the training computes them; the
    page passes the sizes its manifest states."""
    low, high = turn_degrees
    direction = np.asarray(direction_draw, dtype=np.float32) * np.float32(2) * np.float32(math.pi)
    distance = (np.float32(0.5) + np.float32(0.5) * np.asarray(distance_draw, dtype=np.float32)) * np.float32(max_shift_pixels)
    sign = np.where(np.asarray(sign_draw) < 0.5, np.float32(-1.0), np.float32(1.0))
    turn = sign * (np.float32(low) + np.float32(high - low) * np.asarray(turn_draw, dtype=np.float32))
    thetas = []
    for t in range(frames):
        progress = np.float32(t / (frames - 1) - 0.5)
        angle = np.deg2rad(turn * progress)
        shift = distance * progress / np.float32(14.0)  # pixels -> [-1, 1] units (28 px span 2)
        cos, sin = np.cos(angle), np.sin(angle)
        thetas.append(np.stack([np.stack([cos, -sin, -shift * np.cos(direction)], axis=1),
                                np.stack([sin, cos, -shift * np.sin(direction)], axis=1)], axis=1))
    return np.stack(thetas).astype(np.float32)


def make_clip(images: np.ndarray, direction_draw, distance_draw, sign_draw, turn_draw) -> np.ndarray:
    """(B, 1, 28, 28) and the clip's four draws -> (B, FRAMES, 28, 28), frames in shot order."""
    thetas = clip_thetas(direction_draw, distance_draw, sign_draw, turn_draw)
    return np.concatenate([affine_sample(images, theta) for theta in thetas], axis=1)


def shuffle_clip(clips: np.ndarray, order_class: np.ndarray, reverse: np.ndarray) -> np.ndarray:
    """Slot s of the shuffled clip shows frame ORDERS[c][s], or its time-reversed twin
    FRAMES - 1 - ORDERS[c][s] when ``reverse`` (the same class: the clip played backwards)."""
    orders = np.array(ORDERS)[np.asarray(order_class)]  # (B, FRAMES)
    orders = np.where(np.asarray(reverse)[:, None], FRAMES - 1 - orders, orders)
    return np.take_along_axis(clips, orders[:, :, None, None], axis=1)


# --- contrastive: two strong views of one digit ----------------------------------------------------

# The view (training/augment.py's strong_augment, shared with FixMatch): a warp of up to 25
# degrees, a shift of up to 20 % of the half-width, a zoom of 0.8 to 1.2, then a black square.
VIEW_MAX_DEGREES = 25.0
VIEW_MAX_SHIFT = 0.2  # in [-1, 1] units: 0.2 x 14 = 2.8 pixels
VIEW_ZOOM = (0.8, 1.2)
VIEW_CUTOUT = 10


def affine_thetas(angle_draw, zoom_draw, shift_x_draw, shift_y_draw, *, max_degrees: float, max_shift: float,
                  zoom_range: tuple[float, float]) -> np.ndarray:
    """Four uniform draws in [0, 1) per image, (B,) each -> (B, 2, 3) a random warp's affine map,
    float32, as training/augment.py's random_affine computes it."""

    def uniform(draw, low: float, high: float) -> np.ndarray:
        return np.float32(low) + np.float32(high - low) * np.asarray(draw, dtype=np.float32)

    angle = uniform(angle_draw, -max_degrees, max_degrees) * np.float32(math.pi / 180.0)
    zoom = uniform(zoom_draw, *zoom_range)
    shift_x, shift_y = uniform(shift_x_draw, -max_shift, max_shift), uniform(shift_y_draw, -max_shift, max_shift)
    cos, sin = np.cos(angle) / zoom, np.sin(angle) / zoom
    return np.stack([np.stack([cos, -sin, shift_x], axis=1), np.stack([sin, cos, shift_y], axis=1)], axis=1)


def cutout_masks(top: np.ndarray, left: np.ndarray, cutout: int = VIEW_CUTOUT, side: int = IMAGE_SIDE) -> np.ndarray:
    """(B,) corners -> (B, side, side) bool, True inside each image's black square."""
    rows = np.arange(side)[None, :, None]
    columns = np.arange(side)[None, None, :]
    top, left = np.asarray(top)[:, None, None], np.asarray(left)[:, None, None]
    return (rows >= top) & (rows < top + cutout) & (columns >= left) & (columns < left + cutout)


def contrastive_view(images: np.ndarray, angle_draw, zoom_draw, shift_x_draw, shift_y_draw, top, left) -> np.ndarray:
    """(B, 1, 28, 28), the warp's four draws and the square's corner -> one view of each digit."""
    theta = affine_thetas(angle_draw, zoom_draw, shift_x_draw, shift_y_draw, max_degrees=VIEW_MAX_DEGREES,
                          max_shift=VIEW_MAX_SHIFT, zoom_range=VIEW_ZOOM)
    warped = affine_sample(images, theta)
    warped[cutout_masks(top, left)[:, None].repeat(images.shape[1], axis=1)] = 0.0
    return warped


# --- masked autoencoder: which squares are hidden ----------------------------------------------------

MASK_GRID = 4  # 4x4 squares of 7x7 pixels
MASKED_SQUARES = 8


def hidden_from_scores(scores: np.ndarray, masked_squares: int = MASKED_SQUARES) -> np.ndarray:
    """(n, G*G) random scores -> (n, G*G) bool: the ``masked_squares`` lowest-scored squares hidden."""
    hidden = np.zeros(scores.shape, dtype=bool)
    np.put_along_axis(hidden, np.argsort(scores, axis=1, kind="stable")[:, :masked_squares], True, axis=1)
    return hidden


def square_masks(hidden: np.ndarray, mask_grid: int = MASK_GRID, side: int = IMAGE_SIDE) -> np.ndarray:
    """(n, G*G) hidden squares -> (n, side, side) bool pixel masks, True where a pixel is hidden."""
    square = side // mask_grid
    grid = np.asarray(hidden, dtype=bool).reshape(-1, mask_grid, mask_grid)
    return grid.repeat(square, axis=1).repeat(square, axis=2)
