"""The semi-supervised page's logic and figures, on a hand-made pseudo-label log with round numbers
(tests/dashboard_fixtures.py): what a teacher reads off the page, computed without Streamlit.

The log: 40 pool digits, 4 labelled by a person; at steps 100, 200 and 300, 0, 12 and 30 of the
36 unlabelled digits carry a pseudo-label, of which 0, 2 and 3 are wrong.
"""

import numpy as np
import pytest
from dashboard_fixtures import (
    SEMI_STEPS,
    add_semi_supervised_runs,
    build_fixture_bundle,
    edit_manifest,
    hand_made_pseudo_label_log,
    model_id,
    write_npz,
)

from dashboard.core import bundle_reader as bundle
from dashboard.core import tables
from dashboard.core.lesson_state import lesson_paradigms
from dashboard.topics.semi_supervised import pseudo_labels as semi_supervised
from dashboard.topics.semi_supervised.pseudo_label_figures import (
    BELOW_BAR_COLOUR,
    CROSS,
    RIGHT_COLOUR,
    pool_map_figure,
    pseudo_label_rounds_figure,
    threshold_figure,
)
from dashboard.topics.semi_supervised.pseudo_labels import (
    LABELLED,
    RIGHT,
    WAITING,
    WRONG,
    PseudoLabelDataError,
    load_pseudo_label_details,
    map_points,
    round_summary,
    threshold_verdict,
)


@pytest.fixture
def semi_bundle(tmp_path):
    return add_semi_supervised_runs(build_fixture_bundle(tmp_path / "bundle"))


@pytest.fixture
def manifest(semi_bundle):
    return bundle.load_manifest(semi_bundle)


@pytest.fixture
def details(manifest):
    entry = semi_supervised.details_entry(manifest, "fixmatch", 0.01, "mnist5k")
    return load_pseudo_label_details(manifest.bundle_directory, entry)


@pytest.fixture
def pool_xy(manifest):
    return semi_supervised.load_pool_map(
        manifest.bundle_directory, manifest.dataset("mnist5k"), "fixmatch"
    )


# --- which runs the bundle holds -------------------------------------------------------------


def test_the_manifest_lists_the_runs_in_registry_order(manifest):
    assert semi_supervised.paradigms_with_details(manifest) == ["pseudo_label", "fixmatch"]
    assert semi_supervised.fractions_with_details(manifest, "fixmatch", "mnist5k") == [0.01, 0.02]
    entry = semi_supervised.details_entry(manifest, "fixmatch", 0.02, "mnist5k")
    assert entry.id == model_id("fixmatch", 0.02) == manifest.model(entry.id).id
    assert semi_supervised.details_entry(manifest, "fixmatch", 0.5, "mnist5k") is None


def test_a_bundle_without_logs_names_the_study_command_of_the_family(tmp_path):
    directory = build_fixture_bundle(tmp_path / "bundle")

    def implement_the_family(manifest):
        for paradigm in manifest["paradigms"]:
            if paradigm["family"] == "semi_supervised":
                paradigm["implemented"] = True

    edit_manifest(directory, implement_the_family)
    manifest = bundle.load_manifest(directory)
    assert manifest.pseudo_label_details == ()
    command = semi_supervised.study_command(semi_supervised.semi_supervised_paradigms(manifest))
    assert command == (
        "python -m training study --profile full --paradigm pseudo_label --paradigm fixmatch "
        "--paradigm label_spreading --paradigm mean_teacher"
    )


def test_a_malformed_log_entry_in_the_manifest_names_its_field(semi_bundle):
    edit_manifest(semi_bundle, lambda manifest: manifest["pseudo_label_details"][1].pop("file"))
    with pytest.raises(bundle.ManifestError) as raised:
        bundle.load_manifest(semi_bundle)
    assert "pseudo_label_details[1].file" in raised.value.message("en")


# --- reading and checking the files ----------------------------------------------------------


def test_the_log_reads_back_as_written(details):
    assert details.n_rounds == 3 and details.n_labelled == 4 and details.n_unlabelled == 36
    assert details.steps.tolist() == list(SEMI_STEPS)
    assert details.carried(2).sum() == 30
    assert not details.guesses.flags.writeable, "one cached copy is shared by every session"


def test_a_missing_log_names_its_file_and_the_command_that_writes_it(manifest):
    entry = semi_supervised.details_entry(manifest, "fixmatch", 0.01, "mnist5k")
    (manifest.bundle_directory / entry.file).unlink()
    with pytest.raises(PseudoLabelDataError) as raised:
        load_pseudo_label_details(manifest.bundle_directory, entry)
    message = raised.value.message("en")
    assert raised.value.message_key == "error.details_missing"
    assert entry.file in message
    assert "python -m training train fixmatch --fraction 0.01 --seed 0" in message


