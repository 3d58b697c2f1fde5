"""What the five self-supervised paradigms share: pretraining once per seed, the linear probe.

A pretext task makes its own labels from the pool's images (which rotation was applied, where a
piece was cut, in which order the frames were shuffled...), so the encoder it trains never sees
a human label and does not depend on the label fraction. It is therefore trained once per
(paradigm, config, pool, seed) and kept on disk; the seven fractions of that seed reuse it and only
fit their own probe: logistic regression on the frozen features of the labelled subset (docs/design.md).

A paradigm module gives a ``Config`` (subclass of ``PretextConfig``), a ``build(config)`` that
makes its ``PretextNetwork`` and a ``loss(network, images, generator, config)`` for one batch of
pool images; ``train_point`` here does the rest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from training.companions import FrozenEncoder
from training.frozen_probe import PROBE_CS, PROBE_READERS, pool_in_pool_order, probe_on_chosen_reader
from training.optimisation import OneCycleAdamW
from training.point import PointTask, TrainedPoint
from training.precision import use_bfloat16
from training.train_cache import cached, code_fingerprint


@dataclass(frozen=True)
class PretextConfig:
    """Fields every pretext paradigm has; each paradigm adds its own and sets its defaults.

    Steps and batch are set by the budget (21 points in under 30 minutes on 2 cores, that is three
    pretrainings of 5 to 8 minutes each plus 21 probes), not by accuracy on any held-out set."""
    steps: int = 3000
    batch_size: int = 256
    learning_rate: float = 3e-3  # one-cycle peak
    weight_decay: float = 5e-4
    bfloat16: bool = True  # autocast + channels-last: a step 2.7x faster on this CPU (AMX)
    # The probe: logistic regression on standardised frozen features. ``probe_copies`` lightly
    # warped copies of each labelled digit go in with it (the same warps as the supervised
    # baseline's augmentation). Which features it reads (conv blocks kept, pooled grid side) and
    # C (scikit-learn's inverse L2 strength) are chosen per encoder on the validation split
    # (training/frozen_probe.py), among these candidates fixed in advance.
    probe_cs: tuple[float, ...] = PROBE_CS
    probe_readers: tuple[tuple[int, int], ...] = PROBE_READERS
    probe_copies: int = 8
    # BatchNorm's statistics measured again on the pool's clean digits before the probe reads
    # the encoder (training/frozen_probe.py): the pretext batches were rotated, cut, warped or
    # masked, and the probe reads clean digits. Fixed in advance, not piloted.
    probe_batchnorm_on_clean_pool: bool = True

    def for_tests(self):
        from dataclasses import replace

        return replace(self, steps=40, batch_size=64, probe_copies=2)

    def for_dry_run(self):
        from dataclasses import replace

        return replace(self, steps=1, batch_size=8, probe_copies=0)


class PretextNetwork(nn.Module):
    """The shared encoder plus the pretext's own head. ``forward`` is what ships as the pretext
    model (the dashboard runs it on the free pairs it makes); ``encoder`` is what the probe reads."""

    encoder: nn.Module
    input_name: str = "pretext_input"
    output_name: str = "pretext_output"

    def example_input(self, images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        raise NotImplementedError

    def facts(self) -> dict:
        """What the dashboard needs to make this task's inputs and read its outputs."""
        raise NotImplementedError

    def evaluate(self, images: torch.Tensor, generator: torch.Generator) -> dict:
        """The pretext task's score on (test) images, with its chance level: no label is used."""
        raise NotImplementedError


@dataclass
class Pretrained:
    network: PretextNetwork
    pretrain_seconds: float
    steps: int
    final_loss: float
    from_cache: bool = False
    history: list[tuple[int, float]] = field(default_factory=list)  # (step, loss) every 50 steps

    @property
    def encoder(self) -> nn.Module:
        return self.network.encoder


def _code_fingerprint(paradigm: str) -> str:
    """The source of everything that shapes a pretraining: an edited loss or augmentation must
    not reuse a network cached before the edit."""
    here = Path(__file__).resolve().parent
    core = here.parent.parent
    return code_fingerprint([here / f"{paradigm}.py", here / "pretext_training.py", core / "frozen_probe.py",
                             core / "backbone.py", core / "augment.py", core / "optimisation.py",
                             core.parent / "paradigm_lab" / "pretext_tasks.py"])


