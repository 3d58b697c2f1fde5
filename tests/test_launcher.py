"""The `paradigm-lab` command (paradigm_lab/cli.py): what it asks Streamlit for, the link it opens
and prints, and what it tells the dashboard. test_install_by_name.py starts it for real, from an
installed wheel."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE
from dashboard.core.i18n import LANGUAGES
from dashboard.core.lesson_state import NETWORK_ADDRESS_VARIABLE, reachable_base_url
from paradigm_lab import cli

ROOT = Path(__file__).resolve().parent.parent


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_by_default_it_serves_the_app_on_this_machine_only():
    arguments = cli.parse_arguments([])
    command = cli.streamlit_command(arguments)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(command[4]) == ROOT / "dashboard" / "app.py"
    assert option(command, "--server.port") == "8501"
    assert option(command, "--server.address") == "localhost"
    assert option(command, "--server.headless") == "true"  # it opens the browser itself
    url = cli.dashboard_url("localhost", 8501, arguments.lang, arguments.projector)
    assert url == "http://localhost:8501/"


def test_network_listens_on_every_interface_and_the_port_is_chosen():
    command = cli.streamlit_command(cli.parse_arguments(["--network", "--port", "8611"]))
    assert option(command, "--server.address") == "0.0.0.0"
    assert option(command, "--server.port") == "8611"


def test_language_and_projector_mode_travel_in_the_link():
    arguments = cli.parse_arguments(["--lang", "en", "--projector"])
    url = cli.dashboard_url("localhost", 8611, arguments.lang, arguments.projector)
    assert url == "http://localhost:8611/?lang=en&projector=1"
    assert cli.LANGUAGES == LANGUAGES


def test_bundle_option_names_the_folder_to_the_dashboard(tmp_path):
    environment = cli.server_environment(cli.parse_arguments(["--bundle", str(tmp_path)]))
    assert cli.BUNDLE_ENVIRONMENT_VARIABLE == BUNDLE_ENVIRONMENT_VARIABLE
    assert environment[BUNDLE_ENVIRONMENT_VARIABLE] == str(tmp_path.resolve())


def test_under_network_student_links_name_this_machines_address(monkeypatch):
    monkeypatch.setattr(cli, "lan_address", lambda: "192.168.1.20")
    environment = cli.server_environment(cli.parse_arguments(["--network"]))
    assert cli.NETWORK_ADDRESS_VARIABLE == NETWORK_ADDRESS_VARIABLE
    assert environment[NETWORK_ADDRESS_VARIABLE] == "192.168.1.20"
    assert NETWORK_ADDRESS_VARIABLE not in cli.server_environment(cli.parse_arguments([]))
    assert reachable_base_url("http://localhost:8501", "192.168.1.20") == "http://192.168.1.20:8501"
    assert reachable_base_url("http://127.0.0.1:8611/app", "10.0.0.5") == "http://10.0.0.5:8611/app"
    assert reachable_base_url("http://salle12.lycee:8501", "10.0.0.5") == "http://salle12.lycee:8501"
    assert reachable_base_url("http://localhost:8501", None) == "http://localhost:8501"


@pytest.mark.parametrize("argv", [["--bundle", "no-such-folder"], ["--port", "0"], ["--lang", "de"]])
def test_a_wrong_option_is_refused_with_a_sentence(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.parse_arguments(argv)
    assert exited.value.code == 2
    assert argv[0] in capsys.readouterr().err


def test_two_malloc_arenas_on_linux_and_nothing_elsewhere(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    arguments = cli.parse_arguments([])
    monkeypatch.setattr(cli.sys, "platform", "linux")
    assert cli.server_environment(arguments)["MALLOC_ARENA_MAX"] == "2"
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(cli.sys, "platform", platform)
        assert "MALLOC_ARENA_MAX" not in cli.server_environment(arguments)


def test_no_browser_is_opened_on_linux_without_a_graphical_session(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(cli.sys, "platform", "linux")
    assert not cli.browser_available()
    monkeypatch.setenv("DISPLAY", ":0")
    assert cli.browser_available()
    monkeypatch.setattr(cli.sys, "platform", "win32")
    monkeypatch.delenv("DISPLAY")
    assert cli.browser_available()


def test_the_students_address_is_not_this_machines_loopback():
    address = cli.lan_address()
    assert address is None or not address.startswith("127.")


def test_a_busy_port_is_refused_before_starting_anything(capsys):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert cli.main(["--port", str(port), "--no-browser"]) == 1
    assert f"Port {port} is already in use" in capsys.readouterr().err


def test_python_m_paradigm_lab_is_the_same_command():
    completed = subprocess.run([sys.executable, "-m", "paradigm_lab", "--help"], cwd=ROOT,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    for flag in ("--port", "--lang", "--projector", "--network", "--bundle", "--no-browser"):
        assert flag in completed.stdout
