"""Headless Chromium (Debian's package; Playwright drives it, no browser download), against
the development stack and against the production dyno behind the router over HTTPS.

Every page records console errors and Content-Security-Policy violations; each test
saves a screenshot under test-artifacts/browser/.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.support import docker, requirements
from tests.support.compose import Stack
from tests.support.environment import REPO, SITE_HOST

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "browser"
# Flags for a machine with no outside network: nothing phones home, nothing updates.
QUIET = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


@pytest.fixture(scope="session")
def chromium(docker_engine):
    requirements.require(
        Path(CHROMIUM).exists(),
        f"Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM)",
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *QUIET,
                # The router's test certificate names the site: resolve it to the router.
                f"--host-resolver-rules=MAP {SITE_HOST} 127.0.0.1",
                *(["--no-sandbox"] if os.geteuid() == 0 else []),
            ],
        )
        yield browser
        browser.close()


class Visit:
    """A browser tab that remembers what went wrong on it."""

    def __init__(self, page):
        self.page = page
        self.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def csp_violations(self):
        return self.page.evaluate("window.cspViolations")

    def assert_clean(self):
        assert self.console_errors == []
        assert self.csp_violations() == []


@pytest.fixture
def visit(chromium, request):
    context = chromium.new_context(
        ignore_https_errors=True, viewport={"width": 1000, "height": 800}
    )
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    try:
        yield Visit(page)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        context.close()


ADMIN = ("browser-admin", "a-long-browser-test-password-3")


@pytest.fixture(scope="module")
def dev_stack(docker_engine):
    """`make up`: runserver and PostgreSQL, as a developer runs it."""
    stack = Stack(docker.unique("mysite-test-browser") + ":latest")
    try:
        stack.make("up")
        stack.create_superuser(*ADMIN)
        stack.site = f"http://localhost:{stack.web_port}"
        yield stack
    finally:
        stack.clean()
        docker.docker("image", "rm", "--force", stack.environ["MYSITE_IMAGE"], check=False)


@pytest.fixture(scope="module")
def production_site(router, dyno):
    """The production dyno behind the router: https://<site>:<port>, as a visitor sees it."""
    dyno.create_superuser(*ADMIN)
    return f"https://{SITE_HOST}:{router.https_url.rsplit(':', 1)[1]}"
