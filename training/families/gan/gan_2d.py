"""The 2-D GAN of the GAN page's "game made visible": a generator of points and a discriminator of
points on a ring of eight clusters, trained in seconds and recorded at every moment the page
plays back (training/families/gan/gan_2d_training.py holds the networks, the loop and the recording).

Not a label-fraction classifier and not trained on the digits: the study trains it once (the
shipped seed) and ships one recording file, listed under ``gan_2d_recordings`` in the manifest.

    python -m training study --paradigm gan_2d
"""

from __future__ import annotations

from dataclasses import dataclass

from training.families.gan.gan_2d_training import Gan2dConfig, recording_npz, train_gan_2d

GAN_NAME = "gan_2d"
RECORDINGS_LIST = "gan_2d_recordings"


@dataclass(frozen=True)
class Config(Gan2dConfig):
    pass


def recording_file(seed: int) -> str:
    return f"gan/{GAN_NAME}-seed{seed}-recording.npz"


def make_artifacts(context, *, progress: bool = False) -> list:
    """``context`` (training.study.ArtifactContext): only its seed, config and common facts are
    read; the points come from the ring, not from the data set."""
    from training.bundle_writer import BundleFile

    config = context.config
    recording = train_gan_2d(config, context.seed)
    start, end = recording.mean_distance_to_ring(config.ring_radius)
    # The data set is not part of this model: the entry names none, so the page finds it on
    # every data set.
    common = {key: value for key, value in context.common.items() if key not in ("dataset", "preprocessing")}
    entry = {
        **common,
        "id": f"{GAN_NAME}-seed{context.seed}",
        "file": recording_file(context.seed),
        "train_seconds": round(recording.train_seconds, 2),
        "moments": int(len(recording.steps)),
        "grid_size": config.grid_size,
        "ring_radius": config.ring_radius,
        "mean_distance_to_ring": {"first": round(start, 4), "last": round(end, 4)},
    }
    if progress:
        print(f"{GAN_NAME}: {config.steps} steps in {recording.train_seconds:.1f} s, "
              f"distance to the ring {start:.2f} -> {end:.2f}")
    return [BundleFile(entry=entry, list_name=RECORDINGS_LIST,
                       files={entry["file"]: recording_npz(recording, config)})]
