"""Supervised baseline: the shared small CNN trained on the labelled subset only.

Its labels come from people, so at 1 % it sees 40 digits and nothing else. The recipe (steps,
rate, warps, smoothing) is training/supervised_recipe.py's, shared with the fine-tune rows.

    python -m training train supervised --fraction 0.05 --seed 0
"""

from __future__ import annotations

from dataclasses import dataclass

from training.point import PointTask, TrainedPoint
from training.supervised_recipe import SupervisedRecipe, train_classifier


@dataclass(frozen=True)
class Config(SupervisedRecipe):
    pass  # the recipe's settings, unchanged


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    return train_classifier(task, config, progress=progress)
