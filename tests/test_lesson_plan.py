"""The guided lesson's steps: written in both languages, each opening a view a link can carry.

What a teacher would notice: a step about a family that ships no model yet is "coming" and opens
the map, never a chart; once the family ships, the step opens the study beside supervised
learning; the class stays in its language, projector mode and student view from step to step.
"""

import pytest
from dashboard_fixtures import build_fixture_bundle, edit_manifest

from dashboard.core import bundle_reader as bundle
from dashboard.core.digit_answers import classifier_fractions
from dashboard.core.i18n import CATALOGUE
from dashboard.core.lesson_plan import STEPS, step_is_coming, step_target
from dashboard.core.lesson_state import (
    LessonState,
    LessonVocabulary,
    parse_query_params,
    to_query_params,
)


@pytest.fixture
def fixture_bundle(tmp_path):
    return build_fixture_bundle(tmp_path / "bundle")


def test_every_step_is_written_in_french_and_english():
    for step in STEPS:
        fields = ["title", "text", "notes"] + (["coming"] if step.families else [])
        for field in fields:
            entry = CATALOGUE[f"lesson.step.{step.id}.{field}"]
            assert entry["fr"].strip() and entry["en"].strip()


def test_a_family_that_ships_nothing_is_coming_and_opens_the_map(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    current = LessonState(language="en", projector=True)
    for step in STEPS:
        target = step_target(step, current, manifest)
        assert target.language == "en" and target.projector, "the class stays in its view"
        if step.families:
            assert step_is_coming(step, manifest)
            assert target.page == "home" and target.paradigms is None
        else:
            assert not step_is_coming(step, manifest)
            assert target.page == step.page
    assert step_target(STEPS[2], current, manifest).label_fraction == 0.01


def test_a_family_that_ships_opens_the_study_beside_supervised(fixture_bundle):
    def ship_rotation(manifest):
        next(p for p in manifest["paradigms"] if p["id"] == "rotation")["implemented"] = True
        kmeans = next(m for m in manifest["models"] if m["paradigm"] == "kmeans")
        kmeans.update(paradigm="rotation", family="self_supervised")

    edit_manifest(fixture_bundle, ship_rotation)
    manifest = bundle.load_manifest(fixture_bundle)
    step = next(step for step in STEPS if step.id == "self_supervised")
    assert not step_is_coming(step, manifest)
    target = step_target(step, LessonState(), manifest)
    assert (target.page, target.paradigms) == ("study", ("supervised", "rotation"))


def test_a_results_only_fine_tune_is_charted_beside_its_family(fixture_bundle):
    """A fine-tune ships results rows and no classifier; the family's link still charts it."""
    def ship_rotation_and_its_fine_tune(manifest):
        next(p for p in manifest["paradigms"] if p["id"] == "rotation")["implemented"] = True
        manifest["paradigms"].append({"id": "rotation_finetune", "family": "self_supervised",
                                      "ships_classifier": False})
        kmeans = next(m for m in manifest["models"] if m["paradigm"] == "kmeans")
        kmeans.update(paradigm="rotation", family="self_supervised")

    edit_manifest(fixture_bundle, ship_rotation_and_its_fine_tune)
    manifest = bundle.load_manifest(fixture_bundle)
    step = next(step for step in STEPS if step.id == "self_supervised")
    target = step_target(step, LessonState(), manifest)
    assert target.paradigms == ("supervised", "rotation", "rotation_finetune")


def test_every_step_link_carries_its_view(fixture_bundle):
    manifest = bundle.load_manifest(fixture_bundle)
    vocabulary = LessonVocabulary(
        paradigms=tuple(p.id for p in manifest.paradigms),
        fractions=tuple(classifier_fractions(manifest)),
        seeds=(0, 1, 2),
        steps=tuple(step.id for step in STEPS),
    )
    for step in STEPS:
        target = step_target(step, LessonState(controls_hidden=True), manifest)
        params = to_query_params(target)
        assert parse_query_params(params, vocabulary, page=target.page) == target
