"""A class at once: N students' sessions change widgets on the dashboard's heavy pages together.

    .venv/bin/python scripts/classroom_load_check.py                    # 30 students, own server
    .venv/bin/python scripts/classroom_load_check.py --sessions 100 --json build/classroom-load-100.json
    .venv/bin/python scripts/classroom_load_check.py --url http://127.0.0.1:8501 --server-pid 1234

It starts `streamlit run dashboard/app.py` headless on 127.0.0.1 (or uses the server --url names),
then opens --sessions student sessions at once. Each student follows the same lesson (LESSON
below): the "try your own digit" page (draw a 7, move the fraction slider), the study page (target
slider, seed pills), the GAN studio (new grid, another digit), the self-supervised page (another
task, new questions), the semi-supervised page (another digit, another moment of training) and
the colourisation page (another temperature),
--interactions steps in all, with a student's pause to read (--think seconds, jittered) between
two steps. Before them the "teacher" goes through the lesson once, not measured, so that the
app's caches are warm (--cold leaves this out). It prints and writes to --json (default
build/classroom-load.json):

- errors, which must be 0: an exception box, an error alert or a traceback text on the page, a
  page not found, a run that did not finish cleanly, a disconnect, an interaction with no answer
  within 60 s, an image the page shows that the server does not serve, a widget change that
  changed nothing on the page (a no-op would make every latency look good), a step not reached
  before --timeout, and tracebacks in the log of the server this script started;
- interaction latency, median and p95: from the widget change sent to the run's end
  (`script_finished`) and every image of the new page fetched, for widget changes (the issue's
  target: p95 under 1 s with 30 students) and for page opens separately;
- the server's resident memory (the streamlit process and its children): before, peak, at the end
  of the lesson and after the students have left; its CPU seconds per interaction; the wall time.

What it measures, and why not with browsers. Thirty students have thirty computers: the only
thing they share is the server. So each student here is a small client of Streamlit's own
protocol (the websocket /_stcore/stream, protobuf BackMsg and ForwardMsg from streamlit.proto),
which sends what the browser sends for the change (a `rerun_script` message with the widget's new
state, its id read from the elements the server drew) and receives everything the browser would
receive, fetching the page's images from /media/ as the browser does. One Python process drives
a hundred of them with little CPU, where thirty Chromium pages on a 2-core machine would measure
Chromium, not the server. Left out: each student's own browser drawing the page (Plotly, layout),
which does not grow with the class and which scripts/bench.py measures in a real browser; and
the browser's cache of repeated messages, so the server sends a little more here than it would.
The clients run on the server's machine, so their CPU time is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from PIL import Image, ImageDraw
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import StringArray
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY_ROOT))  # run as a script: the root holds scripts/

from scripts.browser_check import SERVER_ENVIRONMENT, stop_server, wait_until_serving  # noqa: E402

DEFAULT_JSON = REPOSITORY_ROOT / "build" / "classroom-load.json"
SERVER_LOG = REPOSITORY_ROOT / "build" / "classroom-load-server.log"
TARGET_P95_SECONDS = 1.0  # issue #9: with 30 students, p95 under 1 s and no error
INTERACTION_WAIT_SECONDS = 60
MESSAGE_CACHE_RUNS = 2  # Streamlit's global.maxCachedMessageAge, which the browser follows  # a student who waits longer than this has given up: an error
# Texts that mean a student is looking at a failure instead of a page (as in browser_check.py,
# which cannot be imported here without Playwright).
FAILURE_TEXTS = ("Traceback", "erreur inattendue", "unexpected error")


@dataclass(frozen=True)
class Step:
    """One thing a student does: open `page` (widget None) or change the widget keyed `widget`
    on it. After it, the main area must show an element of kind `must_show`."""

    page: str  # the page's URL path, its id in dashboard/core/page_registry.py
    widget: str | None  # the widget's key in the page file; None: open the page
    must_show: str | None
    description: str
    # A control some views of the page do not offer (new questions for the rotation task, whose
    # questions are always the same four turns): then the step is skipped, not failed.
    optional: bool = False


# A lesson, in the sidebar's order of the heavy pages. Students who have more --interactions than
# steps go round again; the values chosen for each widget are drawn at random per student.
LESSON = (
    Step("try_digit", None, "heading", "try: open the page"),
    Step("try_digit", "try_digit_canvas", "metric", "try: draw a 7 (every paradigm answers)"),
    Step("try_digit", "try_digit_fraction", "metric", "try: move the fraction slider"),
    Step("try_digit", "try_digit_fraction", "metric", "try: move the fraction slider again"),
    Step("study", None, "plotly_chart", "study: open the page"),
    Step("study", "study_target", None, "study: move the target accuracy slider"),
    Step("study", "study_seeds", "plotly_chart", "study: change the seeds averaged"),
    Step("gan", None, "imgs", "gan: open the page"),
    Step("gan", "gan_new_grid", "imgs", "gan: new grid"),
    Step("gan", "gan_digit", "imgs", "gan: ask the conditional GAN another digit"),
    Step("self_supervised", None, "imgs", "self_supervised: open the page"),
    Step("self_supervised", "self_supervised_task", "imgs", "self_supervised: another made-up task"),
    # Not "another digit": after drawing on the try page, this page shows the student's drawing.
    Step("self_supervised", "self_supervised_new_pairs", "imgs", "self_supervised: draw new questions", optional=True),
    Step("semi_supervised", None, "metric", "semi: open the page"),
    Step("semi_supervised", "semi_supervised_another_digit", "imgs", "semi: another test digit"),
    Step("semi_supervised", "semi_supervised_round", "metric", "semi: another moment of training"),
    Step("colourisation", None, "imgs", "colourisation: open the page"),
    Step("colourisation", "colourisation_temperature", "imgs", "colourisation: another temperature"),
)

# `--lesson labels`: the class-labels page. The teacher starts a class; each student opens the
# student link with its code, then labels the digit shown, step after step, as a person who
# reads it right would (the answer comes from the pool's hidden labels). At the end the
# projector's view (the chart alone) must show the class's curve at the number of labels given.
ANSWER_THE_DIGIT = "<the digit shown>"
LABELS_OPEN = Step("class_labels", None, "button", "labels: open the student link")
LABELS_ANSWER = Step("class_labels", ANSWER_THE_DIGIT, "imgs", "labels: label the digit shown")
LESSONS = {"tour": LESSON, "labels": (LABELS_OPEN, LABELS_ANSWER)}


# --- the server and its memory -----------------------------------------------------------------


def start_server(port: int, processes: int = 0) -> subprocess.Popen:
    """`streamlit run` on 127.0.0.1 only (or, with `processes`, that many behind the classroom
    proxy, scripts/classroom_server.py), its output kept in build/ to look for tracebacks."""
    streamlit = REPOSITORY_ROOT / ".venv" / "bin" / "streamlit"
    executable = str(streamlit) if streamlit.exists() else "streamlit"
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    if processes:
        python = streamlit.parent / "python"
        command = [str(python) if python.exists() else sys.executable, "scripts/classroom_server.py",
                   "--processes", str(processes), "--port", str(port)]
    else:
        command = [
            executable, "run", "dashboard/app.py", "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            # A class does not edit the app during a lesson. With the file watcher on, an edit to
            # a dashboard module (another engineer at work on this machine) makes Streamlit drop
            # the module from sys.modules while other sessions' runs import it: those runs fail
            # with KeyError: 'dashboard.core.i18n' and the like, which measures the edit, not the class.
            "--server.fileWatcherType", "none",
        ]
    with SERVER_LOG.open("wb") as log:
        server = subprocess.Popen(command, cwd=REPOSITORY_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                  env=SERVER_ENVIRONMENT)
    if wait_until_serving(f"http://127.0.0.1:{port}", 90 if processes else 30):
        return server
    stop_server(server)
    raise SystemExit(f"the dashboard did not start on port {port} in time (see {SERVER_LOG})")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (streamlit may start helper processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name, in brackets, may hold spaces: the parent id follows the last ')'.
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while we looked
        children.setdefault(parent, []).append(int(entry.name))
    tree, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        tree.append(current)
        waiting += children.get(current, [])
    return tree


def resident_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants, in MB."""
    total_kb = 0
    for member in process_tree(pid):
        try:
            status = (Path("/proc") / str(member) / "status").read_text()
        except OSError:
            continue
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0
        )
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of `pid` and its descendants."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = (Path("/proc") / str(member) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class MemoryTrace:
    """The server's resident memory, sampled every half second while the class works."""

    samples_mb: list[float] = field(default_factory=list)

    async def sample_until(self, pid: int, stop: asyncio.Event, every: float = 0.5) -> None:
        while not stop.is_set():
            self.samples_mb.append(resident_mb(pid))
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
            except TimeoutError:
                pass


