"""Benchmarks for the budgets of docs/design.md: prints a table and writes build/bench.json.

    python scripts/bench.py                 # everything
    python scripts/bench.py --skip-browser  # no chromium needed
    python scripts/bench.py --only gan --bundle build/test_bundle   # one part, on another bundle

Ratios (ONNX Runtime against PyTorch eager) are measured side by side in one run on the same
model and input. Figures are medians of repeated timings; nothing here asserts a budget: the
README quotes the printed figures with the machine they came from.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUNDLE = ROOT / "exported_models"
APP = ROOT / "dashboard" / "app.py"


T = TypeVar("T")


def present(value: T | None, what: str) -> T:
    """What the manifest names, or a one-line message instead of a traceback further on."""
    if value is None:
        raise SystemExit(f"The bundle has no {what}: run the study first (make study).")
    return value

def timed(function, *, repeat: int, warmup: int = 3) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def rerun_times(app, change, count: int) -> list[float]:
    """Seconds of each of ``count`` reruns of an AppTest app, ``change(i)`` setting a widget
    before the i-th one (the change itself is not timed)."""
    times = []
    for i in range(count):
        change(i)
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
    return times


def median_ms(times: list[float]) -> float:
    return 1000.0 * statistics.median(times)


def p95_ms(times: list[float]) -> float:
    return 1000.0 * float(np.percentile(times, 95))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


# ---------------------------------------------------------------------------------------------


def bench_inference(figures: dict) -> None:
    """Each shipped classifier kind: ONNX Runtime vs PyTorch eager at batch 1 and 64, same process."""
    import torch

    from dashboard.core import bundle_reader as dashboard_bundle
    from dashboard.core.inference import open_verified_session
    from training.data import load_dataset, make_split
    from training.point import make_point_task
    from training.registry import get_paradigm

    torch.set_num_threads(os.cpu_count() or 1)
    dataset = load_dataset("mnist5k")
    split = make_split(dataset)
    manifest = dashboard_bundle.load_manifest(BUNDLE)
    test = dashboard_bundle.load_evaluation_set(BUNDLE, present(manifest.dataset("mnist5k"), "the mnist5k evaluation set"))
    images = (test.images.astype(np.float32) / 255.0)[:, None]  # (1000, 1, 28, 28)

    for paradigm in ("supervised", "kmeans"):
        # A PyTorch twin of the shipped model: the same architecture, trained by a one-step dry run
        # (its speed does not depend on its weights).
        module = get_paradigm(paradigm).load()
        task = make_point_task(dataset, split, paradigm, 0.01, seed=0)
        eager = module.train_point(task, module.Config().for_dry_run()).classifier.eval()
        # The session exactly as the dashboard opens it (same threads and options).
        model = next(m for m in manifest.models if m.paradigm == paradigm)
        session = open_verified_session(BUNDLE, model)
        for batch in (1, 64):
            x_numpy = np.ascontiguousarray(images[:batch])
            x_torch = torch.from_numpy(x_numpy)

            # Defaults bind this iteration's model and batch (a closure would read the loop's
            # variables when called, not when made).
            def run_torch(model=eager, x=x_torch):
                with torch.inference_mode():
                    model(x)

            def run_onnx(session=session, x=x_numpy):
                session.run(None, {"image": x})

            repeat = 300 if batch == 1 else 100
            torch_ms = median_ms(timed(run_torch, repeat=repeat))
            onnx_ms = median_ms(timed(run_onnx, repeat=repeat))
            figures[f"{paradigm} batch {batch}: PyTorch eager (ms)"] = round(torch_ms, 3)
            figures[f"{paradigm} batch {batch}: ONNX Runtime (ms)"] = round(onnx_ms, 3)
            figures[f"{paradigm} batch {batch}: ONNX Runtime speed-up (x)"] = round(torch_ms / onnx_ms, 2)
            if paradigm == "supervised" and batch == 64:
                flops = 2 * multiply_adds(eager, x_torch)
                figures["supervised classifier: GFLOP per image"] = round(flops / batch / 1e9, 4)
                figures["supervised batch 64: ONNX Runtime achieved (GFLOP/s)"] = round(flops / onnx_ms / 1e6, 1)
                figures["supervised batch 64: PyTorch achieved (GFLOP/s)"] = round(flops / torch_ms / 1e6, 1)
    figures["CPU float32 peak, measured by a 2048x2048 matmul (GFLOP/s)"] = round(measured_peak_gflops(), 1)


def multiply_adds(model, images) -> int:
    """Multiply-adds of one forward pass, counted on the convolutions and linear layers."""
    import torch
    from torch import nn

    total = 0

    def count(layer, inputs, output):
        nonlocal total
        if isinstance(layer, nn.Conv2d):
            per_output = (layer.in_channels // layer.groups) * layer.kernel_size[0] * layer.kernel_size[1]
            total += output.numel() * per_output
        elif isinstance(layer, nn.Linear):
            total += output.numel() * layer.in_features

    hooks = [m.register_forward_hook(count) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.inference_mode():
        model(images)
    for hook in hooks:
        hook.remove()
    return total


def measured_peak_gflops() -> float:
    """What this CPU really sustains in float32: a large matrix product, the best case for any library."""
    a = np.random.default_rng(0).random((2048, 2048), dtype=np.float32)
    seconds = statistics.median(timed(lambda: a @ a, repeat=10, warmup=2))
    return 2 * 2048**3 / seconds / 1e9


def bench_all_answers(figures: dict) -> None:
    """Every shipped classifier at one fraction on one digit (the re-check is in bench_classroom)."""
    from dashboard.core import bundle_reader as dashboard_bundle
    from dashboard.core.inference import open_verified_session

    manifest = dashboard_bundle.load_manifest(BUNDLE)
    test = dashboard_bundle.load_evaluation_set(BUNDLE, present(manifest.dataset("mnist5k"), "the mnist5k evaluation set"))
    images = (test.images.astype(np.float32) / 255.0)[:, None]
    models = [m for m in manifest.models if m.role == "classifier"]
    at_one_fraction = [m for m in models if m.label_fraction == 0.01]
    sessions = {m.id: open_verified_session(BUNDLE, m) for m in at_one_fraction}

    def one_digit_every_paradigm():
        for model in at_one_fraction:
            sessions[model.id].run(None, {"image": images[:1]})

    figures["every paradigm's answer for one digit (ms)"] = round(median_ms(timed(one_digit_every_paradigm, repeat=200)), 3)
    figures["classifiers answering at one fraction"] = len(at_one_fraction)



def bench_study(figures: dict) -> None:
    """The study's cost per paradigm, from the training times the results table recorded."""
    import pandas as pd

    results = pd.read_csv(BUNDLE / "results.csv")
    workers = os.cpu_count() or 1
    for paradigm, rows in results.groupby("paradigm"):
        figures[f"study {paradigm}: points"] = int(len(rows))
        figures[f"study {paradigm}: training time, summed (min)"] = round(rows["train_seconds"].sum() / 60, 1)
        figures[f"study {paradigm}: wall time on {workers} workers, estimated (min)"] = round(
            rows["train_seconds"].sum() / workers / 60, 1)
        summary = rows.groupby("label_fraction")["test_accuracy"].agg(["mean", "std"])
        for fraction in (0.01, 1.0):
            if fraction in summary.index:
                figures[f"{paradigm} accuracy at {fraction:.0%} (mean of {len(rows[rows.label_fraction == fraction])} seeds, %)"] = round(
                    100 * summary.loc[fraction, "mean"], 2)


