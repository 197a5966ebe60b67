"""What each middleware and setting costs a page request, and where the page's time goes.

In this process, with the production settings and a real PostgreSQL (DATABASE_URL), no server
and no network between client and app. Each figure is the best of several repeats of many calls
(as timeit measures: the machine's other work only ever adds time, so the least is the cost):
- each middleware: the chain as configured around a view that returns the page's response, cut
  after that middleware and after the one before it; the difference is what it adds;
- the view (the page's query and template), the query alone, the template alone;
- settings: the connection health check (ours, without a round trip, and Django's SELECT 1),
  the deadline on database waits, the translation machinery (USE_I18N).
Then pyinstrument profiles whole page requests.

    python -m bench.costs   (prints JSON: the costs, and the profile as text)
"""

import contextlib
import gc
import io
import json
import os
import sys
import time

from mysite.settings_switch import activate_or_exit

activate_or_exit()

import django  # noqa: E402 - settings first

django.setup()

import psycopg2.extensions  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.backends.postgresql.base import DatabaseWrapper  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from guestbook.forms import EntryForm  # noqa: E402
from guestbook.models import Entry  # noqa: E402
from guestbook.views import RECENT_ENTRIES  # noqa: E402
from mysite.postgresql import deadline  # noqa: E402
from tests.support.environment import SITE_HOST  # noqa: E402

REPEATS = max(3, int(os.environ.get("BENCH_ROUNDS", "5")))
CALLS = 300


def page_environ(path="/"):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": SITE_HOST,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": SITE_HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "10.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def best_us(call, calls=CALLS):
    """The least time one call takes, in microseconds: the best of REPEATS runs of `calls`."""
    call()
    runs = []
    for _ in range(REPEATS):
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        for _ in range(calls):
            call()
        runs.append((time.perf_counter() - started) / calls * 1e6)
        gc.enable()
    return min(runs)


def chain(middleware_paths, view):
    """The middleware as Django builds it, outermost first, around `view`."""
    handler = view
    for path in reversed(middleware_paths):
        handler = import_string(path)(handler)
    return handler


def page_response(request):
    """The page's response, without the work of making it."""
    return HttpResponse(PAGE_BYTES, content_type="text/html; charset=utf-8")


def through(middleware_paths):
    handler = chain(middleware_paths, page_response)

    def call():
        response = handler(WSGIRequest(page_environ()))
        response.close()

    return call


def middleware_costs():
    """What each middleware adds to a request, in the order a request meets them."""
    paths = settings.MIDDLEWARE
    times = [best_us(through(paths[:count]), CALLS * 3) for count in range(len(paths) + 1)]
    return [
        {"what": f"`{path.rsplit('.', 1)[1]}`", "us": round(times[count + 1] - times[count], 1)}
        for count, path in enumerate(paths)
    ]


def render_page(entries):
    request = WSGIRequest(page_environ())
    context = {"form": EntryForm(), "entries": entries}
    return render_to_string("guestbook/index.html", context, request=request)


@contextlib.contextmanager
def without_translation():
    with override_settings(USE_I18N=False):
        translation._trans.__dict__.clear()  # it chose its functions by USE_I18N when first used
        try:
            yield
        finally:
            translation._trans.__dict__.clear()


@contextlib.contextmanager
def without_wait_deadline():
    psycopg2.extensions.set_wait_callback(None)
    connection.close()  # the next connection is made without the callback
    try:
        yield
    finally:
        deadline.install()
        connection.close()


def query():
    return list(Entry.objects.all()[:RECENT_ENTRIES])


def setting_costs():
    handler = WSGIHandler()
    whole = best_us(lambda: served(handler))
    middleware_only = best_us(through(settings.MIDDLEWARE))
    entries = query()
    template = best_us(lambda: render_page(entries))
    with without_translation():
        template_without_translation = best_us(lambda: render_page(entries))
    query_us = best_us(query, CALLS * 3)
    with without_wait_deadline():
        query_without_deadline = best_us(query, CALLS * 3)
    connection.ensure_connection()
    ours = best_us(connection.is_usable)
    djangos = best_us(lambda: DatabaseWrapper.is_usable(connection))
    return whole, [
        {"what": "the view: the page's query and its template",
         "us": round(whole - middleware_only, 1)},
        {"what": "the template alone (20 entries and the form)", "us": round(template, 1)},
        {"what": "the query alone, through the ORM, round trip included", "us": round(query_us, 1)},
        {"what": "the deadline on every database wait (`mysite/postgresql/deadline.py`)",
         "us": round(query_us - query_without_deadline, 1)},
        {"what": "the health check without a round trip (`mysite/postgresql/base.py`)",
         "us": round(ours, 1)},
        {"what": "Django's health check instead (`SELECT 1`, a round trip)",
         "us": round(djangos, 1)},
        {"what": "the translation machinery (`USE_I18N`), in the template",
         "us": round(template - template_without_translation, 1)},
    ]  # fmt: skip


def served(handler):
    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status

    response = handler(page_environ(), start_response)
    b"".join(response)
    response.close()


def profile():
    from pyinstrument import Profiler

    handler = WSGIHandler()
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(CALLS):
            served(handler)
    return profiler.output_text(unicode=True, color=False, show_all=False)


def record_page():
    """The page's bytes as served: what a middleware measurement returns from its view."""
    responses = []
    response = WSGIHandler()(page_environ(), lambda status, headers: responses.append(status))
    body = b"".join(response)
    response.close()
    assert responses == ["200 OK"], responses
    return body


PAGE_BYTES = record_page()


def main():
    whole, settings_costs = setting_costs()
    results = {
        "repeats": REPEATS,
        "calls": CALLS,
        "page_us": round(whole, 1),
        "middleware": middleware_costs(),
        "settings": settings_costs,
        "profile": profile(),
    }
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
