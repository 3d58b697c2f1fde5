"""A GAN small enough to watch: points in the plane instead of digits, recorded as it trains.

The real data is a ring of eight Gaussian clusters. The generator turns two random numbers into a
point; the discriminator turns a point into a "real" logit. Both are small MLPs, so training takes
seconds on one thread, and the whole game fits on one picture: the discriminator's verdict on
every place of the plane, the real points, the generated ones, and where the generator pushes
each of them next. This is what GAN Lab (Kahng et al. 2018) shows in a browser with a GPU; here it
is recorded once, offline, and the dashboard only plays the recording back.

The recording (one compressed .npz, float16) holds, at each recorded moment:
- ``fake_points`` (K, N, 2): the generator's points on a fixed noise batch;
- ``verdict`` (K, G, G): the discriminator's P(real) on a G x G grid over ``grid_limit``;
- ``push`` (K, A, 2): minus the gradient of the generator's loss w.r.t. the first A fake points,
  the direction in which each would move to fool the discriminator better;
- ``mean_real_on_real`` / ``mean_real_on_fake`` (K,): the mean P(real) on the real and fake batches;
plus ``steps`` (K,), ``real_points`` (R, 2), ``centres`` (8, 2) and ``grid`` (G,) once.

    python -m training.families.gan.gan_2d_training --seed 0              # trains, prints the time, the size, the distances
    python -m training.families.gan.gan_2d_training --dry-run             # two steps, three moments
    python -m training study --paradigm gan_2d      # the same, written into exported_models/
"""

from __future__ import annotations

import argparse
import io
import time
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

NOISE_DIM = 2
CLUSTERS = 8


@dataclass(frozen=True)
class Gan2dConfig:
    """Chosen so that the ring is learned in seconds and the chase is visible, not tuned on any
    score: a pilot (seed 0) covered the ring with 3,000 steps of Adam at GAN Lab's batch size."""
    steps: int = 3000
    batch_size: int = 256
    hidden: int = 64  # units in each of the two hidden layers of both networks
    learning_rate: float = 1e-3
    beta1: float = 0.5  # Adam's first moment as DCGAN sets it: a game moves, old gradients mislead
    ring_radius: float = 2.0
    cluster_std: float = 0.08
    moments: int = 48  # recorded moments, spaced closer early on, when the points move fastest
    real_shown: int = 256  # the fixed sample of real points drawn on the page
    fake_shown: int = 256  # the fixed noise batch whose points the page follows
    arrows: int = 64  # fake points that carry an arrow (all of them would hide the picture)
    grid_size: int = 40  # the verdict is measured on grid_size x grid_size places
    grid_limit: float = 3.0  # the picture covers [-grid_limit, grid_limit] on both axes

    def for_tests(self):
        # Enough steps for the points to visibly move towards the ring; 40 moments as shipped.
        return replace(self, steps=400, moments=40, grid_size=24, real_shown=128, fake_shown=128, arrows=32)

    def for_dry_run(self):
        return replace(self, steps=2, moments=3, grid_size=8, real_shown=16, fake_shown=16, arrows=4)


def mlp(inputs: int, hidden: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(inputs, hidden), nn.ReLU(),
        nn.Linear(hidden, hidden), nn.ReLU(),
        nn.Linear(hidden, outputs),
    )


def ring_centres(radius: float) -> np.ndarray:
    """(8, 2) float32: the clusters' centres, evenly spaced on a circle."""
    angles = 2 * np.pi * np.arange(CLUSTERS) / CLUSTERS
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def sample_ring(generator: torch.Generator, count: int, config: Gan2dConfig) -> torch.Tensor:
    """(count, 2): real points, each from a cluster drawn at random."""
    centres = torch.from_numpy(ring_centres(config.ring_radius))
    which = torch.randint(CLUSTERS, (count,), generator=generator)
    return centres[which] + config.cluster_std * torch.randn(count, 2, generator=generator)


