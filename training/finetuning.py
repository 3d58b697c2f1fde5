"""Fine-tuning a pretrained encoder: the evaluation the field uses beside the frozen probe.

The probe (training/frozen_probe.py) asks what an encoder learned without labels, as it is. Fine-
tuning asks what that learning is worth as a starting point: the encoder (a pretext task's, or the
DCGAN discriminator's trunk) gets a fresh linear head and the whole network trains on the labelled
digits with the supervised baseline's recipe, unchanged (same steps, rate, warps, smoothing). The
only difference from ``supervised`` is where the weights start.

The pretraining is the probe rows' own (the same cache: one pretraining per encoder and seed), so
a fine-tune row costs one supervised training per point. The registry entry names the encoder
(``encoder_from``), whose module gives ``pretrained_encoder(task, config, progress=...)``. The
family modules ``self_supervised/finetune.py`` and ``gan/gan_finetune.py`` are these rows.

    python -m training train contrastive_finetune --fraction 0.01 --seed 0
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import cast

from torch import nn

from training.data import fractions_for_seed
from training.point import PointTask, TrainedPoint
from training.registry import get_paradigm
from training.supervised_recipe import SupervisedRecipe, train_classifier


@dataclass(frozen=True)
class FineTuneConfig(SupervisedRecipe):
    # Which of the source paradigm's configs made the encoder: its full one, or the tiny one the
    # test profile and the dry run use (a tiny fine-tune on a full pretraining would take minutes).
    encoder_profile: str = "full"

    # The parent's smaller configs keep this class (dataclasses.replace builds type(self)); the
    # casts tell the type checker so.
    def for_tests(self) -> "FineTuneConfig":
        return replace(cast(FineTuneConfig, SupervisedRecipe.for_tests(self)), encoder_profile="tests")

    def for_dry_run(self) -> "FineTuneConfig":
        return replace(cast(FineTuneConfig, SupervisedRecipe.for_dry_run(self)), encoder_profile="dry_run")


def source_config(source: str, profile: str):
    config = get_paradigm(source).load().Config()
    if profile == "tests":
        return config.for_tests()
    return config.for_dry_run() if profile == "dry_run" else config


def pretrained_encoder(task: PointTask, profile: str, *, progress: bool = False) -> tuple[nn.Module, float]:
    """A copy of the encoder this row starts from (its source paradigm's, same seed and pool) and
    the seconds its pretraining took."""
    source = get_paradigm(task.paradigm).encoder_from
    if source is None:
        raise ValueError(f"The paradigm '{task.paradigm}' names no encoder to start from (encoder_from).")
    module = get_paradigm(source).load()
    source_task, config = replace(task, paradigm=source), source_config(source, profile)
    encoder, seconds = module.pretrained_encoder(source_task, config, progress=progress)
    encoder = copy.deepcopy(encoder).train()
    for parameter in encoder.parameters():  # the probe rows froze the shared network
        parameter.requires_grad_(True)
    return encoder, seconds


def train_fine_tuned(task: PointTask, config: FineTuneConfig, *, progress: bool = False) -> TrainedPoint:
    encoder, pretrain_seconds = pretrained_encoder(task, config.encoder_profile, progress=progress)
    trained = train_classifier(task, config, progress=progress, encoder=encoder)
    # The pretraining serves every fraction of its seed (and the probe rows): each point carries
    # its share of it, as the probe rows do.
    trained.train_seconds += pretrain_seconds / len(fractions_for_seed(task.seed))
    trained.extra_metrics["pretrain_seconds"] = round(pretrain_seconds, 2)
    return trained
