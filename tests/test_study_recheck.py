"""The chart re-checks itself: the shipped models, measured now, against results.csv.

What a teacher would notice: on the shipped bundle every point agrees; a results row that was
changed after the fact is flagged, and only that one; a model that cannot be measured is named
with the command that rebuilds it.
"""

import json
import shutil
import threading

import pandas as pd
import pytest
from dashboard_fixtures import REAL_BUNDLE, real_bundle_available

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.topics.study.recheck import RECHECK_TOLERANCE, MeasurementMemory, recheck_study, start_measuring_ahead

pytestmark = pytest.mark.skipif(not real_bundle_available(), reason="exported_models/ not built")


@pytest.fixture
def bundle_copy(tmp_path):
    return shutil.copytree(REAL_BUNDLE, tmp_path / "bundle")


def recheck(directory, memory=None):
    manifest = bundle.load_manifest(directory)
    results = bundle.load_results(directory)
    return recheck_study(
        manifest,
        results,
        session_for=lambda model: inference.create_session(
            bundle.verified_model_path(directory, model), model
        ),
        evaluation_set_for=lambda dataset: bundle.load_evaluation_set(directory, dataset),
        memory=memory,
    )


def alter_seed_zero_row(directory, paradigm, fraction, change):
    path = directory / "results.csv"
    results = pd.read_csv(path)
    row = (
        (results["paradigm"] == paradigm)
        & (results["label_fraction"] == fraction)
        & (results["seed"] == 0)
    )
    assert row.sum() == 1
    results.loc[row, "test_accuracy"] += change
    results.to_csv(path, index=False)


def test_every_shipped_point_agrees_with_results_csv():
    report = recheck(REAL_BUNDLE)
    manifest = bundle.load_manifest(REAL_BUNDLE)
    assert len(report.points) == len([m for m in manifest.models if m.role == "classifier"])
    assert report.flagged == []
    assert report.n_images == 1000
    assert all(point.seed == 0 and point.error is None for point in report.points)


def test_a_results_row_changed_after_the_fact_is_flagged_and_no_other(bundle_copy):
    alter_seed_zero_row(bundle_copy, "kmeans", 0.1, +0.02)
    report = recheck(bundle_copy)
    (flagged,) = report.flagged
    assert (flagged.paradigm, flagged.label_fraction, flagged.seed) == ("kmeans", 0.1, 0)
    assert flagged.difference == pytest.approx(-0.02)
    shipped = [m for m in bundle.load_manifest(bundle_copy).models if m.role == "classifier"]
    assert len(report.points) - len(report.flagged) == len(shipped) - 1


def test_a_difference_of_one_test_image_is_within_tolerance(bundle_copy):
    alter_seed_zero_row(bundle_copy, "supervised", 0.05, RECHECK_TOLERANCE)
    alter_seed_zero_row(bundle_copy, "supervised", 0.5, 2 * RECHECK_TOLERANCE)
    flagged = [(p.paradigm, p.label_fraction) for p in recheck(bundle_copy).flagged]
    assert flagged == [("supervised", 0.5)]


def test_a_model_that_cannot_be_measured_is_named_with_its_rebuild_command(bundle_copy):
    manifest = bundle.load_manifest(bundle_copy)
    missing = manifest.model("supervised-mnist5k-020pct-seed0")
    (bundle_copy / missing.file).unlink()
    report = recheck(bundle_copy)
    (flagged,) = report.flagged
    assert flagged.model_id == missing.id and flagged.measured_accuracy is None
    message = flagged.error.message("en")
    assert missing.id in message
    assert "python -m training train supervised --fraction 0.2 --seed 0" in message


def test_a_results_row_whose_model_is_not_shipped_is_flagged(bundle_copy):
    results = pd.read_csv(bundle_copy / "results.csv")
    extra = results.iloc[[0]].copy()
    # A fraction the study never ships (3 %): its model cannot be in the manifest.
    extra[["paradigm", "model_id"]] = ["semi_supervised_gan", "semi_supervised_gan-mnist5k-003pct-seed0"]
    pd.concat([results, extra]).to_csv(bundle_copy / "results.csv", index=False)
    report = recheck(bundle_copy)
    (flagged,) = report.flagged
    assert flagged.paradigm == "semi_supervised_gan" and flagged.error.message_key == (
        "error.model_not_in_manifest"
    )
    assert "python -m training study --paradigm semi_supervised_gan" in flagged.error.message("fr")


