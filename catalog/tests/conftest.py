"""Fixtures shared by the catalog's tests."""

import pytest

from catalog.tests.factories import CategoryFactory


@pytest.fixture
def sofas(db):
    return CategoryFactory(name="Sofas", slug="sofas")
