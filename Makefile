# The kit's commands. `make lab` runs the kit; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8888
APP_PORT ?= 8866
PYTEST_ARGS ?=
# JupyterLab refuses to run as root unless told; say so only when we are root.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: lab test app bench lite clean help

help:
	@echo "make lab    set up .venv and open JupyterLab on notebooks/00_start_here.ipynb"
	@echo "make test   install what the tests need (incl. Debian's chromium) and run every test"
	@echo "make app    serve the notebooks as a no-code app (Voila) on 127.0.0.1:$(APP_PORT)"

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
		--ServerApp.port_retries=0 --ServerApp.root_dir=. $(ALLOW_ROOT)

app: $(VENV)/.kit-installed
	@$(BIN)/python scripts/preflight.py port $(APP_PORT)
	$(BIN)/voila notebooks/ --Voila.ip=127.0.0.1 --port=$(APP_PORT) --no-browser \
		--preheat_kernel=True --pool_size=1 --strip_sources=True

test: $(VENV)/.test-installed
	@$(BIN)/python scripts/preflight.py chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
