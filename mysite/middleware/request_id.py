"""Every request gets an id: Heroku's router's X-Request-ID when it sent a usable one, a
new one otherwise. Log lines written while serving carry it, and the response returns it."""

import re
import uuid

from mysite.logfmt import request_id

HEADER = "X-Request-ID"
# An id is kept only if it is plain enough to log as it is: up to 200 of these characters
# (Heroku's router keeps 20 to 200 of [A-Za-z0-9+/=-]). Anything else is replaced.
USABLE = re.compile(r"[A-Za-z0-9+/=._-]{1,200}")


def request_id_for(incoming):
    """The id to serve a request under: the router's, when usable; a new one otherwise."""
    return incoming if USABLE.fullmatch(incoming) else str(uuid.uuid4())


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request_id_for(request.headers.get(HEADER, ""))
        request.id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = value
        return response
