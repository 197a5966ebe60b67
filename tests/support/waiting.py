"""Waiting for something to become true, up to a deadline: the one polling loop of the tests."""

import time


def until(condition, timeout, interval=0.05, what=None):
    """condition()'s first truthy result, polled until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {what or condition}")
        time.sleep(interval)