# --- one student ---------------------------------------------------------------------------------


@dataclass
class Interaction:
    """One step done by one student, as the student met it."""

    student: int
    step: str
    kind: str  # "open" (a page opened from the sidebar) or "widget" (a widget changed)
    seconds: float | None  # change sent -> run finished and the page's images fetched
    script_seconds: float | None  # change sent -> run finished (script_finished)
    images: int
    error: str | None
    # What the server sent for the step: websocket messages (after decompression) and images.
    bytes_received: int = 0
    # The server's CPU time during the step: exact with one student (--sessions 1), shared out
    # by nobody when several run at once (then None).
    server_cpu_s: float | None = None


@dataclass
class Rerun:
    """What the server sent for one script run, as far as a student would notice."""

    # The elements are protobuf messages of many kinds (Button, Metric, PlotlyChart...), read by
    # their fields: typed as Any.
    elements: list[tuple[tuple[int, ...], str, Any]] = field(default_factory=list)
    widgets: dict[str, tuple[str, str, Any]] = field(default_factory=dict)  # key -> id, kind, proto
    problems: list[str] = field(default_factory=list)
    image_fetches: list[asyncio.Task] = field(default_factory=list)
    script_done: float | None = None
    # Elements and widgets drawn inside an st.fragment, by delta path and by key: a widget
    # there reruns only its fragment, and the browser keeps the rest of the page.
    fragments: dict[tuple[int, ...], str] = field(default_factory=dict)
    widget_fragments: dict[str, str] = field(default_factory=dict)

    def with_fragment(self, fragment: str, run: "Rerun") -> "Rerun":
        """The page after `run`, a rerun of `fragment` alone: the rest stays as it was."""
        merged = Rerun(problems=run.problems, image_fetches=run.image_fetches, script_done=run.script_done)
        merged.elements = [e for e in self.elements if self.fragments.get(e[0]) != fragment] + run.elements
        merged.fragments = {**{p: f for p, f in self.fragments.items() if f != fragment}, **run.fragments}
        merged.widgets = {**{k: w for k, w in self.widgets.items()
                             if self.widget_fragments.get(k) != fragment}, **run.widgets}
        merged.widget_fragments = {**{k: f for k, f in self.widget_fragments.items() if f != fragment},
                                   **run.widget_fragments}
        return merged

    def main_area(self, leaving_out: str | None = None) -> list[tuple[str, Any]]:
        """The page's own elements (not the sidebar's), without the widget `leaving_out`."""
        left_out = self.widgets.get(leaving_out, (None,))[0] if leaving_out else None
        return [
            (kind, element) for path, kind, element in self.elements
            if path and path[0] == 0 and (left_out is None or getattr(element, "id", None) != left_out)
        ]

    def fingerprint(self, leaving_out: str | None = None) -> str:
        digest = hashlib.sha1()
        for kind, element in self.main_area(leaving_out):
            digest.update(kind.encode())
            digest.update(element.SerializeToString(deterministic=True))
        return digest.hexdigest()


