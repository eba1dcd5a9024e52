"""Schemathesis against the API's own OpenAPI schema, in-process: no 5xx, every response as the
schema says, whatever the generated parameters."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from diaspora_portal.wsgi import application
from tests import factories


@pytest.fixture
def published_data(db):
    organization = factories.OrganizationFactory(slug="udruzenje-api")
    factories.ContactFactory(organization=organization, is_public=True)
    factories.ChannelFactory(organization=organization)
    factories.MeetingFactory(slug="sastanak-api")
    factories.InstitutionFactory(key="ambasada-api", covered_countries=["DE", "AT"])


# Loaded at collection: the schema view reads no data.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _requests_keep_the_tests_transaction():
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_api_answers_every_generated_request_as_its_schema_says(case, published_data):
    case.call_and_validate(
        headers={"Host": "localhost"},
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ],
    )
