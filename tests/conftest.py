"""Test-wide settings."""

import os

import pytest


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
