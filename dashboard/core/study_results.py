"""The label-fraction study in numbers: mean and spread over seeds, and labels needed for a target.

Input is results.csv as `bundle.load_results` returns it (one row per paradigm, data set, label
fraction and seed). Nothing here interpolates between measured fractions: a teacher reads only
points that were trained and measured.
"""

from __future__ import annotations

import pandas as pd

SPREAD_STD = "std"
SPREAD_RANGE = "range"
SPREAD_KINDS = (SPREAD_STD, SPREAD_RANGE)

SUMMARY_COLUMNS = (
    "paradigm",
    "family",
    "dataset",
    "label_fraction",
    "n_labels",
    "mean_accuracy",
    "std_accuracy",
    "min_accuracy",
    "max_accuracy",
    "n_seeds",
)


def summarise_by_fraction(results: pd.DataFrame) -> pd.DataFrame:
    """One row per (paradigm, data set, label fraction): accuracy mean, spread and seed count.

    `std_accuracy` is the sample standard deviation over seeds (ddof=1), NaN for a single seed:
    one run says nothing about how much runs vary, and showing ± 0 would claim it does.
    """
    if results.empty:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    grouped = results.groupby(["paradigm", "dataset", "label_fraction"], sort=True)
    summary = grouped.agg(
        family=("family", "first"),
        # The nested stratified subsets give every seed the same count; the median is robust to
        # a stray row if a future protocol ever lets it vary.
        n_labels=("n_labels", "median"),
        mean_accuracy=("test_accuracy", "mean"),
        std_accuracy=("test_accuracy", lambda accuracies: accuracies.std(ddof=1)),
        min_accuracy=("test_accuracy", "min"),
        max_accuracy=("test_accuracy", "max"),
        n_seeds=("seed", "nunique"),
    ).reset_index()
    summary["n_labels"] = summary["n_labels"].round().astype("int64")
    return summary[list(SUMMARY_COLUMNS)]


def headline_paradigms(summary: pd.DataFrame) -> list[str]:
    """The chart's opening lines: in each family, the paradigm with the best mean at the fewest
    labels (supervised learning, the yardstick, is its family's only one). The study has some
    twenty paradigms, a tangle on a projector; the others stay one click away in the list.
    Chosen from the results, so the lines shown are whatever the bundle measured best."""
    if summary.empty:
        return []
    fewest = summary[summary["label_fraction"] == summary["label_fraction"].min()]
    best = fewest.sort_values(["mean_accuracy", "paradigm"], ascending=[False, True]).groupby("family", sort=False).head(1)
    return best["paradigm"].tolist()


def spread_bounds(summary: pd.DataFrame, spread: str) -> tuple[pd.Series, pd.Series]:
    """How far below and above the mean the spread bar reaches, for each summary row."""
    if spread == SPREAD_RANGE:
        return summary["mean_accuracy"] - summary["min_accuracy"], (
            summary["max_accuracy"] - summary["mean_accuracy"]
        )
    standard_deviation = summary["std_accuracy"].fillna(0.0)
    return standard_deviation, standard_deviation


def labels_per_fraction(summary: pd.DataFrame) -> dict[float, int]:
    """Number of labels at each label fraction (the same for every paradigm of a data set)."""
    return {
        float(fraction): int(n_labels)
        for fraction, n_labels in summary.groupby("label_fraction")["n_labels"].median().items()
    }


def labels_needed(summary: pd.DataFrame, target_accuracy: float) -> pd.DataFrame:
    """For each paradigm, the smallest measured fraction whose mean accuracy reaches the target.

    `summary` holds one data set (fractions of different data sets are not comparable).

    Columns: paradigm, family, reached (bool), label_fraction and n_labels (NaN / <NA> when not
    reached), mean_accuracy (at that fraction, or the best one when not reached).
    """
    rows = []
    for paradigm, points in summary.sort_values("label_fraction").groupby("paradigm", sort=True):
        # A mean of three accuracies on a 1/1000 grid can land a rounding error below the target
        # it equals (0.8999999999 for 0.9); such a point reaches the target.
        reaching = points[points["mean_accuracy"] >= target_accuracy - 1e-9]
        if reaching.empty:
            best = points.loc[points["mean_accuracy"].idxmax()]
            rows.append((paradigm, best["family"], False, None, None, best["mean_accuracy"]))
        else:
            first = reaching.iloc[0]
            rows.append(
                (
                    paradigm,
                    first["family"],
                    True,
                    first["label_fraction"],
                    first["n_labels"],
                    first["mean_accuracy"],
                )
            )
    table = pd.DataFrame(
        rows,
        columns=["paradigm", "family", "reached", "label_fraction", "n_labels", "mean_accuracy"],
    )
    table["label_fraction"] = table["label_fraction"].astype("float64")
    table["n_labels"] = table["n_labels"].astype("Int64")
    return table