def bench_page_reruns(figures: dict) -> None:
    """Each page rerun after a widget change on a warm app, through Streamlit's AppTest."""
    from streamlit.testing.v1 import AppTest

    for page in (
        "topics/home/page.py",
        "topics/lesson/page.py",
        "topics/try_digit/page.py",
        "topics/study/page.py",
        "topics/semi_supervised/page.py",
        "topics/gan/page.py",
        "topics/self_supervised/page.py",
        "topics/colourisation/page.py",
        "topics/models/page.py",
    ):
        app = AppTest.from_file(str(APP), default_timeout=60)
        app.run()
        app.switch_page(page).run()
        if page == "topics/try_digit/page.py":
            # With a digit on the page, so that every rerun also shows every paradigm's answer.
            app.button_group(key="try_digit_input").set_value("upload").run()
            uploader = app.file_uploader(key="try_digit_upload")
            uploader.upload("seven.png", digit_photo(), "image/png").run()
        # The language switch exists on every page (the shared sidebar): flip it, rerun.
        times = rerun_times(app, lambda i, app=app: app.sidebar.radio[0].set_value(("fr", "en")[i % 2]), 30)
        figures[f"page rerun {page}: median (ms)"] = round(median_ms(times[5:]), 1)
        figures[f"page rerun {page}: p95 (ms)"] = round(p95_ms(times[5:]), 1)


