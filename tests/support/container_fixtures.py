"""Fixtures that build and run the real image, for the container and browser tests (a pytest
plugin, registered in tests/conftest.py). Without a Docker engine those tests are skipped
with the reason; with REQUIRE_DOCKER=1 a missing engine fails them instead."""

import os

import pytest

from tests.support import docker, requirements
from tests.support.dynos import app_config, release, serving_dyno
from tests.support.environment import REPO
from tests.support.postgres import postgres
from tests.support.router import router_certificate, running_router


@pytest.fixture(scope="session")
def docker_engine():
    requirements.require(
        docker.engine_answers(),
        "Docker engine answering `docker info` (here: run ../shared/airgap/docker-up)",
    )


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


@pytest.fixture(scope="module")
def migrated_database(image, test_network, database_server, heroku_manifest):
    name = database_server.create_database()
    url = database_server.url(name)
    for result in release(image, test_network, app_config(url), heroku_manifest):
        assert result.returncode == 0, result.stdout + result.stderr
    return url


@pytest.fixture
def own_database(test_network, tmp_path):
    """A PostgreSQL of the test's own, so stopping or freezing it disturbs nobody else."""
    with postgres(test_network, tmp_path / "tls") as server:
        yield server


@pytest.fixture
def dyno_on_own_database(request, image, test_network, own_database, heroku_manifest):
    """A web dyno serving the test's own database, migrated by the release phase. Config vars of
    its own come as an indirect parameter: a dict."""
    config = app_config(own_database.url(), **getattr(request, "param", {}))
    for result in release(image, test_network, config, heroku_manifest):
        assert result.returncode == 0, result.stderr
    with serving_dyno(image, test_network, config, heroku_manifest) as started:
        yield started


@pytest.fixture(scope="module")
def dyno(image, test_network, migrated_database, heroku_manifest):
    """A web dyno serving a migrated database, started as Heroku would start it."""
    config = app_config(migrated_database)
    with serving_dyno(image, test_network, config, heroku_manifest) as started:
        yield started


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
