"""The database ceiling: the most a page that reads the database could reach here. A bare WSGI
callable that runs the guestbook page's own SQL (recorded from Django's queryset), reads every
row, and answers the page's recorded bytes, with one persistent psycopg2 connection per thread,
over TLS as the app connects (sslmode=require). No framework, no template, no middleware.

CEILING_SQL names a file holding the SQL; the response comes from ceiling.py's recording.
"""

import os
import threading

import psycopg2
from ceiling import BODY, HEADERS

with open(os.environ["CEILING_SQL"]) as sql_file:
    SQL = sql_file.read()
connections = threading.local()


def cursor():
    connection = getattr(connections, "connection", None)
    if connection is None or connection.closed:
        connection = psycopg2.connect(os.environ["DATABASE_URL"], sslmode="require")
        connection.autocommit = True  # as Django runs outside transactions
        connections.connection = connection
    return connection.cursor()


def application(environ, start_response):
    with cursor() as rows:
        rows.execute(SQL)
        rows.fetchall()
    start_response("200 OK", HEADERS)
    return [BODY]
