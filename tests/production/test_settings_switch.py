"""Every entry point (manage.py, mysite.wsgi, mysite.asgi) runs the settings PROD_SETTINGS selects.

Each case is a fresh process: gunicorn imports mysite.wsgi, never manage.py, and
the two must never disagree.
"""

import pytest

from mysite.settings_switch import DEVELOPMENT
from tests.support.environment import PYTHON, clean_environ, new_secret_key
from tests.support.processes import (
    error_lines,
    manage,
    run,
    settings_through_entry_module,
    settings_through_manage,
)

PRODUCTION_VARIABLES = {
    "SECRET_KEY": new_secret_key(),
    "DATABASE_URL": "postgres://mysite:pw@db.example.com:5432/mysite",
    "ALLOWED_HOSTS": "mysite.example.com",
}

CASES = [
    (None, "mysite.settings.development", True),
    ("", "mysite.settings.development", True),
    ("False", "mysite.settings.development", True),
    ("false", "mysite.settings.development", True),
    ("0", "mysite.settings.development", True),
    ("True", "mysite.settings.production", False),
    ("true", "mysite.settings.production", False),
    ("1", "mysite.settings.production", False),
]
ENTRY_POINTS = ["manage.py", "mysite.wsgi", "mysite.asgi"]


def loaded_settings(entry_point, environ):
    if entry_point == "manage.py":
        return settings_through_manage(environ, "SETTINGS_MODULE", "DEBUG")
    return settings_through_entry_module(entry_point, environ, "SETTINGS_MODULE", "DEBUG")


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.parametrize(("value", "module", "debug"), CASES)
def test_each_entry_point_runs_the_settings_prod_settings_selects(
    entry_point, value, module, debug
):
    environ = clean_environ(**PRODUCTION_VARIABLES)
    if value is not None:
        environ["PROD_SETTINGS"] = value
    assert loaded_settings(entry_point, environ) == {"SETTINGS_MODULE": module, "DEBUG": debug}


def test_development_runs_with_no_environment_at_all():
    assert loaded_settings("manage.py", clean_environ()) == {
        "SETTINGS_MODULE": "mysite.settings.development",
        "DEBUG": True,
    }


def test_production_keeps_debug_off_whatever_the_environment_says():
    environ = clean_environ(PROD_SETTINGS="True", DEBUG="True", **PRODUCTION_VARIABLES)
    assert loaded_settings("mysite.wsgi", environ)["DEBUG"] is False


def start(entry_point, environ):
    if entry_point == "manage.py":
        return manage("check", environ=environ)
    return run([PYTHON, "-c", f"import {entry_point}"], environ)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
@pytest.mark.parametrize("value", ["yes", "TRUE", "on"])
def test_an_unreadable_prod_settings_stops_every_entry_point_with_one_line(entry_point, value):
    result = start(entry_point, clean_environ(PROD_SETTINGS=value, **PRODUCTION_VARIABLES))
    assert result.returncode != 0
    assert error_lines(result) == [
        f"Configuration error: PROD_SETTINGS='{value}' is not a boolean: "
        "use True or False (true/false and 1/0 also work)"
    ]


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_a_settings_module_contradicting_prod_settings_stops_every_entry_point(entry_point):
    environ = clean_environ(
        PROD_SETTINGS="True", DJANGO_SETTINGS_MODULE=DEVELOPMENT, **PRODUCTION_VARIABLES
    )
    result = start(entry_point, environ)
    assert result.returncode != 0
    [line] = error_lines(result)
    assert f"DJANGO_SETTINGS_MODULE={DEVELOPMENT} contradicts PROD_SETTINGS=True" in line


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_a_heroku_dyno_without_prod_settings_stops_every_entry_point(entry_point):
    result = start(entry_point, clean_environ(DYNO="web.1", **PRODUCTION_VARIABLES))
    assert result.returncode != 0
    assert error_lines(result) == [
        "Configuration error: DYNO=web.1 says this is a Heroku dyno, but PROD_SETTINGS is not "
        "True: heroku config:set PROD_SETTINGS=True"
    ]
