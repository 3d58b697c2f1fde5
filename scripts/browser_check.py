"""Visit every dashboard page in a real headless Chromium, in French and English, and screenshot it.

    .venv/bin/python scripts/browser_check.py           # starts its own server, stops it after
    .venv/bin/python scripts/browser_check.py --url http://localhost:8599    # a running server
    .venv/bin/python scripts/browser_check.py --projector-only   # only every page at 1366 x 768
    .venv/bin/python scripts/browser_check.py --page gan         # only the GAN page, both languages

Screenshots go to build/screenshots/ (git-ignored): look at them. The script exits non-zero if a
page shows a Streamlit exception box, a traceback or the app's "unexpected error" message, or if
the browser tried to reach any host other than the dashboard's own (the app must work offline).
Beyond drawing each page, it uses the classroom features as a teacher would: draws a 7 on the
"try your own digit" canvas with the mouse and checks that every paradigm answers, uploads a file
that is not an image, takes a photo with Chromium's fake camera, re-checks the study chart from
the models, moves the semi-supervised page back to its first round and asks it for another test
digit, follows a step of the guided lesson, and opens a student link with hidden controls.
It uses Debian's /usr/bin/chromium through Playwright and never downloads a browser.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, ViewportSize, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY_ROOT))  # run as a script, not from the repository root package

from dashboard.core.figures import STUDY_PNG_FILENAME  # noqa: E402
from dashboard.core.i18n import t  # noqa: E402
from dashboard.core.page_helpers import RUN_END_CLASS  # noqa: E402
from dashboard.core.page_registry import HOME_PAGE  # noqa: E402
from dashboard.core.page_registry import PAGES as REGISTERED_PAGES  # noqa: E402

SCREENSHOT_DIRECTORY = REPOSITORY_ROOT / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A fake camera that needs no permission prompt: st.camera_input can take a picture.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
# name -> URL path, in the order of the sidebar navigation: the page registry's, so that a new
# page is visited without being listed here (the home page is the app's root).
PAGES = {page.id: "" if page.id == HOME_PAGE else page.id for page in REGISTERED_PAGES}
LANGUAGES = ("fr", "en")
# Texts that mean a user is looking at a failure instead of a page.
FAILURE_TEXTS = ("Traceback", "erreur inattendue", "unexpected error")
# Accessibility violations (axe-core) that fail the check; the others are printed.
BLOCKING_IMPACTS = {"serious", "critical"}


# As `make dashboard` starts the server: two malloc arenas, not glibc's eight per core. Streamlit
# runs each session's script in a thread, and memory freed in a thread's own arena stays there:
# after every hostile upload on every page the server held 485 MB with the default and 368 MB
# with two arenas.
SERVER_ENVIRONMENT = {**os.environ, "MALLOC_ARENA_MAX": "2"}


def start_server(port: int) -> subprocess.Popen:
    streamlit = REPOSITORY_ROOT / ".venv" / "bin" / "streamlit"
    executable = str(streamlit) if streamlit.exists() else "streamlit"
    command = [executable, "run", "dashboard/app.py", "--server.port", str(port)]
    server = subprocess.Popen(
        command, cwd=REPOSITORY_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=SERVER_ENVIRONMENT,
    )
    if wait_until_serving(f"http://localhost:{port}"):
        return server
    stop_server(server)
    raise SystemExit(f"the dashboard did not start on port {port} within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop a server this started; killed if it has not stopped 10 s after being asked. On a busy
    machine Streamlit once took longer than that, and a script that only waited ended a clean
    check with a traceback."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def wait_until_serving(base_url: str, seconds: float = 30) -> bool:
    """Whether the dashboard at ``base_url`` answers its health check within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False



