"""Write docs/results.md (or print it) from a bundle's results.csv and manifest.

    .venv/bin/python scripts/results_table.py --write         # exported_models/ -> docs/results.md
    .venv/bin/python scripts/results_table.py --bundle build/test_bundle   # print only

The tables: accuracy (mean ± standard deviation over seeds, in %) per paradigm and label fraction;
each paradigm's difference from the supervised baseline at every fraction, with a 95 % paired
interval over seeds (a seed draws the same labelled digits for every paradigm, so the differences
are paired); the training time of each paradigm's points; the pretext tasks. No number in the docs'
results is typed by hand, and tests/test_results_doc.py keeps docs/results.md equal to what this
script writes from the committed bundle.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.bundle_writer import DEFAULT_BUNDLE, read_results  # noqa: E402
from training.registry import PARADIGMS  # noqa: E402


def _fraction_header(table: pd.DataFrame) -> list[str]:
    labels = table.groupby("label_fraction")["n_labels"].first()
    return [f"{f:.0%} ({n:,})" for f, n in labels.items()]


def accuracy_table(results: pd.DataFrame) -> str:
    summary = results.groupby(["paradigm", "label_fraction"])["test_accuracy"].agg(["mean", "std", "count"])
    header = _fraction_header(results)
    lines = ["| paradigm | " + " | ".join(header) + " |", "|---" * (len(header) + 1) + "|"]
    for paradigm in [p for p in PARADIGMS if p in summary.index.get_level_values(0)]:
        cells = []
        for fraction in sorted(results["label_fraction"].unique()):
            row = summary.loc[(paradigm, fraction)] if (paradigm, fraction) in summary.index else None
            # One seed has no spread: its score alone, not a "± 0.0" that reads as a certainty.
            spread = f" ± {100 * row['std']:.1f}" if row is not None and row["count"] > 1 else ""
            cells.append("" if row is None else f"{100 * row['mean']:.1f}{spread}")
        lines.append(f"| {paradigm} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def paired_difference(paradigm: pd.Series, baseline: pd.Series) -> tuple[float, float, float] | None:
    """Mean difference in points and its 95 % t interval, over the seeds both have; None without
    two seeds in common (one seed gives no spread to judge a difference by)."""
    seeds = paradigm.index.intersection(baseline.index)
    if len(seeds) < 2:
        return None
    differences = 100 * (paradigm[seeds] - baseline[seeds])
    mean = float(differences.mean())
    half_width = float(stats.t.ppf(0.975, len(seeds) - 1) * differences.std(ddof=1) / len(seeds) ** 0.5)
    return mean, mean - half_width, mean + half_width


def difference_cell(difference: tuple[float, float, float] | None) -> str:
    if difference is None:
        return ""
    mean, low, high = difference
    # An interval that holds zero is no measurable difference, whatever the sign of the mean: only
    # the others are set in bold.
    shown = f"{mean:+.1f}" if low <= 0 <= high else f"**{mean:+.1f}**"
    return f"{shown} [{low:+.1f}, {high:+.1f}]"


def gain_table(results: pd.DataFrame, baseline: str = "supervised") -> str:
    by_point = results.set_index(["paradigm", "label_fraction", "seed"])["test_accuracy"]
    paradigms = results["paradigm"].unique()
    if baseline not in paradigms:
        return f"(no {baseline} rows)"
    header = _fraction_header(results)
    fractions = sorted(results["label_fraction"].unique())
    lines = [f"| against {baseline}, points [95 % interval] | " + " | ".join(header) + " |",
             "|---" * (len(header) + 1) + "|"]
    for paradigm in [p for p in PARADIGMS if p in paradigms and p != baseline]:
        cells = []
        for fraction in fractions:
            if (paradigm, fraction) not in by_point.index or (baseline, fraction) not in by_point.index:
                cells.append("")
                continue
            cells.append(difference_cell(paired_difference(by_point.loc[(paradigm, fraction)],
                                                           by_point.loc[(baseline, fraction)])))
        lines.append(f"| {paradigm} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def time_table(results: pd.DataFrame) -> str:
    lines = ["| paradigm | points | training time summed | on 2 workers (half) | slowest point |",
             "|---|---|---|---|---|"]
    for paradigm, rows in results.groupby("paradigm", sort=False):
        total = rows["train_seconds"].sum() / 60
        lines.append(f"| {paradigm} | {len(rows)} | {total:.1f} min | {total / 2:.1f} min | "
                     f"{rows['train_seconds'].max():.0f} s |")
    return "\n".join(lines)


def pretext_table(bundle: Path) -> str:
    """What each shipped pretext network does on the test digits, with its chance level, and how
    well its encoder groups digits (kNN), beside raw pixels and an untrained encoder."""
    from training.bundle_writer import read_manifest

    manifest = read_manifest(bundle)
    maps = {entry["source"]: entry for entry in manifest.get("feature_maps", [])}
    lines = ["| features from | pretext task on test digits | chance | kNN accuracy (5 neighbours) |",
             "|---|---|---|---|"]
    for source in ("raw_pixels", "untrained_encoder"):
        if source in maps:
            lines.append(f"| {source.replace('_', ' ')} | | | {100 * maps[source]['knn_accuracy']:.1f} % |")
    for model in manifest.get("models", []):
        if model.get("role") != "pretext_head":
            continue
        metrics = model["metrics"]
        if "pretext_accuracy" in metrics:
            score = f"{100 * metrics['pretext_accuracy']:.1f} % right"
            chance = f"{100 * metrics['pretext_chance']:.1f} %"
        else:
            score = f"error {metrics['pretext_error']:.4f}"
            chance = f"error {metrics['pretext_chance_error']:.4f}"
        knn = maps.get(model["paradigm"], {}).get("knn_accuracy")
        lines.append(f"| {model['paradigm']} (seed {model['seed']}, {model['train_seconds'] / 60:.1f} min) | {score} | "
                     f"{chance} | {'' if knn is None else f'{100 * knn:.1f} %'} |")
    return "\n".join(lines) if len(lines) > 2 else ""


RESULTS_DOCUMENT = ROOT / "docs" / "results.md"


def seeds_phrase(results) -> str:
    """Which seeds the means are over: "seeds 0, 1, 2", or with the few-label seeds named apart
    ("seeds 0, 1, 2 at every fraction, and 3, 4 at 1 %, 2 %, 5 %")."""
    every = sorted({float(f) for f in results["label_fraction"]})
    by_seed = {int(seed): sorted({float(f) for f in rows["label_fraction"]}) for seed, rows in results.groupby("seed")}
    full = [seed for seed, fractions in by_seed.items() if fractions == every]
    partial: dict[tuple[float, ...], list[int]] = {}
    for seed, fractions in by_seed.items():
        if fractions != every:
            partial.setdefault(tuple(fractions), []).append(seed)
    phrase = f"seed{'s' if len(full) != 1 else ''} {', '.join(map(str, full))}"
    if not partial:
        return phrase
    extra = "; ".join(f"{', '.join(map(str, seeds))} at {', '.join(f'{f:.0%}' for f in fractions)}"
                      for fractions, seeds in partial.items())
    return f"{phrase} at every fraction, and {extra}"


def bundle_name(bundle: Path) -> str:
    """The bundle as the docs name it: relative to the project where it lies inside it."""
    resolved = Path(bundle).resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(bundle)


def results_document(bundle: Path) -> str:
    """docs/results.md: the tables of the bundle, with the few words needed to read them."""
    results = read_results(bundle)
    parts = [
        "# Results of the label-fraction study",
        f"Written by `scripts/results_table.py --write` from `{bundle_name(bundle)}/results.csv` and the "
        "manifest; do not edit by hand (tests/test_results_doc.py compares this file with what the "
        "script writes). How the study is run and what the numbers mean: [study.md](study.md).",
        f"## Test accuracy, %\n\nMean ± standard deviation over {seeds_phrase(results)}; "
        "each point is scored on the same 1,000 test digits, never seen in training.",
        accuracy_table(results),
        "## Against the supervised baseline\n\nDifference of test accuracy in points, the mean over "
        "seeds and its 95 % interval (Student's t on the paired differences: a seed draws the same "
        "labelled digits for every paradigm). A mean in **bold** has an interval that leaves out zero; "
        "any other is no measurable difference with these seeds, whichever its sign.",
        gain_table(results),
        "## Training time\n\nWall-clock time of each point, as the study recorded it on the machine "
        "that ran it. A point that starts from a pretrained network (an encoder, a GAN) carries its "
        "share of that pretraining, so a paradigm's sum is what it costs alone; the budget is 30 "
        "minutes on 2 workers.",
        time_table(results),
    ]
    pretext = pretext_table(bundle)
    if pretext:
        parts += ["## Pretext tasks\n\nEach shipped pretext network on the test digits, and how well "
                  "its encoder groups digits (5 nearest neighbours).", pretext]
    return "\n\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS_DOCUMENT.relative_to(ROOT)}")
    arguments = parser.parse_args()
    if read_results(arguments.bundle).empty:
        sys.exit(f"No results in {arguments.bundle}: run `python -m training study` first.")
    document = results_document(arguments.bundle)
    if arguments.write:
        RESULTS_DOCUMENT.write_text(document, encoding="utf-8")
        print(f"wrote {RESULTS_DOCUMENT.relative_to(ROOT)}")
    else:
        print(document)


if __name__ == "__main__":
    main()
