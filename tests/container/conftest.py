"""Fixtures that build and run the real image. Without an engine these tests are
skipped with the reason; with REQUIRE_DOCKER=1 a missing engine fails them instead."""

import os
import shlex
import time

import pytest
import requests

from tests.support import docker
from tests.support.environment import REPO, SITE_HOST, new_secret_key
from tests.support.postgres import postgres
from tests.support.router import router_certificate, running_router


@pytest.fixture(scope="session", autouse=True)
def docker_engine():
    if docker.engine_answers():
        return
    reason = "no Docker engine answers `docker info` (here: run ../shared/airgap/docker-up)"
    if os.environ.get("REQUIRE_DOCKER") == "1":
        pytest.fail(f"REQUIRE_DOCKER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def image(docker_engine):
    """The project's image, built from the working tree with BuildKit.

    MYSITE_TEST_IMAGE names an image built already (public CI builds it once, with
    its layer cache) to test instead.
    """
    if os.environ.get("MYSITE_TEST_IMAGE"):
        yield os.environ["MYSITE_TEST_IMAGE"]
        return
    tag = docker.unique("mysite-test") + ":latest"
    docker.build(tag)
    yield tag
    docker.docker("image", "rm", "--force", tag, check=False)


@pytest.fixture(scope="session")
def test_network(docker_engine):
    with docker.network() as name:
        yield name


@pytest.fixture(scope="module")
def database_server(test_network, tmp_path_factory):
    """PostgreSQL 17 with TLS, as Heroku Postgres."""
    with postgres(test_network, tmp_path_factory.mktemp("tls")) as server:
        yield server


@pytest.fixture(scope="session")
def heroku_manifest():
    return docker.heroku_manifest()


def heroku_environment(database_url, port, **extra):
    """The environment a web dyno gets: config vars plus what the platform sets itself."""
    variables = {
        "PORT": str(port),
        "DYNO": "web.1",
        "DATABASE_URL": database_url,
        "SECRET_KEY": new_secret_key(),
        "ALLOWED_HOSTS": SITE_HOST,
        **extra,
    }
    return [arg for name, value in variables.items() for arg in ("--env", f"{name}={value}")]


def release(image, network, database_url, manifest):
    """The release phase: each command of heroku.yml's release section in a one-off container."""
    results = []
    for command in manifest["release"]["command"]:
        name = docker.unique("mysite-test-release")
        options = ["--rm", "--name", name, "--network", network, "--user", "54321"]
        options += heroku_environment(database_url, 5000)
        results.append(docker.docker("run", *options, image, "/bin/sh", "-c", command, check=False))
    return results


class Dyno:
    """A web dyno: the image running heroku.yml's run.web under /bin/sh, as Heroku runs it."""

    def __init__(self, container, port, started_at):
        self.container = container
        self.port = port
        self.started_at = started_at
        self.base_url = f"http://127.0.0.1:{container.host_port(port)}"

    def wait_until_serving(self, timeout):
        """Seconds from `docker run` to the first 200 on /healthz."""
        deadline = self.started_at + timeout
        headers = {"Host": SITE_HOST, "X-Forwarded-Proto": "https"}
        while time.monotonic() < deadline:
            try:
                response = requests.get(f"{self.base_url}/healthz", headers=headers, timeout=1)
                if response.status_code == 200:
                    return time.monotonic() - self.started_at
            except requests.ConnectionError:
                pass
            if not self.container.running():
                break
            time.sleep(0.05)
        raise AssertionError(f"not serving within {timeout} s:\n{self.container.logs()}")


def start_dyno(image, network, database_url, manifest, port=None, options=(), env=None):
    port = port or 20000 + int.from_bytes(os.urandom(2)) % 40000
    command = manifest["run"]["web"]
    docker_options = [
        "--network", network,
        "--user", "54321",  # an arbitrary UID with no passwd entry, as platforms run containers
        "--publish", f"127.0.0.1::{port}",
        *heroku_environment(database_url, port, **(env or {})),
        *options,
    ]  # fmt: skip
    started_at = time.monotonic()
    container = docker.Container.run(image, "/bin/sh", "-c", command, options=docker_options)
    return Dyno(container, port, started_at)


@pytest.fixture(scope="module")
def migrated_database(image, test_network, database_server, heroku_manifest):
    name = database_server.create_database()
    url = database_server.url(name)
    for result in release(image, test_network, url, heroku_manifest):
        assert result.returncode == 0, result.stdout + result.stderr
    return url


@pytest.fixture(scope="module")
def dyno(image, test_network, migrated_database, heroku_manifest):
    """A web dyno serving a migrated database, started as Heroku would start it."""
    started = start_dyno(image, test_network, migrated_database, heroku_manifest)
    try:
        started.seconds_to_serve = started.wait_until_serving(timeout=10)
        yield started
    finally:
        started.container.remove()


def run_web_argv(manifest):
    """heroku.yml's run.web as the argument list the shell execs."""
    words = shlex.split(manifest["run"]["web"])
    return words[1:] if words[0] == "exec" else words


@pytest.fixture(scope="session")
def router_image(docker_engine):
    """The local stand-in for Heroku's router, built from router/."""
    tag = docker.unique("mysite-test-router") + ":latest"
    docker.build(tag, context=REPO / "router")
    yield tag
    docker.docker("image", "rm", "--force", tag, check=False)


@pytest.fixture(scope="session")
def router_tls(tmp_path_factory):
    """The router's certificate, made by the test run: clients verify it."""
    return router_certificate(tmp_path_factory.mktemp("router-tls"))


@pytest.fixture(scope="module")
def router(dyno, router_image, test_network, router_tls):
    """The module's dyno behind the router: requests arrive over HTTPS, as from the internet."""
    upstream = f"{dyno.container.name}:{dyno.port}"
    with running_router(router_image, test_network, [upstream], router_tls) as started:
        yield started