def dashboard_arguments(description: str, default_port: int) -> argparse.Namespace:
    """The command line every browser script shares: use a running dashboard, or start one."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--url", help="a dashboard already running; default: start one")
    parser.add_argument("--port", type=int, default=default_port, help="port of the server this starts")
    return parser.parse_args()


@contextlib.contextmanager
def served_dashboard(arguments: argparse.Namespace) -> Iterator[tuple[str, subprocess.Popen | None]]:
    """(base URL, the server this started or None), and the server stopped afterwards."""
    server = None if arguments.url else start_server(arguments.port)
    try:
        yield arguments.url or f"http://localhost:{arguments.port}", server
    finally:
        if server is not None:
            stop_server(server)

# The run marks on the page (dashboard/core/page_helpers.py, draw_run_end): one at the end of the
# whole script's run, one at the end of each interactive fragment's, each with its run's own id.
RUN_MARKS = f"() => Array.from(document.querySelectorAll('.{RUN_END_CLASS}')).map(mark => mark.dataset.run)"

# Checked in one step in the page: counting the charts first, then waiting for one, could wait
# forever for a chart the next rerun had just removed. The whole script's mark is there and no
# mark is left over from an earlier run (stale); after an action, one mark is new (a click in a
# fragment reruns only the fragment, so only its mark changes); and every element is drawn: an
# element whose code the browser is still loading (a chart or a slider the first time a page
# shows one) is a grey skeleton, and no chart yet.
DRAWN = f"""([seen]) => {{
    const marks = Array.from(document.querySelectorAll('.{RUN_END_CLASS}'));
    const stale = (mark) => {{
        const box = mark.closest('[data-testid="stElementContainer"]');
        return box !== null && box.getAttribute('data-stale') === 'true';
    }};
    return marks.some(mark => mark.dataset.scope === 'app') && !marks.some(stale)
        && (seen === null || marks.some(mark => !seen.includes(mark.dataset.run)))
        && !document.querySelector('[data-testid="stSkeleton"]')
        && Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
           .every(chart => chart.querySelector('.main-svg'));
}}"""


def runs_drawn(page: Page) -> list[str]:
    """The ids of the runs whose marks the page shows: read them before a click or an upload,
    then `wait_until_drawn(page, after=...)` waits for the run it starts."""
    return page.evaluate(RUN_MARKS)


def wait_until_drawn(page: Page, timeout_ms: int = 20_000, *, after: list[str] | None = None) -> None:
    """Wait until the browser has drawn a whole run and its charts: the first run of a page just
    opened, or with ``after`` (runs_drawn, read before an action) the run that the action started.
    Without it, a run that a click has asked for but not yet started would look drawn."""
    # A title, or the message or exception box that replaces a page that failed.
    page.wait_for_selector(
        'h1, [data-testid="stAlert"], [data-testid="stException"]', timeout=timeout_ms
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )
    # The "running" sign goes when the server has sent the run, while the browser may still be
    # drawing a large chart (a GAN page on a projector was read half drawn): the marks wait for that.
    page.wait_for_function(DRAWN, arg=[after], timeout=timeout_ms)
    settle(page)


def settle(page: Page) -> None:
    """Wait for the browser to lay out and paint what the last run drew: two animation frames
    (the first runs before the next layout, the second after it was painted)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def screenshot_whole_page(page: Page, path: Path) -> None:
    """Streamlit scrolls its main area inside the window, so `full_page` alone would cut the page
    at the window's height: grow the window to the content first, then shrink it back."""
    viewport = page.viewport_size
    assert viewport is not None  # every context here is opened with a viewport
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], height)})
    # Only the height changed: the charts keep their width, the page is painted again.
    settle(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def page_problems(page: Page) -> list[str]:
    problems = []
    if page.locator('[data-testid="stException"]').count():
        problems.append("a Streamlit exception box")
    text = page.locator("body").inner_text()
    problems += [f"the text {failure!r}" for failure in FAILURE_TEXTS if failure in text]
    return problems


def accessibility_violations(axe: Axe, page: Page, where: str) -> list[str]:
    """Print every axe-core violation of the page as it is drawn now; return the serious and
    critical ones. axe-core comes from the axe-playwright-python package: its axe.min.js is
    injected into the page, nothing is downloaded."""
    blocking = []
    violations = axe.run(page).response["violations"]
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:3]
        line = f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']} at {targets}"
        print(line)
        if violation["impact"] in BLOCKING_IMPACTS:
            blocking.append(line)
    if not violations:
        print(f"{where}: no violation")
    return blocking


