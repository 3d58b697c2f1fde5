"""docs/results.md is what scripts/results_table.py writes from the committed bundle: a number in
the docs' results that nobody typed, and that cannot drift from results.csv."""

from pathlib import Path

import pytest

from scripts.results_table import RESULTS_DOCUMENT, difference_cell, paired_difference, results_document
from training.bundle_writer import DEFAULT_BUNDLE

pd = pytest.importorskip("pandas")


def test_the_results_document_is_what_the_script_writes_from_the_committed_bundle():
    written = RESULTS_DOCUMENT.read_text(encoding="utf-8")
    assert written == results_document(Path(DEFAULT_BUNDLE)), (
        "docs/results.md is out of date: run `.venv/bin/python scripts/results_table.py --write`"
    )


def test_a_difference_is_bold_only_when_its_interval_leaves_out_zero():
    seeds = [0, 1, 2]
    baseline = pd.Series([0.80, 0.82, 0.84], index=seeds)
    steady_gain = pd.Series([0.85, 0.87, 0.89], index=seeds)  # +5 points on every seed
    noisy = pd.Series([0.90, 0.78, 0.85], index=seeds)  # +10, -4, +1
    mean, low, high = paired_difference(steady_gain, baseline)
    assert mean == pytest.approx(5.0) and low == pytest.approx(5.0) and high == pytest.approx(5.0)
    assert difference_cell((mean, low, high)).startswith("**+5.0**")
    mean, low, high = paired_difference(noisy, baseline)
    assert low < 0 < high and mean == pytest.approx(7 / 3)
    assert difference_cell((mean, low, high)).startswith("+2.3 [")  # no bold: not measurable
    assert paired_difference(noisy.iloc[:1], baseline) is None  # one seed: no interval


def test_a_single_seed_shows_its_score_without_a_spread():
    from scripts.results_table import accuracy_table

    rows = pd.DataFrame({"paradigm": ["supervised", "supervised", "rotation"], "label_fraction": [0.01, 0.01, 0.01],
                         "n_labels": [40, 40, 40], "seed": [0, 1, 0], "test_accuracy": [0.80, 0.84, 0.886]})
    table = accuracy_table(rows)
    assert "| supervised | 82.0 ± 2.8 |" in table
    assert "| rotation | 88.6 |" in table  # not "88.6 ± 0.0", which would read as a certainty


def test_the_targets_table_judges_each_target_from_the_numbers():
    import numpy as np

    from scripts.results_table import targets_rows

    rows = []
    for seed, (supervised, fine_tuned, fixmatch) in enumerate([(0.80, 0.88, 0.97), (0.84, 0.90, 0.95)]):
        rows += [("supervised", 0.01, seed, supervised), ("rotation_finetune", 0.01, seed, fine_tuned),
                 ("rotation", 0.01, seed, supervised - 0.01), ("fixmatch", 0.01, seed, fixmatch)]
    rows += [("supervised", 0.5, 0, 0.984), ("fixmatch", 0.5, 0, 0.982)]  # one seed, a hair below
    results = pd.DataFrame(rows, columns=["paradigm", "label_fraction", "seed", "test_accuracy"])
    results["n_labels"], results["train_seconds"] = 40, 60.0
    shares = np.array([0.16, 0.04] + [0.1] * 8)
    table = targets_rows(results, shares, {"colour_error": 16.5, "grey_error": 21.8, "colourfulness": 30.0,
                                           "original_colourfulness": 50.0})
    lines = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()[2:]}
    # The fine-tune is the best labels-only row: +7 points on average, over 2 seeds.
    best_ssl = lines["best self-supervised paradigm at 1%, labels only (pretraining, then a probe or fine-tuning)"]
    assert "rotation_finetune: 89.0 % against supervised 82.0 %" in best_ssl and best_ssl.endswith("| met |")
    assert lines["best paradigm at 1%"].endswith("| met |") and "fixmatch: 96.0 %" in lines["best paradigm at 1%"]
    assert lines["FixMatch at 50% against supervised"].endswith("| not judged: one seed |")
    dcgan = next(line for figure, line in lines.items() if figure.startswith("DCGAN"))
    assert "16.0 % (digit 0) / 4.0 % (digit 1)" in dcgan and dcgan.endswith("| not met |")
    colouriser = next(line for figure, line in lines.items() if figure.startswith("colouriser"))
    assert "16.5 against 21.8; 60%" in colouriser and colouriser.endswith("| met |")
