# Guyub: `make run` serves a seeded demo, `make test` runs every test.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Python >= 3.12: $(PYTHON) if given, else the first suitable of python3.13, python3.12,
# python3, then pyenv's installs (newest first), found even when pyenv is not on PATH.
PYENV_PYTHONS = $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.* 2>/dev/null | sort -rV | sed 's|$$|/bin/python3|')
FIND_PYTHON := for c in $(PYTHON) python3.13 python3.12 python3 $(PYENV_PYTHONS); do \
	  if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$c; break; fi; done

.PHONY: help install run test test-fast bench lint messages seed clean

help:
	@echo "make run    create .venv, install, migrate, seed demo data once, serve on 127.0.0.1:$(PORT)"
	@echo "make test   run the whole test suite (DATABASE_URL picks the database; SQLite by default)"
	@echo "make bench  benchmarks in tests/bench/ (PostgreSQL via BENCH_DATABASE_URL)"
	@echo "make lint   ruff"

$(BIN)/python:
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
	  echo "Guyub needs Python 3.12 or newer. Install it (e.g. 'apt-get install python3.12-venv'," >&2; \
	  echo "'pyenv install 3.13', or python.org), or point to one: make run PYTHON=/path/to/python3.12" >&2; \
	  exit 1; fi; \
	echo "Using $$py ($$($$py --version))"; \
	$$py -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

# Compiled catalogues are committed so `make run` needs no gettext; rebuild after editing .po.
messages: install
	$(BIN)/python manage.py makemessages -l id -l en --ignore=.venv --ignore=tests --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

# Demo data is seeded when the SQLite database is first created (seed_demo is idempotent anyway).
run: install
	@fresh=$$(test -f db.sqlite3 || echo yes); \
	$(BIN)/python manage.py migrate --no-input -v0 && \
	if [ -n "$$fresh" ]; then $(BIN)/python manage.py seed_demo; fi
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Tests run in one process per core (pytest-xdist); `make test PYTEST_ARGS=-n0` runs them in one.
PYTEST_ARGS ?= -n auto

test: install
	$(BIN)/python manage.py collectstatic --no-input -v0 --settings=cms.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python tests/bench/run.py
	for script in tests/bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles
