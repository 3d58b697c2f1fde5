"""Rotation prediction (Gidaris et al. 2018): turn a digit by 0, 90, 180 or 270 degrees and ask
which turn was applied.

The free label is the turn itself. To tell a turned 7 from an upright one, the network has to
know what an upright 7 looks like, so its encoder learns the shapes of digits without being told
which digit is which. Some digits defeat the task (a 0, 1 or 8 looks alike upside down; a 6 turned
twice is a 9): that is part of what the page shows.

    python -m training train rotation --fraction 0.01 --seed 0
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from paradigm_lab.pretext_tasks import TURNS_DEGREES
from training.augment import random_affine
from training.backbone import FEATURE_DIM, make_encoder
from training.companions import FROZEN_ENCODER_WITH_PRETEXT
from training.families.self_supervised import pretext_training
from training.families.self_supervised.pretext_training import PretextConfig, PretextNetwork
from training.point import PointTask, TrainedPoint
from training.precision import use_bfloat16

# What its shipped points need beyond the probe head: the seed's encoder, pretext network and feature map.
point_shipping = FROZEN_ENCODER_WITH_PRETEXT


@dataclass(frozen=True)
class Config(PretextConfig):
    # Fixed before the study. Each step shows 96 digits in all four turns (384 images).
    steps: int = 1500
    batch_size: int = 96


def rotate(images: torch.Tensor, quarter_turns: torch.Tensor) -> torch.Tensor:
    """images (B, 1, H, W), quarter_turns (B,) in 0..3 -> each image turned anticlockwise; the
    tensor twin of paradigm_lab.pretext_tasks.rotate_quarter_turns, which the page uses."""
    out = images.clone()
    for k in range(1, 4):
        chosen = quarter_turns == k
        if chosen.any():
            out[chosen] = torch.rot90(images[chosen], k, dims=(2, 3))
    return out


def free_pairs(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Every image in its four turns, with the turn as label: (4B, 1, H, W), (4B,)."""
    turns = torch.arange(4).repeat_interleave(len(images))
    return rotate(images.repeat(4, 1, 1, 1), turns), turns


class RotationNetwork(PretextNetwork):
    input_name = "turned_image"
    output_name = "turn_logits"

    def __init__(self):
        super().__init__()
        self.encoder = make_encoder()
        self.head = nn.Sequential(nn.Linear(FEATURE_DIM, 64), nn.ReLU(inplace=True), nn.Linear(64, len(TURNS_DEGREES)))

    def forward(self, turned_image: torch.Tensor) -> torch.Tensor:
        """(B, 1, 28, 28) -> logits (B, 4) over the turns 0, 90, 180, 270 degrees anticlockwise."""
        return self.head(self.encoder(turned_image)).float()

    def example_input(self, images, generator):
        return free_pairs(images[:2])[0]

    def facts(self) -> dict:
        return {"task": "rotation", "turns_degrees": list(TURNS_DEGREES), "direction": "anticlockwise"}

    @torch.inference_mode()
    def evaluate(self, images, generator) -> dict:
        inputs, turns = free_pairs(images)
        right = torch.cat([self(inputs[s : s + 500]).argmax(dim=1) for s in range(0, len(inputs), 500)]) == turns
        return {"pretext_metric": "turn recognised on the test digits, each in its four turns",
                "pretext_accuracy": float(right.float().mean()), "pretext_chance": 1.0 / len(TURNS_DEGREES)}


def build(config: Config) -> RotationNetwork:
    return RotationNetwork()


def loss(network: RotationNetwork, images: torch.Tensor, generator: torch.Generator, config: Config) -> torch.Tensor:
    inputs, turns = free_pairs(random_affine(images, generator))
    inputs = inputs.contiguous(memory_format=torch.channels_last) if use_bfloat16(config) else inputs
    return F.cross_entropy(network(inputs), turns)


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    return pretext_training.train_point(task, config, build, loss, progress=progress)


def pretrained_encoder(task: PointTask, config: Config, *, progress: bool = False):
    return pretext_training.pretrained_encoder(task, config, build, loss, progress=progress)
