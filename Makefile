# Paradigm Lab: the two commands of the README, and the ones a maintainer needs.
#   make dashboard   install the dashboard only (no PyTorch) and start it
#   make test        install everything (training, tests, Debian's chromium) and run the tests
#   make study       run the full label-fraction study into exported_models/ (resumable)
#   make bench       print the performance figures of the README
#   make load-check  a class of 30 students at once on one dashboard server (scripts/classroom_load_check.py)

PYTHON ?= python3.11
DASH_VENV := .venv-dashboard
VENV := .venv

.PHONY: dashboard test study bench browser-deps load-check

$(DASH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(DASH_VENV)
	$(DASH_VENV)/bin/pip install --quiet --upgrade pip
	$(DASH_VENV)/bin/pip install --quiet -e .
	touch $@

# Two malloc arenas: Streamlit runs each session in a thread, and glibc's default of eight arenas
# per core kept freed memory scattered (485 against 368 MB after the hostile-upload check).
dashboard: $(DASH_VENV)/.installed
	MALLOC_ARENA_MAX=2 $(DASH_VENV)/bin/streamlit run dashboard/app.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[train,test,ray]'
	touch $@

# The browser tests drive Debian's chromium; a test tool's own browser download fails offline.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

test: $(VENV)/.installed browser-deps
	PARADIGM_LAB_REQUIRE_BROWSER=1 $(VENV)/bin/python -m pytest

study: $(VENV)/.installed
	$(VENV)/bin/python -m training study --profile full

bench: $(VENV)/.installed browser-deps
	$(VENV)/bin/python scripts/bench.py

# No browser: the students are clients of Streamlit's own websocket protocol (see the script).
load-check: $(VENV)/.installed
	$(VENV)/bin/python scripts/classroom_load_check.py
