"""gunicorn settings for a Heroku dyno; gunicorn reads this file from its working directory.

Every value says which platform rule it follows (see the README's Heroku notes):
https://docs.gunicorn.org/en/stable/settings.html
"""

import os

# Heroku routes to the port in $PORT (R10 if nothing listens on it within 60 s);
# 8000 elsewhere. All interfaces, IPv6 included ("[::]" takes IPv4 too), as
# Heroku's own getting-started app binds, for IPv6-only networks.
bind = [f"[::]:{os.environ.get('PORT', '8000')}"]

# Worker processes: WEB_CONCURRENCY, which the container stack never sets for us.
# Two fit a 512 MB dyno with room to spare; each holds one database connection
# per thread (README: connection budget).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Slow clients cannot starve the dyno: each worker's event loop holds the connections and reads
# every request whole (Heroku's router streams bodies as they arrive, at the client's pace), then
# one of `threads` threads runs Django; each thread keeps one database connection. The reasoning,
# and the designs not chosen, are in mysite/gunicorn_worker.py.
worker_class = "mysite.gunicorn_worker.BufferingWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Import Django once in the master before forking: faster boots, shared memory,
# and a configuration error stops the master before it binds the port.
preload_app = True

# A worker whose event loop stops answering this long is killed and replaced: this guards
# against a stuck worker, not a slow request (the database's statement timeout and deadline
# bound those: mysite/settings/production.py). It is also how long a request body may pause.
timeout = 20

# On SIGTERM, in-flight requests get this long to finish: well inside the 30 s
# Heroku waits before SIGKILL.
graceful_timeout = 20

# The router keeps idle connections open for 90 s; closing ours first races a new
# request on a dying socket (H13/H18). Stay above it.
keepalive = 95

# Which peers may mark a request https through X-Forwarded-Proto: none here. Django's
# SECURE_PROXY_SSL_HEADER is the one place that trusts Heroku's router for that,
# and a request from localhost gets no more trust than one from the router.
forwarded_allow_ips = ""

# The worker heartbeat file lives in memory: a container's disk may be slow or read-only.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn creates its own private file there

# gunicorn's control socket (gunicornc) would go under $HOME, which an arbitrary
# container UID cannot write ("Permission denied: '/.gunicorn'"); a dyno has no use for it.
control_socket_disable = True

# One logfmt line per request on stdout, as Heroku's router logs: the request id is the
# one the app answered with (the router's X-Request-ID, or one it made), so a request can
# be followed from the router through the app's own log lines. No query strings, no cookies.
accesslog = "-"
access_log_format = (
    "level=info logger=gunicorn.access request_id=%({x-request-id}o)s method=%(m)s "
    "path=%(U)s status=%(s)s duration_ms=%(M)s bytes=%(B)s fwd=%({x-forwarded-for}i)s"
)
# Every field quoted as logfmt needs: a crafted path or header cannot add fields or lines.
logger_class = "mysite.gunicorn_logging.LogfmtLogger"

# gunicorn's own lines (start, stop, worker events) are logfmt on stdout too, so every line
# a dyno writes parses the same way (mysite/logfmt.py).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "logfmt": {"()": "mysite.logfmt.LogfmtFormatter"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "logfmt",
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "access",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
}
