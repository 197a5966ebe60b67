"""A database that stops answering: frozen (`docker pause`: its kernel still acknowledges
packets, nothing answers) or cut off (every packet dropped, as in a network partition). The
server cannot enforce its statement timeout then, so the client's deadline does
(mysite/postgresql/): every page answers 503 within 5 s, /readyz too, /healthz stays 200 and
fast, no worker is killed or restarted, and pages answer 200 again within 5 s of the database's
return. A restarted database, which closes its connections, fails no request at all."""

import concurrent.futures
import threading
import time

import pytest

from tests.support import docker, waiting
from tests.support.http import RouterClient
from tests.support.postgres import wait_until_ready

WITHIN = 5  # seconds: every answer, and the return to 200s
HEALTHY_WITHIN = 1  # seconds: /healthz, whatever the pages are waiting on
HEALTH_INTERVAL = 0.2  # seconds between /healthz samples during the outage


def timed(request):
    """The response's status and the seconds it took."""
    started = time.monotonic()
    response = request()
    return response.status_code, time.monotonic() - started


def timed_get(dyno, path):
    return timed(lambda: RouterClient(dyno.base_url).get(path, timeout=30))


def signing_in(client, credentials):
    """An admin signing in; the status, the seconds it took, and whether it was the 503 page."""
    started = time.monotonic()
    response = client.post("/admin/login/", credentials, timeout=30)
    seconds = time.monotonic() - started
    return response.status_code, seconds, "Temporarily unavailable" in response.text


def loads(dyno, path, count, at_once):
    with concurrent.futures.ThreadPoolExecutor(at_once) as pool:
        return list(pool.map(lambda _: timed_get(dyno, path), range(count)))


def threads_of(dyno):
    """How many requests the dyno serves at once (WEB_CONCURRENCY x GUNICORN_THREADS), as its
    own gunicorn.conf.py reads them in its environment."""
    conf = "import runpy; c = runpy.run_path('gunicorn.conf.py'); "
    code = conf + "print(c['workers'] * c['threads'])"
    return int(dyno.container.exec("python", "-c", code).stdout)


def health_samples(dyno, stop):
    """/healthz asked every HEALTH_INTERVAL seconds, on a new connection each, until `stop`."""
    samples = []
    while not stop.is_set():
        samples.append(timed_get(dyno, "/healthz"))
        stop.wait(HEALTH_INTERVAL)
    return samples


@pytest.mark.parametrize("fault", ["frozen", "cut_off"])
def test_while_the_database_does_not_answer_pages_get_503_within_5_s_and_healthz_200_within_1_s(
    dyno_on_own_database, own_database, fault
):
    dyno = dyno_on_own_database
    threads = threads_of(dyno)
    # Every thread holds a connection, as on a dyno that has been serving a while.
    assert {status for status, _ in loads(dyno, "/", 2 * threads, threads)} == {200}
    workers = dyno.worker_pids()
    # Signing in reads the users table: another page that needs the database.
    admin = RouterClient(dyno.base_url)
    token = admin.csrf_token_from(admin.get("/admin/login/"))
    credentials = {"csrfmiddlewaretoken": token, "username": "admin", "password": "not-checked"}

    with getattr(own_database, fault)():
        # The first request after the database stopped answering: nothing has noticed yet.
        readiness = timed_get(dyno, "/readyz")
        # More pages in flight than the dyno has threads, /healthz sampled all the while.
        stop = threading.Event()
        with concurrent.futures.ThreadPoolExecutor(2) as side:
            health = side.submit(health_samples, dyno, stop)
            sign_in = side.submit(signing_in, admin, credentials)
            try:
                pages = loads(dyno, "/", 4 * threads, 2 * threads)
            finally:
                stop.set()
        health, sign_in = health.result(), sign_in.result()
    back_after = waiting.seconds_until(
        lambda: timed_get(dyno, "/")[0] == 200, WITHIN, what="pages answering 200 again"
    )

    assert readiness[0] == 503
    assert readiness[1] < WITHIN
    assert {status for status, _ in pages} == {503}
    assert max(seconds for _, seconds in pages) < WITHIN
    status, seconds, short_page = sign_in
    assert (status, short_page) == (503, True)
    assert seconds < WITHIN
    assert {status for status, _ in health} == {200}
    assert max(seconds for _, seconds in health) < HEALTHY_WITHIN, health
    assert len(health) >= 5, health
    assert back_after < WITHIN
    assert dyno.worker_pids() == workers
    assert dyno.container.inspect()["RestartCount"] == 0
    assert "WORKER TIMEOUT" not in dyno.container.logs()


def test_a_database_restart_fails_no_request(dyno_on_own_database, own_database):
    dyno = dyno_on_own_database
    threads = threads_of(dyno)
    assert {status for status, _ in loads(dyno, "/", 2 * threads, threads)} == {200}
    # The restart closes every connection the dyno holds; the next request on each notices it
    # on the idle socket, before using it, and connects anew.
    docker.docker("restart", "--time", "5", own_database.container.name)
    wait_until_ready(own_database.container)
    assert [status for status, _ in loads(dyno, "/", 4 * threads, threads)] == [200] * 4 * threads
