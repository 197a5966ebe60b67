"""What the release phase runs: `migrate`, safe to run while the previous release serves.

A migration that alters a table needs an exclusive lock on it. Behind one long reader (a
`heroku run` shell, a backup) it would wait, and every page reading that table would queue
behind it until its statement timeout: the site down although nothing failed. So each
statement here waits at most LOCK_TIMEOUT for a lock, pages wait at most that long behind it,
and a migration that gives up is tried again after a pause, a bounded number of times (each
migration is one transaction on PostgreSQL, so a cancelled one leaves nothing behind). After the
last try the release fails with one line naming the migration and who holds the lock.

Migrations are legitimate long work: neither the statement timeout nor the client's deadline
that web requests have limits them here.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor

LOCK_TIMEOUT_SECONDS = 2  # what a page may wait behind a migration, well under the web timeout
RETRIES = 8  # after the first try; with the pauses below, about three minutes in all
LONGEST_PAUSE_SECONDS = 30
LOCK_NOT_AVAILABLE = "55P03"

# Who holds a lock on one of this database's tables, in a transaction older than the lock
# timeout: the sessions a migration waits behind (a page's momentary read is not one).
HOLDERS = """
    SELECT DISTINCT ON (activity.pid, class.relname) class.relname, activity.pid, activity.state,
           extract(epoch FROM now() - activity.xact_start)::int, left(activity.query, 60)
    FROM pg_locks AS held
    JOIN pg_class AS class ON class.oid = held.relation AND class.relkind = 'r'
    JOIN pg_stat_activity AS activity ON activity.pid = held.pid
    WHERE held.granted AND held.pid <> pg_backend_pid()
      AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND now() - activity.xact_start > make_interval(secs => %s)
    LIMIT 3
"""


def pauses(retries):
    """Seconds to wait before each retry: doubling from 1, at most LONGEST_PAUSE_SECONDS."""
    return [min(2**attempt, LONGEST_PAUSE_SECONDS) for attempt in range(retries)]


class Command(BaseCommand):
    help = "Apply migrations with a short lock timeout and bounded retries (the release phase)."

    def add_arguments(self, parser):
        parser.add_argument("--lock-timeout", type=float, default=LOCK_TIMEOUT_SECONDS)
        parser.add_argument("--retries", type=int, default=RETRIES)

    def handle(self, *args, lock_timeout, retries, verbosity, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        limits = f"-c lock_timeout={round(lock_timeout * 1000)} -c statement_timeout=0"
        # The release's own connections, whatever the settings give web requests: no statement
        # timeout, no client deadline, a lock timeout. Restored afterwards.
        configured = connection.settings_dict["OPTIONS"]
        options = f"{configured.get('options', '')} {limits}".strip()
        connection.close()
        connection.settings_dict["OPTIONS"] = {**configured, "options": options, "deadline": None}
        try:
            self.migrate_with_retries(connection, lock_timeout, retries, verbosity)
        finally:
            connection.close()
            connection.settings_dict["OPTIONS"] = configured

    def migrate_with_retries(self, connection, lock_timeout, retries, verbosity):
        for attempt, pause in enumerate([*pauses(retries), None]):
            try:
                call_command("migrate", interactive=False, verbosity=verbosity)
                return
            except OperationalError as error:
                if getattr(error.__cause__, "pgcode", None) != LOCK_NOT_AVAILABLE:
                    raise
                blocked = self.waiting_migration(connection)
                holders = self.lock_holders(connection, lock_timeout)
                if pause is None:
                    raise CommandError(
                        f"{blocked} could not take its lock within {lock_timeout:g} s in "
                        f"{attempt + 1} tries: {holders}; end that session (heroku pg:ps, "
                        "heroku pg:kill) or run the release again"
                    ) from None
                self.stderr.write(
                    f"release: {blocked} waited {lock_timeout:g} s for a lock ({holders}); "
                    f"trying again in {pause} s"
                )
                time.sleep(pause)

    @staticmethod
    def waiting_migration(connection):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return str(plan[0][0]) if plan else "a migration"

    @staticmethod
    def lock_holders(connection, older_than):
        with connection.cursor() as cursor:
            cursor.execute(HOLDERS, [older_than])
            rows = cursor.fetchall()
        return (
            "; ".join(
                f"{table} held by pid {pid} ({state}, {seconds} s in its transaction: {query!r})"
                for table, pid, state, seconds, query in rows
            )
            or f"no session held a lock for longer than {older_than:g} s any more"
        )