def bench_self_supervised_interactions(figures: dict) -> None:
    """The self-supervised page's own controls on a warm app: each pretext task chosen in turn
    (its free pairs made and its network run live), and "another digit"."""
    from streamlit.testing.v1 import AppTest

    from dashboard.core import bundle_reader as dashboard_bundle

    manifest = dashboard_bundle.load_manifest(BUNDLE)
    tasks = sorted({m.paradigm for m in manifest.models if m.role == "pretext_head"})
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    app.switch_page("topics/self_supervised/page.py").run()
    switch_times, digit_times = [], []
    for i in range(5 * len(tasks)):
        app.button_group(key="self_supervised_task").set_value(tasks[i % len(tasks)])
        started = time.perf_counter()
        app.run()
        switch_times.append(time.perf_counter() - started)
    for _ in range(25):
        app.button(key="self_supervised_another_digit").click()
        started = time.perf_counter()
        app.run()
        digit_times.append(time.perf_counter() - started)
    figures["self-supervised page, task switch: median (ms)"] = round(median_ms(switch_times[len(tasks):]), 1)
    figures["self-supervised page, another digit: median (ms)"] = round(median_ms(digit_times[5:]), 1)


def bench_gan(figures: dict) -> None:
    """The GAN page: a 64-digit grid through ONNX Runtime, the generator at batch 1 against
    PyTorch eager, the page's own controls on a warm app, and its quality measures."""
    import torch
    from streamlit.testing.v1 import AppTest

    from dashboard.core import bundle_reader as dashboard_bundle
    from dashboard.core.inference import INTRA_OP_THREADS, open_verified_session
    from dashboard.topics.gan import digit_gans as gan
    from training.families.gan.gan_training import Generator

    manifest = dashboard_bundle.load_manifest(BUNDLE)
    datasets = gan.gan_datasets(manifest)
    generator = gan.generator_model(manifest, gan.UNCONDITIONAL, datasets[0]) if datasets else None
    if generator is None:
        print("    skipped: the bundle has no DCGAN generator "
              "(python -m training study --paradigm dcgan)", file=sys.stderr)
        figures["GAN page"] = "skipped: no generator in the bundle"
        return
    dataset = datasets[0]
    # The session exactly as the dashboard opens it (same threads and options).
    session = open_verified_session(BUNDLE, generator)
    latent_dim = gan.generator_inputs(generator).latent_dim
    grid_noise = gan.noise_batch(0, 64, latent_dim)
    figures["GAN 64-digit grid, ONNX Runtime (ms)"] = round(
        median_ms(timed(lambda: gan.generate(session, generator, grid_noise), repeat=50)), 2)

    # A PyTorch twin of the shipped generator: same architecture and width (its speed does not
    # depend on its weights), on as many threads as ONNX Runtime gets.
    raw = json.loads((BUNDLE / "manifest.json").read_text())
    config = next(m for m in raw["models"] if m["id"] == generator.id).get("config", {})
    eager = Generator(width=int(config.get("generator_width", 128)),
                      refine=bool(config.get("generator_refine", False))).eval()
    torch.set_num_threads(INTRA_OP_THREADS)
    one_noise = np.ascontiguousarray(grid_noise[:1])
    one_noise_torch = torch.from_numpy(one_noise)
    input_name = gan.generator_inputs(generator).noise.name

    def run_torch():
        with torch.inference_mode():
            eager(one_noise_torch)

    def run_onnx():
        session.run(None, {input_name: one_noise})

    torch_ms = median_ms(timed(run_torch, repeat=300))
    onnx_ms = median_ms(timed(run_onnx, repeat=300))
    figures["GAN generator batch 1: PyTorch eager (ms)"] = round(torch_ms, 3)
    figures["GAN generator batch 1: ONNX Runtime (ms)"] = round(onnx_ms, 3)
    figures["GAN generator batch 1: ONNX Runtime speed-up (x)"] = round(torch_ms / onnx_ms, 2)
    figures["GAN generator and PyTorch threads"] = INTRA_OP_THREADS

    # The page's own controls on a warm app (the first visit measures the quality once).
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    started = time.perf_counter()
    app.switch_page("topics/gan/page.py").run()
    figures["GAN page: first visit, quality measured (s)"] = round(time.perf_counter() - started, 2)

    def clicks(action, count: int) -> list[float]:
        return rerun_times(app, action, count)

    def new_grid(_):
        app.button(key="gan_new_grid").click()

    def vote_or_next(i):
        # A vote, then the next digit; after a round's tenth digit, the round's summary offers
        # a new round instead.
        if i % 2 == 0:
            app.button(key="gan_vote_real").click()
        else:
            shown = {button.key for button in app.button}
            app.button(key="gan_next" if "gan_next" in shown else "gan_new_round").click()

    # The slider's values are the first timeline's checkpoints (AppTest lists them as shown).
    entries = gan.timeline_entries(manifest, dataset)
    steps = [int(step) for step in gan.load_timeline(BUNDLE, entries[0]).steps] if entries else []

    def move_slider(i):
        app.select_slider(key="gan_step").set_value(steps[i % len(steps)])

    # Each click is a new seed or a new round: the first few fill the caches as a class would.
    for name, action in (("new grid", new_grid), ("game vote or next digit", vote_or_next),
                         ("timeline slider moved", move_slider)):
        if name == "timeline slider moved" and not steps:
            continue
        times = clicks(action, 30)
        figures[f"GAN page, {name}: median (ms)"] = round(median_ms(times[5:]), 1)
        figures[f"GAN page, {name}: p95 (ms)"] = round(p95_ms(times[5:]), 1)

    # The quality measures, by the very code the page runs.
    judge = gan.judge_model(manifest, dataset)
    if judge is None:
        figures["GAN quality"] = "skipped: no supervised classifier at 100 % labels, seed 0"
        return
    evaluation = dashboard_bundle.load_evaluation_set(BUNDLE, present(manifest.dataset(dataset), f"the {dataset} evaluation set"))
    judge_session = open_verified_session(BUNDLE, judge)
    started = time.perf_counter()
    reference = gan.judge_reference(judge_session, judge, evaluation)
    figures["GAN quality: judge on the test set (s)"] = round(time.perf_counter() - started, 3)
    figures["GAN quality: judge's test accuracy (%)"] = round(100 * reference.accuracy, 2)
    figures["GAN quality: Fréchet distance, test half against test half"] = round(
        reference.frechet_halves, 2)
    for paradigm in gan.GENERATOR_PARADIGMS:
        model = gan.generator_model(manifest, paradigm, dataset)
        if model is None:
            continue
        entry = gan.timeline_of(manifest, model)
        timeline = gan.load_timeline(BUNDLE, entry) if entry is not None else None
        started = time.perf_counter()
        quality = gan.measure_quality(
            open_verified_session(BUNDLE, model), model,
            lambda images: gan.judge_logits(judge_session, judge, images), reference, timeline)
        figures[f"GAN quality {paradigm}: 1,000 samples measured (s)"] = round(
            time.perf_counter() - started, 3)
        figures[f"GAN quality {paradigm}: largest digit share (%)"] = round(
            100 * float(quality.shares.max()), 1)
        figures[f"GAN quality {paradigm}: smallest digit share (%)"] = round(
            100 * float(quality.shares.min()), 1)
        figures[f"GAN quality {paradigm}: Fréchet distance to the test set"] = round(
            quality.frechet, 2)
        if quality.frechet_early is not None:
            figures[f"GAN quality {paradigm}: Fréchet distance at step {quality.early_step}"] = round(
                quality.frechet_early, 2)
        if quality.asked_right is not None:
            figures[f"GAN quality {paradigm}: read as the digit asked for (%)"] = round(
                100 * quality.asked_right, 1)


