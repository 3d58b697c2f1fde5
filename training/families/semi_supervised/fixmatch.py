"""Consistency (FixMatch, Sohn et al. 2020): a confident guess on a lightly warped unlabelled digit
becomes the target for a heavily distorted copy of the same digit.

Each step sees a batch of labelled digits (ordinary cross-entropy) and ``unlabelled_ratio`` times
as many unlabelled ones. For each unlabelled digit the model first guesses on a light warp,
without gradient; where that guess is at least ``threshold`` confident, the model is trained to
give the same answer on a strong distortion (bigger warp plus a blacked-out square). Early on
few guesses pass the bar, so the few labels lead; as the model improves, more of the pool joins.

When the pool has no unlabelled digit left (100 % labels) this is the supervised baseline.

    python -m training train fixmatch --fraction 0.01 --seed 0
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from training.augment import random_affine, strong_augment
from training.backbone import Classifier, make_encoder
from training.batchnorm_statistics import recalibrate_on_clean
from training.companions import PSEUDO_LABEL_LOG, PseudoLabelLog
from training.optimisation import OneCycleAdamW
from training.point import PointTask, TrainedPoint, read_guesses
from training.precision import use_bfloat16

# What its shipped points need beyond the classifier: the run's pseudo-label log (and the pool map).
point_shipping = PSEUDO_LABEL_LOG


@dataclass(frozen=True)
class Config:
    # Fixed before the study, identical at every fraction. To fit 21 points in 30 minutes on
    # 2 cores: 1,000 steps, 4 unlabelled digits per labelled one (the paper uses 7 and ~1M
    # steps), and bfloat16 autocast with channels-last tensors, which runs the step 2.7x faster
    # on this CPU (AMX) than float32. What the shorter run costs: docs/study.md, "Results"
    # (FixMatch run twice as long).
    steps: int = 1000
    batch_size: int = 64  # labelled digits per step
    unlabelled_ratio: int = 4  # mu: unlabelled digits per labelled digit in a step
    threshold: float = 0.95  # the paper's confidence bar
    unlabelled_weight: float = 1.0
    learning_rate: float = 5e-3  # one-cycle peak, as the supervised baseline
    weight_decay: float = 5e-4
    # None, as in the paper: smoothing would cap the confidence on labelled digits near 0.91,
    # below the bar, so only the first classes whose guesses crossed 0.95 would teach the pool.
    label_smoothing: float = 0.0
    bfloat16: bool = True
    # BatchNorm's statistics measured again after training on the pool's clean images: in
    # training they averaged batches of 64 labelled digits and 256 heavily cut-out copies, which
    # the shipped classifier never meets (issue #16 re-measured seed 0 this way: 1 % from 92.4
    # to 96.1 %). A correction of the statistics, not a setting chosen on any score.
    batchnorm_on_clean_pool: bool = True
    log_every: int = 100  # steps between two readings of the guesses on the whole pool

    def for_tests(self) -> "Config":
        return replace(self, steps=150, batch_size=32, unlabelled_ratio=2, log_every=50)

    def for_dry_run(self) -> "Config":
        return replace(self, steps=1, batch_size=8, unlabelled_ratio=1, log_every=1)


def train_point(task: PointTask, config: Config, *, progress: bool = False,
                encoder: nn.Module | None = None, classifier: nn.Module | None = None) -> TrainedPoint:
    """``encoder``: weights to start from (``contrastive_fixmatch``) under a fresh head; freshly
    initialised when None. ``classifier``: a whole network to start from, head included."""
    started = time.perf_counter()
    torch.manual_seed(task.seed)
    generator = torch.Generator().manual_seed(task.seed)
    if classifier is None:
        classifier = Classifier(make_encoder() if encoder is None else encoder, task.num_classes)
    classifier = classifier.to(memory_format=torch.channels_last)  # type: ignore[call-overload]  # Module.to takes memory_format at run time; the stubs omit it
    optimiser = OneCycleAdamW(classifier.parameters(), learning_rate=config.learning_rate,
                              weight_decay=config.weight_decay, steps=config.steps)

    images, targets = task.labelled_images, task.labelled_targets
    unlabelled = task.unlabelled_images
    n_unlabelled = config.batch_size * config.unlabelled_ratio if len(unlabelled) else 0
    rounds = []
    passed_total = seen_total = 0
    classifier.train()
    for step in tqdm(range(config.steps), desc=f"{task.paradigm} {task.label_fraction:.0%}", disable=not progress):
        if n_unlabelled and step % config.log_every == 0:
            rounds.append(read_guesses(classifier, unlabelled, step=step, threshold=config.threshold))
        batch = torch.randint(0, len(images), (config.batch_size,), generator=generator)
        labelled_inputs = random_affine(images[batch], generator)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bfloat16(config)):
            if n_unlabelled:
                picked = unlabelled[torch.randint(0, len(unlabelled), (n_unlabelled,), generator=generator)]
                weak, strong = random_affine(picked, generator), strong_augment(picked, generator)
                with torch.no_grad():
                    guesses = classifier(weak.contiguous(memory_format=torch.channels_last)).float().softmax(dim=1)
                confidence, pseudo_targets = guesses.max(dim=1)
                mask = (confidence >= config.threshold).float()
                # Labelled and strong copies in one forward pass: BatchNorm sees both together.
                inputs = torch.cat([labelled_inputs, strong]).contiguous(memory_format=torch.channels_last)
                logits = classifier(inputs).float()
                supervised_loss = F.cross_entropy(logits[: config.batch_size], targets[batch],
                                                  label_smoothing=config.label_smoothing)
                consistency = (F.cross_entropy(logits[config.batch_size :], pseudo_targets, reduction="none") * mask).mean()
                loss = supervised_loss + config.unlabelled_weight * consistency
                passed_total += int(mask.sum())
                seen_total += n_unlabelled
            else:
                logits = classifier(labelled_inputs.contiguous(memory_format=torch.channels_last)).float()
                loss = F.cross_entropy(logits, targets[batch], label_smoothing=config.label_smoothing)
        optimiser.step(loss)
    classifier = classifier.to(memory_format=torch.contiguous_format).eval()  # type: ignore[call-overload]  # Module.to takes memory_format at run time; the stubs omit it
    if config.batchnorm_on_clean_pool:
        recalibrate_on_clean(classifier, task.pool_images)
    if n_unlabelled:
        rounds.append(read_guesses(classifier, unlabelled, step=config.steps, threshold=config.threshold))
    metrics = {"mean_fraction_of_unlabelled_used": passed_total / seen_total} if seen_total else {}
    return TrainedPoint(classifier=classifier, train_seconds=time.perf_counter() - started,
                        extra_metrics=metrics, companions=[PseudoLabelLog(rounds)])
