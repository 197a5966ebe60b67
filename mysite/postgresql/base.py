"""Django's PostgreSQL backend (psycopg2), subclassed as Django documents ("Subclassing the
built-in database backends"), for two things:

- OPTIONS["deadline"]: the seconds any one wait on the server (a query, a commit) may take, so
  a frozen or unreachable database fails a request instead of hanging it (deadline.py); absent
  or None, no limit. Connecting stays bounded by connect_timeout.
- is_usable() answers without a round trip: CONN_HEALTH_CHECKS then costs a poll() per request
  instead of a SELECT 1, and still replaces, before a request uses it, a connection the server
  has closed (a restart, a failover, pg_terminate_backend).
"""

import functools
import select

from django.db.backends.postgresql import base
from psycopg2 import extensions

from mysite.postgresql import deadline

deadline.install()

IDLE = (extensions.TRANSACTION_STATUS_IDLE, extensions.TRANSACTION_STATUS_INTRANS)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        parameters = super().get_connection_params()
        parameters["connection_factory"] = functools.partial(
            deadline.DeadlineConnection, deadline=parameters.pop("deadline", None)
        )
        return parameters

    def is_usable(self):
        """Whether the connection still works, without asking the server.

        Between requests the server says nothing unless asked, so an idle connection's socket
        has nothing to read. If it has, the server closed it or is closing it (a restart sends
        FATAL 57P01, then the end of the stream; over TLS, as an encrypted record). A frozen or
        unreachable server is not seen here: the next query meets its deadline, and from then
        on connections to that server count as unusable until it answers again.
        """
        connection = self.connection
        if connection is None or connection.closed or deadline.unanswered(connection):
            return False
        if connection.info.transaction_status not in IDLE:
            return False
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        return not poller.poll(0)
