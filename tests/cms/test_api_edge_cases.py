"""The API's conventions under odd input, found by fuzzing the schema (test_api_fuzz.py): every
error is JSON in the API's shape and documented in the schema."""

import pytest

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"message", "errors"}


def api_schema(client) -> dict:
    return client.get("/api/v1/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_every_operation_documents_the_errors_it_can_answer(client):
    schema = api_schema(client)
    error = {"$ref": "#/components/schemas/Error"}

    for method, path, operation in operations(schema):
        responses = operation["responses"]
        params = {p["name"]: p["in"] for p in operation.get("parameters", [])}
        expected = {"403"}
        if method != "get":
            expected |= {"400"}
        if path != "/api/v1/auth/token/" and method != "get":
            expected |= {"429"}  # the token view has no write throttle (axes counts failures)
        if "path" in params.values() or "page" in params:
            expected |= {"404"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == error
    assert set(schema["components"]["schemas"]["Error"]["required"]) == ERROR_KEYS


def test_list_filters_document_a_400(client):
    schema = api_schema(client)

    assert "400" in schema["paths"]["/api/v1/bulk-orders/"]["get"]["responses"]
    assert "400" not in schema["paths"]["/api/v1/orders/"]["get"]["responses"]  # pages only


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/api/v1/products/-2.5e-28/"),
    ("get", "/api/v1/cooperatives/not.a.slug/"),
    ("post", "/api/v1/order-parts/0.5/cancel/"),
    ("delete", "/api/v1/cart/lines/null,null/"),
    ("get", "/api/v1/no-such-thing/"),
])
def test_an_address_the_router_refuses_is_the_apis_json_404(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == ERROR_KEYS


def test_an_api_address_without_its_slash_still_redirects(client):
    response = client.get("/api/v1/products")

    assert response.status_code == 301 and response["Location"] == "/api/v1/products/"


def test_a_nul_byte_in_an_api_query_is_a_json_400(client):
    response = client.get("/api/v1/bulk-orders/", {"cooperative": "a\x00b"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == ERROR_KEYS


def test_a_nul_byte_in_a_page_query_is_still_a_plain_400(client):
    response = client.get("/products/", {"q": "a\x00b"})

    assert response.status_code == 400 and "json" not in response["Content-Type"]
