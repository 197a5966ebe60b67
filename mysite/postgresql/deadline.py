"""A deadline on every wait for PostgreSQL, through psycopg2's documented wait callback.

With the database frozen (its kernel still acknowledges packets, nothing answers) or cut off
(packets dropped), psycopg2 would wait forever: statement_timeout is enforced by the silent
server, TCP keepalives are answered by its kernel, and once a wait callback is installed libpq
leaves connect_timeout to the application too. The callback here:
- bounds connecting by the connection's own connect_timeout (libpq's rule: unset or 0 waits
  forever, 1 counts as 2), for every connection;
- bounds every later wait (a query, a commit) by the `deadline` of a DeadlineConnection;
  None, or any other connection class, waits as long as the server takes (migrations).
Past it, DeadlineExceeded (an OperationalError) is raised, and psycopg2 closes the connection
itself at once: nothing more is sent or awaited.

A server that missed a deadline is then probed in the background, by one thread per process
trying a connect every PROBE_INTERVAL_SECONDS, and until one succeeds, connections with a
deadline fail at once, before opening a socket. No request waits on a dead server longer than
the deadline of the ones already in flight; otherwise each would hold a thread for a whole
connect_timeout and requests would queue far past any deadline.

An abandoned statement may still run when the server wakes up: an autocommit write sent to a
frozen server can be committed after its request was answered 503.
"""

import select
import threading
import time

import psycopg2
from psycopg2 import extensions

PROBE_INTERVAL_SECONDS = 0.5
_unanswered = set()  # servers that missed a deadline and have not answered a probe since
_probes = threading.Lock()


class DeadlineExceeded(psycopg2.OperationalError):
    """The server did not answer in time: frozen, or unreachable."""


class DatabaseUnresponsive(psycopg2.OperationalError):
    """The server missed a deadline and has not answered a probe since."""


def server_of(dsn):
    parameters = extensions.parse_dsn(dsn)
    return parameters.get("host"), parameters.get("port"), parameters.get("dbname")


def connect_timeout(dsn):
    """libpq's connect_timeout in seconds, as libpq reads it; None waits forever."""
    try:
        seconds = int(extensions.parse_dsn(dsn).get("connect_timeout", 0))
    except ValueError:
        return None
    return max(seconds, 2) if seconds > 0 else None


class DeadlineConnection(extensions.connection):
    """A psycopg2 connection whose waits after connecting end after `deadline` seconds."""

    def __init__(self, dsn, *args, deadline=None, **kwargs):
        self.deadline = deadline
        self.server = server_of(dsn)
        self.connect_dsn = dsn  # for a probe: psycopg2's own .dsn hides the password
        if deadline is not None and self.server in _unanswered:
            raise DatabaseUnresponsive(
                "the database missed its deadline and has not answered since (probing)"
            )
        super().__init__(dsn, *args, **kwargs)


def unanswered(connection):
    """Whether the connection's server missed a deadline and has not answered a probe since."""
    return bool(_unanswered) and getattr(connection, "server", None) in _unanswered


def missed(connection):
    """Mark the connection's server as not answering, and probe it until it answers again."""
    with _probes:
        if connection.server in _unanswered:
            return
        _unanswered.add(connection.server)
    probe = threading.Thread(
        target=_probe, args=(connection.server, connection.connect_dsn), daemon=True
    )
    probe.start()


def _probe(server, dsn):
    while True:
        try:
            psycopg2.connect(dsn).close()  # bounded by connect_timeout (wait_with_deadline)
        except psycopg2.Error:
            time.sleep(PROBE_INTERVAL_SECONDS)
            continue
        with _probes:
            _unanswered.discard(server)
        return


def wait_with_deadline(connection):
    """The wait callback: poll the connection until its operation is done, within its limit."""
    deadline = getattr(connection, "deadline", None)
    if connection.status == extensions.STATUS_SETUP:
        limit, doing = connect_timeout(connection.dsn), "connect"
    else:
        limit, doing = deadline, "answer"
    ends = None if limit is None else time.monotonic() + limit
    while True:
        state = connection.poll()
        if state == extensions.POLL_OK:
            return
        if state not in (extensions.POLL_READ, extensions.POLL_WRITE):
            raise psycopg2.OperationalError(f"unexpected state from poll: {state}")
        poller = select.poll()  # while connecting, the socket changes (one per address tried)
        poller.register(
            connection.fileno(), select.POLLIN if state == extensions.POLL_READ else select.POLLOUT
        )
        if ends is None:
            poller.poll()
            continue
        remaining = ends - time.monotonic()
        if remaining <= 0 or (not poller.poll(remaining * 1000) and time.monotonic() >= ends):
            if deadline is not None:
                missed(connection)
            raise DeadlineExceeded(
                f"the database did not {doing} within {limit:g} s (frozen or unreachable)"
            )


def install():
    """For the whole process: every psycopg2 connection made afterwards waits through it."""
    extensions.set_wait_callback(wait_with_deadline)
