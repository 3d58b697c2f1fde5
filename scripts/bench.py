"""Benchmarks for the budgets of DESIGN.md: prints a table and writes build/bench.json.

    python scripts/bench.py                 # everything
    python scripts/bench.py --skip-browser  # no chromium needed

Ratios (ONNX Runtime against PyTorch eager) are measured side by side in one run on the same
model and input. Figures are medians of repeated timings; nothing here asserts a budget: the
README quotes the printed figures with the machine they came from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUNDLE = ROOT / "exported_models"
APP = ROOT / "dashboard" / "app.py"


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

    from dashboard import bundle as dashboard_bundle
    from dashboard.inference import open_verified_session
    from training.data import load_dataset, make_split
    from training.paradigms import get_paradigm
    from training.point import make_point_task

    torch.set_num_threads(os.cpu_count() or 1)
    dataset = load_dataset("mnist5k")
    split = make_split(dataset)
    manifest = dashboard_bundle.load_manifest(BUNDLE)
    test = dashboard_bundle.load_evaluation_set(BUNDLE, manifest.dataset("mnist5k"))
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

            def run_torch():
                with torch.inference_mode():
                    eager(x_torch)

            def run_onnx():
                session.run(None, {"image": x_numpy})

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
    from dashboard import bundle as dashboard_bundle
    from dashboard.inference import open_verified_session

    manifest = dashboard_bundle.load_manifest(BUNDLE)
    test = dashboard_bundle.load_evaluation_set(BUNDLE, manifest.dataset("mnist5k"))
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
        "views/home.py",
        "views/lesson.py",
        "views/try_digit.py",
        "views/study.py",
        "views/semi_supervised.py",
        "views/self_supervised.py",
        "views/models.py",
    ):
        app = AppTest.from_file(str(APP), default_timeout=60)
        app.run()
        app.switch_page(page).run()
        if page == "views/try_digit.py":
            # With a digit on the page, so that every rerun also shows every paradigm's answer.
            app.button_group(key="try_input").set_value("upload").run()
            uploader = app.file_uploader(key="try_upload")
            uploader.upload("seven.png", digit_photo(), "image/png").run()
        times = []
        for i in range(30):
            # The language switch exists on every page (the shared sidebar): flip it, rerun.
            app.sidebar.radio[0].set_value(("fr", "en")[i % 2])
            started = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - started)
        figures[f"page rerun {page}: median (ms)"] = round(median_ms(times[5:]), 1)
        figures[f"page rerun {page}: p95 (ms)"] = round(p95_ms(times[5:]), 1)


def bench_self_supervised_interactions(figures: dict) -> None:
    """The self-supervised page's own controls on a warm app: each pretext task chosen in turn
    (its free pairs made and its network run live), and "another digit"."""
    from streamlit.testing.v1 import AppTest

    from dashboard import bundle as dashboard_bundle

    manifest = dashboard_bundle.load_manifest(BUNDLE)
    tasks = sorted({m.paradigm for m in manifest.models if m.role == "pretext_head"})
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    app.switch_page("views/self_supervised.py").run()
    switch_times, digit_times = [], []
    for i in range(5 * len(tasks)):
        app.button_group(key="ssl_task").set_value(tasks[i % len(tasks)])
        started = time.perf_counter()
        app.run()
        switch_times.append(time.perf_counter() - started)
    for _ in range(25):
        app.button(key="ssl_another_digit").click()
        started = time.perf_counter()
        app.run()
        digit_times.append(time.perf_counter() - started)
    figures["self-supervised page, task switch: median (ms)"] = round(median_ms(switch_times[len(tasks):]), 1)
    figures["self-supervised page, another digit: median (ms)"] = round(median_ms(digit_times[5:]), 1)


def digit_photo() -> bytes:
    """A 7 written in dark ink on light paper, 300 pixels high, as a PNG."""
    import io

    from PIL import Image, ImageDraw

    paper = Image.new("RGB", (240, 300), (236, 232, 220))
    ImageDraw.Draw(paper).line([(50, 60), (190, 60), (110, 250)], fill=(25, 25, 40), width=22)
    buffer = io.BytesIO()
    paper.save(buffer, format="PNG")
    return buffer.getvalue()


def bench_classroom(figures: dict) -> None:
    """The classroom interactions: the fraction slider with a digit shown, every answer for one
    digit through the page's own code, the chart's re-check (a click on a warm app, and cold)."""
    from PIL import Image
    from streamlit.testing.v1 import AppTest

    from dashboard import bundle as dashboard_bundle
    from dashboard.digit_answers import answer_digit, classifier_fractions, classifiers_at_fraction
    from dashboard.digit_input import to_model_input
    from dashboard.inference import open_verified_session, session_cache
    from dashboard.study_recheck import recheck_study

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    app.switch_page("views/try_digit.py").run()
    app.button_group(key="try_input").set_value("upload").run()
    app.file_uploader(key="try_upload").upload("seven.png", digit_photo(), "image/png").run()
    fractions = classifier_fractions(dashboard_bundle.load_manifest(BUNDLE))
    times = []
    for i in range(30):
        app.select_slider(key="try_fraction").set_value(fractions[i % len(fractions)])
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
            median_ms(timed(lambda: answer_digit(models, session_for, digit), repeat=200)), 3
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
    # (a session kept alive holds its largest batch's memory arena, about 90 MB).
    figures["re-check of the chart (every shipped classifier, fresh sessions) (s)"] = round(
        statistics.median(timed(lambda: recheck(lambda model: open_verified_session(BUNDLE, model)),
                                repeat=3, warmup=1)), 3
    )
    figures["re-check of the chart: classifiers measured"] = sum(
        1 for model in manifest.models if model.role == "classifier")

    study = AppTest.from_file(str(APP), default_timeout=60)
    study.run()
    study.switch_page("views/study.py").run()
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


def bench_first_page(figures: dict) -> None:
    """From `streamlit run` to the home page's content drawn in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port), "--server.headless", "true"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:  # the page cannot load before the server listens
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
                    break
                except OSError:
                    time.sleep(0.02)
            page.goto(f"http://127.0.0.1:{port}/?lang=en")
            page.wait_for_selector("h1", timeout=30_000)
            page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
            figures["streamlit run -> first page drawn in chromium (s)"] = round(time.perf_counter() - started, 2)
            for path in ("lesson", "try", "study", "models", ""):  # every page, both languages
                for language in ("fr", "en"):
                    page.goto(f"http://127.0.0.1:{port}/{path}?lang={language}")
                    page.wait_for_selector("h1", timeout=30_000)
                    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
            status = Path(f"/proc/{server.pid}/status").read_text()
            resident_kb = int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
            figures["dashboard resident memory after every page (MB)"] = round(resident_kb / 1024, 1)
        finally:
            server.terminate()
            server.wait(timeout=10)
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench.json")
    args = parser.parse_args()

    figures: dict = {"machine": machine()}
    steps = [bench_inference, bench_all_answers, bench_study, bench_page_reruns, bench_self_supervised_interactions, bench_classroom]
    if not args.skip_browser:
        steps.append(bench_first_page)
    for step in steps:
        print(f"... {step.__doc__.splitlines()[0]}", file=sys.stderr)
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