def check(base_url: str, only: str | None = None) -> list[str]:
    SCREENSHOT_DIRECTORY.mkdir(parents=True, exist_ok=True)
    own_host = urlparse(base_url).hostname
    foreign_requests: list[str] = []
    failures: list[str] = []
    # Audited on each page as it first draws, in this visit: a run of its own (a server, a browser
    # and a second visit of every page) took 74 s of CI; in this visit the audit adds about 20 s.
    axe, inaccessible = Axe(), []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 900}, accept_downloads=True, permissions=["camera"]
        )
        context.on(
            "request",
            lambda request: foreign_requests.append(request.url)
            if urlparse(request.url).hostname not in (own_host, None)
            and not request.url.startswith(("data:", "blob:"))
            else None,
        )
        page = context.new_page()
        # Every page of the sidebar must be in PAGES, so a new page is never left unvisited.
        page.goto(f"{base_url}/?lang=en")
        wait_until_drawn(page)
        sidebar_count = page.locator('[data-testid="stSidebarNav"] a').count()
        if sidebar_count != len(PAGES):
            failures.append(f"the sidebar lists {sidebar_count} pages, this check visits {len(PAGES)}")
        for language in LANGUAGES:
            for name, path in PAGES.items():
                if only is not None and name != only:
                    continue
                started = time.perf_counter()
                page.goto(f"{base_url}/{path}?lang={language}")
                # The class-labels page's first visit runs every encoder on the pool once.
                wait_until_drawn(page, 180_000 if name == "class_labels" else 20_000)
                seconds = time.perf_counter() - started
                inaccessible += accessibility_violations(axe, page, f"{name} ({language})")
                if name == "models" and page.locator("button[kind='primary']").count():
                    before = runs_drawn(page)
                    page.locator("button[kind='primary']").first.click()
                    page.wait_for_selector('[data-testid="stMetric"], [data-testid="stAlert"]')
                    wait_until_drawn(page, after=before)
                if name == "try_digit":
                    failures += draw_a_seven(page, language)
                if name == "study":
                    failures += recheck_the_chart(page, language)
                if name == "semi_supervised":
                    failures += spread_the_labels(page, language)
                if name == "self_supervised":
                    failures += try_the_exercises(page, language)
                if name == "gan":
                    failures += play_real_or_fake(page, language)
                    failures += play_the_2d_game(page, language)
                if name == "colourisation":
                    failures += colourise_photos(page, language)
                if name == "class_labels":
                    failures += label_some_digits(page, language)
                shot = SCREENSHOT_DIRECTORY / f"{name}-{language}.png"
                screenshot_whole_page(page, shot)
                problems = page_problems(page)
                verdict = f"  PROBLEM: {', '.join(problems)}" if problems else ""
                print(f"{name:7s} {language}  drawn in {seconds:4.1f} s  {shot.name}{verdict}")
                failures += [f"{name} ({language}): {problem}" for problem in problems]

        print(f"{len(inaccessible)} serious or critical accessibility violation(s)")
        failures += inaccessible
        if only is not None:  # one page's check: the journeys across pages are left out
            browser.close()
            return failures + [f"a request left the machine: {url}" for url in foreign_requests]
        failures += copy_the_lesson_link(page, base_url)
        failures += upload_and_photograph(page, base_url)
        failures += follow_a_lesson_step(page, base_url)
        failures += open_a_student_link(page, base_url)

        # The PNG download the study page promises: Plotly's camera button, drawn in the browser.
        page.goto(f"{base_url}/study?lang=en")
        wait_until_drawn(page)
        page.locator(".js-plotly-plot").first.hover()
        with page.expect_download(timeout=15_000) as download:
            page.locator(".modebar-btn[data-title*='png' i]").first.click()
        if download.value.suggested_filename != f"{STUDY_PNG_FILENAME}.png":
            failures.append(f"the chart downloads as {download.value.suggested_filename}")
        download.value.save_as(SCREENSHOT_DIRECTORY / "study-chart-download.png")

        # Presentation mode, as a teacher would switch it on in front of the class: the sidebar
        # folds away and the pages fill the screen.
        page.goto(f"{base_url}/?lang=fr")
        wait_until_drawn(page)
        before = runs_drawn(page)
        page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').first.click()
        wait_until_drawn(page, after=before)
        page.wait_for_function(  # folded: moved out of the window, to the left
            "() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right <= 10",
            timeout=20_000)
        # ... and its arrow brings the sidebar back (the mode is switched off there).
        page.locator('[data-testid="stExpandSidebarButton"]').click(timeout=10_000)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right > 100",
            timeout=20_000)
        print("home    fr  presentation mode switched on: the sidebar folded, and its arrow opens it")
        browser.close()
    failures += check_projector(base_url)
    failures += [f"request to another host: {url}" for url in sorted(set(foreign_requests))]
    return failures


# --- a projector: 1366 x 768 ----------------------------------------------------------------------

PROJECTOR: ViewportSize = {"width": 1366, "height": 768}
# Checked in the page: what a class in front of a projector would notice is cut or hidden.
PROJECTOR_PROBLEMS = """() => {
    const problems = [];
    const main = document.querySelector('[data-testid="stMain"]');
    if (main && main.scrollWidth > main.clientWidth + 1)
        problems.push(`content ${main.scrollWidth} px wide on a ${main.clientWidth} px screen`);
    document.querySelectorAll('.js-plotly-plot').forEach((plot, index) => {
        const bar = plot.querySelector('.legend rect.scrollbar');
        if (bar && Number(bar.getAttribute('height') || 0) > 0)
            problems.push(`chart ${index + 1}: its legend scrolls`);
        const box = plot.getBoundingClientRect();
        if (box.right > window.innerWidth + 1)
            problems.push(`chart ${index + 1}: wider than the screen`);
    });
    // Text cut with an ellipsis ("Cohérence (FixMa…"): its box is narrower than its text.
    document.querySelectorAll('[data-testid="stMain"] *').forEach((element) => {
        if (element.children.length || !element.textContent.trim()) return;
        const style = getComputedStyle(element);
        if (style.textOverflow === 'ellipsis' && element.scrollWidth > element.clientWidth + 1)
            problems.push(`text cut: "${element.textContent.trim().slice(0, 40)}"`);
    });
    return problems;
}"""


