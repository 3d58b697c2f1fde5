"""Temporal order of frames (in the spirit of Misra et al. 2016, "Shuffle and Learn"): make a short
clip of a digit moving and turning, shuffle its frames, and ask in which order they were shot.

MNIST has no videos, so the clips are generated: four frames of one digit sliding in a straight
line while it turns steadily. Played backwards, such a clip is just as plausible (the direction
and the turn are random), so an order and its time-reversed twin, where every slot shows frame
3 - t instead of frame t, are one class: 4! / 2 = 12 classes. To find it, the network must see
how far a digit has moved and turned, and so learn what the digit's strokes look like.

    python -m training train temporal_order --fraction 0.01 --seed 0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from paradigm_lab.pretext_tasks import FRAMES, MAX_SHIFT_PIXELS, MAX_TURN_DEGREES, MIN_TURN_DEGREES, ORDERS
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
    steps: int = 1500
    batch_size: int = 96


def make_clip(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """images (B, 1, 28, 28) -> clips (B, FRAMES, 28, 28), frames in the order they were shot:
    frame t is the digit shifted and turned by t/(FRAMES-1) of the clip's total motion."""
    n = len(images)
    direction = torch.rand(n, generator=generator) * 2 * math.pi
    distance = (0.5 + 0.5 * torch.rand(n, generator=generator)) * MAX_SHIFT_PIXELS
    sign = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0)
    turn = sign * (MIN_TURN_DEGREES + (MAX_TURN_DEGREES - MIN_TURN_DEGREES) * torch.rand(n, generator=generator))
    frames = []
    for t in range(FRAMES):
        progress = t / (FRAMES - 1) - 0.5  # centred: the middle of the clip is the digit itself
        angle = torch.deg2rad(turn * progress)
        shift = distance * progress / 14.0  # pixels -> affine_grid units (28 px span 2 units)
        cos, sin = torch.cos(angle), torch.sin(angle)
        theta = torch.stack([torch.stack([cos, -sin, -shift * torch.cos(direction)], dim=1),
                             torch.stack([sin, cos, -shift * torch.sin(direction)], dim=1)], dim=1)
        grid = F.affine_grid(theta, [n, 1, 28, 28], align_corners=False)
        frames.append(F.grid_sample(images, grid, align_corners=False))
    return torch.cat(frames, dim=1)


def shuffle_clip(clips: torch.Tensor, order_class: torch.Tensor, reverse: torch.Tensor) -> torch.Tensor:
    """Slot s of the shuffled clip shows frame ORDERS[c][s], or its time-reversed twin
    FRAMES - 1 - ORDERS[c][s] when ``reverse`` (the same class: the clip played backwards)."""
    orders = torch.tensor(ORDERS)[order_class]  # (B, FRAMES)
    orders = torch.where(reverse.view(-1, 1), FRAMES - 1 - orders, orders)
    return torch.gather(clips, 1, orders.view(-1, FRAMES, 1, 1).expand_as(clips))


def free_pairs(images: torch.Tensor, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Shuffled clips (B, FRAMES, 28, 28) and the class of their order (B,) in 0..11."""
    clips = make_clip(images, generator)
    order_class = torch.randint(0, len(ORDERS), (len(images),), generator=generator)
    reverse = torch.rand(len(images), generator=generator) < 0.5
    return shuffle_clip(clips, order_class, reverse), order_class


class TemporalOrderNetwork(PretextNetwork):
    input_name = "shuffled_clip"
    output_name = "order_logits"

    def __init__(self):
        super().__init__()
        self.encoder = make_encoder()
        self.head = nn.Sequential(nn.Linear(FRAMES * FEATURE_DIM, 128), nn.ReLU(inplace=True), nn.Linear(128, len(ORDERS)))

    def forward(self, shuffled_clip: torch.Tensor) -> torch.Tensor:
        """(B, 4, 28, 28), one frame per channel -> logits (B, 12) over the orders."""
        # -1, not len(...): the exported graph must keep a free batch size.
        features = self.encoder(shuffled_clip.reshape(-1, 1, 28, 28)).reshape(-1, FRAMES * FEATURE_DIM)
        return self.head(features).float()

    def example_input(self, images, generator):
        return free_pairs(images[:8], generator)[0]

    def facts(self) -> dict:
        return {"task": "temporal_order", "frames": FRAMES, "orders": [list(o) for o in ORDERS],
                "max_shift_pixels": MAX_SHIFT_PIXELS, "turn_degrees": [MIN_TURN_DEGREES, MAX_TURN_DEGREES],
                "time_reversed_twin": "slot s shows frame frames-1-orders[c][s]: the same class c"}

    @torch.inference_mode()
    def evaluate(self, images, generator) -> dict:
        clips, order_class = free_pairs(images, generator)
        right = self(clips).argmax(dim=1) == order_class
        return {"pretext_metric": "order of a shuffled 4-frame clip found (up to reversal), test digits",
                "pretext_accuracy": float(right.float().mean()), "pretext_chance": 1.0 / len(ORDERS)}


def build(config: Config) -> TemporalOrderNetwork:
    return TemporalOrderNetwork()


def loss(network, images, generator, config) -> torch.Tensor:
    clips, order_class = free_pairs(images, generator)
    clips = clips.contiguous(memory_format=torch.channels_last) if use_bfloat16(config) else clips
    return F.cross_entropy(network(clips), order_class)


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    return pretext_training.train_point(task, config, build, loss, progress=progress)


def pretrained_encoder(task: PointTask, config: Config, *, progress: bool = False):
    return pretext_training.pretrained_encoder(task, config, build, loss, progress=progress)
