"""A throwaway PostgreSQL 17 in a container (the development stack's image): the one way the
tests, `make test-postgres` and `make lint-migrations` start one.

On a test network it runs with TLS on, as Heroku Postgres does; published on 127.0.0.1 it
serves the host. Given a small disk (a tmpfs at SMALL_DISK), a table can be moved onto it and
the disk filled, as when a plan's storage is used up. As a command, it runs another command
with DATABASE_URL pointing at a new one and removes it afterwards:
python -m tests.support.postgres COMMAND [ARG...]
"""

import contextlib
import os
import shlex
import subprocess
import sys

from tests.support import waiting
from tests.support.certificates import self_signed
from tests.support.docker import Container, docker, postgres_image, running, unique

USER = "mysite"
PASSWORD = "test-only-password"  # a throwaway container's
SMALL_DISK = "/small-disk"  # where a server started with small_disk has its tmpfs

# Rows added one at a time, each in a subtransaction, until PostgreSQL reports disk_full
# (SQLSTATE 53100): bounded, so a disk that never fills fails instead of looping forever.
FILL_UNTIL_DISK_FULL = """
DO $$
BEGIN
  FOR i IN 1..{limit} LOOP
    BEGIN
      INSERT INTO {table} {row};
    EXCEPTION WHEN disk_full THEN
      RETURN;
    END;
  END LOOP;
  RAISE EXCEPTION 'still not disk full after {limit} rows';
END $$;
"""


# The server reads its key from a copy it owns (PostgreSQL refuses a key others can read).
START_WITH_TLS = (
    "install -o postgres -g postgres -m 600 /tls/server.key /tmp/server.key"
    " && install -o postgres -g postgres -m 644 /tls/server.crt /tmp/server.crt"
    " && exec docker-entrypoint.sh postgres -c ssl=on"
    " -c ssl_cert_file=/tmp/server.crt -c ssl_key_file=/tmp/server.key"
)


