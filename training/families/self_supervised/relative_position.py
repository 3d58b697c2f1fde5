"""Relative position of patches (Doersch et al. 2015): cut the digit into a 3x3 grid, take the
middle piece and one of its eight neighbours, and ask where the neighbour was.

The free label is the neighbour's place (top-left, top, top-right, ...). Guessing it means knowing
how strokes continue from one part of a digit to the next. As in the paper, each piece is cut
with a random jitter of a pixel and a gap between pieces, so the network cannot just match the
pixels along a shared edge. Neighbours with no ink say nothing about their place, so the pieces
are drawn in proportion to their ink.

    python -m training train relative_position --fraction 0.01 --seed 0
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from paradigm_lab.pretext_tasks import BLANK_PLACE_SHARE, CELL, GRID, NEIGHBOURS, PADDING, PIECE, PLACE_NAMES
from training.backbone import FEATURE_DIM, make_encoder
from training.companions import FROZEN_ENCODER_WITH_PRETEXT
from training.families.self_supervised import pretext_training
from training.families.self_supervised.pretext_training import PretextConfig, PretextNetwork
from training.point import PointTask, TrainedPoint

# What its shipped points need beyond the probe head: the seed's encoder, pretext network and feature map.
point_shipping = FROZEN_ENCODER_WITH_PRETEXT

ENCODER_SIZE = 28  # pieces are enlarged to the encoder's input size inside the network


@dataclass(frozen=True)
class Config(PretextConfig):
    steps: int = 1500
    batch_size: int = 128


def cut_piece(padded: torch.Tensor, row: torch.Tensor, column: torch.Tensor, jitter: torch.Tensor) -> torch.Tensor:
    """padded (B, 1, 30, 30); row, column (B,) grid places; jitter (B, 2) in 0..CELL-PIECE
    -> pieces (B, 1, PIECE, PIECE)."""
    top = row * CELL + jitter[:, 0]
    left = column * CELL + jitter[:, 1]
    offsets = torch.arange(PIECE)
    rows = (top.view(-1, 1) + offsets).view(-1, PIECE, 1).expand(-1, PIECE, PIECE)
    cols = (left.view(-1, 1) + offsets).view(-1, 1, PIECE).expand(-1, PIECE, PIECE)
    batch = torch.arange(len(padded)).view(-1, 1, 1).expand(-1, PIECE, PIECE)
    return padded[batch, 0, rows, cols].unsqueeze(1)


def free_pairs(images: torch.Tensor, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(B, 1, 28, 28) -> pairs (B, 2, PIECE, PIECE) [middle piece, neighbour piece] and the
    neighbour's place (B,) in 0..7 (index into NEIGHBOURS)."""
    padded = F.pad(images, (PADDING,) * 4)  # (B, 1, 30, 30)
    n = len(images)
    place_rows = torch.tensor([r for r, _ in NEIGHBOURS])
    place_cols = torch.tensor([c for _, c in NEIGHBOURS])
    cells = padded.unfold(2, CELL, CELL).unfold(3, CELL, CELL)  # (B, 1, 3, 3, CELL, CELL)
    ink = cells.sum(dim=(1, 4, 5))[:, place_rows, place_cols]  # (B, 8)
    place = torch.multinomial(ink + BLANK_PLACE_SHARE * ink.sum(dim=1, keepdim=True) / len(NEIGHBOURS) + 1e-6, 1, generator=generator).squeeze(1)
    jitter = torch.randint(0, CELL - PIECE + 1, (2, n, 2), generator=generator)
    middle = cut_piece(padded, torch.ones(n, dtype=torch.long), torch.ones(n, dtype=torch.long), jitter[0])
    neighbour = cut_piece(padded, place_rows[place], place_cols[place], jitter[1])
    return torch.cat([middle, neighbour], dim=1), place


class RelativePositionNetwork(PretextNetwork):
    input_name = "pieces"
    output_name = "place_logits"

    def __init__(self):
        super().__init__()
        self.encoder = make_encoder()
        self.head = nn.Sequential(nn.Linear(2 * FEATURE_DIM, 128), nn.ReLU(inplace=True), nn.Linear(128, len(NEIGHBOURS)))

    def forward(self, pieces: torch.Tensor) -> torch.Tensor:
        """pieces (B, 2, 8, 8) [middle, neighbour] -> logits (B, 8) over the neighbour's place."""
        # -1, not len(pieces): the exported graph must keep a free batch size.
        enlarged = F.interpolate(pieces.reshape(-1, 1, PIECE, PIECE), size=(ENCODER_SIZE, ENCODER_SIZE),
                                 mode="bilinear", align_corners=False)
        features = self.encoder(enlarged).reshape(-1, 2 * FEATURE_DIM)
        return self.head(features).float()

    def example_input(self, images, generator):
        return free_pairs(images[:8], generator)[0]

    def facts(self) -> dict:
        return {"task": "relative_position", "grid": GRID, "cell": CELL, "piece": PIECE, "padding": PADDING,
                "places": [list(p) for p in NEIGHBOURS], "place_names": list(PLACE_NAMES)}

    @torch.inference_mode()
    def evaluate(self, images, generator) -> dict:
        pairs, place = free_pairs(images, generator)
        right = self(pairs).argmax(dim=1) == place
        return {"pretext_metric": "neighbour's place found, test digits (one inked neighbour each)",
                "pretext_accuracy": float(right.float().mean()), "pretext_chance": 1.0 / len(NEIGHBOURS)}


def build(config: Config) -> RelativePositionNetwork:
    return RelativePositionNetwork()


def loss(network, images, generator, config) -> torch.Tensor:
    pairs, place = free_pairs(images, generator)
    return F.cross_entropy(network(pairs), place)


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    return pretext_training.train_point(task, config, build, loss, progress=progress)


def pretrained_encoder(task: PointTask, config: Config, *, progress: bool = False):
    return pretext_training.pretrained_encoder(task, config, build, loss, progress=progress)
