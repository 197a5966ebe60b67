"""The release phase migrates while the previous release serves. A migration that needs an
exclusive lock on the guestbook's table, stuck behind one long reader (a `heroku run` shell, a
backup), waits at most its lock timeout and tries again later, so pages keep answering, never
slower than that timeout and a second; when the reader ends, the release completes. A reader
that outlasts every try fails the release with one line naming the lock's holder."""

import threading
import time

import pytest

from mysite.management.commands.release import LOCK_TIMEOUT_SECONDS
from tests.support import docker, migrations
from tests.support.dynos import app_config, release, serving_dyno
from tests.support.http import RouterClient

# ALTER TABLE ... ADD COLUMN takes an ACCESS EXCLUSIVE lock: it waits for every reader.
NEEDS_AN_EXCLUSIVE_LOCK = migrations.source(
    'migrations.AddField("entry", "note", models.CharField(max_length=20, null=True))'
)
MIGRATION = "/app/guestbook/migrations/9100_note.py"


@pytest.fixture
def serving_release(image, test_network, own_database, heroku_manifest):
    """The current release: migrated, and serving."""
    config = app_config(own_database.url())
    for result in release(image, test_network, config, heroku_manifest):
        assert result.returncode == 0, result.stderr
    with serving_dyno(image, test_network, config, heroku_manifest) as dyno:
        yield config, dyno


@pytest.fixture
def next_image(image, tmp_path):
    with docker.image_with_files(image, {MIGRATION: NEEDS_AN_EXCLUSIVE_LOCK}, tmp_path) as tag:
        yield tag


def visits_during(dyno, action):
    """Run action() while a visitor keeps loading the page: (action's result, [(status, s)])."""
    visits, done = [], threading.Event()

    def visit():
        while not done.is_set():
            started = time.monotonic()
            status = RouterClient(dyno.base_url).get("/", timeout=30).status_code
            visits.append((status, time.monotonic() - started))

    visitor = threading.Thread(target=visit)
    visitor.start()
    try:
        result = action()
    finally:
        done.set()
        visitor.join(timeout=60)
    return result, visits


def has_column(database, column):
    columns = "information_schema.columns WHERE table_name = 'guestbook_entry'"
    return database.count(f"{columns} AND column_name = '{column}'", "mysite") == 1


def test_pages_keep_answering_while_a_migration_waits_for_a_long_reader(
    serving_release, own_database, next_image, test_network, heroku_manifest
):
    config, dyno = serving_release
    reader = own_database.hold_read_transaction("guestbook_entry", "mysite", seconds=8)
    (outcome,), visits = visits_during(
        dyno, lambda: release(next_image, test_network, config, heroku_manifest)
    )
    reader.wait(timeout=30)

    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "waited 2 s for a lock (guestbook_entry held by pid" in outcome.stderr  # it retried
    assert has_column(own_database, "note")
    assert len(visits) > 5
    assert {status for status, _ in visits} == {200}
    assert max(seconds for _, seconds in visits) < LOCK_TIMEOUT_SECONDS + 1


def test_a_reader_outlasting_every_try_fails_the_release_naming_the_lock(
    serving_release, own_database, next_image, test_network, heroku_manifest
):
    config, dyno = serving_release
    [command] = heroku_manifest["release"]["command"]
    few_tries = {**heroku_manifest, "release": {"command": [f"{command} --retries 1"]}}
    reader = own_database.hold_read_transaction("guestbook_entry", "mysite", seconds=15)
    (outcome,), visits = visits_during(
        dyno, lambda: release(next_image, test_network, config, few_tries)
    )
    reader.terminate()

    assert outcome.returncode != 0
    [line] = [line for line in outcome.stderr.splitlines() if line.startswith("CommandError")]
    assert "guestbook.9100_note could not take its lock within 2 s in 2 tries" in line
    assert "guestbook_entry held by pid" in line
    assert not has_column(own_database, "note")
    assert {status for status, _ in visits} == {200}
