"""The Streamlit configuration keeps the dashboard offline and on this machine (docs/design.md)."""

import tomllib
from pathlib import Path

CONFIG_PATH = Path(__file__).resolve().parent.parent / "dashboard" / ".streamlit" / "config.toml"


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


def test_streamlit_reads_it_beside_the_app_from_any_working_directory():
    # A script's own .streamlit/config.toml: the settings hold for `paradigm-lab` in an installed
    # package and for `streamlit run dashboard/app.py`, wherever they are started.
    from streamlit import file_util

    app = CONFIG_PATH.parent.parent / "app.py"
    assert Path(file_util.get_main_script_streamlit_file_path(str(app), "config.toml")) == CONFIG_PATH
