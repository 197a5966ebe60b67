"""The ceiling: a bare WSGI callable answering a recorded response, the most any Django
view (or WhiteNoise) could reach under the same gunicorn configuration on the same machine.

It answers the very bytes the real response carries: CEILING_BODY names a file with the
body, CEILING_HEADERS a JSON file with the real response's headers (all but the ones
gunicorn writes itself: Date, Server, Connection).
"""

import json
import os

with open(os.environ["CEILING_BODY"], "rb") as body_file:
    BODY = body_file.read()
with open(os.environ["CEILING_HEADERS"]) as headers_file:
    HEADERS = [(name, value) for name, value in json.load(headers_file)]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