def digit_photo() -> bytes:
    """A 7 written in dark ink on light paper, 300 pixels high, as a PNG."""
    import io

    from PIL import Image, ImageDraw

    paper = Image.new("RGB", (240, 300), (236, 232, 220))
    ImageDraw.Draw(paper).line([(50, 60), (190, 60), (110, 250)], fill=(25, 25, 40), width=22)
    buffer = io.BytesIO()
    paper.save(buffer, format="PNG")
    return buffer.getvalue()


def bench_colourisation(figures: dict) -> None:
    """The colouriser: a 512-pixel photo colourised end to end, the network alone in ONNX Runtime
    against PyTorch eager, and the page's temperature slider and photo choice on a warm app."""
    import torch
    from PIL import Image
    from skimage import data
    from streamlit.testing.v1 import AppTest

    from dashboard.core import bundle_reader as dashboard_bundle
    from dashboard.core.inference import INTRA_OP_THREADS, create_session, verified_model_path
    from dashboard.topics.colourisation import colourise
    from training.families.self_supervised.colouriser_training import Colouriser

    manifest = dashboard_bundle.load_manifest(BUNDLE)
    if not manifest.colourisers:
        print("    skipped: the bundle has no colouriser (python -m training study --paradigm colourisation)",
              file=sys.stderr)
        figures["colourisation"] = "skipped: no colouriser in the bundle"
        return
    info = manifest.colourisers[0]
    model = present(manifest.model(info.model_id), f"the colouriser model {info.model_id}")
    # The session exactly as the page opens it (no memory arena).
    session = create_session(verified_model_path(BUNDLE, model), model, memory_arena=False)
    photo = Image.fromarray(data.astronaut())  # 512 x 512
    figures["colourise a 512x512 photo, end to end (ms)"] = round(
        median_ms(timed(lambda: colourise.colourise(photo, session, info.spec), repeat=10, warmup=2)), 1)
    logits = colourise.predict_colours(session, info.spec, photo)
    figures["  of which the network, ONNX Runtime (ms)"] = round(
        median_ms(timed(lambda: colourise.predict_colours(session, info.spec, photo), repeat=10, warmup=2)), 1)
    figures["  of which a new temperature: decoding and colour conversion (ms)"] = round(
        median_ms(timed(lambda: colourise.colours_to_image(logits, info.spec, photo, 0.5), repeat=10, warmup=2)), 1)

    # A PyTorch twin of the network (same widths and bins; speed does not depend on weights).
    raw = json.loads((BUNDLE / "manifest.json").read_text())
    config = next(m for m in raw["models"] if m["id"] == info.model_id).get("config", {})
    eager = Colouriser(len(info.spec.ab_bins), int(config.get("width", 32))).eval()
    torch.set_num_threads(INTRA_OP_THREADS)
    lightness = colourise.model_input(colourise.rgb_to_lab(photo)[..., 0], info.spec.size_multiple)
    lightness_torch = torch.from_numpy(lightness)

    def run_torch():
        with torch.inference_mode():
            eager(lightness_torch)

    def run_onnx():
        session.run(None, {info.spec.input_name: lightness})

    torch_ms = median_ms(timed(run_torch, repeat=10, warmup=2))
    onnx_ms = median_ms(timed(run_onnx, repeat=10, warmup=2))
    figures["colouriser 512x512: PyTorch eager (ms)"] = round(torch_ms, 1)
    figures["colouriser 512x512: ONNX Runtime (ms)"] = round(onnx_ms, 1)
    figures["colouriser 512x512: ONNX Runtime speed-up (x)"] = round(torch_ms / onnx_ms, 2)
    if model.size_bytes is not None:  # the manifest records it for every model it writes
        figures["colouriser size (MB)"] = round(model.size_bytes / 1e6, 2)

    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    app.switch_page("topics/colourisation/page.py").run()
    stops = (0.1, 0.2, 0.38, 0.7, 1.0, 1.5, 2.0, 3.0)
    for stop in stops:  # the first visit of each stop decodes; later ones come from the cache
        app.select_slider(key="colourisation_temperature").set_value(stop).run()
    times = rerun_times(app, lambda i: app.select_slider(key="colourisation_temperature").set_value(stops[i % len(stops)]),
                        20)
    figures["colourisation page: temperature moved, warm (median ms)"] = round(median_ms(times), 1)
    figures["colourisation page: temperature moved, warm (p95 ms)"] = round(p95_ms(times), 1)
    fresh = []
    names = [p.name for p in info.photos if p.file][1:]  # the first one is already on the page
    for name in names:  # first look at each other sample photo: the network runs once
        started = time.perf_counter()
        app.selectbox(key="colourisation_sample").set_value(name).run()
        fresh.append(time.perf_counter() - started)
    figures["colourisation page: another sample photo, first time (median ms)"] = round(median_ms(fresh), 1)


