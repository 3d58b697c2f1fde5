"""Networks trained once and kept on disk, for the paradigms whose costly training does not
depend on the label fraction: a self-supervised encoder, a GAN. The seven fractions of a seed
(often running in two worker processes at once) share one training.

The key names everything that shapes the network (config, data, seed, torch version, the source
files that define it and the arithmetic it trained in), so an edited loss never reuses a network
cached before the edit, and a float32 study never starts from a network trained in bfloat16.
A file lock makes a second worker wait for the first rather than train the same network twice;
the file is written beside, then renamed, and a file a killed run left unreadable is trained again.
Inside ``elsewhere_is_an_error()`` a worker does not wait: it raises ``TrainingElsewhere``, so the
study can give it other points while the network is being trained.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import torch

from training.precision import native_bfloat16

CACHE_ENVIRONMENT_VARIABLE = "PARADIGM_LAB_PRETRAIN_CACHE"
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / "build" / "pretrained"

Trained = TypeVar("Trained")


class TrainingElsewhere(Exception):
    """Another process is training this network now (raised only inside ``elsewhere_is_an_error``)."""


_raise_when_elsewhere = False  # per process: a study worker runs one point at a time


@contextmanager
def elsewhere_is_an_error() -> Iterator[None]:
    global _raise_when_elsewhere
    before, _raise_when_elsewhere = _raise_when_elsewhere, True
    try:
        yield
    finally:
        _raise_when_elsewhere = before


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENVIRONMENT_VARIABLE) or DEFAULT_CACHE)


def code_fingerprint(files: list[Path]) -> str:
    """A digest of the source files that define a training (missing ones are skipped)."""
    return hashlib.sha256(b"".join(f.read_bytes() for f in files if f.exists())).hexdigest()[:16]


def cached(key: str, train: Callable[[], tuple[Trained, dict]], restore: Callable[[dict], Trained]) -> Trained:
    """``restore(saved)`` from the cache file ``key``, or ``train()`` now, which returns the
    trained object and the dict to save for it."""
    # Where the processor computes bfloat16, the configs that ask for it train in it (training/
    # precision.py), and PARADIGM_LAB_BFLOAT16=0 turns that off; the two networks differ, so they
    # are kept apart. The float32 key keeps the plain name, so the float32 rerun's cached networks
    # stay valid (docs/study.md); a network a bfloat16 run cached before this line also has a
    # plain name, and only a cache folder from before it could still hand one to a float32 run.
    if native_bfloat16():
        key = f"{key}-bfloat16"
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{key}.pt"
    with open(cache / f"{key}.lock", "w") as lock:
        _lock(lock, key, finished=path)
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


def _lock(lock, key: str, finished: Path) -> None:
    # A finished file is only read under the lock, which takes a moment: wait for that.
    if not _raise_when_elsewhere or finished.exists():
        fcntl.flock(lock, fcntl.LOCK_EX)
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if not finished.exists():
            raise TrainingElsewhere(key) from None
        fcntl.flock(lock, fcntl.LOCK_EX)
