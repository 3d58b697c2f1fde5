"""The bundle contract (paradigm_lab/contract.py): the shipped manifests satisfy it, it round-trips
them unchanged, it names the first bad field, and docs/bundle_format.md is its generated text."""

import copy
import json
import os
from pathlib import Path

import pytest
from dashboard_fixtures import REAL_BUNDLE, build_fixture_bundle

from paradigm_lab import contract
from scripts import bundle_format_doc


def shipped_manifests() -> list[Path]:
    candidates = [REAL_BUNDLE / "manifest.json"]
    prepared = os.environ.get("PARADIGM_LAB_TEST_BUNDLE")
    if prepared:
        candidates.append(Path(prepared) / "manifest.json")
    return [path for path in candidates if path.is_file()]


@pytest.mark.parametrize("path", shipped_manifests(), ids=str)
def test_a_shipped_manifest_validates_strictly_and_round_trips(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert contract.manifest_to_json(contract.validate_manifest(raw, strict=True)) == raw


def test_the_fixture_bundle_follows_the_contract(tmp_path):
    raw = json.loads((build_fixture_bundle(tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    contract.validate_manifest(raw, strict=True)


@pytest.fixture(scope="module")
def real_manifest() -> dict:
    path = REAL_BUNDLE / "manifest.json"
    if not path.is_file():
        pytest.skip("no shipped bundle")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda m: m["models"][1].pop("sha256"), "models[1].sha256"),
        (lambda m: m["models"][1]["inputs"][0].update(shape=["batch", True]), "models[1].inputs[0].shape[1]"),
        (lambda m: m["models"][1].update(label_fraction=1.5), "models[1].label_fraction"),
        (lambda m: m["models"][1].update(seed=True), "models[1].seed"),
        (lambda m: m["models"][1]["metrics"].update(test_accuracy="0.9"), "models[1].metrics.test_accuracy"),
        (lambda m: next(e for e in m["models"] if e["role"] == "colouriser").pop("temperature"), None),
        (lambda m: m["models"].append(dict(m["models"][0])), None),
        (lambda m: m.update(models={}), "models"),
    ],
)
def test_a_broken_manifest_names_its_first_bad_field(real_manifest, edit, field):
    raw = copy.deepcopy(real_manifest)
    edit(raw)
    with pytest.raises(contract.ValidationError) as raised:
        contract.validate_manifest(raw)
    named = contract.first_error_field(raised.value, raw)
    if field is not None:
        assert named == field
    else:
        assert named.startswith("models[")


def test_unknown_fields_are_kept_on_reading_and_refused_on_writing(real_manifest):
    raw = copy.deepcopy(real_manifest)
    raw["models"][2]["label_fration"] = 0.5  # a writer's typo, or a newer writer's field
    raw["models"][2]["metrics"]["a_new_measure"] = 1.0  # metrics are free: fine both ways
    assert contract.manifest_to_json(contract.validate_manifest(raw)) == raw
    with pytest.raises(contract.ValidationError) as raised:
        contract.validate_manifest(raw, strict=True)
    assert contract.first_error_field(raised.value, raw) == "models[2].label_fration"


def test_the_format_document_is_the_generated_one():
    committed = bundle_format_doc.DOCUMENT.read_text(encoding="utf-8")
    assert committed == bundle_format_doc.document(), "run: python -m scripts.bundle_format_doc"


@pytest.mark.parametrize("path", shipped_manifests(), ids=str)
def test_the_writer_rewrites_a_shipped_manifest_unchanged(path, tmp_path):
    from training.bundle_writer import update_manifest

    (tmp_path / "manifest.json").write_bytes(path.read_bytes())
    written = update_manifest(tmp_path, lambda manifest: None)
    before = json.loads(path.read_text(encoding="utf-8"))
    after = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert after == written
    assert {**after, "updated_at": before["updated_at"]} == before


def test_the_writer_refuses_a_misspelt_field(tmp_path):
    from training.bundle_writer import ManifestContractError, empty_manifest, update_manifest, upsert_model

    raw = json.loads((build_fixture_bundle(tmp_path / "fixture") / "manifest.json").read_text(encoding="utf-8"))
    model = {**raw["models"][0], "label_fration": 0.5}

    def change(manifest: dict) -> None:
        manifest["paradigms"] = raw["paradigms"]
        upsert_model(manifest, model)

    assert empty_manifest()["models"] == []
    with pytest.raises(ManifestContractError, match=r"models\[0\]\.label_fration"):
        update_manifest(tmp_path / "bundle", change)
    assert not (tmp_path / "bundle" / "manifest.json").exists()


def test_a_list_filled_in_place_is_written():
    manifest = contract.BundleManifest(format=1, paradigms=[], models=[])
    manifest.feature_maps.append(contract.FeatureMapEntry(id="a", source="raw_pixels", dataset="d", file="f", sha256="0"))
    assert [entry["id"] for entry in contract.manifest_to_json(manifest)["feature_maps"]] == ["a"]


@pytest.mark.parametrize("list_name", sorted(contract.LIST_ENTRY_TYPES))
def test_the_writer_records_each_kind_of_shipped_entry(real_manifest, list_name, tmp_path):
    """Every list entry as today's writers make it (the shipped manifest's, less what
    record_bundle_file adds) goes through the contract-checked writer unchanged."""
    from training.bundle_writer import BundleFile, record_bundle_file

    (tmp_path / "manifest.json").write_text(json.dumps(real_manifest), encoding="utf-8")
    shipped = real_manifest[list_name][0]
    added_by_the_writer = ("sha256", "size_bytes", "created_at")
    entry = {key: value for key, value in shipped.items()
             if key not in added_by_the_writer or not isinstance(shipped.get("sha256"), dict)}
    files = {name: b"bytes" for name in shipped["sha256"]} if isinstance(shipped.get("sha256"), dict) else {}
    written = record_bundle_file(tmp_path, BundleFile(entry=entry, list_name=list_name, files=files))
    assert {key: value for key, value in written.items() if key not in added_by_the_writer} == {
        key: value for key, value in shipped.items() if key not in added_by_the_writer}
    listed = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))[list_name]
    assert written in listed
