"""A Deploy-button app and a review app, created as Heroku creates them from app.json (modelled in
tests/support/app_setups.py): with exactly the config vars app.json yields, heroku.yml's release
phase and then its web dyno run, and the guestbook answers on the app's random-suffix default
domain over the router, with no manual step. A forged Host still gets 400."""

import pytest

from tests.support import app_setups
from tests.support.dynos import release, serving_dyno
from tests.support.router import running_router


@pytest.fixture(params=["button", "review"])
def created_app(request, database_server):
    return app_setups.create(request.param, database_server.url(database_server.create_database()))


@pytest.fixture
def released_app(created_app, image, test_network, heroku_manifest):
    for result in release(image, test_network, created_app.config_vars, heroku_manifest):
        assert result.returncode == 0, result.stdout + result.stderr
    return created_app


@pytest.fixture
def app_behind_the_router(
    released_app, image, test_network, heroku_manifest, router_image, router_tls
):
    config, host = released_app.config_vars, released_app.domain
    with serving_dyno(image, test_network, config, heroku_manifest, host=host) as dyno:
        upstream = f"{dyno.container.name}:{dyno.port}"
        with running_router(router_image, test_network, [upstream], router_tls) as router:
            yield released_app, router


def test_the_first_release_needs_no_host_name(released_app):
    assert "ALLOWED_HOSTS" not in released_app.config_vars
    assert "HEROKU_APP_DEFAULT_DOMAIN_NAME" not in released_app.config_vars


def test_the_guestbook_answers_on_the_apps_default_domain(app_behind_the_router):
    app, router = app_behind_the_router
    response = router.browser(host=app.domain).get("/")
    assert response.status_code == 200
    assert "<h1>Guestbook</h1>" in response.text


def test_a_signature_posted_on_the_default_domain_is_accepted(app_behind_the_router):
    app, router = app_behind_the_router
    browser = router.browser(host=app.domain)
    token = browser.csrf_token_from(browser.get("/"))
    response = browser.post("/", {"csrfmiddlewaretoken": token, "name": "Button", "message": "hi"})
    assert response.status_code == 302


def test_a_forged_host_gets_400(app_behind_the_router):
    _, router = app_behind_the_router
    assert router.browser(host="evil.example").get("/").status_code == 400
