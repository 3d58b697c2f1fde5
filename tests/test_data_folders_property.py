"""Property test: any folder a teacher points `--data` at gives a data set or a sentence, never a crash."""

import io
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from training.data import DataError, load_dataset, make_split

MODES = ["1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I", "F", "CMYK"]
FORMATS = {"png": "PNG", "jpg": "JPEG", "bmp": "BMP", "gif": "GIF", "tif": "TIFF", "webp": "WEBP"}


@st.composite
def image_bytes(draw):
    mode = draw(st.sampled_from(MODES))
    width, height = draw(st.integers(1, 64)), draw(st.integers(1, 64))
    suffix = draw(st.sampled_from(sorted(FORMATS)))
    seed = draw(st.integers(0, 2**16))
    pixels = np.random.default_rng(seed).integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    image = Image.fromarray(pixels).convert(mode if mode not in ("I;16", "I", "F") else "L")
    if mode in ("I;16", "I", "F"):
        image = image.convert(mode) if mode != "I;16" else Image.fromarray(np.asarray(image, dtype=np.uint16) * 257)
    buffer = io.BytesIO()
    try:
        image.save(buffer, format=FORMATS[suffix])
    except (OSError, ValueError, KeyError):  # this format cannot hold this mode: store it as TIFF
        buffer, suffix = io.BytesIO(), "tif"
        image.save(buffer, format="TIFF")
    return suffix, buffer.getvalue()


junk = st.tuples(st.sampled_from(["png", "jpg", "txt", "gif"]), st.binary(max_size=300))
folder_file = st.one_of(image_bytes(), image_bytes(), junk)
folder_layout = st.dictionaries(
    keys=st.text(alphabet="abcdefghij0123456789 _-é", min_size=1, max_size=8).filter(lambda n: n.strip(" .") == n),
    values=st.lists(folder_file, max_size=5),
    max_size=4,
)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(layout=folder_layout)
def test_any_user_folder_loads_or_explains(layout):
    with tempfile.TemporaryDirectory() as root:
        for class_name, files in layout.items():
            folder = Path(root, class_name)
            folder.mkdir(exist_ok=True)
            for index, (suffix, data) in enumerate(files):
                (folder / f"{index}.{suffix}").write_bytes(data)
        try:
            dataset = load_dataset(root)
            split = make_split(dataset)
        except DataError as error:
            assert str(error).strip().endswith((".", ")")), "a sentence the user can act on"
            return
        assert dataset.images.ndim == 3 and dataset.images.shape[1:] == (28, 28)
        assert dataset.images.dtype == np.uint8
        assert len(dataset.labels) == len(dataset.images)
        assert set(dataset.labels.tolist()) <= set(range(dataset.num_classes))
        assert len(split.test_indices) + len(split.validation_indices) + len(split.pool_indices) == len(dataset.labels)
