"""A missing or bad production variable stops the process before it serves, with one clear line."""

import subprocess

import pytest

from tests.support.environment import PYTHON, REPO, clean_environ, new_secret_key
from tests.support.processes import error_lines, manage, run
from tests.support.servers import free_port

VALID = {
    "PROD_SETTINGS": "True",
    "SECRET_KEY": new_secret_key(),
    "DATABASE_URL": "postgres://mysite:pw@db.example.com:5432/mysite",
    "ALLOWED_HOSTS": "mysite.example.com",
}

# (what is wrong, the variable the one line must name, how it starts)
BROKEN = [
    ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": ""}, "SECRET_KEY is empty"),
    ({"SECRET_KEY": "too-short-" * 4}, "SECRET_KEY is only 40 characters long"),
    ({"SECRET_KEY": "django-insecure-" + "q" * 60}, "SECRET_KEY starts with 'django-insecure'"),
    ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
    ({"DATABASE_URL": ""}, "DATABASE_URL is empty"),
    ({"DATABASE_URL": "db.example.com/mysite"}, "DATABASE_URL is not a database URL"),
    ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is not set"),
    ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS contains '*'"),
    ({"DATABASE_SSL_REQUIRE": "no"}, "DATABASE_SSL_REQUIRE='no' is not a boolean"),
    ({"SECURE_HSTS_PRELOAD": "yes"}, "SECURE_HSTS_PRELOAD='yes' is not a boolean"),
]
IDS = [start for _, start in BROKEN]
# What gunicorn logs once it has bound its port.
LISTENING = "Listening at"


def environ_with(change):
    environ = clean_environ(**VALID)
    for name, value in change.items():
        environ.pop(name, None)
        if value is not None:
            environ[name] = value
    return environ


def assert_one_clear_line(result, start):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = error_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Configuration error: {start}")


@pytest.mark.parametrize(("change", "start"), BROKEN, ids=IDS)
def test_manage_py_stops_with_one_line_naming_the_variable(change, start):
    assert_one_clear_line(manage("migrate", "--noinput", environ=environ_with(change)), start)


@pytest.mark.parametrize(("change", "start"), BROKEN, ids=IDS)
def test_the_wsgi_module_stops_with_one_line_naming_the_variable(change, start):
    assert_one_clear_line(run([PYTHON, "-c", "import mysite.wsgi"], environ_with(change)), start)


@pytest.mark.parametrize(
    ("change", "start"), [BROKEN[0], BROKEN[4], BROKEN[7]], ids=[IDS[0], IDS[4], IDS[7]]
)
def test_gunicorn_stops_before_binding_its_port(change, start):
    port = free_port()
    result = subprocess.run(
        [PYTHON, "-m", "gunicorn", "mysite.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=environ_with(change),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert_one_clear_line(result, start)
    # gunicorn's own lines go to stdout (gunicorn.conf.py's logconfig_dict), errors to stderr.
    assert LISTENING not in result.stdout + result.stderr


def test_a_gunicorn_that_binds_its_port_says_so_on_stdout(production_server):
    # What the test above looks for is what gunicorn writes once it listens.
    listening = f"{LISTENING}: http://127.0.0.1:{production_server.port}"
    assert listening in production_server.stdout()
