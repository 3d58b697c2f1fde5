"""Pilot runs for the unconditional DCGAN (issues #21 and #16): train one variant of the loop on
the pool, then measure 1,000 samples of its averaged generator with the judge.

The judge is the shipped supervised classifier at 100 % labels, seed 0 (its ONNX file in
exported_models/, the one the GAN page uses; ``--judge-bundle`` names another bundle's). The
figures, all on 1,000 samples drawn from the page's fixed noise
(dashboard.topics.gan.digit_gans.QUALITY_NOISE_SEED):

- ``confident``: the share the judge reads with a softmax maximum >= 0.9 (target >= 0.85;
  ``pool_confident``, the same share on the real pool digits, is its ceiling: about 0.59);
- ``share_min`` / ``share_max``: the least and most drawn digit, as the judge reads them
  (target: every digit between 0.05 and 0.15);
- ``frechet_pool``: the Fréchet distance between the judge's logits (as on the page) on the
  samples and on the 4,000 POOL images (target < 1.0). Pool, not test: settings are chosen
  without ever scoring the test split. The judge trained on these pool images, so its logits
  there are surer than on unseen digits; ``frechet_pool_halves`` (one half of the pool against
  the other) is the floor that chance alone gives.

A variant is a "+"-joined list of the blocks in VARIANT_BLOCKS and CONFIG_BLOCKS, applied in
order to the shipped recipe ("shipped" or "baseline" for none; "first" goes back to the first
study's loop, so "first+mbstd" is the earlier runs' "mbstd"):

    python scripts/gan_pilot.py --variant diffaug+mbstd --seed 0 --steps 6000 --out build/gan_pilots
    python scripts/gan_pilot.py --variant baseline --dry-run        # one step, seconds

Each run writes ``<run>.json`` (the figures), ``<run>.png`` (64 samples, 8 x 8) and a line of
``pilots.csv`` in the output folder. Results and discussion: docs/gan_pilots.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's training/ and dashboard/, not an installed copy

import onnxruntime as ort
import torch
from PIL import Image

from dashboard.topics.gan.digit_gans import (
    QUALITY_NOISE_SEED,
    QUALITY_SAMPLES,
    asked_digits,
    digit_shares,
    frechet_distance,
    noise_batch,
)
from training.data import load_dataset, make_split
from training.families.gan.conditional_gan import Config as ConditionalConfig
from training.families.gan.gan_training import (
    LATENT_DIM,
    Discriminator,
    GanConfig,
    GanOptions,
    Generator,
    TrainedGan,
    sample,
    train_gan,
)
from training.point import to_tensor
from training.train_cache import cache_dir

# The blocks a variant combines; each sets some GanOptions fields.
VARIANT_BLOCKS: dict[str, dict] = {
    "diffaug": {"diff_augment": True},
    "difftrans": {"diff_augment": True, "cutout_pixels": 0},  # DiffAugment's translation, no cutout
    "mbstd": {"minibatch_std_group": 4},
    "r1": {"r1_weight": 1.0},
}
# Blocks that change GanConfig fields instead. The runs logged before the recipe changed started
# from the loop of the first study, which "first" restores; the others are the pieces of today's
# recipe, which the pilots added one at a time to that first loop.
FIRST_LOOP = {"discriminator_batchnorm": True, "spectral_norm": False, "hinge_loss": False, "generator_refine": False,
              "generator_learning_rate": 2e-4, "discriminator_learning_rate": 2e-4, "checkpoints": 12,
              "early_checkpoint": 2}
CONFIG_BLOCKS: dict[str, dict] = {
    "first": FIRST_LOOP,
    "sn": {"spectral_norm": True},
    "hinge": {"hinge_loss": True},
    "nobn": {"discriminator_batchnorm": False},
    "refine": {"generator_refine": True},
    "ttur": {"discriminator_learning_rate": 4e-4, "generator_learning_rate": 1e-4},  # Heusel et al. 2017
    "aux3": {"auxiliary_classifier_weight": 3.0},  # conditional GAN: the digit's classifier weighs 3x more
}
CONFIDENT = 0.9
JUDGE_ID = "supervised-mnist5k-100pct-seed0"
CSV_COLUMNS = ("variant", "seed", "steps", "train_seconds", "train_cpu_seconds", "confident", "as_sure_as_real",
               "share_min", "share_max",
               "frechet_pool", "frechet_pool_halves")


def parse_variant(name: str) -> GanOptions:
    if name in ("baseline", "shipped", "study"):
        return GanOptions()
    fields: dict = {}
    for block in name.split("+"):
        if block in CONFIG_BLOCKS:
            continue
        if block not in VARIANT_BLOCKS:
            raise SystemExit(f"Unknown block '{block}' in variant '{name}': use 'baseline' or blocks "
                             f"joined by '+' among {', '.join([*VARIANT_BLOCKS, *CONFIG_BLOCKS])}.")
        fields.update(VARIANT_BLOCKS[block])
    return GanOptions(**fields)


def judge_session(bundle: Path) -> ort.InferenceSession:
    manifest_path = bundle / "manifest.json"
    if not manifest_path.is_file():
        raise SystemExit(f"No bundle at {bundle}: name a folder the study wrote (with a manifest.json).")
    manifest = json.loads(manifest_path.read_text())
    entry = next((m for m in manifest["models"] if m["id"] == JUDGE_ID), None)
    if entry is None:
        raise SystemExit(f"No judge '{JUDGE_ID}' in {manifest_path}: run "
                         f"`python -m training study --paradigm supervised --out {bundle}` first.")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # the machine is shared: one thread, as for training
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(bundle / entry["file"]), options,
                                providers=["CPUExecutionProvider"])


def judge_logits(session: ort.InferenceSession, images: np.ndarray) -> np.ndarray:
    """images (N, 1, 28, 28) float32 in [0, 1] -> the judge's logits (N, 10)."""
    name = session.get_inputs()[0].name
    return np.concatenate([session.run(None, {name: images[s : s + 500]})[0] for s in range(0, len(images), 500)])


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def save_grid(images: np.ndarray, path: Path, *, columns: int = 8, scale: int = 3) -> None:
    """images (64, 28, 28) uint8 -> an 8 x 8 PNG with a 2-pixel grey gap."""
    rows = -(-len(images) // columns)
    side = 28 + 2
    canvas = np.full((rows * side + 2, columns * side + 2), 96, dtype=np.uint8)
    for index, image in enumerate(images):
        top, left = 2 + (index // columns) * side, 2 + (index % columns) * side
        canvas[top : top + 28, left : left + 28] = image
    Image.fromarray(canvas).resize((canvas.shape[1] * scale, canvas.shape[0] * scale), Image.Resampling.NEAREST).save(path)


def real_sureness(pool_logits: np.ndarray) -> float:
    """The judge's softmax maximum that 85 % of the real pool digits reach (their 15th percentile)."""
    return float(np.quantile(softmax(pool_logits).max(axis=1), 0.15))


def measure(generator, session: ort.InferenceSession, pool_logits: np.ndarray) -> tuple[dict, np.ndarray]:
    """The figures of 1,000 samples from the page's fixed noise, and the samples (uint8); a
    conditional generator is asked for every digit equally often, as on the page."""
    noise = torch.from_numpy(noise_batch(QUALITY_NOISE_SEED, QUALITY_SAMPLES, LATENT_DIM))
    asked = torch.from_numpy(asked_digits(QUALITY_SAMPLES, 10)) if generator.num_classes else None
    # Rounded to uint8 first, as the page's samples are (what a screen shows).
    drawn = (sample(generator, noise, asked).clamp(0, 1) * 255).round().to(torch.uint8).numpy()  # (1000, 1, 28, 28)
    logits = judge_logits(session, drawn.astype(np.float32) / 255.0)
    predicted = np.argmax(logits, axis=1)
    shares = digit_shares(predicted, logits.shape[1])
    asked_figures: dict = {}
    if asked is not None:
        right = predicted == asked.numpy()
        by_digit = [round(float(right[asked.numpy() == d].mean()), 4) for d in range(10)]
        asked_figures = {"asked_right": round(float(right.mean()), 4), "asked_right_min": min(by_digit),
                         "asked_right_by_digit": by_digit}
    figures = {
        "confident": round(float(np.mean(softmax(logits).max(axis=1) >= CONFIDENT)), 4),
        # The target restated against real digits: the share of samples the judge reads at least
        # as surely as it reads 85 % of the real pool digits (real digits score 0.85 by definition).
        "as_sure_as_real": round(float(np.mean(softmax(logits).max(axis=1) >= real_sureness(pool_logits))), 4),
        "share_min": round(float(shares.min()), 4),
        "share_max": round(float(shares.max()), 4),
        "shares": [round(float(s), 4) for s in shares],
        "frechet_pool": round(frechet_distance(logits, pool_logits), 4),
        **asked_figures,
    }
    return figures, drawn[:, 0]


def from_study_cache(name: str, seed: int, config: GanConfig) -> TrainedGan:
    """The averaged generator the study trained for (name, seed), read from its newest cache
    file, with what the run table needs (its training's seconds and last losses)."""
    files = sorted(cache_dir().glob(f"{name}-mnist5k-seed{seed}-*.pt"), key=lambda f: f.stat().st_mtime)
    if not files:
        raise SystemExit(f"No cached {name} of seed {seed} in {cache_dir()}: run the study first "
                         f"(python -m training study --paradigm {name}).")
    saved = torch.load(files[-1], weights_only=False)
    classes = 10 if name == "conditional_gan" else 0
    generator = Generator(config.generator_width, classes, refine=config.generator_refine)
    generator.load_state_dict(saved["generator"])
    discriminator = Discriminator(classes, config.leaky_slope, batchnorm=config.discriminator_batchnorm)
    discriminator.load_state_dict(saved["discriminator"])
    return TrainedGan(generator.eval(), discriminator.eval(), saved["train_seconds"], saved["steps"], saved["history"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", default="shipped",
                        help="'shipped' or blocks joined by '+': " + ", ".join([*VARIANT_BLOCKS, *CONFIG_BLOCKS]))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, help="training steps (default: the shipped config's)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "gan_pilots")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--conditional", action="store_true",
                        help="the conditional GAN (the shipped conditional_gan's config: auxiliary classifier, mode seeking)")
    parser.add_argument("--dry-run", action="store_true", help="one training step on a batch of 8, to check the wiring")
    parser.add_argument("--study-cache", action="store_true",
                        help="train nothing: measure the GAN the study trained with the shipped recipe for this seed "
                             "(its cache file in build/pretrained/, which gan_probe fills for seeds 0, 1 and 2)")
    parser.add_argument("--judge-bundle", type=Path, default=ROOT / "exported_models",
                        help="the bundle whose supervised classifier at 100 %%, seed 0, reads the samples "
                             "(default: the shipped one; a rerun's folder to judge with its own)")
    args = parser.parse_args()
    if args.study_cache:
        args.variant = "study"

    torch.set_num_threads(args.threads)
    options = parse_variant(args.variant)
    # The shipped config of the GAN asked for (the conditional one keeps the first loop), then the
    # variant's blocks on top: "--conditional --variant nobn+sn+hinge+ttur+refine" is the
    # conditional GAN with the DCGAN's recipe.
    base: GanConfig = ConditionalConfig() if args.conditional else GanConfig()
    config = base.for_dry_run() if args.dry_run else replace(base, steps=args.steps or base.steps)
    for block in args.variant.split("+"):
        config = replace(config, **CONFIG_BLOCKS.get(block, {}))
    dataset = load_dataset("mnist5k")
    split = make_split(dataset)
    pool = to_tensor(dataset.images[split.pool_indices])  # (4000, 1, 28, 28); the test split is never read
    pool_labels = torch.from_numpy(dataset.labels[split.pool_indices]) if args.conditional else None

    session = judge_session(args.judge_bundle)
    pool_logits = judge_logits(session, pool.numpy())
    halves = np.random.default_rng(0).permutation(len(pool_logits))
    middle = len(halves) // 2
    pool_halves = frechet_distance(pool_logits[halves[:middle]], pool_logits[halves[middle:]])
    # The ceiling of "confident": the judge was trained with label smoothing 0.1, so it reads
    # even its own training digits with a softmax maximum >= 0.9 only about 60 % of the time.
    pool_confident = float(np.mean(softmax(pool_logits).max(axis=1) >= CONFIDENT))

    started, cpu_started = time.perf_counter(), time.process_time()
    if args.study_cache:
        trained = from_study_cache("conditional_gan" if args.conditional else "dcgan", args.seed, config)
    else:
        # train_gan directly, never cached_gan: a pilot must not read (or fill) the shipped cache.
        trained = train_gan(pool, pool_labels, config, args.seed, options=options, progress=True,
                            description=f"{args.variant}, seed {args.seed}")
    # The machine is shared: the process's CPU time (one thread) is what the run would take on a
    # core of its own; the wall-clock train_seconds also counts the waits for the other jobs.
    cpu_seconds = time.process_time() - cpu_started
    figures, drawn = measure(trained.generator, session, pool_logits)
    steps = trained.steps if args.study_cache else config.steps
    run = (("cgan-" if args.conditional else "") + f"{args.variant}-seed{args.seed}-steps{steps}"
           + ("-dry" if args.dry_run else ""))
    result = {"variant": ("cgan:" if args.conditional else "") + args.variant, "seed": args.seed, "steps": steps,
              "train_seconds": round(trained.train_seconds, 1), "train_cpu_seconds": round(cpu_seconds, 1), **figures,
              "frechet_pool_halves": round(pool_halves, 4), "pool_confident": round(pool_confident, 4),
              "threads": args.threads,
              "options": asdict(options), "last_losses": trained.history[-1] if trained.history else None,
              "wall_seconds": round(time.perf_counter() - started, 1)}

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{run}.json").write_text(json.dumps(result, indent=1))
    save_grid(drawn[:64], args.out / f"{run}.png")
    table = args.out / "pilots.csv"
    new_table = not table.exists()
    with open(table, "a", newline="") as handle:
        writer = csv.writer(handle)
        if new_table:
            writer.writerow(CSV_COLUMNS)
        writer.writerow([result[c] for c in CSV_COLUMNS])
    print(json.dumps({c: result[c] for c in CSV_COLUMNS} | {"shares": result["shares"]}
                     | {k: result[k] for k in ("asked_right", "asked_right_by_digit") if k in result}))


if __name__ == "__main__":
    main()
