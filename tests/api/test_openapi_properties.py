"""Property-based tests generated from the read API's own OpenAPI document (schemathesis): for every path,
generated parameters (valid and not) never cause a server error, every status is one the document lists,
and every response matches its schema and content type. Runs in `make test` (and so in .ci/run)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Loaded when the module is collected (Django is set up by then; the document needs no database).
# schemathesis.pytest.from_fixture would load it per test, but it reads a pytest attribute pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def generous_limit(settings):
    settings.API_RATE_LIMIT = "100000/m"  # generated requests are many; 429 has its own test


@pytest.fixture
def in_the_test_transaction():
    """Requests go straight to the WSGI app, whose request signals would close the database connection
    inside the test's transaction (PostgreSQL then refuses to reopen it); Django's test client disconnects
    them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure in CI reproduces here
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_path_conforms_to_the_openapi_document(case, world, generous_limit, in_the_test_transaction):
    case.call_and_validate(checks=CHECKS)
