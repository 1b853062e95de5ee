"""/api/v1/cart/, /api/v1/orders/, /api/v1/order-parts/ and /api/v1/reviews/: permissions (a buyer
sees only their orders, a seller only their parts), bad input as JSON errors, queries, schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import CartLine, Order, OrderPart, Product
from marketplace.services import orders
from marketplace.services import reviews as review_services
from tests.factories import (
    DELIVERY,
    ProductFactory,
    UserFactory,
    cart_with,
    placed_order,
    seller,
)
from tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def shop():
    """(seller user, enterprise, product with 20 in stock)."""
    user, enterprise = seller()
    return user, enterprise, ProductFactory(enterprise=enterprise, stock=20, price=15000)


@pytest.fixture
def buyer(client):
    user = UserFactory(first_name="Dewi")
    client.force_login(user)
    return user


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


# The cart


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/api/v1/cart/"), ("post", "/api/v1/cart/"), ("delete", "/api/v1/cart/lines/1/"),
    ("get", "/api/v1/orders/"), ("post", "/api/v1/orders/"), ("get", "/api/v1/orders/GY-X/"),
    ("get", "/api/v1/order-parts/"), ("get", "/api/v1/order-parts/1/"),
    ("post", "/api/v1/order-parts/1/advance/"),
])
def test_anonymous_visitors_are_refused_with_a_json_error(client, method, url):
    response = getattr(client, method)(url, content_type=JSON)
    assert_api_error(response, 403)


def test_an_empty_cart_is_an_empty_object(client, buyer):
    data = client.get("/api/v1/cart/").json()
    assert data == {"sellers": [], "total": 0, "line_count": 0, "has_problems": False}


def test_setting_lines_groups_them_by_seller_with_totals(client, buyer, shop):
    _seller, enterprise, product = shop
    other = ProductFactory(price=5000, stock=3)

    post(client, "/api/v1/cart/", {"product": product.pk, "quantity": 2})
    data = post(client, "/api/v1/cart/", {"product": other.pk, "quantity": 3}).json()

    assert data["total"] == 2 * 15000 + 3 * 5000 and data["line_count"] == 2
    first, second = data["sellers"]
    assert first["enterprise"] == {"slug": enterprise.slug, "name": enterprise.name}
    assert first["subtotal"] == 30000
    assert first["lines"][0]["product"]["id"] == product.pk
    assert first["lines"][0]["quantity"] == 2 and first["lines"][0]["problem"] == ""
    assert second["lines"][0]["total"] == 15000

    # Setting again replaces the quantity; 0 removes the line.
    again = post(client, "/api/v1/cart/", {"product": product.pk, "quantity": 5}).json()
    assert again["sellers"][0]["lines"][0]["quantity"] == 5
    removed = post(client, "/api/v1/cart/", {"product": other.pk, "quantity": 0}).json()
    assert removed["line_count"] == 1


@pytest.mark.parametrize(("data", "field"), [
    ({"quantity": 1}, "product"),
    ({"product": "abc", "quantity": 1}, "product"),
    ({"product": 999999, "quantity": 1}, "product"),
    ({"quantity": 1, "product": None}, "product"),
    ({"product": "PRODUCT", "quantity": -1}, "quantity"),
    ({"product": "PRODUCT", "quantity": "dua"}, "quantity"),
    ({"product": "PRODUCT"}, "quantity"),
    ({"product": "PRODUCT", "quantity": 21}, "non_field_errors"),  # more than the stock
])
def test_bad_cart_input_is_a_400_with_field_errors(client, buyer, shop, data, field):
    product = shop[2]
    data = {key: product.pk if value == "PRODUCT" else value for key, value in data.items()}

    response = post(client, "/api/v1/cart/", data)

    assert_api_error(response, 400, field)
    assert not CartLine.objects.exists()


def test_a_product_no_longer_sold_cannot_be_added(client, buyer, shop):
    product = shop[2]
    Product.objects.filter(pk=product.pk).update(is_active=False)

    response = post(client, "/api/v1/cart/", {"product": product.pk, "quantity": 1})

    body = assert_api_error(response, 400, "non_field_errors")
    assert "no longer for sale" in body["errors"]["non_field_errors"][0]


def test_removing_a_line_only_reaches_the_users_own_cart(client, buyer, shop):
    product = shop[2]
    mine = cart_with((product, 1), user=buyer).lines.get()
    theirs = cart_with((product, 1), user=UserFactory()).lines.get()

    assert client.delete(f"/api/v1/cart/lines/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/v1/cart/lines/{mine.pk}/").status_code == 204
    assert_api_error(client.delete(f"/api/v1/cart/lines/{mine.pk}/"), 404)
    assert list(CartLine.objects.all()) == [theirs]


# The buyer's orders


def checkout_data(**overrides):
    return {"payment_method": "bank_transfer", **DELIVERY, **overrides}


def test_placing_an_order_from_the_cart(client, buyer, shop):
    _seller, enterprise, product = shop
    other = ProductFactory(stock=4, price=7000)
    cart_with((product, 2), (other, 1), user=buyer)

    response = post(client, "/api/v1/orders/", checkout_data(parts=[
        {"enterprise": other.enterprise.slug, "fulfilment": "pickup",
         "note_to_seller": "Saya ambil Sabtu."},
    ]))

    assert response.status_code == 201, response.content
    data = response.json()
    order = Order.objects.get()
    assert data["number"] == order.number and order.buyer == buyer
    assert data["total"] == 37000 and data["payment_status"] == "pending"
    assert data["payment_url"] is None and data["payment_error"] == ""
    parts = {part["enterprise"]["slug"]: part for part in data["parts"]}
    assert parts[enterprise.slug]["fulfilment"] == "delivery"
    assert parts[other.enterprise.slug]["fulfilment"] == "pickup"
    assert parts[other.enterprise.slug]["note_to_seller"] == "Saya ambil Sabtu."
    assert parts[enterprise.slug]["lines"][0]["quantity"] == 2
    assert parts[enterprise.slug]["review"] is None
    assert not CartLine.objects.exists()
    product.refresh_from_db()
    assert product.stock == 18


@pytest.mark.parametrize(("overrides", "field"), [
    ({"payment_method": "bitcoin"}, "payment_method"),
    ({"payment_method": "stripe"}, "payment_method"),  # no keys in tests
    ({"phone": ""}, "phone"),
    ({"recipient_name": "x" * 121}, "recipient_name"),
    ({"address": ""}, "address"),  # delivery needs an address
    ({"parts": [{"enterprise": "nobody"}]}, "parts"),
    ({"parts": [{"enterprise": "SELLER", "fulfilment": "drone"}]}, "parts"),
    ({"parts": "pickup"}, "parts"),
    ({"buyer_enterprise": "SELLER"}, "buyer_enterprise"),  # not the buyer's own
])
def test_bad_checkout_input_is_a_400_and_nothing_is_placed(client, buyer, shop, overrides,
                                                           field):
    _seller, enterprise, product = shop
    cart_with((product, 2), user=buyer)
    replace = {"SELLER": enterprise.slug}
    if "parts" in overrides and isinstance(overrides["parts"], list):
        overrides["parts"] = [{key: replace.get(value, value) for key, value in part.items()}
                              for part in overrides["parts"]]
    overrides = {key: replace.get(value, value) if isinstance(value, str) else value
                 for key, value in overrides.items()}

    response = post(client, "/api/v1/orders/", checkout_data(**overrides))

    assert_api_error(response, 400, field)
    assert not Order.objects.exists()
    assert CartLine.objects.get().quantity == 2
    product.refresh_from_db()
    assert product.stock == 20


def test_an_empty_cart_cannot_be_ordered(client, buyer):
    body = assert_api_error(post(client, "/api/v1/orders/", checkout_data()), 400)
    assert "empty" in body["errors"]["non_field_errors"][0]


def test_not_enough_stock_is_a_400_naming_the_product(client, buyer, shop):
    product = shop[2]
    cart_with((product, 5), user=buyer)
    Product.objects.filter(pk=product.pk).update(stock=3)

    body = assert_api_error(post(client, "/api/v1/orders/", checkout_data()), 400)

    assert product.title in body["errors"]["non_field_errors"][0]
    assert not Order.objects.exists()


def test_a_buyer_sees_only_their_own_orders(client, buyer, shop):
    mine = placed_order((shop[2], 1), buyer=buyer)
    theirs = placed_order((shop[2], 1))

    listed = client.get("/api/v1/orders/").json()
    detail = client.get(f"/api/v1/orders/{mine.number}/")

    assert [row["number"] for row in listed["results"]] == [mine.number]
    assert detail.status_code == 200
    assert detail.json()["parts"][0]["lines"][0]["title"] == shop[2].title
    assert_api_error(client.get(f"/api/v1/orders/{theirs.number}/"), 404)
    # The seller of the part does not see it as an order either.
    client.force_login(shop[0])
    assert client.get(f"/api/v1/orders/{mine.number}/").status_code == 404


def test_the_order_list_costs_the_same_queries_for_3_or_10_orders(client, buyer):
    def place(count):
        for _ in range(count):
            placed_order((ProductFactory(), 1), (ProductFactory(), 2), buyer=buyer)

    place(3)
    few = queries_for(client, "/api/v1/orders/")
    place(7)
    many = queries_for(client, "/api/v1/orders/")

    assert few == many
    assert client.get("/api/v1/orders/").json()["count"] == 10


# The seller's order parts


def test_a_seller_sees_only_parts_their_enterprises_sold(client, shop):
    seller_user, enterprise, product = shop
    order = placed_order((product, 1), (ProductFactory(), 1))
    mine = order.parts.get(enterprise=enterprise)
    theirs = order.parts.exclude(enterprise=enterprise).get()
    client.force_login(seller_user)

    listed = client.get("/api/v1/order-parts/").json()

    assert [row["id"] for row in listed["results"]] == [mine.pk]
    row = listed["results"][0]
    assert row["order"]["number"] == order.number
    assert row["order"]["phone"] == DELIVERY["phone"] and row["needs_action"] is True
    assert client.get(f"/api/v1/order-parts/{mine.pk}/").status_code == 200
    assert_api_error(client.get(f"/api/v1/order-parts/{theirs.pk}/"), 404)
    # The buyer reads orders, not order parts.
    client.force_login(order.buyer)
    assert client.get(f"/api/v1/order-parts/{mine.pk}/").status_code == 404
    assert client.get("/api/v1/order-parts/").json()["count"] == 0


def test_order_parts_filter_by_status_and_enterprise(client, shop):
    seller_user, enterprise, product = shop
    placed = placed_order((product, 1)).parts.get()
    confirmed = placed_order((product, 1)).parts.get()
    orders.order_part_advance(part=confirmed, user=seller_user, to_status="confirmed")
    client.force_login(seller_user)

    def ids(**params):
        return [row["id"] for row in client.get("/api/v1/order-parts/", params).json()["results"]]

    assert ids(status="placed") == [placed.pk]
    assert ids(status="confirmed") == [confirmed.pk]
    assert ids(enterprise=enterprise.slug) == [confirmed.pk, placed.pk]
    assert ids(enterprise="somebody-else") == []
    assert_api_error(client.get("/api/v1/order-parts/", {"status": "lost"}), 400, "status")


def test_the_seller_moves_a_bank_transfer_part_to_completed(client, shop):
    seller_user, _enterprise, product = shop
    part = placed_order((product, 2)).parts.get()
    client.force_login(seller_user)
    url = f"/api/v1/order-parts/{part.pk}"

    confirmed = post(client, f"{url}/advance/", {"to_status": "confirmed"})
    too_early = post(client, f"{url}/advance/", {"to_status": "shipped"})
    paid = post(client, f"{url}/confirm-payment/")
    shipped = post(client, f"{url}/advance/", {"to_status": "shipped"})
    completed = post(client, f"{url}/advance/", {"to_status": "completed"})

    assert confirmed.json()["status"] == "confirmed"
    assert "payment" in assert_api_error(too_early, 400)["errors"]["non_field_errors"][0]
    assert paid.json()["paid_at"] is not None
    assert shipped.json()["status"] == "shipped"
    assert completed.json()["status"] == "completed" and completed.json()["completed_at"]
    assert_api_error(post(client, f"{url}/confirm-payment/"), 400)


@pytest.mark.parametrize("data", [{}, {"to_status": "flying"}, {"to_status": "placed"},
                                  {"to_status": "cancelled"}])
def test_advancing_needs_a_known_next_status(client, shop, data):
    seller_user, _enterprise, product = shop
    part = placed_order((product, 1)).parts.get()
    client.force_login(seller_user)

    assert_api_error(post(client, f"/api/v1/order-parts/{part.pk}/advance/", data), 400,
                     "to_status")
    assert OrderPart.objects.get().status == "placed"


def test_an_impossible_step_is_a_400_with_the_reason(client, shop):
    seller_user, _enterprise, product = shop
    part = placed_order((product, 1), method="cash").parts.get()
    client.force_login(seller_user)

    body = assert_api_error(post(client, f"/api/v1/order-parts/{part.pk}/advance/",
                                 {"to_status": "completed"}), 400)

    assert body["errors"]["non_field_errors"]
    assert OrderPart.objects.get().status == "placed"


def test_cancelling_needs_a_reason_and_gives_the_stock_back(client, shop):
    seller_user, _enterprise, product = shop
    part = placed_order((product, 3)).parts.get()
    client.force_login(seller_user)
    url = f"/api/v1/order-parts/{part.pk}/cancel/"

    assert_api_error(post(client, url, {}), 400, "reason")
    assert_api_error(post(client, url, {"reason": "   "}), 400, "reason")
    cancelled = post(client, url, {"reason": "Stok habis terbakar."})

    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "Stok habis terbakar."
    product.refresh_from_db()
    assert product.stock == 20


def test_a_partial_refund_through_the_api(client, shop):
    seller_user, _enterprise, product = shop
    part = placed_order((product, 3)).parts.get()
    orders.order_part_payment_confirm(part=part, user=seller_user)
    line = part.lines.get()
    client.force_login(seller_user)
    url = f"/api/v1/order-parts/{part.pk}/refund/"

    response = post(client, url, {"quantities": {str(line.pk): 1}, "reason": "Satu remuk."})

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["refunded"] == 15000 and data["amount_due"] == 30000
    assert data["lines"][0]["refunded_quantity"] == 1 and data["status"] == "placed"
    product.refresh_from_db()
    assert product.stock == 18


@pytest.mark.parametrize(("data", "field"), [
    ({"reason": "Remuk."}, "quantities"),
    ({"quantities": {"LINE": 1}}, "reason"),
    ({"quantities": {"abc": 1}, "reason": "Remuk."}, "quantities"),
    ({"quantities": {"LINE": -1}, "reason": "Remuk."}, "quantities"),
    ({"quantities": {"LINE": 0}, "reason": "Remuk."}, "quantities"),
    ({"quantities": [1, 2], "reason": "Remuk."}, "quantities"),
    ({"quantities": {"LINE": 4}, "reason": "Remuk."}, "non_field_errors"),  # only 3 bought
    ({"quantities": {"999999": 1}, "reason": "Remuk."}, "non_field_errors"),
])
def test_bad_refunds_are_a_400_and_nothing_changes(client, shop, data, field):
    seller_user, _enterprise, product = shop
    part = placed_order((product, 3)).parts.get()
    line_id = str(part.lines.get().pk)
    if isinstance(data.get("quantities"), dict):
        data["quantities"] = {line_id if key == "LINE" else key: value
                              for key, value in data["quantities"].items()}
    client.force_login(seller_user)

    assert_api_error(post(client, f"/api/v1/order-parts/{part.pk}/refund/", data), 400, field)
    assert OrderPart.objects.get().refunded == 0
    product.refresh_from_db()
    assert product.stock == 17


@pytest.mark.parametrize("action", ["confirm-payment", "advance", "cancel", "refund"])
def test_another_seller_cannot_act_on_a_part(client, shop, action):
    part = placed_order((shop[2], 1)).parts.get()
    client.force_login(seller()[0])

    response = post(client, f"/api/v1/order-parts/{part.pk}/{action}/",
                    {"to_status": "confirmed", "reason": "Iseng.",
                     "quantities": {str(part.lines.get().pk): 1}})

    assert_api_error(response, 404)
    part.refresh_from_db()
    assert (part.status, part.paid_at, part.refunded) == ("placed", None, 0)


def test_the_order_parts_list_costs_the_same_queries_for_3_or_10(client, shop):
    seller_user, _enterprise, product = shop
    client.force_login(seller_user)

    def place(count):
        for _ in range(count):
            placed_order((product, 1), (ProductFactory(enterprise=shop[1]), 1))

    place(3)
    few = queries_for(client, "/api/v1/order-parts/")
    place(7)
    many = queries_for(client, "/api/v1/order-parts/")

    assert few == many


# Reviews


def _reviewed_part(shop, *, rating, text="Bagus.", buyer=None):
    seller_user, _enterprise, product = shop
    part = placed_order((product, 1), buyer=buyer, method="cash").parts.get()
    for status in ("confirmed", "shipped", "completed"):
        part = orders.order_part_advance(part=part, user=seller_user, to_status=status)
    return review_services.review_save(part=part, user=part.order.buyer, rating=rating,
                                       text=text)


def test_reviews_are_public_with_the_first_name_only(client, shop):
    buyer = UserFactory(first_name="Dewi", last_name="Lestari", username="dewi_jkt")
    review = _reviewed_part(shop, rating=4, buyer=buyer)
    review_services.review_reply(review=review, user=shop[0], reply="Terima kasih.")

    data = client.get("/api/v1/reviews/").json()

    [row] = data["results"]
    assert row["author"] == "Dewi" and row["rating"] == 4 and row["reply"] == "Terima kasih."
    assert row["enterprise"]["slug"] == shop[1].slug
    assert "Lestari" not in str(data) and "dewi_jkt" not in str(data)
    assert buyer.email not in str(data)
    assert client.get(f"/api/v1/reviews/{review.pk}/").json()["id"] == review.pk


def test_reviews_filter_by_enterprise_and_product(client, shop):
    ours = _reviewed_part(shop, rating=5)
    other_user, other_enterprise = seller()
    other_shop = (other_user, other_enterprise, ProductFactory(enterprise=other_enterprise))
    theirs = _reviewed_part(other_shop, rating=2)

    def ids(**params):
        return [row["id"] for row in client.get("/api/v1/reviews/", params).json()["results"]]

    assert ids(enterprise=shop[1].slug) == [ours.pk]
    assert ids(product=other_shop[2].pk) == [theirs.pk]
    assert ids(product=ProductFactory().pk) == []
    assert_api_error(client.get("/api/v1/reviews/", {"product": "keripik"}), 400, "product")


def test_reviews_are_read_only_in_the_api(client, shop, buyer):
    review = _reviewed_part(shop, rating=5)
    assert client.post("/api/v1/reviews/", {"rating": 1}, content_type=JSON).status_code == 405
    assert client.delete(f"/api/v1/reviews/{review.pk}/").status_code == 405


def test_the_reviews_list_costs_the_same_queries_for_3_or_10(client, shop):
    for _ in range(3):
        _reviewed_part(shop, rating=5)
    few = queries_for(client, "/api/v1/reviews/")
    for _ in range(7):
        _reviewed_part(shop, rating=3)
    many = queries_for(client, "/api/v1/reviews/")

    assert few == many


# Schema


def test_the_schema_documents_the_order_endpoints(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]

    for path in ("/api/v1/cart/", "/api/v1/cart/lines/{line_id}/", "/api/v1/orders/",
                 "/api/v1/orders/{number}/", "/api/v1/order-parts/",
                 "/api/v1/order-parts/{id}/", "/api/v1/order-parts/{id}/advance/",
                 "/api/v1/order-parts/{id}/confirm-payment/", "/api/v1/order-parts/{id}/cancel/",
                 "/api/v1/order-parts/{id}/refund/", "/api/v1/reviews/"):
        assert path in paths, path
    assert set(paths["/api/v1/cart/"]) >= {"get", "post"}
    assert "delete" in paths["/api/v1/cart/lines/{line_id}/"]
    assert "post" in paths["/api/v1/orders/"]
    # The cart is one object, not a list.
    cart = paths["/api/v1/cart/"]["get"]["responses"]["200"]["content"][JSON]["schema"]
    assert cart == {"$ref": "#/components/schemas/Cart"}
    parameters = {p["name"] for p in paths["/api/v1/order-parts/"]["get"]["parameters"]}
    assert {"status", "enterprise", "page"} <= parameters
    parameters = {p["name"] for p in paths["/api/v1/reviews/"]["get"]["parameters"]}
    assert {"enterprise", "product"} <= parameters


def test_the_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn",
                 "--file", str(tmp_path / "schema.yml"))
