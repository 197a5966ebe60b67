"""gunicorn.conf.py, read as gunicorn reads it: values that follow the platform's rules."""

import runpy

import pytest

from tests.support.environment import REPO


@pytest.fixture
def conf(monkeypatch):
    def read(**environ):
        for name in ("PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(REPO / "gunicorn.conf.py"))

    return read


def test_gunicorn_binds_the_port_heroku_gives_it(conf):
    assert conf(PORT="5123")["bind"] == ["[::]:5123"]
    assert conf()["bind"] == ["[::]:8000"]


def test_workers_and_threads_follow_the_environment(conf):
    assert (conf()["workers"], conf()["threads"]) == (2, 4)
    read = conf(WEB_CONCURRENCY="3", GUNICORN_THREADS="2")
    assert (read["workers"], read["threads"]) == (3, 2)


def test_timeouts_sit_inside_herokus_30_second_windows(conf):
    read = conf()
    assert read["timeout"] < 30
    assert read["graceful_timeout"] < 30
    assert read["keepalive"] > 90  # the router's idle keep-alive
