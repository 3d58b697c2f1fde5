"""Visit every dashboard page in a real headless Chromium, in French and English, and screenshot it.

    .venv/bin/python scripts/browser_check.py           # starts its own server, stops it after
    .venv/bin/python scripts/browser_check.py --url http://localhost:8599    # a running server

Screenshots go to build/screenshots/ (git-ignored): look at them. The script exits non-zero if a
page shows a Streamlit exception box, a traceback or the app's "unexpected error" message, or if
the browser tried to reach any host other than the dashboard's own (the app must work offline).
It uses Debian's /usr/bin/chromium through Playwright and never downloads a browser.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, sync_playwright

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY_ROOT))  # run as a script, not from the repository root package

from dashboard.figures import STUDY_PNG_FILENAME  # noqa: E402
SCREENSHOT_DIRECTORY = REPOSITORY_ROOT / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {"home": "", "study": "study", "models": "models"}  # name -> URL path
LANGUAGES = ("fr", "en")
# Texts that mean a user is looking at a failure instead of a page.
FAILURE_TEXTS = ("Traceback", "erreur inattendue", "unexpected error")


def start_server(port: int) -> subprocess.Popen:
    streamlit = REPOSITORY_ROOT / ".venv" / "bin" / "streamlit"
    executable = str(streamlit) if streamlit.exists() else "streamlit"
    command = [executable, "run", "dashboard/app.py", "--server.port", str(port)]
    server = subprocess.Popen(
        command, cwd=REPOSITORY_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    health = f"http://localhost:{port}/_stcore/health"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(health, timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the dashboard did not start on port {port} within 30 s")


def wait_until_drawn(page: Page) -> None:
    """Wait for the script run to finish and the charts to be drawn."""
    # A title, or the message or exception box that replaces a page that failed.
    page.wait_for_selector(
        'h1, [data-testid="stAlert"], [data-testid="stException"]', timeout=20_000
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20_000
    )
    if page.locator('[data-testid="stPlotlyChart"]').count():
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    page.wait_for_timeout(600)  # let the last layout settle before the screenshot


def screenshot_whole_page(page: Page, path: Path) -> None:
    """Streamlit scrolls its main area inside the window, so `full_page` alone would cut the page
    at the window's height: grow the window to the content first, then shrink it back."""
    viewport = page.viewport_size
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], height)})
    page.wait_for_timeout(400)  # plotly redraws on resize
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def page_problems(page: Page) -> list[str]:
    problems = []
    if page.locator('[data-testid="stException"]').count():
        problems.append("a Streamlit exception box")
    text = page.locator("body").inner_text()
    problems += [f"the text {failure!r}" for failure in FAILURE_TEXTS if failure in text]
    return problems


def check(base_url: str) -> list[str]:
    SCREENSHOT_DIRECTORY.mkdir(parents=True, exist_ok=True)
    own_host = urlparse(base_url).hostname
    foreign_requests: list[str] = []
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        context.on(
            "request",
            lambda request: foreign_requests.append(request.url)
            if urlparse(request.url).hostname not in (own_host, None)
            and not request.url.startswith(("data:", "blob:"))
            else None,
        )
        page = context.new_page()
        for language in LANGUAGES:
            for name, path in PAGES.items():
                started = time.perf_counter()
                page.goto(f"{base_url}/{path}?lang={language}")
                wait_until_drawn(page)
                seconds = time.perf_counter() - started
                if name == "models" and page.locator("button[kind='primary']").count():
                    page.locator("button[kind='primary']").first.click()
                    page.wait_for_selector('[data-testid="stMetric"], [data-testid="stAlert"]')
                    wait_until_drawn(page)
                shot = SCREENSHOT_DIRECTORY / f"{name}-{language}.png"
                screenshot_whole_page(page, shot)
                problems = page_problems(page)
                verdict = f"  PROBLEM: {', '.join(problems)}" if problems else ""
                print(f"{name:7s} {language}  drawn in {seconds:4.1f} s  {shot.name}{verdict}")
                failures += [f"{name} ({language}): {problem}" for problem in problems]

        # The PNG download the study page promises: Plotly's camera button, drawn in the browser.
        page.goto(f"{base_url}/study?lang=en")
        wait_until_drawn(page)
        page.locator(".js-plotly-plot").first.hover()
        with page.expect_download(timeout=15_000) as download:
            page.locator(".modebar-btn[data-title*='png' i]").first.click()
        if download.value.suggested_filename != f"{STUDY_PNG_FILENAME}.png":
            failures.append(f"the chart downloads as {download.value.suggested_filename}")
        download.value.save_as(SCREENSHOT_DIRECTORY / "study-chart-download.png")

        # Presentation mode, as a teacher would switch it on in front of the class and then move
        # between pages with the sidebar (the mode lives in the session, not in the URL).
        page.goto(f"{base_url}/?lang=fr")
        wait_until_drawn(page)
        page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').first.click()
        wait_until_drawn(page)
        for index, name in enumerate(PAGES):
            page.locator('[data-testid="stSidebarNav"] a').nth(index).click()
            wait_until_drawn(page)
            screenshot_whole_page(page, SCREENSHOT_DIRECTORY / f"{name}-fr-presentation.png")
            failures += [f"{name} (presentation): {problem}" for problem in page_problems(page)]
        browser.close()
    failures += [f"request to another host: {url}" for url in sorted(set(foreign_requests))]
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a dashboard already running; default: start one")
    parser.add_argument("--port", type=int, default=8599, help="port of the server this starts")
    arguments = parser.parse_args()
    server = None if arguments.url else start_server(arguments.port)
    try:
        failures = check(arguments.url or f"http://localhost:{arguments.port}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"screenshots in {SCREENSHOT_DIRECTORY}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
