"""Security of the production container, through the router over HTTPS as from the internet:
Mozilla's header guidelines in full, cookies, and bad input that must get a clear 4xx."""

import re
import socket
import ssl
import threading

import pytest

from tests.support.environment import SITE_HOST

ONE_YEAR = 31_536_000
STRICT_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


@pytest.fixture
def browser(router):
    return router.browser()


def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in header.split(";")
        if directive.strip()
    }


def responses_of_every_kind(router):
    """A page, a static file, a probe, the admin, and 400, 403, 404 and 413 answers."""
    browser = router.browser()
    page = browser.get("/")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
    return {
        "page": page,
        "static file": browser.get(stylesheet),
        "probe": browser.get("/healthz"),
        "admin login": browser.get("/admin/login/"),
        "not found": browser.get("/no-such-page"),
        "csrf refused": browser.post("/", {"name": "a", "message": "b"}),
        "bad host": router.browser(host="evil.example.net").get("/"),
        "too large": browser.post("/", "x" * 100_000),
    }


@pytest.fixture(scope="module")
def every_kind(router):
    return responses_of_every_kind(router)


def test_the_sample_has_the_statuses_it_claims(every_kind):
    statuses = {kind: response.status_code for kind, response in every_kind.items()}
    assert statuses == {
        "page": 200,
        "static file": 200,
        "probe": 200,
        "admin login": 200,
        "not found": 404,
        "csrf refused": 403,
        "bad host": 400,
        "too large": 413,
    }


KINDS = [
    "page",
    "static file",
    "probe",
    "admin login",
    "not found",
    "csrf refused",
    "bad host",
    "too large",
]
# Documents: everything but the stylesheet. The Content-Security-Policy and X-Frame-Options
# govern documents; WhiteNoise answers static files before the middleware that adds them.
DOCUMENTS = [kind for kind in KINDS if kind != "static file"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_response_has_hsts_for_a_year_with_subdomains(every_kind, kind):
    hsts = every_kind[kind].headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= ONE_YEAR
    assert "includeSubDomains" in hsts


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_every_document_has_a_strict_content_security_policy(every_kind, kind):
    directives = csp_directives(every_kind[kind])
    sources = [source for values in directives.values() for source in values]
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for scripts in ("script-src", "style-src"):
        assert not {"*", "http:", "https:", "data:"} & set(directives[scripts])
    assert "Content-Security-Policy-Report-Only" not in every_kind[kind].headers


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_every_document_refuses_framing(every_kind, kind):
    assert every_kind[kind].headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("kind", KINDS)
def test_every_response_refuses_sniffing_and_leaky_referrers(every_kind, kind):
    headers = every_kind[kind].headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in STRICT_REFERRER_POLICIES
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def cookie_named(response, name):
    [cookie] = [cookie for cookie in response.cookies if cookie.name == name]
    return cookie


def assert_host_prefixed(cookie, http_only=True):
    assert cookie.name.startswith("__Host-")
    assert cookie.secure
    assert cookie.path == "/"
    assert not cookie.domain_specified
    assert cookie.get_nonstandard_attr("SameSite") == "Lax"
    assert cookie.has_nonstandard_attr("HttpOnly") is http_only


def test_the_csrf_cookie_is_host_prefixed_secure_http_only_same_site(browser):
    assert_host_prefixed(cookie_named(browser.get("/"), "__Host-csrftoken"))


def test_the_flash_message_cookie_is_host_prefixed_and_secure(browser):
    token = browser.csrf_token_from(browser.get("/"))
    response = browser.post(
        "/", {"csrfmiddlewaretoken": token, "name": "Cookie Carl", "message": "hello"}
    )
    assert response.status_code == 302
    assert_host_prefixed(cookie_named(response, "__Host-messages"))


def test_the_admin_session_cookie_is_host_prefixed_secure_http_only_same_site(router, superuser):
    browser = router.browser()
    response = log_in(browser, *superuser)
    assert response.status_code == 302
    assert_host_prefixed(cookie_named(response, "__Host-sessionid"))


@pytest.fixture(scope="module")
def superuser(dyno):
    password = "correct-horse-battery-staple-42"
    dyno.create_superuser("admin", password)
    return "admin", password


def log_in(browser, username, password):
    token = browser.csrf_token_from(browser.get("/admin/login/"))
    return browser.post(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Origin": f"https://{SITE_HOST}"},
    )


def test_the_admin_works_under_the_content_security_policy(router, superuser):
    browser = router.browser()
    assert log_in(browser, *superuser).headers["Location"] == "/admin/"
    page = browser.get("/admin/guestbook/entry/")
    assert page.status_code == 200
    assert "Select entry to change" in page.text


# --- Bad input: a clear 4xx, nothing stored, no 500, no hung worker ---------------------


def entry_count(dyno):
    code = "from guestbook.models import Entry; print(Entry.objects.count())"
    return int(dyno.django_shell(code))


def sign(browser, **fields):
    token = browser.csrf_token_from(browser.get("/"))
    return browser.post("/", {"csrfmiddlewaretoken": token, **fields})


def test_a_forged_host_gets_400(router):
    assert router.browser(host="evil.example.net").get("/").status_code == 400


def test_a_post_without_a_csrf_token_gets_403_and_stores_nothing(browser, dyno):
    before = entry_count(dyno)
    assert browser.post("/", {"name": "No", "message": "token"}).status_code == 403
    assert entry_count(dyno) == before


def test_a_post_with_a_forged_csrf_token_gets_403(browser):
    browser.get("/")
    forged = {"csrfmiddlewaretoken": "x" * 64, "name": "Forged", "message": "token"}
    assert browser.post("/", forged).status_code == 403


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "\x1b[31mred", "message": "ansi escape"}, "Control characters are not allowed"),
        ({"name": "two\nlines", "message": "newline in a name"}, "Control characters"),
        ({"name": "nul", "message": "a\x00b"}, "Null characters are not allowed"),
        ({"name": "x" * 5000, "message": "long name"}, "at most 80 characters"),
        ({"name": "long", "message": "y" * 20_000}, "at most 1000 characters"),
    ],
)
def test_bad_form_values_get_400_with_the_reason_and_store_nothing(browser, dyno, fields, error):
    before = entry_count(dyno)
    response = sign(browser, **fields)
    assert response.status_code == 400
    assert error in response.text
    assert entry_count(dyno) == before


