"""The colouriser: the course's first self-supervised example, on real photos.

Take colour photos, make them grey, and train a network to give the colours back: the "labels"
are the colours that were removed, so nobody types anything. Following Zhang, Isola and Efros
(2016), the network reads the lightness L of CIELAB and answers a probability for each bin of
the (a, b) colour plane instead of one colour: a plain regression of a and b averages every
plausible colour of an object into brown-grey.

Photos: the colour photos that scikit-image and scikit-learn ship inside their packages, the real
colour photographs among the KDE wallpapers of Debian's ``plasma-workspace-wallpapers`` package
when it is installed (water, sky, leaves, dusk: the cool colours the packaged photos lack), plus
any folder given to the study (``--photos``). Three of the packaged photos are held out for the
evaluation, and three more (one packaged, two wallpapers) are the validation photos on which the
decoding temperature is chosen; none of them is ever cropped for training. Each list of photos
and roles was fixed before any training run that used it.

The network is fully convolutional (any photo size), halves its maps three times, widens its
view with dilated convolutions at 1/8 and answers at 1/4 of the photo's resolution.
"""

from __future__ import annotations

import contextlib
import io
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, UnidentifiedImageError
from torch import nn

from paradigm_lab.colour import (
    ColouriserSpec,
    colour_figures,
    colourise,
    rgb_to_lab,
    scaled_lightness,
    split_lab,
    to_rgb,
    working_size,
)
from training.data import DataError
from training.precision import use_bfloat16

MAX_SIDE = 512  # the page and the evaluation read photos at most this large: the 1 s budget
SIZE_MULTIPLE = 8
OUTPUT_STRIDE = 4
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")
# Decoding temperatures tried on the validation photos (0.38 is Zhang et al.'s choice; above 1
# the distribution is flattened, which the first pilot's still-falling error called for).
TEMPERATURES = (0.2, 0.38, 0.7, 1.0, 1.5, 2.0, 3.0)


@dataclass(frozen=True)
class Photo:
    name: str
    rgb: Image.Image
    source: str
    licence: str
    role: str  # "train", "validation" or "heldout"


# Packaged everyday colour photos. Left out: test patterns, grey photos, and the scientific
# images (a retina scan, a stained tissue slide, a deep-space field), whose colours come from
# stains, filters and instruments rather than from what the objects are; in the first pilot they
# taught the network to paint every scene red-brown. The stereo pair of motorcycles stays
# together in training: a held-out twin would flatter the error.
_SKIMAGE_PHOTOS = {
    "astronaut": ("astronaut.png", "NASA (scikit-image)", "public domain", "train"),
    "chelsea": ("chelsea.png", "Stefan van der Walt (scikit-image)", "CC0", "heldout"),
    "coffee": ("coffee.png", "Rachel Michetti (scikit-image)", "CC0", "validation"),
    "motorcycle_left": ("motorcycle_left.png", "Middlebury stereo data set (scikit-image)", "research use", "train"),
    "motorcycle_right": ("motorcycle_right.png", "Middlebury stereo data set (scikit-image)", "research use", "train"),
    "rocket": ("rocket.jpg", "SpaceX (scikit-image)", "public domain", "heldout"),
}
_SKLEARN_PHOTOS = {
    "china": ("china.jpg", "danielbuechele on Flickr (scikit-learn)", "CC BY 2.0", "train"),
    "flower": ("flower.jpg", "vultilion on Flickr (scikit-learn)", "CC BY 2.0", "heldout"),
}