def check_projector(base_url: str) -> list[str]:
    """Every page at 1366 x 768 in projector mode, in both languages: nothing wider than the
    screen, no chart legend that scrolls, no text cut short, no error box."""
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        page = browser.new_context(viewport=PROJECTOR).new_page()
        for language in LANGUAGES:
            for name, path in PAGES.items():
                page.goto(f"{base_url}/{path}?lang={language}&projector=1")
                wait_until_drawn(page, 180_000 if name == "class_labels" else 30_000)
                page.screenshot(path=str(SCREENSHOT_DIRECTORY / f"{name}-{language}-projector.png"))
                screenshot_whole_page(page, SCREENSHOT_DIRECTORY / f"{name}-{language}-projector-whole.png")
                problems = page_problems(page) + page.evaluate(PROJECTOR_PROBLEMS)
                verdict = f"  PROBLEM: {'; '.join(problems)}" if problems else ""
                # What the class first sees: the page's height with every "going further" folded.
                height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                print(f"{name:7s} {language}  projector 1366x768, class view {height} px "
                      f"({height / PROJECTOR['height']:.1f} screens){verdict}")
                failures += [f"{name} ({language}, projector): {problem}" for problem in problems]
        browser.close()
    return failures


# --- the classroom features --------------------------------------------------------------------


