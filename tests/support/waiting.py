"""Waiting for something to become true, up to a deadline, or watching that it stays true for a
while: the one polling loop of the tests.

A condition may raise to stop waiting at once (a server that exited will never answer).
"""

import time


def described(what, condition):
    """`what` as text: called if it is a function (so a container's logs are read only then)."""
    return what() if callable(what) else what or condition


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
            awaited = described(what, condition)
            raise AssertionError(f"still not true after {timeout:g} s: {awaited}")
        time.sleep(interval)


def seconds_until(condition, timeout, interval=0.05, what=None, since=None):
    """Seconds from `since` (default: now) until condition() held, polled as until() polls."""
    start = time.monotonic() if since is None else since
    until(condition, timeout - (time.monotonic() - start), interval, what)
    return time.monotonic() - start


def holds(condition, seconds, interval=0.05, what=None):
    """Assert that condition() stays truthy for `seconds`: polled from now until then, the last
    time at the end. `what` names what should have held, as until()'s does."""
    start = time.monotonic()
    deadline = start + seconds
    while True:
        if not condition():
            elapsed = time.monotonic() - start
            raise AssertionError(
                f"stopped being true after {elapsed:.2f} of {seconds:g} s: "
                f"{described(what, condition)}"
            )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(interval, remaining))
