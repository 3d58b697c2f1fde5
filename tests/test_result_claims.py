"""No page states a result its bundle does not carry.

A sentence that says how well something works ("does better", "helps", "95 %", "reaches")
either is filled or chosen by the code from the numbers it describes, or is checked here against
the shipped bundle, or is not a result at all (how a method works, what the protocol is, an
instruction). Every text of the catalogue that reads like a claim must be sorted into one of
those kinds below: a new sentence that states a result fails this test until someone decides how
it stays true when the bundle changes.
"""

from __future__ import annotations

import json
import re

import pytest
from dashboard_fixtures import REAL_BUNDLE, real_bundle_available

from dashboard.core.i18n import CATALOGUE, forms_of, t

# Words and figures that state how well something does, in either language.
CLAIM_WORDS = {
    "en": re.compile(
        r"\b(better|worse|beats?|outperforms?|best|helps?|wins?|loses?|reach(es)?|almost|nearly|"
        r"above|below|higher|lower|fooled|more accurate|less accurate)\b|\d\s?%",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b(mieux|moins bien|meilleure?s?|bat|dépasse|surpasse|aide|gagne|perd|atteint|presque|"
        r"au-dessus|en dessous|trompée?)\b|\d\s?%",
        re.IGNORECASE,
    ),
}

COMPUTED = "filled or chosen by the code from the numbers it states"
MECHANISM = "how a method works, not a measured result"
PROTOCOL = "what the study does, not what it found"
INSTRUCTION = "an instruction, a question or a label"
CHECKED = "checked against the shipped bundle below"

REVIEWED = {
    "models.rebuild_full": PROTOCOL,  # which seeds the study trains at which fractions
    "family.self_supervised.description": PROTOCOL,  # "might help ... the study measures whether it does"
    "home.without_manifest": INSTRUCTION,
    "study.intro": PROTOCOL,
    "study.target_heading": INSTRUCTION,
    "study.target_caption": PROTOCOL,
    "study.not_reached": COMPUTED,
    "study.best_reached": COMPUTED,
    "study.headline_caption": COMPUTED,  # "the best mean at the fewest labels": the lines are chosen from results.csv
    "models.problems": COMPUTED,
    "digit.error.blank": INSTRUCTION,
    "semi_supervised.intro": MECHANISM,
    "semi_supervised.spreading.sentence_none": COMPUTED,
    "semi_supervised.map.hover_waiting": COMPUTED,
    "semi_supervised.map.hover_carried": COMPUTED,
    "semi_supervised.table_caption": PROTOCOL,
    "semi_supervised.threshold.text": MECHANISM,
    "semi_supervised.threshold.carried": COMPUTED,
    "semi_supervised.threshold.below": COMPUTED,
    "semi_supervised.method.pseudo_label": MECHANISM,
    "semi_supervised.method.fixmatch": MECHANISM,
    "semi_supervised.method.mean_teacher": CHECKED,  # its bar: test_the_mean_teachers_bar_is_the_shipped_one
    "lesson.step.every_label.text": INSTRUCTION,
    "lesson.step.few_labels.title": INSTRUCTION,
    "lesson.step.few_labels.notes": INSTRUCTION,
    "lesson.step.gan.notes": INSTRUCTION,  # asks whether it helps; the study's line answers
    "lesson.step.self_supervised.text": INSTRUCTION,
    "lesson.step.study_chart.text": PROTOCOL,
    "self_supervised.digit.label_unused": PROTOCOL,
    "self_supervised.score.error_caption": PROTOCOL,
    "self_supervised.limits.text": MECHANISM,
    "gan.timeline.text": MECHANISM,
    "gan.game_2d.text": MECHANISM,  # what the colours and arrows mean
    "gan.game_2d.facts.fooled": COMPUTED,  # chosen from the recording's last beliefs (topics/gan/page.py)
    "gan.timeline.play_text": INSTRUCTION,
    "gan.timeline.still_tells": COMPUTED,  # chosen by gan.belief_at from the recorded curves
    "gan.timeline.fooled": COMPUTED,
    "gan.losses.top": INSTRUCTION,
    "gan.losses.caption": MECHANISM,
    "gan.game.text": INSTRUCTION,
    "gan.game.summary.class_wins": COMPUTED,  # chosen by gan.round_summary from the round's points
    "gan.game.summary.discriminator_wins": COMPUTED,
    "gan.quality.no_judge": PROTOCOL,
    "gan.shares.ok": COMPUTED,
    "gan.frechet.caption": PROTOCOL,
    "colourisation.temperature_help": MECHANISM,
    "colourisation.metric.error": INSTRUCTION,
    "colourisation.verdict.better": COMPUTED,  # chosen by comparing the photo's error with grey's
    "colourisation.verdict.worse": COMPUTED,
    "colourisation.fails_text": MECHANISM,
    "class_labels.second_opinion_help": MECHANISM,
    "class_labels.best_now": COMPUTED,
    "class_labels.disputes": COMPUTED,
}


def reads_like_a_claim(key: str) -> bool:
    return any(pattern.search(text) for language, pattern in CLAIM_WORDS.items() for text in forms_of(key, language))


def test_every_sentence_that_reads_like_a_result_is_sorted():
    unsorted = sorted(key for key in CATALOGUE if reads_like_a_claim(key) and key not in REVIEWED)
    assert not unsorted, (
        "these texts state how well something does: fill them from the results, check them in "
        f"this file, or say why they are not a result: {unsorted}"
    )


def test_the_sorted_list_names_only_texts_that_exist_and_still_read_like_claims():
    stale = sorted(key for key in REVIEWED if key not in CATALOGUE or not reads_like_a_claim(key))
    assert not stale, f"no longer in the catalogue, or no longer a claim: {stale}"


@pytest.mark.parametrize("key", sorted(key for key, kind in REVIEWED.items() if kind == COMPUTED))
def test_a_computed_sentence_has_a_number_or_name_to_fill(key):
    # A "computed" text that holds no placeholder could only be chosen by the code (better or
    # worse, fooled or not, a target reached or not): those few are named here, the others must
    # be filled.
    chosen_not_filled = {"gan.timeline.still_tells", "gan.timeline.fooled", "gan.game_2d.facts.fooled", "study.not_reached"}
    assert key in chosen_not_filled or all("{" in "".join(forms_of(key, language)) for language in ("fr", "en"))


@pytest.mark.skipif(not real_bundle_available(), reason="the shipped bundle is not here")
def test_the_mean_teachers_bar_is_the_shipped_one():
    manifest = json.loads((REAL_BUNDLE / "manifest.json").read_text())
    bars = {model["config"]["teacher_bar"] for model in manifest["models"] if model["paradigm"] == "mean_teacher"}
    assert len(bars) == 1, bars
    (bar,) = bars
    percent = round(bar * 100)
    assert f"{percent}\u00a0%" in t("semi_supervised.method.mean_teacher", "fr").replace(" %", "\u00a0%")
    assert f"{percent} %" in t("semi_supervised.method.mean_teacher", "en")
