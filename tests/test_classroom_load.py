"""A small class at once on a real `streamlit run` server: three students follow the whole lesson
of scripts/classroom_load_check.py (every heavy page, every widget it changes) with no error.

The script itself fails a step that shows an exception box, an error alert or a traceback, that
disconnects, or whose widget change leaves the page as it was; this test checks that every step
was reached and answered, so that a quiet failure to run the lesson cannot pass. Latency is not
asserted here: it depends on the machine (the script's own figures are for that).
"""

import json
import socket
import subprocess
import sys
from pathlib import Path

from scripts.classroom_load_check import LESSON

ROOT = Path(__file__).resolve().parent.parent


def test_three_students_follow_the_whole_lesson_with_no_error(tmp_path):
    figures_path = tmp_path / "classroom-load.json"
    completed = subprocess.run(
        [sys.executable, "scripts/classroom_load_check.py", "--sessions", "3",
         "--interactions", str(len(LESSON)), "--think", "0.1", "--arrival", "0",
         "--cold", "--timeout", "120", "--port", "8614", "--json", str(figures_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    figures = json.loads(figures_path.read_text())
    assert figures["errors"] == 0
    # Every step was done by every student; an optional one (a control some views lack) at most.
    required = [step for step in LESSON if not step.optional]
    assert figures["interactions_done"] >= 3 * len(required)
    for step in LESSON:
        count = figures["latency"]["by_step"][step.description]["count"]
        assert count <= 3 if step.optional else count == 3, step.description
    # The try page's answers came with the drawn 7, and the GAN grid's images were fetched.
    drawn = [i for i in figures["interactions"] if i["step"] == LESSON[1].description]
    assert all(interaction["error"] is None for interaction in drawn)
    grids = [i for i in figures["interactions"] if i["step"].startswith("gan: new grid")]
    assert all(interaction["images"] >= 1 for interaction in grids)
    # The server the script started is measured, and stopped: nothing listens on its port.
    assert figures["server_memory_mb"]["peak"] > 0
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", 8614)) != 0


def test_three_students_label_forty_digits_and_the_projector_shows_their_point(tmp_path):
    from scripts.classroom_load_check import LABELS_ANSWER

    figures_path = tmp_path / "classroom-labels.json"
    completed = subprocess.run(
        [sys.executable, "scripts/classroom_load_check.py", "--lesson", "labels", "--sessions", "3",
         "--interactions", "15", "--think", "0.1", "--arrival", "0", "--timeout", "240",
         "--port", "8616", "--json", str(figures_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    figures = json.loads(figures_path.read_text())
    assert figures["errors"] == 0
    # 3 students x 14 digits, each answered with its right label, then the chart alone (the
    # projector's view) draws the class's curve up to the 42nd label.
    assert figures["labels_given"] == 42
    assert figures["latency"]["by_step"][LABELS_ANSWER.description]["count"] == 42
    assert figures["projector_chart"] == "the class's curve reaches 42 labels"


def test_three_students_through_the_classroom_proxy_with_two_processes(tmp_path):
    """`make classroom` as CI can run it: HAProxy in front of two dashboard processes; every
    student's websocket, images and widget changes stay on one process (sticky cookie)."""
    import os
    import shutil

    import pytest

    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        if os.environ.get("PARADIGM_LAB_REQUIRE_PROXY"):
            pytest.fail("HAProxy is not installed (make test installs it with apt)")
        pytest.skip("HAProxy is not installed")
    figures_path = tmp_path / "classroom-proxy.json"
    completed = subprocess.run(
        [sys.executable, "scripts/classroom_load_check.py", "--processes", "2", "--sessions", "3",
         "--interactions", str(len(LESSON)), "--think", "0.1", "--arrival", "0",
         "--cold", "--timeout", "200", "--port", "8617", "--json", str(figures_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    figures = json.loads(figures_path.read_text())
    assert figures["errors"] == 0 and figures["processes"] == 2
    assert figures["interactions_done"] >= 3 * len([step for step in LESSON if not step.optional])
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", 8617)) != 0  # the proxy and its processes stopped