def bench_classroom(figures: dict) -> None:
    """The classroom interactions: the fraction slider with a digit shown, every answer for one
    digit through the page's own code, the chart's re-check (a click on a warm app, and cold)."""
    from PIL import Image
    from streamlit.testing.v1 import AppTest

    from dashboard.core import bundle_reader as dashboard_bundle
    from dashboard.core.digit_answers import answer_digit, classifier_fractions, classifiers_at_fraction
    from dashboard.core.digit_input import to_model_input
    from dashboard.core.inference import open_verified_session, session_cache
    from dashboard.topics.study.recheck import recheck_study

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    app.switch_page("topics/try_digit/page.py").run()
    app.button_group(key="try_digit_input").set_value("upload").run()
    app.file_uploader(key="try_digit_upload").upload("seven.png", digit_photo(), "image/png").run()
    fractions = classifier_fractions(dashboard_bundle.load_manifest(BUNDLE))
    times = []
    for i in range(30):
        app.select_slider(key="try_digit_fraction").set_value(fractions[i % len(fractions)])
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
    slider_moved = "try page: slider moved, with a digit shown"
    figures[f"{slider_moved}: median (ms)"] = round(median_ms(times[5:]), 1)
    figures[f"{slider_moved}: p95 (ms)"] = round(p95_ms(times[5:]), 1)

    import io

    picture = Image.open(io.BytesIO(digit_photo()))
    figures["to_model_input on a 240x300 photo (ms)"] = round(
        median_ms(timed(lambda: to_model_input(picture), repeat=50)), 2
    )
    manifest = dashboard_bundle.load_manifest(BUNDLE)
    session_for = session_cache(BUNDLE)

    digit = to_model_input(picture)
    for fraction in (0.01, 1.0):
        models = classifiers_at_fraction(manifest, fraction)
        figures[f"every paradigm's answer through digit_answers at {fraction:.0%} (ms)"] = round(
            median_ms(timed(functools.partial(answer_digit, models, session_for, digit), repeat=200)), 3
        )

    results = dashboard_bundle.load_results(BUNDLE)

    def recheck(session_for_model):
        return recheck_study(
            manifest,
            results,
            session_for_model,
            lambda dataset: dashboard_bundle.load_evaluation_set(BUNDLE, dataset),
        )

    # As the study page does it: a fresh, verified session per model, dropped after measuring
    # (a session kept alive holds its largest batch's memory arena), on one thread, because the
    # re-check measures models side by side.
    figures["re-check of the chart (every shipped classifier, fresh sessions) (s)"] = round(
        statistics.median(timed(lambda: recheck(lambda model: open_verified_session(BUNDLE, model, threads=1)),
                                repeat=3, warmup=1)), 3
    )
    figures["re-check of the chart: classifiers measured"] = sum(
        1 for model in manifest.models if model.role == "classifier")

    study = AppTest.from_file(str(APP), default_timeout=60)
    study.run()
    study.switch_page("topics/study/page.py").run()
    times = []
    for _ in range(6):
        study.button(key="study_recheck_button").click()
        started = time.perf_counter()
        study.run()
        times.append(time.perf_counter() - started)
    figures["study page: re-check button, first click (s)"] = round(times[0], 3)
    figures["study page: re-check button, later clicks: median (s)"] = round(
        statistics.median(times[1:]), 3
    )