def widget_key(element_id: str) -> str:
    """A keyed widget's id is `$$ID-<hash>-<key>`; the key is what the page file names."""
    return element_id.split("-", 2)[2] if element_id.startswith("$$ID-") else element_id


def drawn_seven(rng: random.Random) -> str:
    """A 7 as the canvas would send it: a PNG data URL of dark ink on white, 280 x 280, drawn a
    little differently by each student so that the models read a new picture each time."""
    canvas = Image.new("RGBA", (280, 280), (255, 255, 255, 255))
    pen = ImageDraw.Draw(canvas)
    dx, dy = rng.randint(-25, 25), rng.randint(-25, 25)
    stroke = [(62 + dx, 56 + dy), (218 + dx, 56 + dy), (134 + dx, 236 + dy)]
    pen.line(stroke, fill=(17, 17, 17, 255), width=20, joint="curve")
    encoded = io.BytesIO()
    canvas.save(encoded, format="PNG")
    return "data:image/png;base64," + base64.b64encode(encoded.getvalue()).decode("ascii")


def server_set_value(kind: str, element) -> list | None:
    """The value the server gave a widget in this run (`set_value`: the page code chose it),
    as the browser then shows it; None when the server left the widget's value alone."""
    if not getattr(element, "set_value", False):
        return None
    if kind == "slider":
        return list(element.raw_value) if element.options else list(element.value)
    if kind == "button_group":
        return list(element.raw_values)
    return None


def changed_state(widget_id: str, kind: str, element, shown: list | None,
                  rng: random.Random) -> WidgetState:
    """The state the browser would send after a student changes this widget from the value
    `shown` (None: the widget's default) to another one."""
    state = WidgetState(id=widget_id)
    if kind == "button":
        state.trigger_value = True
    elif kind == "bidi_component":  # the digit canvas: what digit_canvas.js sets on a stroke
        state.json_value = json.dumps({"drawing": drawn_seven(rng)})
    elif kind == "slider" and element.options:  # st.select_slider: the option's text
        current = shown[0] if shown else element.options[int(element.default[0])]
        others = [option for option in element.options if option != current]
        state.string_array_value.CopyFrom(StringArray(data=[rng.choice(others)]))
    elif kind == "slider":
        current = shown[0] if shown else element.default[0]
        others = [v for v in range(int(element.min), int(element.max) + 1) if v != current]
        state.double_array_value.data.append(float(rng.choice(others)))
    elif kind == "button_group":
        options = [option.content for option in element.options]
        current = shown if shown is not None else [options[index] for index in element.default]
        if element.click_mode == element.MULTI_SELECT:  # pills: leave one out, or take all back
            left_out = rng.choice(options)
            chosen = options if len(current) < len(options) else [o for o in options if o != left_out]
        else:
            chosen = [rng.choice([option for option in options if option not in current])]
        state.string_array_value.CopyFrom(StringArray(data=chosen))
    else:
        raise ValueError(f"this check does not know how to change a {kind} widget")
    return state


def describe_value(state: WidgetState) -> str:
    """The value a widget state carries, short enough for an error line."""
    field_name = state.WhichOneof("value")
    if field_name is None:
        return "no value"
    if field_name == "json_value":
        return "a drawing"
    value = getattr(state, field_name)
    return f"{field_name} {list(value.data) if hasattr(value, 'data') else value}"


