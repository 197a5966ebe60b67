"""manage.py connection_budget: connections a deployment holds, from gunicorn.conf.py's values."""

import pytest
from django.core.management import CommandError, call_command


def budget(monkeypatch, capsys, *args, web_concurrency="2", threads="4"):
    monkeypatch.setenv("WEB_CONCURRENCY", web_concurrency)
    monkeypatch.setenv("GUNICORN_THREADS", threads)
    call_command("connection_budget", *args)
    return capsys.readouterr().out


def test_the_default_deployment_fits_herokus_smallest_plan(monkeypatch, capsys):
    output = budget(monkeypatch, capsys)
    assert "1 x 2 workers x 4 threads = 8" in output
    assert "total          10 of 20 allowed" in output


def test_two_dynos_a_release_and_a_one_off_dyno_still_fit(monkeypatch, capsys):
    output = budget(monkeypatch, capsys, "--dynos", "2")
    assert "total          18 of 20 allowed" in output


def test_the_budget_follows_web_concurrency(monkeypatch, capsys):
    output = budget(monkeypatch, capsys, web_concurrency="3", threads="2")
    assert "1 x 3 workers x 2 threads = 6" in output


def test_exceeding_the_limit_fails_with_the_overshoot_and_the_fix(monkeypatch, capsys):
    with pytest.raises(CommandError, match="26 connections exceed the limit of 20 by 6"):
        budget(monkeypatch, capsys, "--dynos", "2", web_concurrency="3", threads="4")


def test_a_larger_plan_is_a_larger_limit(monkeypatch, capsys):
    output = budget(monkeypatch, capsys, "--dynos", "4", "--limit", "120")
    assert "total          34 of 120 allowed" in output


def test_preboot_counts_the_old_and_new_web_dynos_together(monkeypatch, capsys):
    output = budget(monkeypatch, capsys, "--preboot")
    assert "preboot        8 more" in output
    assert "total          17 of 20 allowed" in output


def test_two_prebooted_dynos_do_not_fit_the_smallest_plan(monkeypatch, capsys):
    with pytest.raises(CommandError, match="33 connections exceed the limit of 20 by 13"):
        budget(monkeypatch, capsys, "--dynos", "2", "--preboot")
