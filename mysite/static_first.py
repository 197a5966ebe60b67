"""In production, static files are answered before Django's request handling.

Django's handling of a request (the request object, eleven middleware, signals) costs
more than sending a small hashed file: through WhiteNoise's middleware a stylesheet ran
at about 60% of what gunicorn can answer at all (make bench). This WSGI layer answers
from WhiteNoise's own file table, built from Django's settings exactly as its middleware
builds it, but only requests Django would serve unchanged: a known file, an allowed
Host, over https. Everything else goes to Django as before (a forged Host gets its 400,
plain http its redirect). Static responses carry the security headers every page
carries, from the same settings (tests/container/test_security.py compares them), and
the request id. A static URL that falls through meets Django's checks like any other
request, and then WhiteNoise's middleware (after the Host check in MIDDLEWARE).
"""

import functools

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from whitenoise.base import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.string_utils import decode_path_info

from mysite.middleware.content_security_policy import ENFORCED, REPORT_ONLY, header_value
from mysite.middleware.request_id import HEADER, request_id_for


def security_headers():
    """The headers Django's security, clickjacking and CSP middleware add to every response."""
    headers = []
    if settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        headers.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    for name, setting in ((ENFORCED, "SECURE_CSP"), (REPORT_ONLY, "SECURE_CSP_REPORT_ONLY")):
        if getattr(settings, setting, None):
            headers.append((name, header_value(getattr(settings, setting))))
    return headers


SMALL_FILE_BYTES = 256 * 1024


@functools.cache
def small_file(path):
    """A collected file's bytes, read once, if it is small; None otherwise."""
    with open(path, "rb") as file:
        body = file.read(SMALL_FILE_BYTES + 1)
    return body if len(body) <= SMALL_FILE_BYTES else None


@functools.lru_cache(maxsize=256)
def allowed_host(host_header):
    """Django's own Host check (ALLOWED_HOSTS, wildcards, ports), remembered per header value."""
    domain, _port = split_domain_port(host_header)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


class StaticFilesFirst:
    """WSGI: static files first, from WhiteNoise; every other request to Django."""

    def __init__(self, django_application):
        self.django_application = django_application
        self.whitenoise = WhiteNoiseMiddleware(get_response=None)
        self.headers = security_headers()
        self.secure_header = settings.SECURE_PROXY_SSL_HEADER

    def __call__(self, environ, start_response):
        static_file = self.whitenoise.files.get(decode_path_info(environ.get("PATH_INFO", "")))
        if static_file is None or not self.served_unchanged(environ):
            return self.django_application(environ, start_response)
        headers = [*self.headers, (HEADER, request_id_for(environ.get("HTTP_X_REQUEST_ID", "")))]
        if self.plain_get(static_file, environ):
            # The common case, a small file sent whole: from memory, with WhiteNoise's headers.
            path, file_headers = static_file.get_path_and_headers(environ)
            body = small_file(path)
            if body is not None:
                start_response("200 OK", [*file_headers, *headers])
                return [body]

        def start_response_with_headers(status, response_headers, exc_info=None):
            return start_response(status, response_headers + headers, exc_info)

        return WhiteNoise.serve(static_file, environ, start_response_with_headers)

    @staticmethod
    def plain_get(static_file, environ):
        """A GET for the whole file that is not answered 304: WhiteNoise would send it all."""
        return (
            environ.get("REQUEST_METHOD") == "GET"
            and "HTTP_RANGE" not in environ
            and not static_file.is_not_modified(environ)
        )

    def served_unchanged(self, environ):
        """Whether Django would serve this request as it is: an allowed Host, over https."""
        if not allowed_host(environ.get("HTTP_HOST", "")):
            return False  # Django answers it: 400
        if environ.get("wsgi.url_scheme") == "https":
            return True
        if self.secure_header:
            name, value = self.secure_header
            return environ.get(name) == value
        return not settings.SECURE_SSL_REDIRECT
