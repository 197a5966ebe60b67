"""What a test needs from the machine beyond Python (a Docker engine, Chromium, the Heroku CLI).

Without it the test is skipped, saying what is missing and how to get it; with REQUIRE_DOCKER=1
(CI, `make test-all`'s full run) it fails instead, so nothing is left out silently.
"""

import os
import shutil
from pathlib import Path

import pytest


def require(available, what):
    """Go on if `available`; else skip the test, or fail it under REQUIRE_DOCKER=1.

    `what` names what is needed and how to get it, to be read after "no": "Chromium at
    /usr/bin/chromium (Debian: apt-get install chromium)".
    """
    if available:
        return
    if os.environ.get("REQUIRE_DOCKER") == "1":
        pytest.fail(f"REQUIRE_DOCKER=1 but no {what}", pytrace=False)
    pytest.skip(f"no {what}")


def heroku_cli():
    """The Heroku CLI's absolute path: $HEROKU_CLI (.ci/run installs the pinned CLI and sets it),
    else `heroku` on PATH. Required as require() requires."""
    path = os.environ.get("HEROKU_CLI") or shutil.which("heroku")
    require(bool(path), "Heroku CLI: npm install --global heroku, or set HEROKU_CLI")
    return Path(path).absolute()
