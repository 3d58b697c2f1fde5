"""Install like a teacher (issue #22): no clone, no make, one command.

The wheel is built from this tree, installed into a fresh virtual environment outside the
repository with another Python than the development one (3.12; `.venv` is 3.11), and its
`paradigm-lab` command is started from a directory that is not the repository. Every page of the
registry is then opened in Debian's chromium: no error box, the models of the bundle that the
wheel carries, and the settings of dashboard/.streamlit/config.toml in force.

Windows and macOS cannot be run here; what can be checked of them is that the dashboard side
(dashboard/ and the launcher) calls nothing that exists only on Linux or POSIX, uses no
hard-coded system path and starts no shell: the last tests below read its source.

Without Python 3.12 or chromium the install test skips, except where
PARADIGM_LAB_REQUIRE_PYTHON312=1 (.ci/run) or PARADIGM_LAB_REQUIRE_BROWSER=1 (make test) says it
must run: there it fails.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.core.i18n import t
from dashboard.core.page_registry import HOME_PAGE, PAGES

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "exported_models"
CONFIG = ROOT / "dashboard" / ".streamlit" / "config.toml"
# What the build reads: the project's metadata and the folders it packages.
BUILD_SOURCES = ("pyproject.toml", "README.md", "dashboard", "paradigm_lab", "training", "exported_models")
# Written beside the bundle's files while the study runs; never shipped.
UNSHIPPED_BUNDLE_FILES = (".lock", ".tmp")
# Environment variables of this test run that must not reach the installed dashboard: it has to
# find its own bundle and modules.
HIDDEN_VARIABLES = ("PARADIGM_LAB_BUNDLE", "PYTHONPATH", "VIRTUAL_ENV")
SERVER_START_SECONDS = 180  # an installed server's first start on a busy 2-core CI machine
FIRST_VISIT_MS = 180_000
# A page's title (or the box that replaced it) is there and Streamlit's "running" widget is gone.
PAGE_RUN_OVER = """() => document.querySelector('h1, [data-testid="stAlert"], [data-testid="stException"]')
                   && !document.querySelector('[data-testid="stStatusWidget"]')"""


def python_312() -> str | None:
    """A Python 3.12 that runs: `python3.12` on the PATH, or one that pyenv installed (pyenv's
    shim answers only for the versions that `pyenv global` names)."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = [shutil.which("python3.12"), *sorted(pyenv_root.glob("versions/3.12*/bin/python3.12"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [str(candidate), "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 12))"],
            capture_output=True,
        )
        if probe.returncode == 0:
            return str(candidate)
    return None


