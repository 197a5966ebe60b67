"""The one place that decides which settings run: the PROD_SETTINGS variable.

manage.py, mysite/wsgi.py and mysite/asgi.py all call activate_or_exit(), so a
management command (the release phase's migrate) and the web server (gunicorn
imports mysite.wsgi, never manage.py) can never run different settings.

pyproject.toml sets DJANGO_SETTINGS_MODULE for pytest's own process only (pytest-django reads
it there); the processes the tests start get a clean environment and are selected here.
"""

import os
import sys

from mysite import env

DEVELOPMENT = "mysite.settings.development"
PRODUCTION = "mysite.settings.production"

# Exit status for a configuration error. 3 is gunicorn's "worker failed to
# boot": when a gunicorn worker exits with it, the master stops instead of
# respawning the worker forever, so a bad config var ends a dyno cleanly.
EXIT_CONFIGURATION_ERROR = 3


def settings_module(environ=os.environ):
    """The settings module that PROD_SETTINGS (and DJANGO_SETTINGS_MODULE, if set) select."""
    production = env.boolean("PROD_SETTINGS", default=False, environ=environ)
    if not production and environ.get("DYNO"):
        # Heroku sets DYNO on web, release and one-off dynos: never serve development
        # settings (debug pages, the published development key) from one.
        raise env.ConfigurationError(
            f"DYNO={environ['DYNO']} says this is a Heroku dyno, but PROD_SETTINGS is not True: "
            "heroku config:set PROD_SETTINGS=True"
        )
    explicit = environ.get("DJANGO_SETTINGS_MODULE", "")
    if production:
        if explicit and explicit != PRODUCTION:
            raise env.ConfigurationError(
                f"DJANGO_SETTINGS_MODULE={explicit} contradicts PROD_SETTINGS=True, which runs "
                f"{PRODUCTION}: unset DJANGO_SETTINGS_MODULE"
            )
        return PRODUCTION
    if explicit == PRODUCTION:
        raise env.ConfigurationError(
            f"DJANGO_SETTINGS_MODULE={PRODUCTION} is set but PROD_SETTINGS is not True: "
            "set PROD_SETTINGS=True and unset DJANGO_SETTINGS_MODULE"
        )
    return explicit or DEVELOPMENT


def activate(environ=os.environ):
    """Select the settings module for Django and load it now.

    Loading here, not lazily on the first request, makes a missing or bad
    variable stop the process before it serves anything.
    """
    module = settings_module(environ)
    environ["DJANGO_SETTINGS_MODULE"] = module
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 - the access imports the settings module
    return module


def activate_or_exit(environ=os.environ):
    """activate(), turning a configuration error into one line on stderr and an exit."""
    try:
        return activate(environ)
    except env.ConfigurationError as error:
        print(f"Configuration error: {error}", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_CONFIGURATION_ERROR) from None
