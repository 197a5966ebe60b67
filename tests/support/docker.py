"""The Docker CLI, driven from tests: images, containers and networks that clean up."""

import contextlib
import json
import os
import secrets
import shlex
import subprocess

import yaml

from tests.support import waiting
from tests.support.environment import REPO


def docker(*args, check=True, timeout=600, text=True, **kwargs):
    result = subprocess.run(
        ["docker", *args], capture_output=True, text=text, timeout=timeout, check=False, **kwargs
    )
    if check and result.returncode != 0:
        raise AssertionError(f"docker {shlex.join(args)} failed:\n{result.stderr}")
    return result


def engine_answers():
    try:
        return docker("info", check=False, timeout=20).returncode == 0
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False


def unique(prefix):
    return f"{prefix}-{secrets.token_hex(4)}"


def build(tag, context=REPO, buildkit=True, extra=()):
    """docker build; returns the build's output (BuildKit's plain progress)."""
    env = {**os.environ, "DOCKER_BUILDKIT": "1" if buildkit else "0"}
    args = ["build", "--tag", tag, *extra, str(context)]
    if buildkit:
        args.insert(1, "--progress=plain")
    result = docker(*args, env=env, timeout=900)
    return result.stdout + result.stderr


def heroku_manifest():
    return yaml.safe_load((REPO / "heroku.yml").read_text())


def base_image():
    """The image the Dockerfile builds FROM: the Python the production image runs. Its later
    stages build FROM an earlier stage, by the name given with AS, and are not images."""
    froms = [line.split() for line in (REPO / "Dockerfile").read_text().splitlines()]
    froms = [words for words in froms if words and words[0] == "FROM"]
    stages = {words[3] for words in froms if len(words) == 4 and words[2].upper() == "AS"}
    [base] = {words[1] for words in froms if words[1] not in stages}
    return base


def postgres_image():
    """The PostgreSQL the development stack runs (docker-compose.yml's db service)."""
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["db"]["image"]


class Container:
    """A container started with `docker run -d`; removed when the test is done."""

    def __init__(self, name):
        self.name = name

    @classmethod
    def run(cls, image, *command, name=None, options=()):
        name = name or unique("mysite-test")
        docker("run", "--detach", "--name", name, *options, image, *command)
        return cls(name)

    def inspect(self):
        return json.loads(docker("inspect", self.name).stdout)[0]

    def running(self):
        return self.inspect()["State"]["Running"]

    def exit_code(self):
        return self.inspect()["State"]["ExitCode"]

    def logs(self):
        result = docker("logs", self.name, check=False)
        return result.stdout + result.stderr

    def host_port(self, container_port):
        """The 127.0.0.1 port Docker published for a container port."""
        mapping = docker("port", self.name, str(container_port)).stdout.split()[0]
        return int(mapping.rsplit(":", 1)[1])

    def exec(self, *command, check=True):
        return docker("exec", self.name, *command, check=check)

    def wait_for_exit(self, timeout):
        """Seconds until the container stopped; fails if it is still running after timeout."""
        return waiting.seconds_until(
            lambda: not self.running(), timeout, what=lambda: f"{self.name} to stop:\n{self.logs()}"
        )

    def remove(self):
        docker("rm", "--force", "--volumes", self.name, check=False)


@contextlib.contextmanager
def running(image, *command, name=None, options=()):
    container = Container.run(image, *command, name=name, options=options)
    try:
        yield container
    finally:
        container.remove()


@contextlib.contextmanager
def image_with_files(base, files, workdir):
    """`base` with files added ({path in the image: text}), as a new image; removed after."""
    lines = [f"FROM {base}"]
    for number, (path, text) in enumerate(files.items()):
        (workdir / f"file-{number}").write_text(text)
        lines.append(f"COPY file-{number} {path}")
    (workdir / "Dockerfile").write_text("\n".join(lines) + "\n")
    tag = unique("mysite-test-derived") + ":latest"
    build(tag, context=workdir)
    try:
        yield tag
    finally:
        docker("image", "rm", "--force", tag, check=False)


@contextlib.contextmanager
def network():
    name = unique("mysite-test-net")
    docker("network", "create", name)
    try:
        yield name
    finally:
        docker("network", "rm", name, check=False)
