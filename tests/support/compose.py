"""The development stack as a user drives it: make targets, on a compose project and ports of
the test's own, so a stack the developer is running is never touched."""

import os
import subprocess

from tests.support import docker
from tests.support.environment import REPO
from tests.support.servers import free_port


class Stack:
    """make targets run against a compose project of the test's own, on ports of its own."""

    def __init__(self, image):
        self.project = docker.unique("mysite-test-stack")
        self.web_port = free_port()
        self.prod_port = free_port()
        self.environ = {
            **os.environ,
            "COMPOSE_PROJECT_NAME": self.project,
            "WEB_PORT": str(self.web_port),
            "PROD_PORT": str(self.prod_port),
            "MYSITE_IMAGE": image,
        }

    def make(self, target):
        result = subprocess.run(
            ["make", target], cwd=REPO, env=self.environ, capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
        assert result.returncode == 0, f"make {target}:\n{result.stdout}{result.stderr}"
        return result

    def compose(self, *args):
        return subprocess.run(
            ["docker", "compose", *args], cwd=REPO, env=self.environ, capture_output=True,
            text=True, timeout=120, check=True,
        ).stdout  # fmt: skip

    def running_containers(self):
        label = f"label=com.docker.compose.project={self.project}"
        return docker.docker("ps", "--quiet", "--filter", label).stdout.split()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.web_port}"

    def create_superuser(self, username, password):
        self.compose(
            "exec", "-T", "--env", f"DJANGO_SUPERUSER_PASSWORD={password}", "web",
            "python", "manage.py", "createsuperuser", "--noinput",
            "--username", username, "--email", f"{username}@example.com",
        )  # fmt: skip

    def clean(self):
        """make clean: containers and the database volume gone."""
        subprocess.run(["make", "clean"], cwd=REPO, env=self.environ, capture_output=True)
