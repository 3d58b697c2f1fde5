"""The study runner end to end on the test profile: results, shipped models, resume, crash safety."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime
import pandas as pd
import pytest

from training.bundle_writer import (
    read_manifest,
    read_results,
    record_result,
    sha256_of_file,
    update_manifest,
    upsert_model,
)
from training.registry import study_paradigms
from training.study import PROFILES, StudyError, run_study

ROOT = Path(__file__).resolve().parent.parent
FAST = (0.1, 1.0)
TEST_PROFILE_FRACTIONS = PROFILES["test"].fractions


@pytest.fixture(scope="module")
def test_bundle(test_profile_bundle):
    """The test profile as a user runs it (made once per session, in conftest.py); read only here."""
    return test_profile_bundle


def test_test_profile_records_every_point_and_ships_every_model(test_bundle):
    results = read_results(test_bundle)
    manifest = read_manifest(test_bundle)
    assert len(results) == len(study_paradigms()) * len(TEST_PROFILE_FRACTIONS)
    assert set(results["label_fraction"]) == set(TEST_PROFILE_FRACTIONS)
    assert set(results["paradigm"]) == {p.name for p in study_paradigms()}
    for model in manifest["models"]:
        path = test_bundle / model["file"]
        assert path.exists() and sha256_of_file(path) == model["sha256"]
    classifiers = [m for m in manifest["models"] if m["role"] == "classifier"]
    for model in classifiers:  # whole, or a head run after its encoder: image in, 10 logits out
        assert model["inputs"][0]["shape"] == ["batch", 1, 28, 28]
        assert model["outputs"][0]["shape"] == ["batch", 10]
    # The rows that measure another paradigm's encoder (the fine-tunes, pretraining then
    # FixMatch) ship results only; every other row's classifier is in the bundle.
    results_only = {p["id"] for p in manifest["paradigms"] if p["in_study"] and not p["ships_classifier"]}
    assert results_only == {p.name for p in study_paradigms() if p.encoder_from}
    with_classifier = ~results["paradigm"].isin(results_only)
    assert {m["id"] for m in classifiers} == set(results.loc[with_classifier, "model_id"])
    assert (results.loc[~with_classifier, "model_id"] == "").all()
    # Each self-supervised paradigm ships its pretext network and encoder once, and a feature map.
    self_supervised = {p.name for p in study_paradigms() if p.family == "self_supervised" and p.frozen_encoder}
    assert {m["paradigm"] for m in manifest["models"] if m["role"] == "pretext_head"} == self_supervised
    # The GAN probe ships an encoder (the DCGAN discriminator's trunk) and its map too.
    frozen = {p.name for p in study_paradigms() if p.frozen_encoder}
    assert frozen == self_supervised | {"gan_probe"}
    assert {m["paradigm"] for m in manifest["models"] if m["role"] == "encoder"} == frozen
    assert {f["source"] for f in manifest["feature_maps"]} == frozen | {"raw_pixels", "untrained_encoder"}
    assert {p["id"]: p["implemented"] for p in manifest["paradigms"]}["colourisation"] is True


def test_the_manifest_names_the_labelled_subsets_the_run_trained_on(test_bundle):
    """The test profile trains 3 fractions of seed 0: the manifest fingerprints those 3 subsets,
    each the one its results rows were trained on."""
    manifest, results = read_manifest(test_bundle), read_results(test_bundle)
    subsets = manifest["datasets"]["digits"]["labelled_subsets"]
    assert list(subsets) == ["0"]
    assert {float(fraction) for fraction in subsets["0"]} == set(PROFILES["test"].fractions)
    for _, row in results.iterrows():
        assert subsets["0"][f"{row['label_fraction']:g}"] == row["subset_sha256"]


def test_test_profile_ships_the_gans_with_their_timelines(test_bundle):
    manifest = read_manifest(test_bundle)
    roles = {(m["paradigm"], m["role"]) for m in manifest["models"] if m["family"] == "gan" and m["role"] != "classifier"}
    assert roles == {("dcgan", "generator"), ("dcgan", "discriminator"), ("conditional_gan", "generator"),
                     ("gan_probe", "encoder")}
    generator = next(m for m in manifest["models"] if m["paradigm"] == "dcgan" and m["role"] == "generator")
    session = onnxruntime.InferenceSession(str(test_bundle / generator["file"]))
    images = session.run(["image"], {"noise": np.random.default_rng(0).standard_normal((5, 64), dtype=np.float32)})[0]
    assert images.shape == (5, 1, 28, 28) and 0.0 <= images.min() and images.max() <= 1.0
    timelines = {t["paradigm"]: t for t in manifest["gan_timelines"]}
    assert set(timelines) == {"dcgan", "conditional_gan"}
    for timeline in timelines.values():
        for name, sha in timeline["sha256"].items():
            assert sha256_of_file(test_bundle / name) == sha
        frames = np.load(test_bundle / timeline["file"])
        assert frames["images"].shape == (len(timeline["checkpoint_steps"]), 64, 28, 28)
        assert len(timeline["checkpoint_steps"]) >= 8 and frames["early_samples"].shape == (1000, 28, 28)
        losses = pd.read_csv(test_bundle / timeline["losses_file"])
        assert list(losses.columns[:3]) == ["step", "discriminator_loss", "generator_loss"] and len(losses) > 0


def test_test_profile_ships_the_2d_gans_recording(test_bundle):
    """The study writes the 2-D GAN's recording (for_tests(): 400 steps, 40 moments) beside the
    other GAN files, listed and checked like them, far under the bundle's 2 MB for it."""
    manifest = read_manifest(test_bundle)
    (entry,) = manifest["gan_2d_recordings"]
    assert entry["paradigm"] == "gan_2d" and entry["moments"] >= 40
    path = test_bundle / entry["file"]
    assert sha256_of_file(path) == entry["sha256"][entry["file"]]
    assert path.stat().st_size == entry["size_bytes"] < 2_000_000
    with np.load(path, allow_pickle=False) as recording:
        assert recording["verdict"].shape[0] == recording["fake_points"].shape[0] == entry["moments"]
    first, last = entry["mean_distance_to_ring"]["first"], entry["mean_distance_to_ring"]["last"]
    assert last < first
    assert any(e["paradigm"] == "gan_2d" for e in manifest["artifacts"])


