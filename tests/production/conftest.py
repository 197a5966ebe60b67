import pytest

from tests.support.databases import throwaway_database
from tests.support.environment import clean_environ, production_environ
from tests.support.processes import manage
from tests.support.servers import gunicorn


@pytest.fixture(scope="session")
def production_database(tmp_path_factory):
    """A database migrated as the release phase does it: manage.py migrate, production settings."""
    with throwaway_database(tmp_path_factory.mktemp("db")) as url:
        result = manage("migrate", "--noinput", environ=production_environ(url))
        assert result.returncode == 0, result.stderr
        yield url


@pytest.fixture(scope="session")
def static_collected():
    """collectstatic as the image build runs it: default settings, no secret, no database."""
    result = manage("collectstatic", "--noinput", environ=clean_environ())
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def production_server(production_database, static_collected, tmp_path_factory):
    """gunicorn with PROD_SETTINGS=True and the project's gunicorn.conf.py, as on a dyno."""
    with gunicorn(production_environ(production_database), tmp_path_factory.mktemp("logs")) as s:
        yield s