def moment_steps(steps: int, moments: int) -> np.ndarray:
    """(K,) int: increasing steps from 0 to ``steps``, spaced on a square law so the early moments,
    when the points move most, are closer together. Rounding can merge early steps; the spacing
    is then widened until ``moments`` distinct steps remain (or every step is one)."""
    wanted = min(moments, steps + 1)
    count = wanted
    while True:
        spaced = np.unique(np.round(steps * np.linspace(0.0, 1.0, count) ** 2).astype(np.int64))
        if len(spaced) >= wanted:
            return spaced
        count += 1


def distance_to_ring(points: np.ndarray, radius: float) -> np.ndarray:
    """(N,): how far each point lies from the circle the clusters sit on."""
    return np.abs(np.linalg.norm(points.astype(np.float64), axis=-1) - radius)


def generator_loss(discriminator: nn.Module, fake: torch.Tensor) -> torch.Tensor:
    # The non-saturating loss (Goodfellow et al. 2014): -log D(G(z)). Its gradient stays strong
    # while the discriminator easily rejects the fakes, which is exactly the start of the game.
    return F.softplus(-discriminator(fake)).mean()


@dataclass
class Recording:
    """What the page plays back; arrays as ``recording_npz`` writes them (see the module doc)."""
    steps: np.ndarray
    real_points: np.ndarray
    centres: np.ndarray
    grid: np.ndarray
    fake_points: np.ndarray
    verdict: np.ndarray
    push: np.ndarray
    mean_real_on_real: np.ndarray
    mean_real_on_fake: np.ndarray
    train_seconds: float

    def mean_distance_to_ring(self, radius: float) -> tuple[float, float]:
        """The fake points' mean distance to the ring at the first and the last moment."""
        return (float(distance_to_ring(self.fake_points[0], radius).mean()),
                float(distance_to_ring(self.fake_points[-1], radius).mean()))


def record_moment(generator_net: nn.Module, discriminator: nn.Module, fixed_noise: torch.Tensor,
                  real_points: torch.Tensor, grid_points: torch.Tensor, arrows: int) -> dict:
    """One moment of the game, measured without changing either network."""
    with torch.no_grad():
        fake = generator_net(fixed_noise)  # (N, 2)
        verdict = torch.sigmoid(discriminator(grid_points))[:, 0]  # (G*G,)
        on_real = torch.sigmoid(discriminator(real_points)).mean()
        on_fake = torch.sigmoid(discriminator(fake)).mean()
    # The push: how the generator's loss changes as each point moves. The loss is a mean over the
    # batch, so its gradient is scaled back by the batch size to read as one point's own push.
    pushed = fake[:arrows].clone().requires_grad_(True)
    loss = generator_loss(discriminator, pushed)
    (gradient,) = torch.autograd.grad(loss, pushed)
    return {"fake": fake.numpy(), "verdict": verdict.numpy(), "push": (-gradient * arrows).numpy(),
            "on_real": float(on_real), "on_fake": float(on_fake)}


def train_gan_2d(config: Gan2dConfig, seed: int) -> Recording:
    """Train both networks from ``seed`` on one thread and record the game at each moment."""
    threads = torch.get_num_threads()
    # One thread: the same numbers on every machine (the order of float sums depends on the
    # thread count), and a laptop's other cores stay free.
    torch.set_num_threads(1)
    try:
        return _train(config, seed)
    finally:
        torch.set_num_threads(threads)


