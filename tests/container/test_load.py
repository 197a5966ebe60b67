"""Sustained load through the router: 60 s at 32 concurrent connections on the guestbook page.
Correctness only (no failures, no 5xx, no worker timeouts); speed is `make bench`'s business."""

import re
import shutil
import subprocess

import pytest

from tests.support.environment import SITE_HOST

DURATION_SECONDS = 60
CONNECTIONS = 32


@pytest.fixture(scope="module")
def wrk():
    path = shutil.which("wrk")
    if path is None:
        pytest.fail("wrk is not installed (Debian package wrk; .ci/run installs it)", pytrace=False)
    return path


def test_sixty_seconds_at_32_connections_without_a_failure(wrk, router, dyno):
    result = subprocess.run(
        [
            wrk, "--threads", "2", "--connections", str(CONNECTIONS),
            "--duration", f"{DURATION_SECONDS}s", "--timeout", "10s",
            "--header", f"Host: {SITE_HOST}", router.https_url + "/",
        ],
        capture_output=True, text=True, timeout=DURATION_SECONDS + 60, check=False,
    )  # fmt: skip
    report = result.stdout
    assert result.returncode == 0, report + result.stderr
    completed = int(re.search(r"(\d+) requests in", report).group(1))
    assert completed > 1000, report  # the load was real
    assert "Socket errors" not in report, report  # no connect, read, write or timeout errors
    assert "Non-2xx or 3xx responses" not in report, report
    logs = dyno.container.logs()
    assert "WORKER TIMEOUT" not in logs
    assert "status=5" not in logs
