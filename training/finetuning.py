"""Fine-tuning a pretrained encoder: the evaluation the field uses beside the frozen probe.

The probe (training/frozen_probe.py) asks what an encoder learned without labels, as it is. Fine-
tuning asks what that learning is worth as a starting point: the whole network trains on the
labelled digits with the supervised baseline's recipe, unchanged (same steps, rate, warps,
smoothing). It starts from the probe row's classifier: the layer the probe reads (chosen on
validation) and the probe's head, fitted on the same labels ("LP-FT", Kumar et al. 2022). With a
fresh head instead, the first large gradients of a random head rewrote the pretrained features:
on the validation digits (contrastive, 1 %, seed 1) the fresh-head fine-tune scored 83.2 %, below
the frozen probe's 87.4 %, and the fine-tune from the probe 91.2 % (docs/study.md).

The pretraining is the probe rows' own (the same cache: one pretraining per encoder and seed), so
a fine-tune row costs one probe and one supervised training per point. The registry entry names
the encoder (``encoder_from``), whose module gives ``pretrained_encoder(task, config, progress=...)``.
The family modules ``self_supervised/finetune.py`` and ``gan/gan_finetune.py`` are these rows;
``contrastive_fixmatch`` starts FixMatch the same way.

    python -m training train contrastive_finetune --fraction 0.01 --seed 0
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, replace
from typing import cast

import torch
from torch import nn

from training.data import fractions_for_seed
from training.point import PointTask, TrainedPoint
from training.registry import get_paradigm
from training.supervised_recipe import SupervisedRecipe, train_classifier


@dataclass(frozen=True)
class FineTuneConfig(SupervisedRecipe):
    # Each convolution feeding a BatchNorm starts at the weight norm of a freshly initialised one
    # (``at_fresh_weight_scale``): the same function, and the recipe's learning rate means what it
    # means for ``supervised``.
    fresh_weight_scale: bool = True
    # Start from the probe row's classifier (the reader chosen on validation and the probe's head,
    # fitted on these labels), then train every weight: "LP-FT", Kumar et al. 2022, who found that
    # a fresh head's first, large gradients distort the pretrained features.
    start_from_probe: bool = True
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


def at_fresh_weight_scale(network: nn.Module) -> nn.Module:
    """Rescale, in place, every convolution that feeds a BatchNorm to the norm a fresh one has.

    BatchNorm makes such a layer blind to the scale of its weights, but not its training: a step
    of gradient descent moves them by about rate / norm^2 (Hoffer et al. 2018, "Norm matters";
    van Laarhoven 2017). Contrastive pretraining leaves the deeper convolutions about 2.3 times
    their initial norm, so the supervised recipe's rate acted about 5 times smaller on them.
    Scaling the weight and the BatchNorm's running mean by c, and its running variance by c^2,
    changes no output. PyTorch's default initialisation draws each weight uniformly within
    1/sqrt(fan_in), so a fresh layer's squared norm is about out_channels / 3. Measured on the
    validation digits it is a small correction (contrastive, 1 %, seed 1: 84.4 % against 83.2 %
    with a fresh head, 91.2 % against 91.0 % from the probe), kept since it is the recipe's own scale."""
    for module in network.modules():
        children = list(module.children())
        for layer, norm in zip(children, children[1:]):
            if not (isinstance(layer, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d) and layer.bias is None):
                continue
            with torch.no_grad():
                scale = (layer.out_channels / 3) ** 0.5 / float(layer.weight.norm())
                layer.weight.mul_(scale)
                if norm.running_mean is not None and norm.running_var is not None:
                    norm.running_mean.mul_(scale)
                    norm.running_var.mul_(scale**2)
    return network


def pretrained_encoder(task: PointTask, profile: str, *, progress: bool = False,
                       fresh_weight_scale: bool = False) -> tuple[nn.Module, float]:
    """A copy of the encoder this row starts from (its source paradigm's, same seed and pool) and
    the seconds its pretraining took; ``fresh_weight_scale``: see ``at_fresh_weight_scale``."""
    source = get_paradigm(task.paradigm).encoder_from
    if source is None:
        raise ValueError(f"The paradigm '{task.paradigm}' names no encoder to start from (encoder_from).")
    module = get_paradigm(source).load()
    source_task, config = replace(task, paradigm=source), source_config(source, profile)
    encoder, seconds = module.pretrained_encoder(source_task, config, progress=progress)
    encoder = copy.deepcopy(encoder).train()
    for parameter in encoder.parameters():  # the probe rows froze the shared network
        parameter.requires_grad_(True)
    if fresh_weight_scale:
        at_fresh_weight_scale(encoder)
    return encoder, seconds


def probe_to_start_from(task: PointTask, encoder: nn.Module, profile: str):
    """The source paradigm's probe on ``encoder`` for these labels, made as its probe row makes
    it (reader and C chosen on validation, clean BatchNorm statistics, the same generator), with
    every weight trainable: the network a fine-tune that starts from the probe trains."""
    from training.frozen_probe import probe_on_chosen_reader

    source = get_paradigm(task.paradigm).encoder_from
    assert source is not None
    generator = torch.Generator().manual_seed(task.seed + 1)  # as the probe rows
    classifier, _, choice = probe_on_chosen_reader(encoder, task, source_config(source, profile), generator)
    for parameter in classifier.parameters():
        parameter.requires_grad_(True)
    return classifier.train(), choice


@dataclass
class StartingPoint:
    """What a row that starts from a pretrained encoder trains: the probe row's classifier
    (``classifier``) or the encoder under a fresh head (``encoder``), and what it cost."""
    encoder: nn.Module | None
    classifier: nn.Module | None
    pretrain_seconds: float
    probe_seconds: float
    metrics: dict

    def charge(self, trained: TrainedPoint, task: PointTask) -> TrainedPoint:
        # The pretraining serves every fraction of its seed (and the probe rows): each point
        # carries its share of it, as the probe rows do.
        trained.train_seconds += self.probe_seconds + self.pretrain_seconds / len(fractions_for_seed(task.seed))
        trained.extra_metrics.update(self.metrics, pretrain_seconds=round(self.pretrain_seconds, 2))
        return trained


def starting_point(task: PointTask, profile: str, *, fresh_weight_scale: bool, start_from_probe: bool,
                   progress: bool = False) -> StartingPoint:
    # Rescaled after the probe when it starts from one: the probe must be the probe row's own.
    encoder, pretrain_seconds = pretrained_encoder(task, profile, progress=progress,
                                                   fresh_weight_scale=fresh_weight_scale and not start_from_probe)
    if not start_from_probe:
        return StartingPoint(encoder, None, pretrain_seconds, 0.0, {})
    started = time.perf_counter()
    classifier, choice = probe_to_start_from(task, encoder, profile)
    if fresh_weight_scale:
        at_fresh_weight_scale(classifier)
    return StartingPoint(None, classifier, pretrain_seconds, time.perf_counter() - started, choice.as_metrics())


def train_fine_tuned(task: PointTask, config: FineTuneConfig, *, progress: bool = False) -> TrainedPoint:
    start = starting_point(task, config.encoder_profile, fresh_weight_scale=config.fresh_weight_scale,
                           start_from_probe=config.start_from_probe, progress=progress)
    trained = train_classifier(task, config, progress=progress, encoder=start.encoder, classifier=start.classifier)
    return start.charge(trained, task)
