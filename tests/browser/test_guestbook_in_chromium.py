"""A visitor in Chromium, on the development stack and on production behind the router:
the page is styled, signing works, the admin works under the Content-Security-Policy,
and no console error or CSP violation shows up anywhere."""

import pytest

from tests.browser.conftest import ADMIN

GUESTBOOK_GREEN = "rgb(11, 110, 79)"  # h1 colour in guestbook/static/guestbook/style.css


@pytest.fixture(params=["development", "production"])
def site(request):
    if request.param == "development":
        return request.getfixturevalue("dev_stack").site
    return request.getfixturevalue("production_site")


def test_the_guestbook_renders_with_its_stylesheet_applied(visit, site):
    visit.page.goto(site + "/")
    heading = visit.page.locator("h1")
    assert heading.inner_text() == "Guestbook"
    assert heading.evaluate("element => getComputedStyle(element).color") == GUESTBOOK_GREEN
    visit.assert_clean()


def test_signing_the_guestbook_shows_the_entry(visit, site, request):
    name = f"Chromium on {request.node.callspec.id}"
    visit.page.goto(site + "/")
    visit.page.fill("#id_name", name)
    visit.page.fill("#id_message", "Signed <b>in a real browser</b>.")
    with visit.page.expect_navigation():
        visit.page.click("button[type=submit]")
    assert "Thank you for signing" in visit.page.locator(".notice").inner_text()
    newest = visit.page.locator(".entry").first
    assert newest.locator(".entry-name").inner_text() == name
    assert "Signed <b>in a real browser</b>." in newest.inner_text()  # shown as text
    visit.assert_clean()


def test_a_blank_signature_is_refused_with_a_message(visit, site):
    visit.page.goto(site + "/")
    with visit.page.expect_navigation():
        visit.page.click("button[type=submit]")
    assert "Please tell us your name." in visit.page.content()


def test_the_admin_login_works_under_the_content_security_policy(visit, site):
    visit.page.goto(site + "/admin/login/")
    assert visit.page.locator("#login-form").is_visible()
    visit.assert_clean()
    visit.page.fill("#id_username", ADMIN[0])
    visit.page.fill("#id_password", ADMIN[1])
    with visit.page.expect_navigation():
        visit.page.click("input[type=submit]")
    assert "Site administration" in visit.page.content()
    visit.page.goto(site + "/admin/guestbook/entry/")
    assert "Select entry to change" in visit.page.content()
    visit.assert_clean()
