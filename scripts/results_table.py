"""Print the README's results tables (Markdown) from a bundle's results.csv.

    .venv/bin/python scripts/results_table.py                 # exported_models/
    .venv/bin/python scripts/results_table.py --bundle build/test_bundle

Two tables: accuracy (mean ± standard deviation over seeds, in %) per paradigm and label fraction,
and each paradigm's gain over the supervised baseline at every fraction (difference of the means,
in points), plus the training time of each paradigm's points, so the README never holds a number
typed by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.bundle import DEFAULT_BUNDLE, read_results  # noqa: E402
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
            cells.append("" if row is None else f"{100 * row['mean']:.1f} ± {100 * (row['std'] if row['count'] > 1 else 0):.1f}")
        lines.append(f"| {paradigm} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def gain_table(results: pd.DataFrame, baseline: str = "supervised") -> str:
    means = results.groupby(["paradigm", "label_fraction"])["test_accuracy"].mean().unstack()
    if baseline not in means.index:
        return f"(no {baseline} rows)"
    header = _fraction_header(results)
    lines = [f"| gain over {baseline}, points | " + " | ".join(header) + " |", "|---" * (len(header) + 1) + "|"]
    for paradigm in [p for p in PARADIGMS if p in means.index and p != baseline]:
        gains = 100 * (means.loc[paradigm] - means.loc[baseline])
        lines.append(f"| {paradigm} | " + " | ".join("" if pd.isna(g) else f"{g:+.1f}" for g in gains) + " |")
    return "\n".join(lines)


def time_table(results: pd.DataFrame) -> str:
    lines = ["| paradigm | points | training time summed | slowest point |", "|---|---|---|---|"]
    for paradigm, rows in results.groupby("paradigm", sort=False):
        lines.append(f"| {paradigm} | {len(rows)} | {rows['train_seconds'].sum() / 60:.1f} min | "
                     f"{rows['train_seconds'].max():.0f} s |")
    return "\n".join(lines)


def pretext_table(bundle: Path) -> str:
    """What each shipped pretext network does on the test digits, with its chance level, and how
    well its encoder groups digits (kNN), beside raw pixels and an untrained encoder."""
    from training.bundle import read_manifest

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    arguments = parser.parse_args()
    results = read_results(arguments.bundle)
    if results.empty:
        sys.exit(f"No results in {arguments.bundle}: run `python -m training study` first.")
    tables = [accuracy_table(results), gain_table(results), time_table(results), pretext_table(arguments.bundle)]
    print(*[table for table in tables if table], sep="\n\n")


if __name__ == "__main__":
    main()
