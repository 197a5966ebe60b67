"""make lint's migration linter (django-migration-linter on PostgreSQL's own SQL, in a throwaway
server) reports every migration that the previous release, still serving while the release
phase migrates, cannot run beside: dropped or renamed columns and tables, and NOT NULL columns
without a database default.
The two-step ways (a nullable column, a column with db_default) pass."""

import re
import shutil
import subprocess

import pytest

from tests.support import migrations
from tests.support.environment import PYTHON, REPO

# (name, operation, what the linter must say: None when the migration is backward compatible)
STEPS = [
    (
        "9001_nullable_column",
        'AddField("entry", "note", models.CharField(max_length=20, null=True))',
        None,
    ),
    (
        "9002_column_with_db_default",
        'AddField("entry", "stars", models.IntegerField(db_default=0))',
        None,
    ),
    (
        "9003_not_null_column",  # Django drops a Python-side default right after adding the column
        'AddField("entry", "mood", models.CharField(max_length=20, default="ok"))',
        "NOT NULL constraint on columns",
    ),
    ("9004_renamed_column", 'RenameField("entry", "note", "remark")', "RENAMING columns"),
    ("9005_dropped_column", 'RemoveField("entry", "remark")', "DROPPING columns"),
    ("9006_renamed_table", 'RenameModel("Entry", "Signature")', "RENAMING tables"),
    ("9007_dropped_table", 'DeleteModel("Signature")', "DROPPING table"),
]


@pytest.fixture(scope="module")
def lint_report(docker_engine, tmp_path_factory):
    """The linter's report on a copy of the project with every step added as a migration."""
    project = tmp_path_factory.mktemp("lint") / "mysite"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(".venv", ".git", "*.sqlite3"))
    previous = migrations.LATEST
    for name, operation, _ in STEPS:
        path = project / "guestbook" / "migrations" / f"{name}.py"
        path.write_text(migrations.source(f"migrations.{operation}", after=previous))
        previous = name
    lint = [PYTHON, "manage.py", "lintmigrations", "--no-cache"]
    result = subprocess.run(
        [PYTHON, "-m", "tests.support.postgres", *lint],
        cwd=project, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return result


def verdict(report, name):
    """The linter's word on one migration: OK, WARNING or ERR, and the reasons listed under it."""
    match = re.search(rf"^\(guestbook, {name}\)\.\.\. (\w+)\n((?:\t.*\n)*)", report, re.MULTILINE)
    assert match, report
    return match.group(1), match.group(2)


def test_the_lint_fails_when_any_migration_is_backward_incompatible(lint_report):
    assert lint_report.returncode != 0, lint_report.stdout


@pytest.mark.parametrize(("name", "operation", "problem"), STEPS, ids=[s[0] for s in STEPS])
def test_each_migration_gets_the_verdict_its_kind_deserves(lint_report, name, operation, problem):
    status, reasons = verdict(lint_report.stdout, name)
    if problem is None:
        assert status == "OK", reasons
    else:
        assert status == "ERR"
        assert problem in reasons


def test_the_projects_own_migrations_pass(lint_report):
    for path in sorted((REPO / "guestbook" / "migrations").glob("0*.py")):
        status, reasons = verdict(lint_report.stdout, path.stem)
        assert status in {"OK", "WARNING"}, reasons
