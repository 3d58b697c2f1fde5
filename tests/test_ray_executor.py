"""The Ray executor gives the same study as the local one, on a local Ray instance the test starts."""

import pandas as pd
import pytest

from training.bundle_writer import read_manifest, read_results, sha256_of_file
from training.study import run_study

ray = pytest.importorskip("ray", reason="the optional Ray extra is not installed (pip install -e '.[ray]')")

# A torch paradigm and a quick one; two seeds, so that points go to both Ray workers. Supervised
# trains on one seed only: each of its points costs about 16 s, here and again on Ray.
TORCH_POINTS = dict(paradigms=["supervised"], data="digits", seeds=(0,), fractions=(1.0,), tiny=True, progress=False)
QUICK_POINTS = dict(paradigms=["kmeans"], data="digits", seeds=(0, 1), fractions=(1.0,), tiny=True, progress=False)


def test_ray_runs_the_same_points_with_the_same_numbers(tmp_path, monkeypatch):
    for points in (TORCH_POINTS, QUICK_POINTS):
        run_study(bundle_dir=tmp_path / "local", workers=1, **points)
    # Ray starts its workers at niceness 15: beside the other test process, which keeps the
    # second core busy, they got almost no CPU and this test waited 10 minutes for 35 seconds of
    # work (34 s with niceness 0). The local instance this test starts reads the setting from
    # the environment it inherits.
    monkeypatch.setenv("RAY_worker_niceness", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        summaries = [run_study(bundle_dir=tmp_path / "ray", executor="ray", **points)
                     for points in (TORCH_POINTS, QUICK_POINTS)]
    finally:
        ray.shutdown()
    assert not any(summary.failed for summary in summaries)
    assert [len(summary.finished) for summary in summaries] == [1, 2]

    columns = ["paradigm", "label_fraction", "seed", "n_labels", "test_accuracy", "subset_sha256", "model_id"]
    local, on_ray = (read_results(tmp_path / name)[columns] for name in ("local", "ray"))
    pd.testing.assert_frame_equal(local, on_ray)

    # The models came back over Ray and were written here, whole.
    for model in read_manifest(tmp_path / "ray")["models"]:
        assert sha256_of_file(tmp_path / "ray" / model["file"]) == model["sha256"]

