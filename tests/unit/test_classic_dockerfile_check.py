"""`make lint` refuses Dockerfile syntax only BuildKit understands: Heroku builds heroku.yml with
Docker's classic builder (scripts/check-classic-dockerfile)."""

import subprocess

import pytest

from tests.support.environment import PYTHON, REPO

CHECK = REPO / "scripts" / "check-classic-dockerfile"


def check(tmp_path, dockerfile):
    path = tmp_path / "Dockerfile"
    path.write_text(dockerfile)
    return subprocess.run(
        [PYTHON, str(CHECK), str(path)], capture_output=True, text=True, check=False
    )


def test_the_projects_dockerfiles_pass():
    result = subprocess.run(
        [PYTHON, str(CHECK), "Dockerfile", "router/Dockerfile"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("dockerfile", "finding"),
    [
        ("# syntax=docker/dockerfile:1\nFROM python:3.13-slim\n", "a '# syntax=' directive"),
        ("#SYNTAX = docker/dockerfile:1.7\nFROM scratch\n", "a '# syntax=' directive"),
        (
            "FROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache pip install x\n",
            "RUN --mount",
        ),
        (
            "FROM python:3.13-slim\nRUN \\\n  --network=none pip install x\n",
            "RUN --network",
        ),
        ("FROM python:3.13-slim\nCOPY --chmod=755 start.sh /start.sh\n", "COPY --chmod"),
        ("FROM python:3.13-slim\nCOPY --link . /app\n", "COPY --link"),
        ("FROM python:3.13-slim\nADD --checksum=sha256:00 https://x /y\n", "ADD --checksum"),
        ("FROM python:3.13-slim\nRUN <<EOF\napt-get update\nEOF\n", "a heredoc in RUN"),
        (
            "FROM python:3.13-slim\nCOPY <<-'CONF' /etc/x.conf\nkey=value\nCONF\n",
            "a heredoc in COPY",
        ),
    ],
)
def test_buildkit_only_syntax_is_refused_with_its_line(tmp_path, dockerfile, finding):
    result = check(tmp_path, dockerfile)
    assert result.returncode == 1
    assert f"Dockerfile:{1 if 'syntax' in finding else 2}: {finding}" in result.stdout
    assert "Heroku builds heroku.yml with the classic builder" in result.stdout


def test_ordinary_flags_and_shell_redirections_pass(tmp_path):
    dockerfile = (
        "FROM python:3.13-slim AS app\n"
        "# a comment that mentions --mount and <<EOF\n"
        "COPY --from=app --chown=10001:10001 /app /app\n"
        'RUN echo "$((1<<3))" > /tmp/x && cat < /tmp/x\n'
        "RUN docker run --network host --mount type=tmpfs,target=/t image\n"
    )
    assert check(tmp_path, dockerfile).returncode == 0
