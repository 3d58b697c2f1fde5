"""The optimiser every CNN paradigm shares: AdamW under a one-cycle learning rate.

One place for it, so the baseline and the methods it is compared with cannot drift apart: a
constant rate made accuracy at 1 % drift 2-5 points between checkpoints (docs/design.md).
"""

from __future__ import annotations

from typing import Iterable

import torch


class OneCycleAdamW:
    """``optimiser.step(loss)``: one gradient step, then the schedule moves on."""

    def __init__(self, parameters: Iterable[torch.nn.Parameter], *, learning_rate: float, weight_decay: float,
                 steps: int) -> None:
        self.optimizer = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=weight_decay)
        self.schedule = torch.optim.lr_scheduler.OneCycleLR(self.optimizer, learning_rate, total_steps=steps,
                                                            pct_start=0.15)

    def step(self, loss: torch.Tensor) -> None:
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        self.schedule.step()
