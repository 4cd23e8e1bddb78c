"""Schemathesis against the published OpenAPI schema: whatever a partner sends within (and
around) the schema, the API never answers with a server error.

The schema is built at collection as the schema view serves it (drf-spectacular's generator
and JSON renderer, no database needed), and the calls go to the WSGI application in this
process, inside each test's database transaction.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application

from .conftest import ALL_SCOPES


def _published_schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_published_schema())
schema.app = application


@pytest.fixture
def wsgi_in_test_transaction():
    """Keep the test's connection open across the WSGI calls: Django closes it at the end
    of every request (request_finished), which would end the test's transaction on
    PostgreSQL. Django's own test client disconnects the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def full_key(wsgi_in_test_transaction, settings, make_companies, make_partner, make_key):
    """A tax office's token with every scope, a few companies to find, no rate limit (it
    is tested elsewhere: here one token makes hundreds of calls)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"partner": "100000/min"}}
    make_companies(3)
    tax_office = make_partner("Office des recettes", kind="tax_office", desk="impots")
    return make_key(tax_office, ALL_SCOPES)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_operation_answers_a_server_error(case, full_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {full_key}"},
                           checks=[not_a_server_error])
