"""The project's middleware: request ids, the Content-Security-Policy, the body limit."""

import re

import pytest
from django.conf import settings

from guestbook.models import Entry

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_a_usable_request_id_is_kept_and_returned(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123_XYZ.router=="})
    assert response["X-Request-ID"] == "abc-123_XYZ.router=="


@pytest.mark.parametrize("sent", [None, "", 'has "quotes" and spaces', "x" * 201, "new\nline"])
def test_a_missing_or_unusable_request_id_is_replaced_by_a_new_one(client, sent):
    headers = {} if sent is None else {"X-Request-ID": sent}
    response = client.get("/healthz", headers=headers)
    assert UUID.match(response["X-Request-ID"])


def test_development_reports_the_content_security_policy_without_enforcing_it(client):
    response = client.get("/healthz")
    policy = response["Content-Security-Policy-Report-Only"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "Content-Security-Policy" not in response.headers


def test_the_policy_allows_no_inline_code_anywhere():
    sources = [s for values in settings.SECURE_CSP_REPORT_ONLY.values() for s in values]
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources


@pytest.mark.django_db
def test_a_body_over_the_limit_gets_413_and_stores_nothing(client):
    body = "name=big&message=" + "m" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.generic("POST", "/", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_a_body_at_the_limit_is_read_as_usual(client):
    body = "name=&message=" + "m" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 100)
    response = client.generic("POST", "/", body, "application/x-www-form-urlencoded")
    assert response.status_code == 400  # the form's own answer: a blank name, a long message


HSTS_IN_PRODUCTION = {
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "ALLOWED_HOSTS": ["mysite.example.com", "localhost", "127.0.0.1"],
}


@pytest.mark.parametrize("host", ["localhost:8443", "127.0.0.1:8443", "localhost"])
def test_a_site_on_this_machine_clears_hsts_instead_of_setting_a_year(client, settings, host):
    for name, value in HSTS_IN_PRODUCTION.items():
        setattr(settings, name, value)
    response = client.get("/healthz", secure=True, headers={"Host": host})
    assert response["Strict-Transport-Security"] == "max-age=0"


def test_any_other_host_gets_a_year_of_hsts(client, settings):
    for name, value in HSTS_IN_PRODUCTION.items():
        setattr(settings, name, value)
    response = client.get("/healthz", secure=True, headers={"Host": "mysite.example.com"})
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