class Postgres:
    def __init__(self, container, alias):
        self.container = container
        self.alias = alias

    def url(self, database=USER):
        """DATABASE_URL as Heroku sets it (postgres:// scheme), for containers on the network."""
        return f"postgres://{USER}:{PASSWORD}@{self.alias}:5432/{database}"

    def host_url(self, database=USER):
        """DATABASE_URL for the host, when the server is published on 127.0.0.1."""
        return f"postgres://{USER}:{PASSWORD}@127.0.0.1:{self.container.host_port(5432)}/{database}"

    def psql(self, sql, database=USER, check=True):
        return self.container.exec(
            "psql", "-U", USER, "-d", database, "-tAc", sql, check=check
        ).stdout.strip()

    def hold_table_lock(self, table, database, seconds):
        """Lock a table from another session for a while: queries on it wait meanwhile."""
        sql = (
            f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; "
            f"SELECT pg_sleep({seconds}); COMMIT;"
        )
        locker = subprocess.Popen(
            ["docker", "exec", self.container.name, "psql", "-U", USER, "-d", database, "-c", sql],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        waiting.until(
            lambda: self.count("pg_locks WHERE mode = 'AccessExclusiveLock'", database) > 0, 10
        )
        return locker

    def hold_read_transaction(self, table, database, seconds):
        """A reader from another session, as a long `heroku run` shell or a backup is: a
        transaction that has read the table and holds its share lock for a while."""
        sql = f"BEGIN; SELECT count(*) FROM {table}; SELECT pg_sleep({seconds}); COMMIT;"  # noqa: S608
        reader = subprocess.Popen(
            [
                "docker", "exec", "--env", "PGAPPNAME=long-reader", self.container.name,
                "psql", "-U", USER, "-d", database, "-c", sql,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        active = "pg_stat_activity WHERE application_name = 'long-reader' AND state = 'active'"
        waiting.until(lambda: self.count(active, database) > 0, 10)
        return reader

    @contextlib.contextmanager
    def frozen(self):
        """The server frozen (docker pause): its kernel still acknowledges packets, but nothing
        answers them, as with a stuck server. Thawed afterwards, whatever happens."""
        docker("pause", self.container.name)
        try:
            yield
        finally:
            docker("unpause", self.container.name, check=False)

    @contextlib.contextmanager
    def cut_off(self):
        """Every packet to the server dropped (an iptables rule in its network namespace), as in
        a network partition. The rule is removed afterwards, whatever happens.

        Runs the host's nsenter (Debian package util-linux) and iptables (package iptables) as
        root, each bounded by HOST_COMMAND_TIMEOUT: a stuck one fails the test, never hangs it."""
        namespace = ["nsenter", "--target", str(self.container.inspect()["State"]["Pid"]), "--net"]
        rule = ["INPUT", "--jump", "DROP"]
        host_command([*namespace, "iptables", "--append", *rule])
        try:
            yield
        finally:
            host_command([*namespace, "iptables", "--delete", *rule])

    @contextlib.contextmanager
    def disk_full(self, table, database, smallest_row, limit=5000):
        """`table` on a disk with no space left: moved to a tablespace on the small disk, which
        is then filled with a file, and the table's last page with `smallest_row` (the VALUES
        of a row no write could make smaller) until PostgreSQL reports disk_full. Yields what
        PostgreSQL says to one more insert (with its SQLSTATE); frees the space afterwards, so
        writes work again. Needs a server started with small_disk."""
        space, ballast = f"{SMALL_DISK}/tablespace", f"{SMALL_DISK}/ballast"
        self.container.exec("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "700", space)
        self.psql(f"CREATE TABLESPACE small_disk LOCATION '{space}'", database)
        self.psql(f"ALTER TABLE {table} SET TABLESPACE small_disk", database)
        try:
            # cat stops at "No space left on device": every byte of the disk is taken.
            filled = self.container.exec("sh", "-c", f"cat /dev/zero > {ballast}", check=False)
            assert "No space left on device" in filled.stderr, filled.stderr
            fill = FILL_UNTIL_DISK_FULL.format(table=table, row=smallest_row, limit=limit)
            self.psql(fill, database)
            refusal = self.container.exec(
                "psql", "-U", USER, "-d", database, "--set", "VERBOSITY=verbose",
                "-c", f"INSERT INTO {table} {smallest_row}", check=False,
            )  # fmt: skip
            yield refusal.stderr
        finally:
            self.container.exec("rm", "-f", ballast, check=False)

    def count(self, rows, database):
        return int(self.psql(f"SELECT count(*) FROM {rows}", database))  # noqa: S608 - test SQL

    def create_database(self):
        name = unique("db").replace("-", "_")
        self.psql(f'CREATE DATABASE "{name}"')
        return name


HOST_COMMAND_TIMEOUT = 10  # seconds: nsenter and iptables answer in milliseconds


def host_command(command):
    """A command on the host, bounded in time; fails with its output if it fails."""
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=HOST_COMMAND_TIMEOUT, check=False
    )
    if result.returncode != 0:
        raise AssertionError(f"{shlex.join(command)} failed:\n{result.stderr}")
    return result


@contextlib.contextmanager
def postgres(network=None, tls_directory=None, small_disk=None):
    """A new server: on `network` with TLS (certificates made in tls_directory), or else
    published on 127.0.0.1 without it; with a disk of `small_disk` bytes at SMALL_DISK if
    given. Removed afterwards, whatever happens."""
    options = ["--env", f"POSTGRES_USER={USER}", "--env", f"POSTGRES_PASSWORD={PASSWORD}"]
    if small_disk:
        options += ["--mount", f"type=tmpfs,destination={SMALL_DISK},tmpfs-size={small_disk}"]
    alias = unique("db")
    command = ()
    if network:
        self_signed(tls_directory, "server", "db", ["DNS:db"])
        options += ["--network", network, "--network-alias", alias]
        options += ["--volume", f"{tls_directory}:/tls:ro", "--entrypoint", "sh"]
        command = ("-c", START_WITH_TLS)
    else:
        options += ["--publish", "127.0.0.1::5432"]
    with running(postgres_image(), *command, options=options) as container:
        wait_until_ready(container)
        yield Postgres(container, alias)


def wait_until_ready(container: Container, timeout=60):
    def ready():
        # The entrypoint's first start is a private one for initdb; wait for the real server.
        answer = container.exec("pg_isready", "-h", "127.0.0.1", "-U", USER, check=False)
        return answer.returncode == 0 and "init process complete" in container.logs()

    waiting.until(ready, timeout, 0.2, what=lambda: f"PostgreSQL to start:\n{container.logs()}")


def main(command):
    """Run `command` with DATABASE_URL naming a throwaway server; exit with its status."""
    if not command:
        sys.exit("usage: python -m tests.support.postgres COMMAND [ARG...]")
    with postgres() as server:
        environ = {**os.environ, "DATABASE_URL": server.host_url()}
        status = subprocess.run(command, env=environ, check=False).returncode
    sys.exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])
