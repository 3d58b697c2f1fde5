"""Networks trained once and kept on disk, for the paradigms whose costly training does not
depend on the label fraction: a self-supervised encoder, a GAN. The seven fractions of a seed
(often running in two worker processes at once) share one training.

The key names everything that shapes the network (config, data, seed, torch version and the
source files that define it), so an edited loss never reuses a network cached before the edit.
A file lock makes a second worker wait for the first rather than train the same network twice;
the file is written beside, then renamed, and a file a killed run left unreadable is trained again.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
from pathlib import Path
from typing import Callable, TypeVar

import torch

CACHE_ENVIRONMENT_VARIABLE = "PARADIGM_LAB_PRETRAIN_CACHE"
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / "build" / "pretrained"

Trained = TypeVar("Trained")


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENVIRONMENT_VARIABLE) or DEFAULT_CACHE)


def code_fingerprint(files: list[Path]) -> str:
    """A digest of the source files that define a training (missing ones are skipped)."""
    return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.exists())).hexdigest()[:16]


def cached(key: str, train: Callable[[], tuple[Trained, dict]], restore: Callable[[dict], Trained]) -> Trained:
    """``restore(saved)`` from the cache file ``key``, or ``train()`` now, which returns the
    trained object and the dict to save for it."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{key}.pt"
    with open(cache / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            try:
                return restore(torch.load(path, weights_only=False))
            except Exception:  # a cache file from a killed run: train again
                path.unlink(missing_ok=True)
        trained, saved = train()
        buffer = io.BytesIO()
        torch.save(saved, buffer)
        temporary = path.with_suffix(".pt.tmp")
        temporary.write_bytes(buffer.getvalue())
        temporary.replace(path)
        return trained