def test_test_profile_accuracies_are_real(test_bundle):
    results = read_results(test_bundle).set_index(["paradigm", "label_fraction"])["test_accuracy"]
    # Tiny configs on 8x8 digits, but still real learning: far above the 10 % of guessing.
    assert results[("supervised", 1.0)] > 0.9
    assert results[("kmeans", 1.0)] > 0.8
    assert results[("supervised", 1.0)] > results[("supervised", 0.01)]
    # With every label, each paradigm learns (the semi-supervised GAN's 200 steps read 79 % with
    # the paper's input noise, 88 % without; the mean teacher's 10 % here was a config that kept
    # too much of its random start).
    with_every_label = results.xs(1.0, level="label_fraction")
    assert (with_every_label > 0.7).all(), with_every_label[with_every_label <= 0.7].to_dict()


def test_shipped_models_reproduce_the_results_table(test_bundle):
    manifest = read_manifest(test_bundle)
    data = np.load(test_bundle / manifest["datasets"]["digits"]["eval_file"])
    images = (data["images"].astype(np.float32) / 255.0)[:, None]  # (N, 1, 28, 28)
    results = read_results(test_bundle).set_index("model_id")
    models = {m["id"]: m for m in manifest["models"]}

    def run(model, inputs):
        session = onnxruntime.InferenceSession(str(test_bundle / model["file"]), providers=["CPUExecutionProvider"])
        return session.run(None, {session.get_inputs()[0].name: inputs})[0]

    for model in manifest["models"]:
        if model["role"] != "classifier":
            continue
        inputs = run(models[model["encoder"]], images) if "encoder" in model else images
        predicted = run(model, inputs).argmax(axis=1)
        measured = float((predicted == data["labels"]).mean())
        assert measured == pytest.approx(results.loc[model["id"], "test_accuracy"], abs=1e-3), model["id"]


def test_rerun_skips_finished_points_and_redoes_only_missing_ones(tmp_path):
    first = run_study(paradigms=["kmeans"], data="digits", seeds=(0, 1), fractions=FAST, bundle_dir=tmp_path,
                      tiny=True, workers=1, progress=False)
    assert len(first.finished) == 4
    again = run_study(paradigms=["kmeans"], data="digits", seeds=(0, 1), fractions=FAST, bundle_dir=tmp_path,
                      tiny=True, workers=1, progress=False)
    assert (len(again.finished), again.skipped) == (0, 4)

    # A model file lost from the USB stick: only its point is trained again.
    lost = read_manifest(tmp_path)["models"][0]
    (tmp_path / lost["file"]).unlink()
    repaired = run_study(paradigms=["kmeans"], data="digits", seeds=(0, 1), fractions=FAST, bundle_dir=tmp_path,
                         tiny=True, workers=1, progress=False)
    assert [r["model_id"] for r in repaired.finished] == [lost["id"]]
    assert len(read_results(tmp_path)) == 4


