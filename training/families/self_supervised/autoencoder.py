"""Masked autoencoder (in the spirit of Vincent et al. 2008 and He et al. 2022): hide part of a
digit and ask the network to draw the whole digit back.

The free label is the original image. The digit is cut into a 4x4 grid of 7x7 squares and half of
them are blacked out; the encoder squeezes what is left into its 64 features and a small decoder
paints the 28x28 digit from them. The loss counts the hidden squares most, since copying what is
visible teaches nothing.

    python -m training train autoencoder --fraction 0.01 --seed 0
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from paradigm_lab.pretext_tasks import MASK_GRID, MASKED_SQUARES
from training.backbone import FEATURE_DIM, make_encoder
from training.companions import FROZEN_ENCODER_WITH_PRETEXT
from training.families.self_supervised import pretext_training
from training.families.self_supervised.pretext_training import PretextConfig, PretextNetwork
from training.point import PointTask, TrainedPoint
from training.precision import use_bfloat16

# What its shipped points need beyond the probe head: the seed's encoder, pretext network and feature map.
point_shipping = FROZEN_ENCODER_WITH_PRETEXT

VISIBLE_WEIGHT = 0.1  # the visible squares still count a little: the decoder must place them


@dataclass(frozen=True)
class Config(PretextConfig):
    steps: int = 2000
    batch_size: int = 128


def random_masks(n: int, generator: torch.Generator) -> torch.Tensor:
    """(n, 1, 28, 28) float masks, 1 where a pixel is hidden: MASKED_SQUARES of the 16 squares."""
    scores = torch.rand(n, MASK_GRID * MASK_GRID, generator=generator)
    hidden = torch.zeros_like(scores)
    hidden.scatter_(1, scores.argsort(dim=1)[:, :MASKED_SQUARES], 1.0)
    square = 28 // MASK_GRID
    return hidden.view(n, 1, MASK_GRID, MASK_GRID).repeat_interleave(square, 2).repeat_interleave(square, 3)


def free_pairs(images: torch.Tensor, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(masked images, masks, originals): the input and the answer of the task."""
    masks = random_masks(len(images), generator)
    return images * (1 - masks), masks, images


class AutoencoderNetwork(PretextNetwork):
    input_name = "masked_image"
    output_name = "reconstruction"

    def __init__(self):
        super().__init__()
        self.encoder = make_encoder()
        self.decoder = nn.Sequential(
            nn.Linear(FEATURE_DIM, 64 * 7 * 7), nn.ReLU(inplace=True), nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, kernel_size=4, stride=2, padding=1), nn.ReLU(inplace=True),  # (B, 32, 14, 14)
            nn.ConvTranspose2d(32, 1, kernel_size=4, stride=2, padding=1),  # (B, 1, 28, 28)
        )

    def forward(self, masked_image: torch.Tensor) -> torch.Tensor:
        """(B, 1, 28, 28) with hidden squares black -> the whole digit drawn back, in [0, 1]."""
        return torch.sigmoid(self.decoder(self.encoder(masked_image)).float())

    def example_input(self, images, generator):
        return free_pairs(images[:8], generator)[0]

    def facts(self) -> dict:
        return {"task": "autoencoder", "mask_grid": MASK_GRID, "masked_squares": MASKED_SQUARES}

    @torch.inference_mode()
    def evaluate(self, images, generator) -> dict:
        """Mean squared error on the hidden pixels, against the best guess without the network:
        the average pool digit painted into the hole (here the test set's own average)."""
        masked, masks, originals = free_pairs(images, generator)
        drawn = self(masked)
        hidden = masks.sum()
        error = float(((drawn - originals) ** 2 * masks).sum() / hidden)
        average = originals.mean(dim=0, keepdim=True)
        baseline = float(((average - originals) ** 2 * masks).sum() / hidden)
        return {"pretext_metric": "mean squared error on the hidden pixels, test digits (lower is better)",
                "pretext_error": error, "pretext_chance_error": baseline}


def build(config: Config) -> AutoencoderNetwork:
    return AutoencoderNetwork()


def loss(network, images, generator, config) -> torch.Tensor:
    masked, masks, originals = free_pairs(images, generator)
    masked = masked.contiguous(memory_format=torch.channels_last) if use_bfloat16(config) else masked
    squared = (network(masked) - originals) ** 2
    return (squared * (masks + VISIBLE_WEIGHT * (1 - masks))).mean()


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    return pretext_training.train_point(task, config, build, loss, progress=progress)


def pretrained_encoder(task: PointTask, config: Config, *, progress: bool = False):
    return pretext_training.pretrained_encoder(task, config, build, loss, progress=progress)
