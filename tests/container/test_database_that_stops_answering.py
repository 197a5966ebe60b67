"""A database that stops answering: frozen (`docker pause`: its kernel still acknowledges
packets, nothing answers) or cut off (every packet dropped, as in a network partition). The
server cannot enforce its statement timeout then, so the client's deadline does
(mysite/postgresql/): every page answers 503 within 5 s, /readyz too, /healthz stays 200, no
worker is killed or restarted, and pages answer 200 again within 5 s of the database's return.
A restarted database, which closes its connections, fails no request at all."""

import concurrent.futures
import time

import pytest

from tests.support import docker, waiting
from tests.support.http import RouterClient
from tests.support.postgres import wait_until_ready

WITHIN = 5  # seconds: every answer, and the return to 200s
AT_ONCE = 6  # pages loaded together: fewer than the dyno's 8 threads


def timed_get(dyno, path):
    started = time.monotonic()
    response = RouterClient(dyno.base_url).get(path, timeout=30)
    return response.status_code, time.monotonic() - started


def loads(dyno, path, count, at_once):
    with concurrent.futures.ThreadPoolExecutor(at_once) as pool:
        return list(pool.map(lambda _: timed_get(dyno, path), range(count)))


@pytest.mark.parametrize("fault", ["frozen", "cut_off"])
def test_pages_answer_503_within_5_s_while_the_database_does_not_answer(
    dyno_on_own_database, own_database, fault
):
    dyno = dyno_on_own_database
    # Every thread holds a connection, as on a dyno that has been serving a while.
    assert {status for status, _ in loads(dyno, "/", 16, 8)} == {200}
    workers = dyno.worker_pids()

    with getattr(own_database, fault)():
        pages = loads(dyno, "/", 3 * AT_ONCE, AT_ONCE)
        readiness = timed_get(dyno, "/readyz")
        health = timed_get(dyno, "/healthz")
    back_after = waiting.seconds_until(
        lambda: timed_get(dyno, "/")[0] == 200, WITHIN, what="pages answering 200 again"
    )

    assert {status for status, _ in pages} == {503}
    assert max(seconds for _, seconds in pages) < WITHIN
    assert readiness[0] == 503
    assert readiness[1] < WITHIN
    assert health[0] == 200
    assert back_after < WITHIN
    assert dyno.worker_pids() == workers
    assert dyno.container.inspect()["RestartCount"] == 0
    assert "WORKER TIMEOUT" not in dyno.container.logs()


def test_a_database_restart_fails_no_request(dyno_on_own_database, own_database):
    dyno = dyno_on_own_database
    assert {status for status, _ in loads(dyno, "/", 16, 8)} == {200}
    # The restart closes every connection the dyno holds; the next request on each notices it
    # on the idle socket, before using it, and connects anew.
    docker.docker("restart", "--time", "5", own_database.container.name)
    wait_until_ready(own_database.container)
    assert [status for status, _ in loads(dyno, "/", 32, 8)] == [200] * 32
