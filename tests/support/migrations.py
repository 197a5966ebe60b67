"""Migrations written by tests, after the project's own latest one."""

from tests.support.environment import REPO

DIRECTORY = REPO / "guestbook" / "migrations"
LATEST = sorted(path.stem for path in DIRECTORY.glob("0*.py"))[-1]


def source(*operations, after=LATEST):
    """A guestbook migration module applying `operations` (source text) after `after`."""
    listed = "".join(f"        {operation},\n" for operation in operations)
    return (
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        f'    dependencies = [("guestbook", "{after}")]\n'
        f"    operations = [\n{listed}    ]\n"
    )
