"""Write docs/bundle_format.md from the bundle contract (paradigm_lab/contract.py).

    python -m scripts.bundle_format_doc            # rewrite docs/bundle_format.md
    python -m scripts.bundle_format_doc --check    # exit 1 if the committed file is out of date

The document is generated so that it cannot drift from the code that writes and reads the bundle;
tests/test_bundle_contract.py checks that the committed file equals this script's text.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from paradigm_lab import contract

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "bundle_format.md"

# Parent first, then the parts in the order a reader meets them in the file.
SECTIONS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("The manifest (`manifest.json`)", contract.BundleManifest),
    ("`paradigms[]`", contract.ParadigmEntry),
    ("`datasets.<id>`", contract.DatasetEntry),
    ("`models[]`", contract.ModelEntry),
    ("`models[].inputs[]`, `outputs[]`, `head_inputs[]`", contract.TensorSpec),
    ("`models[].metrics`", contract.ModelMetrics),
    ("`models[].photos.<name>` (the colouriser)", contract.ColourPhoto),
    ("`pseudo_label_details[]`", contract.PseudoLabelDetailsEntry),
    ("`feature_maps[]`", contract.FeatureMapEntry),
    ("`gan_timelines[]`", contract.GanTimelineEntry),
    ("`gan_2d_recordings[]`", contract.Gan2dRecordingEntry),
    ("`colourisation[]`", contract.ColourisationEntry),
    ("`artifacts[]`", contract.ArtifactsEntry),
)

INTRODUCTION = """\
# The bundle format

