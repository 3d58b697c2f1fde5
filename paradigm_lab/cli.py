"""The `paradigm-lab` command: start the dashboard for a class, on Windows, macOS or Linux.

    paradigm-lab                          # http://localhost:8501, in the browser if there is one
    paradigm-lab --lang en --projector    # opens the dashboard in English, in projector mode
    paradigm-lab --network                # also on the classroom network: prints the students' link
    paradigm-lab --bundle DIR             # models rebuilt with `python -m training study`

The dashboard runs as `python -m streamlit run <dashboard>/app.py` in a child process, so that its
environment is set before it starts (glibc reads MALLOC_ARENA_MAX only at start-up). Its settings
(no usage statistics, upload limit, no file watcher, theme...) are dashboard/.streamlit/config.toml,
which Streamlit reads from beside app.py wherever it is installed; this command adds the port and
address of this start. It opens the browser itself, once the server answers, on a link that
carries the language and projector mode (dashboard/core/lesson_state.py reads them).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import urllib.request
import webbrowser
from pathlib import Path
from urllib.parse import urlencode

# dashboard/ is this package's sibling, in a clone as in site-packages.
APP_PATH = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
# The dashboard's own names, copied rather than imported so that the command starts (and answers
# --help) without loading numpy and pandas; tests/test_launcher.py checks that they agree.
BUNDLE_ENVIRONMENT_VARIABLE = "PARADIGM_LAB_BUNDLE"  # dashboard/core/bundle_reader.py
NETWORK_ADDRESS_VARIABLE = "PARADIGM_LAB_NETWORK_ADDRESS"  # dashboard/core/lesson_state.py
LANGUAGES = ("fr", "en")  # dashboard/core/i18n.py; French is the dashboard's default
DEFAULT_PORT = 8501
LOCAL_HOST = "localhost"
ALL_INTERFACES = "0.0.0.0"
# How often the start-up waits for the server's health check to answer.
READY_POLL_SECONDS = 0.25
STOP_SECONDS = 10


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="paradigm-lab",
        description="Start the Paradigm Lab dashboard (stop it with Ctrl+C).",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="port of the dashboard (default: %(default)s)")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="language of the page it opens and of the link it prints "
                        "(default: French; the sidebar switches it)")
    parser.add_argument("--projector", action="store_true",
                        help="open in projector mode: large type, high contrast")
    parser.add_argument("--network", action="store_true",
                        help="listen on the classroom network too, and print the link students open")
    parser.add_argument("--bundle", type=Path, metavar="DIR",
                        help="read the models from DIR, a bundle rebuilt with "
                        "`python -m training study`, instead of the installed one")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    arguments = parser.parse_args(argv)
    if not 1 <= arguments.port <= 65535:
        parser.error(f"--port: {arguments.port} is not a port number (1 to 65535)")
    if arguments.bundle is not None:
        arguments.bundle = arguments.bundle.expanduser().resolve()
        if not arguments.bundle.is_dir():
            parser.error(f"--bundle: {arguments.bundle} is not a folder")
    return arguments


def dashboard_url(host: str, port: int, language: str | None, projector: bool) -> str:
    query = {}
    if language:
        query["lang"] = language
    if projector:
        query["projector"] = "1"
    return f"http://{host}:{port}/" + (f"?{urlencode(query)}" if query else "")


def streamlit_command(arguments: argparse.Namespace) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_PATH),
        "--server.port", str(arguments.port),
        "--server.address", ALL_INTERFACES if arguments.network else LOCAL_HOST,
        # This command opens the browser and prints the links itself: Streamlit's banner would
        # show 0.0.0.0 under --network, and would ask a web service for an "External URL".
        "--server.headless", "true",
        "--logger.hideWelcomeMessage", "true",
    ]


def server_environment(arguments: argparse.Namespace) -> dict[str, str]:
    environment = dict(os.environ)
    if sys.platform.startswith("linux"):
        # Two malloc arenas instead of glibc's eight per core: Streamlit serves each session from
        # a thread, and memory freed in a thread's arena stayed there (485 against 368 MB after
        # the hostile-upload check). Other systems' allocators have no such setting.
        environment.setdefault("MALLOC_ARENA_MAX", "2")
    if arguments.bundle is not None:
        environment[BUNDLE_ENVIRONMENT_VARIABLE] = str(arguments.bundle)
    address = lan_address() if arguments.network else None
    if address:
        environment[NETWORK_ADDRESS_VARIABLE] = address  # links for students name it, not localhost
    return environment


def port_in_use(port: int) -> bool:
    """Whether something already answers on this port (another Paradigm Lab, say): the health
    check would then reach it instead of the server this command starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def lan_address() -> str | None:
    """This computer's IPv4 address on the classroom network, or None if it has none."""
    # A UDP socket "connected" to an outside address takes the address of the route out; no packet
    # is sent. 192.0.2.1 is a documentation address (RFC 5737), never a real host.
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        address = None
    if address and not address.startswith("127.") and address != ALL_INTERFACES:
        return address
    # No route out (a school network without internet access): the host name's own addresses.
    try:
        candidates = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return None
    return next((candidate for candidate in candidates if not candidate.startswith("127.")), None)


def wait_until_ready(server: subprocess.Popen, port: int) -> bool:
    """Whether the dashboard answers its health check; False if the server stopped first."""
    health = f"http://{LOCAL_HOST}:{port}/_stcore/health"
    # No proxy: a school's proxy settings must not catch a request to this very machine.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while server.poll() is None:
        try:
            with opener.open(health, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        try:
            server.wait(timeout=READY_POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    return False


def browser_available() -> bool:
    """Windows and macOS always have one; elsewhere a graphical session is needed (without one,
    Python's webbrowser module would start a text browser inside this terminal)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
    try:
        server.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _stop_requested(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if port_in_use(arguments.port):
        print(f"Port {arguments.port} is already in use (is Paradigm Lab already running?). "
              "Choose another one with --port.", file=sys.stderr)
        return 1
    link = dashboard_url(LOCAL_HOST, arguments.port, arguments.lang, arguments.projector)
    print(f"Starting Paradigm Lab on {link} ...", flush=True)
    # Terminating this command (a service manager, a test) stops the server too, as Ctrl+C does.
    signal.signal(signal.SIGTERM, _stop_requested)
    server = subprocess.Popen(streamlit_command(arguments), env=server_environment(arguments))
    try:
        if not wait_until_ready(server, arguments.port):
            return server.returncode  # Streamlit has said why
        print(f"Paradigm Lab is ready: {link}")
        if arguments.network:
            address = lan_address()
            if address:
                # The projector mode is the teacher's screen, not the students'.
                students = dashboard_url(address, arguments.port, arguments.lang, projector=False)
                print(f"Students open: {students}")
            else:
                print("No network address found for this computer: students cannot reach it.")
            print("(On Windows, allow Python through the firewall if it asks.)")
        print("Stop it with Ctrl+C.", flush=True)
        if not arguments.no_browser and browser_available():
            webbrowser.open(link)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(server)
