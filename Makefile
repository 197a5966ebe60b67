# mysite: `make help` lists the targets.
# Quickstart: `make up` (the dev stack at http://localhost:8000), then `make test`.

# The virtualenv's Python: .python-version's (3.13, the image's; pyenv and Heroku's buildpack
# read it), or pyenv's global Python where that version is not installed (3.11+ works).
PYTHON ?= $(shell python3 -c pass 2>/dev/null && echo python3 || echo "env PYENV_VERSION=`pyenv global 2>/dev/null | head -n 1` python3")
VENV ?= .venv
BIN := $(VENV)/bin
COMPOSE ?= docker compose
# The development site's port, for make up and make dev alike.
export WEB_PORT ?= 8000
# Heroku Postgres plan: heroku.yml's setup section is the one place that names it.
POSTGRES_PLAN = $(shell sed -n 's/^ *- plan: *//p' heroku.yml)
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k guestbook -x"
PYTEST_ARGS ?=
# The Heroku app a Container Registry deploy goes to: make heroku-container-deploy APP=my-app
APP ?=
# Where the Container Registry images are tagged for: Heroku's registry (tests use a local one).
HEROKU_REGISTRY ?= registry.heroku.com

# The dev container runs as you, so files it creates (migrations) are yours.
export DEV_UID := $(shell id -u)
export DEV_GID := $(shell id -g)

.DEFAULT_GOAL := help

.PHONY: help up down logs shell migrate createsuperuser build prod test test-all test-postgres lint lint-code \
        lint-python lint-docker lint-config lint-django lint-migrations audit format bench clean \
        venv dev heroku-check heroku-create heroku-deploy heroku-logs heroku-container-images \
        heroku-container-deploy

help: ## Show the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-24s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

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

# Its release step is heroku.yml's release command (tests/unit/test_heroku_files.py holds them equal).
prod: ## Run the image the production way (release, then gunicorn) behind a local router: https://localhost:8443
	export SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') && \
	  $(COMPOSE) --profile prod build prod router && \
	  $(COMPOSE) --profile prod run --rm prod python manage.py release && \
	  $(COMPOSE) --profile prod up --detach --wait prod router
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
	$(BIN)/python manage.py runserver 127.0.0.1:$(WEB_PORT)

# The tests that need neither Docker, a browser nor the Heroku CLI (pyproject.toml's markers).
FAST_TESTS = -m "not container and not browser and not heroku_cli"
# Runs the command after it with DATABASE_URL naming a throwaway PostgreSQL 17 on 127.0.0.1,
# the dev stack's image, removed afterwards (tests/support/postgres.py, as the tests start one).
WITH_POSTGRES = $(BIN)/python -m tests.support.postgres

test: venv ## Run every test that needs neither Docker nor a browser, on SQLite (about a minute)
	$(BIN)/python -m pytest $(FAST_TESTS) $(PYTEST_ARGS)

test-all: venv ## Run the whole suite: container, browser and Heroku CLI tests too (CI: REQUIRE_DOCKER=1)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: venv ## Run make test's tests against PostgreSQL 17 in a throwaway container (needs Docker)
	$(WITH_POSTGRES) $(BIN)/python -m pytest $(FAST_TESTS) $(PYTEST_ARGS)

lint: lint-code audit ## Every check: code, Dockerfiles, config files, Django; then the dependency audit

lint-code: lint-python lint-docker lint-config lint-django lint-migrations ## Every check but the dependency audit

lint-python: venv ## ruff: lint and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-docker: venv ## hadolint on the Dockerfiles; no BuildKit-only syntax (Heroku builds with the classic builder)
	$(BIN)/hadolint Dockerfile router/Dockerfile
	$(BIN)/python scripts/check-classic-dockerfile Dockerfile router/Dockerfile

lint-config: venv ## docker compose config, and the compose file, workflow and Dependabot against their schemas
	$(COMPOSE) config --quiet
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/ci.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

lint-django: venv ## No model change without its migration; the deploy check clean under production settings
	$(BIN)/python manage.py makemigrations --check --dry-run
	PROD_SETTINGS=True ALLOWED_HOSTS=lint.example.com DATABASE_URL=postgres://lint@localhost/lint \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# The release phase migrates while the previous release still serves: a migration the running code
# cannot work beside takes the site down. The linter reads PostgreSQL's own SQL for each migration.
lint-migrations: venv ## No migration old code cannot run beside (dropped or renamed columns and tables, NOT NULL without a database default); needs Docker
	$(WITH_POSTGRES) $(BIN)/python manage.py lintmigrations --no-cache

audit: venv ## pip-audit: known vulnerabilities in requirements.txt (says NOT AUDITED when offline)
	scripts/audit $(BIN)/pip-audit

format: venv ## Rewrite code to the project's style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# --- Heroku ---------------------------------------------------------------------------

heroku-check:
	@command -v heroku >/dev/null 2>&1 || { \
	  echo "The heroku CLI is not installed. Install it (npm install --global heroku, or see"; \
	  echo "https://devcenter.heroku.com/articles/heroku-cli), then run: heroku login"; \
	  exit 1; }

heroku-create: heroku-check ## Create a Heroku app on the container stack, with Postgres and its config vars
	heroku create --stack container
	heroku addons:create $(POSTGRES_PLAN)
# Provisioning runs in the background: the first release must not start before DATABASE_URL exists.
	heroku addons:wait
	heroku config:set SECRET_KEY="$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"
	heroku config:set ALLOWED_HOSTS="$$(heroku domains --json | $(PYTHON) -c 'import json, sys; print(",".join(d["hostname"] for d in json.load(sys.stdin)))')"

heroku-deploy: heroku-check ## Deploy: push main to Heroku, which builds, migrates (release) and runs
	git push heroku main

heroku-logs: heroku-check ## Follow the Heroku app's logs
	heroku logs --tail

# --- Heroku's Container Registry (heroku container:push/release) ------------------------

# An image of one Dockerfile stage as Heroku's registry takes it: linux/amd64 (what dynos
# run, whatever the machine), without provenance or SBOM attestations, in Docker's media
# types (a Docker V2 schema 2 manifest, not OCI's), loaded into the engine to push from there.
HEROKU_IMAGE_BUILD = docker buildx build --platform linux/amd64 --provenance=false --sbom=false \
  --output type=docker,oci-mediatypes=false

heroku-container-images: ## Build the web and release images for Heroku's Container Registry (APP=name)
	@test -n "$(APP)" || { echo "APP is not set: make $@ APP=my-app (the Heroku app's name)"; exit 1; }
	$(HEROKU_IMAGE_BUILD) --target web --tag $(HEROKU_REGISTRY)/$(APP)/web .
	$(HEROKU_IMAGE_BUILD) --target release --tag $(HEROKU_REGISTRY)/$(APP)/release .

heroku-container-deploy: ## Deploy through the Container Registry: build, push, release web and release (APP=name)
	@scripts/heroku-container-check "$(APP)"
	$(MAKE) --no-print-directory heroku-container-images
	heroku container:login
	docker push $(HEROKU_REGISTRY)/$(APP)/web
	docker push $(HEROKU_REGISTRY)/$(APP)/release
# Both at once: the release phase runs the new release image, then the new web image goes live.
	heroku container:release web release --app $(APP)