def answers_shown(page: Page, after: list[str]) -> dict[str, str]:
    """The answers on the "try your own digit" page (paradigm name -> the digit it reads), once
    the run that followed the marks `after` is drawn."""
    page.wait_for_selector('[data-testid="stMetric"]', timeout=20_000)
    wait_until_drawn(page, after=after)
    answers = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        answers[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return answers


def stroke_a_seven(page: Page, canvas) -> None:
    """Draw a 7 on a digit canvas with mouse moves, as a pupil would."""
    canvas.wait_for(timeout=20_000)
    canvas.scroll_into_view_if_needed()  # the mouse only reaches what is on the screen
    box = canvas.bounding_box()

    def at(x: float, y: float) -> tuple[float, float]:
        return box["x"] + x * box["width"], box["y"] + y * box["height"]

    page.mouse.move(*at(0.22, 0.2))
    page.mouse.down()
    for x, y in [(0.4, 0.2), (0.6, 0.2), (0.78, 0.2), (0.68, 0.4), (0.58, 0.6), (0.48, 0.84)]:
        page.mouse.move(*at(x, y), steps=8)
    page.mouse.up()


def draw_a_seven(page: Page, language: str) -> list[str]:
    """Draw a 7 on the canvas with mouse moves, as a pupil would, and read the answers."""
    before = runs_drawn(page)
    stroke_a_seven(page, page.locator("canvas.digit-canvas__board"))  # in the component's shadow root
    answers = answers_shown(page, after=before)
    print(f"try     {language}  a 7 drawn with the mouse reads: {answers}")
    failures = []
    if not answers:
        failures.append(f"try ({language}): no answer after drawing on the canvas")
    supervised = t("paradigm.supervised.name", language)
    if answers.get(supervised) != "7":
        read = answers.get(supervised)
        failures.append(f"try ({language}): the supervised model reads a drawn 7 as {read}")
    if not page.get_by_text(t("try_digit.model_view", language)).count():
        failures.append(f"try ({language}): the 28x28 model input is not shown")
    return failures


def recheck_the_chart(page: Page, language: str) -> list[str]:
    """Click "re-check" on the study page; every shipped point must agree with results.csv."""
    started = time.perf_counter()
    before = runs_drawn(page)
    page.get_by_role("button", name=t("study.recheck_button", language)).click()
    # A cap, not a wait: the verdict usually comes in about 4 s, but on a machine busy training
    # (the study's two workers) measuring every shipped classifier took over 30 s.
    page.wait_for_selector(
        '[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]',
        timeout=120_000,
    )
    wait_until_drawn(page, after=before)
    # The click to the verdict and its chart drawn, as the class waits for it (target under 5 s).
    print(f"study   {language}  re-checked in the browser in {time.perf_counter() - started:.1f} s")
    if page.locator('[data-testid="stAlertContentWarning"]').count():
        return [f"study ({language}): the re-check flags points of the shipped bundle"]
    return []


def spread_the_labels(page: Page, language: str) -> list[str]:
    """On the semi-supervised page, go back to the first round with the keyboard, then ask for
    another test digit. A bundle without pseudo-label logs must say which command makes them."""
    rounds = page.get_by_role("slider", name=t("semi_supervised.round", language))
    if not rounds.count():
        if page.get_by_text("python -m training study", exact=False).count():
            print(f"semi    {language}  no pseudo-label log: the page names the study command")
            return []
        return [f"semi ({language}): no rounds to show and no command to make them"]
    rounds.focus()
    runs_before = runs_drawn(page)
    page.keyboard.press("Home")
    # The first round has no earlier one to compare with: its count loses the metric's delta,
    # which also tells that the rerun for the keypress is drawn.
    first_metric = page.locator('[data-testid="stMetric"]').first
    first_metric.locator('[data-testid="stMetricDelta"]').wait_for(state="detached", timeout=20_000)
    wait_until_drawn(page, after=runs_before)
    shown = rounds.get_attribute("aria-valuetext")
    carried = first_metric.locator('[data-testid="stMetricValue"]').inner_text()
    # The live confidence bar is folded under "going further": open it as a teacher would.
    folded = t("page.going_further", language, title=t("semi_supervised.threshold.heading", language))
    page.locator('[data-testid="stExpander"] summary', has_text=folded).click()
    another = page.get_by_role("button", name=t("semi_supervised.threshold.another", language))
    another.wait_for(timeout=20_000)
    caption = page.locator('[data-testid="stImageCaption"]').last
    before = caption.inner_text()
    runs_before = runs_drawn(page)
    another.click()
    page.wait_for_function(
        """([previous]) => {
            const captions = document.querySelectorAll('[data-testid="stImageCaption"]');
            return captions.length && captions[captions.length - 1].textContent !== previous;
        }""",
        arg=[before],
        timeout=20_000,
    )
    wait_until_drawn(page, after=runs_before)
    print(f"semi    {language}  at {shown}: {carried} pseudo-labels; {caption.inner_text()}")
    return [f"semi ({language}) after the controls: {problem}" for problem in page_problems(page)]


PICTURES_SHOWN = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] img'))
    .map(picture => picture.getAttribute('src')).join(' ')"""


def pictures_shown(page: Page) -> str:
    """The addresses of every picture in the page's main area: a rerun that draws new pictures
    changes them."""
    return page.evaluate(PICTURES_SHOWN)


def plain_snippet(markdown: str, length: int = 40) -> str:
    """The end of a text as the browser shows it (without its markdown marks), to wait for."""
    plain = " ".join(markdown.replace("*", "").replace("`", "").split())
    return plain[-length:].strip()


def try_the_exercises(page: Page, language: str) -> list[str]:
    """On the self-supervised page, open each exercise in turn, then draw new questions and
    another digit: each shows the network's answers or a sentence with a command."""
    failures = []
    names = [t(f"paradigm.{task}.name", language) for task in
             ("rotation", "relative_position", "temporal_order", "contrastive", "autoencoder")]
    tasks = ("relative_position", "temporal_order", "contrastive", "autoencoder", "rotation")
    for task, name in zip(tasks, [*names[1:], names[0]]):  # the page opens on the first one
        button = page.locator('[data-testid="stButtonGroup"] button', has_text=name).first
        runs_before = runs_drawn(page)
        button.click()
        page.wait_for_function(
            "(b) => b.getAttribute('aria-checked') === 'true'", arg=button.element_handle()
        )
        # The rerun for the click has drawn the chosen exercise when its own words are shown.
        page.get_by_text(plain_snippet(t(f"self_supervised.task.{task}.limits", language))).first.wait_for(timeout=30_000)
        wait_until_drawn(page, after=runs_before)
        failures += [f"self_supervised ({language}, {name}): {p}" for p in page_problems(page)]
    for button_key in ("self_supervised.pairs.new", "self_supervised.digit.another"):
        control = page.get_by_role("button", name=t(button_key, language))
        if control.count():
            before = pictures_shown(page)
            runs_before = runs_drawn(page)
            control.first.click()
            # New questions or another digit: the pictures change when the rerun has drawn them.
            page.wait_for_function(f"() => ({PICTURES_SHOWN})() !== {json.dumps(before)}", timeout=30_000)
            wait_until_drawn(page, after=runs_before)
            failures += [
                f"self_supervised ({language}, {button_key}): {p}" for p in page_problems(page)
            ]
    print(f"self_supervised {language}  five exercises, new questions and another digit shown")
    return failures