def test_a_changed_log_is_refused_by_its_checksum(manifest):
    entry = semi_supervised.details_entry(manifest, "fixmatch", 0.01, "mnist5k")
    with open(manifest.bundle_directory / entry.file, "ab") as file:
        file.write(b"tampered")
    with pytest.raises(PseudoLabelDataError) as raised:
        load_pseudo_label_details(manifest.bundle_directory, entry)
    assert raised.value.message_key == "error.details_mismatch"
    assert "SHA-256" in raised.value.message("en")


@pytest.mark.parametrize(
    "damage",
    [
        lambda arrays: arrays.pop("guesses"),
        lambda arrays: arrays.update(guesses=arrays["guesses"][:, :5]),
        lambda arrays: arrays.update(steps=np.zeros(0, np.int32)),
        lambda arrays: arrays.update(confidence=np.full_like(arrays["confidence"], np.nan)),
    ],
    ids=["array missing", "shapes disagree", "no round", "not a number"],
)
def test_a_malformed_log_with_a_matching_checksum_is_refused(manifest, damage):
    entry = semi_supervised.details_entry(manifest, "fixmatch", 0.01, "mnist5k")
    arrays = hand_made_pseudo_label_log()
    damage(arrays)
    sha256 = write_npz(manifest.bundle_directory / entry.file, arrays)
    with pytest.raises(PseudoLabelDataError) as raised:
        load_pseudo_label_details(manifest.bundle_directory, bundle_entry(entry, sha256))
    assert raised.value.message_key == "error.details_invalid"


def bundle_entry(entry, sha256):
    from dataclasses import replace

    return replace(entry, sha256=sha256)


def test_a_file_that_is_not_an_npz_is_refused_without_a_traceback(manifest):
    entry = semi_supervised.details_entry(manifest, "fixmatch", 0.01, "mnist5k")
    path = manifest.bundle_directory / entry.file
    path.write_bytes(b"not a zip archive at all")
    with pytest.raises(PseudoLabelDataError) as raised:
        load_pseudo_label_details(
            manifest.bundle_directory, bundle_entry(entry, bundle.file_sha256(path))
        )
    assert raised.value.message_key == "error.details_invalid"


def test_a_missing_pool_map_names_the_study_command(manifest):
    dataset = manifest.dataset("mnist5k")
    (manifest.bundle_directory / dataset.pool_map_file).unlink()
    with pytest.raises(PseudoLabelDataError) as raised:
        semi_supervised.load_pool_map(manifest.bundle_directory, dataset, "fixmatch")
    message = raised.value.message("fr")
    assert raised.value.message_key == "error.pool_map_missing"
    assert "python -m training study --profile full --paradigm fixmatch" in message


# --- round by round --------------------------------------------------------------------------


def test_each_round_counts_the_pseudo_labels_and_scores_them(details):
    summary = round_summary(details)
    assert summary["step"].tolist() == [100, 200, 300]
    assert summary["n_carried"].tolist() == [0, 12, 30]
    assert summary["n_carried_correct"].tolist() == [0, 10, 27]
    assert summary["n_carried_wrong"].tolist() == [0, 2, 3]
    assert np.isnan(summary["carried_accuracy"][0]), "no pseudo-label: no accuracy, not 0 %"
    assert summary["carried_accuracy"][1:].tolist() == pytest.approx([10 / 12, 27 / 30])
    # Every guess, above the bar or not: the bar keeps the better ones.
    assert summary["guesses_accuracy"].tolist() == pytest.approx([18 / 36, 34 / 36, 33 / 36])


def test_the_rounds_table_reads_in_both_languages(details):
    summary = round_summary(details)
    english = tables.pseudo_label_rounds_table(summary, language="en")
    assert english["Pseudo-labels"].tolist() == ["0", "12", "30"]
    assert english["Accuracy of the pseudo-labels"].tolist() == ["—", "83.3", "90.0"]
    french = tables.pseudo_label_rounds_table(summary, language="fr")
    assert french["Seuil"].tolist() == ["90\u202f%"] * 3
    assert french["Taux de réussite des pseudo-étiquettes"].tolist()[2] == "90,0"


def test_the_map_colours_each_digit_by_what_it_carries_at_the_round(details, pool_xy):
    points = map_points(details, pool_xy, round_index=2)
    counts = {kind: points.count(kind) for kind in (LABELLED, RIGHT, WRONG, WAITING)}
    assert counts == {LABELLED: 4, RIGHT: 27, WRONG: 3, WAITING: 6}
    labelled = points.kind == LABELLED
    assert points.digit[labelled].tolist() == [3, 1, 4, 1], "a person's label, as given"
    assert points.x[labelled].tolist() == pool_xy[:4, 0].tolist(), "pool positions 0-3"
    wrong = points.kind == WRONG
    assert (points.digit[wrong] != points.truth[wrong]).all(), "shown with the digit guessed"
    first = map_points(details, pool_xy, round_index=0)
    assert first.count(WAITING) == 36 and first.count(RIGHT) == first.count(WRONG) == 0


