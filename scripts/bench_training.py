"""What one study point costs to train, in float32 and in bfloat16, on this machine.

    python scripts/bench_training.py                      # the paradigms that train from scratch
    python scripts/bench_training.py --paradigm fixmatch mean_teacher --steps 40 120

The study's time budget is a paradigm's points in under 30 minutes on 2 cores, and what a point
costs depends on the processor more than on anything else (docs/study.md): bfloat16 runs fast
where the processor computes it natively (AMX or AVX512-BF16) and is emulated, ten times slower,
elsewhere. Timing whole points in both arithmetics would take an hour, so each paradigm trains
its full config cut to two short step counts, and the difference between the two runs gives the
cost of one step; the rest (building the task, the readings of the pool, BatchNorm calibration,
the test) is the fixed part. A point is then estimated as the fixed part plus the full config's
steps. The jobs run two at a time, one torch thread each, as the study's two workers do, so the
figures include the two workers' contention for memory. Nothing here asserts a budget:
docs/performance.md quotes the printed figures with the machine they came from.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import platform
import sys
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Paradigms whose point trains from scratch: the rows that start from a pretrained encoder add
# their pretraining's share, which the study's own rows record (docs/study.md).
FROM_SCRATCH = ("supervised", "pseudo_label", "label_spreading", "fixmatch", "mean_teacher", "semi_supervised_gan")
ARITHMETICS = ("float32", "bfloat16")


@dataclass(frozen=True)
class Job:
    paradigm: str
    arithmetic: str
    steps: int
    fraction: float
    seed: int


def shortened(config, steps: int):
    """The full config with ``steps`` training steps. The readings of the pool keep their number,
    so they stay in the fixed part; ramps keep their share of the run."""
    full = config.steps
    changes: dict = {"steps": steps}
    names = {f.name for f in fields(config)}
    if "log_every" in names:
        readings = max(1, full // config.log_every)
        if steps < readings:
            raise ValueError(f"at least {readings} steps: the full run reads the pool {readings} times")
        changes["log_every"] = steps // readings
    if "rampup_steps" in names:
        changes["rampup_steps"] = max(1, round(config.rampup_steps * steps / full))
    return replace(config, **changes)


def _init_worker() -> None:
    import torch

    torch.set_num_threads(1)


def time_job(job: Job) -> tuple[Job, float, int]:
    """Seconds to train and test one shortened point, and the full config's steps."""
    # The arithmetic is chosen once per process (training/precision.py caches the answer), so a
    # fresh process runs each job (max_tasks_per_child=1) and the variable is set before the ask.
    os.environ["PARADIGM_LAB_BFLOAT16"] = "1" if job.arithmetic == "bfloat16" else "0"
    import torch

    from training.point import accuracy, make_point_task, to_tensor
    from training.precision import native_bfloat16
    from training.registry import get_paradigm
    from training.study import _dataset_and_split

    native_bfloat16.cache_clear()
    module = get_paradigm(job.paradigm).load()
    full = module.Config()
    started = time.perf_counter()
    dataset, split = _dataset_and_split("mnist5k")
    task = make_point_task(dataset, split, job.paradigm, job.fraction, job.seed)
    trained = module.train_point(task, shortened(full, job.steps))
    accuracy(trained.classifier, to_tensor(dataset.images[split.test_indices]),
             torch.from_numpy(dataset.labels[split.test_indices]))
    return job, time.perf_counter() - started, full.steps


def study_points_below_100() -> int:
    """How many points the full study trains per paradigm below 100 % (the few-label seeds add
    only the small fractions)."""
    from training.data import FEW_LABEL_SEEDS, STUDY_SEEDS, fractions_for_seed

    return sum(1 for seed in STUDY_SEEDS + FEW_LABEL_SEEDS for fraction in fractions_for_seed(seed) if fraction < 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paradigm", nargs="+", default=list(FROM_SCRATCH))
    parser.add_argument("--steps", nargs=2, type=int, default=(40, 120), metavar=("SHORT", "LONG"))
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    short, long = sorted(args.steps)
    if short < 1 or long <= short:
        parser.error("--steps needs two different step counts, both at least 1")

    from training.precision import bfloat16_in_cpuinfo
    from training.registry import UnknownParadigm, get_paradigm

    try:
        for name in args.paradigm:
            paradigm = get_paradigm(name)
            # A row that starts from a pretrained network would pretrain it inside the first job.
            if not paradigm.in_study or paradigm.reads_validation_labels or "steps" not in {
                    f.name for f in fields(paradigm.load().Config())}:
                parser.error(f"{name} does not train a classifier from scratch in steps; "
                             f"this benchmark times {', '.join(FROM_SCRATCH)}")
            for steps in (short, long):
                shortened(paradigm.load().Config(), steps)
    except (UnknownParadigm, ValueError) as error:
        parser.error(f"{error}")
    cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace") if Path("/proc/cpuinfo").exists() else ""
    native = bfloat16_in_cpuinfo(cpuinfo)
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
                 platform.processor() or platform.machine())
    print(f"machine: {model}, {os.cpu_count()} cores, bfloat16 {'native' if native else 'emulated'}; "
          f"{args.workers} workers, one thread each; {args.fraction:.0%}, seed {args.seed}")
    # On a processor without native bfloat16 a step is emulated, ten times slower: timing it would
    # only say so, at length.
    arithmetics = ARITHMETICS if native else ("float32",)
    # A config that does not ask for bfloat16 trains in float32 whatever the processor.
    asks = {p: bool(getattr(get_paradigm(p).load().Config(), "bfloat16", False)) for p in args.paradigm}
    jobs = [Job(p, a, s, args.fraction, args.seed) for a in arithmetics for p in args.paradigm for s in (short, long)
            if a == "float32" or asks[p]]
    seconds: dict[tuple[str, str, int], float] = {}
    full_steps: dict[str, int] = {}
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(args.workers, mp_context=context, initializer=_init_worker,
                                                max_tasks_per_child=1) as pool:
        for job, took, steps in pool.map(time_job, jobs):
            seconds[(job.paradigm, job.arithmetic, job.steps)] = took
            full_steps[job.paradigm] = steps
            print(f"  {job.paradigm} {job.arithmetic} {job.steps} steps: {took:.1f} s", flush=True)

    points = study_points_below_100()
    print(f"\nestimated from {short} and {long} steps (the config's readings of the pool kept; a paradigm "
          f"whose config does not ask for bfloat16 trains in float32 only); a paradigm's {points} points below 100 % on {args.workers} workers")
    header = "| paradigm | arithmetic | s a step | fixed s | full steps | a point | points on workers |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for name in args.paradigm:
        for arithmetic in [a for a in arithmetics if (name, a, short) in seconds]:
            a, b = seconds[(name, arithmetic, short)], seconds[(name, arithmetic, long)]
            per_step = max(0.0, (b - a) / (long - short))
            fixed = max(0.0, a - short * per_step)
            point = fixed + full_steps[name] * per_step
            print(f"| {name} | {arithmetic} | {per_step:.3f} | {fixed:.0f} | {full_steps[name]} | "
                  f"{point:.0f} s | {points * point / args.workers / 60:.1f} min |")
        if (name, "bfloat16", short) in seconds:
            f32 = (seconds[(name, "float32", long)] - seconds[(name, "float32", short)])
            bf16 = (seconds[(name, "bfloat16", long)] - seconds[(name, "bfloat16", short)])
            if bf16 > 0:
                print(f"|  | float32 / bfloat16, a step | {f32 / bf16:.2f}x | | | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
