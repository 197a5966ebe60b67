"""The image: how it builds, who it runs as, and what never gets into it."""

import contextlib
import io
import json
import re
import secrets
import shutil
import tarfile

import pytest

from tests.support import docker
from tests.support.dynos import run_web_argv
from tests.support.environment import REPO


def image_config(image):
    return json.loads(docker.docker("image", "inspect", image).stdout)[0]["Config"]


def test_the_image_runs_as_a_non_root_user(image):
    assert image_config(image)["User"] == "10001:10001"
    assert docker.docker("run", "--rm", image, "id", "-u").stdout.strip() == "10001"


def test_curl_runs_as_the_images_user_so_heroku_shows_the_release_output(image):
    # Heroku streams the release phase's output to `git push` only from an image with curl.
    result = docker.docker("run", "--rm", image, "curl", "--version")
    assert result.stdout.startswith("curl "), result.stdout
    protocols = re.search(r"^Protocols: (.*)$", result.stdout, re.MULTILINE)[1].split()
    assert "https" in protocols


def test_the_default_command_is_heroku_ymls_web_command(image, heroku_manifest):
    assert image_config(image)["Cmd"] == run_web_argv(heroku_manifest)


def test_the_image_defaults_to_production_as_heroku_yml_declares(image, heroku_manifest):
    assert "PROD_SETTINGS=True" in image_config(image)["Env"]
    assert heroku_manifest["setup"]["config"]["PROD_SETTINGS"] == "True"


def test_heroku_builds_the_same_dockerfile_and_releases_from_that_image(heroku_manifest):
    assert heroku_manifest["build"]["docker"]["web"] == "Dockerfile"
    assert heroku_manifest["release"]["image"] == "web"


def test_the_image_builds_with_the_classic_builder_too(docker_engine):
    tag = docker.unique("mysite-test-classic") + ":latest"
    try:
        docker.build(tag, buildkit=False)
        assert docker.docker("run", "--rm", tag, "id", "-u").stdout.strip() == "10001"
    finally:
        docker.docker("image", "rm", "--force", tag, check=False)


PLANTED = "planted-secret-0d9f3c1e7b"


@pytest.fixture(scope="module")
def context_with_local_state(tmp_path_factory):
    """The project as a developer's checkout looks: .env, a SQLite file, a virtualenv, git."""
    context = tmp_path_factory.mktemp("context") / "mysite"
    shutil.copytree(REPO, context, ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles"))
    (context / ".env").write_text(
        f"SECRET_KEY={PLANTED}\nDATABASE_URL=postgres://u:{PLANTED}@h/d\n"
    )
    (context / "db.sqlite3").write_text(PLANTED)
    (context / ".venv").mkdir()
    (context / ".venv" / "leak.txt").write_text(PLANTED)
    (context / ".git").mkdir()
    (context / ".git" / "config").write_text(PLANTED)
    return context


@pytest.fixture(scope="module")
def image_from_local_state(context_with_local_state, docker_engine):
    tag = docker.unique("mysite-test-context") + ":latest"
    docker.build(tag, context=context_with_local_state)
    yield tag
    docker.docker("image", "rm", "--force", tag, check=False)


def test_local_state_and_tests_stay_out_of_the_image(image_from_local_state):
    listing = docker.docker(
        "run", "--rm", image_from_local_state, "ls", "-A", "/app"
    ).stdout.split()
    for path in (".env", "db.sqlite3", ".venv", ".git", "tests"):
        assert path not in listing
    assert "manage.py" in listing


def files_in(tar_bytes):
    """(name, content) of every file in a tar, descending into nested tars (image layers)."""
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as archive:
        for member in archive:
            if not member.isfile():
                continue
            data = archive.extractfile(member).read()
            yield member.name, data
            with contextlib.suppress(tarfile.TarError):
                yield from ((f"{member.name}!{name}", inner) for name, inner in files_in(data))


def test_no_layer_of_the_image_holds_a_secret(image_from_local_state):
    saved = docker.docker("save", image_from_local_state, text=False).stdout
    searched = 0
    for name, data in files_in(saved):
        assert PLANTED.encode() not in data, name
        searched += 1
    assert searched > 1000  # the layers were opened, not just the outer archive


def test_the_build_history_and_config_hold_no_secret(image):
    history = docker.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", image).stdout
    environment = " ".join(image_config(image)["Env"])
    for text in (history, environment):
        for word in ("SECRET_KEY=", "PASSWORD", "DATABASE_URL="):
            assert word not in text


def test_a_code_only_change_reuses_the_dependency_layer(context_with_local_state, image):
    with (context_with_local_state / "guestbook" / "views.py").open("a") as views:
        views.write(f"\n# a code change {secrets.token_hex(8)}\n")
    tag = docker.unique("mysite-test-rebuild") + ":latest"
    try:
        output = docker.build(tag, context=context_with_local_state)
    finally:
        docker.docker("image", "rm", "--force", tag, check=False)
    step = re.search(r"^#(\d+) \[[^\]]+\] RUN python -m venv", output, re.MULTILINE)
    code = re.search(r"^#(\d+) \[[^\]]+\] COPY \. \.", output, re.MULTILINE)
    assert step, output
    assert code, output
    assert f"#{step.group(1)} CACHED" in output
    assert f"#{code.group(1)} CACHED" not in output
