"""Refuse a request body over DATA_UPLOAD_MAX_MEMORY_SIZE before reading any of it.

Django applies that limit only when a view reads the body, and never to the file
parts of a multipart body, which it spools to disk. This app takes no uploads, so
the whole body is held to the limit, judged from Content-Length: the answer is an
immediate 413. gunicorn then drains at most 64 KiB of the unread body for at most
5 s and closes the connection (a bounded lingering close, so the 413 is not lost
to a connection reset); behind the router the drain ends as soon as it gives up.
"""

from django.conf import settings
from django.http import HttpResponse


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django itself treats an unreadable length as an empty body
        if limit is not None and length > limit:
            return HttpResponse(
                f"Request body too large: the limit is {limit} bytes.\n",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)
