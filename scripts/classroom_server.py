"""One address for a whole class: several dashboard processes behind HAProxy, on one port.

    python scripts/classroom_server.py                       # one process per core, port 8501
    python scripts/classroom_server.py --processes 4 --port 8501 --network

Why: one Streamlit process runs the pages' Python on one core (the GIL), so a class clicking
together queues on it while the machine's other cores idle. This starts --processes dashboard
servers on 127.0.0.1 (ports after --port) and HAProxy in front of them on --port:

- websockets pass through (HAProxy switches a connection to a tunnel on the Upgrade);
- sticky sessions: HAProxy sets a cookie on a browser's first request naming the process that
  answered, and sends everything else of that browser there (its websocket, its images, its
  uploads), since a Streamlit session lives in one process's memory;
- new browsers go to the process with the fewest open connections;
- the processes share one cookie secret (so a browser's XSRF token is valid everywhere) and one
  class-labels database (SQLite, see dashboard/topics/class_labels/labelling.py), so shared data is the same on
  every process.

Needs Debian's `haproxy` (`make classroom` installs it). Ctrl-C stops everything. The processes'
output goes to this one's, so tracebacks are not lost.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY_ROOT))  # run as a script from a clone: the launcher is a sibling
from paradigm_lab.cli import NETWORK_ADDRESS_VARIABLE, lan_address  # noqa: E402

APP = REPOSITORY_ROOT / "dashboard" / "app.py"
STICKY_COOKIE = "paradigm_lab_process"


def haproxy_config(address: str, port: int, backend_ports: list[int]) -> str:
    servers = "\n".join(
        f"    server dashboard{n} 127.0.0.1:{backend} check cookie d{n}"
        for n, backend in enumerate(backend_ports, start=1)
    )
    return f"""# Written by scripts/classroom_server.py for this run.
global
    maxconn 4000

defaults
    mode http
    option forwardfor
    timeout connect 5s
    # A student's websocket stays open the whole lesson, mostly quiet while they read.
    timeout client 2h
    timeout server 2h
    timeout tunnel 2h
    timeout http-request 30s

frontend classroom
    bind {address}:{port}
    default_backend dashboards

backend dashboards
    balance leastconn
    cookie {STICKY_COOKIE} insert indirect nocache httponly
    option httpchk GET /_stcore/health
{servers}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="dashboard processes (default: one per core)")
    parser.add_argument("--port", type=int, default=8501, help="the port students open (default 8501)")
    parser.add_argument("--network", action="store_true",
                        help="listen on the classroom network, not only on this machine")
    arguments = parser.parse_args()
    if arguments.processes < 1:
        parser.error("--processes must be at least 1")
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if haproxy is None:
        print("HAProxy is not installed: `sudo apt-get install haproxy` (or run `make classroom`).",
              file=sys.stderr)
        return 2

    address = "0.0.0.0" if arguments.network else "127.0.0.1"
    backend_ports = [free_port() for _ in range(arguments.processes)]
    # One cookie secret for all (Streamlit takes it only from the environment or a config file).
    environment = {**os.environ, "MALLOC_ARENA_MAX": "2", "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16)}
    network_address = lan_address() if arguments.network else None
    if network_address:
        environment[NETWORK_ADDRESS_VARIABLE] = network_address  # students' links name it
    streamlit = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
                 "--server.address", "127.0.0.1"]
    children: list[subprocess.Popen] = []

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    def stop_and_exit(*_: object) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop_and_exit)
    try:
        for backend in backend_ports:
            children.append(subprocess.Popen([*streamlit, "--server.port", str(backend)],
                                             cwd=REPOSITORY_ROOT, env=environment))
        deadline = time.monotonic() + 60
        while not all(healthy(f"http://127.0.0.1:{backend}") for backend in backend_ports):
            if time.monotonic() > deadline or any(child.poll() is not None for child in children):
                print("a dashboard process did not start: see its messages above", file=sys.stderr)
                return 1
            time.sleep(0.3)
        config = Path(tempfile.mkdtemp(prefix="paradigm-lab-haproxy-")) / "haproxy.cfg"
        config.write_text(haproxy_config(address, arguments.port, backend_ports))
        children.append(subprocess.Popen([haproxy, "-f", str(config), "-db"]))
        deadline = time.monotonic() + 15
        while not healthy(f"http://127.0.0.1:{arguments.port}"):
            if time.monotonic() > deadline or children[-1].poll() is not None:
                print(f"HAProxy did not start on port {arguments.port} (is it taken?)", file=sys.stderr)
                return 1
            time.sleep(0.2)
        shown = network_address or ("this-machine" if arguments.network else "localhost")
        print(f"Paradigm Lab: dashboard processes behind HAProxy: {arguments.processes}; "
              f"open http://{shown}:{arguments.port}", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("a process of the classroom server stopped: stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    raise SystemExit(main())
