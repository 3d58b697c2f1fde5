"""The one registry of paradigms, read by the CLI, the study, the exporter, the manifest (and so the
dashboard) and the parametrized tests. Adding a paradigm is adding one file here and one entry below.

A paradigm module exposes:
- ``Config``: a frozen dataclass of its hyper-parameters, fixed in advance and identical at every
  label fraction and seed; ``Config().for_tests()`` gives a tiny version for the test profile and
  ``Config().for_dry_run()`` one that runs a single batch.
- ``train_point(task: PointTask, config: Config) -> TrainedPoint``: trains on the labelled subset
  (and on the unlabelled pool if the paradigm uses it) and returns a classifier that follows the
  common interface, image (B, 1, 28, 28) in [0, 1] -> logits (B, num_classes).

What a paradigm ships beside a point's classifier is its own business, told to the study through
two hooks (training/companions.py): ``TrainedPoint.companions`` (a frozen encoder to ship with a
probe head, a pseudo-label log...) and an optional module-level ``point_shipping`` (which manifest
entries a shipped point needs for a rerun to skip it, which bundle-wide files to make first).

A paradigm that is not a label-fraction classifier (``in_study=False``: the GANs that draw
digits, the colouriser) exposes ``make_artifacts(context) -> list`` instead of ``train_point``:
the study trains it once, for the shipped seed, and writes what it returns into the bundle.

Entries whose ``module`` is None are planned: the CLI lists them and the dashboard shows them as
"coming"; training one says which issue brings it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

FAMILIES = ("supervised", "unsupervised", "semi_supervised", "self_supervised", "gan")


@dataclass(frozen=True)
class Paradigm:
    name: str
    family: str
    labels_from: str  # one line for `python -m training list`; the dashboard has its own translations
    module: str | None  # dotted module path; None while the paradigm is planned
    in_study: bool = True  # False for models that are not label-fraction classifiers (colourisation)
    issue: int | None = None  # the issue that brings a planned paradigm
    # True when the paradigm learns an encoder without labels, frozen, and fits a probe per
    # fraction: the bundle then ships one encoder per seed and a small head per fraction.
    frozen_encoder: bool = False
    # For a row that starts from another paradigm's pretrained encoder (fine-tuning, or
    # pretraining then semi-supervised training): that paradigm's name.
    encoder_from: str | None = None

    @property
    def reads_validation_labels(self) -> bool:
        """A frozen probe chooses its layer and strength on the validation split, and a row that
        starts from a pretrained encoder starts from that probe (training/finetuning.py); no other
        paradigm may read the validation labels while it trains."""
        return self.frozen_encoder or self.encoder_from is not None

    @property
    def implemented(self) -> bool:
        return self.module is not None

    def load(self) -> ModuleType:
        if self.module is None:
            raise UnknownParadigm(
                f"The paradigm '{self.name}' is planned but not implemented yet (issue #{self.issue})."
            )
        return importlib.import_module(self.module)


class UnknownParadigm(Exception):
    pass


_ENTRIES = [
    Paradigm("supervised", "supervised", "people label every training image", "training.families.supervised.supervised"),
    Paradigm("kmeans", "unsupervised", "none: clusters found without labels, named by the few labels", "training.families.unsupervised.kmeans"),
    Paradigm("rotation", "self_supervised", "the rotation applied to the image", "training.families.self_supervised.rotation", frozen_encoder=True),
    Paradigm("relative_position", "self_supervised", "where a cut-out patch was taken", "training.families.self_supervised.relative_position", frozen_encoder=True),
    Paradigm("temporal_order", "self_supervised", "the order of the frames of a generated clip", "training.families.self_supervised.temporal_order", frozen_encoder=True),
    Paradigm("contrastive", "self_supervised", "two views of the same image belong together", "training.families.self_supervised.contrastive", frozen_encoder=True),
    Paradigm("autoencoder", "self_supervised", "the pixels that were hidden or noised", "training.families.self_supervised.autoencoder", frozen_encoder=True),
    # The same five encoders, fine-tuned whole on the labels (training/finetuning.py).
    *[Paradigm(f"{source}_finetune", "self_supervised", f"{labels}; then the labels fine-tune the whole network",
               "training.families.self_supervised.finetune", encoder_from=source)
      for source, labels in (("rotation", "the rotation applied"), ("relative_position", "where a patch was taken"),
                             ("temporal_order", "the order of the frames"), ("contrastive", "two views belong together"),
                             ("autoencoder", "the hidden pixels"))],
    Paradigm("colourisation", "self_supervised", "the colours removed from a photo", "training.families.self_supervised.colourisation",
             in_study=False),
    Paradigm("pseudo_label", "semi_supervised", "a few people's labels, then the model's confident guesses", "training.families.semi_supervised.pseudo_label"),
    Paradigm("fixmatch", "semi_supervised", "a few labels plus agreement between two views", "training.families.semi_supervised.fixmatch"),
    Paradigm("label_spreading", "semi_supervised", "a few labels spread along a neighbour graph", "training.families.semi_supervised.label_spreading"),
    Paradigm("mean_teacher", "semi_supervised", "a few labels plus a slowly averaged teacher", "training.families.semi_supervised.mean_teacher"),
    # What the field does with few labels: pretrain without labels, then train semi-supervised.
    Paradigm("contrastive_fixmatch", "semi_supervised", "two views belong together; then FixMatch from that encoder",
             "training.families.semi_supervised.pretrained_fixmatch", encoder_from="contrastive"),
    Paradigm("dcgan", "gan", "'real' or 'fake', known for free", "training.families.gan.dcgan", in_study=False),
    Paradigm("conditional_gan", "gan", "'real' or 'fake', plus the digit asked for", "training.families.gan.conditional_gan",
             in_study=False),
    # Points in the plane, not digits: the GAN page plays its recorded training back (issue #21).
    Paradigm("gan_2d", "gan", "'real' or 'fake', on points in the plane", "training.families.gan.gan_2d", in_study=False),
    Paradigm("semi_supervised_gan", "gan", "a few labels plus 'real' or 'fake'", "training.families.gan.semi_supervised_gan"),
    Paradigm("gan_probe", "gan", "'real' or 'fake'; a probe on the few labels", "training.families.gan.gan_probe",
             frozen_encoder=True),
    Paradigm("gan_finetune", "gan", "'real' or 'fake'; then the labels fine-tune the discriminator",
             "training.families.gan.gan_finetune", encoder_from="gan_probe"),
]

PARADIGMS: dict[str, Paradigm] = {p.name: p for p in _ENTRIES}
assert all(p.family in FAMILIES for p in _ENTRIES)
assert all(p.encoder_from in PARADIGMS for p in _ENTRIES if p.encoder_from)


def get_paradigm(name: str) -> Paradigm:
    """The registry entry for ``name``; unknown names fail with the list of valid ones."""
    try:
        return PARADIGMS[name]
    except KeyError:
        valid = ", ".join(PARADIGMS)
        raise UnknownParadigm(f"Unknown paradigm '{name}'. Known paradigms: {valid}.") from None


def study_paradigms() -> list[Paradigm]:
    """The implemented paradigms that take part in the label-fraction study."""
    return [p for p in _ENTRIES if p.implemented and p.in_study]


def implemented_paradigms() -> list[Paradigm]:
    """Everything the full study command builds: the study's paradigms and the other models."""
    return [p for p in _ENTRIES if p.implemented]
