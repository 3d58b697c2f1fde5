"""The small CNN shared by every paradigm that learns features, and the classifier built on it.

Strided convolutions and global average pooling instead of max-pooling: a pilot on a 2-core
machine trained this shape about 2.5x faster at the same accuracy (docs/design.md). About 93k
parameters, within the 100k budget of the foundation issue.
"""

from __future__ import annotations

import torch
from torch import nn

FEATURE_DIM = 64


def _conv_block(in_channels: int, out_channels: int, stride: int, slope: float) -> list[nn.Module]:
    # No conv bias: BatchNorm's shift does its job.
    return [
        nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.LeakyReLU(slope, inplace=True) if slope else nn.ReLU(inplace=True),
    ]


def make_encoder(leaky_slope: float = 0.0) -> nn.Sequential:
    """image (B, 1, 28, 28) in [0, 1] -> features (B, FEATURE_DIM).

    ``leaky_slope`` > 0 swaps ReLU for LeakyReLU, same shape and weights count: a GAN's
    discriminator needs it (Radford et al. 2015), since a ReLU passes no gradient to the generator
    through the units it switched off."""
    return nn.Sequential(
        *_conv_block(1, 32, stride=1, slope=leaky_slope),  # (B, 32, 28, 28)
        *_conv_block(32, 64, stride=2, slope=leaky_slope),  # (B, 64, 14, 14)
        *_conv_block(64, 64, stride=1, slope=leaky_slope),  # (B, 64, 14, 14)
        *_conv_block(64, FEATURE_DIM, stride=2, slope=leaky_slope),  # (B, 64, 7, 7)
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),  # (B, 64)
    )


class Classifier(nn.Module):
    """Encoder plus a linear head: the common classifier interface, image -> logits."""

    def __init__(self, encoder: nn.Module, num_classes: int, *, feature_dim: int = FEATURE_DIM):
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(feature_dim, num_classes)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(image))  # (B, num_classes)


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
