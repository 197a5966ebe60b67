# mysite: `make help` lists the targets. Quickstart: `make dev` (no Docker) and `make test`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k guestbook -x"
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help venv dev migrate test lint format

help: ## Show the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed ## Create or update the local virtualenv (.venv) with the dev tools

dev: venv ## Run the dev server without Docker: SQLite, http://127.0.0.1:8000
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py runserver

migrate: venv ## Apply migrations to the local database (SQLite unless DATABASE_URL is set)
	$(BIN)/python manage.py migrate

test: venv ## Run the whole test suite (PostgreSQL too when DATABASE_URL names one)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv ## Check code style: ruff lint and format
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv ## Rewrite code to the project's style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
