"""The local stand-in for Heroku's router does what Heroku's does (heroku/vegur; "HTTP Routing",
"HTTP Request IDs"): it ends TLS, forwards Heroku's headers as Heroku writes them, round-robins
across web containers, gives up after 30 s with a 503, and closes an idle connection to a dyno
after 90 s, before gunicorn would."""

import itertools
import re
import socket
import time

import pytest

from tests.support import docker, waiting
from tests.support.environment import REPO, SITE_HOST
from tests.support.router import running_router

# A random (version 4) UUID, as Heroku's router makes one (heroku/erequest_id).
UUID_V4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

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
        waiting.until(lambda: started.browser().get("/").status_code == 200, 20, 0.2)
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
    assert headers["x-forwarded-port"] == "443"  # the port the client used, not the router's own
    assert headers["x-forwarded-for"]  # the client's address, as the router saw it
    assert headers["via"] == "1.1 vegur"
    assert re.fullmatch(r"\d{13}", headers["x-request-start"])  # bare Unix milliseconds
    assert before_ms - 5000 < int(headers["x-request-start"]) < time.time() * 1000 + 5000


def test_plain_http_is_forwarded_as_http_from_port_80(echo_router):
    headers = echoed(echo_router.plain_http_browser().get("/"))["headers"]
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-port"] == "80"


def test_a_request_id_is_a_new_version_4_uuid_when_the_client_sends_none(echo_router):
    ids = [echoed(echo_router.browser().get("/"))["headers"]["x-request-id"] for _ in range(24)]
    assert all(UUID_V4.fullmatch(request_id) for request_id in ids), ids
    assert len(set(ids)) == len(ids)
    # The variant digit is random too (all 24 alike by chance: odds of 4 in 4**24).
    assert len({request_id[19] for request_id in ids}) > 1


@pytest.mark.parametrize(
    "sent",
    ["c0ffee00-1234-4abc-8def-0123456789ab", "a" * 20, "Zz09+/=-" * 25, "b" * 200],
)
def test_a_request_id_of_20_to_200_allowed_characters_is_kept(echo_router, sent):
    headers = echoed(echo_router.browser().get("/", headers={"X-Request-ID": sent}))["headers"]
    assert headers["x-request-id"] == sent


@pytest.mark.parametrize(
    "sent",
    [
        "a" * 19,  # too short
        "c" * 201,  # too long
        "has_an_underscore_000",
        "has.a.dot.0000000000",
        "space in it 00000000",  # 20 characters: refused for the space alone
        "space in it 0000000",  # 19 characters and a space
    ],
)
def test_any_other_request_id_is_replaced_by_a_new_uuid(echo_router, sent):
    headers = echoed(echo_router.browser().get("/", headers={"X-Request-ID": sent}))["headers"]
    assert UUID_V4.fullmatch(headers["x-request-id"])


def test_requests_are_spread_round_robin_across_web_containers(echo_router, echo_servers):
    servers = [echoed(echo_router.browser().get("/"))["server"] for _ in range(6)]
    assert set(servers) == {container.inspect()["Config"]["Hostname"] for container in echo_servers}
    assert all(a != b for a, b in itertools.pairwise(servers))


def received(servers, path):
    """How many times the servers received a request for `path` (they print each one)."""
    return sum(container.logs().count(f"received {path}\n") for container in servers)


def test_a_request_the_dyno_closes_its_connection_on_is_answered_503_and_not_sent_again(
    echo_router, echo_servers
):
    # Heroku reports H13/H18 for a request sent on a kept-alive connection the dyno closed;
    # it does not send it again. Both servers first get a connection the router keeps.
    for _ in range(4):
        echoed(echo_router.browser().get("/"))
    path = f"/closed-when-reused/{docker.unique('once')}"
    response = echo_router.browser().get(path)
    assert response.status_code == 503
    assert received(echo_servers, path) == 1


@pytest.fixture
def router_with_a_dyno_that_refuses_connections(
    echo_servers, router_image, test_network, router_tls
):
    # Nothing listens on ECHO_PORT + 1: connecting there is refused at once.
    upstreams = [f"{echo_servers[0].name}:{ECHO_PORT + 1}", f"{echo_servers[1].name}:{ECHO_PORT}"]
    with running_router(router_image, test_network, upstreams, router_tls) as started:
        yield started


def test_a_dyno_that_refuses_connections_gets_its_share_of_requests_answered_503(
    router_with_a_dyno_that_refuses_connections,
):
    # Stricter than Heroku, whose router would try another dyno (router/start.sh says why):
    # a test that passes here does not rely on a retry.
    browser = router_with_a_dyno_that_refuses_connections.browser()
    statuses = sorted(browser.get("/").status_code for _ in range(6))
    assert statuses == [200] * 3 + [503] * 3


def test_a_response_slower_than_30_seconds_becomes_a_503(echo_router):
    started = time.monotonic()
    response = echo_router.browser().get("/sleep/40", timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert 29 < elapsed < 36


ROUTER_IDLE_SECONDS = 90  # Router 2.0's idle timeout for connections to a dyno
TCP_ESTABLISHED = "01"


def connections_from(dyno, address):
    """Established TCP connections to the dyno's port from `address`, read from the dyno's
    /proc/net/tcp and tcp6 (IPv4 peers of the [::] socket appear as IPv4-mapped addresses)."""
    table = dyno.container.exec("cat", "/proc/net/tcp", "/proc/net/tcp6").stdout
    count = 0
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or not fields[1].endswith(f":{dyno.port:04X}"):
            continue
        peer = fields[2].split(":")[0][-8:]  # the IPv4 address, little-endian hex
        if fields[3] == TCP_ESTABLISHED and socket.inet_ntoa(bytes.fromhex(peer)[::-1]) == address:
            count += 1
    return count


def test_the_router_closes_an_idle_connection_to_a_dyno_before_gunicorn_does(
    dyno, router_image, test_network, router_tls
):
    upstream = f"{dyno.container.name}:{dyno.port}"
    with running_router(router_image, test_network, [upstream], router_tls) as router:
        network = router.container.inspect()["NetworkSettings"]["Networks"][test_network]
        assert router.browser().get("/").status_code == 200
        last_request = time.monotonic()
        assert connections_from(dyno, network["IPAddress"]) >= 1  # kept alive by the router

        time.sleep(max(0, last_request + ROUTER_IDLE_SECONDS - 5 - time.monotonic()))
        # 85 s idle: gunicorn (keepalive 95 s) still holds it open.
        assert connections_from(dyno, network["IPAddress"]) >= 1
        # Past 90 s the router has closed it itself, so it never reuses one gunicorn closes.
        waiting.until(
            lambda: connections_from(dyno, network["IPAddress"]) == 0,
            timeout=last_request + ROUTER_IDLE_SECONDS + 3 - time.monotonic(),
            what="the router closing its idle connection",
        )
        assert time.monotonic() - last_request < 95
        assert router.browser().get("/").status_code == 200
        logs = router.container.logs()
    assert "upstream" not in "\n".join(line for line in logs.splitlines() if "[error]" in line)
