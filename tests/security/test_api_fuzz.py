"""Schemathesis against the API's own OpenAPI document, in process through the Django WSGI application:
every operation, with requests generated from its schema (valid and not), as an authenticated caller.
No request may be answered with a 5xx, and every documented answer must match its schema and content type.

Bounded for CI: a few examples per operation (`COURTS_FUZZ_EXAMPLES`, default 3) for two roles, court
staff (an HMCTS system token) and a prosecutor. `COURTS_FUZZ_ROLES=all` runs every role below, and
`COURTS_FUZZ_EXAMPLES=50` digs deeper (docs/reliability.md, "Robustness tests").
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from courts.accounts.enums import OrganisationKind
from courts.accounts.services import api_token_create, organisation_get_or_create
from courts.common.actor import Actor

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Roles that call the API with a token of their organisation's kind.
ROLES = {
    "court-staff": OrganisationKind.HMCTS,
    "prosecutor": OrganisationKind.PROSECUTOR,
}
ALL_ROLES = {**ROLES, **{kind.value.lower(): kind for kind in OrganisationKind if kind not in ROLES.values()}}
SELECTED = ALL_ROLES if os.environ.get("COURTS_FUZZ_ROLES") == "all" else ROLES
EXAMPLES = int(os.environ.get("COURTS_FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_database_connection():
    """Django closes the database connection at the end of each request; the test client stops that for
    the test's transaction, and so must a WSGI call made outside it (on PostgreSQL the next request would
    find the connection closed)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=sorted(SELECTED))
def bearer(request, db) -> dict[str, str]:
    kind = SELECTED[request.param]
    organisation = organisation_get_or_create(name=f"Fuzz {request.param}", kind=kind, actor=Actor.system())[0]
    token = api_token_create(organisation=organisation, name="fuzz", actor=Actor.system())[1]
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          phases=[Phase.generate],  # generated examples only (no coverage probes), and no shrinking
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_outside_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


# --- What the fuzzing found, kept as plain regression tests ---------------------------------------------

@pytest.mark.parametrize("event_type", [{}, [], 1, None, ["WEE_Remand"]])
def test_a_subscription_whose_event_type_is_not_a_string_is_a_400_not_a_500(client, event_type):
    # Found by the test above: {"eventTypes": [{}]} raised TypeError (unhashable) in the service: a 500.
    from courts.api.tests.test_distribution_api import API, agency_token, assert_contract_problem, bearer

    body = {"notificationEndpoint": {"callbackUrl": "https://partner.example/hook"}, "eventTypes": [event_type]}
    response = client.post(f"{API}/client-subscriptions", body, content_type="application/json",
                           **bearer(agency_token()))
    assert_contract_problem(response, 400, "invalid_request")


def test_error_answers_are_documented_as_the_content_type_they_are_sent_in(client):
    # Found by the test above: errors are sent as problem+json but were documented as application/json.
    spec = client.get("/api/v1/openapi.json").json()
    for path in spec["paths"].values():
        for operation in path.values():
            for status, response in operation["responses"].items():
                if status[0] in "45" and response.get("content"):
                    expected = ("application/json" if "hearing-results" in operation.get("tags", [])
                                else "application/problem+json")
                    assert list(response["content"]) == [expected], (operation["operationId"], status)


@pytest.mark.parametrize("text", ["TH\u000068010", "\ud800"])
def test_text_no_record_can_store_is_a_422_naming_the_field_not_a_500(client, text):
    # Found by the test above on PostgreSQL: a NUL in an offence code reached a query (DataError, a 500).
    from courts.api.tests.test_cases import make_token
    from courts.api.tests.test_distribution_api import API, agency_token, assert_contract_problem, bearer
    from courts.cases.tests.factories import case_payload

    token = make_token()
    payload = case_payload()
    payload["defendants"][0]["offences"][0]["offenceCode"] = text
    response = client.post("/api/v1/cases", json.dumps(payload), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")  # json.dumps writes \u0000 and \ud800
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "defendants/0/offences/0/offenceCode" and error["code"] == "invalid_characters"
    if "\x00" in text:
        query = client.get("/api/v1/cases", {"urn": text}, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert query.status_code == 422
    hook = {"notificationEndpoint": {"callbackUrl": f"https://partner.example/{text}"}, "eventTypes": ["WEE_Remand"]}
    response = client.post(f"{API}/client-subscriptions", json.dumps(hook), content_type="application/json",
                           **bearer(agency_token()))
    assert_contract_problem(response, 400, "invalid_request")
