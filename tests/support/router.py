"""The local stand-in for Heroku's router (router/), run in front of web containers."""

import contextlib

import requests

from tests.support import docker, waiting
from tests.support.certificates import self_signed
from tests.support.environment import SITE_HOST
from tests.support.http import RouterClient


class Router:
    def __init__(self, container, certificate):
        self.container = container
        self.certificate = certificate
        self.https_url = f"https://127.0.0.1:{container.host_port(8443)}"
        self.http_url = f"http://127.0.0.1:{container.host_port(8080)}"

    def browser(self, host=SITE_HOST):
        """A visitor on the internet: https, the site's host name, the test's certificate."""
        return RouterClient(
            self.https_url, host=host, forwarded_proto=None, verify=self.certificate
        )

    def plain_http_browser(self, host=SITE_HOST):
        return RouterClient(self.http_url, host=host, forwarded_proto=None)


def router_certificate(directory):
    return self_signed(directory, "router", SITE_HOST, [f"DNS:{SITE_HOST}", "IP:127.0.0.1"])


@contextlib.contextmanager
def running_router(image, network, upstreams, certificate):
    options = [
        "--network", network,
        "--volume", f"{certificate.parent}:/certs:ro",
        "--env", f"UPSTREAMS={' '.join(upstreams)}",
        "--publish", "127.0.0.1::8443",
        "--publish", "127.0.0.1::8080",
    ]  # fmt: skip
    with docker.running(image, options=options) as container:
        router = Router(container, certificate)
        wait_until_listening(router)
        yield router


def wait_until_listening(router, timeout=15):
    def answers():
        url, headers = router.http_url + "/healthz", {"Host": SITE_HOST}
        with contextlib.suppress(requests.ConnectionError):
            return requests.get(url, headers=headers, timeout=2).status_code  # any answer will do
        return None

    waiting.until(answers, timeout, 0.1, what=lambda: f"the router:\n{router.container.logs()}")
