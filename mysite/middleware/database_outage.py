"""While the database is unreachable, too slow, or refusing writes, pages answer a short 503, not
a 500 traceback.

Connects give up after connect_timeout, statements after DATABASE_STATEMENT_TIMEOUT, and a
server that stops answering a second later (mysite/postgresql/), so a request fails fast; stale
connections are replaced, and pages answer again, as soon as the database is back. A database
that refuses writes says so as an OperationalError (disk full, SQLSTATE 53100) or, for a
read-only transaction (a server in read-only mode, a standby), as an InternalError with SQLSTATE
25006: both are temporary.
"""

import logging

from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
READ_ONLY_SQL_TRANSACTION = "25006"


def is_outage(exception):
    if isinstance(exception, (OperationalError, InterfaceError)):
        return True
    cause = getattr(exception, "__cause__", None)
    return isinstance(exception, InternalError) and (
        getattr(cause, "pgcode", None) == READ_ONLY_SQL_TRANSACTION
    )


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        first_line = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
        logger.warning("database unavailable, too slow or refusing writes: %s", first_line)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
