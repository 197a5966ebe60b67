import pytest
from django.core.management import call_command
from django.test.utils import override_settings


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory, django_test_environment):
    """Static files collected as the image build does: pages link hashed assets, as in prod."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root
