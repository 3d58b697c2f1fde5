"""BatchNorm's running statistics measured again after training, on the inputs the network will meet.

A network's BatchNorm layers keep running averages of the batches it trained on, and use them
at test time. When those batches were not what the shipped network will meet (FixMatch's mix of
labelled digits and heavily cut-out copies; the semi-supervised GAN's generated digits; a GAN
generator whose averaged weights never ran in training), the averages are off and every input
is normalised wrongly. Re-measuring them costs one pass over such inputs and changes no weight.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch


@contextmanager
def measuring_batchnorm(model: torch.nn.Module) -> Iterator[None]:
    """Inside: every forward pass of ``model`` adds to a plain average of its BatchNorm
    statistics, started afresh. After: the usual exponential average again, evaluation mode."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # a cumulative average over the passes, not an exponential one
    model.train()
    try:
        yield
    finally:
        for norm in norms:
            norm.momentum = 0.1
        model.eval()


@torch.no_grad()
def recalibrate_on_clean(classifier: torch.nn.Module, images: torch.Tensor, batch_size: int = 500) -> None:
    """Replace the running statistics of every BatchNorm layer by their plain average over
    ``images`` (N, 1, 28, 28), the pool's images as they are (no augmentation, no label);
    leaves the classifier in evaluation mode."""
    with measuring_batchnorm(classifier):
        for start in range(0, len(images), batch_size):
            classifier(images[start : start + batch_size])