def test_invalid_utf8_in_a_form_field_gets_400_and_stores_nothing(browser, dyno):
    token = browser.csrf_token_from(browser.get("/"))
    before = entry_count(dyno)
    body = f"csrfmiddlewaretoken={token}&name=%ff%fe%fd&message=broken".encode()
    response = browser.post(
        "/", body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.text
    assert entry_count(dyno) == before


@pytest.mark.parametrize(
    "body",
    [
        b"garbage without a boundary",
        b"--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--\r\n",
        b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nunterminated',
    ],
)
def test_malformed_multipart_gets_a_4xx_and_stores_nothing(browser, dyno, body):
    token = browser.csrf_token_from(browser.get("/"))
    before = entry_count(dyno)
    content_type = (
        "multipart/form-data"
        if body.startswith(b"garbage")
        else ("multipart/form-data; boundary=b")
    )
    response = browser.post("/", body, headers={"Content-Type": content_type, "X-CSRFToken": token})
    assert 400 <= response.status_code < 500
    assert entry_count(dyno) == before


@pytest.mark.parametrize(
    "path",
    ["/%ff%fe", "/?q=%ff%fe%80", "/admin/%c0%ae%c0%ae/", "/" + "a" * 3000, "/?q=" + "b" * 3000],
)
def test_odd_or_over_long_paths_and_queries_never_get_a_5xx(browser, path):
    assert browser.get(path).status_code < 500


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Anything": "\xff\xfe latin-1 bytes"},
        {"User-Agent": "z" * 7000},
        {"Cookie": "__Host-csrftoken=\xff; a=b; ===; " + "c" * 3000},
        {"Accept-Language": "\xe9" * 500},
        {"X-Huge": "h" * 20_000},
    ],
)
def test_odd_or_over_long_headers_never_get_a_5xx(browser, headers):
    assert browser.get("/", headers=headers).status_code < 500


def test_html_in_fields_is_stored_as_text_and_shown_escaped(browser):
    script = "<script>alert(document.cookie)</script>"
    assert sign(browser, name="<b>Eve</b>", message=script).status_code == 302
    page = browser.get("/").text
    assert script not in page
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in page
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page


def send_oversized_body_and_stall(router, declared, sent):
    """POST over TLS declaring `declared` bytes, send `sent` of them, then stall. Returns the
    first bytes of the answer (read before the body is complete) and the open socket."""
    context = ssl.create_default_context(cafile=str(router.certificate))
    port = int(router.https_url.rsplit(":", 1)[1])
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    tls = context.wrap_socket(raw, server_hostname="127.0.0.1")
    tls.sendall(
        (
            f"POST / HTTP/1.1\r\nHost: {SITE_HOST}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        ).encode()
        + b"name=" + b"x" * (sent - 5)
    )  # fmt: skip
    return tls.recv(200), tls


def test_a_body_over_the_limit_is_refused_before_it_is_sent(router):
    answer, connection = send_oversized_body_and_stall(router, declared=50_000_000, sent=8_000)
    connection.close()
    assert answer.startswith(b"HTTP/1.1 413")


def test_stalled_oversized_uploads_leave_the_workers_free(router, dyno):
    # As many stalled uploads as the dyno has threads: each is answered 413 at once, and the
    # next visitor is served meanwhile (with the uploads still open), not after them.
    stalled = []
    try:
        for _ in range(8):
            answer, connection = send_oversized_body_and_stall(router, 50_000_000, 8_000)
            assert answer.startswith(b"HTTP/1.1 413")
            stalled.append(connection)
        response = router.browser().get("/", timeout=3)
        assert response.status_code == 200
    finally:
        for connection in stalled:
            connection.close()


def test_no_worker_timed_out_or_crashed(dyno, every_kind):
    logs = dyno.container.logs()
    assert "WORKER TIMEOUT" not in logs
    assert "Traceback" not in logs
    assert "level=error logger=django.request" not in logs


def test_threads_sharing_the_dyno_are_not_mixed_up(router):
    # Concurrent requests each get their own answer (no shared state between threads).
    results = {}

    def visit(number):
        results[number] = router.browser().get(f"/no-such-page-{number}").status_code

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == dict.fromkeys(range(16), 404)
