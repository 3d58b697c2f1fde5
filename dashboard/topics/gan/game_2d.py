"""The GAN page's "game made visible": reading the 2-D GAN's recorded training and the facts the
page says about it.

training/families/gan/gan_2d_training.py trains a generator of points and a discriminator of points on a ring of
eight clusters and records, at each moment, the fake points, the discriminator's verdict on a
grid and the generator's push on each point. This module loads that recording (checked against
the manifest's SHA-256, no pickles) and computes, from the recording itself, every number the
page puts in a sentence: how far the fake points are from the ring at the start and at the end,
how many clusters they reach, what the discriminator believes. The page says nothing that these
numbers do not show.

Nothing here imports streamlit or torch: tests/test_dashboard_gan_2d.py calls it directly and
dashboard/topics/gan/gan_figures.py draws the figure.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dashboard.core import bundle_reader as bundle
from dashboard.core.bundle_reader import BundleError, Gan2dRecordingInfo, Manifest, paradigm_study_command
from dashboard.topics.gan.digit_gans import FOOLED_GAP

PARADIGM = "gan_2d"
# A fake point "reaches" a cluster when it lies this close to its centre: about four times the
# clusters' spread (0.08), a third of the gap between two neighbouring centres (1.53 on a ring of
# radius 2), so a point between two clusters counts for neither.
NEAR_CLUSTER = 0.5
# A cluster counts as reached when at least this share of the followed points sits near it (one
# point passing by is not the generator drawing that cluster).
CLUSTER_SHARE = 0.02
# The arrows: the longest push (95th percentile over the whole recording, so one outlier does
# not shrink the others) is drawn this long, in the plane's units; none is drawn longer.
ARROW_LENGTH = 0.45
# "Both close to 50 %, it can hardly tell them apart": each mean belief within this of one half,
# and the two within gan.FOOLED_GAP of each other (the digit timeline's rule).
HALF_MARGIN = 0.1


class Gan2dDataError(BundleError):
    """The 2-D GAN's recording is missing, changed or malformed."""


def build_command() -> str:
    return paradigm_study_command(PARADIGM)


def recording_entry(manifest: Manifest) -> Gan2dRecordingInfo | None:
    """The shipped recording, the lowest seed if several ship."""
    return min(manifest.gan_2d_recordings, key=lambda entry: (entry.seed or 0, entry.id), default=None)


@dataclass(frozen=True)
class Gan2dRecording:
    steps: np.ndarray  # (K,) int64, increasing, 0 first
    real_points: np.ndarray  # (R, 2) float32: the fixed sample of the ring
    centres: np.ndarray  # (C, 2) float32: the clusters' centres
    grid: np.ndarray  # (G,) float32: the verdict's coordinates on both axes
    fake_points: np.ndarray  # (K, N, 2) float32: the generator's points on the fixed noise
    verdict: np.ndarray  # (K, G, G) float32 in [0, 1]: P(real); row i is y = grid[i]
    push: np.ndarray  # (K, A, 2) float32: the push on the first A fake points
    mean_real_on_real: np.ndarray  # (K,) float32
    mean_real_on_fake: np.ndarray  # (K,) float32
    ring_radius: float

    @property
    def moments(self) -> int:
        return len(self.steps)


