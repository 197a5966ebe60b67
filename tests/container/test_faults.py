"""Faults a production dyno meets: the database going away and coming back, a worker killed,
SIGTERM under load, and a migration failing in the release phase."""

import threading
import time

import pytest
import requests

from tests.support import docker, migrations, waiting
from tests.support.dynos import app_config, release, serving_dyno
from tests.support.http import RouterClient
from tests.support.postgres import postgres, wait_until_ready

HEROKU_SIGKILL_AFTER = 30
IN_FLIGHT = 3  # fewer than one gunicorn worker's threads (GUNICORN_THREADS defaults to 4)


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def test_a_database_outage_gives_fast_503s_and_recovers_without_a_restart(
    dyno_on_own_database, own_database
):
    dyno = dyno_on_own_database
    visitor = RouterClient(dyno.base_url)
    assert visitor.get("/").status_code == 200  # a persistent connection is now open

    docker.docker("stop", own_database.container.name)

    waiting.until(lambda: visitor.get("/readyz").status_code == 503, timeout=5)
    assert visitor.get("/readyz").json()["reason"] == "database unreachable"
    page, seconds = timed(lambda: visitor.get("/", timeout=15))
    assert page.status_code == 503
    assert seconds < 5  # failed fast: no hanging on the dead database
    assert "Temporarily unavailable" in page.text
    assert "Traceback" not in page.text
    assert page.headers["Retry-After"] == "5"
    assert visitor.get("/healthz").status_code == 200

    docker.docker("start", own_database.container.name)
    wait_until_ready(own_database.container)
    waiting.until(lambda: visitor.get("/").status_code == 200, timeout=5)
    assert visitor.get("/readyz").status_code == 200
    restarts = dyno.container.inspect()["RestartCount"]
    assert restarts == 0
    assert dyno.container.running()


def set_read_only(database, on):
    """The whole server refuses writes, as in read-only mode: every session's next transaction."""
    database.psql(f"ALTER SYSTEM SET default_transaction_read_only = {'on' if on else 'off'}")
    database.psql("SELECT pg_reload_conf()")


def test_a_database_that_refuses_writes_gives_a_503_and_still_serves_reads(
    dyno_on_own_database, own_database
):
    visitor = RouterClient(dyno_on_own_database.base_url)
    token = visitor.csrf_token_from(visitor.get("/"))
    signature = {"csrfmiddlewaretoken": token, "name": "Read Only", "message": "refused"}
    set_read_only(own_database, on=True)
    try:
        refused = visitor.post("/", signature)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "5"
        assert "Temporarily unavailable" in refused.text
        assert visitor.get("/").status_code == 200
    finally:
        set_read_only(own_database, on=False)
    assert visitor.post("/", signature).status_code == 302
    logs = dyno_on_own_database.container.logs()
    assert "cannot execute INSERT in a read-only transaction" in logs


# The guestbook's smallest possible row (one-character fields), dated before any signature so
# the page's newest entries stay the real ones.
TINY_OLD_ENTRY = "(name, message, created_at) VALUES ('x', 'x', '2000-01-01')"


@pytest.fixture
def database_with_a_small_disk(test_network, tmp_path):
    """A PostgreSQL of the test's own with a 2 MiB disk to move a table onto and fill."""
    with postgres(test_network, tmp_path / "tls", small_disk=2 * 1024 * 1024) as server:
        yield server


def test_a_database_whose_disk_is_full_gives_a_503_still_serves_reads_and_recovers(
    image, test_network, database_with_a_small_disk, heroku_manifest
):
    database = database_with_a_small_disk
    config = app_config(database.url())
    for result in release(image, test_network, config, heroku_manifest):
        assert result.returncode == 0, result.stderr
    with serving_dyno(image, test_network, config, heroku_manifest) as dyno:
        visitor = RouterClient(dyno.base_url)
        token = visitor.csrf_token_from(visitor.get("/"))

        def sign(name):
            signature = {"csrfmiddlewaretoken": token, "name": name, "message": "no room"}
            return visitor.post("/", signature)

        assert sign("Before Full").status_code == 302
        with database.disk_full("guestbook_entry", "mysite", TINY_OLD_ENTRY) as refusal:
            # PostgreSQL itself refuses the table any more rows.
            assert "53100" in refusal
            assert "No space left on device" in refusal
            refused = sign("Disk Full")
            assert refused.status_code == 503
            assert refused.headers["Retry-After"] == "5"
            assert "Temporarily unavailable" in refused.text
            page = visitor.get("/")
            assert page.status_code == 200
            assert "Before Full" in page.text
        assert sign("After Full").status_code == 302
        assert "After Full" in visitor.get("/").text
        logs = dyno.container.logs()
    assert "No space left on device" in logs
    assert "Traceback" not in logs


def test_a_statement_slower_than_the_statement_timeout_ends_with_a_503(
    image, test_network, own_database, heroku_manifest
):
    config = app_config(own_database.url(), DATABASE_STATEMENT_TIMEOUT="2")
    for result in release(image, test_network, config, heroku_manifest):
        assert result.returncode == 0, result.stderr
    with serving_dyno(image, test_network, config, heroku_manifest) as dyno:
        locker = own_database.hold_table_lock("guestbook_entry", "mysite", seconds=10)
        page, seconds = timed(lambda: RouterClient(dyno.base_url).get("/", timeout=30))
        locker.wait(timeout=30)
    assert page.status_code == 503
    assert 1.5 < seconds < 8  # ended by the statement timeout, not by the lock's release