# Debian's plasma-workspace-wallpapers (the KDE wallpapers), looked at one by one before any
# training run: only the real colour photographs are kept. Left out: the digital art (Altai,
# Autumn, Canopee, Cascade, Cluster, Elarun, Flow, FlyingKonqui, Honeywave, IceCold, Kay,
# Kokkini, MilkyWay, Opal, PastelHills, Patak, SafeLanding, Shell, Volna) and the two
# black-and-white photographs (ColdRipple, Grey), which have no colours to learn. Validation: a
# blue sky and a green field of moss, beside the packaged red cup, so that the temperature is not
# chosen on warm colours alone. Each is the package's largest file, 2560 x 1600.
WALLPAPER_FOLDER = Path("/usr/share/wallpapers")
WALLPAPER_PACKAGE = "plasma-workspace-wallpapers"
WALLPAPER_FILE = "contents/images/2560x1600.jpg"
# Debian's copyright file for the package says GPL-2+ for every file; each wallpaper's own
# metadata.json names the licence its author gave, recorded beside it.
WALLPAPER_LICENCE = "GPL-2+ (Debian's plasma-workspace-wallpapers); {own} in the wallpaper's metadata"
_WALLPAPERS = {
    "by_the_water": ("BytheWater", "Maciej Wiklo", "LGPLv3", "train"),
    "colorful_cups": ("ColorfulCups", "Dmitri Popov", "LGPLv3", "train"),
    "darkest_hour": ("DarkestHour", "Risto Saukonpää", "LGPLv3", "train"),
    "evening_glow": ("EveningGlow", "Ian Hex", "LGPLv3", "train"),
    "fallen_leaf": ("FallenLeaf", "Martin Klapetek", "LGPLv3", "train"),
    "kite": ("Kite", "Risto Saukonpää", "LGPLv3", "validation"),
    "one_stands_out": ("OneStandsOut", "Risto Saukonpää", "LGPLv3", "validation"),
    "path": ("Path", "Risto Saukonpää", "LGPLv3", "train"),
    "summer_1am": ("summer_1am", "Risto Saukonpää", "LGPLv3", "train"),
}


def _package_folder(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"The package '{package}' is not installed: run `pip install -e '.[train]'`.")
    return Path(list(spec.submodule_search_locations)[0], *parts)


