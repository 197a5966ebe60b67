"""Throwaway databases for servers the tests start, on the engine the suite runs against.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL names a
PostgreSQL server (the role needs CREATEDB, as pytest-django's test database does).
"""

import contextlib
import os
import secrets
import urllib.parse

import dj_database_url


def suite_database_url():
    return os.environ.get("DATABASE_URL", "")


def suite_runs_on_postgresql():
    return suite_database_url().startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def throwaway_database(tmp_path):
    """Yield the URL of a new, empty database; drop it afterwards."""
    if not suite_runs_on_postgresql():
        yield f"sqlite:///{tmp_path / 'throwaway.sqlite3'}"
        return
    import psycopg2

    server = dj_database_url.parse(suite_database_url())
    name = f"mysite_throwaway_{secrets.token_hex(4)}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=server["USER"],
        password=server["PASSWORD"],
        host=server["HOST"] or "localhost",
        port=server["PORT"] or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = urllib.parse.urlsplit(suite_database_url())._replace(path=f"/{name}")
        yield urllib.parse.urlunsplit(url)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
