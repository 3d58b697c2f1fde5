"""The GAN page's logic, without Streamlit: the shipped generators draw digits through ONNX
Runtime that follow their seed, the walk between two seeds starts and ends at their digits, the
classroom game keeps an honest score, the Fréchet distance behaves like a distance, and a missing
or damaged timeline is a sentence naming it and the command that rebuilds it.

The models come from a small real bundle (scikit-learn's 8x8 digits, the test profile: its GANs
are barely trained, so only shapes and behaviour are checked on it), made once per test session
by the `test_profile_bundle` fixture of conftest.py (where PARADIGM_LAB_TEST_BUNDLE may name one
already made by `python -m training study --profile test --out DIR`). Two tests read the real
bundle (exported_models/) and check the issue's quality targets; they skip while it ships no GAN.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from dashboard_fixtures import REAL_BUNDLE

from dashboard.core import bundle_reader as bundle
from dashboard.core import inference
from dashboard.core.bundle_reader import ModelError
from dashboard.topics.gan import digit_gans as gan


@pytest.fixture(scope="session")
def gan_bundle(request, tmp_path_factory) -> Path:
    """A session copy of the test-profile bundle (read only: tests that damage it copy it)."""
    source = request.getfixturevalue("test_profile_bundle")
    return Path(shutil.copytree(source, tmp_path_factory.mktemp("gan") / "bundle"))


@pytest.fixture(scope="session")
def manifest(gan_bundle):
    return bundle.load_manifest(gan_bundle)


@pytest.fixture(scope="session")
def dataset(manifest):
    return gan.gan_datasets(manifest)[0]


@pytest.fixture(scope="session")
def generator(manifest, dataset):
    return gan.generator_model(manifest, gan.UNCONDITIONAL, dataset)


@pytest.fixture(scope="session")
def conditional(manifest, dataset):
    return gan.generator_model(manifest, gan.CONDITIONAL, dataset)


@pytest.fixture(scope="session")
def sessions(gan_bundle):
    return inference.session_cache(gan_bundle)


def draw(sessions, model, noise, digits=None) -> np.ndarray:
    return gan.generate(sessions(model), model, noise, digits)


# --- the bundle's GAN entries ------------------------------------------------------------------


def test_the_bundle_names_both_generators_the_discriminator_the_judge_and_the_timelines(
    manifest, dataset, generator, conditional
):
    assert generator is not None and conditional is not None
    assert not gan.is_conditional(generator) and gan.is_conditional(conditional)
    assert gan.generator_inputs(generator).latent_dim == 64
    discriminator = gan.discriminator_model(manifest, dataset)
    assert discriminator is not None and discriminator.outputs[0].name == "real_probability"
    judge = gan.judge_model(manifest, dataset)
    assert (judge.paradigm, judge.label_fraction, judge.seed) == ("supervised", 1.0, 0)
    timelines = gan.timeline_entries(manifest, dataset)
    assert [entry.paradigm for entry in timelines] == ["dcgan", "conditional_gan"]
    assert gan.timeline_of(manifest, generator) == timelines[0]
    # The GAN family's classifiers are ordinary ones for the other pages; the fine-tuned
    # discriminator ships its results rows only.
    classifiers = {
        model.paradigm
        for model in manifest.models
        if model.role == "classifier" and model.family == "gan"
    }
    assert classifiers == {"semi_supervised_gan", "gan_probe"}


def test_a_malformed_timeline_entry_is_a_manifest_error_naming_the_field(gan_bundle, tmp_path):
    raw = json.loads((gan_bundle / "manifest.json").read_text(encoding="utf-8"))
    raw["gan_timelines"][0]["losses_file"] = 5
    (tmp_path / "manifest.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(bundle.ManifestError) as malformed:
        bundle.load_manifest(tmp_path)
    assert "gan_timelines[0].losses_file" in malformed.value.message("en")


# --- drawing digits ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 16, 64])
def test_a_grid_has_the_asked_shape_and_pixels_in_0_1(sessions, generator, count):
    noise = gan.noise_batch(7, count, 64)
    (raw,) = sessions(generator).run(None, {"noise": noise})
    assert raw.shape == (count, 1, 28, 28)
    digits = draw(sessions, generator, noise)
    assert digits.shape == (count, 28, 28) and digits.dtype == np.float32
    assert 0.0 <= digits.min() and digits.max() <= 1.0


def test_the_same_seed_gives_the_same_grid_and_another_seed_another(sessions, generator):
    first = draw(sessions, generator, gan.noise_batch(3, 36, 64))
    again = draw(sessions, generator, gan.noise_batch(3, 36, 64))
    other = draw(sessions, generator, gan.noise_batch(4, 36, 64))
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).mean() > 1e-3


def test_a_seed_gives_its_digits_whatever_the_grid_size():
    # The walk between seeds starts from "the first digit of the seed's grid".
    np.testing.assert_array_equal(gan.noise_batch(5, 64, 64)[:16], gan.noise_batch(5, 16, 64))
    noise = gan.noise_batch(5, 1000, 64)
    assert noise.dtype == np.float32
    assert abs(noise.mean()) < 0.05 and abs(noise.std() - 1.0) < 0.05


def test_the_walk_starts_and_ends_at_the_two_seeds_digits(sessions, generator):
    noise = gan.interpolation_noise(11, 12, gan.INTERPOLATION_FRAMES, 64)
    assert noise.shape == (gan.INTERPOLATION_FRAMES, 64)
    frames = draw(sessions, generator, noise)
    start = draw(sessions, generator, gan.noise_batch(11, 1, 64))[0]
    end = draw(sessions, generator, gan.noise_batch(12, 1, 64))[0]
    np.testing.assert_allclose(frames[0], start, atol=1e-5)
    np.testing.assert_allclose(frames[-1], end, atol=1e-5)
    assert np.abs(frames[0] - frames[-1]).mean() > 1e-3
    # Each step moves a little: no frame jumps straight from one end to the other.
    steps = np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2))
    assert steps.max() < np.abs(frames[0] - frames[-1]).mean()


def test_the_walk_keeps_the_noise_at_the_length_the_generator_trained_on():
    start, end = gan.noise_batch(1, 1, 64)[0], gan.noise_batch(2, 1, 64)[0]
    path = gan.spherical_interpolation(start, end, 9)
    lengths = np.linalg.norm(path, axis=1)
    shortest_end = min(np.linalg.norm(start), np.linalg.norm(end))
    straight_middle = np.linalg.norm((start + end) / 2)
    assert lengths.min() > 0.95 * shortest_end > straight_middle
    same = gan.spherical_interpolation(start, start, 4)
    np.testing.assert_allclose(same, np.repeat(start[None], 4, axis=0), atol=1e-6)


def test_the_conditional_generator_draws_a_row_of_the_asked_digit(sessions, conditional):
    noise = gan.noise_batch(0, gan.ROW_LENGTH, 64)
    row = draw(sessions, conditional, noise, np.full(gan.ROW_LENGTH, 7))
    assert row.shape == (gan.ROW_LENGTH, 28, 28)
    assert 0.0 <= row.min() and row.max() <= 1.0
    other = draw(sessions, conditional, noise, np.full(gan.ROW_LENGTH, 1))
    assert np.abs(row - other).mean() > 1e-4, "another digit asked, other pictures"
    with pytest.raises(ValueError):
        draw(sessions, conditional, noise)  # no digit asked


def test_the_discriminator_gives_one_probability_per_image(manifest, dataset, sessions, generator):
    discriminator = gan.discriminator_model(manifest, dataset)
    images = draw(sessions, generator, gan.noise_batch(0, 5, 64))
    probability = gan.real_probability(sessions(discriminator), discriminator, images)
    assert probability.shape == (5,) and np.all((0 <= probability) & (probability <= 1))


def test_a_grid_picture_is_square_and_enlarged_pixel_for_pixel():
    digits = np.zeros((36, 28, 28), dtype=np.uint8)
    digits[:, 10:18, 10:18] = 255
    picture = gan.tile(digits, gan.grid_columns(36), scale=3, gap=2)
    assert gan.grid_columns(36) == 6 and gan.grid_columns(64) == 8
    assert picture.shape == (6 * 84 + 10, 6 * 84 + 10) and picture.dtype == np.uint8
    assert picture[30:54, 30:54].min() == 255 and picture[0, 0] == 0
    assert picture[84, 0] == gan.GAP_VALUE  # the grey line between two rows


# --- the timeline ---------------------------------------------------------------------------------


def test_the_timeline_holds_the_fixed_noise_grid_at_each_checkpoint(manifest, dataset, gan_bundle):
    for entry in gan.timeline_entries(manifest, dataset):
        timeline = gan.load_timeline(gan_bundle, entry)
        assert timeline.steps[0] == 0 and np.all(np.diff(timeline.steps) > 0)
        assert timeline.images.shape == (len(timeline.steps), 64, 28, 28)
        assert timeline.early_step == entry.early_step and timeline.early_step in timeline.steps
        assert timeline.early_samples.shape[1:] == (28, 28)
        assert list(timeline.losses.columns) == list(gan.LOSS_COLUMNS)
        conditional = entry.paradigm == gan.CONDITIONAL
        assert timeline.digits_by_column(10) == conditional
        assert gan.nearest_checkpoint(timeline.steps, 10**9) == timeline.steps[-1]


def test_a_damaged_or_missing_timeline_names_the_file_and_the_command(manifest, dataset, gan_bundle,
                                                                      tmp_path):
    entry = gan.timeline_entries(manifest, dataset)[0]
    directory = tmp_path / "bundle"
    shutil.copytree(gan_bundle / Path(entry.file).parent, directory / Path(entry.file).parent)
    with open(directory / entry.losses_file, "a") as losses:
        losses.write("9999,1,1,0.5,0.5\n")
    with pytest.raises(gan.GanDataError) as damaged:
        gan.load_timeline(directory, entry)
    (directory / entry.file).unlink()
    with pytest.raises(gan.GanDataError) as missing:
        gan.load_timeline(directory, entry)
    for error in (damaged.value, missing.value):
        for language in ("fr", "en"):
            text = error.message(language)
            assert "python -m training study --paradigm dcgan" in text and entry.id in text
    assert entry.losses_file in damaged.value.message("en")
    assert entry.file in missing.value.message("fr")


def test_a_changed_generator_file_is_refused_with_its_rebuild_command(gan_bundle, generator,
                                                                     tmp_path):
    directory = tmp_path / "bundle"
    (directory / generator.file).parent.mkdir(parents=True)
    shutil.copy(gan_bundle / generator.file, directory / generator.file)
    with open(directory / generator.file, "ab") as file:
        file.write(b"\0")
    with pytest.raises(ModelError) as refused:
        bundle.verified_model_path(directory, generator)
    text = refused.value.message("en")
    assert generator.id in text
    assert "python -m training study --profile full --paradigm dcgan --seed 0" in text


# --- the "real or fake?" game -------------------------------------------------------------------


def a_game(truth: str) -> gan.GameState:
    """A game whose first digit is real (or fake), found by trying game seeds in order."""
    seed = next(s for s in range(100) if gan.draw_digit(s, 1, 50).truth == truth)
    return gan.new_game(seed, 50)


def play(game: gan.GameState, answers) -> gan.GameState:
    """Each answer in turn: a vote (REAL or FAKE) or None (the answer shown without a vote); the
    discriminator answers the truth on even digit numbers and the opposite on odd ones."""
    for answer in answers:
        right = game.digit.number % 2 == 0
        says_real = (game.digit.truth == gan.REAL) == right
        probability = 0.8 if says_real else 0.2
        game = gan.reveal(game, probability) if answer is None else gan.vote(game, answer, probability)
        game = gan.next_digit(game)
    return game


def test_a_vote_reveals_the_truth_and_scores_the_class_and_the_discriminator():
    game = gan.vote(a_game(gan.REAL), gan.REAL, real_probability_value=0.2)
    assert game.revealed and game.class_was_right
    assert (game.class_right, game.class_votes) == (1, 1)
    assert game.discriminator_says == gan.FAKE
    assert (game.discriminator_right, game.discriminator_digits) == (0, 1)
    assert game.round_points == (1, 1, 0) and game.digit_in_round == 1

    game = gan.vote(gan.next_digit(game), gan.REAL, real_probability_value=0.9)
    truth_was_real = game.digit.truth == gan.REAL
    assert (game.class_right, game.class_votes) == (1 + truth_was_real, 2)
    assert (game.discriminator_right, game.discriminator_digits) == (truth_was_real, 2)
    assert game.digit.number == 2 and game.digit_in_round == 2


def test_voting_twice_on_a_digit_counts_once():
    game = gan.vote(a_game(gan.FAKE), gan.REAL, 0.4)
    assert (game.class_right, game.class_votes) == (0, 1)
    again = gan.vote(game, gan.FAKE, 0.4)
    assert again == game, "the second vote changes nothing"
    assert again.vote == gan.REAL and again.class_was_right is False


def test_showing_the_answer_before_a_vote_scores_only_the_discriminator():
    game = gan.reveal(a_game(gan.FAKE), 0.3)
    assert game.revealed and game.vote is None and game.class_was_right is None
    assert (game.class_right, game.class_votes) == (0, 0)
    assert (game.discriminator_right, game.discriminator_digits) == (1, 1)
    assert game.round_points == (0, 0, 1)
    (shown,) = game.this_round
    assert shown.vote is None and shown.class_was_right is None and shown.discriminator_was_right
    assert gan.vote(game, gan.FAKE, 0.3) == game, "no vote once the answer is shown"
    assert gan.reveal(game, 0.9) == game, "a digit is revealed once"


def test_no_digit_is_skipped_before_its_answer_and_reset_starts_again():
    game = a_game(gan.REAL)
    assert gan.next_digit(game) == game, "the next digit waits for the answer"
    played = gan.next_digit(gan.vote(game, gan.FAKE, 0.7))
    assert played.digit.number == 2 and not played.revealed and played.vote is None
    fresh = gan.reset(played, game_seed=99)
    assert fresh.digit.number == 1 and fresh.game_seed == 99 and not fresh.revealed
    assert fresh.round_number == 1 and fresh.this_round == ()
    assert (fresh.class_right, fresh.class_votes) == (0, 0)
    assert (fresh.discriminator_right, fresh.discriminator_digits) == (0, 0)
    with pytest.raises(ValueError):
        gan.vote(fresh, "maybe", 0.5)


def test_a_round_ends_after_ten_digits_and_its_scores_add_up():
    game = a_game(gan.REAL)
    # Votes on 8 digits, two shown without a vote (the 3rd and the 7th).
    answers = [gan.REAL, gan.FAKE, None, gan.REAL, gan.REAL, gan.FAKE, None, gan.FAKE, gan.REAL,
               gan.FAKE]
    almost = play(game, answers[:-1])
    assert almost.digit_in_round == gan.ROUND_LENGTH and not almost.round_over
    assert gan.round_summary(almost) is None
    over = play(almost, answers[-1:])
    assert over.round_over and over.revealed and over.digit_in_round == gan.ROUND_LENGTH
    assert gan.next_digit(over) == over, "the summary stays until a new round"

    summary = gan.round_summary(over)
    assert summary is not None and summary.round_number == 1
    assert [shown.digit.number for shown in summary.digits] == list(range(1, 11))
    truths = [shown.digit.truth for shown in summary.digits]
    class_right = sum(answer == truth for answer, truth in zip(answers, truths))
    assert (summary.class_right, summary.class_votes) == (class_right, 8)
    assert [shown.vote for shown in summary.digits] == answers
    # The discriminator is right on the even digit numbers only, and scored on all ten.
    assert (summary.discriminator_right, summary.discriminator_digits) == (5, 10)
    assert (over.class_right, over.class_votes) == (class_right, 8)
    assert (over.discriminator_right, over.discriminator_digits) == (5, 10)
    expected = gan.CLASS if class_right > 5 else gan.DISCRIMINATOR if class_right < 5 else gan.TIE
    assert summary.winner == expected


def test_the_winner_has_more_right_answers_and_unvoted_digits_give_the_class_no_point():
    def finished(answers) -> gan.RoundSummary:
        summary = gan.round_summary(play(a_game(gan.REAL), answers))
        assert summary is not None
        return summary

    truths = [gan.draw_digit(a_game(gan.REAL).game_seed, n, 50).truth for n in range(1, 11)]
    all_right = finished(truths)
    assert (all_right.class_right, all_right.class_votes, all_right.winner) == (10, 10, gan.CLASS)
    # Right on the four it voted on: 4 of 4, but fewer points than the discriminator's 5 of 10.
    careful = finished([truth if n < 4 else None for n, truth in enumerate(truths)])
    assert (careful.class_right, careful.class_votes) == (4, 4) and careful.winner == gan.DISCRIMINATOR
    # Right on five, the same as the discriminator: a tie.
    tie = finished([truth if n < 5 else None for n, truth in enumerate(truths)])
    assert (tie.class_right, tie.discriminator_right, tie.winner) == (5, 5, gan.TIE)
    silent = finished([None] * gan.ROUND_LENGTH)
    assert (silent.class_right, silent.class_votes, silent.winner) == (0, 0, gan.DISCRIMINATOR)


def test_a_new_round_empties_the_round_and_keeps_the_totals():
    game = a_game(gan.FAKE)
    assert gan.new_round(game) == game, "a round always counts ten digits"
    first = play(game, [gan.REAL] * gan.ROUND_LENGTH)
    second = gan.new_round(first)
    assert second.round_number == 2 and second.this_round == () and not second.revealed
    assert second.digit.number == gan.ROUND_LENGTH + 1, "new digits, not the first round's again"
    assert second.digit_in_round == 1 and second.round_points == (0, 0, 0)
    assert (second.class_right, second.class_votes) == (first.class_right, 10)
    assert second.discriminator_digits == 10
    played = play(second, [gan.FAKE] * 3)
    assert played.round_points[1] == 3 and played.class_votes == 13
    assert played.discriminator_digits == 13 and len(played.this_round) == 3


def test_digits_are_real_or_fake_at_even_odds_and_the_same_on_every_rerun():
    digits = [gan.draw_digit(2024, number, 359) for number in range(1, 401)]
    real = [d for d in digits if d.truth == gan.REAL]
    assert 0.42 < len(real) / len(digits) < 0.58
    assert all(0 <= d.test_index < 359 and d.noise_seed is None for d in real)
    assert all(d.noise_seed is not None and d.test_index is None for d in digits if d not in real)
    assert gan.draw_digit(2024, 17, 359) == digits[16]


def test_the_discriminator_says_real_from_one_half_on_with_its_confidence():
    assert gan.discriminator_verdict(0.5) == (gan.REAL, 0.5)
    assert gan.discriminator_verdict(0.9) == (gan.REAL, 0.9)
    verdict, confidence = gan.discriminator_verdict(0.25)
    assert verdict == gan.FAKE and confidence == pytest.approx(0.75)


# --- quality ------------------------------------------------------------------------------------


def test_the_frechet_distance_is_zero_for_one_set_symmetric_and_grows_with_a_shift():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(500, 10)) @ rng.normal(size=(10, 10))
    assert gan.frechet_distance(points, points) == pytest.approx(0.0, abs=1e-6)
    other = rng.normal(size=(400, 10)) * 1.5 + 0.3
    assert gan.frechet_distance(points, other) == pytest.approx(
        gan.frechet_distance(other, points), rel=1e-6
    )
    distances = [gan.frechet_distance(points, points + shift) for shift in (0.5, 1.0, 2.0)]
    assert distances[0] < distances[1] < distances[2]
    # A shift of every coordinate by s moves only the means: the distance is 10 s^2.
    assert distances[1] == pytest.approx(10.0, rel=1e-6)


def test_the_frechet_distance_in_one_dimension_is_the_gap_in_means_and_spreads():
    a = np.random.default_rng(1).normal(size=(1000, 1))
    b = 2.0 * a + 3.0
    expected = (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2
    assert gan.frechet_distance(a, b) == pytest.approx(expected, rel=1e-9)


def test_digit_shares_flag_digits_drawn_too_often_or_too_rarely():
    predicted = np.array([4] * 60 + [1] * 38 + [7] * 2)
    shares = gan.digit_shares(predicted, 10)
    assert shares.sum() == pytest.approx(1.0) and shares[4] == pytest.approx(0.6)
    too_many, too_few = gan.shares_outside_targets(shares)
    assert too_many == [1, 4] and too_few == [0, 2, 3, 5, 6, 7, 8, 9]
    balanced = gan.digit_shares(np.arange(1000) % 10, 10)
    assert gan.shares_outside_targets(balanced) == ([], [])


def test_quality_on_the_test_bundle_has_every_measure(manifest, dataset, gan_bundle, sessions,
                                                       generator, conditional):
    judge = gan.judge_model(manifest, dataset)
    evaluation = bundle.load_evaluation_set(gan_bundle, manifest.dataset(dataset))
    reference = gan.judge_reference(sessions(judge), judge, evaluation)
    assert reference.accuracy > 0.8, "the test profile's supervised network reads real digits"
    assert reference.half_size == len(evaluation.labels) // 2

    def judge_run(images):
        return gan.judge_logits(sessions(judge), judge, images)

    for model in (generator, conditional):
        timeline = gan.load_timeline(gan_bundle, gan.timeline_of(manifest, model))
        quality = gan.measure_quality(sessions(model), model, judge_run, reference, timeline,
                                      samples=200)
        assert quality.shares.shape == (10,) and quality.shares.sum() == pytest.approx(1.0)
        assert quality.frechet >= 0 and quality.frechet_early >= 0
        assert quality.early_step == timeline.early_step
        if model is conditional:
            assert 0 <= quality.asked_right <= 1 and quality.asked_right_by_digit.shape == (10,)
        else:
            assert quality.asked_right is None


# --- the real bundle: the targets -----------------------------------------------------


@pytest.fixture(scope="module")
def real_gan():
    """The real bundle's generators and judge on MNIST-5k, or a skip saying what is missing."""
    if not (REAL_BUNDLE / "manifest.json").is_file():
        pytest.skip("no real bundle in exported_models/")
    manifest = bundle.load_manifest(REAL_BUNDLE)
    dataset = "mnist5k"
    judge = gan.judge_model(manifest, dataset)
    if judge is None:
        pytest.skip("the real bundle has no supervised classifier at 100 % labels, seed 0")
    evaluation = bundle.load_evaluation_set(REAL_BUNDLE, manifest.dataset(dataset))
    sessions = inference.session_cache(REAL_BUNDLE)
    reference = gan.judge_reference(sessions(judge), judge, evaluation)
    return manifest, dataset, sessions, judge, reference