def shows_within(page: Page, selector: str, count: int, timeout_ms: int = 30_000) -> bool:
    """Whether the page shows at least `count` elements matching `selector` within the time."""
    try:
        page.wait_for_function("([selector, count]) => document.querySelectorAll(selector).length >= count",
                               arg=[selector, count], timeout=timeout_ms)
        return True
    except PlaywrightTimeoutError:
        return False


def colourise_photos(page: Page, language: str) -> list[str]:
    """On the colourisation page: the sample photo shown three times (original, grey, colourised)
    with its figures, or a sentence naming the command that builds the colouriser. Uploads to
    this page are checked in the browser by scripts/hostile_upload_check.py."""
    if page.get_by_text("python -m training study --paradigm colourisation", exact=False).count() and \
            not page.locator('[data-testid="stImage"]').count():
        print(f"colourisation {language}  no colouriser in the bundle: the page names the study command")
        return []
    failures = []
    # Waited for, not counted at once: the script may still be drawing (a CI run read the page
    # before the figures were there).
    if not shows_within(page, '[data-testid="stImage"]', 3):
        failures.append(f"colourisation ({language}): the sample photo is not shown three times")
    if not shows_within(page, '[data-testid="stMetric"]', 2):
        failures.append(f"colourisation ({language}): the colour error and colourfulness are not shown")
    print(f"colourisation {language}  a sample photo colourised beside its original and grey version")
    return failures


def play_real_or_fake(page: Page, language: str) -> list[str]:
    """On the GAN page, vote "real" on the game's digit, then ask for a new grid: the reveal
    shows the discriminator's verdict. A bundle without GANs must say which command builds them."""
    vote = page.get_by_role("button", name=t("gan.game.vote_real", language))
    command = page.get_by_text("python -m training study --paradigm dcgan", exact=False)
    try:
        # The game comes far down the page: on a busy machine it is drawn after the page's top.
        vote.or_(command).first.wait_for(timeout=60_000)
    except PlaywrightTimeoutError:
        return [f"gan ({language}): no game and no command to build the GANs"]
    if not vote.count():
        print(f"gan     {language}  no GAN in the bundle: the page names the study command")
        return []
    runs_before = runs_drawn(page)
    vote.first.click()
    says = t("gan.game.discriminator", language, verdict="", confidence="", mark="")
    page.get_by_text(says.split("**")[0], exact=False).first.wait_for(timeout=20_000)
    wait_until_drawn(page, after=runs_before)
    failures = [f"gan ({language}, game): {problem}" for problem in page_problems(page)]
    grid = '[data-testid="stImage"] img'
    before = page.locator(grid).first.get_attribute("src")
    runs_before = runs_drawn(page)
    page.get_by_role("button", name=t("gan.grid.new", language)).first.click()
    # Another seed, another picture: wait for it rather than for a time.
    page.wait_for_function(
        "([selector, before]) => { const img = document.querySelector(selector); return img && img.src !== before; }",
        arg=[grid, before], timeout=30_000)
    wait_until_drawn(page, after=runs_before)
    failures += [f"gan ({language}, new grid): {problem}" for problem in page_problems(page)]
    print(f"gan     {language}  a vote on real or fake, the verdict shown, a new grid drawn")
    return failures


def play_the_2d_game(page: Page, language: str) -> list[str]:
    """On the GAN page, press the 2-D game's own play button (Plotly's, in the browser) and wait
    for the step shown above its slider to change, then pause. A bundle without the recording
    must say which command builds it."""
    chart = page.locator(".st-key-gan_2d_game")
    command = page.get_by_text("python -m training study --paradigm gan_2d", exact=False)
    try:
        chart.locator(".updatemenu-button").or_(command).first.wait_for(timeout=60_000)
    except PlaywrightTimeoutError:
        return [f"gan ({language}): no 2-D game and no command to record it"]
    if not chart.count():
        print(f"gan     {language}  no 2-D game in the bundle: the page names the study command")
        return []
    chart.scroll_into_view_if_needed()
    step_shown = ".st-key-gan_2d_game text.slider-label"  # the step written above the slider
    before = page.locator(step_shown).first.text_content()
    chart.locator(".updatemenu-button").filter(has_text=t("gan.game_2d.play", language)).first.click()
    try:
        # The frames play in the browser, no rerun: the step above the slider moves on its own.
        page.wait_for_function(
            "([selector, before]) => { const shown = document.querySelector(selector); "
            "return shown && shown.textContent !== before; }",
            arg=[step_shown, before], timeout=20_000)
    except PlaywrightTimeoutError:
        return [f"gan ({language}, 2-D game): play did not move the game on from {before!r}"]
    chart.locator(".updatemenu-button").filter(has_text=t("gan.game_2d.pause", language)).first.click()
    after = page.locator(step_shown).first.text_content()
    screenshot_whole_page(page, SCREENSHOT_DIRECTORY / f"gan-2d-game-{language}.png")
    print(f"gan     {language}  the 2-D game played from {before!r} to {after!r}, then paused")
    return [f"gan ({language}, 2-D game): {problem}" for problem in page_problems(page)]


