"""Tables that pages show or offer for download, built from the bundle, translated and formatted.

Shown tables hold display text (numbers formatted for the language, names translated); the CSV
downloads keep plain numbers and stable ids, so a spreadsheet or a script can read them in any
language.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.core.bundle_reader import FileStatus, Manifest
from dashboard.core.i18n import (
    family_name,
    format_decimal,
    format_fraction,
    format_integer,
    format_percent,
    paradigm_name,
    role_name,
    t,
)
from dashboard.core.study_results import SPREAD_RANGE, labels_per_fraction


def _accuracy_cell(row: pd.Series, spread: str, language: str) -> str:
    mean = format_decimal(100 * row["mean_accuracy"], language)
    if spread == SPREAD_RANGE:
        low = format_decimal(100 * row["min_accuracy"], language)
        high = format_decimal(100 * row["max_accuracy"], language)
        return t("study.cell_range", language, mean=mean, low=low, high=high)
    if math.isnan(row["std_accuracy"]):  # a single seed: no spread to show
        return mean
    spread_text = format_decimal(100 * row["std_accuracy"], language)
    return t("study.cell", language, mean=mean, spread=spread_text)


def accuracy_table(
    summary: pd.DataFrame, *, spread: str, language: str, paradigm_order: list[str]
) -> pd.DataFrame:
    """One row per paradigm, one column per fraction: 'mean ± std' or 'mean (min–max)' in %,
    for one data set."""
    columns = {
        fraction: t(
            "study.column.fraction_labels",
            language,
            fraction=format_fraction(fraction, language),
            labels=format_integer(n_labels, language),
        )
        for fraction, n_labels in labels_per_fraction(summary).items()
    }
    rows = []
    for paradigm in paradigm_order:
        points = summary[summary["paradigm"] == paradigm]
        if points.empty:
            continue
        row = {
            t("study.column.paradigm", language): paradigm_name(paradigm, language),
            t("study.column.family", language): family_name(points["family"].iloc[0], language),
        }
        for _, point in points.iterrows():
            row[columns[point["label_fraction"]]] = _accuracy_cell(point, spread, language)
        rows.append(row)
    table = pd.DataFrame(rows)
    # Fractions a paradigm was not measured at stay as empty cells, not "nan".
    return table.reindex(columns=[*table.columns[:2], *columns.values()]).fillna("")


def labels_needed_table(
    needed: pd.DataFrame, *, language: str, paradigm_order: list[str]
) -> pd.DataFrame:
    """study_results.labels_needed, for display: 'not reached' where the target was not reached."""
    rank = {paradigm: index for index, paradigm in enumerate(paradigm_order)}
    rows = []
    ordered = needed.sort_values("paradigm", key=lambda ids: ids.map(rank).fillna(len(rank)))
    for _, row in ordered.iterrows():
        accuracy = format_percent(row["mean_accuracy"], language)
        rows.append(
            {
                t("study.column.paradigm", language): paradigm_name(row["paradigm"], language),
                t("study.column.labels_needed", language): (
                    format_integer(row["n_labels"], language)
                    if row["reached"]
                    else t("study.not_reached", language)
                ),
                t("study.column.fraction", language): (
                    format_fraction(row["label_fraction"], language) if row["reached"] else "—"
                ),
                t("study.column.accuracy_there", language): (
                    accuracy
                    if row["reached"]
                    else t("study.best_reached", language, accuracy=accuracy)
                ),
            }
        )
    return pd.DataFrame(rows)


def summary_csv(summary: pd.DataFrame, *, language: str) -> bytes:
    """The study summary as CSV: ids and plain numbers, plus the paradigm's name in the language."""
    table = summary.copy()
    table.insert(1, "paradigm_name", [paradigm_name(p, language) for p in table["paradigm"]])
    # Six significant digits: accuracies are exact to 1/1000, and 0.74 must not read
    # 0.7400000000000001.
    return table.to_csv(index=False, float_format="%.6g").encode("utf-8")


def results_csv(results: pd.DataFrame) -> bytes:
    """Every study point, seed by seed, as results.csv holds them."""
    return results.to_csv(index=False).encode("utf-8")


_STATUS_KEYS = {
    FileStatus.OK: "models.status.ok",
    FileStatus.MISSING: "models.status.missing",
    FileStatus.MISMATCH: "models.status.mismatch",
    FileStatus.OUTSIDE: "models.status.outside",
}


# What a class needs to see of each model on a projector, where eleven columns would not fit.
COMPACT_MODEL_COLUMNS = (
    "models.column.model",
    "models.column.sha_status",
    "models.column.paradigm",
    "models.column.fraction",
    "models.column.accuracy",
)


