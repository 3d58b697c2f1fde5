"""The dashboard runs where PyTorch is not installed: every page, in a process that cannot import
torch or training/ (a school machine installs the dashboard alone)."""

import json
import os
import subprocess
import sys

from dashboard_fixtures import APP_PATH, REPOSITORY_ROOT

from dashboard.core.bundle_reader import BUNDLE_ENVIRONMENT_VARIABLE
from dashboard.core.page_registry import PAGES

RENDER_EVERY_PAGE = """
import json, sys
# None in sys.modules makes any later `import torch` or `import training...` raise ImportError.
sys.modules["torch"] = None
sys.modules["training"] = None
from streamlit.testing.v1 import AppTest

from dashboard.core.page_registry import PAGES

app_path, checked_model = sys.argv[1], sys.argv[2]
report = []
for language in ("fr", "en"):
    for page in (entry.file for entry in PAGES):
        app = AppTest.from_file(app_path, default_timeout=120)
        app.query_params["lang"] = language
        app.run()
        if page != "topics/home/page.py":
            app.switch_page(page).run()
        if page == "topics/models/page.py":
            app.selectbox(key="live_check_model").set_value(checked_model).run()
            app.button[0].click().run()
        report.append({
            "page": page,
            "language": language,
            "title": app.title[0].value if app.title else None,
            "exceptions": [e.value for e in app.exception],
            "errors": [e.value for e in app.error],
            "successes": [s.value for s in app.success],
        })
print(json.dumps(report))
"""


def test_every_page_renders_without_torch_or_training(tmp_path, shared_page_bundle):
    # Every page of the registry, on a bundle the study made (every paradigm, tiny models), so
    # that each page draws its models, not only its "no model yet" sentence.
    manifest = json.loads((shared_page_bundle / "manifest.json").read_text())
    checked_model = next(m["id"] for m in manifest["models"] if m["paradigm"] == "supervised")
    environment = {
        **os.environ,
        BUNDLE_ENVIRONMENT_VARIABLE: str(shared_page_bundle),
        "PYTHONPATH": str(REPOSITORY_ROOT),
    }
    completed = subprocess.run(
        [sys.executable, "-c", RENDER_EVERY_PAGE, str(APP_PATH), checked_model],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=400,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert len(report) == 2 * len(PAGES)
    for entry in report:
        assert entry["title"], entry
        assert entry["exceptions"] == [] and entry["errors"] == [], entry
    models_pages = [entry for entry in report if entry["page"] == "topics/models/page.py"]
    assert all(len(entry["successes"]) == 1 for entry in models_pages), models_pages
