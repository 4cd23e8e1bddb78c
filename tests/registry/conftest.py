"""Fixtures of the registry tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def applicant(client, entrepreneur):
    """The test client, logged in as the entrepreneur who files."""
    client.force_login(entrepreneur)
    return client
