import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_every_operation_with_bearer_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"cases_create", "cases_get", "cases_search", "cases_search_post"} <= operations
    assert "BearerToken" in spec["components"]["securitySchemes"]
