# Thi đua – Khen thưởng: award nomination and approval engine.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

run: $(STAMP) ## Migrate, seed the demo province, start web + Celery worker + beat (embedded mode)
	./scripts/run.sh

run-prod: $(STAMP) ## The production topology here: gunicorn x2, Celery worker, one locked beat, PostgreSQL + Redis
	./scripts/run_prod.sh

test: $(STAMP) ## Run the whole test suite (SQLite; PostgreSQL/Redis tests run when DATABASE_URL/CELERY_BROKER_URL are set)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check + format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

messages: $(STAMP) ## Recompile the Vietnamese catalogue (needs gettext's msgfmt)
	$(PY) manage.py compilemessages -l vi -l en --ignore=.venv

.PHONY: help install run run-prod test lint messages
