"""The self-supervised page's logic, without Streamlit: each pretext task's free pairs carry the
right answer, the shipped pretext networks run on them with the shapes and ranges the page
draws, and a missing or damaged file is a sentence naming it and the command that rebuilds it.

The makers are checked on hand-made digits whose answer can be read off the pixels. The models
come from a small real bundle (scikit-learn's 8x8 digits, the test profile: low accuracy is
expected), made once per test session by the `test_profile_bundle` fixture of conftest.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.core.bundle_reader import ModelError, ModelInfo
from dashboard.core.i18n import CATALOGUE
from dashboard.topics.self_supervised import pretext_examples as ssl
from paradigm_lab import pretext_tasks


@pytest.fixture(scope="session")
def dev_bundle(test_profile_bundle, tmp_path_factory) -> Path:
    """A session copy of the test-profile bundle (conftest.py): real models of every paradigm,
    trained with tiny configs on scikit-learn's digits."""
    return Path(shutil.copytree(test_profile_bundle, tmp_path_factory.mktemp("ssl") / "b"))


@pytest.fixture(scope="session")
def manifest(dev_bundle):
    return bundle.load_manifest(dev_bundle)


@pytest.fixture(scope="session")
def evaluation(manifest):
    dataset = manifest.dataset(ssl.datasets_with_pretext(manifest)[0])
    return bundle.load_evaluation_set(manifest.bundle_directory, dataset)


def fake_model(paradigm: str, pretext: dict) -> ModelInfo:
    """A pretext model entry with only the task facts, as the manifest gives them."""
    return ModelInfo(
        id=f"{paradigm}-digits-pretext-seed0",
        paradigm=paradigm,
        family=ssl.FAMILY,
        role=ssl.PRETEXT_ROLE,
        dataset="digits",
        label_fraction=None,
        n_labels=None,
        seed=0,
        file=f"models/{paradigm}-digits-pretext-seed0.onnx",
        size_bytes=None,
        sha256="0" * 64,
        inputs=(),
        outputs=(),
        class_names=(),
        test_accuracy=None,
        parameters=None,
        train_seconds=None,
        pretext=pretext,
    )


# The facts the training side ships (training/families/*.py, facts()).
ROTATION_FACTS = {"task": "rotation", "turns_degrees": [0, 90, 180, 270]}
PATCH_FACTS = {
    "task": "relative_position",
    "grid": 3,
    "cell": 10,
    "piece": 8,
    "padding": 1,
    "places": [[0, 0], [0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1], [2, 2]],
    "place_names": ["top-left", "top", "top-right", "left", "right", "bottom-left", "bottom",
                    "bottom-right"],
}
CLIP_FACTS = {
    "task": "temporal_order",
    "frames": 4,
    "orders": [[0, 1, 2, 3], [0, 1, 3, 2], [0, 2, 1, 3], [0, 2, 3, 1], [0, 3, 1, 2],
               [0, 3, 2, 1], [1, 0, 2, 3], [1, 0, 3, 2], [1, 2, 0, 3], [1, 3, 0, 2],
               [2, 0, 1, 3], [2, 1, 0, 3]],
    "max_shift_pixels": 4.0,
    "turn_degrees": [10.0, 30.0],
    "time_reversed_twin": "slot s shows frame frames-1-orders[c][s]: the same class c",
}
MASK_FACTS = {"task": "autoencoder", "mask_grid": 4, "masked_squares": 8}


def a_seven() -> np.ndarray:
    """A hand-drawn 7 (top bar and a diagonal): no turn of it looks like another."""
    image = np.zeros((28, 28), dtype=np.float32)
    image[5:8, 6:22] = 1.0
    for row in range(8, 24):
        column = 21 - (row - 8) // 2
        image[row, column - 1 : column + 2] = 1.0
    return image


# --- the free pairs ---------------------------------------------------------------------------


def test_each_turned_copy_carries_its_turn():
    facts = ssl.rotation_facts(fake_model("rotation", ROTATION_FACTS))
    image = np.zeros((28, 28), dtype=np.float32)
    image[0, 27] = 1.0  # one ink dot in the top-right corner
    copies, turns = ssl.rotated_copies(image, facts)
    assert turns.tolist() == [0, 1, 2, 3]
    # A quarter turn anticlockwise takes the top-right corner to the top-left, and so on.
    corners = [(0, 27), (0, 0), (27, 0), (27, 27)]
    for copy, corner in zip(copies, corners):
        assert copy[corner] == 1.0 and copy.sum() == 1.0
    for turn, copy in zip(turns, ssl.rotated_copies(a_seven(), facts)[0]):
        assert np.array_equal(copy, np.rot90(a_seven(), turn))


