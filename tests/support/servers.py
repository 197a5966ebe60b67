"""Real servers started by fixtures: gunicorn on the host, with the project's gunicorn.conf.py."""

import contextlib
import socket
import subprocess

import requests

from tests.support import waiting
from tests.support.environment import PYTHON, REPO, SITE_HOST


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A running server process and where its output goes."""

    def __init__(self, process, port, stdout_path, stderr_path):
        self.process = process
        self.port = port
        self.stdout_path = stdout_path
        self.stderr_path = stderr_path

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def stdout(self):
        return self.stdout_path.read_text()

    def stderr(self):
        return self.stderr_path.read_text()

    def logged_lines(self, text, timeout=5):
        """The stdout lines holding `text`, once there is one: gunicorn logs a request just
        after the client has its response."""
        return waiting.until(
            lambda: [line for line in self.stdout().splitlines() if text in line],
            timeout,
            what=f"a log line with {text!r}",
        )


def wait_until_answering(server, path="/healthz", host=SITE_HOST, timeout=20):
    def answers():
        if server.process.poll() is not None:
            raise RuntimeError(
                f"server exited with {server.process.returncode}:\n"
                f"{server.stderr()}{server.stdout()}"
            )
        with contextlib.suppress(requests.ConnectionError):
            headers = {"Host": host, "X-Forwarded-Proto": "https"}
            response = requests.get(
                server.base_url + path, headers=headers, timeout=2, allow_redirects=False
            )
            return response.status_code == 200
        return False

    waiting.until(answers, timeout, 0.1, what=lambda: f"{path} to answer:\n{server.stderr()}")


@contextlib.contextmanager
def gunicorn(environ, log_dir, app="mysite.wsgi"):
    """gunicorn with the project's gunicorn.conf.py serving `app` (mysite.wsgi, as a dyno does)
    on a free port of 127.0.0.1, stopped with SIGTERM afterwards."""
    port = free_port()
    stdout_path, stderr_path = log_dir / "gunicorn.stdout", log_dir / "gunicorn.stderr"
    with stdout_path.open("w") as stdout, stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=environ,
            stdout=stdout,
            stderr=stderr,
        )
    server = Server(process, port, stdout_path, stderr_path)
    try:
        wait_until_answering(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