def _train(config: Gan2dConfig, seed: int) -> Recording:
    started = time.perf_counter()
    torch.manual_seed(seed)
    generator_net = mlp(NOISE_DIM, config.hidden, 2)
    discriminator = mlp(2, config.hidden, 1)
    betas = (config.beta1, 0.999)
    generator_optimiser = torch.optim.Adam(generator_net.parameters(), lr=config.learning_rate, betas=betas)
    discriminator_optimiser = torch.optim.Adam(discriminator.parameters(), lr=config.learning_rate, betas=betas)

    # The shown batches come from their own random stream: changing how many are shown must not
    # change the training.
    shown = torch.Generator().manual_seed(seed + 1)
    real_shown = sample_ring(shown, config.real_shown, config)  # (R, 2)
    fixed_noise = torch.randn(config.fake_shown, NOISE_DIM, generator=shown)  # (N, 2)
    grid = np.linspace(-config.grid_limit, config.grid_limit, config.grid_size, dtype=np.float32)
    # Row i of the verdict is y = grid[i], column j is x = grid[j], as a heatmap draws z.
    grid_x, grid_y = np.meshgrid(grid, grid)
    grid_points = torch.from_numpy(np.stack([grid_x.ravel(), grid_y.ravel()], axis=1))  # (G*G, 2)

    training = torch.Generator().manual_seed(seed + 2)
    record_at = set(moment_steps(config.steps, config.moments).tolist())
    moments: list[dict] = []
    steps: list[int] = []
    for step in range(config.steps + 1):
        if step in record_at:
            moments.append(record_moment(generator_net, discriminator, fixed_noise, real_shown,
                                         grid_points, config.arrows))
            steps.append(step)
        if step == config.steps:
            break
        real = sample_ring(training, config.batch_size, config)  # (B, 2)
        noise = torch.randn(config.batch_size, NOISE_DIM, generator=training)  # (B, 2)

        # --- update D: real points are "real" (1), the generator's are "fake" (0)
        fake = generator_net(noise)
        logits_real = discriminator(real)
        logits_fake = discriminator(fake.detach())
        loss_d = (F.binary_cross_entropy_with_logits(logits_real, torch.ones_like(logits_real))
                  + F.binary_cross_entropy_with_logits(logits_fake, torch.zeros_like(logits_fake)))
        discriminator_optimiser.zero_grad()
        loss_d.backward()
        discriminator_optimiser.step()

        # --- update G: move the fakes to where the discriminator now says "real"
        loss_g = generator_loss(discriminator, fake)
        generator_optimiser.zero_grad()
        loss_g.backward()
        generator_optimiser.step()

    return Recording(
        steps=np.asarray(steps, dtype=np.int32),
        real_points=real_shown.numpy(),
        centres=ring_centres(config.ring_radius),
        grid=grid,
        fake_points=np.stack([m["fake"] for m in moments]),
        verdict=np.stack([m["verdict"].reshape(config.grid_size, config.grid_size) for m in moments]),
        push=np.stack([m["push"] for m in moments]),
        mean_real_on_real=np.asarray([m["on_real"] for m in moments], dtype=np.float32),
        mean_real_on_fake=np.asarray([m["on_fake"] for m in moments], dtype=np.float32),
        train_seconds=time.perf_counter() - started,
    )


def recording_npz(recording: Recording, config: Gan2dConfig) -> bytes:
    """The recording as a compressed .npz: float16 for what is drawn (a thousandth of the plane is
    far below a pixel), int32 steps. No object arrays: the page loads it with allow_pickle=False."""
    half = np.float16
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        steps=recording.steps.astype(np.int32),
        real_points=recording.real_points.astype(half),
        centres=recording.centres.astype(half),
        grid=recording.grid.astype(half),
        fake_points=recording.fake_points.astype(half),
        verdict=recording.verdict.astype(half),
        push=recording.push.astype(half),
        mean_real_on_real=recording.mean_real_on_real.astype(half),
        mean_real_on_fake=recording.mean_real_on_fake.astype(half),
        ring_radius=np.float32(config.ring_radius),
    )
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dry-run", action="store_true", help="two steps, three moments")
    parser.add_argument("--tests", action="store_true", help="the test profile's small config")
    args = parser.parse_args(argv)
    config = Gan2dConfig()
    config = config.for_dry_run() if args.dry_run else config.for_tests() if args.tests else config
    recording = train_gan_2d(config, args.seed)
    size = len(recording_npz(recording, config))
    start, end = recording.mean_distance_to_ring(config.ring_radius)
    print(f"trained {config.steps} steps in {recording.train_seconds:.2f} s (one thread); "
          f"{len(recording.steps)} moments; recording {size / 1e6:.3f} MB; "
          f"fake points' mean distance to the ring {start:.3f} -> {end:.3f}; "
          f"last mean P(real) on real {recording.mean_real_on_real[-1]:.2f}, "
          f"on fake {recording.mean_real_on_fake[-1]:.2f}")


if __name__ == "__main__":
    main()
