"""Marks tests by what they exercise, from the folder they live in."""

from pathlib import Path

import pytest

# The container fixtures (image, dynos, router) serve the container and browser tests alike.
pytest_plugins = ["tests.support.container_fixtures"]

MARKED_FOLDERS = {
    "container": pytest.mark.container,
    "browser": pytest.mark.browser,
}


def pytest_collection_modifyitems(items):
    for item in items:
        folder = Path(item.fspath).parent.name
        if folder in MARKED_FOLDERS:
            item.add_marker(MARKED_FOLDERS[folder])