def test_a_worker_killed_with_sigkill_is_replaced(dyno_on_own_database):
    dyno = dyno_on_own_database
    workers = dyno.worker_pids()
    assert len(workers) == 2
    dyno.container.exec("sh", "-c", f"kill -KILL {workers[0]}")
    waiting.until(
        lambda: (now := dyno.worker_pids()) and len(now) == 2 and workers[0] not in now, 10
    )
    assert f"Worker (pid:{workers[0]}) was sent SIGKILL" in dyno.container.logs()
    visitor = RouterClient(dyno.base_url)
    assert [visitor.get("/").status_code for _ in range(20)] == [200] * 20


# A page may legitimately take seconds: up to its statement timeout, raised here for the test.
SLOW_PAGES_ALLOWED = {"DATABASE_STATEMENT_TIMEOUT": "10"}


@pytest.mark.parametrize("dyno_on_own_database", [SLOW_PAGES_ALLOWED], indirect=True)
def test_sigterm_under_load_finishes_in_flight_requests_and_exits_0(
    dyno_on_own_database, own_database
):
    dyno = dyno_on_own_database
    # Requests certainly in flight: their query waits on a table another session holds. As
    # many as one worker has threads (gunicorn may hand every connection to the same worker).
    locker = own_database.hold_table_lock("guestbook_entry", "mysite", seconds=5)
    in_flight = {}

    def visit(number):
        in_flight[number] = RouterClient(dyno.base_url).get("/", timeout=30)

    blocked = [threading.Thread(target=visit, args=(n,)) for n in range(IN_FLIGHT)]
    for thread in blocked:
        thread.start()
    waiting.until(
        lambda: own_database.count("pg_locks WHERE NOT granted", "mysite") >= IN_FLIGHT, 10
    )

    # Load around them: visitors keep arriving until the dyno stops listening.
    load_results = []
    stop_load = threading.Event()

    def load():
        while not stop_load.is_set():
            try:
                load_results.append(RouterClient(dyno.base_url).get("/healthz", timeout=10))
            except requests.ConnectionError:
                load_results.append(None)  # refused once gunicorn closed its socket
            time.sleep(0.01)

    loaders = [threading.Thread(target=load) for _ in range(4)]
    for thread in loaders:
        thread.start()
    time.sleep(0.5)

    started = time.monotonic()
    docker.docker("stop", "--time", str(HEROKU_SIGKILL_AFTER), dyno.container.name, timeout=60)
    seconds = time.monotonic() - started
    stop_load.set()
    for thread in [*blocked, *loaders]:
        thread.join(timeout=30)
    locker.wait(timeout=30)

    assert [in_flight[n].status_code for n in range(IN_FLIGHT)] == [200] * IN_FLIGHT
    answered = [response for response in load_results if response is not None]
    assert answered, "the load reached the dyno"
    assert all(response.status_code == 200 for response in answered)
    assert dyno.container.exit_code() == 0
    assert seconds < HEROKU_SIGKILL_AFTER


FAILING_MIGRATION = migrations.source(
    'migrations.AddField("entry", "mood", models.CharField(max_length=20, default=""))',
    'migrations.RunSQL("SELECT 1 / 0")',  # fails after the column was added
)


@pytest.fixture
def image_with_a_failing_migration(image, tmp_path):
    files = {"/app/guestbook/migrations/9999_fails.py": FAILING_MIGRATION}
    with docker.image_with_files(image, files, tmp_path) as tag:
        yield tag


def test_a_failing_migration_stops_the_release_and_leaves_the_schema_as_it_was(
    image, image_with_a_failing_migration, test_network, database_server, heroku_manifest
):
    database = database_server.create_database()
    config = app_config(database_server.url(database))
    [first] = release(image, test_network, config, heroku_manifest)
    assert first.returncode == 0, first.stderr

    [failed] = release(image_with_a_failing_migration, test_network, config, heroku_manifest)

    assert failed.returncode != 0
    assert "division by zero" in failed.stderr
    # PostgreSQL ran the migration in one transaction: the column it added is gone too.
    column = database_server.psql(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'guestbook_entry' AND column_name = 'mood'",
        database,
    )
    assert column == "0"
    recorded = database_server.psql(
        "SELECT count(*) FROM django_migrations WHERE name = '9999_fails'", database
    )
    assert recorded == "0"


SILENT_SERVER = (
    "import socket\n"
    "server = socket.create_server(('0.0.0.0', 5432), backlog=100)\n"
    "held = []\n"
    "while True:\n"
    "    held.append(server.accept())  # accept, then never say a word\n"
)


@pytest.fixture
def silent_database(test_network):
    """A 'database' that accepts connections and never answers, as a hung server does."""
    alias = docker.unique("silent-db")
    options = ["--network", test_network, "--network-alias", alias]
    with docker.running(docker.base_image(), "python", "-c", SILENT_SERVER, options=options):
        yield f"postgres://mysite:pw@{alias}:5432/mysite"


def test_a_database_that_never_answers_fails_requests_after_the_connect_timeout(
    image, test_network, silent_database, heroku_manifest
):
    config = app_config(silent_database)
    with serving_dyno(image, test_network, config, heroku_manifest) as dyno:
        visitor = RouterClient(dyno.base_url)
        page, seconds = timed(lambda: visitor.get("/", timeout=30))
        assert page.status_code == 503
        assert 2 < seconds < 10  # libpq's connect_timeout (3 s) ended the wait, not the router
        readiness, seconds = timed(lambda: visitor.get("/readyz", timeout=30))
        assert readiness.status_code == 503
        assert seconds < 10
        assert visitor.get("/healthz").status_code == 200
