# courts: `make run` to try it, `make test` to check it. Everything else is a helper of those two.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/courts

.PHONY: help install run test test-sqlite test-postgres lint audit postgres chromium clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

install: $(BIN)/.installed node_modules/.installed ## Install Python and npm dependencies (pinned)

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install ## Migrate, load reference and demo data, serve on http://127.0.0.1:8000 with a delivery worker
	$(BIN)/courts migrate --no-input -v 0
	$(BIN)/courts load-reference
	$(BIN)/courts demo --if-empty
	$(BIN)/courts worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/courts serve --bind $(HOST):$(PORT)

test: install chromium lint test-sqlite test-postgres ## Lint, then the whole suite on SQLite and on PostgreSQL

lint: install
	$(BIN)/ruff check .
	$(BIN)/courts makemigrations --check --dry-run -v 1

test-sqlite: install chromium
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install chromium postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

# Not part of `make test`: it asks PyPI's vulnerability service about every pinned package, so it needs the
# network. --strict makes a package it cannot look up (offline, or not on PyPI) a failure, not a silent pass.
audit: install ## Check the pinned Python packages for known vulnerabilities (pip-audit; needs PyPI)
	$(BIN)/pip-audit --requirement requirements.lock --no-deps --disable-pip --strict --progress-spinner off

postgres: ## Start the local PostgreSQL cluster if it is not running
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start" >&2; exit 1

chromium: ## Debian Chromium for the browser tests (Playwright drives it; no browser download)
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

clean: ## Remove the virtual environment, npm packages and local data
	rm -rf $(VENV) node_modules data
