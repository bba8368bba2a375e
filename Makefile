# The kit's commands. `make lab` runs the kit; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8888
APP_PORT ?= 8866
# Kernels kept started for the start page of `make app` (the rest of its settings: share/voila/voila.py).
APP_POOL ?= 1
PYTEST_ARGS ?=
# `make test BROWSER_TESTS=no` leaves out every test that needs chromium (markers `browser` and
# `chromium`) and the chromium check before them; `LITE_TESTS=no` leaves out the JupyterLite build.
BROWSER_TESTS ?= yes
LITE_TESTS ?= yes
SKIPPED_MARKS := $(if $(filter no,$(BROWSER_TESTS)),browser chromium) $(if $(filter no,$(LITE_TESTS)),lite)
# "not browser and not chromium ...": the pytest -m expression that leaves the skipped marks out.
MARK_EXPR := $(wordlist 2,99,$(foreach mark,$(SKIPPED_MARKS),and not $(mark)))
# Where Jupyter finds the kit's Voila template (share/jupyter/voila/templates/briefing), which keeps
# the no-code app from asking a web CDN for icon fonts.
export JUPYTER_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))
# JupyterLab refuses to run as root unless told; say so only when we are root.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: lab test lint app bench lite site handouts clean help

help:
	@echo "make lab    set up .venv and open JupyterLab on notebooks/00_start_here.ipynb"
	@echo "make test   install what the tests need (incl. Debian's chromium), lint, and run every test"
	@echo "            (BROWSER_TESTS=no: without chromium; LITE_TESTS=no: without the JupyterLite build)"
	@echo "make lint   ruff (lint and format check) and mypy on briefing/"
	@echo "make app    serve the notebooks as a no-code app (Voila) on 127.0.0.1:$(APP_PORT) (APP_POOL=$(APP_POOL))"
	@echo "make lite   build a static JupyterLite site in build/lite"
	@echo "make site   build the offline static site in build/site (SITE_DIR=...) from the notebooks, run once"
	@echo "make handouts  print each walk-through page of the site to PDF in build/handouts (with chromium)"
	@echo "make bench  run the speed and memory benchmarks"

# The stamps make re-runs fast: pip runs again only when pyproject.toml changed.
$(BIN)/python:
	@$(PYTHON) scripts/preflight.py python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.kit-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.kit-installed

lab: $(VENV)/.kit-installed
	@$(BIN)/python scripts/preflight.py port $(PORT)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb \
		--ServerApp.port_retries=0 --ServerApp.root_dir=. $(ALLOW_ROOT)

app: $(VENV)/.kit-installed
	@$(BIN)/python scripts/preflight.py port $(APP_PORT)
	BRIEFING_APP_POOL=$(APP_POOL) $(BIN)/voila notebooks/ --Voila.ip=127.0.0.1 --port=$(APP_PORT) --no-browser \
		--Voila.config_file_paths=share/voila

# Lint and types first: a style or type slip fails in seconds, before the slow tests start.
lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(VENV)/.test-installed lint
	$(if $(filter no,$(BROWSER_TESTS)),,@$(BIN)/python scripts/preflight.py chromium)
	$(BIN)/python -m pytest $(if $(MARK_EXPR),-m '$(MARK_EXPR)') $(PYTEST_ARGS)

# A static JupyterLite site in build/lite: the notebooks, the data and the kit as a wheel.
# The site builds offline; its Python runtime (Pyodide) loads from the web in the reader's browser.
# Everything the build makes on the way (a copy of the sources the wheel is built from, the wheel,
# the site's contents, JupyterLite's cache) goes into LITE_WORK, so a build elsewhere (the test
# builds in a temporary folder) leaves nothing in the repository.
LITE_DIR ?= build/lite
LITE_WORK ?= build/lite-work
lite: $(VENV)/.test-installed
	rm -rf $(LITE_WORK) && mkdir -p $(LITE_WORK)/src $(LITE_WORK)/contents
	git ls-files | tar -cf - -T - | tar -xf - -C $(LITE_WORK)/src
	$(BIN)/python -m pip wheel --quiet --no-deps -w $(LITE_WORK)/wheels $(LITE_WORK)/src
	git ls-files notebooks data | tar -cf - -T - | tar -xf - -C $(LITE_WORK)/contents
	cd $(LITE_WORK) && $(abspath $(BIN))/jupyter lite build --contents contents --piplite-wheels wheels/*.whl \
		--output-dir $(abspath $(LITE_DIR))
	@echo "JupyterLite site in $(LITE_DIR): serve it with any static web server, e.g. python -m http.server -d $(LITE_DIR)"

# The offline edition: each notebook run once, written as a static page (no kernel, no CDN; plotly.js
# shipped once in assets/), a start page with the learning path and the glossary. Kernels run in a
# temporary folder, so the build writes nothing but SITE_DIR.
SITE_DIR ?= build/site
HANDOUTS_DIR ?= build/handouts
site: $(VENV)/.kit-installed
	$(BIN)/python -m briefing.site.build --out $(SITE_DIR)

# One PDF per walk-through page (and the tabletop exercise's cards), printed by Debian's chromium.
handouts: $(VENV)/.test-installed site
	@$(BIN)/python scripts/preflight.py chromium
	$(BIN)/python -m briefing.site.handouts --site $(SITE_DIR) --out $(HANDOUTS_DIR)

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts build
