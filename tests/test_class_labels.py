"""The class-labels page's logic: the labels database (shared, durable, majority, every failure a
sentence with no label lost) and the live probes (accuracy rises with correct labels, stays near
chance with shuffled ones)."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from dashboard_fixtures import real_bundle_available

from dashboard.topics.class_labels import labelling as class_labels
from dashboard.topics.class_labels.labelling import LabelStore, LabelStoreError, normalise_code

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path) -> LabelStore:
    return LabelStore(tmp_path / "data" / "class_labels.sqlite3")


def error_key(call) -> str:
    with pytest.raises(LabelStoreError) as raised:
        call()
    return raised.value.message_key


# --- the database ------------------------------------------------------------------------------


def test_a_new_class_has_a_four_letter_code_and_a_missing_folder_is_made(store):
    code = store.create_class()
    assert len(code) == 4 and code.isalpha() and code.isupper()
    assert store.path.is_file() and store.class_exists(code)
    assert store.require_class(f"  {code.lower()} ") == code
    journal = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert journal == "wal"


def test_labels_survive_a_restart_and_are_shared_by_another_process(store):
    code = store.create_class()
    store.add_label(code, "student-a", 5, 3)
    # Another server process writes to the same file.
    process = multiprocessing.get_context("spawn").Process(
        target=_label_from_another_process, args=(str(store.path), code))
    process.start()
    process.join(60)
    assert process.exitcode == 0
    reopened = LabelStore(store.path)  # a new store on the same file: a server restart
    given = reopened.class_labels(code).given
    assert [(label.pool_position, label.label, label.labeller) for label in given] == [
        (5, 3, "student-a"), (6, 7, "student-b")]


def _label_from_another_process(path: str, code: str) -> None:
    LabelStore(Path(path)).add_label(code, "student-b", 6, "7")


def test_disagreeing_labels_are_both_kept_and_the_majority_wins(store):
    code = store.create_class()
    store.add_label(code, "a", 10, 4)
    store.add_label(code, "b", 10, 9)  # a tie: the label given first wins
    store.add_label(code, "c", 11, 1)
    labels = store.class_labels(code)
    assert len(labels.given) == 3
    first = labels.resolved()[0]
    assert (first.pool_position, first.label, first.votes, first.disputed) == (10, 4, {4: 1, 9: 1}, True)
    store.add_label(code, "d", 10, 9)
    resolved = store.class_labels(code).resolved()
    assert [(digit.pool_position, digit.label) for digit in resolved] == [(10, 9), (11, 1)]


def test_students_labelling_at_once_get_different_digits_in_the_pool_order(store):
    code = store.create_class()
    order = np.array([7, 3, 9, 1, 0, 2, 8, 4, 6, 5])
    first = store.next_digits(code, "a", order, 3)
    second = store.next_digits(code, "b", order, 3)
    assert first == [7, 3, 9] and second == [1, 0, 2]
    assert store.next_digits(code, "a", order, 3) == first  # still held for "a"
    store.add_label(code, "a", 7, 1)
    assert store.next_digits(code, "a", order, 3) == [3, 9, 8]
    # A second opinion: digits a classmate labelled once, never one's own.
    assert store.next_digits(code, "b", order, 2, second_opinion=True) == [7]
    assert store.next_digits(code, "a", order, 2, second_opinion=True) == []


def test_a_drawing_is_kept_with_its_label(store):
    code = store.create_class()
    drawing = np.zeros((28, 28), np.float32)
    drawing[8:20, 13:15] = 1.0
    store.add_drawing(code, "a", drawing, 1)
    (label,) = store.class_labels(code).given
    assert label.pool_position is None and label.label == 1
    assert np.frombuffer(label.drawing, np.uint8).reshape(28, 28)[10, 13] == 255


def test_the_teacher_clears_a_class_and_its_code_stays(store):
    code, other = store.create_class(), store.create_class()
    store.add_label(code, "a", 1, 1)
    store.add_label(other, "a", 1, 2)
    assert store.clear_class(code) == 1
    assert store.class_labels(code).given == () and len(store.class_labels(other).given) == 1
    assert store.class_exists(code)


@pytest.mark.parametrize("value", ["a", "10", "-1", "", " ", "7.5", "٣", None])
def test_a_label_that_is_not_a_digit_is_a_sentence(store, value):
    code = store.create_class()
    assert error_key(lambda: store.add_label(code, "a", 1, value)) == "class_labels.error.not_a_digit"
    assert store.class_labels(code).given == ()


@pytest.mark.parametrize("typed", ["", "AB", "ABCDE", "AB1D", "<script>", "ABÇD", "ABIO"])
def test_a_class_code_of_the_wrong_shape_is_a_sentence(typed):
    assert error_key(lambda: normalise_code(typed)) == "class_labels.error.bad_code"


def test_a_class_code_that_does_not_exist_is_a_sentence(store):
    assert error_key(lambda: store.require_class("WXYZ")) == "class_labels.error.no_such_class"
    assert error_key(lambda: store.add_label("WXYZ", "a", 1, 1)) == "class_labels.error.no_such_class"


def test_a_locked_database_is_a_sentence_and_loses_nothing(store, monkeypatch):
    monkeypatch.setattr(class_labels, "BUSY_TIMEOUT_SECONDS", 0.2)
    code = store.create_class()
    store.add_label(code, "a", 1, 1)
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        assert error_key(lambda: store.add_label(code, "a", 2, 2)) == "class_labels.error.locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.add_label(code, "a", 2, 2)  # sent again once the lock is gone
    assert [label.label for label in store.class_labels(code).given] == [1, 2]


def test_a_read_only_database_is_a_sentence_and_keeps_its_labels(store, monkeypatch):
    code = store.create_class()
    store.add_label(code, "a", 1, 1)
    if os.geteuid() == 0:
        # Root writes through file permissions; SQLite's own read-only switch gives the same
        # error a read-only file does.
        connect = sqlite3.connect

        def read_only_connect(*args, **kwargs):
            connection = connect(*args, **kwargs)
            connection.execute("PRAGMA query_only = 1")
            return connection

        monkeypatch.setattr(class_labels.sqlite3, "connect", read_only_connect)
    else:
        store.path.chmod(0o444)
    assert error_key(lambda: store.add_label(code, "a", 2, 2)) == "class_labels.error.read_only"
    monkeypatch.undo()
    store.path.chmod(0o644)
    assert [label.label for label in store.class_labels(code).given] == [1]


def test_a_corrupt_database_is_a_sentence_and_is_never_overwritten(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"this is not a database, but somebody's file" * 100)
    before = store.path.read_bytes()
    assert error_key(store.create_class) == "class_labels.error.corrupt"
    assert error_key(lambda: store.class_exists("ABCD")) == "class_labels.error.corrupt"
    assert store.path.read_bytes() == before


def test_a_folder_that_cannot_be_made_is_a_sentence(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    blocked = LabelStore(blocker / "class_labels.sqlite3")
    assert error_key(blocked.create_class) == "class_labels.error.unreachable"


def test_every_error_reads_as_a_sentence_in_both_languages(store):
    error = LabelStoreError("class_labels.error.corrupt", path="/x/class_labels.sqlite3")
    for language in ("fr", "en"):
        text = error.message(language)
        assert "/x/class_labels.sqlite3" in text and "class_labels.error" not in text


# --- learning from the labels (the shipped bundle) -----------------------------------------------


needs_bundle = pytest.mark.skipif(not real_bundle_available(), reason="the shipped bundle is not here")


@pytest.fixture(scope="module")
def bench():
    return class_labels.learning_bench(REPOSITORY_ROOT / "exported_models")


@needs_bundle
def test_probe_accuracies_name_pixels_and_every_shipped_encoder(bench, monkeypatch):
    monkeypatch.setenv("PARADIGM_LAB_BUNDLE", str(REPOSITORY_ROOT / "exported_models"))
    pool = bench.pool
    first = pool.order[:40]
    accuracies = class_labels.probe_accuracies(pool.images[first] / 255.0, pool.hidden_labels[first])
    encoders = {m.id for m in bench.manifest.models if m.role == "encoder"}
    assert set(accuracies) == {"pixels"} | encoders
    assert len(encoders) == 6  # five self-supervised encoders and the GAN discriminator's
    assert all(0.0 <= value <= 1.0 for value in accuracies.values())


@needs_bundle
def test_accuracy_rises_with_correct_labels_and_stays_near_chance_when_shuffled(bench):
    pool = bench.pool
    by_count = {}
    for n in (10, 40, 200):
        chosen = pool.order[:n]
        by_count[n] = bench.probe_accuracies(pool.images[chosen] / 255.0, pool.hidden_labels[chosen])
    for source in by_count[10]:
        assert by_count[10][source] < by_count[200][source], source
    assert max(by_count[40].values()) > 0.6
    assert max(by_count[200].values()) > 0.85
    chosen = pool.order[:200]
    shuffled = np.random.default_rng(0).permutation(pool.hidden_labels[chosen])
    random_labels = bench.probe_accuracies(pool.images[chosen] / 255.0, shuffled)
    assert all(value < 0.2 for value in random_labels.values()), random_labels


@needs_bundle
def test_the_first_forty_digits_are_the_studys_forty_label_subset(bench):
    pool = bench.pool
    assert np.bincount(pool.hidden_labels[pool.order[:40]], minlength=10).tolist() == [4] * 10
    test = np.load(REPOSITORY_ROOT / "exported_models" / "data" / "mnist5k-test.npz")
    pool_indices = np.load(REPOSITORY_ROOT / "exported_models" / "data" / "mnist5k-pool.npz")["indices"]
    assert not set(test["indices"].tolist()) & set(pool_indices.tolist())  # never a test digit


@needs_bundle
def test_label_spreading_reads_the_unlabelled_pool(bench):
    pool = bench.pool
    chosen = pool.order[:40]
    spread = bench.spreading_accuracies(chosen, pool.hidden_labels[chosen], np.zeros((0, 28, 28)), np.zeros(0))
    alone = bench.probe_accuracies(pool.images[chosen] / 255.0, pool.hidden_labels[chosen])
    assert set(spread) == set(alone)
    assert spread["pixels"] > alone["pixels"]  # the pool's shape helps raw pixels most


def test_wrong_labels_on_purpose_change_exactly_that_many():
    labels = np.arange(40) % 10
    changed = class_labels.flipped(labels, 7)
    assert int(np.sum(changed != labels)) == 7 and changed.min() >= 0 and changed.max() <= 9