class Student:
    """One student's browser tab, as the server sees it: a websocket session and its widgets."""

    def __init__(self, index: int, base_url: str, language: str, rng: random.Random,
                 query: str = "", truth=None):
        self.index = index
        self.base_url = base_url.rstrip("/")
        self.host = urlparse(self.base_url).hostname
        self.port = urlparse(self.base_url).port or 80
        self.language = language
        self.rng = rng
        self.connection: ClientConnection | None = None
        self.incoming: asyncio.Queue[ForwardMsg | None] = asyncio.Queue()
        self.page_hashes: dict[str, str] = {}  # URL path -> page_script_hash, from `navigation`
        self.page: str | None = None
        self.query_string = f"lang={language}" + (f"&{query}" if query else "")
        self.truth = truth  # the pool's hidden labels, for `--lesson labels`
        self.states: dict[str, WidgetState] = {}  # this page's widgets the student has set
        # What each widget shows when the page code, not the student, chose it: the browser
        # keeps a value the server set until the student changes it.
        self.shown_by_server: dict[str, list] = {}
        self.last: Rerun = Rerun()
        self.bytes_received = 0
        self.cookie = ""  # the classroom proxy's sticky-session cookie, once the page is loaded
        self.server_pid: int | None = None  # set when this student is alone: CPU per step
        # The browser's cache of big messages: hash -> (message, the run that last used it).
        self.message_cache: dict[str, tuple[ForwardMsg, int]] = {}
        self.runs = 0
        self.closed_because = "the connection closed"

    async def connect(self) -> None:
        stream = "ws" + self.base_url[len("http"):] + "/_stcore/stream"
        # As a browser does: load the page first. Behind the classroom proxy its answer sets the
        # cookie that keeps this student on one dashboard process (websocket, images).
        page = await self._get("/")
        self.cookie = "; ".join(
            line.split(":", 1)[1].split(";", 1)[0].strip()
            for line in page.decode("latin-1").split("\r\n\r\n", 1)[0].split("\r\n")
            if line.lower().startswith("set-cookie:")
        )
        # The Origin a browser on the app's own page sends: the server refuses others. No
        # keepalive pings of our own: a browser sends none, and a busy server answering one late
        # would make this client, not the server, close the connection.
        self.connection = await connect(
            stream, subprotocols=[Subprotocol("streamlit")], origin=Origin(self.base_url), max_size=None,
            open_timeout=INTERACTION_WAIT_SECONDS, ping_interval=None,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )
        asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            assert self.connection is not None  # connect() opened it before starting this reader
            async for frame in self.connection:
                self.bytes_received += len(frame)
                message = ForwardMsg()
                message.ParseFromString(frame)
                self.incoming.put_nowait(message)
        except ConnectionClosed as closed:
            received, sent = closed.rcvd, closed.sent
            self.closed_because = (
                f"the server closed the connection (code {received.code} {received.reason!r})"
                if received is not None
                else f"the connection closed (code {sent.code if sent else None}, sent by this client)"
            )
        self.incoming.put_nowait(None)  # the connection is gone

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()

    async def do(self, step: Step) -> Interaction | None:
        """Do one step and wait, as a student waits, for the page to be drawn again."""
        if step.widget is None:
            # From the sidebar: the page's own path, no query string (the sidebar drops it)
            # and no widget state (the widgets of the page left behind are gone).
            opening_first_page = self.page is None
            self.page, self.states, self.shown_by_server = step.page, {}, {}
            message = BackMsg()
            message.rerun_script.page_name = step.page
            message.rerun_script.page_script_hash = self.page_hashes.get(step.page, "")
            # The first page is opened from a link, with the language in it.
            message.rerun_script.query_string = self.query_string if opening_first_page else ""
        else:
            if self.page != step.page:
                raise ValueError(f"{step.description}: the lesson changes a widget of a page not open")
            widget = self._answer_key() if step.widget == ANSWER_THE_DIGIT else step.widget
            found = self.last.widgets.get(widget) if widget else None
            if found is None and step.optional:
                return None
            if found is None:
                return self.not_done(step, f"no widget keyed {step.widget!r} on the page to change")
            assert widget is not None  # found is None without one
            widget_id, kind, element = found
            changed = changed_state(widget_id, kind, element, self._shown(widget_id, kind), self.rng)
            fragment = self.last.widget_fragments.get(widget, "")
            message = BackMsg()
            message.rerun_script.fragment_id = fragment
            message.rerun_script.page_name = self.page
            message.rerun_script.page_script_hash = self.page_hashes.get(self.page, "")
            message.rerun_script.query_string = self.query_string
            # A button's click is sent once; other widgets keep their value in every later run.
            states = {**self.states, widget_id: changed}
            message.rerun_script.widget_states.widgets.extend(states.values())
            if kind != "button":
                self.states[widget_id] = changed
        message.rerun_script.context_info.url = f"{self.base_url}/{self.page}?{self.query_string}"
        # As the browser does: the big messages it still holds are sent back as references.
        message.rerun_script.cached_message_hashes.extend(self.message_cache)
        message.rerun_script.context_info.locale = self.language
        sent = "" if step.widget is None else f" ({describe_value(changed)})"
        step = step if step.widget != ANSWER_THE_DIGIT else Step(step.page, widget, step.must_show, step.description)
        before = self.last
        bytes_before = self.bytes_received
        cpu_before = cpu_seconds(self.server_pid) if self.server_pid else None
        started = time.perf_counter()
        assert self.connection is not None, "connect() first"
        await self.connection.send(message.SerializeToString())
        rerun = await self._collect_rerun()
        if step.widget is not None and fragment:
            rerun = self.last.with_fragment(fragment, rerun)
        images = [await fetch for fetch in rerun.image_fetches]
        finished = time.perf_counter()
        server_cpu = (cpu_seconds(self.server_pid) - cpu_before
                      if self.server_pid and cpu_before is not None else None)
        self.last = rerun
        problems = list(rerun.problems) + [problem for problem in images if problem]
        if rerun.script_done is not None:
            problems += self._noticed_problems(step, before, rerun, sent)
        return Interaction(
            student=self.index,
            step=step.description,
            kind="open" if step.widget is None else "widget",
            seconds=None if rerun.script_done is None else finished - started,
            script_seconds=None if rerun.script_done is None else rerun.script_done - started,
            images=len(images),
            error="; ".join(problems) or None,
            bytes_received=self.bytes_received - bytes_before,
            server_cpu_s=server_cpu,
        )

    def _answer_key(self) -> str | None:
        """The key of the button with the right digit for the digit the page shows now."""
        keys = [key for key in self.last.widgets if key.startswith("class_labels_answer_")]
        if not keys or self.truth is None:
            return None
        position = int(keys[0].rsplit("_", 2)[1])
        return f"class_labels_answer_{position}_{int(self.truth[position])}"

    def _shown(self, widget_id: str, kind: str) -> list | None:
        """The value the student sees on a widget: the one they last set, else the server's."""
        state = self.states.get(widget_id)
        if state is None:
            return self.shown_by_server.get(widget_id)
        if kind == "slider" and state.HasField("double_array_value"):
            return list(state.double_array_value.data)
        return list(state.string_array_value.data)

    def not_done(self, step: Step, problem: str) -> Interaction:
        kind = "open" if step.widget is None else "widget"
        return Interaction(self.index, step.description, kind, None, None, 0, problem)

    def _noticed_problems(self, step: Step, before: Rerun, after: Rerun, sent: str) -> list[str]:
        """What a student would see wrong on the new page, or a change that did nothing."""
        problems = []
        shown_elements = after.main_area()
        kinds = {kind for kind, _ in shown_elements}
        if step.must_show and step.must_show not in kinds:
            # Say what the student saw instead: a notice (a busy class book, an unknown code)
            # tells why, where "no button" alone leaves the reader guessing.
            notices = [element.body[:120] for kind, element in shown_elements if kind == "alert"]
            shown = f" (the page said: {' | '.join(notices)})" if notices else ""
            problems.append(f"no {step.must_show} on the page after the step{shown}")
        if step.widget and after.fingerprint(step.widget) == before.fingerprint(step.widget):
            problems.append(f"the page did not change: the widget change{sent} did nothing")
        return problems

    async def _collect_rerun(self) -> Rerun:
        """Every message of the run the step started, up to its `script_finished`."""
        rerun = Rerun()
        deadline = time.perf_counter() + INTERACTION_WAIT_SECONDS
        while True:
            try:
                message = await asyncio.wait_for(
                    self.incoming.get(), timeout=max(0.0, deadline - time.perf_counter())
                )
            except TimeoutError:
                rerun.problems.append(f"no answer from the server within {INTERACTION_WAIT_SECONDS} s")
                return rerun
            if message is None:
                self.incoming.put_nowait(None)  # later steps must see the disconnect too
                rerun.problems.append(self.closed_because)
                return rerun
            kind = message.WhichOneof("type")
            if kind == "delta":
                self._take_delta(message, rerun)
            elif kind == "navigation":
                self.page_hashes = {page.url_pathname: page.page_script_hash
                                    for page in message.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "page_not_found":
                rerun.problems.append(f"page not found: {message.page_not_found.page_name!r}")
            elif kind == "ref_hash":
                cached = self.message_cache.get(message.ref_hash)
                if cached is None:
                    rerun.problems.append("the server sent a reference to a message never received")
                else:
                    whole = ForwardMsg()
                    whole.CopyFrom(cached[0])
                    whole.metadata.CopyFrom(message.metadata)
                    self.message_cache[message.ref_hash] = (cached[0], self.runs)
                    self._take_delta(whole, rerun)
            elif kind == "script_finished":
                status = message.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app asked for another run (st.rerun): that one ends the step
                self._age_message_cache()
                if status not in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    rerun.problems.append(f"the run ended with status {ForwardMsg.ScriptFinishedStatus.Name(status)}")
                rerun.script_done = time.perf_counter()
                return rerun

    def _age_message_cache(self) -> None:
        """The browser's rule (global.maxCachedMessageAge): a message not used in the last two
        runs is forgotten."""
        self.runs += 1
        self.message_cache = {key: value for key, value in self.message_cache.items()
                              if self.runs - value[1] <= MESSAGE_CACHE_RUNS}

    def _take_delta(self, message: ForwardMsg, rerun: Rerun) -> None:
        if message.hash and message.metadata.cacheable:
            self.message_cache[message.hash] = (message, self.runs)
        if message.delta.WhichOneof("type") != "new_element":
            return
        kind = message.delta.new_element.WhichOneof("type")
        if kind is None:
            return
        element = getattr(message.delta.new_element, kind)
        path = tuple(message.metadata.delta_path)
        rerun.elements.append((path, kind, element))
        element_id = getattr(element, "id", "")
        if message.delta.fragment_id:
            rerun.fragments[path] = message.delta.fragment_id
        if element_id:
            rerun.widgets[widget_key(element_id)] = (element_id, kind, element)
            if message.delta.fragment_id:
                rerun.widget_fragments[widget_key(element_id)] = message.delta.fragment_id
            set_by_server = server_set_value(kind, element)
            if set_by_server is not None:
                self.shown_by_server[element_id] = set_by_server
                self.states.pop(element_id, None)  # the browser now shows the server's value
        if kind == "exception":
            rerun.problems.append(f"an exception box: {element.type}: {element.message[:120]}")
        elif kind == "alert" and element.format == element.ERROR:
            rerun.problems.append(f"an error message: {element.body[:120]}")
        text = getattr(element, "body", "") if kind in ("markdown", "alert") else ""
        rerun.problems += [f"the text {failure!r} on the page" for failure in FAILURE_TEXTS if failure in text]
        if kind == "imgs":
            # The browser fetches each image as soon as its element arrives.
            for image in element.imgs:
                if image.url.startswith("/media/"):
                    rerun.image_fetches.append(asyncio.get_running_loop().create_task(self._fetch(image.url)))

    async def _get(self, path: str) -> bytes:
        """The raw HTTP response to a GET of `path`, with this student's cookie."""
        reader, writer = await asyncio.open_connection(self.host, self.port)
        cookie = f"Cookie: {self.cookie}\r\n" if self.cookie else ""
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{cookie}"
                     "Connection: close\r\n\r\n".encode("ascii"))
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout=INTERACTION_WAIT_SECONDS)
        writer.close()
        return response

    async def _fetch(self, path: str) -> str | None:
        """GET one image from the server; a sentence if it is not served."""
        try:
            response = await self._get(path)
        except (OSError, TimeoutError) as error:
            return f"image {path} not fetched: {error!r}"
        self.bytes_received += len(response)
        status = response.split(b"\r\n", 1)[0]
        return None if b" 200 " in status + b" " else f"image {path}: {status.decode(errors='replace')}"


