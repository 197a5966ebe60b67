"""Run the project's entry points in fresh processes, as a shell or a platform would."""

import json
import subprocess

from tests.support.environment import PYTHON, REPO

SHOW_SETTINGS = """
import json
from django.conf import settings
names = {names!r}
print(json.dumps({{name: getattr(settings, name, None) for name in names}}, default=str))
"""


def run(args, environ, timeout=60):
    return subprocess.run(
        args, cwd=REPO, env=environ, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(*args, environ, timeout=60):
    """python manage.py <args>"""
    return run([PYTHON, "manage.py", *args], environ, timeout)


def settings_through_manage(environ, *names):
    """Selected settings as manage.py loads them (through `manage.py shell -c`)."""
    result = manage("shell", "-v", "0", "-c", SHOW_SETTINGS.format(names=names), environ=environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_through_entry_module(module, environ, *names):
    """Selected settings as a server loads them: by importing mysite.wsgi or mysite.asgi."""
    code = f"import {module}\n" + SHOW_SETTINGS.format(names=names)
    result = run([PYTHON, "-c", code], environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def error_lines(result):
    """The non-empty lines a failed process wrote to stderr."""
    return [line for line in result.stderr.splitlines() if line.strip()]
