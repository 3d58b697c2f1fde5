"""The GAN studio page under Streamlit's AppTest, in French and English.

On the small real bundle of tests/test_dashboard_gan.py (the test profile, or the one
PARADIGM_LAB_TEST_BUNDLE names), each test checks what a teacher would see: the eight sections,
a grid that follows its seed, the timeline's slider and its animation, the 2-D game played back
with its own numbers, the "real or fake?" game keeping score
across reruns and ending a round of ten with its summary, and, when a model is missing or damaged, a sentence naming it and the command that
rebuilds it while the other sections keep working.
"""

from __future__ import annotations

import json

import pytest
from dashboard_fixtures import assert_healthy, build_fixture_bundle, folded_parts, open_page

from dashboard.core import bundle_reader as bundle
from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE
from dashboard.core.i18n import format_decimal, format_integer, format_percent, paradigm_name, t
from dashboard.topics.gan import digit_gans as gan

PAGE = "topics/gan/page.py"
SUBHEADINGS = (
    "gan.grid.heading",
    "gan.game_2d.heading",
    "gan.timeline.heading",
    "gan.game.heading",
    "gan.labels.heading",
)
# Folded under "going further", after the class's view.
FOLDED = ("gan.walk.heading", "gan.conditional.heading", "gan.quality.heading")
CHARTS = {"gan_losses", "gan_shares", "gan_asked", "gan_frechet", "gan_timeline_animation", "gan_2d_game"}


def errors(app) -> list[str]:
    return [error.value for error in app.error]


def captions(app) -> list[str]:
    return [caption for image in app.get("image") for caption in image.captions]


def caption_texts(app) -> list[str]:
    return [caption.value for caption in app.caption]


def charts(app) -> dict[str, dict]:
    return {chart.key: json.loads(chart.proto.spec) for chart in app.get("plotly_chart")}


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_shows_its_eight_sections_in_both_languages(bundle_in_env, language):
    app = open_page(PAGE, language)
    assert_healthy(app, language)
    assert not errors(app)
    assert app.title[0].value == t("gan.heading", language)
    assert [header.value for header in app.header] == [t(key, language) for key in SUBHEADINGS]
    assert folded_parts(app, language) == [t(key, language) for key in FOLDED]
    shown = captions(app)
    assert t("gan.grid.caption", language, count=36, seed=0) in shown
    assert t("gan.walk.caption", language, start=0, end=1) in shown
    assert t("gan.game.round", language, round=1, number=1, total=gan.ROUND_LENGTH) in shown
    assert set(charts(app)) == CHARTS
    # The Fréchet chart: the real-against-real reference, then each GAN trained and early on.
    bars = charts(app)["gan_frechet"]["data"][0]["y"][::-1]
    assert bars[0].startswith(t("gan.frechet.halves", language, count="").split("(")[0])
    assert len(bars) == 5
    assert set(metrics(app)) >= {
        t("gan.game.class_score", language),
        t("gan.game.discriminator_score", language),
        t("gan.asked.metric", language),
    }
    markdown = " ".join(element.value for element in app.markdown)
    assert t("gan.labels.text", language) in markdown
    link = app.get("page_link")[-1]
    assert link.proto.page == "study"
    assert "semi_supervised_gan" in link.proto.query_string


def test_the_grid_follows_its_seed_and_size(bundle_in_env):
    app = open_page(PAGE, "en")
    app.segmented_control(key="gan_grid_size").set_value(64).run()
    assert t("gan.grid.caption", "en", count=64, seed=0) in captions(app)
    app.button(key="gan_new_grid").click().run()
    assert_healthy(app, "en")
    assert app.number_input(key="gan_seed").value == 1
    assert t("gan.grid.caption", "en", count=64, seed=1) in captions(app)
    app.number_input(key="gan_seed").set_value(42).run()
    assert t("gan.grid.caption", "en", count=64, seed=42) in captions(app)
    # The conditional row uses the grid's seed; another digit is another caption.
    app.segmented_control(key="gan_digit").set_value(7).run()
    assert t("gan.conditional.caption", "en", digit="7", seed=42) in captions(app)
    app.number_input(key="gan_to_seed").set_value(9).run()
    assert t("gan.walk.caption", "en", start=0, end=9) in captions(app)
    assert not errors(app)


