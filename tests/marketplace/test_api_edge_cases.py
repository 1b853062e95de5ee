"""Marketplace API answers to odd input and their schema, found by fuzzing (tests/cms/
test_api_fuzz.py)."""

import pytest
from rest_framework.authtoken.models import Token

from marketplace.models import JointOffer
from tests.factories import CooperativeFactory, ProductFactory, cart_with, placed_order, seller
from tests.marketplace.test_joint_offers import offer_fields

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def api_schema(client) -> dict:
    return client.get("/api/v1/schema/", {"format": "json"}).json()


def component(client, name) -> dict:
    return api_schema(client)["components"]["schemas"][name]["properties"]


@pytest.mark.parametrize("product", [HUGE, "²", "12a"])
def test_a_review_filter_that_is_no_id_is_a_400(client, product):
    response = client.get("/api/v1/reviews/", {"product": product})

    assert response.status_code == 400 and list(response.json()["errors"]) == ["product"]


@pytest.mark.parametrize("line_id", [HUGE, "²"])
def test_removing_a_cart_line_with_an_impossible_id_is_a_404(client, line_id):
    user, _ = seller()
    cart_with((ProductFactory(), 1), user=user)
    client.force_login(user)

    response = client.delete(f"/api/v1/cart/lines/{line_id}/")

    assert response.status_code == 404 and set(response.json()) == {"message", "errors"}


def test_a_products_enterprise_is_a_slug_in_and_a_reference_out(client):
    properties = component(client, "Product")
    request = component(client, "ProductRequest")

    assert properties["enterprise"] == {"$ref": "#/components/schemas/EnterpriseRef"}
    assert request["enterprise"]["type"] == "string"
    product = ProductFactory()
    [row] = client.get("/api/v1/products/").json()["results"]
    assert row["enterprise"] == {"slug": product.enterprise.slug, "name": product.enterprise.name}


def test_a_joint_offer_without_a_product_is_documented_as_null(client):
    JointOffer.objects.create(cooperative=CooperativeFactory(), **offer_fields())

    [row] = client.get("/api/v1/joint-offers/").json()["results"]

    assert row["product"] is None
    assert component(client, "JointOffer")["product"]["nullable"] is True


def test_a_part_without_transfer_proof_is_documented_as_null(client):
    user, enterprise = seller()
    placed_order((ProductFactory(enterprise=enterprise), 1))
    token = Token.objects.create(user=user)

    [row] = client.get("/api/v1/order-parts/",
                       HTTP_AUTHORIZATION=f"Token {token.key}").json()["results"]

    assert row["transfer_proof_url"] is None
    assert component(client, "SalePart")["transfer_proof_url"]["nullable"] is True


@pytest.mark.parametrize(("path", "names"), [
    ("/api/v1/bulk-orders/", {"cooperative", "status"}),
    ("/api/v1/joint-offers/", {"cooperative", "status"}),
    ("/api/v1/order-parts/", {"enterprise", "status"}),
    ("/api/v1/reviews/", {"enterprise", "product"}),
])
def test_list_filters_are_documented_on_the_list_only(client, path, names):
    paths = api_schema(client)["paths"]
    detail = f"{path}{{id}}/"

    listed = {p["name"] for p in paths[path]["get"]["parameters"]}
    assert names <= listed
    for method, operation in paths[detail].items():
        assert not names & {p["name"] for p in operation.get("parameters", [])}, method
