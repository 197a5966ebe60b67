"""gunicorn trusts no peer to say a request came over https (gunicorn.conf.py's
forwarded_allow_ips = ""), not even localhost, which gunicorn trusts by default: the router's
X-Forwarded-Proto is trusted in one place only, Django's SECURE_PROXY_SSL_HEADER.

The server is gunicorn as a dyno runs it, with the project's gunicorn.conf.py and so its
worker class, serving an app that answers with the scheme gunicorn gave it."""

import contextlib

import pytest
import requests

from tests.support.environment import clean_environ
from tests.support.servers import gunicorn

URL_SCHEME_APP = "tests.support.url_scheme_app:application"
# gunicorn's own secure scheme headers (its secure_scheme_headers setting): each one, from a
# trusted peer, makes a request https.
SECURE_SCHEME_HEADERS = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Ssl": "on",
    "X-Forwarded-Protocol": "ssl",
}


@contextlib.contextmanager
def url_scheme_server(log_dir, **environ):
    with gunicorn(clean_environ(WEB_CONCURRENCY="1", **environ), log_dir, URL_SCHEME_APP) as s:
        yield s


@pytest.fixture(scope="module")
def project_gunicorn(tmp_path_factory):
    with url_scheme_server(tmp_path_factory.mktemp("logs")) as server:
        yield server


def scheme_seen(server, headers):
    return requests.get(server.base_url, headers=headers, timeout=10).text


def test_a_plain_request_is_http_to_gunicorn(project_gunicorn):
    assert scheme_seen(project_gunicorn, {}) == "http"


@pytest.mark.parametrize(("header", "value"), SECURE_SCHEME_HEADERS.items())
def test_no_header_from_localhost_makes_a_request_https_to_gunicorn(
    project_gunicorn, header, value
):
    assert scheme_seen(project_gunicorn, {header: value}) == "http"


def test_the_same_header_from_a_peer_gunicorn_trusted_would_make_it_https(tmp_path):
    # The check above can fail: with localhost trusted (gunicorn's default), it would.
    trusting = {"GUNICORN_CMD_ARGS": "--forwarded-allow-ips=127.0.0.1"}
    with url_scheme_server(tmp_path, **trusting) as server:
        assert scheme_seen(server, {"X-Forwarded-Proto": "https"}) == "https"
