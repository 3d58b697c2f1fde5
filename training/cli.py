"""Command line of the training half.

    python -m training list
    python -m training train supervised --fraction 0.05 --seed 0 [--data PATH] [--dry-run]
    python -m training study --profile test|quick|full [--paradigm NAME ...] [--seed N] [--dry-run]

Errors a user can meet (unknown paradigm, unreadable data, a bundle made with another split) are
printed as one sentence with what to do, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from training.data import DataError
from training.registry import PARADIGMS, UnknownParadigm


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training", description="Paradigm Lab: train, study, export.")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("list", help="the paradigms of the registry and whether they are implemented")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data", default=None,
                         help="mnist5k (default), digits, a folder with one sub-folder per class, or MNIST IDX files")
        sub.add_argument("--out", type=Path, default=None, help="bundle folder to write (default: exported_models/)")
        sub.add_argument("--dry-run", action="store_true", help="one batch per point, written to a scratch folder")

    train = commands.add_parser("train", help="train, evaluate and record one point")
    train.add_argument("paradigm")
    train.add_argument("--fraction", type=float, required=True, help="label fraction in (0, 1], e.g. 0.05")
    train.add_argument("--seed", type=int, default=0)
    common(train)

    study = commands.add_parser("study", help="run the label-fraction study (resumable)")
    study.add_argument("--profile", choices=["test", "quick", "full"], default="full")
    study.add_argument("--paradigm", action="append", default=None, help="only this paradigm (repeatable)")
    study.add_argument("--seed", type=int, default=None, help="only this seed (default: the profile's seeds)")
    study.add_argument("--workers", type=int, default=None, help="parallel points (default: one per core)")
    study.add_argument("--executor", choices=["local", "ray"], default="local",
                       help="local worker processes (default) or a Ray cluster")
    study.add_argument("--address", default=None, help="the Ray cluster's address (default: start a local Ray)")
    study.add_argument("--photos", default=None,
                       help="a folder of colour photos the colouriser also trains on (besides the packaged ones)")
    common(study)
    return parser


def _list() -> int:
    print(f"{'paradigm':<20} {'family':<16} {'status':<14} labels come from")
    for paradigm in PARADIGMS.values():
        status = "ready" if paradigm.implemented else f"planned (#{paradigm.issue})"
        print(f"{paradigm.name:<20} {paradigm.family:<16} {status:<14} {paradigm.labels_from}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        return _list()

    from training.export import ExportError
    from training.study import PROFILES, StudyError, default_paradigms, print_summary, run_study

    try:
        if args.command == "train":
            from training.registry import get_paradigm

            paradigm = get_paradigm(args.paradigm)
            paradigm.load()  # a planned paradigm says which issue brings it
            if not paradigm.in_study:
                raise StudyError(f"'{args.paradigm}' is not trained per label fraction; build it with "
                                 f"`python -m training study --paradigm {args.paradigm}`.")
            if not 0.0 < args.fraction <= 1.0:
                raise StudyError(f"--fraction must be in (0, 1], e.g. 0.05 for 5 %; got {args.fraction}.")
            profile = PROFILES["full"]
            paradigms, force = [args.paradigm], True
            seeds: tuple[int, ...] = (args.seed,)
            fractions: tuple[float, ...] = (args.fraction,)
        else:
            profile = PROFILES[args.profile]
            paradigms = args.paradigm or default_paradigms()
            seeds = (args.seed,) if args.seed is not None else profile.seeds
            fractions, force = profile.fractions, False
        photos = getattr(args, "photos", None)
        if args.command == "study" and args.paradigm and set(args.paradigm) == {"colourisation"} and args.data:
            # The colouriser's data is photos, not digits: alone in a run, --data names its folder.
            photos, args.data = photos or args.data, None
        if photos:
            from training.families.self_supervised.colouriser_training import photo_files

            photo_files(photos)  # a wrong folder is a sentence now, not a failed job later
        data = args.data or profile.dataset
        bundle_dir = args.out or profile.default_out
        started = time.perf_counter()
        summary = run_study(paradigms=paradigms, data=data, seeds=seeds, fractions=fractions, bundle_dir=bundle_dir,
                            tiny=profile.tiny, dry_run=args.dry_run, force=force, workers=getattr(args, "workers", None),
                            executor=getattr(args, "executor", "local"), address=getattr(args, "address", None),
                            photos=photos, every_seed_every_fraction=args.command == "train")
    except (UnknownParadigm, DataError, StudyError, ExportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted. Finished points are kept; run the same command again to resume.", file=sys.stderr)
        return 130

    print_summary(summary)
    where = "a scratch folder (dry run, now deleted)" if args.dry_run else str(bundle_dir)
    print(f"{len(summary.finished)} point(s) trained, {summary.skipped} already done, "
          f"{len(summary.failed)} failed, in {time.perf_counter() - started:.0f} s -> {where}")
    return 1 if summary.failed else 0
