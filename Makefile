# The two commands of the README: `make run` and `make test`. Each installs what it needs,
# from the lock files (requirements.lock, requirements-test.lock), so every machine, CI and the
# Docker image get the same versions. `make lock` writes the lock files again from pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# One lock for every platform, for the Python the image runs (the lock's markers pick
# tensorflow-cpu on Linux, tensorflow elsewhere).
LOCK_PYTHON := 3.11
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version $(LOCK_PYTHON) \
	--generate-hashes --quiet --custom-compile-command "make lock"
NPM_SCRIPTS = $(shell node -e 'console.log(Object.keys(require("./static/package.json").scripts || {}).join(" "))' 2>/dev/null)

.PHONY: run test test-fast bench lint mypy mypy-pending install install-test browser postgres lock lock-upgrade docker-image docker-prune

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml static/package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	npm ci --prefix static --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml static/package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	npm ci --prefix static --no-audit --no-fund --loglevel=error
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The lock files from pyproject.toml, keeping every pin that still fits (run it after changing
# the dependencies; tests/ops/test_lock.py fails until it is run). `make lock-upgrade` takes the
# newest versions pyproject.toml allows. The test lock is constrained by the runtime one, so
# tests run the very versions the image serves with.
lock: | $(BIN)/python
	[ -x $(BIN)/uv ] || $(BIN)/pip install --quiet uv
	$(UV_COMPILE) $(UPGRADE) -o requirements.lock
	$(UV_COMPILE) $(UPGRADE) --extra test --extra cluster -c requirements.lock -o requirements-test.lock

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	bash scripts/install-chromium.sh

# Debian's PostgreSQL for the tests that run on it too (they start a throw-away cluster of their own).
postgres:
	bash scripts/install-postgres.sh

run: install
	$(BIN)/nn-playground

test: install-test browser postgres
	$(BIN)/pytest -m "slow or not slow"

test-fast: install-test
	$(BIN)/pytest -m "not slow"

bench: install-test
	$(BIN)/python -m bench

# ruff and mypy on the Python; the page's own lint and type checks when static/package.json has them.
lint: install-test
	$(BIN)/ruff check app nn_playground tests bench
	$(BIN)/mypy
	$(if $(filter lint,$(NPM_SCRIPTS)),npm --prefix static run lint)
	$(if $(filter typecheck,$(NPM_SCRIPTS)),npm --prefix static run typecheck)

mypy: install-test
	$(BIN)/mypy

# The errors still waived in pyproject.toml (between "mypy-pending: begin" and "end"), by file.
mypy-pending: install-test
	sed '/^# mypy-pending: begin/,/^# mypy-pending: end/d' pyproject.toml > $(VENV)/mypy-all.toml
	-$(BIN)/mypy --config-file $(VENV)/mypy-all.toml | grep ': error:' | cut -d: -f1 | sort | uniq -c | sort -rn

# The image as the README builds it, and what its build leaves behind: the stage that installs
# the browser libraries (a dangling image with the classic builder, build cache with BuildKit).
docker-image:
	docker build -t nn-playground .

docker-prune:
	docker image prune --force --filter label=nn-playground.stage=build
	-docker builder prune --force