Generated from `paradigm_lab/contract.py` by `python -m scripts.bundle_format_doc`; do not edit by
hand (a test compares this file with the script's output).

The bundle is the folder `exported_models/` (or the one `PARADIGM_LAB_BUNDLE` names): the training
half writes it (`python -m training study`), the dashboard only reads it. `manifest.json` lists
every file in it with its SHA-256; `results.csv` holds one row per study point (paradigm, data set,
label fraction, seed: `paradigm, family, dataset, label_fraction, n_labels, seed, test_accuracy,
train_seconds, config_hash, split_sha256, subset_sha256, model_id, finished_at`), and
`pseudo_labels.csv` one row per (point, round) of a semi-supervised run. Paths inside the
manifest are relative to the bundle folder.

Unknown fields are ignored by the reader (an older dashboard opens a newer bundle) and refused by
the writer (a misspelt field fails the study instead of shipping). Types: `str`, `int`, `float`
(an int is accepted), `bool`, `list[...]`, `dict[key, value]`; a bool is never a number. A field
without a default must be present.
"""


FILES = """\
## The files

- `manifest.json`: the one source of truth between the halves (format below).
- `results.csv`: one row per finished study point (paradigm, label fraction, seed), all seeds.
- `models/*.onnx`: the shipped models (seed 0 of every paradigm and fraction).
- `data/<dataset>-test.npz`: the fixed test split (`images` uint8 (N, 28, 28), white ink on black;
  `labels` int64 (N,); `indices` into the data set), so the dashboard can re-measure every model.
- `data/<dataset>-pool.npz`: the unlabelled pool the class labels on the class-labels page:
  `images` uint8 (P, 28, 28), white ink on black; `order` int32 (P,), every pool position once, in
  the order the nested labelled subsets of seed 0 add them (the 1 % subset first, each tier
  shuffled); `hidden_labels` int64 (P,), read only by the teacher's "reveal the truth";
  `indices` int64 (P,), rows of the full data set (never a test row).
- `data/<dataset>-pool-map.npz`: a 2-D map of the pool made from pixels alone (PCA to 50
  dimensions, then t-SNE): `xy` float16 (P, 2) in [-1, 1], rows in pool order; `pool_indices`.
  Written when a semi-supervised paradigm is in the run.
- `pseudo_labels.csv`: one row per round of every semi-supervised run (all seeds), scored by the
  study against the labels the method never saw.
- `pseudo_labels/<model id>.npz`: the details of the shipped seed's runs, for the semi-supervised page.
- Self-supervised paradigms ship, for the shipped seed, `models/<paradigm>-<dataset>-encoder-seed0.onnx`
  (image -> `features` (B, 64)), one probe head per fraction (`features` -> `logits`, a few kB; its
  entry names the encoder in `"encoder"` and declares the pair's `image` input, the head file's own
  input is in `"head_inputs"`), and `models/<paradigm>-<dataset>-pretext-seed0.onnx`, role
  `pretext_head`: the whole pretext network, with what the page needs to make its inputs in
  `"pretext"` and its test score against chance in `"metrics"`.
- `feature_maps/<source>-<dataset>.npz`: `xy` float16 (N_test, 2) in [-1, 1], t-SNE of the test
  digits' features (rows in the order of the evaluation file), for each self-supervised encoder,
  the GAN probe's encoder, raw pixels and the untrained encoder; listed under `"feature_maps"`
  with their kNN accuracy.
- The GAN probe (`gan_probe`) ships like a self-supervised paradigm: an encoder (the DCGAN
  discriminator's trunk of that seed) and a probe head per fraction; it has no pretext network.
- GANs that draw digits (`dcgan`, `conditional_gan`, not in the study) ship, for the shipped seed:
  `models/<paradigm>-<dataset>-seed0-generator.onnx`, role `generator`: `noise` float32 (B, 64),
  standard normal (`"range": null`), plus `digit` int64 (B,) for the conditional one ->
  `image` float32 (B, 1, 28, 28) in [0, 1]; and for `dcgan`
  `models/dcgan-<dataset>-seed0-discriminator.onnx`, role `discriminator`: `image` ->
  `real_probability` (B,) in [0, 1], with how well it tells test digits from fresh fakes in
  `"metrics"`.
- `gan/<paradigm>-<dataset>-seed0-timeline.npz`: `steps` int32 (K,), `images` uint8 (K, 64, 28,
  28): the generator's output on one fixed noise batch at K checkpoints (step 0 = untrained);
  `early_step` and `early_samples` uint8 (1000, 28, 28): samples of the generator at that early
  checkpoint (the GAN page's scale for the Fréchet distance); `digits` (64,): the digit each cell
  was asked for (conditional GAN; empty otherwise).
- `gan/<paradigm>-<dataset>-seed0-losses.csv`: `step, discriminator_loss, generator_loss,
  mean_real_probability_on_real, mean_real_probability_on_fake`, averages over 25 steps.
- The colouriser (`colourisation`, not in the study) ships
  `models/colourisation-photos-seed0-colouriser.onnx`, role `colouriser`: `lightness` float32
  (B, 1, H, W), the L of CIELAB (D65, scikit-image) as (L - 50) / 50 in [-1, 1], H and W any
  multiple of `"size_multiple"` (8) -> `logits` float32 (B, Q, H/4, W/4) over the colour bins
  `"ab_bins"` (Q x 2 centres in the a, b plane). Its entry also holds `"colour_space"`,
  `"temperature"` (the annealed mean's, chosen on the validation photos) with
  `"temperature_trials"`, `"max_side"` (photos are read at most 512 pixels on their longer side),
  `"output_stride"`, `"photos"` (every photo it saw or was measured on: role `train`,
  `validation` or `heldout`, source, licence) and, in `"metrics"`, `"heldout"`: each held-out
  photo's colour error, the error of leaving it grey, its colourfulness and the original's,
  and their means, measured on the shipped files by `dashboard/topics/colourisation/colourise.py`.
- `colourisation/<photo>.jpg`: the held-out and validation photos at their working size (JPEG,
  quality 92), and `colourisation/losses.csv` (`step, loss`).
"""

TABLES = """\
## `results.csv`

`paradigm, family, dataset, label_fraction, n_labels, seed, test_accuracy, train_seconds,
config_hash, split_sha256, subset_sha256, model_id, finished_at`. `test_accuracy` is a fraction in
[0, 1] on the fixed test split; `model_id` is empty for points whose model is not shipped (seeds 1
and 2). A point is identified by (paradigm, dataset, label_fraction, seed); a rerun with another
`config_hash` replaces it.

## `pseudo_labels.csv`

`paradigm, dataset, label_fraction, seed, config_hash, round, step, threshold, n_unlabelled,
n_carried, n_carried_correct, n_guesses_correct`. At each round (a moment of training: a
self-training round, every 100 steps of FixMatch or mean teacher, k steps of label spreading) the
method's guess for every unlabelled pool digit is read; `n_carried` guesses reach the method's
`threshold` (they are, or would be, trained on) and `n_carried_correct` of those are right;
`n_guesses_correct` counts right guesses whatever their confidence. "Right" is measured by the
study against the withheld labels: the method's code never receives them.

## `pseudo_labels/<id>.npz`

`steps` (R,), `thresholds` (R,), `guesses` int8 (R, U), `confidence` float16 (R, U) per round and
unlabelled digit; `unlabelled_positions` (U,) and `labelled_positions` (L,) in the pool;
`unlabelled_truth` (U,) and `labelled_labels` (L,); `labelled_sample_images` uint8 (S, 28, 28)
with `labelled_sample_labels` (up to 60 labelled digits); `mistake_images` uint8 (M, 28, 28),
`mistake_guesses`, `mistake_truth`, `mistake_confidence`: the most confident wrong pseudo-labels
of the last round (up to 24).
"""


def type_name(annotation: object) -> str:
    """The annotation as a reader of JSON thinks of it."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object"
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        names = [type_name(argument) for argument in arguments if argument is not type(None)]
        optional = " or null" if type(None) in arguments else ""
        return " or ".join(names) + optional
    if origin is list:
        return f"list[{type_name(arguments[0])}]"
    if origin is dict:
        return f"dict[{type_name(arguments[0])}, {type_name(arguments[1])}]"
    if annotation is typing.Any:
        return "any"
    return getattr(annotation, "__name__", str(annotation))


def default_text(field) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()
        return "`{}`" if isinstance(value, (dict, BaseModel)) else "`[]`"
    if field.default is None:
        return "null"
    if isinstance(field.default, bool):
        return f"`{str(field.default).lower()}`"
    return f"`{field.default!r}`".replace("'", '"')


def table(model: type[BaseModel]) -> str:
    lines = ["| Field | Type | Default | Meaning |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        meaning = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {type_name(field.annotation)} | {default_text(field)} | {meaning} |")
    return "\n".join(lines)


def document() -> str:
    parts = [INTRODUCTION, FILES]
    for title, model in SECTIONS:
        summary = re.sub(r"\s+", " ", inspect.cleandoc(model.__doc__ or "")).strip()
        open_note = (" Keys other than these are free and kept as written."
                     if getattr(model, "open_ended", False) else "")
        parts.append(f"## {title}\n\n{summary}{open_note}\n\n{table(model)}\n")
    parts.append(
        "## Rules between fields\n\n"
        "- A label fraction is in (0, 1]; an accuracy in [0, 1]; a tensor's `range` is [low, high].\n"
        "- A colouriser (`role` `colouriser`) has `ab_bins` (at least two (a, b) pairs), `temperature`,"
        " `max_side`, `size_multiple` and `output_stride`.\n"
        "- Ids are unique within each list; a head's `encoder` is another model; every model's"
        " `paradigm` is listed in `paradigms`.\n"
        "- `format` is checked first: a bundle of another format is refused as such.\n"
    )
    parts.append(TABLES)
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    arguments = parser.parse_args(argv)
    text = document()
    if arguments.check:
        current = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
        if current != text:
            print(f"{DOCUMENT} is out of date: run python -m scripts.bundle_format_doc", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(text, encoding="utf-8")
    print(f"wrote {DOCUMENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
