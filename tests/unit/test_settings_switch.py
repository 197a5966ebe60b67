"""PROD_SETTINGS alone decides the settings module; contradictions are errors, never a fallback."""

import pytest

from mysite import env
from mysite.settings_switch import DEVELOPMENT, PRODUCTION, settings_module


@pytest.mark.parametrize("value", [None, "", "False", "false", "0"])
def test_development_unless_prod_settings_is_true(value):
    environ = {} if value is None else {"PROD_SETTINGS": value}
    assert settings_module(environ) == DEVELOPMENT


@pytest.mark.parametrize("value", ["True", "true", "1"])
def test_production_when_prod_settings_is_true(value):
    assert settings_module({"PROD_SETTINGS": value}) == PRODUCTION


@pytest.mark.parametrize("value", ["yes", "TRUE", "production"])
def test_an_unreadable_prod_settings_is_an_error_naming_it_and_its_value(value):
    with pytest.raises(env.ConfigurationError, match=f"^PROD_SETTINGS='{value}' is not a boolean"):
        settings_module({"PROD_SETTINGS": value})


def test_an_explicit_settings_module_agreeing_with_production_is_accepted():
    environ = {"PROD_SETTINGS": "True", "DJANGO_SETTINGS_MODULE": PRODUCTION}
    assert settings_module(environ) == PRODUCTION


def test_an_explicit_development_module_contradicting_production_is_an_error():
    environ = {"PROD_SETTINGS": "True", "DJANGO_SETTINGS_MODULE": DEVELOPMENT}
    with pytest.raises(env.ConfigurationError, match="contradicts PROD_SETTINGS=True"):
        settings_module(environ)


@pytest.mark.parametrize("value", [None, "False"])
def test_the_production_module_without_prod_settings_true_is_an_error(value):
    environ = {"DJANGO_SETTINGS_MODULE": PRODUCTION}
    if value is not None:
        environ["PROD_SETTINGS"] = value
    with pytest.raises(env.ConfigurationError, match="set PROD_SETTINGS=True"):
        settings_module(environ)


@pytest.mark.parametrize("value", [None, "", "False"])
def test_a_heroku_dyno_refuses_anything_but_production(value):
    environ = {"DYNO": "web.1"}
    if value is not None:
        environ["PROD_SETTINGS"] = value
    with pytest.raises(env.ConfigurationError, match=r"^DYNO=web\.1 says this is a Heroku dyno"):
        settings_module(environ)


def test_a_heroku_dyno_runs_production():
    assert settings_module({"DYNO": "run.2", "PROD_SETTINGS": "True"}) == PRODUCTION


def test_another_explicit_module_is_honoured_in_development():
    environ = {"DJANGO_SETTINGS_MODULE": "mysite.settings_local"}
    assert settings_module(environ) == "mysite.settings_local"