def test_the_timeline_slider_shows_each_checkpoint_of_both_gans(bundle_in_env):
    app = open_page(PAGE, "fr")
    slider = app.select_slider(key="gan_step")
    steps = list(slider.options)
    assert slider.value == int(steps[-1])
    slider.set_value(0).run()
    assert_healthy(app, "fr")
    last = format_integer(int(steps[-1]), "fr")
    assert t("gan.timeline.caption", "fr", step=last, count=64) in caption_texts(app)
    animation = charts(app)["gan_timeline_animation"]
    # Built once per GAN: it opens on the last checkpoint, whatever the slider (which moves the
    # losses chart's marker and the sentence under it).
    assert animation["layout"]["sliders"][0]["active"] == len(steps) - 1
    assert len(animation["frames"]) == len(steps), "one frame per checkpoint"
    assert t("gan.timeline.untrained", "fr") in [c.value for c in app.caption]
    losses = charts(app)["gan_losses"]
    vertical = [shape["x0"] for shape in losses["layout"]["shapes"] if shape["x0"] == shape["x1"]]
    assert vertical and set(vertical) == {0}, "the marker stands at the step shown"
    which = app.segmented_control(key="gan_timeline")
    assert which.options == [paradigm_name(p, "fr") for p in ("dcgan", "conditional_gan")]
    manifest = bundle.load_manifest(bundle_in_env)
    conditional = next(e for e in manifest.gan_timelines if e.paradigm == "conditional_gan")
    which.set_value(conditional.id).run()
    assert_healthy(app, "fr")
    last = format_integer(int(list(app.select_slider(key="gan_step").options)[-1]), "fr")
    assert t("gan.timeline.caption_digits", "fr", step=last, count=64) in caption_texts(app)


