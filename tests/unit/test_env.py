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
    assert config["ENGINE"] == "mysite.postgresql"  # Django's, with deadlines (mysite/postgresql)
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


def test_a_statement_timeout_ends_slow_postgresql_statements_and_a_silent_server_a_second_later():
    config = env.database(statement_timeout=3, environ={"DATABASE_URL": "postgres://u:p@h/site"})
    assert config["OPTIONS"]["options"] == "-c statement_timeout=3000"
    assert config["OPTIONS"]["deadline"] == 4


def test_without_a_statement_timeout_the_client_waits_as_long_as_the_server_takes():
    config = env.database(environ={"DATABASE_URL": "postgres://u:p@h/site"})
    assert "deadline" not in config["OPTIONS"]
    assert "options" not in config["OPTIONS"]


def test_sqlite_gets_no_statement_timeout():
    config = env.database(statement_timeout=15, environ={"DATABASE_URL": "sqlite:////tmp/x"})
    assert "options" not in config.get("OPTIONS", {})


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), ("2.5", 2.5)])
def test_seconds_are_a_positive_number_or_nothing(value, expected):
    environ = {} if value is None else {"WAIT": value}
    assert env.seconds("WAIT", environ=environ) == expected


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_anything_else_is_not_a_number_of_seconds(value):
    with pytest.raises(env.ConfigurationError, match=f"^WAIT='{value}' is not a number of seconds"):
        env.seconds("WAIT", environ={"WAIT": value})


@pytest.mark.parametrize(
    ("entry", "bare"),
    [
        ("https://myapp-1234.herokuapp.com/", "myapp-1234.herokuapp.com"),
        ("example.com/", "example.com"),
    ],
)
def test_a_url_in_allowed_hosts_is_refused_naming_the_host_to_give(entry, bare):
    with pytest.raises(env.ConfigurationError, match="give host names only") as error:
        env.allowed_hosts(environ={"ALLOWED_HOSTS": entry})
    assert str(error.value).endswith(f"e.g. {bare}")


def test_herokus_default_domain_is_allowed_when_dyno_metadata_gives_it():
    environ = {"HEROKU_APP_DEFAULT_DOMAIN_NAME": "myapp-1234.herokuapp.com", "DYNO": "web.1"}
    assert env.allowed_hosts(environ=environ) == ["myapp-1234.herokuapp.com"]
    environ["ALLOWED_HOSTS"] = "www.example.com"
    assert env.allowed_hosts(environ=environ) == ["www.example.com", "myapp-1234.herokuapp.com"]


@pytest.mark.parametrize("dyno", ["web.1", "release.7", "run.1234"])
def test_a_heroku_dyno_without_allowed_hosts_answers_on_herokuapp_com_names(dyno):
    assert env.allowed_hosts(environ={"DYNO": dyno}) == [".herokuapp.com"]


def test_named_hosts_replace_the_herokuapp_com_fallback():
    environ = {"DYNO": "web.1", "ALLOWED_HOSTS": "www.example.com"}
    assert env.allowed_hosts(environ=environ) == ["www.example.com"]


def test_csrf_never_trusts_every_herokuapp_com_app():
    assert env.https_origins([".herokuapp.com", "www.example.com"]) == ["https://www.example.com"]


@pytest.mark.parametrize(
    ("environ", "state"), [({}, "is not set"), ({"DATABASE_URL": " "}, "is empty")]
)
def test_a_missing_database_url_says_whether_it_is_unset_or_empty(environ, state):
    with pytest.raises(env.ConfigurationError, match=f"^DATABASE_URL {state}"):
        env.database(environ=environ)
