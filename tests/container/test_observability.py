"""The dyno's logs: one logfmt line per request with its id, Django's own lines carrying the
same id, every line parseable, and no secret, cookie or password anywhere."""

import re

import pytest

from tests.support.environment import SITE_HOST
from tests.support.http import RouterClient
from tests.support.logfmt import parse


@pytest.fixture(scope="module")
def admin_password(dyno):
    password = "observability-admin-password-9"
    dyno.create_superuser("watcher", password)
    return password


@pytest.fixture(scope="module")
def visited(router, admin_password):
    """A visitor's session: a page, a signature, an admin login, and a forged Host."""
    browser = router.browser()
    page = browser.get("/", headers={"X-Request-ID": "obs-page-000000000000000001"})
    token = browser.csrf_token_from(page)
    browser.post(
        "/",
        {"csrfmiddlewaretoken": token, "name": "Logged Lou", "message": "hello logs"},
        headers={"X-Request-ID": "obs-sign-000000000000000002"},
    )
    token = browser.csrf_token_from(browser.get("/admin/login/"))
    browser.post(
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": "watcher", "password": admin_password},
        headers={"Origin": f"https://{SITE_HOST}"},
    )
    router.browser(host="attacker.example.net").get(
        "/", headers={"X-Request-ID": "obs-host-000000000000000003"}
    )
    return browser


def log_lines(dyno):
    return [line for line in dyno.container.logs().splitlines() if line.strip()]


def test_every_log_line_is_logfmt_with_a_level_and_a_logger(dyno, visited):
    for line in log_lines(dyno):
        fields = parse(line)
        assert fields["level"] in {"debug", "info", "warning", "error", "critical"}, line
        assert fields["logger"], line


def access_lines(dyno, request_id):
    return [
        fields
        for fields in map(parse, log_lines(dyno))
        if fields["logger"] == "gunicorn.access" and fields["request_id"] == request_id
    ]


def test_each_request_is_one_line_with_id_method_path_status_and_duration(dyno, visited):
    [page] = access_lines(dyno, "obs-page-000000000000000001")
    assert (page["method"], page["path"], page["status"]) == ("GET", "/", "200")
    assert float(page["duration_ms"]) >= 0
    [signature] = access_lines(dyno, "obs-sign-000000000000000002")
    assert (signature["method"], signature["status"]) == ("POST", "302")


def test_a_request_without_an_id_gets_one_in_the_log_and_the_response(dyno):
    # The router always sends one; a request straight to the dyno without one gets one made.
    response = RouterClient(dyno.base_url).get("/healthz")
    assert "X-Request-ID" not in response.request.headers
    request_id = response.headers["X-Request-ID"]
    assert len(access_lines(dyno, request_id)) == 1


def test_djangos_own_lines_carry_the_request_id(dyno, visited):
    lines = [
        fields
        for fields in map(parse, log_lines(dyno))
        if fields["request_id"] == "obs-host-000000000000000003"
    ]
    loggers = {fields["logger"] for fields in lines}
    assert "django.security.DisallowedHost" in loggers
    assert "gunicorn.access" in loggers


def test_no_secret_cookie_or_password_is_logged(dyno, visited, admin_password):
    logs = dyno.container.logs()
    environment = dict(
        line.split("=", 1) for line in dyno.container.inspect()["Config"]["Env"] if "=" in line
    )
    secrets = [
        admin_password,
        environment["SECRET_KEY"],
        re.search(r"://[^:]+:([^@]+)@", environment["DATABASE_URL"]).group(1),
        *visited.cookies.values(),
    ]
    assert len(visited.cookies) >= 2  # the CSRF and session cookies are among them
    for secret in secrets:
        assert secret not in logs
