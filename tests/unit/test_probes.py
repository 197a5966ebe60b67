"""/healthz says the process is alive; /readyz says it can serve pages from the database."""

import json

import pytest
from django.db import connection


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django makes any database access here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_probes_are_never_cached(client, db):
    for path in ("/healthz", "/readyz"):
        assert "no-cache" in client.get(path)["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_has_every_migration(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_unavailable_while_a_migration_is_unapplied(client):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = "
            "(SELECT max(id) FROM django_migrations WHERE app = 'guestbook')"
        )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "reason": "unapplied migrations: 1",
    }


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
