"""The guestbook page with Django's own connection health check: a `SELECT 1` round trip before
each request reuses its connection. Beside the project's page, it measures what the check
without a round trip (mysite/postgresql/base.py) saves; both keep a restarted database from
failing a request."""

from django.db.backends.postgresql.base import DatabaseWrapper as DjangoDatabaseWrapper

from mysite import wsgi
from mysite.postgresql import base

base.DatabaseWrapper.is_usable = DjangoDatabaseWrapper.is_usable
application = wsgi.application
