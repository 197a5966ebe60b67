"""Marks tests by what they exercise, from the folder they live in."""

from pathlib import Path

import pytest

MARKED_FOLDERS = {"container": pytest.mark.container}


def pytest_collection_modifyitems(items):
    for item in items:
        folder = Path(item.fspath).parent.name
        if folder in MARKED_FOLDERS:
            item.add_marker(MARKED_FOLDERS[folder])
