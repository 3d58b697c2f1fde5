"""A pilot scored on the validation split: how settings not fixed by their paper are chosen.

Trains one point of a paradigm (a fraction, a seed) with some of its settings changed and prints
its accuracy on the validation split (training/data.py), never on the test split and never on
the unlabelled pool's hidden labels. Every run is appended to build/pilots/validation_pilots.csv;
docs/study.md logs the pilots that chose a setting.

    python scripts/validation_pilot.py mean_teacher --fraction 0.01 --seed 0 --set teacher_bar=None
    python scripts/validation_pilot.py supervised --set bfloat16=False
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import sys
import time
from dataclasses import asdict, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOG = ROOT / "build" / "pilots" / "validation_pilots.csv"


def parse_setting(text: str, known: set[str]) -> tuple[str, object]:
    name, _, value = text.partition("=")
    if name not in known:
        raise SystemExit(f"error: '{name}' is not a setting of this paradigm; known: {', '.join(sorted(known))}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value  # a plain word, e.g. a profile name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paradigm")
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a setting to change (repeatable)")
    parser.add_argument("--data", default="mnist5k")
    args = parser.parse_args(argv)

    import torch

    from training.data import load_dataset, make_split
    from training.point import accuracy, make_point_task
    from training.registry import get_paradigm

    torch.set_num_threads(1)  # as a study worker: the same numbers as the study
    module = get_paradigm(args.paradigm).load()
    config = module.Config()
    changes = dict(parse_setting(text, {f.name for f in fields(config)}) for text in args.set)
    config = replace(config, **changes)
    dataset = load_dataset(args.data)
    split = make_split(dataset)
    if not len(split.validation_indices):
        raise SystemExit("error: this data set's split has no validation images")
    task = make_point_task(dataset, split, args.paradigm, args.fraction, args.seed)
    started = time.perf_counter()
    trained = module.train_point(task, config)
    seconds = time.perf_counter() - started
    score = accuracy(trained.classifier, task.validation_images, task.validation_targets)
    chosen = {k: v for k, v in trained.extra_metrics.items() if k.startswith("probe_")}
    row = {"paradigm": args.paradigm, "fraction": args.fraction, "seed": args.seed,
           "changes": json.dumps(changes, sort_keys=True), "validation_accuracy": round(score, 4),
           "probe_choice": json.dumps(chosen, sort_keys=True),
           "n_validation": len(task.validation_targets), "seconds": round(seconds, 1),
           "config": json.dumps(asdict(config), sort_keys=True)}
    LOG.parent.mkdir(parents=True, exist_ok=True)
    new = not LOG.exists()
    with LOG.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        if new:
            writer.writeheader()
        writer.writerow(row)
    print(f"{args.paradigm} {args.fraction:.0%} seed {args.seed} {changes or 'as configured'}: "
          f"validation accuracy {score:.2%} ({len(task.validation_targets)} digits), {seconds:.0f} s"
          + (f"; probe reads {chosen}" if chosen else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
