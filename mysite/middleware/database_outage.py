"""While the database is unreachable or too slow, pages answer a short 503, not a 500 traceback.

Connections give up after a few seconds (connect_timeout) and statements after
DATABASE_STATEMENT_TIMEOUT, so a request fails fast; CONN_HEALTH_CHECKS replaces stale
connections once the database is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        first_line = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
        logger.warning("database unavailable or too slow: %s", first_line)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