def page_says(page: Page, text: str, timeout_ms: int = 60_000) -> None:
    """Wait until the page's text holds `text` (Markdown's ** left out, any kind of space)."""
    page.wait_for_function(
        """([wanted]) => {
            const plain = (s) => s.replace(/\\s+/g, ' ');
            return plain(document.body.innerText).includes(plain(wanted));
        }""",
        arg=[text.replace("**", "")],
        timeout=timeout_ms,
    )


def label_some_digits(page: Page, language: str) -> list[str]:
    """On the class-labels page: start a class, label five digits with the digit buttons, and
    see the class's curve drawn on the chart."""
    runs_before = runs_drawn(page)
    page.get_by_role("button", name=t("class_labels.start", language)).click()
    for count in range(1, 6):
        progress = t("class_labels.progress", language, labels=count, digits=count, disputed=0)
        # The click event goes to the button itself: a mouse click at its place, computed a
        # moment before, landed on "I can't tell" in 3 runs out of 3 after four labels, while
        # the page's last run was still laying the buttons out (a student clicks seconds later).
        # A click sent to a button that a run of the page then replaces is lost (1 full check in
        # 3): the page still counts the labels before, and the click is sent again.
        for attempt in range(3):
            button = page.get_by_role("button", name=str(count), exact=True)
            button.wait_for(timeout=60_000)
            # The run of the last click (or of "start"); a click that was lost started none.
            wait_until_drawn(page, after=runs_before if attempt == 0 else None)
            runs_before = runs_drawn(page)
            button.dispatch_event("click")
            try:
                page_says(page, progress, timeout_ms=20_000)
                break
            except PlaywrightTimeoutError:
                if attempt == 2:
                    raise
                page_says(page, t("class_labels.progress", language, labels=count - 1, digits=count - 1, disputed=0)
                          if count > 1 else t("class_labels.title", language))
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    wait_until_drawn(page, after=runs_before)
    # A drawing of the class's own, with its label (opening the fold runs nothing).
    drawing = page.locator('[data-testid="stExpander"]').filter(has_text=t("class_labels.draw_heading", language))
    drawing.get_by_text(t("class_labels.draw_heading", language)).click()
    runs_before = runs_drawn(page)
    stroke_a_seven(page, drawing.locator("canvas.digit-canvas__board"))
    wait_until_drawn(page, after=runs_before)
    runs_before = runs_drawn(page)
    drawing.get_by_role("radio", name="7", exact=True).click()  # st.pills: a radio group
    wait_until_drawn(page, after=runs_before)
    runs_before = runs_drawn(page)
    drawing.get_by_role("button", name=t("class_labels.add_drawing", language)).click()
    page_says(page, t("class_labels.drawing_added", language, digit=7))
    page_says(page, t("class_labels.progress", language, labels=6, digits=6, disputed=0))
    wait_until_drawn(page, after=runs_before)
    code = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    print(f"labels  {language}  class {code}: 5 labels and a drawn 7 given, the class's curve is on the chart")
    return [f"labels ({language}) after labelling: {problem}" for problem in page_problems(page)]


def choose_input(page: Page, label: str) -> None:
    """Choose another way to give a digit (not the one shown: that click would run nothing)."""
    before = runs_drawn(page)
    page.locator('[data-testid="stButtonGroup"] button', has_text=label).first.click()
    wait_until_drawn(page, after=before)


