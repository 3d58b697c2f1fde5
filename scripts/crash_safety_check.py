"""Kill the study with SIGKILL at random moments, N times, and check that nothing is ever lost.

    .venv/bin/python scripts/crash_safety_check.py            # 20 kills on the test profile
    .venv/bin/python scripts/crash_safety_check.py --kills 5

Each round starts `python -m training study --profile test` into one scratch bundle (the same
bundle every round, so later rounds resume earlier ones), kills the whole process group after a
random delay (during training, during export, or between writes), then checks:
- the bundle is consistent: the manifest parses, every model it names exists with its SHA-256,
  every results row of the shipped seed names a model in the manifest, no file is half-written;
- every point finished before the kill is still there, unchanged (same accuracy, same time stamp).
A final run without a kill must then complete every point. Prints one line per round.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.bundle_writer import read_results, sha256_of_file  # noqa: E402
from training.data import FRACTIONS  # noqa: E402
from training.registry import study_paradigms  # noqa: E402

EVERY_POINT = len(FRACTIONS) * len(study_paradigms())  # of the test profile (one seed)


def consistency_problems(bundle: Path) -> list[str]:
    problems = []
    manifest_path = bundle / "manifest.json"
    if not manifest_path.exists():
        return []  # killed before the first write: nothing to be inconsistent
    try:
        manifest = json.loads(manifest_path.read_text())
    except json.JSONDecodeError as error:
        return [f"manifest.json is not JSON: {error}"]
    named = set()
    for model in manifest["models"]:
        path = bundle / model["file"]
        named.add(model["id"])
        if not path.exists():
            problems.append(f"{model['id']}: named by the manifest, file missing")
        elif sha256_of_file(path) != model["sha256"]:
            problems.append(f"{model['id']}: SHA-256 differs from the manifest (half-written?)")
    results = read_results(bundle)
    for model_id in results["model_id"]:
        if model_id and model_id not in named:
            problems.append(f"{model_id}: in results.csv but not in the manifest")
    return problems


def snapshot(bundle: Path) -> dict[tuple, tuple]:
    results = read_results(bundle)
    return {(r.paradigm, float(r.label_fraction), int(r.seed)): (float(r.test_accuracy), r.finished_at)
            for r in results.itertuples()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0, help="seed of the random kill times")
    args = parser.parse_args()
    chooser = random.Random(args.seed)
    command = [sys.executable, "-m", "training", "study", "--profile", "test", "--out", ""]

    # Calibrate: kill times are drawn over the length of one uninterrupted run on this machine,
    # so kills land during training, export and the writes between points alike.
    command[-1] = tempfile.mkdtemp(prefix="paradigm-lab-crash-calibration-")
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    full_run = time.perf_counter() - started
    print(f"an uninterrupted run takes {full_run:.1f} s; kills are drawn in [0.5, {full_run:.1f}] s")

    bundle = Path(tempfile.mkdtemp(prefix="paradigm-lab-crash-"))
    command[-1] = str(bundle)
    survived = kills = round_number = 0
    while kills < args.kills:  # rounds whose run finished before its kill time do not count
        round_number += 1
        before = snapshot(bundle)
        delay = chooser.uniform(0.5, full_run)
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(delay)
        finished_early = process.poll() is not None
        if not finished_early:
            os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        after = snapshot(bundle)
        problems = consistency_problems(bundle)
        lost = [point for point, value in before.items() if after.get(point) != value]
        problems += [f"point {point} changed or vanished after the kill" for point in lost]
        survived += not problems and not finished_early
        state = "run finished before its kill time (not counted)" if finished_early else f"kill {kills:2d} at {delay:4.1f} s"
        print(f"round {round_number:2d}: {state}, points {len(before):2d} -> {len(after):2d}, "
              f"{'consistent' if not problems else 'PROBLEMS: ' + '; '.join(problems)}")
        if len(after) == EVERY_POINT:  # the profile is complete: start again from an empty bundle
            bundle = Path(tempfile.mkdtemp(prefix="paradigm-lab-crash-"))
            command[-1] = str(bundle)

    before = snapshot(bundle)
    final = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    after = snapshot(bundle)
    kept = all(after.get(point) == value for point, value in before.items())
    complete = final.returncode == 0 and len(after) == EVERY_POINT and not consistency_problems(bundle)
    print(f"\n{survived}/{args.kills} kills survived; resumed run "
          f"{'completed every point' if complete else 'FAILED'}, finished points {'kept' if kept else 'CHANGED'}")
    return 0 if survived == args.kills and complete and kept else 1


if __name__ == "__main__":
    raise SystemExit(main())
