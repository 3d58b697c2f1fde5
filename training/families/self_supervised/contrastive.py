"""Contrastive learning (SimCLR, Chen et al. 2020): two distorted views of the same digit should
land close together in feature space, and far from the views of every other digit in the batch.

The free label is "these two views come from one image". Each step takes a batch of pool digits,
makes two views of each (a strong warp and a blacked-out square), projects their features with a
small MLP and asks, for every view, which of the other 2B - 1 views is its partner (NT-Xent loss).
The probe reads the encoder's features, before the projection, as in the paper.

    python -m training train contrastive --fraction 0.01 --seed 0
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from training.augment import strong_augment
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
    # Fixed before the study. 256 digits (512 views) per step: SimCLR needs many negatives.
    steps: int = 1800
    batch_size: int = 256
    temperature: float = 0.2
    projection_dim: int = 64


def make_view(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """One random view: a big warp (25 degrees, 20 % shift, 0.8-1.2 zoom) and a 10x10 black square."""
    return strong_augment(images, generator)


class ContrastiveNetwork(PretextNetwork):
    input_name = "view"
    output_name = "embedding"

    def __init__(self, config: Config):
        super().__init__()
        self.encoder = make_encoder()
        self.projector = nn.Sequential(nn.Linear(FEATURE_DIM, 128), nn.ReLU(inplace=True),
                                       nn.Linear(128, config.projection_dim))
        self.temperature = config.temperature

    def forward(self, view: torch.Tensor) -> torch.Tensor:
        """view (B, 1, 28, 28) -> unit-length embedding (B, projection_dim)."""
        return F.normalize(self.projector(self.encoder(view)).float(), dim=1)

    def example_input(self, images, generator):
        return make_view(images[:8], generator)

    def facts(self) -> dict:
        return {"task": "contrastive", "temperature": self.temperature,
                "view": "random rotation up to 25 degrees, shift up to 20 %, zoom 0.8-1.2, a 10x10 black square"}

    @torch.inference_mode()
    def evaluate(self, images, generator) -> dict:
        """Find-the-partner: for each view of N test digits, is the nearest of the N other-view
        embeddings its own partner? Chance is 1/N."""
        images = images[:500]
        first, second = self(make_view(images, generator)), self(make_view(images, generator))
        found = (first @ second.T).argmax(dim=1) == torch.arange(len(images))
        return {"pretext_metric": "partner found among the other views of the test digits",
                "pretext_accuracy": float(found.float().mean()), "pretext_chance": 1.0 / len(images)}


def build(config: Config) -> ContrastiveNetwork:
    return ContrastiveNetwork(config)


def loss(network: ContrastiveNetwork, images: torch.Tensor, generator: torch.Generator, config: Config) -> torch.Tensor:
    views = torch.cat([make_view(images, generator), make_view(images, generator)])  # (2B, 1, 28, 28)
    views = views.contiguous(memory_format=torch.channels_last) if use_bfloat16(config) else views
    embedding = network(views)  # (2B, D), unit length, float32
    similarity = embedding @ embedding.T / config.temperature
    n = len(images)
    similarity.fill_diagonal_(float("-inf"))  # a view is not its own partner
    partner = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(similarity, partner)


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    return pretext_training.train_point(task, config, build, loss, progress=progress)


def pretrained_encoder(task: PointTask, config: Config, *, progress: bool = False):
    return pretext_training.pretrained_encoder(task, config, build, loss, progress=progress)