def test_warp_turns_the_same_way_as_the_rotation_task():
    """The clips and views are warped by the training's sampler (paradigm_lab.pretext_tasks): a
    positive angle turns anticlockwise as seen, as the rotation task does."""
    image = a_seven()[np.newaxis, np.newaxis]
    still = dict(max_degrees=180.0, max_shift=0.5, zoom_range=(1.0, 1.0))
    quarter_turn = pretext_tasks.affine_thetas([0.75], [0.5], [0.5], [0.5], **still)  # 90 degrees, no shift
    assert np.allclose(pretext_tasks.affine_sample(image, quarter_turn)[0, 0], np.rot90(image[0, 0], 1), atol=1e-5)
    # A map that reads 2 pixels to the right (2/14 of the half-width) moves the digit 2 pixels left.
    reads_right = pretext_tasks.affine_thetas([0.5], [0.5], [0.5 + 2 / 14], [0.5], **still)
    moved = pretext_tasks.affine_sample(image, reads_right)[0, 0]
    assert np.allclose(moved[:, :-2], image[0, 0, :, 2:], atol=1e-5) and not moved[:, -2:].any()


@pytest.mark.parametrize("seed", range(5))
def test_relative_position_pieces_come_from_their_cells(seed):
    facts = ssl.patch_facts(fake_model("relative_position", PATCH_FACTS))
    # Each cell of the padded 30x30 grid painted with its own grey, so a piece says where it was.
    padded = np.zeros((30, 30), dtype=np.float32)
    for row in range(3):
        for column in range(3):
            cell = (slice(row * 10, row * 10 + 10), slice(column * 10, column * 10 + 10))
            padded[cell] = (row * 3 + column + 1) / 10
    pairs = ssl.patch_pairs(padded[1:-1, 1:-1], facts, np.random.default_rng(seed))
    def grey(place):
        return round((place[0] * 3 + place[1] + 1) / 10, 3)

    for piece, place, corner in zip(pairs.neighbours, facts.places, pairs.neighbour_corners):
        # Every inked pixel has its cell's grey (the rest is the zero border of outer cells).
        assert set(np.unique(piece[piece > 0].astype(float)).round(3).tolist()) == {grey(place)}
        assert (piece > 0).sum() >= 7 * 7
        assert facts.cell * place[0] <= corner[0] <= facts.cell * place[0] + 2
    assert np.allclose(pairs.middle, grey((1, 1)))
    inputs = pairs.model_input()
    assert inputs.shape == (8, 2, 8, 8)
    assert np.array_equal(inputs[:, 0], np.broadcast_to(pairs.middle, (8, 8, 8)))


def test_a_blank_neighbour_is_flagged():
    facts = ssl.patch_facts(fake_model("relative_position", PATCH_FACTS))
    image = np.zeros((28, 28), dtype=np.float32)
    image[:, 12:16] = 1.0  # a vertical bar: only the top and bottom neighbours have ink
    pairs = ssl.patch_pairs(image, facts, np.random.default_rng(0))
    inked = [facts.place_names[index] for index in np.flatnonzero(~pairs.blank)]
    assert inked == ["top", "bottom"]


@pytest.mark.parametrize("reverse", [False, True])
def test_a_shuffled_clip_can_be_put_back_in_order(reverse):
    facts = ssl.clip_facts(fake_model("temporal_order", CLIP_FACTS))
    # Frame f is filled with the number f + 1, so a slot tells which frame it shows.
    frames = np.stack([np.full((28, 28), value, dtype=np.float32) for value in (1, 2, 3, 4)])
    for order in facts.orders:
        slots = ssl.time_reversed(order) if reverse else order
        shuffled = ssl.shuffle_frames(frames, slots)
        assert [float(frame[0, 0]) for frame in shuffled] == [f + 1 for f in slots]
        readings = [ssl.unshuffle(shuffled, slots) for slots in ssl.class_readings(order, facts)]
        assert any(np.array_equal(reading, frames) for reading in readings)


