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
