"""Test-wide settings and the one test-profile bundle the slow tests share."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Two test processes share the 2 cores: each gets one thread for torch (OpenMP), BLAS and
    # ONNX Runtime, or their spinning thread pools fight and the suite runs slower than alone.
    # Set before anything imports torch; subprocesses inherit it.
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "PARADIGM_LAB_ORT_THREADS"):
        os.environ.setdefault(variable, "1")

# The study page's re-check measures only when a test clicks it: a server measuring ahead on its
# own thread would compete with the tests for the cores (subprocesses inherit this).
os.environ.setdefault("PARADIGM_LAB_MEASURE_AHEAD", "0")


@pytest.fixture(scope="session", autouse=True)
def pretraining_cache_of_this_run(tmp_path_factory):
    """Self-supervised pretrainings are cached on disk between the fractions of a seed. Tests use
    their own cache (subprocesses inherit it), so a stale one in build/ can never answer for them."""
    previous = os.environ.get("PARADIGM_LAB_PRETRAIN_CACHE")
    os.environ["PARADIGM_LAB_PRETRAIN_CACHE"] = str(tmp_path_factory.mktemp("pretrained"))
    yield
    if previous is None:
        os.environ.pop("PARADIGM_LAB_PRETRAIN_CACHE", None)
    else:
        os.environ["PARADIGM_LAB_PRETRAIN_CACHE"] = previous


@pytest.fixture(scope="session", autouse=True)
def class_labels_of_this_run(tmp_path_factory):
    """The class-labels database of this test run (servers started by tests inherit it): a
    test never writes into a teacher's own ~/.paradigm-lab."""
    previous = os.environ.get("PARADIGM_LAB_DATA")
    os.environ["PARADIGM_LAB_DATA"] = str(tmp_path_factory.mktemp("class_labels"))
    yield
    if previous is None:
        os.environ.pop("PARADIGM_LAB_DATA", None)
    else:
        os.environ["PARADIGM_LAB_DATA"] = previous


@pytest.fixture(scope="session")
def test_profile_bundle(tmp_path_factory, pretraining_cache_of_this_run):
    """`python -m training study --profile test` as a user runs it: every implemented paradigm,
    the profile's 3 fractions, seed 0, on scikit-learn's digits. Made once per test run (about
    8 minutes on the 2-core machine), shared by the test processes (pytest-xdist) through a lock;
    read only: tests that change a bundle work on a copy. PARADIGM_LAB_TEST_BUNDLE names one made
    beforehand by that command, for quick runs of a few files (CI never sets it)."""
    prepared = os.environ.get("PARADIGM_LAB_TEST_BUNDLE")
    if prepared:
        return Path(prepared)
    pytest.importorskip("torch", reason="making a bundle needs the training half (torch)")
    import fcntl

    # Under xdist each process has its own base temp; their common parent is shared.
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    bundle = shared / "test_profile_bundle"
    with open(shared / "test_profile_bundle.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other process waits here, then reuses the bundle
        if not (bundle / ".complete").exists():  # a failed attempt is made again, never half used
            completed = subprocess.run(
                [sys.executable, "-m", "training", "study", "--profile", "test", "--out", str(bundle)],
                # Generous: on a busy 2-core machine it took over 500 s once (a CI run failed on
                # it); the limit only keeps a hung study from holding CI for 90 minutes.
                cwd=ROOT, capture_output=True, text=True, timeout=1800,
            )
            assert completed.returncode == 0, completed.stderr[-2000:]
            (bundle / ".complete").touch()
    return bundle


# --- the test-profile bundle as the page tests use it ------------------------------------------


@pytest.fixture(scope="session")
def shared_page_bundle(request, tmp_path_factory) -> Path:
    """A copy of the test-profile bundle that the page tests of this process share, read only."""
    import shutil

    source = request.getfixturevalue("test_profile_bundle")
    return Path(shutil.copytree(source, tmp_path_factory.mktemp("page_bundle") / "bundle"))


@pytest.fixture
def bundle_in_env(shared_page_bundle, monkeypatch) -> Path:
    """The shared copy, named to the dashboard: for tests that change nothing in the bundle."""
    from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE

    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(shared_page_bundle))
    return shared_page_bundle


@pytest.fixture
def own_bundle(shared_page_bundle, tmp_path, monkeypatch) -> Path:
    """A copy of the bundle this test may damage, named to the dashboard."""
    import shutil

    from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE

    directory = Path(shutil.copytree(shared_page_bundle, tmp_path / "bundle"))
    monkeypatch.setenv(BUNDLE_ENVIRONMENT_VARIABLE, str(directory))
    return directory