def lesson_steps(lesson: str, interactions: int) -> list[Step]:
    """The steps one student does: the tour round and round, or the labels page opened once and
    then one digit labelled per step."""
    if lesson == "labels":
        return [LABELS_OPEN] + [LABELS_ANSWER] * (interactions - 1)
    return [LESSON[number % len(LESSON)] for number in range(interactions)]


async def attend_lesson(student: Student, interactions: int, think: float, arrival: float,
                        deadline: float, lesson: str = "tour") -> list[Interaction]:
    """One student: arrive, follow the lesson for `interactions` steps, pausing to read."""
    await asyncio.sleep(arrival)
    done: list[Interaction] = []
    steps = lesson_steps(lesson, interactions)
    try:
        await student.connect()
    except (OSError, TimeoutError, ConnectionClosed) as error:
        return [Interaction(student.index, steps[0].description, "open", None, None, 0,
                            f"could not connect: {error!r}")]
    try:
        for step in steps:
            if time.perf_counter() > deadline:
                done.append(student.not_done(step, "not reached before --timeout"))
                continue
            interaction = await student.do(step)
            if interaction is None:  # an optional control this view does not offer
                continue
            done.append(interaction)
            if interaction.seconds is None:  # disconnected or never answered: the student has left
                done += [student.not_done(later, "not reached: the session had failed")
                         for later in steps[len(done):]]
                break
            await asyncio.sleep(student.rng.uniform(0.5 * think, 1.5 * think))
    finally:
        await student.close()
    return done


