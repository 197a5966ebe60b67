# mysite: `make help` lists the targets.
# Quickstart: `make up` (the dev stack at http://localhost:8000), then `make test`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
COMPOSE ?= docker compose
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k guestbook -x"
PYTEST_ARGS ?=

# The dev container runs as you, so files it creates (migrations) are yours.
export DEV_UID := $(shell id -u)
export DEV_GID := $(shell id -g)

.DEFAULT_GOAL := help

.PHONY: help up down logs shell migrate createsuperuser build prod test lint lint-code audit format bench clean \
        venv dev heroku-check heroku-create heroku-deploy heroku-logs

help: ## Show the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- The Docker stacks ---------------------------------------------------------------

up: ## Start the dev stack (runserver + PostgreSQL 17) at http://localhost:8000
	$(COMPOSE) up --build --detach --wait web
	@echo "mysite is up: http://localhost:$${WEB_PORT:-8000} (make logs to follow, make down to stop)"

down: ## Stop the stacks; the database is kept
	$(COMPOSE) --profile prod down --remove-orphans

logs: ## Follow the stacks' logs
	$(COMPOSE) --profile prod logs --follow

shell: ## A Django shell in the running dev stack
	$(COMPOSE) exec web python manage.py shell

migrate: ## Apply migrations in the running dev stack
	$(COMPOSE) exec web python manage.py migrate

createsuperuser: ## Create an admin user in the running dev stack
	$(COMPOSE) exec web python manage.py createsuperuser

build: ## Build the image
	$(COMPOSE) build web

prod: ## Run the image the production way (gunicorn) behind a local router: https://localhost:8443
	SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(COMPOSE) --profile prod up --build --detach --wait prod router
	@echo "production settings, self-signed TLS: https://localhost:$${PROD_PORT:-8443}"

bench: venv ## Benchmark the production image against its ceilings (needs Docker and wrk): docs/benchmarks/
	$(BIN)/python -m bench.run

clean: ## Stop the stacks and delete their data (the database volume)
	$(COMPOSE) --profile prod down --volumes --remove-orphans

# --- Without Docker -------------------------------------------------------------------

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed ## Create or update the local virtualenv (.venv) with the dev tools

dev: venv ## Run the dev server without Docker: SQLite, http://127.0.0.1:8000
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py runserver

test: venv ## Run the whole test suite (container tests need Docker; PostgreSQL if DATABASE_URL names one)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: lint-code audit ## All checks: code and Dockerfiles, then the dependency audit

lint-code: venv ## Check code and Dockerfiles: ruff (lint, format), hadolint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile router/Dockerfile

audit: venv ## Audit requirements.txt for known vulnerabilities (pip-audit, via PyPI's JSON API)
	$(BIN)/pip-audit --strict --requirement requirements.txt

format: venv ## Rewrite code to the project's style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# --- Heroku ---------------------------------------------------------------------------

heroku-check:
	@command -v heroku >/dev/null 2>&1 || { \
	  echo "The heroku CLI is not installed. Install it (npm install --global heroku, or see"; \
	  echo "https://devcenter.heroku.com/articles/heroku-cli), then run: heroku login"; \
	  exit 1; }

heroku-create: heroku-check ## Create a Heroku app on the container stack, with Postgres (heroku.yml)
	heroku create --manifest

heroku-deploy: heroku-check ## Deploy: push main to Heroku, which builds, migrates (release) and runs
	git push heroku main

heroku-logs: heroku-check ## Follow the Heroku app's logs
	heroku logs --tail
