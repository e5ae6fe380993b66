# payroll: two commands for a newcomer: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := fonts-nanum libharfbuzz-subset0 poppler-utils postgresql chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages bytecode demo test test-unit test-integration test-e2e test-fast lint bench constraints clean help

help:
	@echo "make demo   set everything up, run a demo month, write payslips and ledgers"
	@echo "make test   the whole test suite on SQLite and PostgreSQL"
	@echo "make test-unit | test-integration | test-e2e   one layer of the suite"
	@echo "make lint   ruff"
	@echo "make bench  benchmarks (writes BENCHMARKS.md)"

setup: system-packages $(STAMP) bytecode

# The package's compiled modules, written here once: an environment may forbid writing
# them on import (PYTHONDONTWRITEBYTECODE), and every process (each command, each
# calculation or payslip worker) would then compile the whole package from source again,
# about 0.2 s of CPU each. Up-to-date files are skipped; an edited module is recompiled.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q payroll migrations >/dev/null

# Debian packages WeasyPrint needs for Korean payslips (NanumGothic, HarfBuzz subsetter),
# pdftotext/pdftoppm, PostgreSQL and Chromium + chromedriver (browser tests of the web
# console) for the tests; installed only when missing.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# constraints.txt pins every Python dependency to the versions the suite last passed with
# (regenerate with `make constraints` after an upgrade).
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

demo: setup
	@bash scripts/demo.sh

test: setup
	$(BIN)/pytest -q -p no:cacheprovider

# One layer at a time: unit (pure, no database), integration (services on SQLite and
# PostgreSQL), e2e (the CLI, the web console in chromium, the installed wheel).
test-unit: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/unit

test-integration: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/integration

test-e2e: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/e2e

test-fast: test-unit

lint: setup
	$(BIN)/ruff check payroll tests migrations scripts
	$(BIN)/ruff format --check payroll tests migrations scripts

bench: setup
	@if [ -f scripts/bench.py ]; then $(BIN)/python scripts/bench.py; \
	else echo "benchmarks: not yet"; fi

constraints:
	$(BIN)/pip freeze --exclude-editable | grep -v "^payroll" > constraints.txt

clean:
	rm -rf demo-out .pytest_cache .ruff_cache
