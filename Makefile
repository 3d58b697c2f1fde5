# Paradigm Lab: the two commands of the README, and the ones a maintainer needs.
#   make dashboard   install the dashboard only (no PyTorch) and start it (PORT=8501 by default)
#   make test        install everything (training, tests, Debian's chromium), lint (ruff), type-check (mypy) and run the tests
#   make study       run the full label-fraction study into exported_models/ (resumable)
#   make rerun       the shipped bundle's own way: seed after seed, float32 (resumable; docs/study.md)
#   make bench       print the performance figures of the README
#   make bench-training  what one study point costs to train, float32 against bfloat16, on this processor
#   make load-check  a class of 30 students at once on one dashboard server (scripts/classroom_load_check.py)
#   make classroom   PROCESSES dashboard processes (default: one per core) behind HAProxy on PORT,
#                    listening on the classroom network (scripts/classroom_server.py)

# The tests and training keep python3.11: the CPU build of torch on these machines is a wheel for
# 3.11 only (an unpinned torch pulls gigabytes of CUDA).
PYTHON ?= python3.11
# The dashboard runs on any Python from 3.11 on: the newest one that runs (a pyenv shim may exist
# for a version that is not selected, so each is asked for its version).
DASHBOARD_PYTHON ?= $(firstword $(foreach candidate,python3.13 python3.12 python3.11 python3,\
  $(shell $(candidate) -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $(candidate))))
PORT ?= 8501
PROCESSES ?= $(shell nproc 2>/dev/null || echo 2)
DASH_VENV := .venv-dashboard
VENV := .venv

.PHONY: dashboard test study rerun bench bench-training browser-deps proxy-deps load-check classroom

# --clear: the Python found may be another version than the one that made the folder.
$(DASH_VENV)/.installed: pyproject.toml
	$(if $(DASHBOARD_PYTHON),,$(error the dashboard needs Python 3.11 or newer: python3.13, python3.12, python3.11 or python3))
	$(DASHBOARD_PYTHON) -m venv --clear $(DASH_VENV)
	$(DASH_VENV)/bin/pip install --quiet --upgrade pip
	$(DASH_VENV)/bin/pip install --quiet -e .
	touch $@

# The installed command (paradigm_lab/cli.py) as a teacher runs it: two malloc arenas on Linux,
# the browser opened where there is a display.
dashboard: $(DASH_VENV)/.installed
	$(DASH_VENV)/bin/paradigm-lab --port $(PORT)

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

# The classroom server's reverse proxy, from Debian's packages.
proxy-deps:
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq haproxy >/dev/null; fi; }

test: $(VENV)/.installed browser-deps proxy-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	PARADIGM_LAB_REQUIRE_BROWSER=1 PARADIGM_LAB_REQUIRE_PROXY=1 $(VENV)/bin/python -m pytest

classroom: $(DASH_VENV)/.installed proxy-deps
	$(DASH_VENV)/bin/python scripts/classroom_server.py --processes $(PROCESSES) --port $(PORT) --network

study: $(VENV)/.installed
	$(VENV)/bin/python -m training study --profile full

# How exported_models/ was made (issue #16's rerun): seed after seed, not fraction after fraction,
# so a sitting that stops leaves whole seeds done and the next one does not pretrain again the
# encoders of five half-finished seeds. Float32 on every machine: its seeds 0 and 1 trained on a
# processor without native bfloat16, and a seed finished on one with it would otherwise train in
# bfloat16 (training/precision.py), another arithmetic in the same bundle.
rerun: $(VENV)/.installed
	for seed in 0 1 2 3 4; do PARADIGM_LAB_BFLOAT16=0 $(VENV)/bin/python -m training study --profile full --seed $$seed || exit 1; done

bench: $(VENV)/.installed browser-deps
	$(VENV)/bin/python scripts/bench.py

# What a study point costs to train in float32 and in bfloat16 on this processor (docs/study.md).
bench-training: $(VENV)/.installed
	$(VENV)/bin/python scripts/bench_training.py

# No browser: the students are clients of Streamlit's own websocket protocol (see the script).
load-check: $(VENV)/.installed
	$(VENV)/bin/python scripts/classroom_load_check.py