def models_table(
    manifest: Manifest,
    statuses: dict[str, FileStatus],
    *,
    language: str,
    compact: bool = False,
) -> pd.DataFrame:
    """Every shipped model with its facts from the manifest and its file's SHA-256 status.

    Numbers are text formatted for the language (94,8 in French), like every other table here;
    "—" marks a fact that does not apply (a generator has no label fraction). `compact` keeps
    only COMPACT_MODEL_COLUMNS.
    """

    def number(value: float | None, digits: int = 0) -> str:
        if value is None:
            return t("models.not_applicable", language)
        return format_decimal(value, language, digits)

    rows = []
    for model in manifest.models_in_registry_order():
        rows.append(
            {
                t("models.column.model", language): model.id,
                # The file's status next to its id: the column a teacher must not miss.
                t("models.column.sha_status", language): t(
                    _STATUS_KEYS[statuses[model.id]], language
                ),
                t("models.column.paradigm", language): paradigm_name(model.paradigm, language),
                t("models.column.role", language): role_name(model.role, language),
                t("models.column.fraction", language): (
                    t("models.not_applicable", language)
                    if model.label_fraction is None
                    else format_fraction(model.label_fraction, language)
                ),
                t("models.column.labels", language): number(model.n_labels),
                t("models.column.seed", language): number(model.seed),
                t("models.column.accuracy", language): number(
                    None if model.test_accuracy is None else 100 * model.test_accuracy, 1
                ),
                t("models.column.parameters", language): number(model.parameters),
                t("models.column.size", language): number(
                    None if model.size_bytes is None else model.size_bytes / 1024, 1
                ),
                t("models.column.train_seconds", language): number(model.train_seconds, 1),
            }
        )
    table = pd.DataFrame(rows)
    if compact:
        table = table[[t(key, language) for key in COMPACT_MODEL_COLUMNS]]
    return table


_RECHECK_STATUS_KEYS = {
    "agree": "study.recheck.status.agree",
    "differs": "study.recheck.status.differs",
    "not_recorded": "study.recheck.status.not_recorded",
    "failed": "study.recheck.status.failed",
}


def recheck_status(point) -> str:
    """'agree', 'differs', 'not_recorded' or 'failed' for a study_recheck.RecheckedPoint."""
    if point.error is not None or point.measured_accuracy is None:
        return "failed"
    if point.recorded_accuracy is None:
        return "not_recorded"
    return "differs" if point.flagged else "agree"


def recheck_table(points, *, language: str) -> pd.DataFrame:
    """The re-check point by point: accuracy in results.csv, measured now, their difference."""

    def percent(value: float | None) -> str:
        return "—" if value is None else format_decimal(100 * value, language)

    rows = []
    for point in points:
        difference = point.difference
        rows.append(
            {
                t("study.column.paradigm", language): paradigm_name(point.paradigm, language),
                t("study.column.fraction", language): format_fraction(
                    point.label_fraction, language
                ),
                t("study.recheck.column.labels", language): (
                    "—" if point.n_labels is None else format_integer(point.n_labels, language)
                ),
                t("study.recheck.column.recorded", language): percent(point.recorded_accuracy),
                t("study.recheck.column.measured", language): percent(point.measured_accuracy),
                # Signed, so a class sees which way a flagged point moved.
                t("study.recheck.column.difference", language): (
                    "—"
                    if difference is None
                    else ("+" if difference > 0 else "")
                    + format_decimal(100 * difference, language)
                ),
                t("study.recheck.column.status", language): t(
                    _RECHECK_STATUS_KEYS[recheck_status(point)], language
                ),
            }
        )
    return pd.DataFrame(rows)


def pseudo_label_rounds_table(summary: pd.DataFrame, *, language: str) -> pd.DataFrame:
    """A semi-supervised run round by round (`semi_supervised.round_summary`): the bar, the
    pseudo-labels carried, right and wrong, and the accuracy of those and of every guess, in %."""

    def percent(value: float) -> str:
        return "—" if math.isnan(value) else format_decimal(100 * value, language)

    return pd.DataFrame(
        [
            {
                t("semi_supervised.column.step", language): format_integer(int(row["step"]), language),
                t("semi_supervised.column.threshold", language): format_percent(
                    row["threshold"], language, digits=0
                ),
                t("semi_supervised.column.carried", language): format_integer(
                    int(row["n_carried"]), language
                ),
                t("semi_supervised.column.right", language): format_integer(
                    int(row["n_carried_correct"]), language
                ),
                t("semi_supervised.column.wrong", language): format_integer(
                    int(row["n_carried_wrong"]), language
                ),
                t("semi_supervised.column.carried_accuracy", language): percent(row["carried_accuracy"]),
                t("semi_supervised.column.guesses_accuracy", language): percent(row["guesses_accuracy"]),
            }
            for _, row in summary.iterrows()
        ]
    )
