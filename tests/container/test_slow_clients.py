"""Slow clients cannot starve a dyno. Heroku's router streams a request's body to the dyno as the
client sends it, so an attacker can send form bodies at one byte a second on as many connections
as it likes. With 200 of them held for 20 s, every one cut off reopened at once, visitors loading
the page at the dyno's $PORT (as the router delivers requests) see no failure and a p99 of at
most a second; the workers and their database connections stay as they were."""

import statistics
import time

import pytest

from mysite.management.commands.connection_budget import gunicorn_concurrency
from tests.support import waiting
from tests.support.dynos import app_config, serving_dyno
from tests.support.http import RouterClient
from tests.support.slow_clients import SlowBodies

ATTACKERS = 200
HELD_FOR = 20  # seconds
P99_AT_MOST = 1.0  # seconds


@pytest.fixture
def read_only_dyno(image, test_network, migrated_database, heroku_manifest):
    """A dyno with a read-only root filesystem, as a copy of the image may be run."""
    options = ["--read-only", "--tmpfs", "/tmp"]
    config = app_config(migrated_database)
    with serving_dyno(image, test_network, config, heroku_manifest, options=options) as started:
        yield started


def visit_for(dyno, seconds, path="/"):
    """Load a page again and again for `seconds`: each answer's status and time."""
    visitor = RouterClient(dyno.base_url)
    visits = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        started = time.monotonic()
        try:
            status = visitor.get(path, timeout=10).status_code
        except OSError as error:
            status = repr(error)
        visits.append((status, time.monotonic() - started))
    return visits


def p99(visits):
    return statistics.quantiles([seconds for _, seconds in visits], n=100)[98]


def test_200_slow_bodies_for_20_s_fail_no_visitor_and_keep_the_pages_p99_under_1_s(
    read_only_dyno, database_server, migrated_database
):
    dyno = read_only_dyno
    workers = dyno.worker_pids()
    port = int(dyno.base_url.rsplit(":", 1)[1])
    with SlowBodies("127.0.0.1", port, ATTACKERS) as attack:
        waiting.until(lambda: attack.open == ATTACKERS, 15, what="every slow body on its way")
        held = attack.open
        visits = visit_for(dyno, HELD_FOR)
        still_held = attack.open

    assert held == still_held == ATTACKERS
    failed = [visit for visit in visits if visit[0] != 200]
    assert not failed, failed[:5]
    assert len(visits) > 50
    assert p99(visits) <= P99_AT_MOST, f"p99 {p99(visits):.2f} s over {len(visits)} visits"
    assert dyno.worker_pids() == workers
    database = migrated_database.rsplit("/", 1)[1]
    connections = database_server.count(
        f"pg_stat_activity WHERE datname = '{database}' AND backend_type = 'client backend' "
        "AND pid <> pg_backend_pid()",
        database,
    )
    workers_count, threads = gunicorn_concurrency()  # the defaults: the dyno sets neither
    assert 0 < connections <= workers_count * threads
