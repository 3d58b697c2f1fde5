"""The one export function: every model in the bundle goes through ``export_model``.

It makes ONNX with named inputs and outputs and a dynamic batch axis, checks the graph with
``onnx.checker``, runs it in ONNX Runtime on the same input as PyTorch and refuses the export if
the two disagree, stores the model facts in the ONNX metadata too, and returns the file's bytes
with its manifest entry (size and SHA-256 included). It writes nothing: the study's single writer
puts the file in place atomically, then records the entry, so the manifest never names a missing
model, and a worker on another machine (the Ray executor) needs no access to the bundle.
"""

from __future__ import annotations

import hashlib
import json
import platform
import warnings
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from paradigm_lab import contract
from training.backbone import count_parameters
from training.bundle_writer import utc_now

# ONNX Runtime and PyTorch use different kernels; a few 1e-6 are expected, 1e-3 would be a bug.
PARITY_TOLERANCE = 1e-3
OPSET = 17


class ExportError(Exception):
    pass


@dataclass(frozen=True)
class ExportedModel:
    entry: dict  # the manifest entry; entry["file"] is the path to write inside the bundle
    onnx_bytes: bytes


def library_versions() -> dict[str, str]:
    import onnx
    import onnxruntime

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
        "numpy": np.__version__,
    }


def _output_axes(spatial_axes: dict[int, str] | None) -> dict[int, str]:
    """The output's own names for the dynamic axes: a network may answer at another resolution
    than its input (the colouriser answers at a quarter), so the sizes are not declared equal."""
    return {axis: f"{name}_out" for axis, name in (spatial_axes or {}).items()}


def _to_onnx_bytes(module: nn.Module, examples: tuple[torch.Tensor, ...], input_names: tuple[str, ...],
                   output_name: str, spatial_axes: dict[int, str] | None = None) -> bytes:
    import io

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # The TorchScript exporter is stable for these small graphs and ~100x faster than the
        # dynamo one, which also needs onnxscript; its deprecation notice is not for users.
        warnings.simplefilter("ignore")
        # A file-like object works; the stubs want a path.
        torch.onnx.export(
            module, examples, buffer,  # type: ignore[arg-type]
            input_names=list(input_names), output_names=[output_name],
            dynamic_axes={**{name: {0: "batch", **(spatial_axes or {})} for name in input_names},
                          output_name: {0: "batch", **_output_axes(spatial_axes)}},
            opset_version=OPSET, dynamo=False,
        )
    return buffer.getvalue()


def export_model(
    module: nn.Module,
    *,
    model_id: str,
    example_input: torch.Tensor | tuple[torch.Tensor, ...],
    input_name: str | tuple[str, ...] = "image",
    output_name: str = "logits",
    input_range: tuple[float, float] = (0.0, 1.0),
    facts: dict,
    spatial_axes: dict[int, str] | None = None,
) -> ExportedModel:
    """Export ``module`` as the bundle file ``models/<model_id>.onnx`` with its manifest entry.

    ``facts`` holds what the manifest says about the model (paradigm, family, role, data set,
    label fraction, seed, class names, metrics, training time, config...); what the dashboard
    needs to use the model travels in the entry and in the ONNX metadata. A model with several
    inputs (the conditional generator: noise and digit) takes tuples of examples and names.
    ``spatial_axes`` names more dynamic axes of the inputs and output, e.g. {2: "height",
    3: "width"} for the colouriser, which takes photos of any size.
    """
    import onnx
    import onnxruntime

    module = module.eval()
    examples = example_input if isinstance(example_input, tuple) else (example_input,)
    input_names = input_name if isinstance(input_name, tuple) else (input_name,)
    onnx_model = onnx.load_from_string(_to_onnx_bytes(module, examples, input_names, output_name, spatial_axes))
    try:
        onnx.checker.check_model(onnx_model, full_check=True)
    except onnx.checker.ValidationError as error:
        raise ExportError(f"{model_id}: the ONNX graph is invalid: {error}") from None

    # Parity on a batch of a different size than the export example, which also proves the batch axis is dynamic.
    probes = [torch.cat([example, example[:1]]) for example in examples]  # (B + 1, ...)
    with torch.inference_mode():
        expected = module(*probes).numpy()
    session = onnxruntime.InferenceSession(onnx_model.SerializeToString(), providers=["CPUExecutionProvider"])
    actual = session.run([output_name], {name: probe.numpy() for name, probe in zip(input_names, probes)})[0]
    if actual.shape != expected.shape:
        raise ExportError(f"{model_id}: ONNX output shape {actual.shape} differs from PyTorch {expected.shape}")
    parity = float(np.max(np.abs(actual - expected)))
    if not parity <= PARITY_TOLERANCE:
        raise ExportError(f"{model_id}: ONNX and PyTorch differ by {parity:.2e} (tolerance {PARITY_TOLERANCE})")

    output_shape = ["batch", *expected.shape[1:]]
    for axis, name in _output_axes(spatial_axes).items():
        output_shape[axis] = name
    entry = {
        "id": model_id,
        **facts,
        "file": f"models/{model_id}.onnx",
        "inputs": [{"name": name, "dtype": str(example.dtype).removeprefix("torch."),
                    "shape": [(spatial_axes or {}).get(axis, size) for axis, size in enumerate(["batch", *example.shape[1:]])],
                    "range": list(input_range)}
                   for name, example in zip(input_names, examples)],
        "outputs": [{"name": output_name, "dtype": "float32", "shape": output_shape}],
        "parameters": count_parameters(module),
        "versions": library_versions(),
        "created_at": utc_now(),
    }
    entry.setdefault("metrics", {})["onnx_parity_max_abs_diff"] = parity

    # The model's own facts travel inside the file too, for anyone who picks up the .onnx alone.
    metadata_keys = ("paradigm", "family", "role", "dataset", "label_fraction", "seed", "class_names", "preprocessing")
    onnx.helper.set_model_props(onnx_model, {key: json.dumps(entry[key]) for key in metadata_keys if key in entry})
    onnx_bytes = onnx_model.SerializeToString()
    entry["size_bytes"] = len(onnx_bytes)
    entry["sha256"] = hashlib.sha256(onnx_bytes).hexdigest()
    # Checked against the bundle contract here, in the worker, so a misspelt fact fails the point
    # that wrote it rather than the manifest write of whichever point comes next.
    entry = contract.entry_to_json(contract.validate_entry(contract.ModelEntry, entry))
    return ExportedModel(entry=entry, onnx_bytes=onnx_bytes)
