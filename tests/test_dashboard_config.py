"""The Streamlit configuration keeps the dashboard offline and on this machine (DESIGN.md)."""

import tomllib
from pathlib import Path

CONFIG_PATH = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def test_no_usage_statistics_localhost_only_and_small_uploads():
    config = tomllib.loads(CONFIG_PATH.read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "localhost"
    assert config["server"]["headless"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 20  # megabytes
    assert config["client"]["showErrorLinks"] is False
    assert config["server"]["fileWatcherType"] == "none"  # no module reloads under a connected class


def test_the_config_names_no_other_host():
    assert "http" not in CONFIG_PATH.read_text(encoding="utf-8")
