"""A test that needs something the machine lacks is skipped, or fails under REQUIRE_DOCKER=1."""

import pytest

from tests.support import requirements


@pytest.fixture
def local_run(monkeypatch):
    monkeypatch.delenv("REQUIRE_DOCKER", raising=False)


@pytest.fixture
def full_run(monkeypatch):
    monkeypatch.setenv("REQUIRE_DOCKER", "1")


def test_what_is_available_lets_the_test_go_on(full_run):
    assert requirements.require(True, "Docker engine") is None


def test_what_is_missing_skips_the_test_saying_what_it_is(local_run):
    with pytest.raises(pytest.skip.Exception, match=r"^no Docker engine answering"):
        requirements.require(False, "Docker engine answering `docker info`")


def test_what_is_missing_fails_the_test_under_require_docker(full_run):
    with pytest.raises(pytest.fail.Exception, match=r"^REQUIRE_DOCKER=1 but no Chromium at /x$"):
        requirements.require(False, "Chromium at /x")


def test_the_heroku_cli_is_the_one_heroku_cli_names(monkeypatch, tmp_path):
    monkeypatch.setenv("HEROKU_CLI", "bin/heroku")
    monkeypatch.chdir(tmp_path)
    assert requirements.heroku_cli() == tmp_path / "bin" / "heroku"


def test_no_heroku_cli_anywhere_skips_the_test(local_run, monkeypatch, tmp_path):
    monkeypatch.delenv("HEROKU_CLI", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pytest.skip.Exception, match="npm install --global heroku"):
        requirements.heroku_cli()