def test_the_game_keeps_score_across_reruns(bundle_in_env):
    app = open_page(PAGE, "en")
    first = app.session_state["gan_game"]
    assert first.digit.number == 1 and not first.revealed
    assert app.button(key="gan_next").disabled, "the next digit waits for the answer"
    app.button(key="gan_vote_real").click().run()
    assert_healthy(app, "en")
    game = app.session_state["gan_game"]
    assert game.revealed and game.vote == gan.REAL
    assert (game.class_votes, game.discriminator_digits) == (1, 1)
    score = t("gan.game.score", "en", right=game.class_right, total=1)
    assert metrics(app)[t("gan.game.class_score", "en")] == score
    said = t("gan.game.says_real" if game.discriminator_says == gan.REAL else "gan.game.says_fake",
             "en")
    assert any(f"**{said}**" in element.value for element in app.markdown)
    right_or_wrong = app.success or app.warning
    assert right_or_wrong, "the reveal says whether the class was right"

    # No second vote in a round: both buttons wait for the next digit (gan.vote ignores one too).
    assert app.button(key="gan_vote_fake").disabled and app.button(key="gan_vote_real").disabled
    assert "gan_reveal" not in [button.key for button in app.button]

    app.button(key="gan_next").click().run()
    assert t("gan.game.round", "en", round=1, number=2, total=gan.ROUND_LENGTH) in captions(app)
    app.button(key="gan_reveal").click().run()
    game = app.session_state["gan_game"]
    assert (game.class_votes, game.discriminator_digits) == (1, 2)
    assert any(element.value.startswith("Answer:") for element in app.info)
    app.sidebar.radio[0].set_value("fr").run()  # a rerun for another widget keeps the game
    assert app.session_state["gan_game"] == game

    app.button(key="gan_reset").click().run()
    game = app.session_state["gan_game"]
    assert game.digit.number == 1 and (game.class_votes, game.discriminator_digits) == (0, 0)
    assert metrics(app)[t("gan.game.discriminator_score", "fr")] == t(
        "gan.game.score", "fr", right=0, total=0)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_round_of_ten_played_by_clicking_ends_with_its_summary(bundle_in_env, language):
    app = open_page(PAGE, language)
    for place in range(1, gan.ROUND_LENGTH + 1):
        assert t("gan.game.round", language, round=1, number=place, total=gan.ROUND_LENGTH) in captions(app)
        assert "gan_new_round" not in [button.key for button in app.button], "no summary yet"
        if place == 3:  # one answer shown without a vote
            app.button(key="gan_reveal").click().run()
        else:
            app.button(key="gan_vote_real" if place % 2 else "gan_vote_fake").click().run()
        assert_healthy(app, language)
        if place < gan.ROUND_LENGTH:
            app.button(key="gan_next").click().run()
    game = app.session_state["gan_game"]
    assert game.round_over and len(game.this_round) == gan.ROUND_LENGTH
    truths = [shown.digit.truth for shown in game.this_round]
    votes = [None if place == 3 else gan.REAL if place % 2 else gan.FAKE
             for place in range(1, gan.ROUND_LENGTH + 1)]
    assert [shown.vote for shown in game.this_round] == votes
    class_right = sum(vote == truth for vote, truth in zip(votes, truths))
    discriminator_right = sum(shown.discriminator_says == shown.digit.truth for shown in game.this_round)

    # The summary: who won, both scores (the class's out of its 9 votes, the discriminator's
    # out of 10), the caption that says how each is counted, the ten digits marked.
    assert "gan_next" not in [button.key for button in app.button]
    summary = gan.round_summary(game)
    assert (summary.class_right, summary.class_votes) == (class_right, 9)
    assert (summary.discriminator_right, summary.discriminator_digits) == (discriminator_right, 10)
    said = [element.value for element in app.markdown]
    assert f"### {t('gan.game.summary.heading', language, round=1)}" in said
    points = {"class_right": class_right, "discriminator_right": discriminator_right}
    if class_right > discriminator_right:
        verdict = t("gan.game.summary.class_wins", language, **points)
    elif class_right < discriminator_right:
        verdict = t("gan.game.summary.discriminator_wins", language, **points)
    else:
        verdict = t("gan.game.summary.tie", language, points=class_right)
    assert f"## {verdict}" in said
    # Beside the digit and in the summary, the same round's scores.
    scores = [(metric.label, metric.value) for metric in app.metric]
    class_score = (t("gan.game.class_score", language),
                   t("gan.game.score", language, right=class_right, total=9))
    discriminator_score = (t("gan.game.discriminator_score", language),
                           t("gan.game.score", language, right=discriminator_right, total=10))
    assert scores.count(class_score) == 2 and scores.count(discriminator_score) == 2
    assert t("gan.game.summary.caption", language, votes=9, total=10) in caption_texts(app)
    words = tuple(f"**{t(key, language)}**" for key in ("gan.game.summary.real", "gan.game.summary.fake"))
    marks = [text for text in said if text.startswith(words)]
    assert len(marks) == gan.ROUND_LENGTH
    assert sum(text.endswith(t("gan.game.summary.class_right", language)) for text in marks) == class_right
    assert sum(text.endswith(t("gan.game.summary.no_vote", language)) for text in marks) == 1
    assert [text.startswith(f"**{t('gan.game.summary.' + truth, language)}**")
            for text, truth in zip(marks, truths)] == [True] * gan.ROUND_LENGTH
    assert len([image for image in app.get("image")]) >= 1 + gan.ROUND_LENGTH

    # A new round: an empty round, new digits, and the totals of both rounds underneath.
    app.button(key="gan_new_round").click().run()
    assert_healthy(app, language)
    game = app.session_state["gan_game"]
    assert game.round_number == 2 and game.this_round == () and game.digit.number == 11
    assert t("gan.game.round", language, round=2, number=1, total=gan.ROUND_LENGTH) in captions(app)
    assert "gan_new_round" not in [button.key for button in app.button]
    assert t("gan.game.totals", language, digits=10, class_right=class_right, class_votes=9,
             discriminator_right=discriminator_right) in caption_texts(app)


def test_a_changed_generator_is_named_and_the_other_sections_still_show(own_bundle):
    model = next(path for path in (own_bundle / "models").glob("dcgan-*-generator.onnx"))
    with open(model, "ab") as file:
        file.write(b"\0")
    for language in ("fr", "en"):
        app = open_page(PAGE, language)
        assert_healthy(app, language)
        shown = errors(app)
        assert shown and all(model.stem in message for message in shown)
        assert "python -m training study --profile full --paradigm dcgan --seed 0" in shown[0]
        assert [header.value for header in app.header] == [t(k, language) for k in SUBHEADINGS]
        # The conditional GAN, the timeline and its quality measure still work.
        assert any(c.startswith(t("gan.conditional.caption", language, digit="0", seed=0))
                   for c in captions(app))
        assert {"gan_losses", "gan_asked", "gan_frechet"} <= set(charts(app))


def test_a_missing_timeline_is_named_and_the_grid_still_shows(own_bundle):
    for timeline in (own_bundle / "gan").glob("*-timeline.npz"):
        timeline.unlink()
    app = open_page(PAGE, "en")
    assert_healthy(app, "en")
    assert any("python -m training study --paradigm dcgan" in message for message in errors(app))
    assert t("gan.grid.caption", "en", count=36, seed=0) in captions(app)
    assert "gan_losses" not in charts(app) and "gan_frechet" in charts(app)


