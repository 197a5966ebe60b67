"""gunicorn configured as Heroku's python-getting-started app configures it (its
gunicorn.conf.py): gthread workers with 5 threads, WEB_CONCURRENCY workers (1 when
unset, as on the container stack), preloaded, 20 s timeouts, access log on stdout."""

import os

bind = [f"[::]:{os.environ.get('PORT', '8000')}"]
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = 5
preload_app = True
timeout = 20
graceful_timeout = 20
accesslog = "-"
reuse_port = True
control_socket_disable = True  # gunicorn 27 would otherwise write under $HOME