def test_a_clip_moves_the_digit_and_its_shuffle_matches_its_class():
    facts = ssl.clip_facts(fake_model("temporal_order", CLIP_FACTS))
    clip = ssl.temporal_clip(a_seven(), facts, np.random.default_rng(1))
    assert clip.frames.shape == (4, 28, 28) and clip.shuffled.shape == (4, 28, 28)
    assert 0.0 <= clip.frames.min() and clip.frames.max() <= 1.0
    assert clip.slots == facts.orders[clip.order_class]
    assert np.array_equal(ssl.unshuffle(clip.shuffled, clip.slots), clip.frames)
    # The digit moves from frame to frame, and the first and last frames differ the most.
    steps = [np.abs(clip.frames[i + 1] - clip.frames[i]).sum() for i in range(3)]
    assert min(steps) > 0
    assert np.abs(clip.frames[3] - clip.frames[0]).sum() > max(steps)


def test_the_clip_shown_as_shuffled_is_never_in_its_shot_order():
    facts = ssl.clip_facts(fake_model("temporal_order", CLIP_FACTS))
    assert any(list(order) == sorted(order) for order in facts.orders), "the identity is a class"
    for seed in range(40):
        clip = ssl.temporal_clip(a_seven(), facts, np.random.default_rng(seed))
        assert list(clip.slots) != sorted(clip.slots), seed


def test_the_page_opens_on_a_digit_the_made_up_tasks_work_on():
    labels = np.array([0, 0, 1, 8, 7, 2, 7])
    assert ssl.default_test_digit(labels) == 4
    assert ssl.default_test_digit(np.array([0, 1])) == 0  # no 7: the first digit


@pytest.mark.parametrize("seed", range(10))
def test_the_mask_hides_exactly_its_squares(seed):
    facts = ssl.mask_facts(fake_model("autoencoder", MASK_FACTS))
    mask = ssl.random_mask(facts, np.random.default_rng(seed))
    assert mask.shape == (28, 28) and mask.sum() == 8 * 49
    squares = mask.reshape(4, 7, 4, 7).transpose(0, 2, 1, 3).reshape(16, 49)
    assert set(squares.all(axis=1).tolist()) == {True, False}
    assert (squares.all(axis=1) | ~squares.any(axis=1)).all(), "whole squares, never a part"


def test_a_contrastive_view_has_its_black_square():
    facts = ssl.ViewFacts(max_degrees=0.0, max_shift_pixels=0.0, zoom=(1.0, 1.0), cutout=10)
    view = ssl.random_view(np.ones((28, 28), dtype=np.float32), facts, np.random.default_rng(0))
    assert (view == 0).sum() == 100 and (view == 1).sum() == 28 * 28 - 100


def test_the_partner_is_found_when_it_is_the_most_similar():
    embeddings = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [-1.0, 0.0]])
    similarity = ssl.cosine_similarities(embeddings)
    assert similarity.shape == (3,) and similarity[0] == similarity.max()
    lineup = ssl.Lineup(np.zeros((28, 28)), np.zeros((3, 28, 28)), np.arange(2))
    assert ssl.LineupResult(lineup, similarity).partner_found
    assert not ssl.LineupResult(lineup, similarity[::-1].copy()).partner_found
    others = ssl.other_digits(10, 3, 7, np.random.default_rng(0))
    assert len(others) == 7 and 3 not in others.tolist()


def test_a_malformed_task_entry_names_the_model_and_the_command():
    broken = dict(CLIP_FACTS, orders=[[0, 1, 2]])
    with pytest.raises(ssl.PretextFactsError) as raised:
        ssl.clip_facts(fake_model("temporal_order", broken))
    message = raised.value.message("en")
    assert "temporal_order-digits-pretext-seed0" in message and "pretext.orders" in message
    assert "python -m training study --profile full --paradigm temporal_order" in message
    with pytest.raises(ssl.PretextFactsError):
        ssl.rotation_facts(fake_model("rotation", {"turns_degrees": [0, 45]}))


# --- the shipped pretext networks --------------------------------------------------------------


def runner(manifest, paradigm):
    model = ssl.pretext_model(manifest, paradigm, "digits")
    session = inference.open_verified_session(manifest.bundle_directory, model)
    inference.check_session_matches_manifest(session, model)
    return model, lambda batch: ssl.run_pretext(session, model, batch)