def _open_photo(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return to_rgb(image)


def open_photo_bytes(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return to_rgb(image)


def packaged_photos() -> list[Photo]:
    photos = []
    for folder, table in ((_package_folder("skimage", "data"), _SKIMAGE_PHOTOS),
                          (_package_folder("sklearn", "datasets", "images"), _SKLEARN_PHOTOS)):
        for name, (file, source, licence, role) in table.items():
            path = folder / file
            if not path.exists():
                raise DataError(f"{path} is missing from its package; reinstall it.")
            photos.append(Photo(name, _open_photo(path), source, licence, role))
    return photos


def wallpaper_photos(folder: Path | None = None) -> tuple[list[Photo], str]:
    """The chosen wallpaper photos found in ``folder`` (the Debian package's, by default), and a
    sentence saying what was found, which the study prints: a machine without the package trains
    on fewer photos (the manifest's list of photos shows which)."""
    root = WALLPAPER_FOLDER if folder is None else folder
    photos, missing = [], []
    for name, (wallpaper, author, own_licence, role) in _WALLPAPERS.items():
        path = root / wallpaper / WALLPAPER_FILE
        try:
            rgb = _open_photo(path)
        except (OSError, UnidentifiedImageError, ValueError):
            missing.append(wallpaper)
            continue
        source = f"{author}, KDE wallpaper {wallpaper} (Debian package {WALLPAPER_PACKAGE})"
        photos.append(Photo(name, rgb, source, WALLPAPER_LICENCE.format(own=own_licence), role))
    install = f"`sudo apt-get install {WALLPAPER_PACKAGE}` (Debian, Ubuntu)"
    if not photos:
        note = (f"the KDE wallpaper photos were not found in {root}: training on the packaged photos only "
                f"(one validation photo). Install them with {install} and train again.")
    elif missing:
        note = (f"{len(photos)} of the {len(_WALLPAPERS)} KDE wallpaper photos found in {root}; missing: "
                f"{', '.join(missing)} (reinstall them with {install}).")
    else:
        note = f"the {len(photos)} KDE wallpaper photos found in {root}."
    return photos, note


def photo_files(folder: str | Path) -> list[Path]:
    """The photo files of a teacher's folder (sub-folders too), or a DataError saying why none."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DataError(f"'{folder}' is not a folder of photos.")
    paths = sorted(p for p in root.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES and p.is_file())
    if not paths:
        raise DataError(f"'{folder}' holds no readable photo ({', '.join(PHOTO_SUFFIXES)}).")
    return paths


def folder_photos(folder: str | Path) -> list[Photo]:
    """Every readable photo of a teacher's folder, all for training. Files that are not photos
    are skipped with a line saying so; a folder with no photo at all is an error."""
    root = Path(folder).expanduser()
    photos, skipped = [], []
    for path in photo_files(root):
        try:
            rgb = _open_photo(path)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
            skipped.append(f"{path.name} ({type(error).__name__})")
            continue
        if min(rgb.size) < 16:
            skipped.append(f"{path.name} (smaller than 16 pixels)")
            continue
        photos.append(Photo(path.stem, rgb, str(path.relative_to(root)), "the teacher's own", "train"))
    if skipped:
        print(f"colourisation: skipped {len(skipped)} file(s) in {root}: {', '.join(skipped[:10])}")
    if not photos:
        raise DataError(f"'{folder}' holds no readable photo ({', '.join(PHOTO_SUFFIXES)}).")
    return photos


def at_working_size(rgb: Image.Image) -> Image.Image:
    size = working_size(rgb.size, MAX_SIDE)
    return rgb if size == rgb.size else rgb.resize(size, Image.Resampling.LANCZOS)


# ---------------------------------------------------------------------------------------------
# Colour bins and their soft targets


def colour_bins(grid: float, bin_set: str, lab_photos: list[np.ndarray]) -> np.ndarray:
    """The centres of the (a, b) grid cells the network answers over: (Q, 2).

    "srgb_gamut": every cell some sRGB colour falls into (Zhang et al.'s 313 bins for a grid of
    10, with their gamut test), so every displayable colour has its bin and a flattened
    distribution leans towards the middle of the gamut rather than towards the few training
    photos' favourite colours. "training_photos": only the cells the training photos use (the
    first pilots)."""
    if bin_set == "training_photos":
        ab = np.concatenate([lab[..., 1:].reshape(-1, 2) for lab in lab_photos])
    elif bin_set == "srgb_gamut":
        levels = np.linspace(0, 255, 32).round().astype(np.uint8)
        cube = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(1, -1, 3)
        ab = rgb_to_lab(cube)[0, :, 1:]
    else:
        raise ValueError(f"unknown bin set '{bin_set}'")
    cells = np.unique(np.round(ab / grid).astype(np.int64), axis=0)
    return cells.astype(np.float32) * grid


def soft_targets(ab: torch.Tensor, bins: torch.Tensor, neighbours: int, sigma: float) -> torch.Tensor:
    """(B, 2, h, w) true colours -> (B, Q, h, w) targets: each colour spread over its nearest bins
    with Gaussian weights (Zhang et al.'s soft encoding), so near misses still count."""
    batch, _, height, width = ab.shape
    points = ab.permute(0, 2, 3, 1).reshape(-1, 2)
    distances = torch.cdist(points, bins)
    nearest, indices = distances.topk(neighbours, largest=False)
    weights = torch.exp(-nearest.pow(2) / (2 * sigma * sigma))
    weights = weights / weights.sum(dim=1, keepdim=True)
    targets = torch.zeros(points.shape[0], bins.shape[0])
    targets.scatter_(1, indices, weights)
    return targets.reshape(batch, height, width, -1).permute(0, 3, 1, 2)


# ---------------------------------------------------------------------------------------------
# The network


def _block(inputs: int, outputs: int, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(inputs, outputs, 3, stride=stride, padding=dilation, dilation=dilation, bias=False),
                         nn.BatchNorm2d(outputs), nn.ReLU(inplace=True))


class Colouriser(nn.Module):
    """lightness (B, 1, H, W) in [-1, 1], H and W multiples of 8 -> logits (B, Q, H/4, W/4)."""

    def __init__(self, num_bins: int, width: int = 32):
        super().__init__()
        self.at_half = nn.Sequential(_block(1, width, stride=2), _block(width, width))
        self.at_quarter = nn.Sequential(_block(width, 2 * width, stride=2), _block(2 * width, 2 * width))
        self.at_eighth = nn.Sequential(_block(2 * width, 4 * width, stride=2), _block(4 * width, 4 * width),
                                    _block(4 * width, 4 * width, dilation=2), _block(4 * width, 4 * width, dilation=4),
                                    _block(4 * width, 4 * width, dilation=8))
        self.merge = nn.Sequential(_block(6 * width, 2 * width), _block(2 * width, 2 * width))
        self.head = nn.Conv2d(2 * width, num_bins, 1)

    def forward(self, lightness: torch.Tensor) -> torch.Tensor:
        quarter = self.at_quarter(self.at_half(lightness))
        context = F.interpolate(self.at_eighth(quarter), scale_factor=2.0, mode="bilinear", align_corners=False)
        return self.head(self.merge(torch.cat([quarter, context], dim=1)))


# ---------------------------------------------------------------------------------------------
# Training


@dataclass(frozen=True)
class TrainedColouriser:
    model: Colouriser
    bins: np.ndarray
    steps: int
    train_seconds: float
    losses: list[tuple[int, float]]


def _scaled_labs(photos: list[Photo], scales: tuple[float, ...], crop: int) -> list[np.ndarray]:
    """Each training photo in CIELAB at a few sizes, ``scales`` being its longer side in units of
    the working size (MAX_SIDE pixels): above 1 only for photos that large (the wallpapers are
    2560 pixels wide), so 96-pixel crops show details there and whole scenes at the smaller
    scales. A photo is never enlarged: a scale it cannot reach is left out for it."""
    labs = []
    for photo in photos:
        sizes = []
        for scale in scales:
            side = min(round(MAX_SIDE * scale), max(photo.rgb.size))
            size = working_size(photo.rgb.size, side)
            size = (max(crop, size[0]), max(crop, size[1]))
            if size not in sizes:
                sizes.append(size)
        labs += [rgb_to_lab(photo.rgb.resize(size, Image.Resampling.LANCZOS)) for size in sizes]
    return labs


def _random_crops(labs: list[np.ndarray], count: int, crop: int, generator: np.random.Generator) -> np.ndarray:
    batch = np.empty((count, crop, crop, 3), dtype=np.float32)
    for i in range(count):
        lab = labs[generator.integers(len(labs))]
        top = generator.integers(lab.shape[0] - crop + 1)
        left = generator.integers(lab.shape[1] - crop + 1)
        patch = lab[top:top + crop, left:left + crop]
        batch[i] = patch[:, ::-1] if generator.random() < 0.5 else patch
    return batch


def train_colouriser(photos: list[Photo], config, *, seed: int, progress: bool = False) -> TrainedColouriser:
    from tqdm import tqdm

    started = time.perf_counter()
    torch.manual_seed(seed)
    generator = np.random.default_rng(seed)
    training = [p for p in photos if p.role == "train"]
    labs = _scaled_labs(training, config.scales, config.crop)
    bins = colour_bins(config.bin_grid, config.bin_set, labs)
    bins_tensor = torch.from_numpy(bins)
    model = Colouriser(len(bins), config.width)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=config.steps)
    autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if use_bfloat16(config) else contextlib.nullcontext
    losses = []
    model.train()
    for step in tqdm(range(config.steps), desc="colouriser", unit="step", disable=not progress):
        lab = torch.from_numpy(_random_crops(labs, config.batch_size, config.crop, generator)).permute(0, 3, 1, 2)
        lightness, colours = split_lab(lab, axis=1)
        # The truth at the network's resolution: the mean colour of each 4x4 block.
        truth = F.avg_pool2d(colours, OUTPUT_STRIDE)
        targets = soft_targets(truth, bins_tensor, config.neighbours, config.sigma)
        lightness = scaled_lightness(lightness)
        with autocast():
            logits = model(lightness)
        log_probabilities = F.log_softmax(logits.float(), dim=1)
        loss = -(targets * log_probabilities).sum(dim=1).mean()
        if config.regression_weight:
            # Staying grey where unsure: the cross-entropy alone rewards betting on one colour of
            # several plausible ones, which costs the whole distance when it is the wrong one.
            # This term is the evaluation's own error, the (a, b) distance, of the distribution's
            # plain mean: where blue and orange are equally likely, half on each has a mean near
            # grey, and that is what it rewards, as the evaluation does.
            mean = torch.einsum("bqhw,qc->bchw", log_probabilities.exp(), bins_tensor)
            distance = (mean - truth).pow(2).sum(dim=1).add(1e-6).sqrt()
            loss = loss + config.regression_weight * distance.mean()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 25 == 0 or step == config.steps - 1:
            losses.append((step, round(float(loss.detach()), 4)))
    model.eval()
    return TrainedColouriser(model, bins, config.steps, time.perf_counter() - started, losses)


# ---------------------------------------------------------------------------------------------
# Temperature, evaluation and export


class TorchSession:
    """The ONNX Runtime ``run`` call, answered by the PyTorch network (to choose the temperature
    before export with the very functions the page uses)."""

    def __init__(self, model: nn.Module):
        self.model = model

    def run(self, _outputs, feeds):
        with torch.inference_mode():
            return [self.model(torch.from_numpy(next(iter(feeds.values())))).numpy()]


def spec_for(model_id: str, bins: np.ndarray, temperature: float) -> ColouriserSpec:
    return ColouriserSpec(model_id=model_id, ab_bins=bins, temperature=temperature, max_side=MAX_SIDE,
                          size_multiple=SIZE_MULTIPLE, output_stride=OUTPUT_STRIDE)


def choose_temperature(session, bins: np.ndarray, validation: list[Photo]) -> tuple[float, list[dict]]:
    """The temperature with the lowest mean colour error on the validation photos: the error
    alone (issue #16). The colourfulness kept is recorded beside it, not used to choose."""
    trials = []
    for temperature in TEMPERATURES:
        spec = spec_for("validation", bins, temperature)
        figures = [colour_figures(p.rgb, colourise(p.rgb, session, spec)) for p in validation]
        trials.append({"temperature": temperature,
                       "colour_error": float(np.mean([f.colour_error for f in figures])),
                       "grey_error": float(np.mean([f.grey_error for f in figures])),
                       "colourfulness_ratio": float(np.mean([f.colourfulness_ratio for f in figures]))})
    best = min(trials, key=lambda t: t["colour_error"])
    return best["temperature"], trials


def evaluate(session, spec: ColouriserSpec, photos: list[Photo]) -> dict:
    """The held-out figures the manifest records, computed by the page's own functions."""
    rows = {}
    for photo in photos:
        figures = colour_figures(photo.rgb, colourise(photo.rgb, session, spec))
        rows[photo.name] = {"colour_error": round(figures.colour_error, 3), "grey_error": round(figures.grey_error, 3),
                            "colourfulness": round(figures.colourfulness, 3),
                            "original_colourfulness": round(figures.original_colourfulness, 3)}
    mean = {key: round(float(np.mean([row[key] for row in rows.values()])), 3)
            for key in ("colour_error", "grey_error", "colourfulness", "original_colourfulness")}
    mean["colourfulness_ratio"] = round(mean["colourfulness"] / mean["original_colourfulness"], 3)
    return {"photos": rows, "mean": mean}


def photo_file(name: str) -> str:
    return f"colourisation/{name}.jpg"


def photo_bytes(rgb: Image.Image) -> bytes:
    """A held-out photo as the bundle ships it (working size, JPEG at quality 92): the evaluation
    reads these very bytes back, so the recorded figures are those of the shipped file."""
    buffer = io.BytesIO()
    at_working_size(rgb).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def onnx_parity(model: nn.Module, onnx_bytes: bytes, height: int, width: int) -> float:
    """Largest difference between PyTorch and ONNX Runtime at a size other than the export's."""
    import onnxruntime

    lightness = torch.rand(1, 1, height, width) * 2 - 1
    with torch.inference_mode():
        expected = model(lightness).numpy()
    session = onnxruntime.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    actual = session.run(None, {"lightness": lightness.numpy()})[0]
    if actual.shape != expected.shape:
        return float("inf")
    return float(np.max(np.abs(actual - expected)))