def test_a_student_link_shows_the_digits_and_the_game_without_controls(bundle_in_env):
    app = open_page(PAGE, "en", controls="hidden")
    assert_healthy(app, "en")
    assert not errors(app)
    assert not app.number_input and not app.get("segmented_control") and not app.select_slider
    assert app.button(key="gan_vote_real") and app.button(key="gan_next")
    assert t("gan.grid.caption", "en", count=36, seed=0) in captions(app)


def test_without_gan_models_the_page_says_which_command_builds_them(tmp_path, monkeypatch):
    directory = build_fixture_bundle(tmp_path / "bundle")
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    for language in ("fr", "en"):
        app = open_page(PAGE, language)
        assert_healthy(app, language)
        assert not errors(app)
        (info,) = [element.value for element in app.info]
        assert "python -m training study --paradigm dcgan" in info
        assert [header.value for header in app.header] == [t("gan.labels.heading", language)]
        markdown = " ".join(element.value for element in app.markdown)
        for paradigm in ("semi_supervised_gan", "gan_probe"):
            assert paradigm_name(paradigm, language) in markdown


def test_the_judges_numbers_are_formatted_for_the_language(bundle_in_env):
    app = open_page(PAGE, "fr")
    quality = next(element.value for element in app.markdown
                   if element.value.startswith(t("gan.quality.text", "fr", samples="")[:40]))
    assert format_integer(gan.QUALITY_SAMPLES, "fr") in quality  # "1 000", not "1000"


def test_the_words_under_the_game_chart_are_its_own_numbers(bundle_in_env):
    app = open_page(PAGE, "en")
    manifest = bundle.load_manifest(bundle_in_env)
    entry = gan.timeline_entries(manifest, manifest.datasets[0].id)[0]
    losses = gan.load_timeline(bundle_in_env, entry).losses
    last_step = int(app.select_slider(key="gan_step").value)
    real, fake = gan.belief_at(losses, last_step)
    assert (real, fake) == tuple(losses.iloc[-1][["mean_real_probability_on_real",
                                                 "mean_real_probability_on_fake"]])
    said = " ".join(markdown.value for markdown in app.markdown)
    assert f"**{format_percent(real, 'en', digits=0)}**" in said
    assert f"**{format_percent(fake, 'en', digits=0)}**" in said
    verdict = "gan.timeline.fooled" if abs(real - fake) < gan.FOOLED_GAP else "gan.timeline.still_tells"
    assert t(verdict, "en") in said
    assert gan.belief_at(losses.iloc[0:0], 10) is None


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_2d_game_plays_its_recording_and_says_only_what_it_shows(bundle_in_env, language):
    from dashboard.topics.gan import game_2d as gan_2d

    app = open_page(PAGE, language)
    assert_healthy(app, language)
    game = charts(app)["gan_2d_game"]
    manifest = bundle.load_manifest(bundle_in_env)
    recording = gan_2d.load_recording(bundle_in_env, gan_2d.recording_entry(manifest))
    assert recording.moments >= 40
    assert len(game["frames"]) == recording.moments
    labels = [button["label"] for button in game["layout"]["updatemenus"][0]["buttons"]]
    assert labels == [t("gan.game_2d.play", language), t("gan.game_2d.pause", language)]
    assert len(game["layout"]["sliders"][0]["steps"]) == recording.moments
    facts = gan_2d.game_facts(recording)
    said = " ".join(markdown.value for markdown in app.markdown)
    key = "gan.game_2d.facts.closer" if facts.came_closer else "gan.game_2d.facts.not_closer"
    assert t(key, language, first=format_integer(facts.first_step, language),
             last=format_integer(facts.last_step, language),
             start=format_decimal(facts.distance_first, language, digits=2),
             end=format_decimal(facts.distance_last, language, digits=2)) in said
    assert t("gan.game_2d.teacher.heading", language) in [expander.label for expander in app.expander]


def test_a_missing_2d_recording_is_named_and_the_rest_still_shows(own_bundle):
    for recording in (own_bundle / "gan").glob("gan_2d-*-recording.npz"):
        recording.unlink()
    app = open_page(PAGE, "fr")
    assert_healthy(app, "fr")
    assert any("python -m training study --paradigm gan_2d" in message for message in errors(app))
    assert "gan_2d_game" not in charts(app) and "gan_timeline_animation" in charts(app)