def skip_unless_required(variable: str, reason: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} ({variable}=1 requires it)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_text(path: Path, text: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in path.read_text(encoding="utf-8", errors="replace"):
        assert server.poll() is None, f"paradigm-lab stopped:\n{path.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"no {text!r} in {seconds} s:\n{path.read_text()[-3000:]}"
        try:
            server.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of this tree (a build writes build/ and an egg-info beside the
    sources, and could pick up a stale build/lib)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in BUILD_SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    started = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(work / "dist"), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-3000:]
    # Packaging is quiet: a teacher reads a setuptools warning as a failure.
    for warning in ("BuildBackendWarning", "SetuptoolsDeprecationWarning", "SetuptoolsWarning",
                    "InformationOnly"):
        assert warning not in output, output[-3000:]
    print(f"wheel built in {time.perf_counter() - started:.0f} s")
    (path,) = (work / "dist").glob("paradigm_lab-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(request, tmp_path_factory) -> Iterator[Path]:
    """A fresh virtual environment outside the repository, with Python 3.12 and the wheel alone
    (its dependencies come from the package index, as on a teacher's machine)."""
    python = python_312()
    if python is None:
        skip_unless_required("PARADIGM_LAB_REQUIRE_PYTHON312", "no Python 3.12 to install the wheel with")
    wheel = request.getfixturevalue("wheel")
    environment = tmp_path_factory.mktemp("teacher") / "venv"
    started = time.perf_counter()
    subprocess.run([python, "-m", "venv", str(environment)], check=True, timeout=120)
    installing = subprocess.run(
        [str(scripts_folder(environment) / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=500,
    )
    assert installing.returncode == 0, installing.stdout[-3000:] + installing.stderr[-3000:]
    print(f"fresh Python 3.12 environment with the wheel installed in {time.perf_counter() - started:.0f} s")
    yield environment
    shutil.rmtree(environment)  # 900 MB: pytest keeps the last three runs' temporary folders


def scripts_folder(environment: Path) -> Path:
    return environment / ("Scripts" if os.name == "nt" else "bin")


def test_the_wheel_carries_the_dashboard_its_settings_and_the_whole_bundle(wheel):
    with zipfile.ZipFile(wheel) as archive:
        sizes = {entry.filename: entry.file_size for entry in archive.infolist()}
        entry_points = archive.read(next(n for n in sizes if n.endswith(".dist-info/entry_points.txt")))
    assert "paradigm-lab = paradigm_lab.cli:main" in entry_points.decode()
    # Every file of dashboard/ and of the bundle that a user of the dashboard may need: a data file
    # added later without its pattern in pyproject.toml's package-data fails here.
    expected = {
        path.relative_to(ROOT).as_posix()
        for folder in ("dashboard", "paradigm_lab", "exported_models")
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(marker in path.name for marker in UNSHIPPED_BUNDLE_FILES)
    }
    assert expected - sizes.keys() == set(), "add these files to [tool.setuptools.package-data]"
    bundle_bytes = sum(size for name, size in sizes.items() if name.startswith("exported_models/"))
    assert bundle_bytes < 40 * 2**20  # the bundle's budget (docs/design.md)


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, looked for before the install (same scope, so set up first)."""
    from scripts.browser_check import CHROMIUM

    if not Path(CHROMIUM).exists():
        skip_unless_required("PARADIGM_LAB_REQUIRE_BROWSER",
                             "Debian's chromium is not installed (make browser-deps)")
    return CHROMIUM


def test_the_installed_command_serves_every_page_with_the_packaged_models(chromium, installed, tmp_path):
    from playwright.sync_api import sync_playwright

    from scripts.browser_check import CHROMIUM_ARGUMENTS, page_problems, wait_until_drawn

    site_packages = subprocess.run(
        [str(scripts_folder(installed) / "python"), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    packaged_bundle = Path(site_packages) / "exported_models"
    manifest = json.loads((BUNDLE / "manifest.json").read_text(encoding="utf-8"))
    primary = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]["primaryColor"].lstrip("#")
    primary_rgb = "rgb({}, {}, {})".format(*(int(primary[i:i + 2], 16) for i in (0, 2, 4)))

    classroom = tmp_path / "classroom"  # anywhere but the repository: no .streamlit/ there
    classroom.mkdir()
    port = free_port()
    environment = {name: value for name, value in os.environ.items() if name not in HIDDEN_VARIABLES}
    log = tmp_path / "paradigm-lab.log"
    started = time.perf_counter()
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(scripts_folder(installed) / "paradigm-lab"), "--port", str(port), "--no-browser"],
            cwd=classroom, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        wait_for_text(log, f"Paradigm Lab is ready: http://localhost:{port}/", server, SERVER_START_SECONDS)
        print(f"installed dashboard answered in {time.perf_counter() - started:.0f} s")
        base_url = f"http://localhost:{port}"
        failures = []
        started = time.perf_counter()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGUMENTS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for entry in PAGES:
                path = "" if entry.id == HOME_PAGE else entry.id
                page.goto(f"{base_url}/{path}?lang=en")
                # A first visit may be long (the class-labels page runs every encoder on its pool
                # once): wait for its run to end, then for the charts as browser_check does.
                page.wait_for_function(PAGE_RUN_OVER, timeout=FIRST_VISIT_MS)
                wait_until_drawn(page)
                failures += [f"{entry.id}: {problem}" for problem in page_problems(page)]
                # The models page names, in its teacher's part, the folder the models are read
                # from: the wheel's copy.
                if entry.id == "models":
                    page.get_by_text(t("models.rebuild_heading", "en")).click()
                    page.get_by_text(str(packaged_bundle)).first.wait_for(timeout=10_000)
                if entry.id == "study":
                    # The chart comes after the title: wait for its lines, one per paradigm.
                    lines = '[data-testid="stPlotlyChart"] .scatterlayer .trace'
                    page.wait_for_selector(lines, timeout=30_000)
                    if page.locator(lines).count() < 2:
                        failures.append("study: the chart draws fewer than two paradigms")
                if entry.id == "models":
                    # Every file checked against its SHA-256: all of the manifest's models shipped.
                    text = page.locator("body").inner_text()
                    if f"{len(manifest['models'])} models" not in text or "missing or changed" in text:
                        failures.append("models: not every model of the manifest is there and intact")
                    colour = page.locator("button[kind='primary']").first.evaluate(
                        "button => getComputedStyle(button).backgroundColor"
                    )
                    if colour != primary_rgb:  # dashboard/.streamlit/config.toml is in force
                        failures.append(f"models: a primary button is {colour}, not {primary_rgb}")
            browser.close()
        print(f"{len(PAGES)} pages drawn in chromium in {time.perf_counter() - started:.0f} s")
        assert failures == [], "\n".join(failures)
    finally:
        server.terminate()  # the command stops its Streamlit server with it
        server.wait(timeout=30)
    with pytest.raises(OSError):
        socket.create_connection(("localhost", port), timeout=2).close()


# --- the dashboard side runs on Windows and macOS too ------------------------------------------

# Modules that exist on one family of systems only.
PLATFORM_ONLY_MODULES = {
    "fcntl", "resource", "termios", "tty", "pty", "pwd", "grp", "posix", "syslog", "curses",
    "readline", "msvcrt", "winreg", "winsound", "_winapi",
}
# module -> names in it that exist on some systems only (or, for ctypes, load a system library).
PLATFORM_ONLY_NAMES = {
    "os": {
        "fork", "forkpty", "setsid", "setpgrp", "getpgid", "killpg", "getuid", "geteuid", "getgid",
        "getegid", "setuid", "setgid", "getgroups", "nice", "sysconf", "statvfs", "chown", "lchown",
        "fchown", "mkfifo", "mknod", "uname", "wait3", "wait4", "getloadavg", "sched_getaffinity",
        "sched_setaffinity", "register_at_fork", "pipe2", "posix_spawn", "sync", "startfile",
    },
    "signal": {
        "SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGPIPE",
        "SIGSTOP", "SIGCONT", "SIGTSTP", "alarm", "setitimer", "pause", "siginterrupt",
        "pthread_kill", "sigwait", "CTRL_C_EVENT", "CTRL_BREAK_EVENT",
    },
    "select": {"poll", "epoll", "kqueue", "devpoll"},
    "socket": {"AF_UNIX"},
    "time": {"tzset"},
    "ctypes": {"CDLL", "cdll", "PyDLL", "pydll", "WinDLL", "windll", "OleDLL", "oledll"},
}
SYSTEM_PATH_PREFIXES = ("/proc", "/dev/", "/sys/", "/tmp", "/var/", "/etc/", "/usr/", "/bin/")
# A test naming one of these decides by platform (sys.platform.startswith("linux"), os.name == "nt").
PLATFORM_TESTS = ("sys.platform", "os.name", "platform.system")


class PlatformOnlyUses(ast.NodeVisitor):
    """Every use of something that exists on some systems only, that no platform check guards
    (an `if` on the platform, or a `try` that catches the ImportError)."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self._guarded = 0

    def _report(self, node: ast.AST, what: str) -> None:
        if not self._guarded:
            self.problems.append((node.lineno, what))

    def _visit_guarded(self, nodes: list[ast.AST]) -> None:
        self._guarded += 1
        for node in nodes:
            self.visit(node)
        self._guarded -= 1

    def visit_If(self, node: ast.If | ast.IfExp) -> None:
        self.visit(node.test)
        if any(test in ast.unparse(node.test) for test in PLATFORM_TESTS):
            self._visit_guarded([*_as_list(node.body), *_as_list(node.orelse)])
        else:
            self.generic_visit(node)

    visit_IfExp = visit_If

    def visit_Try(self, node: ast.Try) -> None:
        caught = " ".join(ast.unparse(handler.type) for handler in node.handlers if handler.type)
        if "ImportError" in caught or "ModuleNotFoundError" in caught:
            self._visit_guarded(node.body)
            for part in (*node.handlers, *node.orelse, *node.finalbody):
                self.visit(part)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in PLATFORM_ONLY_MODULES:
                self._report(node, f"import {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module.split(".")[0] in PLATFORM_ONLY_MODULES:
            self._report(node, f"from {module} import ...")
        for alias in node.names:
            if alias.name in PLATFORM_ONLY_NAMES.get(module, ()):
                self._report(node, f"from {module} import {alias.name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.attr in PLATFORM_ONLY_NAMES.get(node.value.id, ()):
            self._report(node, f"{node.value.id}.{node.attr}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = ast.unparse(node.func)
        shell = any(
            keyword.arg == "shell"
            and not (isinstance(keyword.value, ast.Constant) and not keyword.value.value)
            for keyword in node.keywords
        )
        if shell or name in ("os.system", "os.popen"):
            self._report(node, f"{name}(...) runs a shell")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and (
            node.value.startswith(SYSTEM_PATH_PREFIXES) or "libc.so" in node.value
        ):
            self._report(node, f"the path {node.value!r}")

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)  # a docstring is prose, not a path the code opens


def _as_list(part: list[ast.AST] | ast.AST) -> list[ast.AST]:
    return part if isinstance(part, list) else [part]


def platform_only_uses(source: str) -> list[tuple[int, str]]:
    visitor = PlatformOnlyUses()
    visitor.visit(ast.parse(source))
    return visitor.problems


def test_the_dashboard_side_uses_nothing_that_only_linux_or_posix_has():
    files = sorted((*(ROOT / "dashboard").rglob("*.py"), *(ROOT / "paradigm_lab").rglob("*.py")))
    assert len(files) > 20
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in files
        for line, what in platform_only_uses(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "\n".join(problems)


def test_the_portability_check_finds_unguarded_uses_and_accepts_guarded_ones():
    unguarded = '''
import fcntl
import ctypes, os, signal, subprocess
ctypes.CDLL("libc.so.6").malloc_trim(0)
os.kill(os.getpid(), signal.SIGKILL)
pid = os.fork()
cache = "/tmp/paradigm-lab"
subprocess.run("streamlit run app.py", shell=True)
'''
    found = [what for _, what in platform_only_uses(unguarded)]
    assert found == [
        "import fcntl",
        "ctypes.CDLL",
        "the path 'libc.so.6'",
        "signal.SIGKILL",
        "os.fork",
        "the path '/tmp/paradigm-lab'",
        "subprocess.run(...) runs a shell",
    ]
    # dashboard/core/inference.py's form, and the usual ones.
    guarded = '''
"""Docstrings may say /tmp or /proc."""
import sys, os, signal, ctypes, contextlib
if sys.platform.startswith("linux"):
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
stop = signal.SIGKILL if os.name == "posix" else signal.SIGTERM
try:
    import fcntl
except ImportError:
    fcntl = None
'''
    assert platform_only_uses(guarded) == []
