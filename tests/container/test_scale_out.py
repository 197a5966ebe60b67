"""Two web dynos behind the router, sharing one PostgreSQL, each on a read-only root
filesystem (a tmpfs at /tmp only): the app keeps no state on local disk, as Heroku's
ephemeral dynos demand, so any request may land on either replica."""

import pytest

from tests.support import docker
from tests.support.dynos import app_config, start_dyno
from tests.support.environment import SITE_HOST, new_secret_key
from tests.support.http import RouterClient
from tests.support.router import running_router

READ_ONLY = ["--read-only", "--tmpfs", "/tmp"]


@pytest.fixture(scope="module")
def replicas(image, test_network, migrated_database, heroku_manifest):
    # Config vars are per app, not per dyno: both replicas get the same SECRET_KEY.
    secret_key = new_secret_key()
    dynos = []
    try:
        for _ in range(2):
            config = app_config(migrated_database, SECRET_KEY=secret_key)
            dyno = start_dyno(image, test_network, config, heroku_manifest, options=READ_ONLY)
            dynos.append(dyno)
        for dyno in dynos:
            dyno.wait_until_serving(timeout=10)
        yield dynos
    finally:
        for dyno in dynos:
            dyno.container.remove()


@pytest.fixture(scope="module")
def router_over_replicas(replicas, router_image, test_network, router_tls):
    upstreams = [f"{dyno.container.name}:{dyno.port}" for dyno in replicas]
    with running_router(router_image, test_network, upstreams, router_tls) as started:
        yield started


@pytest.fixture(scope="module")
def admin_password(replicas):
    password = "another-long-admin-password-7"
    replicas[0].create_superuser("admin", password)
    return password


def test_the_replicas_run_on_read_only_root_filesystems(replicas):
    for dyno in replicas:
        assert dyno.container.inspect()["HostConfig"]["ReadonlyRootfs"] is True
        refused = dyno.container.exec("touch", "/app/state", check=False)
        assert refused.returncode != 0
        assert "Read-only file system" in refused.stderr


def test_the_router_spreads_requests_over_both_replicas(router_over_replicas, replicas):
    ids = [f"spread-{n:04d}-0000000000000000" for n in range(10)]
    for request_id in ids:
        response = router_over_replicas.browser().get("/", headers={"X-Request-ID": request_id})
        assert response.status_code == 200
    served = [sum(request_id in dyno.container.logs() for request_id in ids) for dyno in replicas]
    assert sorted(served) == [5, 5]


def test_a_csrf_token_from_one_replica_is_accepted_by_the_other(replicas):
    first, second = (RouterClient(dyno.base_url) for dyno in replicas)
    token = first.csrf_token_from(first.get("/"))
    second.cookies = dict(first.cookies)
    response = second.post(
        "/",
        {"csrfmiddlewaretoken": token, "name": "Replica Rosa", "message": "across dynos"},
        headers={"Origin": f"https://{SITE_HOST}"},
    )
    assert response.status_code == 302


def test_an_entry_written_through_one_replica_is_read_through_the_other(replicas):
    first, second = (RouterClient(dyno.base_url) for dyno in replicas)
    token = first.csrf_token_from(first.get("/"))
    first.post("/", {"csrfmiddlewaretoken": token, "name": "Written One", "message": "hi"})
    assert "Written One" in second.get("/").text


def test_a_session_from_one_replica_is_accepted_by_the_other(replicas, admin_password):
    first, second = (RouterClient(dyno.base_url) for dyno in replicas)
    token = first.csrf_token_from(first.get("/admin/login/"))
    logged_in = first.post(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "admin", "password": admin_password},
        headers={"Origin": f"https://{SITE_HOST}"},
    )
    assert logged_in.status_code == 302
    second.cookies = dict(first.cookies)
    page = second.get("/admin/")
    assert page.status_code == 200
    assert "Site administration" in page.text


def test_nothing_was_written_outside_tmp(replicas):
    for dyno in replicas:
        changes = docker.docker("diff", dyno.container.name).stdout.split("\n")
        assert [line for line in changes if line and not line.endswith("/tmp")] == []
