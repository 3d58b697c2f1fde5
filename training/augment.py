"""Batch augmentations on tensors (no per-image Python loop, no torchvision).

Small random affine warps keep a digit a digit: a few degrees of rotation, a little scale and
a shift of about two pixels, the variation between people's handwriting.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def random_affine(
    images: torch.Tensor,
    generator: torch.Generator,
    *,
    max_degrees: float = 12.0,
    max_shift: float = 0.12,  # in [-1, 1] grid units: 0.12 * 14 px ~ 1.7 px on a 28 px image
    scale_range: tuple[float, float] = (0.9, 1.1),
) -> torch.Tensor:
    """images (B, C, H, W) -> the same shape, each image warped by its own random affine map."""
    batch = images.shape[0]

    def uniform(low: float, high: float) -> torch.Tensor:
        return low + (high - low) * torch.rand(batch, generator=generator)

    angle = uniform(-max_degrees, max_degrees) * (math.pi / 180.0)
    scale = uniform(*scale_range)
    shift_x, shift_y = uniform(-max_shift, max_shift), uniform(-max_shift, max_shift)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos, -sin, shift_x], dim=1), torch.stack([sin, cos, shift_y], dim=1)], dim=1
    )  # (B, 2, 3)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, padding_mode="zeros", align_corners=False)


def strong_augment(images: torch.Tensor, generator: torch.Generator, *, cutout: int = 10) -> torch.Tensor:
    """A heavy distortion that still leaves a person able to read the digit: a larger warp and a
    blacked-out square (cutout). FixMatch asks the model to give this copy the label it gave a
    lightly warped one; images (B, C, H, W) -> the same shape."""
    warped = random_affine(images, generator, max_degrees=25.0, max_shift=0.2, scale_range=(0.8, 1.2))
    batch, _, height, width = images.shape
    top = torch.randint(0, height - cutout + 1, (batch,), generator=generator)
    left = torch.randint(0, width - cutout + 1, (batch,), generator=generator)
    rows = torch.arange(height).view(1, height, 1)
    cols = torch.arange(width).view(1, 1, width)
    inside = ((rows >= top.view(-1, 1, 1)) & (rows < (top + cutout).view(-1, 1, 1))
              & (cols >= left.view(-1, 1, 1)) & (cols < (left + cutout).view(-1, 1, 1)))  # (B, H, W)
    return warped.masked_fill(inside.unsqueeze(1), 0.0)