def test_the_study_removes_classifiers_a_paradigm_no_longer_ships(tmp_path):
    """A bundle made when the fine-tunes shipped their classifiers: the next study run leaves
    their results rows and removes the files, their manifest entries and the rows' model ids."""
    run_study(paradigms=["kmeans"], data="digits", seeds=(0,), fractions=(1.0,), bundle_dir=tmp_path,
              tiny=True, workers=1, progress=False)
    kmeans = read_manifest(tmp_path)["models"][0]
    old_id = kmeans["id"].replace("kmeans", "rotation_finetune")
    old_file = kmeans["file"].replace("kmeans", "rotation_finetune")
    shutil.copy(tmp_path / kmeans["file"], tmp_path / old_file)
    update_manifest(tmp_path, lambda manifest: upsert_model(
        manifest, {**kmeans, "id": old_id, "file": old_file, "paradigm": "rotation_finetune", "family": "self_supervised"}))
    row = read_results(tmp_path).iloc[0].to_dict()
    record_result(tmp_path, {**row, "paradigm": "rotation_finetune", "family": "self_supervised", "model_id": old_id})

    again = run_study(paradigms=["kmeans"], data="digits", seeds=(0,), fractions=(1.0,), bundle_dir=tmp_path,
                      tiny=True, workers=1, progress=False)
    assert (len(again.finished), again.skipped) == (0, 1)
    assert not (tmp_path / old_file).exists() and (tmp_path / kmeans["file"]).exists()
    assert [m["id"] for m in read_manifest(tmp_path)["models"]] == [kmeans["id"]]
    results = read_results(tmp_path).set_index("paradigm")
    assert results.loc["rotation_finetune", "model_id"] == "" and results.loc["kmeans", "model_id"] == kmeans["id"]
    # Killed after the entries and files went, before the rows: the next run clears them.
    record_result(tmp_path, {**row, "paradigm": "rotation_finetune", "family": "self_supervised", "model_id": old_id})
    run_study(paradigms=["kmeans"], data="digits", seeds=(0,), fractions=(1.0,), bundle_dir=tmp_path,
              tiny=True, workers=1, progress=False)
    assert read_results(tmp_path).set_index("paradigm").loc["rotation_finetune", "model_id"] == ""


def test_a_bundle_from_another_split_is_refused(tmp_path):
    run_study(paradigms=["kmeans"], data="digits", seeds=(0,), fractions=(1.0,), bundle_dir=tmp_path,
              tiny=True, workers=1, progress=False)
    manifest_path = tmp_path / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["datasets"]["digits"]["test_split_sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(StudyError, match="another test split"):
        run_study(paradigms=["kmeans"], data="digits", seeds=(0,), fractions=(1.0,), bundle_dir=tmp_path,
                  tiny=True, workers=1, progress=False)


def test_killed_study_resumes_and_keeps_finished_points(tmp_path):
    # Three paradigms, not all: the kill and the resume are the same code for every paradigm, and
    # rotation brings the shared pretraining (cached once per seed) into the picture.
    chosen = ["supervised", "kmeans", "rotation"]
    command = [sys.executable, "-m", "training", "study", "--profile", "test", "--out", str(tmp_path), "--workers", "2",
               *[arg for name in chosen for arg in ("--paradigm", name)]]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(read_results(tmp_path)) < 3:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the whole group: the workers die too
    process.wait()
    before = read_results(tmp_path)
    every_point = len(TEST_PROFILE_FRACTIONS) * len(chosen)
    assert 3 <= len(before) < every_point, "the kill should land mid-study"
    manifest = read_manifest(tmp_path)
    for model in manifest["models"]:  # consistent after the kill: every named file exists, whole
        assert sha256_of_file(tmp_path / model["file"]) == model["sha256"]

    resumed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    after = read_results(tmp_path)
    assert len(after) == every_point
    kept = after.merge(before, on=["paradigm", "label_fraction", "seed"], suffixes=("", "_before"))
    assert len(kept) == len(before)
    assert (kept["finished_at"] == kept["finished_at_before"]).all(), "finished points are not retrained"
    assert (kept["test_accuracy"] == kept["test_accuracy_before"]).all()


def test_workers_stop_when_the_study_process_is_killed(tmp_path):
    # Only the study process writes the bundle; its workers must not train on, orphaned, for
    # nothing (a test's timeout once left two of them running for half an hour).
    command = [sys.executable, "-m", "training", "study", "--profile", "test", "--out", str(tmp_path), "--workers", "2",
               "--paradigm", "supervised"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[str] = []
    deadline = time.time() + 60
    while time.time() < deadline and len(workers) < 2:
        found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        workers = [pid for pid in found if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
        time.sleep(0.2)
    assert len(workers) >= 2, "the study should have started its workers"
    process.kill()  # the study process alone, as a timeout or the OOM killer would
    process.wait()

    def running(pid: str) -> bool:
        status = Path(f"/proc/{pid}/status")
        return status.exists() and "State:\tZ" not in status.read_text()

    deadline = time.time() + 15
    while time.time() < deadline and any(running(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if running(pid)]


def test_same_command_and_seed_give_the_same_numbers(tmp_path):
    runs = []
    for name in ("a", "b"):
        run_study(paradigms=["supervised", "kmeans"], data="digits", seeds=(0,), fractions=(0.1,),
                  bundle_dir=tmp_path / name, tiny=True, workers=1, progress=False)
        runs.append(read_results(tmp_path / name)[["paradigm", "test_accuracy"]])
    pd.testing.assert_frame_equal(runs[0], runs[1])
