"""What production changes, read from the settings as a production process loads them."""

import pytest

from tests.support.environment import clean_environ, new_secret_key
from tests.support.processes import manage, settings_through_entry_module


def production(**overrides):
    environ = clean_environ(
        PROD_SETTINGS="True",
        SECRET_KEY=new_secret_key(),
        DATABASE_URL="postgres://mysite:pw@db.example.com:5432/mysite",
        ALLOWED_HOSTS=" mysite.example.com, .example.org ,",
    )
    environ.update(overrides)
    return environ


def loaded(environ, *names):
    return settings_through_entry_module("mysite.wsgi", environ, *names)


def test_the_deploy_check_passes_with_zero_issues():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environ=production())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_would_fail_on_a_weak_setting():
    # The check above can fail: switch off one protection the deploy check knows about.
    environ = production()
    environ["DJANGO_SETTINGS_MODULE"] = "tests.production.settings_without_hsts"
    environ["PROD_SETTINGS"] = "False"
    result = manage("check", "--deploy", "--fail-level", "WARNING", environ=environ)
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_allowed_hosts_and_csrf_origins_come_from_the_environment():
    settings = loaded(production(), "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")
    assert settings == {
        "ALLOWED_HOSTS": ["mysite.example.com", ".example.org"],
        "CSRF_TRUSTED_ORIGINS": ["https://mysite.example.com", "https://*.example.org"],
    }


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_the_database_is_persistent_health_checked_and_over_ssl(scheme):
    url = f"{scheme}://mysite:pw@db.example.com:5432/mysite"
    database = loaded(production(DATABASE_URL=url), "DATABASES")["DATABASES"]["default"]
    assert database["ENGINE"] == "mysite.postgresql"
    assert database["CONN_MAX_AGE"] == 600
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["sslmode"] == "require"


def test_requests_statements_end_after_three_seconds_and_a_silent_server_after_four():
    options = loaded(production(), "DATABASES")["DATABASES"]["default"]["OPTIONS"]
    assert (options["options"], options["deadline"]) == ("-c statement_timeout=3000", 4)


def test_a_statement_timeout_from_the_environment_reaches_postgresql_and_the_deadline():
    database = loaded(production(DATABASE_STATEMENT_TIMEOUT="7"), "DATABASES")["DATABASES"]
    assert database["default"]["OPTIONS"]["options"] == "-c statement_timeout=7000"
    assert database["default"]["OPTIONS"]["deadline"] == 8


def test_ssl_can_be_switched_off_explicitly_for_a_local_database():
    environ = production(DATABASE_SSL_REQUIRE="False")
    database = loaded(environ, "DATABASES")["DATABASES"]["default"]
    assert "sslmode" not in database["OPTIONS"]


def test_hsts_preload_is_off_unless_opted_in():
    names = ("SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS")
    assert loaded(production(), *names) == {
        "SECURE_HSTS_PRELOAD": False,
        "SILENCED_SYSTEM_CHECKS": ["security.W021"],
    }
    assert loaded(production(SECURE_HSTS_PRELOAD="True"), *names) == {
        "SECURE_HSTS_PRELOAD": True,
        "SILENCED_SYSTEM_CHECKS": [],
    }


def test_static_files_use_compressed_hashed_storage_with_a_default_storage():
    settings = loaded(production(), "STORAGES", "STATIC_ROOT")
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "default" in settings["STORAGES"]
    assert settings["STATIC_ROOT"].endswith("/staticfiles")
