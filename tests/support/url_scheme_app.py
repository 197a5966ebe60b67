"""A WSGI app that answers with the URL scheme its server gave it (environ["wsgi.url_scheme"]):
what gunicorn decided, before any Django setting could change it."""


def application(environ, start_response):
    body = environ["wsgi.url_scheme"].encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
