"""manage.py release, what the release phase runs (the lock timeout and retries themselves are
tested on PostgreSQL under live traffic: tests/container/test_migrations_under_traffic.py)."""

import pytest
from django.core.management import call_command

from mysite.management.commands.release import LOCK_TIMEOUT_SECONDS, RETRIES, pauses


def test_the_pauses_between_tries_double_from_a_second_up_to_thirty():
    assert pauses(8) == [1, 2, 4, 8, 16, 30, 30, 30]


def test_every_try_and_pause_fit_well_inside_the_release_phases_hour():
    assert sum(pauses(RETRIES)) + (RETRIES + 1) * LOCK_TIMEOUT_SECONDS < 5 * 60


@pytest.mark.django_db
def test_without_postgresql_the_release_is_a_plain_migrate(capsys):
    call_command("release", verbosity=1)
    assert "No migrations to apply." in capsys.readouterr().out