def real_quality(real_gan, paradigm: str) -> gan.GeneratorQuality:
    manifest, dataset, sessions, judge, reference = real_gan
    model = gan.generator_model(manifest, paradigm, dataset)
    if model is None:
        pytest.skip(f"exported_models/ has no {paradigm} generator yet "
                    f"(`python -m training study --paradigm {paradigm}`)")
    return gan.measure_quality(sessions(model), model,
                               lambda images: gan.judge_logits(sessions(judge), judge, images),
                               reference, None)


def test_the_real_conditional_gan_draws_the_digit_asked_for(real_gan):
    quality = real_quality(real_gan, gan.CONDITIONAL)
    assert quality.samples == 1000
    assert quality.asked_right >= gan.ASKED_DIGIT_TARGET, quality.asked_right_by_digit


def test_the_real_dcgan_draws_every_digit_without_mode_collapse(real_gan):
    # The page's band (no digit above 15 % of the samples, none below 5 %): the first recipe
    # missed it (0s and 7s at 28 %, 4s at 1.2 %); the shipped generator of the recipe of
    # docs/gan_pilots.md draws every digit in 5.4 to 13.1 % of the samples.
    quality = real_quality(real_gan, gan.UNCONDITIONAL)
    assert quality.samples == 1000
    too_many, too_few = gan.shares_outside_targets(quality.shares)
    assert not too_many and not too_few, np.round(quality.shares, 3)
