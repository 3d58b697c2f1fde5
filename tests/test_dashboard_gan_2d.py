"""The 2-D game's logic and figure (dashboard/topics/gan/game_2d.py, dashboard/topics/gan/gan_figures.py), without torch.

A hand-made recording stands in for the trained one: fake points that slide from the centre to
the ring. The loader checks the file against the manifest, the facts the page says are the
recording's own numbers, and the figure plays every moment with Plotly's own play/pause buttons
and slider.
"""

import dataclasses
import hashlib
import io

import numpy as np
import plotly.io as pio
import pytest

from dashboard.core.bundle_reader import BundleError, Gan2dRecordingInfo
from dashboard.core.i18n import t
from dashboard.topics.gan import game_2d as gan_2d
from dashboard.topics.gan.gan_figures import gan_2d_figure, timeline_animation_figure

MOMENTS, POINTS, ARROWS, GRID = 40, 64, 16, 20


def hand_made_recording(radius: float = 2.0, *, moments: int = MOMENTS) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    angles = 2 * np.pi * np.arange(8) / 8
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    targets = centres[np.arange(POINTS) % 8]  # (N, 2): each fake point heads for one cluster
    progress = np.linspace(0.0, 1.0, moments)[:, None, None]  # (K, 1, 1)
    fake = progress * targets[None] + 0.01 * rng.standard_normal((moments, POINTS, 2))
    grid = np.linspace(-3, 3, GRID)
    return {
        "steps": np.arange(moments, dtype=np.int32) * 10,
        "real_points": centres[np.arange(32) % 8].astype(np.float16),
        "centres": centres.astype(np.float16),
        "grid": grid.astype(np.float16),
        "fake_points": fake.astype(np.float16),
        "verdict": rng.uniform(0, 1, (moments, GRID, GRID)).astype(np.float16),
        "push": (targets[None, :ARROWS] - fake[:, :ARROWS]).astype(np.float16),
        "mean_real_on_real": np.linspace(0.9, 0.55, moments).astype(np.float16),
        "mean_real_on_fake": np.linspace(0.1, 0.48, moments).astype(np.float16),
        "ring_radius": np.float32(radius),
    }


def write_recording(directory, arrays) -> Gan2dRecordingInfo:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    data = buffer.getvalue()
    (directory / "gan").mkdir(exist_ok=True)
    (directory / "gan" / "game.npz").write_bytes(data)
    return Gan2dRecordingInfo(id="gan_2d-seed0", paradigm="gan_2d", seed=0, file="gan/game.npz",
                              sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data),
                              train_seconds=1.5)


@pytest.fixture
def recording(tmp_path):
    return gan_2d.load_recording(tmp_path, write_recording(tmp_path, hand_made_recording()))


def test_the_facts_are_the_recordings_own_numbers(recording):
    facts = gan_2d.game_facts(recording)
    assert facts.first_step == 0 and facts.last_step == (MOMENTS - 1) * 10
    assert facts.distance_first == pytest.approx(2.0, abs=0.05)
    assert facts.distance_last < 0.05 and facts.came_closer
    assert (facts.clusters_first, facts.clusters_last, facts.clusters) == (0, 8, 8)
    assert facts.real_on_fake_last == pytest.approx(0.48, abs=1e-2)


def test_a_damaged_or_changed_recording_is_a_sentence_with_the_command(tmp_path):
    entry = write_recording(tmp_path, hand_made_recording())
    (tmp_path / entry.file).write_bytes(b"not an npz")
    with pytest.raises(BundleError) as changed:
        gan_2d.load_recording(tmp_path, entry)
    assert changed.value.message_key == "error.gan_2d_invalid"
    assert "python -m training study --paradigm gan_2d" in changed.value.message("en")
    (tmp_path / entry.file).unlink()
    with pytest.raises(BundleError) as missing:
        gan_2d.load_recording(tmp_path, entry)
    assert missing.value.message_key == "error.gan_2d_missing"
    arrays = hand_made_recording()
    arrays["verdict"] = arrays["verdict"][:, :5]  # a grid that does not match its coordinates
    with pytest.raises(BundleError):
        gan_2d.load_recording(tmp_path, write_recording(tmp_path, arrays))


def test_the_arrows_start_at_the_fake_points_and_stay_short(recording):
    scale = gan_2d.arrow_scale(recording)
    xs, ys = gan_2d.arrow_segments(recording, 0, scale)
    assert len(xs) == len(ys) == 3 * ARROWS and np.all(np.isnan(xs[2::3]))
    starts = np.stack([xs[0::3], ys[0::3]], axis=1)
    ends = np.stack([xs[1::3], ys[1::3]], axis=1)
    assert np.allclose(starts, recording.fake_points[0, :ARROWS], atol=2e-3)
    assert np.linalg.norm(ends - starts, axis=1).max() <= gan_2d.ARROW_LENGTH + 2e-3


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_figure_plays_every_moment_with_plotlys_own_buttons(recording, language):
    figure = gan_2d_figure(recording, language=language).to_plotly_json()
    assert len(figure["frames"]) == MOMENTS
    assert [frame["name"] for frame in figure["frames"]] == [str(s) for s in recording.steps]
    assert all(frame["traces"] == [0, 2, 3] for frame in figure["frames"])
    buttons = figure["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in buttons] == [t("gan.game_2d.play", language), t("gan.game_2d.pause", language)]
    assert all(b["method"] == "animate" for b in buttons)
    assert len(figure["layout"]["sliders"][0]["steps"]) == MOMENTS
    # The verdict, the real points, the fake points and the arrows, the verdict as whole percents.
    kinds = [trace["type"] for trace in figure["data"]]
    assert kinds == ["heatmap", "scatter", "scatter", "scatter"]
    assert figure["data"][0]["zmax"] == 100
    # Light enough to send to every student: well under a megabyte for 40 moments.
    assert len(pio.to_json(gan_2d_figure(recording, language=language), validate=False)) < 500_000


def test_the_timeline_animation_opens_on_the_chosen_step():
    pictures = [f"data:image/png;base64,{index}" for index in range(4)]
    figure = timeline_animation_figure(pictures, [0, 10, 20, 30], 2, width=100, height=80,
                                       language="fr").to_plotly_json()
    assert figure["data"][0]["source"] == pictures[2]
    assert [frame["name"] for frame in figure["frames"]] == ["0", "10", "20", "30"]
    assert figure["layout"]["sliders"][0]["active"] == 2
    assert figure["layout"]["updatemenus"][0]["buttons"][0]["label"] == t("gan.game_2d.play", "fr")


@pytest.mark.parametrize(
    ("real", "fake", "fooled"),
    [(0.57, 0.47, True), (0.9, 0.8, False), (0.6, 0.4, False), (0.95, 0.05, False)],
)
def test_the_page_says_both_are_near_50_only_when_both_are(recording, real, fake, fooled):
    facts = dataclasses.replace(gan_2d.game_facts(recording), real_on_real_last=real, real_on_fake_last=fake)
    assert facts.fooled is fooled
