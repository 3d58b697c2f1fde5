"""Accessibility of every dashboard page, with axe-core in a real headless Chromium, fr and en.

    .venv/bin/python scripts/accessibility_check.py              # starts its own server
    .venv/bin/python scripts/accessibility_check.py --url http://localhost:8599

Prints every violation and exits non-zero if any is "serious" or "critical". axe-core comes from
the axe-playwright-python package (its bundled axe.min.js, injected into the page): no network.
`scripts/browser_check.py` (and so `make test`) runs the same audit on each page it visits; this
script is the audit alone, quicker when only the accessibility is in question.
"""

from __future__ import annotations

import sys
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the root holds scripts/

from scripts.browser_check import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGUMENTS,
    LANGUAGES,
    PAGES,
    accessibility_violations,
    dashboard_arguments,
    served_dashboard,
    wait_until_drawn,
)


def audit(base_url: str) -> list[str]:
    axe = Axe()
    blocking = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for language in LANGUAGES:
            for name, path in PAGES.items():
                page.goto(f"{base_url}/{path}?lang={language}")
                wait_until_drawn(page)
                blocking += accessibility_violations(axe, page, f"{name} ({language})")
        browser.close()
    return blocking


def main() -> int:
    with served_dashboard(dashboard_arguments(__doc__.splitlines()[0], 8612)) as (base_url, _):
        blocking = audit(base_url)
    print(f"{len(blocking)} serious or critical accessibility violation(s)")
    return 1 if blocking else 0


if __name__ == "__main__":
    raise SystemExit(main())
