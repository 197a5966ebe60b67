"""The figures the README quotes are the ones the code uses: each is read back from its source."""

import os
import re
import runpy

from django.conf import settings
from django.core.management import call_command

from mysite import env
from mysite.management.commands.connection_budget import HEROKU_ESSENTIAL_0_LIMIT
from tests.support.environment import REPO

README = (REPO / "README.md").read_text()


def gunicorn_conf(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "DATABASE_STATEMENT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(REPO / "gunicorn.conf.py"))


def variable_row(name):
    return next(line for line in README.splitlines() if line.startswith(f"| `{name}` |"))


def test_the_variables_table_quotes_gunicorns_defaults(monkeypatch):
    conf = gunicorn_conf(monkeypatch)
    assert f"`{conf['workers']}` on the container stack" in variable_row("WEB_CONCURRENCY")
    assert f"| `{conf['threads']}` |" in variable_row("GUNICORN_THREADS")
    statement_timeout = os.environ["DATABASE_STATEMENT_TIMEOUT"]
    assert f"`{statement_timeout}` in web processes" in variable_row("DATABASE_STATEMENT_TIMEOUT")


def test_troubleshooting_quotes_the_configured_values(monkeypatch):
    conf = gunicorn_conf(monkeypatch)
    assert f"`keepalive = {conf['keepalive']}`" in README
    assert f"`graceful_timeout = {conf['graceful_timeout']}`" in README
    assert f"cancelled after {os.environ['DATABASE_STATEMENT_TIMEOUT']} s" in README
    assert f"give up after {env.POSTGRES_CONNECT_TIMEOUT} s (`connect_timeout`)" in README
    assert (
        f"`DATA_UPLOAD_MAX_MEMORY_SIZE` ({settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KiB)"
        in (README)
    )


def test_the_connection_budget_arithmetic_is_the_commands(monkeypatch, capsys):
    gunicorn_conf(monkeypatch)
    call_command("connection_budget", "--dynos", "2")
    output = capsys.readouterr().out
    web = re.search(r"= (\d+)", output)[1]
    total = re.search(r"total\s+(\d+) of (\d+)", output)
    assert re.search(rf"2 web dynos x \d+ workers x \d+ threads = {web}\b", README)
    assert f"= {total[1]} of {total[2]}" in README
    assert int(total[2]) == HEROKU_ESSENTIAL_0_LIMIT