# --- the class, and its figures ------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (linear between ranks)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_figures(interactions: list[Interaction]) -> dict:
    seconds = [i.seconds for i in interactions if i.seconds is not None]
    script = [i.script_seconds for i in interactions if i.script_seconds is not None]
    if not seconds:
        return {"count": 0}
    return {
        "count": len(seconds),
        "median_s": statistics.median(seconds),
        "p95_s": percentile(seconds, 0.95),
        "max_s": max(seconds),
        "script_median_s": statistics.median(script),
        "script_p95_s": percentile(script, 0.95),
        "bytes_median": statistics.median(i.bytes_received for i in interactions if i.seconds is not None),
        **({"server_cpu_median_ms": 1000 * statistics.median(cpu)} if (cpu := [
            i.server_cpu_s for i in interactions if i.server_cpu_s is not None]) else {}),
    }


def server_log_tracebacks() -> list[str]:
    if not SERVER_LOG.exists():
        return []
    lines = SERVER_LOG.read_text(errors="replace").splitlines()
    return [f"server log: {lines[n + 1][:150] if n + 1 < len(lines) else line}"
            for n, line in enumerate(lines) if line.startswith("Traceback")]


def pool_truth():
    """The hidden labels of the shipped pool (what a student who reads each digit right says)."""
    from dashboard.core.bundle_reader import load_manifest, locate_bundle
    from dashboard.topics.class_labels.labelling import load_label_pool

    manifest = load_manifest(locate_bundle())
    dataset = next(d for d in manifest.datasets if d.pool_file)
    return load_label_pool(manifest.bundle_directory, dataset).hidden_labels


async def class_code_of(base_url: str, rng: random.Random, deadline: float) -> tuple[str | None, list[Interaction]]:
    """The teacher opens the class-labels page and clicks "Start a class"; the code it shows."""
    teacher = Student(-1, base_url, "fr", rng)
    steps = [Step("class_labels", None, "button", "teacher: open the class-labels page"),
             Step("class_labels", "class_labels_start", "metric", "teacher: start a class")]
    done: list[Interaction] = []
    await teacher.connect()
    try:
        for step in steps:
            interaction = await teacher.do(step)
            if interaction is not None:  # None only for an optional step
                done.append(interaction)
    finally:
        await teacher.close()
    codes = [element.body for kind, element in teacher.last.main_area() if kind == "metric"]
    return (codes[0] if codes else None), done