def bench_class_labels(figures: dict) -> None:
    """Class labels: the probes after each new label (target under 2 s for 40 labels)."""
    from dashboard.topics.class_labels.labelling import learning_bench

    started = time.perf_counter()
    bench = learning_bench(BUNDLE)
    figures["class_labels_bench_build_s"] = round(time.perf_counter() - started, 2)
    pool = bench.pool
    for count in (40, 200):
        chosen = pool.order[:count]
        images, labels = pool.images[chosen] / 255.0, pool.hidden_labels[chosen]
        times = timed(functools.partial(bench.probe_accuracies, images, labels), repeat=5, warmup=1)
        figures[f"class_labels_probe_{count}_labels_ms"] = round(median_ms(times), 1)
        spread = timed(functools.partial(bench.spreading_accuracies, chosen, labels, np.zeros((0, 28, 28)), np.zeros(0)),
                       repeat=3, warmup=1)
        figures[f"class_labels_spreading_{count}_labels_ms"] = round(median_ms(spread), 1)
        # What a class that labels these digits right would see (docs/class_labels.md), and the
        # same digits with their labels shuffled.
        shuffled = np.random.default_rng(0).permutation(labels)
        for name, result in (("probe", bench.probe_accuracies(images, labels)),
                             ("spreading", bench.spreading_accuracies(chosen, labels, np.zeros((0, 28, 28)),
                                                                      np.zeros(0))),
                             ("shuffled", bench.probe_accuracies(images, shuffled))):
            figures[f"class_labels_{name}_{count}_labels_accuracy"] = {
                source.split("-")[0]: round(100 * value, 1) for source, value in result.items()}


