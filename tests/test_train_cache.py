"""The pretraining cache shared by a study's workers: one trains a network, the others either
wait for it or (inside a study worker) hand their point back to be run later."""

import fcntl
import threading

import pytest

from training import precision, train_cache
from training.train_cache import TrainingElsewhere, cached, elsewhere_is_an_error


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(train_cache.CACHE_ENVIRONMENT_VARIABLE, str(tmp_path))
    # float32 whatever the processor, so the files keep the names the tests give them.
    monkeypatch.setenv(precision.OVERRIDE_VARIABLE, "0")
    precision.native_bfloat16.cache_clear()
    yield tmp_path
    precision.native_bfloat16.cache_clear()


def hold_lock(cache, key):
    held = open(cache / f"{key}.lock", "w")  # another open file: flock conflicts as between processes
    fcntl.flock(held, fcntl.LOCK_EX)
    return held


def test_a_network_being_trained_elsewhere_is_reported_not_trained_twice(cache):
    calls = []
    held = hold_lock(cache, "encoder")
    with elsewhere_is_an_error(), pytest.raises(TrainingElsewhere):
        cached("encoder", lambda: calls.append(1) or ("net", {"w": 1}), lambda saved: saved)
    held.close()
    assert calls == []


def test_a_finished_network_is_read_even_inside_a_worker(cache):
    cached("encoder", lambda: ("net", {"w": 1}), lambda saved: saved)
    with elsewhere_is_an_error():
        assert cached("encoder", lambda: pytest.fail("trained again"), lambda saved: saved) == {"w": 1}


def test_outside_a_worker_the_second_caller_waits_and_reads_the_first_ones_network(cache):
    held = hold_lock(cache, "encoder")
    released = threading.Event()

    def finish_training():
        import torch

        torch.save({"w": 7}, cache / "encoder.pt")
        released.set()
        held.close()

    threading.Timer(0.2, finish_training).start()
    assert cached("encoder", lambda: pytest.fail("trained again"), lambda saved: saved) == {"w": 7}
    assert released.is_set()


def test_a_network_trained_in_bfloat16_never_starts_a_float32_run_nor_the_reverse(cache, monkeypatch):
    # A machine with native bfloat16 trains the configs that ask for it in bfloat16, unless
    # PARADIGM_LAB_BFLOAT16=0: the study rerun ran in float32 there, and a network cached by a
    # bfloat16 run on the same machine must not reach it.
    cached("encoder", lambda: ("net", {"arithmetic": "float32"}), lambda saved: saved)
    monkeypatch.setenv(precision.OVERRIDE_VARIABLE, "1")
    precision.native_bfloat16.cache_clear()
    assert cached("encoder", lambda: ("net", {"arithmetic": "bfloat16"}), lambda saved: saved) == "net"
    assert cached("encoder", lambda: pytest.fail("trained again"), lambda saved: saved) == {"arithmetic": "bfloat16"}
    monkeypatch.setenv(precision.OVERRIDE_VARIABLE, "0")
    precision.native_bfloat16.cache_clear()
    assert cached("encoder", lambda: pytest.fail("trained again"), lambda saved: saved) == {"arithmetic": "float32"}
    # The float32 network keeps the name it had before the arithmetic was in the key.
    assert (cache / "encoder.pt").exists() and (cache / "encoder-bfloat16.pt").exists()
