"""The study asks each paradigm what its shipped points need beside the classifier
(training/companions.py) instead of branching on its family: the hooks say what the study used to."""

import hashlib

import pytest

from training.companions import NOTHING_BESIDE, RESULTS_ONLY, PointKey, entries_in_place
from training.data import FRACTIONS
from training.registry import study_paradigms
from training.study import point_shipping


@pytest.mark.parametrize("paradigm", study_paradigms(), ids=lambda p: p.name)
def test_each_paradigm_asks_for_what_it_ships(paradigm):
    first = PointKey(paradigm.name, "digits", FRACTIONS[0], 0)
    whole = PointKey(paradigm.name, "digits", 1.0, 0)
    shipping = point_shipping(paradigm.name)
    wanted, wanted_at_100 = shipping.required(first), shipping.required(whole)
    encoder = ("models", f"{paradigm.name}-digits-encoder-seed0")
    pretext = ("models", f"{paradigm.name}-digits-pretext-seed0")
    details = ("pseudo_label_details", f"{paradigm.name}-digits-001pct-seed0")
    # A row that measures another paradigm's encoder ships its results, not a classifier.
    assert shipping.ships_classifier == (paradigm.encoder_from is None)
    if paradigm.frozen_encoder:
        assert encoder in wanted and encoder in wanted_at_100
        assert ("feature_maps", f"{paradigm.name}-digits") in wanted
        assert (pretext in wanted) == (paradigm.family == "self_supervised")
    elif paradigm.family == "semi_supervised":
        assert wanted == [details] and wanted_at_100 == []  # nothing is unlabelled at 100 %
    else:
        assert shipping in (NOTHING_BESIDE, RESULTS_ONLY) and wanted == wanted_at_100 == []


def test_an_entry_counts_only_with_its_file_unchanged(tmp_path):
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "a.npz").write_bytes(b"map")
    entry = {"id": "a", "file": "maps/a.npz", "sha256": hashlib.sha256(b"map").hexdigest()}
    manifest = {"feature_maps": [entry]}
    assert entries_in_place(tmp_path, manifest, [("feature_maps", "a")])
    assert not entries_in_place(tmp_path, manifest, [("feature_maps", "b")])
    (tmp_path / "maps" / "a.npz").write_bytes(b"changed")
    assert not entries_in_place(tmp_path, manifest, [("feature_maps", "a")])
