"""make lint runs every check, the migration linter included: read from what make would run
(`make --dry-run`), so no target's wiring can drop a check silently. Needs neither Docker nor
a database: nothing is run."""

import os
import shlex
import subprocess

import pytest

from tests.support.environment import REPO


def commands_of(target):
    """The command lines `make <target>` would run, split into words."""
    environ = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    dry_run = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", target],
        cwd=REPO, env=environ, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    joined = dry_run.stdout.replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines() if line.strip()]


@pytest.mark.parametrize("target", ["lint", "lint-code"])
def test_make_lint_runs_the_migration_linter_on_a_throwaway_postgresql(target):
    linters = [words for words in commands_of(target) if "lintmigrations" in words]
    assert len(linters) == 1, commands_of(target)
    [words] = linters
    # python -m tests.support.postgres <python> manage.py lintmigrations ...
    assert words[1:3] == ["-m", "tests.support.postgres"]
    assert words[4:6] == ["manage.py", "lintmigrations"]
