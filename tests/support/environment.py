"""Environments for the processes the tests start: nothing leaks in from the caller's shell."""

import os
import secrets
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# Variables the project reads; a test sets the ones it means, never inherits them.
APP_VARIABLES = (
    "PROD_SETTINGS",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_SSL_REQUIRE",
    "ALLOWED_HOSTS",
    "SECURE_HSTS_PRELOAD",
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "DEBUG",
    "DYNO",
    "HEROKU_APP_DEFAULT_DOMAIN_NAME",
    "DATABASE_STATEMENT_TIMEOUT",
)

SITE_HOST = "mysite.example.com"


def new_secret_key():
    return secrets.token_urlsafe(50)


def clean_environ(**overrides):
    """The caller's environment without the project's variables, plus the overrides."""
    environ = {key: value for key, value in os.environ.items() if key not in APP_VARIABLES}
    environ["PYTHONDONTWRITEBYTECODE"] = "1"
    environ.update(overrides)
    return environ


def production_environ(database_url, **overrides):
    """A complete, valid production environment as Heroku would set it (no SSL locally)."""
    environ = clean_environ(
        PROD_SETTINGS="True",
        SECRET_KEY=new_secret_key(),
        DATABASE_URL=database_url,
        DATABASE_SSL_REQUIRE="False",
        ALLOWED_HOSTS=SITE_HOST,
    )
    environ.update(overrides)
    return {key: value for key, value in environ.items() if value is not None}
