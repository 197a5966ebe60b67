"""The gunicorn worker of a web dyno: slow clients wait in an event loop, never in a thread.

Heroku's router streams a request's body to the dyno as it arrives. gunicorn's gthread worker
gives a request its thread as soon as the head is in, so a client sending a form at 1 byte/s holds
a thread for as long as it likes: with 2 workers of 4 threads, 8 such clients stop the site.
BufferingWorker is gunicorn's own asyncio worker (worker class "asgi") serving the WSGI app:
its event loop holds every connection and reads each request whole, head and body, at the cost
of a few kilobytes per waiting client; only then does one of the worker's `threads` threads run
the app. Each of those threads keeps its own database connection (Django's persistent
connections are per thread), so a worker holds `threads` connections, as a gthread worker does.

This is the design of nginx in front of gunicorn, inside gunicorn. Not chosen, and why:
- nginx in the dyno (the pattern of Heroku's nginx buildpack): Heroku stops a dyno by sending
  SIGTERM to every process in it, and Debian's nginx takes SIGTERM as "stop now", dropping the
  requests in flight; the buildpack ships an nginx built with its signals swapped.
- Django's own ASGI handler: it runs each request's code on a thread of its own, so no database
  connection outlives its request (Django's documentation: disable persistent connections under
  ASGI; its connection pool needs psycopg 3). That is a connect, TLS included, on every page.
- a minimum body rate: each slow client still holds a thread until its deadline, and 200 of
  them keep 8 threads busy however short the deadline.

What it does beyond gunicorn's asgi worker:
- A body is read before the app runs, up to Django's DATA_UPLOAD_MAX_MEMORY_SIZE. A longer one
  is not read: the app sees its Content-Length and answers 413 (mysite/middleware/body_limit.py).
  gunicorn gives up on a body when no byte of it arrives for `timeout` seconds.
- The liveness probe, /healthz, runs in a thread of its own, so it answers while the database
  holds every other thread (a frozen database holds each page for its deadline).
- The app's response is collected in its thread and sent whole; a streaming response would be
  held until it ends (this site streams nothing).
- A request whose client left before its answer logs status 499 (nginx's "client closed
  request", which Heroku's router logs for it too). gunicorn's asgi protocol drops an answer sent
  to a closed connection and logs the request as a 500 of 0 bytes, as if the app had failed: each
  visitor closing a tab mid-page would read as a server error. gthread logs the app's status.
- On SIGTERM, kept-alive connections that wait for a request are closed after
  STOP_KEEPALIVE_LINGER seconds, as gthread closes them; gunicorn's asgi worker would otherwise
  keep an idle dyno alive for the whole graceful_timeout.

It leans on parts of gunicorn and asyncio that are not documented: ASGIWorker.load_wsgi() sets
`self.asgi`, asyncio's selector event loop keeps its connections' transports in `_transports`,
an ASGIProtocol waiting for its next request has `_awaiting_request` set and closes through
`_keepalive_timeout()`, and it writes a request's access-log line in the task that ran the app.
tests/unit/test_gunicorn_worker.py fails first when an upgrade changes any of them.
"""

import asyncio
import io
import math
import sys
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from urllib.parse import unquote_to_bytes

from gunicorn.asgi.protocol import ASGIProtocol
from gunicorn.workers.gasgi import ASGIWorker

# The liveness probe (mysite/probes.py) has a thread of its own: it answers at once even while
# every other thread waits on a database that does not answer.
OWN_THREAD_PATHS = frozenset({"/healthz"})

# How long, after SIGTERM, a kept-alive connection may still bring one more request (gunicorn's
# gthread worker waits as long): a request already on its way is served, then the connection closes.
STOP_KEEPALIVE_LINGER = 2.0

# The status of a request whose client left before its answer: nginx's, and Heroku's router's.
CLIENT_CLOSED_REQUEST = 499

# The status and headers the app answered the request with, set in the request's own task, where
# gunicorn then writes its access-log line.
answered = ContextVar("answered", default=None)


class BufferingWorker(ASGIWorker):
    """gunicorn's asgi worker running a WSGI app in `threads` threads, each request read whole."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = DeliveredStatusLog(self.log)

    @classmethod
    def check_config(cls, cfg, log):
        """`threads` sizes this worker's pool for the app: no warning that asgi ignores it."""

    def load_wsgi(self):
        super().load_wsgi()
        self.asgi = WsgiInThreads(self.asgi, self.cfg.threads)

    def handle_exit_signal(self):
        super().handle_exit_signal()
        self.loop.call_later(STOP_KEEPALIVE_LINGER, self.close_idle_connections)

    def close_idle_connections(self):
        # uvloop keeps no such map: with it, idle connections wait out graceful_timeout.
        for transport in list(getattr(self.loop, "_transports", {}).values()):
            protocol = transport.get_protocol()
            if isinstance(protocol, ASGIProtocol) and protocol._awaiting_request:
                protocol._keepalive_timeout()


