"""A production server (gunicorn, PROD_SETTINGS=True) answering as behind Heroku's router."""

import os
import re
from pathlib import Path

import pytest

from tests.support.databases import throwaway_database
from tests.support.environment import SITE_HOST, production_environ
from tests.support.http import RouterClient
from tests.support.logfmt import parse
from tests.support.servers import gunicorn

ONE_YEAR = 31_536_000


@pytest.fixture
def browser(production_server):
    """A visitor on https, through the router."""
    return RouterClient(production_server.base_url)


@pytest.fixture
def plain_http(production_server):
    """A visitor who typed http:// (the router forwards X-Forwarded-Proto: http)."""
    return RouterClient(production_server.base_url, forwarded_proto="http")


def test_gunicorns_worker_heartbeat_file_lives_in_memory(production_server):
    # A worker proves it is alive by touching a file: on a container's disk that can be slow,
    # or read-only. gunicorn opens it and deletes its name at once; the worker keeps it open.
    workers = [
        pid
        for pid in os.listdir("/proc")
        if pid.isdigit() and parent_of(pid) == production_server.process.pid
    ]
    assert workers
    for pid in workers:
        open_files = [os.readlink(link) for link in Path(f"/proc/{pid}/fd").iterdir()]
        assert any(name.startswith("/dev/shm/") for name in open_files), open_files


