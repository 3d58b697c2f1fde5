"""The guided lesson: from "why labels cost so much" to the study chart, one step at a time.

Each step names the page and the view it opens (a `LessonState`), and the families it is about.
A step about a family that ships no model yet (GANs, self-supervised and semi-supervised
learning, until their paradigms are trained) says so: it explains the idea and opens the map,
where the family's paradigms are marked "coming", and never shows a number nobody measured.
The step texts live in dashboard/topics/lesson/texts.<language>.toml under `lesson.step.<id>.*`. Nothing here imports
streamlit.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from dashboard.core.bundle_reader import Manifest
from dashboard.core.lesson_state import HOME_PAGE, LessonState


@dataclass(frozen=True)
class LessonStep:
    id: str  # texts: lesson.step.<id>.title, .text, .notes (and .coming for family steps)
    page: str  # the page the step opens
    families: tuple[str, ...] = ()  # a step about families opens the map until they ship
    label_fraction: float | None = None  # the try page's slider
    panels: tuple[str, ...] | None = None  # the panels the step shows; None: all


STEPS = (
    LessonStep(id="labels_cost", page=HOME_PAGE),
    LessonStep(id="every_label", page="try_digit", label_fraction=1.0),
    LessonStep(id="few_labels", page="try_digit", label_fraction=0.01),
    LessonStep(id="gan", page="study", families=("gan",)),
    LessonStep(id="gan_studio", page="gan", families=("gan",)),
    LessonStep(id="self_supervised", page="study", families=("self_supervised",)),
    LessonStep(id="self_supervised_tasks", page="self_supervised", families=("self_supervised",)),
    LessonStep(id="colourisation", page="colourisation", families=("self_supervised",)),
    LessonStep(id="semi_supervised", page="study", families=("semi_supervised",)),
    LessonStep(id="semi_supervised_rounds", page="semi_supervised", families=("semi_supervised",), label_fraction=0.01),
    LessonStep(id="class_labels", page="class_labels"),
    LessonStep(id="study_chart", page="study", panels=("chart", "table", "target")),
    LessonStep(id="recheck", page="study", panels=("chart", "recheck")),
    LessonStep(id="worksheet", page="study", panels=("chart", "table", "downloads")),
)


def shipped_paradigms(manifest: Manifest | None, family: str, *, in_study: bool = False) -> tuple[str, ...]:
    """The family's paradigms that are implemented and ship at least one model, or study rows
    in place of one (a fine-tune ships results only); with ``in_study``, only those charted by
    the study (not the GANs that only draw digits)."""
    if manifest is None:
        return ()
    with_models = {model.paradigm for model in manifest.models}
    return tuple(
        paradigm.id
        for paradigm in manifest.paradigms
        if paradigm.family == family and paradigm.implemented
        and (paradigm.id in with_models or (paradigm.in_study and not paradigm.ships_classifier))
        and (paradigm.in_study or not in_study)
    )


def step_is_coming(step: LessonStep, manifest: Manifest | None) -> bool:
    """A family step whose families ship no model yet."""
    return bool(step.families) and not any(
        shipped_paradigms(manifest, family) for family in step.families
    )


def step_target(step: LessonStep, current: LessonState, manifest: Manifest | None) -> LessonState:
    """The view the step's link opens, keeping the current language, projector mode and
    hidden controls (a class following a student link stays in student view)."""
    base = LessonState(
        language=current.language,
        controls_hidden=current.controls_hidden,
        projector=current.projector,
    )
    if step_is_coming(step, manifest):
        return dataclasses.replace(base, page=HOME_PAGE, step=step.id)
    paradigms = None
    if step.families:
        # The family's paradigms beside supervised learning, the yardstick of every step.
        family_paradigms = [
            paradigm for family in step.families for paradigm in shipped_paradigms(manifest, family, in_study=True)
        ]
        yardstick = shipped_paradigms(manifest, "supervised")
        paradigms = tuple(dict.fromkeys([*yardstick, *family_paradigms]))
    return dataclasses.replace(
        base,
        page=step.page,
        label_fraction=step.label_fraction,
        paradigms=paradigms or None,
        panels=step.panels,
        step=step.id,
    )


def step_position(step_id: str | None) -> int | None:
    """The step's index in STEPS, or None for no step or an id the lesson does not have."""
    return next((index for index, step in enumerate(STEPS) if step.id == step_id), None)
