"""The image run as Heroku runs a web dyno: heroku.yml's run.web under /bin/sh, an arbitrary
UID, a random $PORT, config vars in the environment, TLS to PostgreSQL, and requests arriving
with the router's X-Forwarded-Proto and X-Request-ID."""

import re
from pathlib import PurePosixPath

from tests.support import waiting
from tests.support.dynos import run_web_argv
from tests.support.http import RouterClient
from tests.support.logfmt import parse

ONE_YEAR = 31_536_000


def test_the_dyno_serves_within_ten_seconds_of_starting(dyno):
    assert dyno.seconds_to_serve < 10


def test_the_dyno_runs_heroku_ymls_web_command_as_pid_1(dyno, heroku_manifest):
    config = dyno.container.inspect()["Config"]
    assert config["Cmd"] == ["/bin/sh", "-c", heroku_manifest["run"]["web"]]
    # `exec` replaced the shell: gunicorn itself is PID 1 and gets the platform's SIGTERM.
    pid1 = dyno.container.exec("cat", "/proc/1/cmdline").stdout.split("\0")[:-1]
    _python, script, *arguments = pid1
    assert [PurePosixPath(script).name, *arguments] == run_web_argv(heroku_manifest)


def test_the_dyno_binds_the_port_heroku_gives_it(dyno):
    assert f"Listening at: http://[::]:{dyno.port}" in dyno.container.logs()


def is_clean(logs):
    """Whether a dyno's log says nothing went wrong: it has lines, all logfmt, none above info."""
    lines = [parse(line) for line in logs.splitlines() if line.strip()]
    levels = {line["level"] for line in lines}
    return bool(lines) and levels <= {"debug", "info"} and "Permission denied" not in logs


def test_an_arbitrary_uid_starts_cleanly(dyno):
    assert dyno.container.exec("id", "-u").stdout.strip() == "54321"
    # Some start-up work (gunicorn's control server) reports just after the first request is
    # served: watch the log a little longer before calling it clean. Every line is logfmt, so
    # its level says whether anything went wrong.
    waiting.holds(
        lambda: is_clean(dyno.container.logs()), 2, interval=0.1,
        what=lambda: f"a clean start-up log:\n{dyno.container.logs()}",
    )  # fmt: skip


def test_the_guestbook_is_served_over_https_behind_the_router(dyno):
    response = RouterClient(dyno.base_url).get("/")
    assert response.status_code == 200
    assert "<h1>Guestbook</h1>" in response.text


def test_readyz_says_the_database_is_ready(dyno):
    response = RouterClient(dyno.base_url).get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_database_connection_is_encrypted(dyno):
    code = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'); "
        "print(cursor.fetchone()[0])"
    )
    assert dyno.django_shell(code).strip() == "True"


def test_a_hashed_stylesheet_is_served_compressed_with_an_immutable_cache(dyno):
    browser = RouterClient(dyno.base_url)
    href = re.search(r'href="(/static/guestbook/style\.[0-9a-f]{12}\.css)"', browser.get("/").text)
    assert href
    response = browser.get(href.group(1), headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] in {"gzip", "br"}
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) >= ONE_YEAR


def test_the_access_log_line_carries_the_routers_request_id(dyno):
    request_id = "3f2b8c1e-5d4a-4b6f-9a0e-7c1d2e3f4a5b"
    RouterClient(dyno.base_url).get("/", headers={"X-Request-ID": request_id})
    lines = [line for line in dyno.container.logs().splitlines() if request_id in line]
    assert len(lines) == 1
    assert "method=GET path=/ status=200" in lines[0]