def test_the_bundle_offers_the_five_tasks_with_their_scores(manifest):
    assert ssl.pretext_paradigms(manifest) == list(ssl.TASKS)
    for paradigm in ssl.TASKS:
        score = ssl.pretext_score(ssl.pretext_model(manifest, paradigm, "digits"))
        assert score is not None and score.baseline is not None
        assert score.kind == ("error" if paradigm == "autoencoder" else "accuracy")


def test_the_rotation_score_shown_is_the_one_measured_live(manifest, evaluation):
    # Turning with np.rot90 must be the training's turn: the network then scores on the test
    # digits what the manifest says it scored at export.
    model, run = runner(manifest, "rotation")
    images = evaluation.images.astype(np.float32) / 255.0
    right = []
    for turn in range(4):
        turned = np.rot90(images, turn, axes=(1, 2))[:, np.newaxis].copy()  # (N, 1, 28, 28)
        right.append(np.mean(run(turned).argmax(axis=1) == turn))
    assert np.mean(right) == pytest.approx(ssl.pretext_score(model).value, abs=0.01)


def test_every_pretext_network_answers_in_the_shapes_the_page_draws(manifest, evaluation):
    image = evaluation.images[0].astype(np.float32) / 255.0
    rng = np.random.default_rng(0)

    model, run = runner(manifest, "rotation")
    rotation = ssl.answer_rotation(image, ssl.rotation_facts(model), run)
    assert rotation.answers.probabilities.shape == (4, 4)
    assert np.allclose(rotation.answers.probabilities.sum(axis=1), 1.0)

    model, run = runner(manifest, "relative_position")
    patches = ssl.answer_relative_position(image, ssl.patch_facts(model), run, rng)
    assert patches.answers.probabilities.shape == (8, 8)
    assert patches.right_on_inked[1] == int((~patches.pairs.blank).sum())

    model, run = runner(manifest, "temporal_order")
    facts = ssl.clip_facts(model)
    clip = ssl.answer_temporal_order(image, facts, run, rng)
    assert clip.answers.probabilities.shape == (1, len(facts.orders))
    assert clip.believed_slots in facts.orders and clip.reordered.shape == (4, 28, 28)

    model, run = runner(manifest, "contrastive")
    indices = ssl.other_digits(len(evaluation.labels), 0, ssl.OTHER_DIGITS_IN_LINEUP, rng)
    lineup_input = np.zeros((3, 1, 28, 28), dtype=np.float32)
    assert np.allclose(np.linalg.norm(run(lineup_input), axis=1), 1.0, atol=1e-4), "unit length"
    result = ssl.answer_contrastive(
        image, evaluation.images[indices] / 255.0, indices, ssl.view_facts(model), run, rng
    )
    assert result.similarity.shape == (1 + ssl.OTHER_DIGITS_IN_LINEUP,)
    assert np.all(np.abs(result.similarity) <= 1.0 + 1e-5)

    model, run = runner(manifest, "autoencoder")
    drawn = ssl.answer_autoencoder(image, ssl.mask_facts(model), run, rng)
    assert drawn.drawn.shape == (28, 28) and 0.0 <= drawn.drawn.min() <= drawn.drawn.max() <= 1.0
    assert drawn.mask.sum() == 8 * 49 and not drawn.masked[drawn.mask].any()
    assert drawn.error >= 0.0


def test_a_missing_pretext_network_names_the_study_command(manifest, tmp_path):
    directory = shutil.copytree(manifest.bundle_directory, tmp_path / "bundle")
    copy = bundle.load_manifest(directory)
    model = ssl.pretext_model(copy, "contrastive", "digits")
    (directory / model.file).unlink()
    with pytest.raises(ModelError) as raised:
        inference.open_verified_session(directory, model)
    message = raised.value.message("fr")
    assert model.id in message and model.file in message
    assert "python -m training study --profile full --paradigm contrastive" in message


# --- the encoders' maps --------------------------------------------------------------------------


