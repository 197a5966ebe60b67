"""The local stand-in for Heroku's router does what the tests rely on: it ends TLS, forwards
Heroku's headers, round-robins across web containers and gives up after 30 s with a 503."""

import itertools
import time

import pytest

from tests.support import docker
from tests.support.environment import REPO, SITE_HOST
from tests.support.router import running_router

ECHO_PORT = 5000


@pytest.fixture(scope="module")
def echo_servers(test_network):
    """Two upstreams that answer with the headers they received."""
    script = REPO / "tests" / "support" / "echo_server.py"
    containers = []
    try:
        for _ in range(2):
            options = ["--network", test_network, "--volume", f"{script}:/echo_server.py:ro"]
            container = docker.Container.run(
                docker.base_image(), "python", "/echo_server.py", str(ECHO_PORT), options=options
            )
            containers.append(container)
        yield containers
    finally:
        for container in containers:
            container.remove()


@pytest.fixture(scope="module")
def echo_router(echo_servers, router_image, test_network, router_tls):
    upstreams = [f"{container.name}:{ECHO_PORT}" for container in echo_servers]
    with running_router(router_image, test_network, upstreams, router_tls) as started:
        # Wait until both upstreams answer through the router.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if started.browser().get("/").status_code == 200:
                break
            time.sleep(0.2)
        yield started


def echoed(response):
    assert response.status_code == 200, response.text
    return response.json()


def test_the_router_ends_tls_with_the_tests_certificate(echo_router):
    # The client verifies the certificate: a failed handshake would raise here.
    assert echoed(echo_router.browser().get("/"))["headers"]["host"] == SITE_HOST


def test_https_requests_are_forwarded_with_herokus_headers(echo_router):
    before_ms = time.time() * 1000
    headers = echoed(echo_router.browser().get("/"))["headers"]
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-port"] == "8443"
    assert headers["x-forwarded-for"]  # the client's address, as the router saw it
    start_ms = int(headers["x-request-start"].removeprefix("t="))
    assert before_ms - 5000 < start_ms < time.time() * 1000 + 5000


def test_plain_http_is_forwarded_as_http(echo_router):
    headers = echoed(echo_router.plain_http_browser().get("/"))["headers"]
    assert headers["x-forwarded-proto"] == "http"


def test_a_request_id_is_generated_when_the_client_sends_none(echo_router):
    first = echoed(echo_router.browser().get("/"))["headers"]["x-request-id"]
    second = echoed(echo_router.browser().get("/"))["headers"]["x-request-id"]
    assert len(first) >= 20
    assert first != second


def test_a_request_id_from_the_client_is_kept(echo_router):
    sent = "c0ffee00-1234-4abc-8def-0123456789ab"
    headers = echoed(echo_router.browser().get("/", headers={"X-Request-ID": sent}))["headers"]
    assert headers["x-request-id"] == sent


def test_requests_are_spread_round_robin_across_web_containers(echo_router, echo_servers):
    servers = [echoed(echo_router.browser().get("/"))["server"] for _ in range(6)]
    assert set(servers) == {container.inspect()["Config"]["Hostname"] for container in echo_servers}
    assert all(a != b for a, b in itertools.pairwise(servers))


def test_a_response_slower_than_30_seconds_becomes_a_503(echo_router):
    started = time.monotonic()
    response = echo_router.browser().get("/sleep/40", timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert 29 < elapsed < 36
