import pytest


@pytest.fixture
def company(registered):
    return registered.company
