"""heroku.yml's release command, run as Heroku runs it: a one-off container of the new image."""

import pytest

from tests.support import docker, migrations
from tests.support.dynos import app_config, release


@pytest.fixture
def new_app(database_server):
    return app_config(database_server.url(database_server.create_database()))


def test_the_release_command_applies_the_migrations(
    image, test_network, database_server, new_app, heroku_manifest
):
    [first] = release(image, test_network, new_app, heroku_manifest)
    assert first.returncode == 0, first.stderr
    assert "Applying guestbook.0001_initial... OK" in first.stdout
    database = new_app["DATABASE_URL"].rsplit("/", 1)[1]
    assert database_server.psql("SELECT to_regclass('guestbook_entry')", database) == (
        "guestbook_entry"
    )


def test_a_second_release_is_a_no_op(image, test_network, new_app, heroku_manifest):
    release(image, test_network, new_app, heroku_manifest)
    [second] = release(image, test_network, new_app, heroku_manifest)
    assert second.returncode == 0, second.stderr
    assert "No migrations to apply." in second.stdout


# A migration slower than a page's statement timeout and deadline (3 s, 4 s).
SLOW_MIGRATION = migrations.source('migrations.RunSQL("SELECT pg_sleep(6)")')


@pytest.fixture
def image_with_a_slow_migration(image, tmp_path):
    files = {"/app/guestbook/migrations/9200_slow.py": SLOW_MIGRATION}
    with docker.image_with_files(image, files, tmp_path) as tag:
        yield tag


def test_a_migration_slower_than_a_pages_limits_completes_in_the_release_phase(
    image_with_a_slow_migration, test_network, database_server, new_app, heroku_manifest
):
    [outcome] = release(image_with_a_slow_migration, test_network, new_app, heroku_manifest)
    assert outcome.returncode == 0, outcome.stderr
    assert "Applying guestbook.9200_slow... OK" in outcome.stdout
