"""The one export function: parity with PyTorch, dynamic batch, metadata, atomic writes."""

import json
import multiprocessing
import os
import signal
import time

import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from training.backbone import Classifier, make_encoder
from training.bundle_writer import atomic_write_bytes, read_manifest, sha256_of_file, update_manifest, upsert_model
from training.export import export_model


def _facts():
    return {"paradigm": "supervised", "family": "supervised", "role": "classifier", "dataset": "digits",
            "label_fraction": 0.1, "seed": 0, "class_names": [str(d) for d in range(10)], "metrics": {}}


def test_export_matches_pytorch_and_has_a_dynamic_batch(tmp_path):
    torch.manual_seed(0)
    model = Classifier(make_encoder(), 10).eval()
    example = torch.rand(4, 1, 28, 28)
    exported = export_model(model, model_id="m", example_input=example, facts=_facts())
    entry = exported.entry
    path = tmp_path / entry["file"]
    atomic_write_bytes(path, exported.onnx_bytes)
    assert entry["sha256"] == sha256_of_file(path) and entry["size_bytes"] == path.stat().st_size
    assert entry["metrics"]["onnx_parity_max_abs_diff"] < 1e-4
    assert entry["parameters"] <= 100_000, "the foundation's backbone budget"
    onnx.checker.check_model(onnx.load(path))

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["image"]
    assert [o.name for o in session.get_outputs()] == ["logits"]
    for batch in (1, 64):
        images = torch.rand(batch, 1, 28, 28)
        logits = session.run(["logits"], {"image": images.numpy()})[0]
        assert logits.shape == (batch, 10)
        with torch.inference_mode():
            assert np.abs(logits - model(images).numpy()).max() < 1e-4
    metadata = session.get_modelmeta().custom_metadata_map
    assert json.loads(metadata["paradigm"]) == "supervised"
    assert json.loads(metadata["class_names"])[3] == "3"


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "manifest.json"
    atomic_write_bytes(target, b"old and complete")

    def crash(*args, **kwargs):
        raise OSError("simulated power cut before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new" * 1000)
    assert target.read_bytes() == b"old and complete"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"], "no temporary file left behind"


def _rewrite_forever(path: str) -> None:
    # Alternates two complete payloads of different sizes as fast as it can.
    payloads = [json.dumps({"model": "a" * 200_000}).encode(), json.dumps({"model": "b" * 50}).encode()]
    i = 0
    while True:
        atomic_write_bytes(__import__("pathlib").Path(path), payloads[i % 2])
        i += 1


def test_a_kill_during_writes_never_leaves_a_partial_file(tmp_path):
    target = tmp_path / "manifest.json"
    atomic_write_bytes(target, json.dumps({"model": "start"}).encode())
    context = multiprocessing.get_context("spawn")
    for delay in (0.3, 0.45, 0.6):
        process = context.Process(target=_rewrite_forever, args=(str(target),))
        process.start()
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        assert json.loads(target.read_text())["model"] in {"start", "a" * 200_000, "b" * 50}


def test_manifest_upsert_replaces_a_model_with_the_same_id(tmp_path):
    # A whole entry, as the bundle contract wants one (the writer refuses an incomplete manifest).
    entry = {"id": "x", "paradigm": "kmeans", "role": "classifier", "dataset": "digits", "label_fraction": 0.1,
             "file": "models/x.onnx", "sha256": "old"}
    kmeans = {"id": "kmeans", "family": "unsupervised", "in_study": True, "implemented": True}
    update_manifest(tmp_path, lambda m: (m.update(paradigms=[kmeans]), upsert_model(m, entry)))
    update_manifest(tmp_path, lambda m: upsert_model(m, {**entry, "sha256": "new"}))
    models = read_manifest(tmp_path)["models"]
    assert len(models) == 1 and models[0]["sha256"] == "new"
