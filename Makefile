# The two commands of the README: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast bench lint install install-test browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml static/package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	npm ci --prefix static --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-test: pyproject.toml static/package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	npm ci --prefix static --no-audit --no-fund --loglevel=error
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	bash scripts/install-chromium.sh

run: install
	$(BIN)/nn-playground

test: install-test browser
	$(BIN)/pytest -m "slow or not slow"

test-fast: install-test
	$(BIN)/pytest -m "not slow"

bench: install-test
	$(BIN)/python -m bench

lint: install-test
	$(BIN)/ruff check app tests bench
