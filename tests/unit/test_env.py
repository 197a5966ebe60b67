"""Reading configuration from the environment: strict, and every error names its variable."""

import pytest

from mysite import env


@pytest.mark.parametrize("value", ["True", "true", "1"])
def test_a_true_word_reads_as_true(value):
    assert env.boolean("FLAG", environ={"FLAG": value}) is True


@pytest.mark.parametrize("value", ["False", "false", "0"])
def test_a_false_word_reads_as_false(value):
    assert env.boolean("FLAG", default=True, environ={"FLAG": value}) is False


@pytest.mark.parametrize("environ", [{}, {"FLAG": ""}])
def test_an_unset_or_empty_flag_takes_its_default(environ):
    assert env.boolean("FLAG", default=True, environ=environ) is True
    assert env.boolean("FLAG", default=False, environ=environ) is False


@pytest.mark.parametrize("value", ["yes", "on", "TRUE", " true", "False ", "2"])
def test_any_other_flag_value_is_an_error_naming_variable_and_value(value):
    with pytest.raises(env.ConfigurationError) as error:
        env.boolean("FLAG", environ={"FLAG": value})
    assert "FLAG=" in str(error.value)
    assert repr(value) in str(error.value)


def test_a_list_tolerates_spaces_and_a_trailing_comma():
    environ = {"HOSTS": " a.example.com , b.example.com,"}
    assert env.listing("HOSTS", environ=environ) == ["a.example.com", "b.example.com"]


@pytest.mark.parametrize("value", ["", " , ", None])
def test_allowed_hosts_must_name_at_least_one_host(value):
    environ = {} if value is None else {"ALLOWED_HOSTS": value}
    with pytest.raises(env.ConfigurationError, match=r"^ALLOWED_HOSTS is"):
        env.allowed_hosts(environ=environ)


def test_allowed_hosts_refuses_the_wildcard():
    with pytest.raises(env.ConfigurationError, match=r"^ALLOWED_HOSTS contains '\*'"):
        env.allowed_hosts(environ={"ALLOWED_HOSTS": "a.example.com,*"})


def test_csrf_origins_are_https_and_a_leading_dot_means_subdomains():
    assert env.https_origins(["a.example.com", ".example.org"]) == [
        "https://a.example.com",
        "https://*.example.org",
    ]


def test_a_long_random_secret_key_is_accepted():
    key = "k3y-" + "abcdefghij" * 5
    assert env.secret_key(environ={"SECRET_KEY": key}) == key


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "is not set"),
        ("", "is empty"),
        ("x" * 49, "is only 49 characters long"),
        ("django-insecure-" + "abcdefghij" * 5, "starts with 'django-insecure'"),
        ("ab" * 30, "has fewer than 5 distinct characters"),
    ],
)
def test_a_weak_secret_key_is_refused_with_its_problem(value, problem):
    environ = {} if value is None else {"SECRET_KEY": value}
    with pytest.raises(env.ConfigurationError) as error:
        env.secret_key(environ=environ)
    assert str(error.value).startswith(f"SECRET_KEY {problem}")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_both_postgres_url_schemes_give_postgresql(scheme):
    config = env.database(environ={"DATABASE_URL": f"{scheme}://u:p@db.example.com:5432/site"})
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"]) == ("db.example.com", "site")


def test_postgresql_connections_time_out_after_a_few_seconds():
    config = env.database(environ={"DATABASE_URL": "postgres://u:p@h/site"})
    assert config["OPTIONS"]["connect_timeout"] == env.POSTGRES_CONNECT_TIMEOUT <= 5


def test_ssl_is_required_of_postgresql_when_asked():
    config = env.database(ssl_require=True, environ={"DATABASE_URL": "postgres://u:p@h/site"})
    assert config["OPTIONS"]["sslmode"] == "require"


def test_ssl_is_never_asked_of_sqlite():
    config = env.database(ssl_require=True, environ={"DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert "sslmode" not in config.get("OPTIONS", {})


def test_the_default_url_serves_when_database_url_is_unset():
    config = env.database(default="sqlite:////tmp/dev.sqlite3", environ={})
    assert config["NAME"] == "/tmp/dev.sqlite3"


def test_a_missing_required_database_url_is_an_error_naming_it():
    with pytest.raises(env.ConfigurationError, match=r"^DATABASE_URL is not set"):
        env.database(environ={})


@pytest.mark.parametrize("url", ["nonsense", "postgres://u:s3cret@h:port/site"])
def test_a_bad_database_url_is_named_without_repeating_its_password(url):
    with pytest.raises(env.ConfigurationError, match=r"^DATABASE_URL is not a database URL") as e:
        env.database(environ={"DATABASE_URL": url})
    assert "s3cret" not in str(e.value)
