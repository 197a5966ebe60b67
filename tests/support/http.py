"""An HTTP client that reaches a server on 127.0.0.1 the way Heroku's router does.

The router ends TLS and forwards plain HTTP with the site's Host header and
X-Forwarded-Proto: https. Cookies are kept by hand: a client library would not
send Secure cookies over the plain-HTTP hop, which the router itself does.
"""

import re

import requests

from tests.support.environment import SITE_HOST

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class RouterClient:
    def __init__(self, base_url, host=SITE_HOST, forwarded_proto="https", verify=True):
        self.base_url = base_url
        self.host = host
        self.forwarded_proto = forwarded_proto
        self.verify = verify
        self.cookies = {}

    def headers(self, extra):
        headers = {"Host": self.host}
        if self.forwarded_proto:
            headers["X-Forwarded-Proto"] = self.forwarded_proto
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method, path, headers=None, **kwargs):
        response = requests.request(
            method,
            self.base_url + path,
            headers=self.headers(headers),
            allow_redirects=False,
            timeout=kwargs.pop("timeout", 15),
            verify=self.verify,
            **kwargs,
        )
        self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
        return response

    def get(self, path, headers=None, **kwargs):
        return self.request("GET", path, headers, **kwargs)

    def post(self, path, data, headers=None, **kwargs):
        """A form post; like a browser, it says which origin the form came from."""
        headers = {"Origin": f"{self.scheme}://{self.host}", **(headers or {})}
        return self.request("POST", path, headers, data=data, **kwargs)

    @property
    def scheme(self):
        if self.base_url.startswith("https:") or self.forwarded_proto == "https":
            return "https"
        return "http"

    def csrf_token_from(self, response):
        match = CSRF_FIELD.search(response.text)
        assert match, "the page has no CSRF token field"
        return match.group(1)
