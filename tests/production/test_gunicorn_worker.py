"""The dyno's gunicorn worker (mysite/gunicorn_worker.py): slow clients wait in its event loop, the
app runs in its threads, and a stopping server lets go of idle connections."""

import re
import socket
import sqlite3
import time
from contextlib import closing, contextmanager

import dj_database_url
import psycopg2
import pytest
import requests

from mysite.gunicorn_worker import STOP_KEEPALIVE_LINGER
from tests.support import waiting
from tests.support.environment import SITE_HOST, production_environ
from tests.support.http import RouterClient
from tests.support.servers import gunicorn
from tests.support.slow_clients import SlowBodies


@pytest.fixture
def one_thread_server(production_database, static_collected, tmp_path):
    """A server whose app has one thread in all: one held thread would stop it."""
    environ = production_environ(production_database, WEB_CONCURRENCY="1", GUNICORN_THREADS="1")
    with gunicorn(environ, tmp_path) as server:
        yield server


@pytest.fixture
def server_to_stop(production_database, static_collected, tmp_path):
    with gunicorn(production_environ(production_database), tmp_path) as server:
        yield server


def request_head(path, method="GET", extra=""):
    return (
        f"{method} {path} HTTP/1.1\r\nHost: {SITE_HOST}\r\nX-Forwarded-Proto: https\r\n{extra}\r\n"
    ).encode()


def read_response(connection):
    """One response from a kept-alive connection: its status line, headers and body."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length:
        body += connection.recv(65536)
    return head.decode("latin-1"), body


def test_slowly_sent_bodies_leave_the_pages_to_the_apps_threads(one_thread_server):
    visitor = RouterClient(one_thread_server.base_url)
    with SlowBodies("127.0.0.1", one_thread_server.port, count=20) as attack:
        waiting.until(lambda: attack.open == 20, 10, what="20 slow bodies on their way")
        for _ in range(10):
            started = time.monotonic()
            response = visitor.get("/", timeout=5)
            assert response.status_code == 200
            assert time.monotonic() - started < 1
        assert attack.open == 20  # still sending: the pages went past them


def test_a_form_sent_in_slow_pieces_reaches_django_whole(production_server):
    visitor = RouterClient(production_server.base_url)
    token = visitor.csrf_token_from(visitor.get("/"))
    cookies = "; ".join(f"{name}={value}" for name, value in visitor.cookies.items())
    body = f"csrfmiddlewaretoken={token}&name=Slow&message=One+piece+at+a+time".encode()
    extra = (
        f"Origin: https://{SITE_HOST}\r\nCookie: {cookies}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
    )
    with socket.create_connection(("127.0.0.1", production_server.port), timeout=10) as client:
        client.sendall(request_head("/", "POST", extra))
        for start in range(0, len(body), 20):
            time.sleep(0.2)
            client.sendall(body[start : start + 20])
        head, _ = read_response(client)
    assert head.startswith("HTTP/1.1 302"), head
    assert "One piece at a time" in visitor.get("/").text


def test_a_body_over_the_limit_is_refused_before_it_is_sent(production_server):
    extra = "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n"
    with socket.create_connection(("127.0.0.1", production_server.port), timeout=10) as client:
        client.sendall(request_head("/", "POST", extra))  # and not one byte of the body
        head, body = read_response(client)
    assert head.startswith("HTTP/1.1 413"), head
    assert b"the limit is" in body


def test_a_chunked_body_reaches_django_whole(production_server):
    # No Content-Length: the body's length is known only once it has all arrived.
    response = requests.post(
        production_server.base_url + "/",
        data=iter([b"name=Chunked&", b"message=In+pieces"]),
        headers={"Host": SITE_HOST, "X-Forwarded-Proto": "https", "Origin": f"https://{SITE_HOST}"},
        timeout=10,
    )
    assert response.status_code == 403  # read, and refused for its missing CSRF token
    assert "CSRF" in response.text


@contextmanager
def pages_held(database_url):
    """The guestbook table locked against readers: a page waits until the block ends."""
    if database_url.startswith("sqlite"):
        with closing(sqlite3.connect(dj_database_url.parse(database_url)["NAME"])) as database:
            database.execute("BEGIN EXCLUSIVE")  # readers wait for the lock (busy timeout 5 s)
            yield
            database.rollback()
    else:
        with closing(psycopg2.connect(database_url)) as database, database:
            database.cursor().execute("LOCK TABLE guestbook_entry IN ACCESS EXCLUSIVE MODE")
            yield


def test_a_request_whose_client_left_before_its_answer_logs_499_not_500(
    production_server, production_database
):
    request_id = "left-early-0000000001"
    with pages_held(production_database):
        with socket.create_connection(("127.0.0.1", production_server.port), timeout=10) as client:
            client.sendall(request_head("/", extra=f"X-Request-ID: {request_id}\r\n"))
        time.sleep(0.5)  # the server sees the connection closed while the page waits
    [access] = production_server.logged_lines(f"gunicorn.access request_id={request_id}")
    assert " status=499 " in access, access
    RouterClient(production_server.base_url).get("/", headers={"X-Request-ID": request_id * 2})
    [served] = production_server.logged_lines(f"request_id={request_id * 2}")
    assert " status=200 " in served, served  # an answer that was delivered keeps its status


def test_a_stopping_server_closes_an_idle_kept_alive_connection_and_exits_0(server_to_stop):
    with socket.create_connection(("127.0.0.1", server_to_stop.port), timeout=30) as client:
        client.sendall(request_head("/healthz"))
        head, _ = read_response(client)
        assert "connection: close" not in head.lower()  # kept alive
        started = time.monotonic()
        server_to_stop.process.terminate()
        assert client.recv(1) == b""  # closed by the server
        closed_after = time.monotonic() - started
    assert server_to_stop.process.wait(timeout=30) == 0
    assert STOP_KEEPALIVE_LINGER - 0.5 < closed_after < STOP_KEEPALIVE_LINGER + 2


def test_a_request_on_a_kept_alive_connection_just_after_sigterm_is_served(server_to_stop):
    with socket.create_connection(("127.0.0.1", server_to_stop.port), timeout=30) as client:
        client.sendall(request_head("/healthz"))
        read_response(client)
        server_to_stop.process.terminate()
        time.sleep(STOP_KEEPALIVE_LINGER / 4)
        client.sendall(request_head("/healthz"))
        head, _ = read_response(client)
    assert head.startswith("HTTP/1.1 200"), head
    assert "connection: close" in head.lower()
    assert server_to_stop.process.wait(timeout=30) == 0
