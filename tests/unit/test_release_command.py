"""manage.py release, what the release phase runs (the lock timeout and retries themselves are
tested on PostgreSQL under live traffic: tests/container/test_migrations_under_traffic.py)."""

from mysite.management.commands.release import LOCK_TIMEOUT_SECONDS, RETRIES, pauses
from tests.support.databases import throwaway_database
from tests.support.environment import clean_environ
from tests.support.processes import manage


def test_the_pauses_between_tries_double_from_a_second_up_to_thirty():
    assert pauses(8) == [1, 2, 4, 8, 16, 30, 30, 30]


def test_every_try_and_pause_fit_well_inside_the_release_phases_hour():
    assert sum(pauses(RETRIES)) + (RETRIES + 1) * LOCK_TIMEOUT_SECONDS < 5 * 60


def test_the_release_applies_every_migration_to_a_new_database_then_none(tmp_path):
    # A fresh process, as the release phase is, on the suite's engine (SQLite, or PostgreSQL
    # with its lock timeout) and settings.
    with throwaway_database(tmp_path) as url:
        first = manage("release", environ=clean_environ(DATABASE_URL=url))
        second = manage("release", environ=clean_environ(DATABASE_URL=url))
    assert first.returncode == 0, first.stderr
    assert "Applying guestbook.0001_initial... OK" in first.stdout
    assert "No migrations to apply." in second.stdout
