"""The figures the README quotes are the ones the code uses: each is read back from its source."""

import json
import re
import runpy

from django.conf import settings
from django.core.management import call_command

from bench import report
from mysite import env
from mysite.management.commands.connection_budget import HEROKU_ESSENTIAL_0_LIMIT
from tests.support.environment import REPO, production_environ
from tests.support.processes import settings_through_manage

README = (REPO / "README.md").read_text()


def gunicorn_conf(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(REPO / "gunicorn.conf.py"))


def production_database_options():
    environ = production_environ("postgres://u:p@db.example.com:5432/d")
    return settings_through_manage(environ, "DATABASES")["DATABASES"]["default"]["OPTIONS"]


def statement_timeout_and_deadline():
    options = production_database_options()
    milliseconds = int(re.search(r"statement_timeout=(\d+)", options["options"])[1])
    return f"{milliseconds / 1000:g}", f"{options['deadline']:g}"


def variable_row(name):
    return next(line for line in README.splitlines() if line.startswith(f"| `{name}` |"))


def test_the_variables_table_quotes_gunicorns_defaults(monkeypatch):
    conf = gunicorn_conf(monkeypatch)
    assert f"`{conf['workers']}` on the container stack" in variable_row("WEB_CONCURRENCY")
    assert f"| `{conf['threads']}` |" in variable_row("GUNICORN_THREADS")
    statement_timeout, deadline = statement_timeout_and_deadline()
    row = variable_row("DATABASE_STATEMENT_TIMEOUT")
    assert f"`{statement_timeout}`" in row
    assert f"a second later ({deadline} s)" in row


def test_troubleshooting_quotes_the_configured_values(monkeypatch):
    conf = gunicorn_conf(monkeypatch)
    assert f"`keepalive = {conf['keepalive']}`" in README
    assert f"`graceful_timeout = {conf['graceful_timeout']}`" in README
    statement_timeout, deadline = statement_timeout_and_deadline()
    assert f"cancelled after {statement_timeout} s" in README
    assert f"given up after {deadline} s" in README
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


def test_the_benchmark_section_and_tables_are_rendered_from_the_published_results():
    # Nothing in them is typed by hand: make bench measured results.json, and the README's
    # section, results.md and the targets are what bench/report.py makes of it.
    results = json.loads((report.OUTPUT / "results.json").read_text())
    published_targets = results.pop("targets")
    assert published_targets == [
        {"target": target, "measured": measured, "met": met}
        for target, measured, met, _ in report.targets(results)
    ]
    assert report.readme_section(results) in README
    assert (report.OUTPUT / "results.md").read_text() == report.results_markdown(results) + "\n"
