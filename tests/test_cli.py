"""The training command line as a person uses it: messages, not tracebacks."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_list_shows_every_paradigm_ready():
    completed = run_cli("list")
    assert completed.returncode == 0
    lines = {line.split()[0]: line for line in completed.stdout.splitlines()[1:]}
    assert "ready" in lines["supervised"] and "ready" in lines["kmeans"]
    assert "ready" in lines["colourisation"] and "ready" in lines["dcgan"]


def test_unknown_paradigm_lists_the_valid_ones():
    completed = run_cli("train", "superviesd", "--fraction", "0.05")
    assert completed.returncode == 2
    assert "Unknown paradigm 'superviesd'" in completed.stderr and "supervised, kmeans" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_bad_inputs_are_sentences(tmp_path):
    for args, expected in [
        (("train", "supervised", "--fraction", "7"), "--fraction must be in (0, 1]"),
        (("train", "supervised", "--fraction", "0.05", "--data", str(tmp_path / "nowhere")), "neither a known data set"),
        (("study", "--profile", "test", "--paradigm", "colourisation", "--photos", str(tmp_path / "nowhere")),
         "is not a folder of photos"),
        (("study", "--profile", "test", "--paradigm", "colourisation", "--data", str(tmp_path)),
         "holds no readable photo"),
        (("train", "dcgan", "--fraction", "0.05"), "study --paradigm dcgan"),
    ]:
        completed = run_cli(*args)
        assert completed.returncode == 2, args
        assert expected in completed.stderr and "Traceback" not in completed.stderr


def test_train_one_point_records_it(tmp_path):
    completed = run_cli("train", "kmeans", "--fraction", "0.05", "--seed", "1", "--data", "digits", "--out", str(tmp_path))
    assert completed.returncode == 0, completed.stderr
    assert "kmeans" in completed.stdout and "accuracy" in completed.stdout
    assert (tmp_path / "results.csv").read_text().count("kmeans") == 1


def test_dry_run_writes_nothing(tmp_path):
    # Two paradigms, one whole and one pretrained: every paradigm's one-step run is in test_paradigms.
    completed = run_cli("study", "--profile", "test", "--dry-run", "--out", str(tmp_path / "bundle"),
                        "--paradigm", "supervised", "--paradigm", "rotation")
    assert completed.returncode == 0, completed.stderr
    assert not (tmp_path / "bundle").exists()
    assert "dry run" in completed.stdout
