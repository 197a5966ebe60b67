import pytest


@pytest.fixture(autouse=True)
def _needs_a_docker_engine(docker_engine):
    """Every test here runs containers: skipped, or failed under REQUIRE_DOCKER=1, without one."""
