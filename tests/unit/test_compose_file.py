"""docker-compose.yml, read as Compose reads it: the development stack's settings that matter."""

import yaml

from tests.support.environment import REPO


def compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_the_database_counts_as_healthy_only_when_it_answers_over_tcp():
    # On a fresh volume the image runs initdb's temporary server on the Unix socket alone; a
    # check over the socket would call that ready, and web would start and fail to migrate.
    [kind, command] = compose()["services"]["db"]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    assert command.startswith("pg_isready --host=127.0.0.1 ")


def test_web_waits_for_a_healthy_database():
    web = compose()["services"]["web"]
    assert web["depends_on"] == {"db": {"condition": "service_healthy"}}
