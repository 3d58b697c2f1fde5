"""BatchNorm's running statistics measured again on clean digits, after training.

A classifier's BatchNorm layers keep running averages of the batches it trained on, and use them
at test time. When those batches were not what the shipped classifier will meet (FixMatch's
mix of labelled digits and heavily cut-out copies; the semi-supervised GAN's generated digits),
the averages are off and every test digit is normalised wrongly. Re-measuring them on the pool's
images as they are (no augmentation, no label) costs one pass over the pool and changes no
weight.
"""

from __future__ import annotations

import torch


@torch.no_grad()
def recalibrate_on_clean(classifier: torch.nn.Module, images: torch.Tensor, batch_size: int = 500) -> None:
    """Replace the running statistics of every BatchNorm layer by their plain average over
    ``images`` (N, 1, 28, 28); leaves the classifier in evaluation mode."""
    norms = [m for m in classifier.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # a cumulative average over the pool, not an exponential one
    classifier.train()
    for start in range(0, len(images), batch_size):
        classifier(images[start : start + batch_size])
    for norm in norms:
        norm.momentum = 0.1
    classifier.eval()