def test_a_results_only_paradigm_is_not_measured_and_not_flagged(bundle_copy):
    """A fine-tune ships its results rows and no classifier (paradigm entry ``ships_classifier``
    false): the recheck measures the models there are and says nothing of those rows."""
    manifest_path = bundle_copy / "manifest.json"
    raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    raw["paradigms"].append({"id": "rotation_finetune", "family": "self_supervised", "ships_classifier": False})
    manifest_path.write_text(json.dumps(raw), encoding="utf-8")
    results = pd.read_csv(bundle_copy / "results.csv")
    extra = results[(results["paradigm"] == "rotation") & (results["seed"] == 0)].copy()
    extra["paradigm"], extra["model_id"] = "rotation_finetune", ""
    pd.concat([results, extra]).to_csv(bundle_copy / "results.csv", index=False)
    report = recheck(bundle_copy)
    assert report.flagged == []
    assert "rotation_finetune" not in {point.paradigm for point in report.points}
    # The page names them beside its verdict: the rows added here, with any results-only rows of
    # seed 0 the bundle already had (the shipped bundle's fine-tunes).
    written = pd.read_csv(bundle_copy / "results.csv")
    results_only = {p.id for p in bundle.load_manifest(bundle_copy).paradigms if not p.ships_classifier}
    assert "rotation_finetune" in results_only
    assert report.n_results_only == int(((written["seed"] == 0) & written["paradigm"].isin(results_only)).sum())
    assert report.n_results_only >= len(extra)
    assert len(report.points) == len([m for m in bundle.load_manifest(bundle_copy).models if m.role == "classifier"])


def test_a_missing_encoder_flags_each_of_its_heads_and_names_the_encoder(bundle_copy):
    # The heads of one self-supervised encoder share its run over the test images: without the
    # encoder's file, every one of its heads is flagged with the sentence that names the encoder.
    manifest = bundle.load_manifest(bundle_copy)
    heads = [m for m in manifest.models if m.paradigm == "rotation" and m.role == "classifier"]
    encoder = heads[0].encoder
    assert encoder is not None and all(head.encoder == encoder for head in heads)
    (bundle_copy / encoder.file).unlink()
    report = recheck(bundle_copy)
    assert sorted(point.model_id for point in report.flagged) == sorted(head.id for head in heads)
    for point in report.flagged:
        assert point.measured_accuracy is None
        message = point.error.message("en")
        assert encoder.id in message
        assert "python -m training study --profile full --paradigm rotation --seed 0" in message


def test_a_server_remembers_what_it_measured_and_checks_the_files_again(bundle_copy):
    memory = MeasurementMemory()
    first = recheck(bundle_copy, memory)
    assert first.n_recalled == 0 and len(memory) == len(first.points)
    # A second click runs no model: the same accuracies, every file checked again.
    second = recheck(bundle_copy, memory)
    assert second.n_recalled == len(second.points)
    assert [p.measured_accuracy for p in second.points] == [p.measured_accuracy for p in first.points]
    assert second.flagged == []
    # A file swapped for another model's after it was measured is not taken on trust.
    manifest = bundle.load_manifest(bundle_copy)
    swapped = manifest.model("supervised-mnist5k-020pct-seed0")
    shutil.copyfile(bundle_copy / manifest.model("supervised-mnist5k-100pct-seed0").file, bundle_copy / swapped.file)
    third = recheck(bundle_copy, memory)
    (flagged,) = third.flagged
    assert flagged.model_id == swapped.id and flagged.measured_accuracy is None
    assert flagged.error.message_key == "error.model_mismatch"


def test_measuring_ahead_leaves_the_click_nothing_to_run(bundle_copy):
    memory = MeasurementMemory()
    # On its own thread, as the server runs it: measuring ahead lowers the priority of the
    # thread it runs on, and run here it had left the rest of this test process at niceness 10.
    start_measuring_ahead(bundle_copy, memory).join()
    report = recheck(bundle_copy, memory)
    assert report.n_recalled == len(report.points) and report.flagged == []


def test_a_model_measured_by_another_thread_is_waited_for_not_measured_twice():
    memory = MeasurementMemory()
    key = ("model", None, "test images")
    started, release, calls = threading.Event(), threading.Event(), []

    def slow_measure():
        calls.append("ahead")
        started.set()
        release.wait(timeout=10)
        return 0.9

    ahead = threading.Thread(target=memory.measure_once, args=(key, slow_measure))
    ahead.start()
    started.wait(timeout=10)
    waiting = []
    click = threading.Thread(target=lambda: waiting.append(memory.measure_once(key, lambda: calls.append("click") or 0.1)))
    click.start()
    release.set()
    ahead.join(timeout=10)
    click.join(timeout=10)
    assert calls == ["ahead"] and waiting == [0.9]