async def projector_shows(base_url: str, code: str, labels: int, rng: random.Random) -> str | None:
    """Open the projector's view (the chart alone) of the class: None if its chart draws the
    class's curve up to `labels` labels, else what is wrong."""
    projector = Student(-2, base_url, "fr", rng, query=f"class={code}&panels=chart")
    await projector.connect()
    try:
        interaction = await projector.do(Step("class_labels", None, "plotly_chart", "projector: the class's chart"))
    finally:
        await projector.close()
    if interaction is None:  # only an optional step gives none; this one is not
        return "the projector's view did not open"
    if interaction.error:
        return interaction.error
    charts = [element for kind, element in projector.last.main_area() if kind == "plotly_chart"]
    if not charts:
        return "no chart on the projector's view"
    # The class's curves are plain lists; the study's yardstick may be a typed array.
    ends = [trace["x"][-1] for trace in json.loads(charts[0].spec)["data"]
            if isinstance(trace.get("x"), list) and trace["x"]]
    return None if labels in ends else f"the chart's curves end at {sorted(set(ends))}, not at {labels} labels"


async def run_class(arguments: argparse.Namespace, base_url: str, server_pid: int | None) -> dict:
    rng = random.Random(arguments.seed)
    deadline = time.perf_counter() + arguments.timeout
    query, truth = "", None
    setup: list[Interaction] = []
    if arguments.lesson == "labels":
        truth = pool_truth()
        code, setup = await class_code_of(base_url, random.Random(rng.random()), deadline)
        query = f"class={code}&panels=label&controls=hidden"
    students = [
        Student(index, base_url, "fr" if index % 2 else "en", random.Random(rng.random()), query, truth)
        for index in range(arguments.sessions)
    ]
    if arguments.sessions == 1 and server_pid:
        students[0].server_pid = server_pid  # alone: the server's CPU per step is this student's
    warm_up: list[Interaction] = list(setup)
    warm_up_seconds = 0.0
    if not arguments.cold and arguments.lesson == "tour":
        # The teacher goes through the lesson once before the class arrives, as a teacher
        # preparing it would: the app's caches (models, figures, the GAN page's quality
        # measures) are filled, so the figures are those of a class, not of a first visit.
        teacher = Student(-1, base_url, "fr", random.Random(rng.random()))
        warm_up_started = time.perf_counter()
        warm_up = await attend_lesson(teacher, len(LESSON), 0.0, 0.0, deadline)
        warm_up_seconds = time.perf_counter() - warm_up_started
    memory, stop_sampling = MemoryTrace(), asyncio.Event()
    sampler = None
    memory_before = cpu_before = None
    if server_pid:
        memory_before, cpu_before = resident_mb(server_pid), cpu_seconds(server_pid)
        sampler = asyncio.get_running_loop().create_task(memory.sample_until(server_pid, stop_sampling))
    client_cpu_before = time.process_time()
    started = time.perf_counter()
    lessons = await asyncio.gather(*(
        attend_lesson(student, arguments.interactions, arguments.think,
                      rng.uniform(0, arguments.arrival), deadline, arguments.lesson)
        for student in students
    ))
    wall_seconds = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu_before
    interactions = [interaction for lesson in lessons for interaction in lesson]
    figures: dict = {
        "sessions": arguments.sessions,
        "interactions_per_session": arguments.interactions,
        "think_s": arguments.think,
        "warm_up_s": None if arguments.cold else warm_up_seconds,
        "arrival_s": arguments.arrival,
        "wall_s": wall_seconds,
        "interactions_done": sum(1 for i in interactions if i.seconds is not None),
        "interactions_per_s": sum(1 for i in interactions if i.seconds is not None) / wall_seconds,
        "client_cpu_s": client_cpu,
        # After the websocket's own decompression: what the server serialised for the students.
        "received_mb": sum(student.bytes_received for student in students) / 1e6,
        "processes": arguments.processes,
    }
    if server_pid and cpu_before is not None and sampler is not None:
        memory_end = resident_mb(server_pid)
        server_cpu = cpu_seconds(server_pid) - cpu_before
        await asyncio.sleep(3)  # the server lets the closed sessions go
        stop_sampling.set()
        await sampler
        figures["server_memory_mb"] = {
            "before": memory_before,
            "peak": max(memory.samples_mb + [memory_end]),
            "end_of_lesson": memory_end,
            "after_students_left": resident_mb(server_pid),
        }
        figures["server_cpu_s"] = server_cpu
        figures["server_cpu_ms_per_interaction"] = 1000 * server_cpu / max(1, figures["interactions_done"])
    figures["latency"] = {
        "widget_changes": latency_figures([i for i in interactions if i.kind == "widget"]),
        "page_opens": latency_figures([i for i in interactions if i.kind == "open"]),
        "all": latency_figures(interactions),
        "by_step": {
            step.description: latency_figures([i for i in interactions if i.step == step.description])
            for step in dict.fromkeys(LESSONS[arguments.lesson])
        },
    }
    errors = [f"student {i.student}, {i.step}: {i.error}" for i in interactions if i.error]
    if arguments.lesson == "labels":
        labels_given = sum(1 for i in interactions if i.step == LABELS_ANSWER.description and not i.error)
        figures["labels_given"] = labels_given
        if code is None:
            errors.append("the teacher's page showed no class code")
        else:
            problem = await projector_shows(base_url, code, labels_given, random.Random(rng.random()))
            figures["projector_chart"] = problem or f"the class's curve reaches {labels_given} labels"
            if problem:
                errors.append(f"projector: {problem}")
    errors += [f"teacher's warm-up, {i.step}: {i.error}" for i in warm_up if i.error]
    if server_pid and not arguments.url:
        errors += server_log_tracebacks()
    figures["errors"] = len(errors)
    figures["error_examples"] = errors[:30]
    figures["interactions"] = [asdict(i) for i in interactions]
    return figures


