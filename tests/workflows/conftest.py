"""Fixtures of the engine tests: toy permits and their cases (tests.workflows.toy)."""

from __future__ import annotations

import pytest

from .helpers import make_permit, start
from .toy.models import Category


@pytest.fixture
def applicant(entrepreneur):
    """Who files the permit and answers correction requests."""
    return entrepreneur


@pytest.fixture
def permit(db):
    """A food permit: every step of the toy procedure applies, hygiene included."""
    return make_permit()


@pytest.fixture
def case(permit, applicant):
    return start(permit, actor=applicant)


@pytest.fixture
def standard_permit(db):
    """A permit outside food: the hygiene step does not apply."""
    return make_permit("Afi Mensah", category=Category.STANDARD)


@pytest.fixture
def standard_case(standard_permit, applicant):
    return start(standard_permit, actor=applicant)


@pytest.fixture
def colleague(make_user):
    """A second member of the one-stop shop's desk (guichet)."""
    return make_user("afi@cfe.example.tg", desk="guichet")
