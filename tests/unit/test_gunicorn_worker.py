"""mysite/gunicorn_worker.py: the WSGI environ it builds, and the gunicorn internals it leans on."""

import asyncio
import inspect

from django.urls import resolve
from gunicorn.asgi.protocol import ASGIProtocol
from gunicorn.workers.gasgi import ASGIWorker

from mysite import probes
from mysite.gunicorn_worker import OWN_THREAD_PATHS, request_headers, wsgi_environ


def scope(**overrides):
    return {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "client": ("10.1.2.3", 40000),
        "server": ("10.0.0.1", 5000),
        **overrides,
    }


def environ_of(body=b"", **overrides):
    request = scope(**overrides)
    return wsgi_environ(request, request_headers(request), body)


def test_the_path_is_percent_decoded_bytes_as_latin_1_as_pep_3333_has_it():
    environ = environ_of(path="/café/a/b", raw_path=b"/caf%C3%A9/a%2Fb")
    assert environ["PATH_INFO"].encode("latin-1") == b"/caf\xc3\xa9/a/b"


def test_the_query_string_stays_as_sent():
    assert environ_of(query_string=b"q=a%20b&x=1")["QUERY_STRING"] == "q=a%20b&x=1"


def test_headers_become_http_variables_and_repeated_ones_are_joined():
    environ = environ_of(
        headers=[
            (b"x-forwarded-for", b"1.1.1.1"),
            (b"x-forwarded-for", b"2.2.2.2"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
            (b"content-type", b"text/plain"),
        ]
    )
    assert environ["HTTP_X_FORWARDED_FOR"] == "1.1.1.1,2.2.2.2"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert "HTTP_CONTENT_TYPE" not in environ


def test_the_peer_and_the_scheme_are_gunicorns():
    environ = environ_of()
    assert (environ["REMOTE_ADDR"], environ["REMOTE_PORT"]) == ("10.1.2.3", "40000")
    assert environ["wsgi.url_scheme"] == "http"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("10.0.0.1", "5000")


def test_a_chunked_body_gets_the_length_that_was_read():
    environ = environ_of(body=b"name=x", method="POST")
    assert environ["CONTENT_LENGTH"] == "6"
    assert environ["wsgi.input"].read() == b"name=x"


def test_a_stated_length_is_kept_even_when_the_body_was_left_unread():
    environ = environ_of(method="POST", headers=[(b"content-length", b"10000000")])
    assert environ["CONTENT_LENGTH"] == "10000000"
    assert environ["wsgi.input"].read() == b""


def test_the_gunicorn_and_asyncio_internals_the_worker_uses_are_still_there():
    # Undocumented: if an upgrade moves any of these, mysite/gunicorn_worker.py must follow.
    assert "self.asgi = self.app.wsgi()" in inspect.getsource(ASGIWorker.load_wsgi)
    assert "self._awaiting_request = True" in inspect.getsource(ASGIProtocol)
    assert callable(ASGIProtocol._keepalive_timeout)
    one_request = inspect.getsource(ASGIProtocol._handle_http_request)
    assert "await self.app(scope" in one_request  # the app runs in this task, and then
    assert "self.log.access(resp" in one_request  # the access log is written in it too
    loop = inspect.getsource(asyncio.selector_events.BaseSelectorEventLoop.__init__)
    assert "self._transports = " in loop


def test_the_paths_with_a_thread_of_their_own_are_the_liveness_probe():
    assert {resolve(path).func for path in OWN_THREAD_PATHS} == {probes.healthz}
