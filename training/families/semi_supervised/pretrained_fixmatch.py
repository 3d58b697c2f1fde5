"""Pretraining, then semi-supervised training: what the field does when labels are few.

FixMatch (training/families/semi_supervised/fixmatch.py) with its settings unchanged, but starting
from the encoder that a label-free task learned on the same pool and seed (the registry's
``encoder_from``; contrastive, as in SelfMatch, Kim et al. 2021, and SimCLRv2, Chen et al. 2020,
which pretrain contrastively before using the unlabelled pool again). Pretraining teaches the
network what digits look like; FixMatch then lets the few labels spread through the pool.

    python -m training train contrastive_fixmatch --fraction 0.01 --seed 0
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from training.families.semi_supervised import fixmatch
from training.finetuning import starting_point
from training.point import PointTask, TrainedPoint

# FixMatch's pseudo-label log, without the classifier: like the fine-tune rows, a measurement of
# what pretraining adds, which the chart and tables read from its results rows.
point_shipping = replace(fixmatch.point_shipping, ships_classifier=False)


@dataclass(frozen=True)
class Config(fixmatch.Config):
    encoder_profile: str = "full"  # as the fine-tune rows: the source's full, tests or dry-run config
    fresh_weight_scale: bool = True  # as the fine-tune rows (training/finetuning.py, at_fresh_weight_scale)
    start_from_probe: bool = True  # as the fine-tune rows: FixMatch trains the probe row's classifier

    # The parent's smaller configs keep this class (dataclasses.replace builds type(self)); the
    # casts tell the type checker so.
    def for_tests(self) -> "Config":
        return replace(cast(Config, fixmatch.Config.for_tests(self)), encoder_profile="tests")

    def for_dry_run(self) -> "Config":
        return replace(cast(Config, fixmatch.Config.for_dry_run(self)), encoder_profile="dry_run")


def train_point(task: PointTask, config: Config, *, progress: bool = False) -> TrainedPoint:
    start = starting_point(task, config.encoder_profile, fresh_weight_scale=config.fresh_weight_scale,
                           start_from_probe=config.start_from_probe, progress=progress)
    trained = fixmatch.train_point(task, config, progress=progress, encoder=start.encoder, classifier=start.classifier)
    return start.charge(trained, task)