def upload_and_photograph(page: Page, base_url: str) -> list[str]:
    """A file that is not an image gets a sentence; a photo from the (fake) camera, whatever it
    shows, gets answers or a sentence, never a traceback."""
    failures = []
    page.goto(f"{base_url}/try_digit?lang=en")
    wait_until_drawn(page)
    choose_input(page, t("panel.upload", "en"))
    before = runs_drawn(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "digit.png", "mimeType": "image/png", "buffer": b"these bytes are not a picture"}
    )
    page.wait_for_selector('[data-testid="stAlertContentWarning"]', timeout=20_000)
    wait_until_drawn(page, after=before)
    if not page.get_by_text(t("digit.error.not_an_image", "en")).count():
        failures.append("try (upload): a file that is not an image gets no clear message")
    screenshot_whole_page(page, SCREENSHOT_DIRECTORY / "try-upload-not-an-image-en.png")
    failures += [f"try (upload): {problem}" for problem in page_problems(page)]

    choose_input(page, t("panel.camera", "en"))
    take_photo = page.locator('[data-testid="stCameraInputButton"]')
    take_photo.wait_for(timeout=20_000)
    # The fake camera's stream has started when its video has a picture to take.
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('video')).some(video => video.readyState >= 2)""",
        timeout=20_000,
    )
    before = runs_drawn(page)
    take_photo.click()
    page.wait_for_selector(
        '[data-testid="stMetric"], [data-testid="stAlertContentWarning"]', timeout=20_000
    )
    wait_until_drawn(page, after=before)
    screenshot_whole_page(page, SCREENSHOT_DIRECTORY / "try-camera-en.png")
    failures += [f"try (camera): {problem}" for problem in page_problems(page)]
    print("try     en  upload of a non-image and a fake-camera photo checked")
    return failures


def copy_the_lesson_link(page: Page, base_url: str) -> list[str]:
    """The sidebar's lesson link is the link of the view on screen, and opens that view."""
    page.goto(f"{base_url}/study?lang=en&seeds=0&panels=chart,table")
    wait_until_drawn(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(t("sidebar.lesson_link", "en")).click()  # a fold: opening it runs nothing
    code = sidebar.locator('[data-testid="stCode"] code')
    code.wait_for(timeout=20_000)
    link = code.inner_text().strip()
    screenshot_whole_page(page, SCREENSHOT_DIRECTORY / "study-lesson-link-en.png")
    print(f"study   en  lesson link shown: {link}")
    expected = f"{base_url}/study?lang=en&seeds=0&panels=chart,table"
    if link != expected:
        return [f"lesson link: {link!r} shown for the view {expected!r}"]
    return []


def follow_a_lesson_step(page: Page, base_url: str) -> list[str]:
    """Step 3 of the guided lesson opens the try page at 1 % labels, in the same language."""
    page.goto(f"{base_url}/lesson?lang=en")
    wait_until_drawn(page)
    label = t("lesson.open", "en", page=t("page.try_digit.title", "en"))
    before = runs_drawn(page)
    page.locator('[data-testid="stPageLink"] a', has_text=label).nth(1).click()
    page.wait_for_url("**/try_digit?*", timeout=20_000)
    wait_until_drawn(page, after=before)
    url = page.url
    print(f"lesson  en  step 3 opened {url}")
    failures = []
    if "fraction=1" not in url or "lang=en" not in url:
        failures.append(f"lesson: step 3 opened {url}, not the try page at 1 % in English")
    if not page.get_by_text("1% (40 labels)").count():
        failures.append("lesson: the try page did not open with the slider at 1 %")
    screenshot_whole_page(page, SCREENSHOT_DIRECTORY / "lesson-step-3-en.png")
    return failures


def open_a_student_link(page: Page, base_url: str) -> list[str]:
    """A student link: the chosen panels only, no sidebar, no controls."""
    page.goto(f"{base_url}/study?lang=fr&panels=chart,recheck&controls=hidden&projector=1")
    wait_until_drawn(page)
    screenshot_whole_page(page, SCREENSHOT_DIRECTORY / "study-student-fr.png")
    failures = [f"student view: {problem}" for problem in page_problems(page)]
    if page.locator('[data-testid="stSidebar"]').is_visible():
        failures.append("student view: the sidebar is visible")
    if page.locator('[data-testid="stMultiSelect"]').count():
        failures.append("student view: the paradigm and seed controls are visible")
    if page.locator('[data-testid="stDownloadButton"]').count():
        failures.append("student view: a panel the link did not choose (downloads) is shown")
    print("study   fr  student link checked")
    return failures


def main() -> int:
    projector_only = "--projector-only" in sys.argv
    if projector_only:
        sys.argv.remove("--projector-only")
    only = None
    if "--page" in sys.argv:  # read here, like --projector-only: the shared parser stays the same
        position = sys.argv.index("--page")
        only = sys.argv[position + 1] if position + 1 < len(sys.argv) else ""
        del sys.argv[position:position + 2]
        if only not in PAGES:
            print(f"Unknown page {only!r}. Pages: {', '.join(PAGES)}.", file=sys.stderr)
            return 2
    with served_dashboard(dashboard_arguments(__doc__.splitlines()[0], 8599)) as (base_url, _):
        SCREENSHOT_DIRECTORY.mkdir(parents=True, exist_ok=True)
        failures = check_projector(base_url) if projector_only else check(base_url, only)
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"screenshots in {SCREENSHOT_DIRECTORY}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
