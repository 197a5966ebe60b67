"""The tests' one polling loop: waiting until something is true, and watching it stay true."""

import time

import pytest

from tests.support import waiting


def calls_answering(*answers):
    """A condition giving the answers in turn (the last one from then on), counting its calls."""
    calls = []

    def condition():
        calls.append(time.monotonic())
        return answers[min(len(calls), len(answers)) - 1]

    return condition, calls


def test_until_returns_the_first_truthy_result():
    condition, calls = calls_answering(None, 0, "served")
    assert waiting.until(condition, timeout=5, interval=0) == "served"
    assert len(calls) == 3


def test_until_fails_after_the_timeout_naming_what_was_awaited_then():
    condition, _ = calls_answering(False)
    with pytest.raises(AssertionError, match=r"still not true after 0\.1 s: the logs so far"):
        waiting.until(condition, timeout=0.1, what=lambda: "the logs so far")


def test_holds_watches_the_condition_for_the_whole_time():
    condition, calls = calls_answering(True)
    started = time.monotonic()
    waiting.holds(condition, 0.3, interval=0.05)
    assert time.monotonic() - started >= 0.3
    assert len(calls) >= 4
    assert calls[-1] - started >= 0.3  # checked once more at the end


def test_holds_fails_as_soon_as_the_condition_stops_being_true():
    condition, calls = calls_answering(True, True, False)
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"stopped being true after .* of 5 s: a clean log"):
        waiting.holds(condition, 5, interval=0.01, what="a clean log")
    assert time.monotonic() - started < 1
    assert len(calls) == 3


def test_holds_checks_at_the_end_even_when_the_interval_is_longer():
    condition, calls = calls_answering(True)
    started = time.monotonic()
    waiting.holds(condition, 0.1, interval=60)
    assert len(calls) == 2
    assert time.monotonic() - started < 1
