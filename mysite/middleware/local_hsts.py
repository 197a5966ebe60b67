"""No HSTS for a site opened on this machine.

`make prod` serves production settings at https://localhost:8443. A year of HSTS for localhost
would make the browser refuse plain http://localhost:8000 (the development server) for a year:
browsers keep HSTS per host name, whatever the port. So for localhost and loopback addresses the
policy Django's SecurityMiddleware sets becomes `max-age=0`, which also clears one an earlier
visit left. This middleware sits outside SecurityMiddleware and WhiteNoise, so static files are
covered too; every other host keeps the policy unchanged.
"""

from django.http.request import split_domain_port

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
HSTS = "Strict-Transport-Security"


class LocalHostWithoutHstsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The raw header: an invalid Host was answered 400 already and must not raise again here.
        host, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
        if HSTS in response and host in LOCAL_HOSTS:
            response[HSTS] = "max-age=0"
        return response