def parent_of(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def test_the_guestbook_is_served_over_https(browser):
    response = browser.get("/")
    assert response.status_code == 200
    assert "<h1>Guestbook</h1>" in response.text


def test_plain_http_gets_exactly_one_redirect_to_https(plain_http, browser):
    response = plain_http.get("/?page=1")
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{SITE_HOST}/?page=1"
    # Following it (the router now says https) serves the page: no redirect loop.
    assert browser.get("/?page=1").status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_on_plain_http_without_a_redirect(production_server, path):
    for forwarded_proto in ("http", None):
        client = RouterClient(production_server.base_url, forwarded_proto=forwarded_proto)
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("forwarded_proto", ["https", "http"])
def test_a_forged_host_header_gets_400_never_500(production_server, forwarded_proto):
    client = RouterClient(
        production_server.base_url, host="evil.example.net", forwarded_proto=forwarded_proto
    )
    assert client.get("/").status_code == 400


def test_https_responses_carry_the_security_headers(browser):
    headers = browser.get("/").headers
    assert headers["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in headers


def test_the_csrf_cookie_is_host_prefixed_secure_http_only_and_same_site(browser):
    [cookie] = [c for c in browser.get("/").cookies if "csrftoken" in c.name]
    assert cookie.name == "__Host-csrftoken"
    assert cookie.secure
    assert cookie.path == "/"
    assert not cookie.domain_specified  # __Host- cookies must not name a Domain
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite") == "Lax"


def sign(client, token, origin, name):
    return client.post(
        "/",
        {"csrfmiddlewaretoken": token, "name": name, "message": "signed over https"},
        headers={"Origin": origin, "Referer": origin + "/"},
    )


def test_a_signature_from_our_https_origin_is_accepted(browser):
    token = browser.csrf_token_from(browser.get("/"))
    response = sign(browser, token, f"https://{SITE_HOST}", "Router Rita")
    assert response.status_code == 302
    assert "Router Rita" in browser.get("/").text


def test_a_post_without_a_csrf_token_is_refused(browser):
    browser.get("/")
    assert sign(browser, "", f"https://{SITE_HOST}", "No Token").status_code == 403


def test_a_post_from_another_origin_is_refused(browser):
    token = browser.csrf_token_from(browser.get("/"))
    assert sign(browser, token, "https://evil.example.net", "Cross Site").status_code == 403


def test_a_post_from_our_host_over_plain_http_origin_is_refused(browser):
    token = browser.csrf_token_from(browser.get("/"))
    assert sign(browser, token, f"http://{SITE_HOST}", "Downgraded").status_code == 403


def test_the_stylesheet_is_hashed_compressed_and_cached_for_a_year(browser):
    href = re.search(r'href="(/static/guestbook/style\.[0-9a-f]{12}\.css)"', browser.get("/").text)
    assert href, "the page does not link a hashed stylesheet"
    response = browser.get(href.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= ONE_YEAR


def stylesheet_url(browser):
    return re.search(r'href="(/static/[^"]+\.css)"', browser.get("/").text).group(1)


# What Django's SecurityMiddleware sets on every response, static files included. The
# Content-Security-Policy and X-Frame-Options govern documents, and pages have them.
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_static_files_carry_the_security_headers_of_every_response(browser):
    page = browser.get("/healthz").headers
    static = browser.get(stylesheet_url(browser)).headers
    assert {name: static.get(name) for name in SECURITY_HEADERS} == {
        name: page.get(name) for name in SECURITY_HEADERS
    }
    assert all(page.get(name) for name in SECURITY_HEADERS)


def test_static_files_get_a_request_id(browser):
    response = browser.get(
        stylesheet_url(browser), headers={"X-Request-ID": "static-0000000000001"}
    )
    assert response.headers["X-Request-ID"] == "static-0000000000001"


def test_a_static_file_over_plain_http_gets_the_https_redirect(browser, plain_http):
    url = stylesheet_url(browser)
    response = plain_http.get(url)
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{SITE_HOST}{url}"


def test_a_static_file_is_the_same_bytes_whatever_the_host_while_pages_refuse_a_forged_one(
    browser, production_server
):
    url = stylesheet_url(browser)
    forged = RouterClient(production_server.base_url, host="evil.example.net")
    assert forged.get(url).content == browser.get(url).content
    assert forged.get("/").status_code == 400


def test_a_static_file_is_sent_whole_with_its_own_length(browser):
    response = browser.get(stylesheet_url(browser), headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.content)
    assert b".entry" in response.content


def test_a_static_file_the_browser_has_gets_304(browser):
    url = stylesheet_url(browser)
    etag = browser.get(url).headers["ETag"]
    response = browser.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_a_range_of_a_static_file_gets_206(browser):
    url = stylesheet_url(browser)
    whole = browser.get(url, headers={"Accept-Encoding": "identity"}).content
    part = browser.get(url, headers={"Range": "bytes=0-9", "Accept-Encoding": "identity"})
    assert part.status_code == 206
    assert part.content == whole[:10]


def test_head_of_a_static_file_has_headers_and_no_body(browser):
    response = browser.request("HEAD", stylesheet_url(browser))
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) > 0
    assert response.content == b""


def test_a_missing_static_file_gets_404(browser):
    assert browser.get("/static/guestbook/no-such-file.css").status_code == 404


def test_a_crafted_path_or_header_cannot_forge_log_lines(production_server):
    forged = "level=error logger=forged"
    path = "/x%5C%22%20status=500%0A" + forged.replace(" ", "%20")
    RouterClient(production_server.base_url).get(
        path, headers={"X-Forwarded-For": '1.2.3.4" status=500', "X-Request-ID": "forge-0000000001"}
    )
    [access] = production_server.logged_lines("gunicorn.access request_id=forge-0000000001")
    assert not any(line.startswith(forged) for line in production_server.stdout().splitlines())
    fields = parse(access)  # one line, every key once
    assert fields["status"] == "404"
    assert fields["path"].endswith("level=error logger=forged")


HEROKU_LOG_LINE_LIMIT = 10_000  # bytes: Logplex splits longer lines


def test_an_oversized_path_and_header_still_log_one_line_under_herokus_limit(production_server):
    # Just under gunicorn's request-line limit, with what escaping and UTF-8 widen in the log.
    path = "/" + "%0A%22%5C%C3%A9" * 240
    RouterClient(production_server.base_url).get(
        path, headers={"X-Forwarded-For": "10.0.0.1, " * 800, "X-Request-ID": "huge-000000000001"}
    )
    [access] = production_server.logged_lines("gunicorn.access request_id=huge-000000000001")
    lines = production_server.stdout().splitlines()
    assert all(len(line.encode()) < HEROKU_LOG_LINE_LIMIT for line in lines)
    fields = parse(access)
    assert "characters cut]" in fields["path"]
    assert "characters cut]" in fields["fwd"]
    assert fields["status"] == "404"


def test_django_logs_go_to_stdout(production_server):
    RouterClient(production_server.base_url, host="attacker.example.net").get("/")
    assert "Invalid HTTP_HOST header: 'attacker.example.net'" in production_server.stdout()
    assert "attacker.example.net" not in production_server.stderr()


def test_requests_are_logged_to_stdout(production_server):
    RouterClient(production_server.base_url).get("/healthz", headers={"X-Request-ID": "req-8f2c"})
    [line] = production_server.logged_lines("gunicorn.access request_id=req-8f2c")
    assert "path=/healthz status=200" in line


@pytest.fixture(scope="module")
def server_without_database(static_collected, tmp_path_factory):
    """Production settings pointing at a port where no database listens."""
    url = "postgres://mysite:pw@127.0.0.1:9/mysite"
    with gunicorn(production_environ(url), tmp_path_factory.mktemp("logs")) as server:
        yield server


def test_readyz_is_503_with_a_reason_when_the_database_is_unreachable(server_without_database):
    response = RouterClient(server_without_database.base_url).get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database unreachable"}


def test_healthz_stays_200_when_the_database_is_unreachable(server_without_database):
    assert RouterClient(server_without_database.base_url).get("/healthz").status_code == 200


def test_readyz_is_503_until_migrations_are_applied(static_collected, tmp_path):
    with throwaway_database(tmp_path) as url, gunicorn(production_environ(url), tmp_path) as server:
        response = RouterClient(server.base_url).get("/readyz")
        assert response.status_code == 503
        reason = response.json()["reason"]
        assert re.fullmatch(r"unapplied migrations: \d+", reason)