def bench_first_page(figures: dict) -> None:
    """From `streamlit run` to the home page's content drawn in headless Chromium (median of three
    fresh servers), then the server's memory after every page in both languages."""
    from playwright.sync_api import sync_playwright

    from dashboard.core.page_registry import HOME_PAGE, PAGES
    from scripts.browser_check import stop_server

    def drawn(page, url: str) -> None:
        page.goto(url)
        page.wait_for_selector("h1", timeout=30_000)
        page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        starts = []
        for attempt in range(3):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            page = browser.new_context().new_page()  # a fresh browser cache each time
            started = time.perf_counter()
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
                 "--server.headless", "true"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "MALLOC_ARENA_MAX": "2"})  # as `make dashboard` starts it
            try:
                while True:  # the page cannot load before the server listens
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                        break
                    except OSError:
                        time.sleep(0.02)
                drawn(page, f"http://127.0.0.1:{port}/?lang=en")
                starts.append(time.perf_counter() - started)
                if attempt == 2:  # the last server: every page in both languages, then its memory
                    for entry in PAGES:
                        path = "" if entry.id == HOME_PAGE else entry.id
                        for language in ("fr", "en"):
                            drawn(page, f"http://127.0.0.1:{port}/{path}?lang={language}")
                    status = Path(f"/proc/{server.pid}/status").read_text()
                    resident_kb = int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
                    figures["dashboard resident memory after every page (MB)"] = round(resident_kb / 1024, 1)
            finally:
                stop_server(server)
        figures["streamlit run -> first page drawn in chromium, median of 3 (s)"] = round(statistics.median(starts), 2)
        figures["streamlit run -> first page drawn in chromium, each run (s)"] = [round(s, 2) for s in starts]
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--bundle", type=Path, help="another bundle than exported_models/")
    parser.add_argument("--only", nargs="+", metavar="PART",
                        help="only these parts, named after their function: gan, classroom, ...")
    args = parser.parse_args()
    if args.bundle is not None:
        global BUNDLE
        BUNDLE = args.bundle.resolve()
        os.environ["PARADIGM_LAB_BUNDLE"] = str(BUNDLE)  # the pages read it too

    figures: dict = {"machine": machine(), "bundle": str(BUNDLE)}
    steps = [bench_inference, bench_all_answers, bench_study, bench_page_reruns, bench_self_supervised_interactions,
             bench_gan, bench_colourisation, bench_class_labels, bench_classroom]
    if not args.skip_browser:
        steps.append(bench_first_page)
    if args.only:
        steps = [step for step in steps if step.__name__.removeprefix("bench_") in args.only]
    for step in steps:
        print(f"... {(step.__doc__ or step.__name__).splitlines()[0]}", file=sys.stderr)
        step(figures)

    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=1))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