def load_recording(bundle_directory: Path, entry: Gan2dRecordingInfo) -> Gan2dRecording:
    """The recording, checked against the manifest's SHA-256 and for its shapes (read-only
    float32 arrays), or a Gan2dDataError naming the file and the command that rebuilds it."""
    values = {"path": entry.file, "command": build_command()}
    path = (bundle_directory / entry.file).resolve()
    if not path.is_relative_to(bundle_directory.resolve()) or not path.is_file():
        raise Gan2dDataError("error.gan_2d_missing", **values)
    invalid = Gan2dDataError("error.gan_2d_invalid", **values)
    try:
        if entry.sha256 is not None and bundle.file_sha256(path) != entry.sha256:
            raise invalid
        # allow_pickle=False: a damaged or hostile file must not run code on load.
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: np.asarray(archive[name]) for name in archive.files}
    except OSError as error:
        raise Gan2dDataError("error.gan_2d_missing", **values) from error
    except (ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        raise invalid from error
    try:
        recording = Gan2dRecording(
            steps=arrays["steps"].astype(np.int64),
            real_points=arrays["real_points"].astype(np.float32),
            centres=arrays["centres"].astype(np.float32),
            grid=arrays["grid"].astype(np.float32),
            fake_points=arrays["fake_points"].astype(np.float32),
            verdict=arrays["verdict"].astype(np.float32),
            push=arrays["push"].astype(np.float32),
            mean_real_on_real=arrays["mean_real_on_real"].astype(np.float32),
            mean_real_on_fake=arrays["mean_real_on_fake"].astype(np.float32),
            ring_radius=float(arrays["ring_radius"]),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise invalid from error
    if not _well_formed(recording):
        raise invalid
    for array in (recording.steps, recording.real_points, recording.centres, recording.grid,
                  recording.fake_points, recording.verdict, recording.push,
                  recording.mean_real_on_real, recording.mean_real_on_fake):
        array.setflags(write=False)
    return recording


def _well_formed(recording: Gan2dRecording) -> bool:
    moments, grid = len(recording.steps), len(recording.grid)
    shapes_agree = (
        moments > 1
        and grid > 1
        and recording.real_points.ndim == 2 and recording.real_points.shape[1] == 2
        and recording.centres.ndim == 2 and recording.centres.shape[1] == 2
        and recording.fake_points.ndim == 3 and recording.fake_points.shape[0] == moments
        and recording.fake_points.shape[2] == 2
        and recording.verdict.shape == (moments, grid, grid)
        and recording.push.ndim == 3 and recording.push.shape[0] == moments
        and recording.push.shape[2] == 2
        and recording.push.shape[1] <= recording.fake_points.shape[1]
        and recording.mean_real_on_real.shape == (moments,)
        and recording.mean_real_on_fake.shape == (moments,)
    )
    if not shapes_agree:
        return False
    finite = all(np.all(np.isfinite(array)) for array in (
        recording.real_points, recording.fake_points, recording.verdict, recording.push))
    return bool(finite and np.all(np.diff(recording.steps) > 0)
                and np.all((recording.verdict >= 0) & (recording.verdict <= 1)))


# --- what the page says, computed from the recording -------------------------------------------


def mean_distance_to_ring(recording: Gan2dRecording, moment: int) -> float:
    """The fake points' mean distance to the circle the clusters sit on, at one moment."""
    points = recording.fake_points[moment].astype(np.float64)
    return float(np.mean(np.abs(np.linalg.norm(points, axis=1) - recording.ring_radius)))


def clusters_reached(recording: Gan2dRecording, moment: int) -> int:
    """How many clusters hold at least CLUSTER_SHARE of the fake points (within NEAR_CLUSTER of
    the centre) at one moment."""
    points = recording.fake_points[moment]
    distances = np.linalg.norm(points[:, None, :] - recording.centres[None, :, :], axis=2)  # (N, C)
    nearest = distances.argmin(axis=1)
    near = distances.min(axis=1) < NEAR_CLUSTER
    counts = np.bincount(nearest[near], minlength=len(recording.centres))
    return int(np.sum(counts >= CLUSTER_SHARE * len(points)))


@dataclass(frozen=True)
class GameFacts:
    first_step: int
    last_step: int
    distance_first: float
    distance_last: float
    clusters_first: int
    clusters_last: int
    clusters: int
    real_on_real_last: float  # the discriminator's mean P(real) on real points, last moment
    real_on_fake_last: float

    @property
    def came_closer(self) -> bool:
        return self.distance_last < self.distance_first

    @property
    def fooled(self) -> bool:
        """Whether the page may say both beliefs are close to 50 % and the discriminator can
        hardly tell real points from fakes: a small gap alone (90 % against 80 %) is not that."""
        real, fake = self.real_on_real_last, self.real_on_fake_last
        return (abs(real - 0.5) <= HALF_MARGIN and abs(fake - 0.5) <= HALF_MARGIN
                and abs(real - fake) < FOOLED_GAP)


def game_facts(recording: Gan2dRecording) -> GameFacts:
    last = recording.moments - 1
    return GameFacts(
        first_step=int(recording.steps[0]),
        last_step=int(recording.steps[last]),
        distance_first=mean_distance_to_ring(recording, 0),
        distance_last=mean_distance_to_ring(recording, last),
        clusters_first=clusters_reached(recording, 0),
        clusters_last=clusters_reached(recording, last),
        clusters=len(recording.centres),
        real_on_real_last=float(recording.mean_real_on_real[last]),
        real_on_fake_last=float(recording.mean_real_on_fake[last]),
    )


def arrow_scale(recording: Gan2dRecording) -> float:
    """The factor that turns a push into an arrow's length in the plane (the same for every
    moment, so a longer arrow is a stronger push: the early, weak pushes draw short)."""
    lengths = np.linalg.norm(recording.push.astype(np.float64), axis=2)
    reference = float(np.percentile(lengths, 95)) if lengths.size else 0.0
    return ARROW_LENGTH / reference if reference > 0 else 0.0


def arrow_segments(recording: Gan2dRecording, moment: int, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """x and y (3A,) float32 of line segments, each from a fake point along its push, separated
    by NaN (Plotly breaks a line there): one scatter trace draws them all, as binary arrays,
    which keeps an animation frame light."""
    starts = recording.fake_points[moment, : recording.push.shape[1]].astype(np.float64)  # (A, 2)
    pushes = recording.push[moment].astype(np.float64) * scale
    lengths = np.linalg.norm(pushes, axis=1, keepdims=True)
    # Clipped at the reference length: one huge push must not cross the whole picture.
    pushes = np.where(lengths > ARROW_LENGTH, pushes * ARROW_LENGTH / np.maximum(lengths, 1e-12), pushes)
    ends = starts + pushes
    gaps = np.full((len(starts), 2), np.nan)
    segments = np.stack([starts, ends, gaps], axis=1).reshape(-1, 2).astype(np.float32)  # (3A, 2)
    return segments[:, 0], segments[:, 1]
