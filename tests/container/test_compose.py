"""The development stack as a user runs it: make up, make down, make prod, make clean."""

import re

import pytest
import requests

from tests.support import docker
from tests.support.compose import Stack
from tests.support.environment import REPO


@pytest.fixture(scope="module")
def stack(docker_engine):
    stack = Stack(docker.unique("mysite-test-compose") + ":latest")
    try:
        stack.make("up")
        yield stack
    finally:
        stack.clean()
        docker.docker("image", "rm", "--force", stack.environ["MYSITE_IMAGE"], check=False)


def sign_the_guestbook(url, name):
    session = requests.Session()
    page = session.get(url + "/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        url + "/",
        data={"csrfmiddlewaretoken": token, "name": name, "message": "from compose"},
        headers={"Origin": url},
        allow_redirects=False,
        timeout=10,
    )


def names_in_database(stack):
    return stack.compose(
        "exec", "-T", "db", "psql", "-U", "mysite", "-d", "mysite", "-tAc",
        "SELECT name FROM guestbook_entry",
    ).split()  # fmt: skip


def test_make_up_serves_the_guestbook(stack):
    response = requests.get(stack.url + "/", timeout=10)
    assert response.status_code == 200
    assert "<h1>Guestbook</h1>" in response.text


def test_the_dev_stack_runs_development_settings_on_postgresql(stack):
    code = (
        "from django.conf import settings; from django.db import connection; "
        "print(settings.DEBUG, connection.vendor)"
    )
    output = stack.compose(
        "exec", "-T", "web", "python", "manage.py", "shell", "-v", "0", "-c", code
    )
    assert output.split() == ["True", "postgresql"]


def test_the_dev_server_runs_your_mounted_code(stack):
    mounts = docker.docker("inspect", "--format", "{{json .Mounts}}", f"{stack.project}-web-1")
    assert f'"Source":"{REPO}","Destination":"/app"' in mounts.stdout.replace(" ", "")


def test_a_signature_through_the_dev_server_lands_in_postgresql(stack):
    assert sign_the_guestbook(stack.url, "ComposeCarol").status_code == 302
    assert "ComposeCarol" in names_in_database(stack)


def test_entries_survive_make_down_and_make_up(stack):
    sign_the_guestbook(stack.url, "PersistentPat")
    stack.make("down")
    assert stack.running_containers() == []
    stack.make("up")
    assert "PersistentPat" in requests.get(stack.url + "/", timeout=10).text


def test_make_prod_serves_production_settings_over_https_through_the_router(stack, tmp_path):
    sign_the_guestbook(stack.url, "DevDora")
    stack.make("prod")
    certificate = tmp_path / "router.crt"
    stack.compose("cp", "router:/tmp/router/router.crt", str(certificate))
    response = requests.get(f"https://127.0.0.1:{stack.prod_port}/", verify=certificate, timeout=10)
    assert response.status_code == 200
    # Production settings, but no year of HSTS for a local host name (it would lock out the dev
    # server at http://localhost:8000): max-age=0.
    assert response.headers["Strict-Transport-Security"] == "max-age=0"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    # The same database as the dev stack: what was signed in development is there.
    assert "DevDora" in response.text


def test_make_clean_deletes_the_data(stack):
    stack.make("clean")
    assert stack.running_containers() == []
    volumes = docker.docker("volume", "ls", "--quiet", "--filter", f"name={stack.project}")
    assert volumes.stdout.split() == []
