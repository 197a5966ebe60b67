"""Waiting for something to become true, up to a deadline: the one polling loop of the tests.

A condition may raise to stop waiting at once (a server that exited will never answer).
"""

import time


def until(condition, timeout, interval=0.05, what=None):
    """condition()'s first truthy result, polled until `timeout` seconds have passed.

    `what` names what was awaited in the failure, as text or as a function giving it then (so a
    container's logs are read only when they are needed).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            described = what() if callable(what) else what or condition
            raise AssertionError(f"still not true after {timeout} s: {described}")
        time.sleep(interval)


def seconds_until(condition, timeout, interval=0.05, what=None, since=None):
    """Seconds from `since` (default: now) until condition() held, polled as until() polls."""
    start = time.monotonic() if since is None else since
    until(condition, timeout - (time.monotonic() - start), interval, what)
    return time.monotonic() - start
