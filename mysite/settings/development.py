"""Development settings: base.py plus what a laptop needs. They run with no environment at all
(`make dev`, `make up`). Nothing here reaches production (tests/production/test_settings_split.py).
"""

import importlib.util

from mysite import env
from mysite.settings.base import *  # noqa: F403 - development changes what follows

# A throwaway key, good for development only: production refuses any key
# starting with "django-insecure" and requires SECRET_KEY from the environment.
SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105

DEBUG = True

# Empty means localhost only while DEBUG is on; set ALLOWED_HOSTS to reach the
# dev server by another name.
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS")

# runserver leaves static files to WhiteNoise, as production serves them: before staticfiles,
# whose own runserver would take over otherwise.
INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]  # noqa: F405

# Tools of the host's virtualenv (`make venv`), never of the image: make lint's migration linter.
if importlib.util.find_spec("django_migration_linter"):
    INSTALLED_APPS += ["django_migration_linter"]

# SQLite in the repository unless DATABASE_URL names another database
# (docker compose points it at PostgreSQL).
DATABASES = {"default": env.database(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}  # noqa: F405

# The policy is reported in the browser console, not enforced: Django's debug pages use
# inline styles.
SECURE_CSP_REPORT_ONLY, SECURE_CSP = SECURE_CSP, {}  # noqa: F405