def print_figures(figures: dict) -> None:
    print(f"{figures['sessions']} students x {figures['interactions_per_session']} steps, "
          f"{figures['think_s']:g} s to read between steps, in {figures['wall_s']:.1f} s "
          f"({figures['interactions_per_s']:.1f} interactions/s)")
    where = f"{figures['processes']} processes behind the proxy" if figures.get("processes") else "one process"
    print(f"server: {where}")
    print(f"{'step':58s} {'n':>5s} {'median':>8s} {'p95':>8s} {'max':>8s} {'kB':>6s} {'CPU':>7s}")
    latency = figures["latency"]
    rows = [*latency["by_step"].items(), ("all widget changes", latency["widget_changes"]),
            ("all page opens", latency["page_opens"])]
    for name, row in rows:
        if row["count"]:
            cpu = f"{row['server_cpu_median_ms']:5.0f}ms" if "server_cpu_median_ms" in row else "      -"
            print(f"{name:58s} {row['count']:5d} {1000 * row['median_s']:6.0f}ms "
                  f"{1000 * row['p95_s']:6.0f}ms {1000 * row['max_s']:6.0f}ms "
                  f"{row['bytes_median'] / 1000:6.1f} {cpu}")
    memory = figures.get("server_memory_mb")
    if memory:
        print(f"server memory: {memory['before']:.0f} MB before, peak {memory['peak']:.0f} MB, "
              f"{memory['end_of_lesson']:.0f} MB at the end, {memory['after_students_left']:.0f} MB "
              f"after the students left")
        print(f"server CPU: {figures['server_cpu_s']:.1f} s ({figures['server_cpu_ms_per_interaction']:.0f} ms "
              f"per interaction); these clients: {figures['client_cpu_s']:.1f} s; "
              f"{figures['received_mb']:.0f} MB of messages received")
    widget = latency["widget_changes"]
    if widget["count"]:
        verdict = "met" if widget["p95_s"] < TARGET_P95_SECONDS else "NOT met"
        print(f"widget changes: p95 {1000 * widget['p95_s']:.0f} ms, target under "
              f"{1000 * TARGET_P95_SECONDS:.0f} ms: {verdict}")
    print(f"{figures['errors']} error(s)")
    for example in figures["error_examples"]:
        print(f"  {example}")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="students at once (default 30)")
    parser.add_argument("--lesson", choices=sorted(LESSONS), default="tour",
                        help="tour: the heavy pages (default); labels: the class labels digits on "
                             "the class-labels page, then the projector's chart must show its point")
    parser.add_argument("--interactions", type=int, default=len(LESSON),
                        help=f"steps per student (default {len(LESSON)}: the tour once)")
    parser.add_argument("--think", type=float, default=3.0,
                        help="seconds a student reads between steps, drawn from 0.5x to 1.5x (default 3)")
    parser.add_argument("--arrival", type=float, default=5.0,
                        help="students arrive at random within this many seconds (default 5)")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up: the class meets the app's empty caches (default: the "
                             "teacher goes through the lesson once first, not measured)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="the whole run stops after this many seconds; steps not reached are errors")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"figures (default {DEFAULT_JSON.relative_to(REPOSITORY_ROOT)})")
    parser.add_argument("--url", help="a dashboard already running; default: start one on 127.0.0.1")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's process id, to measure its memory")
    parser.add_argument("--port", type=int, default=8641, help="port of the server this starts")
    parser.add_argument("--processes", type=int, default=0,
                        help="0 (default): one `streamlit run`; N: N dashboard processes behind the "
                             "classroom proxy (scripts/classroom_server.py, HAProxy), as `make classroom`")
    parser.add_argument("--seed", type=int, default=0, help="seed of the students' choices and pauses")
    arguments = parser.parse_args()
    if arguments.sessions < 1 or arguments.interactions < 1:
        parser.error("--sessions and --interactions must be at least 1")
    if arguments.url and urlparse(arguments.url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("this check only loads a server on this machine (127.0.0.1)")
    return arguments


def main() -> int:
    arguments = parse_arguments()
    server = None if arguments.url else start_server(arguments.port, arguments.processes)
    try:
        base_url = arguments.url or f"http://127.0.0.1:{arguments.port}"
        server_pid = server.pid if server else arguments.server_pid
        figures = asyncio.run(run_class(arguments, base_url, server_pid))
    finally:
        if server is not None:
            stop_server(server)
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(figures, indent=1))
    print_figures(figures)
    print(f"figures in {arguments.json}")
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
