"""Figures and tables the pages place: traces, colours, axes, hover text and cells a user reads."""

import pytest
from dashboard_fixtures import SAMPLE_RESULTS, build_fixture_bundle

from dashboard.core import bundle_reader as bundle
from dashboard.core import figures, study_results, tables
from dashboard.core.figures import SpectrumEntry
from dashboard.core.i18n import t

SUMMARY = study_results.summarise_by_fraction(SAMPLE_RESULTS)


def traces_by_name(figure):
    return {trace.name: trace for trace in figure.data}


def test_one_line_per_paradigm_coloured_by_family():
    figure = figures.label_fraction_figure(SUMMARY, language="en", spread="std")
    traces = traces_by_name(figure)
    assert set(traces) == {"Supervised (CNN)", "k-means"}
    assert traces["Supervised (CNN)"].line.color == figures.FAMILY_COLOURS["supervised"]
    assert traces["k-means"].line.color == figures.FAMILY_COLOURS["unsupervised"]
    assert traces["k-means"].legendgrouptitle.text == "Unsupervised"


def test_paradigms_of_one_family_differ_by_dash_and_marker():
    styles = figures.paradigm_styles(
        {"pseudo_label": "semi_supervised", "fixmatch": "semi_supervised"}
    )
    (colour_a, dash_a, marker_a), (colour_b, dash_b, marker_b) = styles.values()
    assert colour_a == colour_b
    assert dash_a != dash_b and marker_a != marker_b


def test_log_axis_with_fractions_and_label_counts_as_ticks():
    figure = figures.label_fraction_figure(SUMMARY, language="fr", spread="std")
    assert figure.layout.xaxis.type == "log"
    assert list(figure.layout.xaxis.tickvals) == [0.01, 0.1]
    assert figure.layout.xaxis.ticktext[1] == "10\u202f%<br>(400)"
    assert figure.layout.yaxis.title.text == t("figure.study.y_title", "fr")


def test_error_bars_show_the_chosen_spread():
    standard = traces_by_name(figures.label_fraction_figure(SUMMARY, language="en", spread="std"))
    assert list(standard["Supervised (CNN)"].error_y.array) == pytest.approx([0.04, 0.01])
    ranged = traces_by_name(figures.label_fraction_figure(SUMMARY, language="en", spread="range"))
    assert list(ranged["Supervised (CNN)"].error_y.arrayminus) == pytest.approx([0.04, 0.01])


def test_hover_gives_paradigm_fraction_labels_accuracy_and_seeds():
    figure = figures.label_fraction_figure(SUMMARY, language="en", spread="std")
    hover = traces_by_name(figure)["Supervised (CNN)"].hovertext[0]
    for expected in ("Supervised (CNN)", "1%", "Labels: 40", "74.0% ± 4.0%", "Seeds: 3"):
        assert expected in hover


def test_unknown_paradigm_and_family_fall_back_to_their_ids():
    odd = SUMMARY.assign(paradigm="quantum_magic", family="exotic").iloc[:2]
    figure = figures.label_fraction_figure(odd, language="fr", spread="std")
    assert figure.data[0].name == "quantum_magic"
    assert figure.data[0].line.color == figures.UNKNOWN_FAMILY_COLOUR


def test_empty_summary_gives_an_empty_figure():
    empty = figures.label_fraction_figure(SUMMARY.iloc[0:0], language="en", spread="std")
    assert len(empty.data) == 0


def test_spectrum_marks_coming_paradigms_hollow(tmp_path):
    manifest = bundle.load_manifest(build_fixture_bundle(tmp_path / "bundle"))
    entries = figures.spectrum_entries(manifest, paradigms_with_results={"supervised", "kmeans"})
    assert {e.paradigm for e in entries if e.available} == {"supervised", "kmeans"}
    figure = figures.paradigm_spectrum_figure(entries, language="fr")
    rotation = next(trace for trace in figure.data if "Rotation" in trace.text[0])
    assert rotation.marker.symbol == "circle-open"
    assert "(à venir)" in rotation.text[0]
    supervised = next(trace for trace in figure.data if "Supervisé (CNN)" in trace.text[0])
    assert supervised.marker.symbol == "circle"


def test_spectrum_orders_families_from_all_labels_to_none():
    entries = [SpectrumEntry("kmeans", "unsupervised", True), SpectrumEntry("odd", "exotic", False)]
    assert figures.spectrum_families(entries) == [*figures.SPECTRUM_FAMILIES, "exotic"]
    figure = figures.paradigm_spectrum_figure(entries, language="en")
    ends = [annotation.text for annotation in figure.layout.annotations if annotation.text]
    assert ends == ["<b>Every example labelled by a person</b>", "<b>No labels at all</b>"]


def test_accuracy_table_has_a_column_per_fraction_with_label_counts():
    table = tables.accuracy_table(
        SUMMARY, spread="std", language="en", paradigm_order=["supervised", "kmeans"]
    )
    assert list(table.columns) == ["Paradigm", "Family", "1% (40)", "10% (400)"]
    assert table.iloc[0]["1% (40)"] == "74.0\u00a0±\u00a04.0"
    assert table.iloc[1]["1% (40)"] == "55.0"  # one seed: no spread to claim


def test_labels_needed_table_says_not_reached():
    needed = study_results.labels_needed(SUMMARY, 0.90)
    table = tables.labels_needed_table(
        needed, language="fr", paradigm_order=["supervised", "kmeans"]
    )
    assert table["Paradigme"].tolist() == ["Supervisé (CNN)", "k-moyennes"]
    assert table["Étiquettes nécessaires"].tolist() == ["400", "non atteint"]
    assert table.iloc[1]["Taux de réussite moyen"].startswith("au mieux 61,0")


def test_summary_csv_keeps_ids_and_plain_numbers():
    text = tables.summary_csv(SUMMARY, language="fr").decode("utf-8")
    header, first_row = text.splitlines()[:2]
    assert header.startswith("paradigm,paradigm_name,family,dataset,label_fraction,n_labels")
    assert "0.74" in text and "k-moyennes" in text


def test_models_table_lists_sha_status(tmp_path):
    directory = build_fixture_bundle(tmp_path / "bundle")
    manifest = bundle.load_manifest(directory)
    (directory / manifest.models[0].file).unlink()
    statuses = {model.id: bundle.model_file_status(directory, model) for model in manifest.models}
    table = tables.models_table(manifest, statuses, language="en")
    assert len(table) == 4
    assert table["SHA-256"].tolist() == ["✖ missing", "✔ ok", "✔ ok", "✔ ok"]  # supervised first
    assert table["Labels"].tolist() == ["40", "4,000", "40", "4,000"]
    assert table["Model"].tolist()[0] == "supervised-mnist5k-001pct-seed0"
