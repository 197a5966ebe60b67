"""Stopping a dyno: SIGTERM drains in-flight requests and exits 0 well before Heroku's SIGKILL."""

import threading
import time

import pytest

from tests.support import docker, waiting
from tests.support.dynos import app_config, serving_dyno, start_dyno
from tests.support.http import RouterClient

HEROKU_SIGKILL_AFTER = 30


@pytest.fixture
def fresh_dyno(image, test_network, migrated_database, heroku_manifest):
    # A page may legitimately take seconds, up to its statement timeout (raised for the test).
    config = app_config(migrated_database, DATABASE_STATEMENT_TIMEOUT="10")
    with serving_dyno(image, test_network, config, heroku_manifest) as started:
        yield started


def stop(container):
    """`docker stop`: SIGTERM, then SIGKILL after Heroku's 30 s. Returns the seconds it took."""
    started = time.monotonic()
    docker.docker("stop", "--time", str(HEROKU_SIGKILL_AFTER), container.name, timeout=60)
    return time.monotonic() - started


def test_an_idle_dyno_exits_0_within_five_seconds_of_sigterm(fresh_dyno):
    assert stop(fresh_dyno.container) < 5
    assert fresh_dyno.container.exit_code() == 0


def test_a_slow_request_in_flight_completes_after_sigterm(
    fresh_dyno, database_server, migrated_database
):
    database = migrated_database.rsplit("/", 1)[1]
    # A real slow request: the guestbook page waits on a table another session holds locked.
    locker = database_server.hold_table_lock("guestbook_entry", database, seconds=6)
    result = {}
    request = threading.Thread(
        target=lambda: result.update(response=RouterClient(fresh_dyno.base_url).get("/"))
    )
    request.start()
    # The page's query is waiting on the lock: the request is in flight.
    waiting.until(lambda: database_server.count("pg_locks WHERE NOT granted", database) > 0, 10)
    seconds = stop(fresh_dyno.container)
    request.join(timeout=30)
    locker.wait(timeout=30)
    assert result["response"].status_code == 200
    assert "<h1>Guestbook</h1>" in result["response"].text
    assert fresh_dyno.container.exit_code() == 0
    assert seconds < HEROKU_SIGKILL_AFTER


def test_a_missing_secret_key_stops_the_container_within_five_seconds_naming_it(
    image, test_network, migrated_database, heroku_manifest
):
    config = app_config(migrated_database, SECRET_KEY="")
    dyno = start_dyno(image, test_network, config, heroku_manifest)
    try:
        assert dyno.container.wait_for_exit(timeout=5) < 5
        assert dyno.container.exit_code() != 0
        assert "Configuration error: SECRET_KEY is empty" in dyno.container.logs()
    finally:
        dyno.container.remove()
