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
from training.paradigms import PARADIGMS  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    arguments = parser.parse_args()
    results = read_results(arguments.bundle)
    if results.empty:
        sys.exit(f"No results in {arguments.bundle}: run `python -m training study` first.")
    print(accuracy_table(results), gain_table(results), time_table(results), sep="\n\n")


if __name__ == "__main__":
    main()