def test_every_map_has_one_row_per_test_digit(manifest, evaluation):
    sources = [*ssl.BASELINE_SOURCES, *ssl.TASKS]
    for source in sources:
        entry = ssl.feature_map_entry(manifest, source, "digits")
        xy = ssl.load_feature_map(manifest.bundle_directory, entry, "cmd")
        assert xy.shape == (len(evaluation.labels), 2) and xy.dtype == np.float32
        assert np.abs(xy).max() <= 1.0 and not xy.flags.writeable
        assert ssl.map_fits(xy, evaluation.labels)
        assert entry.knn_accuracy is not None


def test_a_missing_or_damaged_map_says_which_and_how_to_rebuild(manifest, tmp_path):
    directory = shutil.copytree(manifest.bundle_directory, tmp_path / "bundle")
    entry = ssl.feature_map_entry(manifest, "rotation", "digits")
    command = ssl.map_source_command("rotation", "rotation")
    path = directory / entry.file
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ssl.FeatureMapError) as raised:
        ssl.load_feature_map(directory, entry, command)
    assert raised.value.message_key == "error.feature_map_invalid"
    path.unlink()
    with pytest.raises(ssl.FeatureMapError) as raised:
        ssl.load_feature_map(directory, entry, command)
    message = raised.value.message("en")
    assert raised.value.message_key == "error.feature_map_missing"
    assert entry.file in message
    assert "python -m training study --profile full --paradigm rotation" in message
    baseline = ssl.map_source_command("raw_pixels", "contrastive")
    assert baseline.endswith("--paradigm contrastive"), "a baseline comes with any task's study"


def test_a_map_for_other_test_images_does_not_fit():
    assert not ssl.map_fits(np.zeros((10, 2), dtype=np.float32), np.zeros(12, dtype=np.int64))


# --- the study's numbers, the texts, and the dashboard's own rule ---------------------------------


def test_the_comparison_keeps_supervised_and_the_five_tasks(dev_bundle):
    from dashboard.core.study_results import summarise_by_fraction

    summary = summarise_by_fraction(bundle.load_results(dev_bundle))
    shown = ssl.comparison_summary(summary, "digits", list(ssl.TASKS), ("supervised",))
    assert set(shown["paradigm"]) == {"supervised", *ssl.TASKS}
    assert ssl.comparison_summary(summary, "mnist5k", list(ssl.TASKS), ("supervised",)).empty


def test_texts_the_page_builds_from_ids_exist(manifest):
    built = [f"self_supervised.task.{task}.{field}" for task in ssl.TASKS for field in ("how", "limits")]
    built += [f"self_supervised.source.{source}" for source in ssl.BASELINE_SOURCES]
    built += [f"self_supervised.digit.source.{source}" for source in ("test", "drawn")]
    facts = ssl.patch_facts(ssl.pretext_model(manifest, "relative_position", "digits"))
    built += [f"self_supervised.place.{row}_{column}" for row, column in facts.places]
    assert [key for key in built if key not in CATALOGUE] == []


def _summary_rows(rows):
    import pandas as pd

    from dashboard.core.study_results import SUMMARY_COLUMNS

    frame = pd.DataFrame(rows)
    for column in SUMMARY_COLUMNS:
        if column not in frame:
            frame[column] = 0.0
    return frame[list(SUMMARY_COLUMNS)]


def test_probe_and_fine_tune_are_read_at_the_smallest_fraction_of_the_probe():
    def row(paradigm, fraction, accuracy, n_labels):
        return {"paradigm": paradigm, "dataset": "mnist5k", "label_fraction": fraction, "n_labels": n_labels,
                "mean_accuracy": accuracy, "n_seeds": 5 if fraction <= 0.05 else 3}

    summary = _summary_rows([
        row("contrastive", 0.01, 0.80, 40), row("contrastive", 0.1, 0.95, 350),
        row("contrastive_finetune", 0.01, 0.88, 40), row("supervised", 0.01, 0.82, 40),
        row("rotation", 0.01, 0.72, 40),
    ])
    reading = ssl.probe_against_finetune(summary, "mnist5k", "contrastive")
    assert reading == ssl.ProbeAgainstFinetune(n_labels=40, probe=0.80, finetune=0.88, supervised=0.82, n_seeds=5)
    # A task without its fine-tuned row says so (None), rather than borrowing another's.
    assert ssl.probe_against_finetune(summary, "mnist5k", "rotation").finetune is None
    assert ssl.probe_against_finetune(summary, "mnist5k", "temporal_order") is None
