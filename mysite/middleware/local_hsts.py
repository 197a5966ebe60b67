"""No HSTS for a site opened on this machine.

`make prod` serves production settings at https://localhost:8443. A year of HSTS for localhost
would make the browser refuse plain http://localhost:8000 (the development server) for a year:
browsers keep HSTS per host name, whatever the port. So for localhost and loopback addresses
the header says `max-age=0`, which also clears a policy an earlier visit left. Django's
SecurityMiddleware, outside this one, adds its policy only to a response that has none: every
other host gets it unchanged.
"""

from django.conf import settings
from django.http.request import split_domain_port

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


class LocalHostWithoutHstsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The raw header: an invalid Host was answered 400 already and must not raise again here.
        host, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
        if settings.SECURE_HSTS_SECONDS and request.is_secure() and host in LOCAL_HOSTS:
            response.headers.setdefault("Strict-Transport-Security", "max-age=0")
        return response