def _cache_key(task: PointTask, config: PretextConfig, pool: torch.Tensor) -> str:
    pretext_fields = {k: v for k, v in asdict(config).items() if not k.startswith("probe_")}
    text = json.dumps({"paradigm": task.paradigm, "config": pretext_fields, "seed": task.seed,
                       "torch": torch.__version__, "code": _code_fingerprint(task.paradigm)}, sort_keys=True)
    digest = hashlib.sha256(text.encode())
    digest.update(pool.numpy().tobytes())
    return f"{task.paradigm}-{task.dataset_name}-seed{task.seed}-{digest.hexdigest()[:16]}"


def pretrain(task: PointTask, config: PretextConfig, build: Callable[[PretextConfig], PretextNetwork],
             loss_fn: Callable, *, progress: bool = False) -> Pretrained:
    """The pretext network for this (paradigm, config, pool, seed): from the cache, or trained
    now and cached. A file lock makes a second worker wait for the first rather than train the
    same network twice."""
    pool = pool_in_pool_order(task)

    def train() -> tuple[Pretrained, dict]:
        pretrained = _train_pretext(task, config, build, loss_fn, pool, progress=progress)
        return pretrained, {"state": pretrained.network.state_dict(), "seconds": pretrained.pretrain_seconds,
                            "steps": pretrained.steps, "final_loss": pretrained.final_loss,
                            "history": pretrained.history}

    def restore(saved: dict) -> Pretrained:
        network = build(config)
        network.load_state_dict(saved["state"])
        return Pretrained(network.eval(), saved["seconds"], saved["steps"], saved["final_loss"], True,
                          saved.get("history", []))

    return cached(_cache_key(task, config, pool), train, restore)


def _train_pretext(task, config, build, loss_fn, pool: torch.Tensor, *, progress: bool) -> Pretrained:
    started = time.perf_counter()
    torch.manual_seed(task.seed)
    generator = torch.Generator().manual_seed(task.seed)
    network = build(config)
    if use_bfloat16(config):
        network = network.to(memory_format=torch.channels_last)
    optimiser = OneCycleAdamW(network.parameters(), learning_rate=config.learning_rate,
                              weight_decay=config.weight_decay, steps=config.steps)
    network.train()
    history, recent = [], []
    for step in tqdm(range(config.steps), desc=f"{task.paradigm} pretext, seed {task.seed}", disable=not progress):
        batch = pool[torch.randint(0, len(pool), (config.batch_size,), generator=generator)]
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if use_bfloat16(config) else contextlib.nullcontext()
        with autocast:
            loss = loss_fn(network, batch, generator, config)
        optimiser.step(loss)
        recent.append(float(loss.detach()))
        if (step + 1) % 50 == 0 or step + 1 == config.steps:
            history.append((step + 1, float(np.mean(recent))))
            recent = []
    network = network.to(memory_format=torch.contiguous_format).eval()
    final = history[-1][1] if history else float("nan")
    return Pretrained(network, time.perf_counter() - started, config.steps, final, False, history)


def pretrained_encoder(task: PointTask, config: PretextConfig, build, loss_fn, *,
                       progress: bool = False) -> tuple[nn.Module, float]:
    """The encoder the probe rows read whole, and its pretraining seconds: what a fine-tune row
    (training/finetuning.py) starts from. Each pretext module passes its ``build`` and ``loss``."""
    pretrained = pretrain(task, config, build, loss_fn, progress=progress)
    return pretrained.encoder, pretrained.pretrain_seconds


def train_point(task: PointTask, config: PretextConfig, build, loss_fn, *, progress: bool = False) -> TrainedPoint:
    """Pretrain (or reuse) the encoder of this seed, then fit this fraction's probe on it."""
    pretrained = pretrain(task, config, build, loss_fn, progress=progress)
    started = time.perf_counter()
    generator = torch.Generator().manual_seed(task.seed + 1)
    encoder = pretrained.network.encoder
    for parameter in encoder.parameters():
        parameter.requires_grad_(False)
    classifier, reader, choice = probe_on_chosen_reader(encoder, task, config, generator)
    probe_seconds = time.perf_counter() - started
    # The pretraining serves every fraction of this seed: each point carries its share of it, so
    # the rows of the results table add up to the real compute.
    from training.data import fractions_for_seed

    seconds = probe_seconds + pretrained.pretrain_seconds / len(fractions_for_seed(task.seed))
    metrics = {"pretrain_seconds": round(pretrained.pretrain_seconds, 2), "probe_seconds": round(probe_seconds, 2),
               "pretext_final_loss": round(pretrained.final_loss, 5), **choice.as_metrics()}
    return TrainedPoint(classifier=classifier, train_seconds=seconds,
                        extra_metrics=metrics, companions=[FrozenEncoder(pretrained, reader)])