def test_a_map_made_for_other_data_does_not_fit(details, pool_xy):
    assert semi_supervised.map_fits(details, pool_xy)
    assert not semi_supervised.map_fits(details, pool_xy[:20])
    with pytest.raises(ValueError):
        map_points(details, pool_xy[:20], 0)


# --- the confidence bar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("best", "threshold", "carried"), [(0.95, 0.95, True), (0.949, 0.95, False), (0.6, 0.5, True)]
)
def test_a_guess_carries_a_pseudo_label_when_it_reaches_the_bar(best, threshold, carried):
    probabilities = np.full(10, (1 - best) / 9)
    probabilities[7] = best
    verdict = threshold_verdict(probabilities, threshold)
    assert verdict.guess == 7
    assert verdict.confidence == pytest.approx(best)
    assert verdict.carried is carried


# --- what the page writes into a lesson link -------------------------------------------------


OFFERED = ["pseudo_label", "fixmatch"]


def test_a_link_that_already_leads_to_the_method_is_kept():
    # The default view (no paradigms named) and a study choice that starts with this method
    # are left alone: the study page reads the same field.
    assert lesson_paradigms(None, OFFERED, "pseudo_label", ("supervised",)) is None
    study_choice = ("supervised", "kmeans", "fixmatch")
    assert lesson_paradigms(study_choice, OFFERED, "fixmatch", ("supervised",)) == study_choice


def test_another_method_is_written_beside_supervised_learning():
    assert lesson_paradigms(None, OFFERED, "fixmatch", ("supervised",)) == (
        "supervised",
        "fixmatch",
    )
    assert lesson_paradigms(("pseudo_label",), OFFERED, "fixmatch", ()) == ("fixmatch",)


# --- figures ---------------------------------------------------------------------------------


def test_the_rounds_chart_stacks_right_and_wrong_and_shades_the_round(details):
    figure = pseudo_label_rounds_figure(round_summary(details), language="en", current_round=1)
    bars = {trace.name: trace for trace in figure.data if trace.type == "bar"}
    assert list(bars["right pseudo-labels"].y) == [0, 10, 27]
    assert list(bars["wrong pseudo-labels"].y) == [0, 2, 3]
    assert bars["right pseudo-labels"].marker.color == RIGHT_COLOUR
    assert figure.layout.barmode == "stack"
    assert list(figure.layout.xaxis.ticktext) == ["100", "200", "300"]
    (shade,) = figure.layout.shapes
    assert (shade.x0, shade.x1) == (0.5, 1.5)
    every = next(trace for trace in figure.data if trace.name == "all 36 unlabelled digits")
    assert list(every.y) == [36, 36]


def test_the_map_draws_every_digit_once_with_crosses_for_the_wrong_ones(details, pool_xy):
    points = map_points(details, pool_xy, round_index=2)
    by_outcome = pool_map_figure(points, colour_by="outcome", language="en")
    sizes = {trace.name: len(trace.x) for trace in by_outcome.data}
    assert sizes == {
        "no pseudo-label yet": 6,
        "right pseudo-label": 27,
        "wrong pseudo-label": 3,
        "labelled by a person": 4,
    }
    assert all(trace.type == "scattergl" for trace in by_outcome.data), "WebGL for thousands"

    by_digit = pool_map_figure(points, colour_by="digit", language="fr")
    drawn = [trace for trace in by_digit.data if trace.x is not None and trace.x[0] is not None]
    assert sum(len(trace.x) for trace in drawn) == 40
    symbols = np.concatenate(
        [np.atleast_1d(trace.marker.symbol) for trace in drawn if trace.name.startswith("lu comme")]
    )
    assert (symbols == CROSS).sum() == 3
    assert "lu comme 0" in {trace.name for trace in by_digit.data}


def test_the_threshold_chart_colours_the_guess_by_its_verdict():
    probabilities = np.array([0.02] * 9 + [0.82])
    passed = threshold_figure(
        threshold_verdict(probabilities, 0.8), model_name="FixMatch", language="en"
    )
    failed = threshold_figure(
        threshold_verdict(probabilities, 0.95), model_name="FixMatch", language="fr"
    )
    assert passed.data[0].marker.color[9] == RIGHT_COLOUR
    assert failed.data[0].marker.color[9] == BELOW_BAR_COLOUR
    assert passed.layout.shapes[0].y0 == pytest.approx(0.8)
    assert passed.layout.annotations[0].text == "bar 80%"
    assert failed.layout.annotations[0].text == "seuil 95\u202f%"
