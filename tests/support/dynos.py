"""A Heroku dyno emulated with the real image: the app's config vars in the environment plus what
the platform sets itself (DYNO; PORT in web dynos), heroku.yml's commands under /bin/sh, an
arbitrary UID, a random $PORT."""

import contextlib
import json
import os
import shlex
import time

import requests

from tests.support import docker, waiting
from tests.support.environment import SITE_HOST, new_secret_key

# An arbitrary UID with no passwd entry, as platforms run containers.
DYNO_USER = "54321"


def app_config(database_url, **overrides):
    """The config vars most tests give their app: a database, a fresh key, the site's host name."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": new_secret_key(),
        "ALLOWED_HOSTS": SITE_HOST,
        **overrides,
    }


def dyno_environment(config, dyno, port=None):
    """`docker run` options for a dyno's environment: the config vars, DYNO, and PORT if web."""
    variables = {**config, "DYNO": dyno}
    if port is not None:
        variables["PORT"] = str(port)
    return [arg for name, value in variables.items() for arg in ("--env", f"{name}={value}")]


def release(image, network, config, manifest):
    """The release phase: each command of heroku.yml's release section in a one-off container."""
    results = []
    for command in manifest["release"]["command"]:
        name = docker.unique("mysite-test-release")
        options = ["--rm", "--name", name, "--network", network, "--user", DYNO_USER]
        options += dyno_environment(config, "release.1")
        results.append(docker.docker("run", *options, image, "/bin/sh", "-c", command, check=False))
    return results


class Dyno:
    """A web dyno: the image running heroku.yml's run.web under /bin/sh, as Heroku runs it."""

    def __init__(self, container, port, started_at, host):
        self.container = container
        self.port = port
        self.started_at = started_at
        self.host = host
        self.base_url = f"http://127.0.0.1:{container.host_port(port)}"

    def wait_until_serving(self, timeout):
        """Seconds from `docker run` to the first 200 on /healthz."""
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}

        def serving():
            with contextlib.suppress(requests.ConnectionError):
                response = requests.get(f"{self.base_url}/healthz", headers=headers, timeout=1)
                return response.status_code == 200
            if not self.container.running():
                raise AssertionError(f"the dyno exited:\n{self.container.logs()}")
            return False

        return waiting.seconds_until(
            serving, timeout, since=self.started_at, what=lambda: self.container.logs()
        )

    def worker_pids(self):
        """PIDs of gunicorn's workers: the children of PID 1, the master."""
        code = (
            "import os, json; print(json.dumps(sorted(int(p) for p in os.listdir('/proc') "
            "if p.isdigit() and open(f'/proc/{p}/stat').read().split(')')[1].split()[1] == '1')))"
        )
        return json.loads(self.container.exec("python", "-c", code).stdout)

    def django_shell(self, code):
        """Run Python in the dyno's Django (`manage.py shell -c`); return what it printed."""
        return self.container.exec("python", "manage.py", "shell", "-v", "0", "-c", code).stdout

    def create_superuser(self, username, password):
        self.container.exec(
            "env", f"DJANGO_SUPERUSER_PASSWORD={password}", "python", "manage.py",
            "createsuperuser", "--noinput", "--username", username,
            "--email", f"{username}@example.com",
        )  # fmt: skip


def start_dyno(image, network, config, manifest, port=None, options=(), host=SITE_HOST):
    """A web dyno as Heroku starts one; `host` is a name it answers to (its readiness probe)."""
    port = port or 20000 + int.from_bytes(os.urandom(2)) % 40000
    command = manifest["run"]["web"]
    docker_options = [
        "--network", network,
        "--user", DYNO_USER,
        "--publish", f"127.0.0.1::{port}",
        *dyno_environment(config, "web.1", port),
        *options,
    ]  # fmt: skip
    started_at = time.monotonic()
    container = docker.Container.run(image, "/bin/sh", "-c", command, options=docker_options)
    return Dyno(container, port, started_at, host)


def run_web_argv(manifest):
    """heroku.yml's run.web as the argument list the shell execs."""
    words = shlex.split(manifest["run"]["web"])
    return words[1:] if words[0] == "exec" else words


@contextlib.contextmanager
def serving_dyno(image, network, config, manifest, **options):
    """A dyno started as Heroku starts one, once it serves; removed afterwards."""
    dyno = start_dyno(image, network, config, manifest, **options)
    try:
        dyno.seconds_to_serve = dyno.wait_until_serving(timeout=10)
        yield dyno
    finally:
        dyno.container.remove()