class DeliveredStatusLog:
    """gunicorn's logger, whose access log gives a request that never reached its client 499."""

    def __init__(self, log):
        self.log = log

    def __getattr__(self, name):
        return getattr(self.log, name)

    def access(self, resp, req, environ, request_time):
        answer = answered.get()
        if answer is not None and resp.status != answer[0]:  # the answer was dropped, unsent
            resp.status, resp.headers = CLIENT_CLOSED_REQUEST, answer[1]  # its request id too
        self.log.access(resp, req, environ, request_time)


class WsgiInThreads:
    """An ASGI app that reads each request whole, then runs a WSGI app in a pool of threads."""

    def __init__(self, wsgi_app, threads):
        self.wsgi_app = wsgi_app
        self.threads = ThreadPoolExecutor(threads, thread_name_prefix="wsgi")
        self.probe_thread = ThreadPoolExecutor(1, thread_name_prefix="wsgi-probe")
        self.largest_body = largest_body()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"a WSGI app serves http, not {scope['type']}")
        headers = request_headers(scope)
        body = b""
        if int_or_zero(headers.get("CONTENT_LENGTH")) <= self.largest_body:
            body = await self.read_body(receive)
            if body is None:
                answered.set((CLIENT_CLOSED_REQUEST, []))
                return  # the client went away
        environ = wsgi_environ(scope, headers, body)
        loop = asyncio.get_running_loop()
        # run_in_executor passes no context along: each thread keeps its own across requests,
        # and with it its database connection.
        threads = self.probe_thread if scope["path"] in OWN_THREAD_PATHS else self.threads
        status, response_headers, content = await loop.run_in_executor(threads, self.call, environ)
        code = int(status.split(" ", 1)[0])
        headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in response_headers
        ]
        if not any(name == b"content-length" for name, _ in headers) and has_body(scope, code):
            headers.append((b"content-length", str(len(content)).encode()))  # rather than chunks
        answered.set((code, response_headers))
        await send({"type": "http.response.start", "status": code, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def read_body(self, receive):
        """The whole body, or its first largest_body + 1 bytes; None if the client left."""
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if not message.get("more_body") or len(body) > self.largest_body:
                return bytes(body)

    def call(self, environ):
        """Run the WSGI app in this thread: its status, headers and whole body."""
        response = []
        content = []

        def start_response(status, headers, exc_info=None):
            if exc_info and response:
                raise exc_info[1].with_traceback(exc_info[2])
            response[:] = [status, headers]
            return content.append

        result = self.wsgi_app(environ, start_response)
        try:
            content.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()  # Django's request_finished: the connection is tidied here
        return response[0], response[1], b"".join(content)

    async def lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.threads.shutdown(wait=False)
                self.probe_thread.shutdown(wait=False)
                await send({"type": "lifespan.shutdown.complete"})
                return


def largest_body():
    """The largest request body the app takes: Django's DATA_UPLOAD_MAX_MEMORY_SIZE (Django's
    default for an app that is not Django, such as the benchmark's ceilings)."""
    from django.conf import global_settings, settings

    limit = (settings if settings.configured else global_settings).DATA_UPLOAD_MAX_MEMORY_SIZE
    return math.inf if limit is None else limit  # None: Django sets no limit


def has_body(scope, status):
    """Whether the response carries a body, so that its length can be stated (RFC 9110 8.6)."""
    return scope["method"] != "HEAD" and status >= 200 and status not in (204, 304)


def int_or_zero(value):
    try:
        return int(value or 0)
    except ValueError:
        return 0


def request_headers(scope):
    """The request's headers as WSGI names them (PEP 3333): HTTP_*, CONTENT_TYPE, CONTENT_LENGTH."""
    headers = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        if name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        separator = "; " if name == "HTTP_COOKIE" else ","
        headers[name] = f"{headers[name]}{separator}{value}" if name in headers else value
    return headers


def wsgi_environ(scope, headers, body):
    """The WSGI environ of an ASGI http scope whose body has been read."""
    server_name, server_port = scope.get("server") or ("localhost", 80)
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", ""),
        "PATH_INFO": unquote_to_bytes(raw_path.split(b"?", 1)[0]).decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": server_name,
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = scope["client"][0], str(scope["client"][1])
    if body or "CONTENT_LENGTH" in headers:
        # A chunked body has no Content-Length: the app reads what was received.
        environ.setdefault("CONTENT_LENGTH", str(len(body)))
    return environ
