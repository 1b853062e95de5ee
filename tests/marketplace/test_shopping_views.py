import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import Cart, Order, OrderPart, Product
from marketplace.services.orders import order_part_advance, order_part_payment_confirm
from tests.factories import (
    DELIVERY,
    EnterpriseFactory,
    ImageFactory,
    ProductFactory,
    ProductPhotoFactory,
    UserFactory,
    cart_with,
    placed_order,
    seller,
)
from tests.helpers import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def buyer(client):
    user = UserFactory(first_name="Dewi", last_name="Lestari")
    client.force_login(user)
    return user


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def checkout_data(*sellers, **overrides) -> dict:
    data = {"recipient_name": "Dewi Lestari", "phone": "0812-3456-7890",
            "address": "Jl. Kemang Raya 10", "village": "Bangka", "notes": "",
            "payment_method": "bank_transfer"}
    for enterprise in sellers:
        data[f"fulfilment_{enterprise.pk}"] = "delivery"
        data[f"note_{enterprise.pk}"] = ""
    return data | overrides


def queries_for(client, url: str) -> int:
    client.get(url)  # warm-up: renditions are made once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Product page


def test_the_product_page_offers_the_minimum_order_up_to_the_stock(client):
    product = ProductFactory(min_order=3, stock=12)
    body = client.get(product.get_absolute_url()).content.decode()
    assert f'action="/cart/add/{product.pk}/"' in body
    assert 'value="3" min="3" max="12"' in body
    assert "Add to cart" in body


def test_a_sold_out_product_cannot_be_added(client):
    product = ProductFactory(stock=0)
    body = client.get(product.get_absolute_url()).content.decode()
    assert "Sold out for now" in body
    assert 'type="submit" disabled' in body


# Adding to the cart


def test_an_anonymous_visitor_adds_to_a_session_cart(client):
    product = ProductFactory(title="Keripik Balado", stock=10)
    response = client.post(f"/cart/add/{product.pk}/",
                           {"quantity": 2, "next": product.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert flashed(response) == ["“Keripik Balado” is in your cart."]
    cart = Cart.objects.get(pk=client.session["cart_id"])
    assert cart.user is None
    assert list(cart.lines.values_list("product_id", "quantity")) == [(product.pk, 2)]
    assert 'aria-label="1 item in the cart"' in client.get("/cart/").content.decode()


def test_adding_goes_into_the_users_own_cart(client, buyer):
    product = ProductFactory()
    client.post(f"/cart/add/{product.pk}/", {"quantity": 1})
    assert buyer.cart.lines.get().product == product
    assert "cart_id" not in client.session


@pytest.mark.parametrize("fields, quantity, message", [
    ({"min_order": 5}, 2, "“Gula Aren”: the minimum order is 5 kg."),
    ({"stock": 3}, 4, "“Gula Aren”: only 3 kg left in stock."),
])
def test_quantities_out_of_bounds_are_a_message_and_nothing_is_added(client, fields, quantity,
                                                                     message):
    product = ProductFactory(title="Gula Aren", unit="kg", **({"stock": 10} | fields))
    response = client.post(f"/cart/add/{product.pk}/", {"quantity": quantity})
    assert response.status_code == 302
    assert flashed(response) == [message]
    assert not Cart.objects.filter(lines__isnull=False).exists()


@pytest.mark.parametrize("quantity", ["", "abc", "-1"])
def test_bad_quantities_are_a_message_not_an_error(client, quantity):
    product = ProductFactory()
    response = client.post(f"/cart/add/{product.pk}/", {"quantity": quantity})
    assert response.status_code == 302
    assert flashed(response)
    assert not Cart.objects.filter(lines__isnull=False).exists()


def test_an_outside_next_address_is_ignored(client):
    product = ProductFactory()
    response = client.post(f"/cart/add/{product.pk}/",
                           {"quantity": 1, "next": "https://evil.example/"})
    assert response["Location"] == product.get_absolute_url()


def test_hidden_products_and_get_requests_are_refused(client):
    hidden = ProductFactory(is_active=False)
    assert client.post(f"/cart/add/{hidden.pk}/", {"quantity": 1}).status_code == 404
    assert client.get(f"/cart/add/{ProductFactory().pk}/").status_code == 405


# The cart page


def test_the_cart_shows_each_seller_with_a_subtotal(client, buyer):
    sari, kopi = EnterpriseFactory(name="Keripik Sari"), EnterpriseFactory(name="Kopi Sindoro")
    cart_with((ProductFactory(enterprise=sari, price=15000), 2),
              (ProductFactory(enterprise=kopi, price=85000), 1), user=buyer)
    body = client.get("/cart/").content.decode()
    assert "Keripik Sari" in body and "Kopi Sindoro" in body
    assert "Rp 30.000" in body and "Rp 85.000" in body and "Rp 115.000" in body
    assert 'href="/checkout/"' in body


def test_the_empty_cart_says_so(client):
    assert "Your cart is empty" in client.get("/cart/").content.decode()


def _cart_of_sellers(user, count: int) -> Cart:
    lines = []
    for _index in range(count):
        enterprise = EnterpriseFactory(logo=ImageFactory())
        product = ProductFactory(enterprise=enterprise)
        ProductPhotoFactory(product=product)
        lines.append((product, 1))
    return cart_with(*lines, user=user)


def test_the_cart_costs_the_same_queries_for_one_or_five_sellers(client, buyer):
    cart = _cart_of_sellers(buyer, 1)
    one = queries_for(client, "/cart/")
    cart.delete()
    _cart_of_sellers(buyer, 5)
    assert queries_for(client, "/cart/") == one


def test_a_line_is_updated_and_removed(client, buyer):
    product = ProductFactory(stock=10)
    cart = cart_with((product, 1), user=buyer)
    line = cart.lines.get()
    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": 4})
    assert response["Location"] == "/cart/"
    line.refresh_from_db()
    assert line.quantity == 4
    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": 40})
    assert "only 10" in flashed(response)[-1]
    line.refresh_from_db()
    assert line.quantity == 4
    client.post(f"/cart/lines/{line.pk}/", {"quantity": 4, "remove": "1"})
    assert not cart.lines.exists()


def test_a_quantity_of_zero_removes_the_line(client, buyer):
    cart = cart_with((ProductFactory(), 2), user=buyer)
    client.post(f"/cart/lines/{cart.lines.get().pk}/", {"quantity": 0})
    assert not cart.lines.exists()


def test_nobody_changes_a_line_of_another_cart(client, buyer):
    other = cart_with((ProductFactory(), 2), user=UserFactory())
    line = other.lines.get()
    assert client.post(f"/cart/lines/{line.pk}/", {"quantity": 1}).status_code == 404
    client.logout()
    assert client.post(f"/cart/lines/{line.pk}/", {"remove": "1"}).status_code == 404
    line.refresh_from_db()
    assert line.quantity == 2


# Checkout


def test_checkout_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/checkout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/checkout/"


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client, buyer):
    response = client.get("/checkout/")
    assert response["Location"] == "/cart/"


def test_checkout_prefills_the_recipient_from_the_users_name(client, buyer):
    cart_with((ProductFactory(), 1), user=buyer)
    response = client.get("/checkout/")
    assert response.context["form"]["recipient_name"].value() == "Dewi Lestari"
    body = response.content.decode()
    assert "Bank transfer" in body and "Cash on delivery or pickup" in body
    assert "upload a photo" in body  # each method is explained


def test_checkout_prefills_from_the_last_order(client, buyer):
    placed_order(buyer=buyer)
    cart_with((ProductFactory(), 1), user=buyer)
    form = client.get("/checkout/").context["form"]
    assert form["address"].value() == DELIVERY["address"]
    assert form["phone"].value() == DELIVERY["phone"]


def test_checkout_offers_buying_as_an_enterprise_only_to_people_who_run_one(client):
    user, enterprise = seller(name="Toko Dewi")
    client.force_login(user)
    cart_with((ProductFactory(), 1), user=user)
    assert "Toko Dewi" in client.get("/checkout/").content.decode()
    shopper = UserFactory()
    client.force_login(shopper)
    cart_with((ProductFactory(), 1), user=shopper)
    assert "buyer_enterprise" not in client.get("/checkout/").context["form"].fields


def test_checkout_places_one_part_per_seller_takes_stock_and_empties_the_cart(client, buyer):
    sari, kopi = EnterpriseFactory(name="Keripik Sari"), EnterpriseFactory(name="Kopi Sindoro")
    chips = ProductFactory(enterprise=sari, price=15000, stock=10)
    banana = ProductFactory(enterprise=sari, price=12000, stock=10)
    coffee = ProductFactory(enterprise=kopi, price=85000, stock=5)
    cart = cart_with((chips, 2), (banana, 1), (coffee, 1), user=buyer)

    response = client.post("/checkout/", checkout_data(
        sari, kopi, **{f"fulfilment_{kopi.pk}": "pickup", f"note_{sari.pk}": "Pedas ya"}))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"
    assert order.buyer == buyer and order.total == 2 * 15000 + 12000 + 85000
    assert order.phone == "6281234567890"
    parts = {part.enterprise: part for part in order.parts.all()}
    assert set(parts) == {sari, kopi}
    assert (parts[sari].subtotal, parts[sari].fulfilment, parts[sari].note_to_seller) == (
        42000, "delivery", "Pedas ya")
    assert (parts[kopi].subtotal, parts[kopi].fulfilment) == (85000, "pickup")
    stock = dict(Product.objects.values_list("pk", "stock"))
    assert (stock[chips.pk], stock[banana.pk], stock[coffee.pk]) == (8, 9, 4)
    assert not cart.lines.exists()


def test_checkout_fails_when_stock_ran_out_meanwhile_and_keeps_the_cart(client, buyer):
    seller_enterprise = EnterpriseFactory()
    product = ProductFactory(enterprise=seller_enterprise, title="Madu Hutan", stock=5)
    cart = cart_with((product, 3), user=buyer)
    Product.objects.filter(pk=product.pk).update(stock=2)  # someone else bought meanwhile

    response = client.post("/checkout/", checkout_data(seller_enterprise))

    assert response.status_code == 200
    assert "Only 2 left of Madu Hutan." in response.content.decode()
    assert response.context["form"]["recipient_name"].value() == "Dewi Lestari"
    assert not Order.objects.exists()
    assert list(cart.lines.values_list("quantity", flat=True)) == [3]
    assert Product.objects.get(pk=product.pk).stock == 2


def test_checkout_refuses_a_bad_phone_number(client, buyer):
    enterprise = EnterpriseFactory()
    cart_with((ProductFactory(enterprise=enterprise), 1), user=buyer)
    response = client.post("/checkout/", checkout_data(enterprise, phone="12345"))
    assert response.status_code == 200
    assert "Enter an Indonesian phone number" in response.content.decode()
    assert not Order.objects.exists()


def test_delivery_needs_an_address_pickup_does_not(client, buyer):
    enterprise = EnterpriseFactory()
    cart_with((ProductFactory(enterprise=enterprise), 1), user=buyer)
    response = client.post("/checkout/", checkout_data(enterprise, address=""))
    assert "Enter the delivery address" in response.content.decode()
    assert not Order.objects.exists()
    client.post("/checkout/", checkout_data(
        enterprise, address="", **{f"fulfilment_{enterprise.pk}": "pickup"}))
    assert Order.objects.get().parts.get().fulfilment == "pickup"


def test_bank_transfer_to_a_seller_without_an_account_is_a_form_message(client, buyer):
    enterprise = EnterpriseFactory(name="Tenun Ikat", bank_account_number="")
    cart = cart_with((ProductFactory(enterprise=enterprise), 1), user=buyer)
    body = client.get("/checkout/").content.decode()
    assert "Tenun Ikat has not added a bank account" in body
    response = client.post("/checkout/", checkout_data(enterprise))
    assert "Tenun Ikat cannot take bank transfers" in response.content.decode()
    assert not Order.objects.exists() and cart.lines.exists()
    client.post("/checkout/", checkout_data(enterprise, payment_method="cash"))
    assert Order.objects.get().payment_status == "on_delivery"


def test_an_unknown_payment_method_is_refused(client, buyer):
    enterprise = EnterpriseFactory()
    cart_with((ProductFactory(enterprise=enterprise), 1), user=buyer)
    response = client.post("/checkout/", checkout_data(enterprise, payment_method="stripe"))
    assert response.status_code == 200
    assert not Order.objects.exists()


def test_a_provider_that_sends_the_buyer_away_is_followed(client, buyer, monkeypatch):
    calls = {}

    class Redirecting:
        def start(self, *, order, success_url, cancel_url):
            calls.update(order=order, success_url=success_url, cancel_url=cancel_url)
            return "https://checkout.stripe.test/session"

    monkeypatch.setattr("marketplace.payments.provider_for", lambda method: Redirecting())
    enterprise = EnterpriseFactory()
    cart_with((ProductFactory(enterprise=enterprise), 1), user=buyer)
    response = client.post("/checkout/", checkout_data(enterprise))
    order = Order.objects.get()
    assert response["Location"] == "https://checkout.stripe.test/session"
    assert calls["success_url"] == f"http://testserver/orders/{order.number}/?paid=1"
    assert calls["cancel_url"] == f"http://testserver/orders/{order.number}/"


# The buyer's orders


def test_the_order_page_shows_parts_bank_accounts_and_actions(client, buyer):
    sari = EnterpriseFactory(name="Keripik Sari", bank_name="BRI",
                             bank_account_number="0123456789012", bank_account_name="Sari")
    order = placed_order((ProductFactory(enterprise=sari, price=15000), 2), buyer=buyer)
    body = client.get(f"/orders/{order.number}/").content.decode()
    assert order.number in body and "Keripik Sari" in body
    assert "0123456789012" in body and "Rp 30.000" in body
    part = order.parts.get()
    assert f'action="/orders/{order.number}/parts/{part.pk}/proof/"' in body
    assert f'action="/orders/{order.number}/parts/{part.pk}/cancel/"' in body
    assert "received/" not in body


def test_orders_of_others_are_not_found(client, buyer):
    order = placed_order()
    part = order.parts.get()
    for url in (f"/orders/{order.number}/", f"/orders/{order.number}/receipt/",
                f"/orders/{order.number}/parts/{part.pk}/proof/"):
        assert client.get(url).status_code == 404, url
    for action in ("cancel", "received", "proof"):
        response = client.post(f"/orders/{order.number}/parts/{part.pk}/{action}/",
                               {"reason": "x"})
        assert response.status_code == 404, action
    part.refresh_from_db()
    assert part.status == "placed"


def test_anonymous_visitors_are_sent_to_log_in_for_orders(client):
    order = placed_order()
    response = client.get(f"/orders/{order.number}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_receipt_names_sellers_items_totals_and_payment(client, buyer):
    sari = EnterpriseFactory(name="Keripik Sari", village="Desa Karangsari")
    order = placed_order((ProductFactory(enterprise=sari, title="Keripik Balado",
                                         price=15000), 2), buyer=buyer)
    body = client.get(f"/orders/{order.number}/receipt/").content.decode()
    for text in ("Keripik Sari", "Desa Karangsari", "Keripik Balado", "Rp 30.000",
                 "Bank transfer", order.number, "@media print"):
        assert text in body, text


def test_the_buyer_uploads_a_transfer_proof_that_buyer_and_seller_can_see(client, buyer):
    seller_user, enterprise = seller()
    other_seller, other_enterprise = seller()
    order = placed_order((ProductFactory(enterprise=enterprise), 1),
                         (ProductFactory(enterprise=other_enterprise), 1), buyer=buyer)
    part = order.parts.get(enterprise=enterprise)
    url = f"/orders/{order.number}/parts/{part.pk}/proof/"

    response = client.post(url, {"proof": image_upload("bukti.png", fmt="PNG")})

    assert response["Location"] == f"/orders/{order.number}/"
    part.refresh_from_db()
    assert part.transfer_proof and part.proof_uploaded_at
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    client.force_login(seller_user)
    assert client.get(url).status_code == 200
    client.force_login(other_seller)  # sells another part of the same order
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_an_image_is_refused(client, buyer):
    order = placed_order(buyer=buyer)
    part = order.parts.get()
    fake = SimpleUploadedFile("bukti.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(f"/orders/{order.number}/parts/{part.pk}/proof/", {"proof": fake})
    assert response.status_code == 302
    assert flashed(response)
    part.refresh_from_db()
    assert not part.transfer_proof


def test_no_proof_means_not_found(client, buyer):
    order = placed_order(buyer=buyer)
    part = order.parts.get()
    assert client.get(f"/orders/{order.number}/parts/{part.pk}/proof/").status_code == 404


def test_the_buyer_cancels_a_placed_part_and_the_stock_comes_back(client, buyer):
    product = ProductFactory(stock=10)
    order = placed_order((product, 3), buyer=buyer)
    part = order.parts.get()
    url = f"/orders/{order.number}/parts/{part.pk}/cancel/"
    response = client.post(url, {"reason": ""})
    assert flashed(response)
    part.refresh_from_db()
    assert part.status == "placed"
    client.post(url, {"reason": "Salah pesan"})
    part.refresh_from_db()
    assert (part.status, part.cancel_reason) == ("cancelled", "Salah pesan")
    assert Product.objects.get(pk=product.pk).stock == 10


def test_the_buyer_cannot_cancel_once_the_seller_confirmed(client, buyer):
    seller_user, enterprise = seller()
    order = placed_order((ProductFactory(enterprise=enterprise), 1), buyer=buyer)
    part = order.parts.get()
    order_part_advance(part=part, user=seller_user, to_status="confirmed")
    body = client.get(f"/orders/{order.number}/").content.decode()
    assert "/cancel/" not in body
    response = client.post(f"/orders/{order.number}/parts/{part.pk}/cancel/", {"reason": "x"})
    assert "ask them to cancel" in flashed(response)[-1]
    part.refresh_from_db()
    assert part.status == "confirmed"


def test_the_buyer_confirms_receipt_of_a_shipped_part_and_may_review(client, buyer):
    seller_user, enterprise = seller()
    order = placed_order((ProductFactory(enterprise=enterprise), 1), buyer=buyer)
    part = order.parts.get()
    received = f"/orders/{order.number}/parts/{part.pk}/received/"
    response = client.post(received)
    assert flashed(response)  # not shipped yet
    part.refresh_from_db()
    assert part.status == "placed"
    order_part_advance(part=part, user=seller_user, to_status="confirmed")
    order_part_payment_confirm(part=part, user=seller_user)
    order_part_advance(part=part, user=seller_user, to_status="shipped")
    assert 'action="' + received + '"' in client.get(f"/orders/{order.number}/").content.decode()

    client.post(received)

    part.refresh_from_db()
    assert part.status == OrderPart.Status.COMPLETED
    body = client.get(f"/orders/{order.number}/").content.decode()
    assert f"/orders/{order.number}/parts/{part.pk}/review/" in body


def test_the_order_list_shows_the_buyers_orders_only(client, buyer):
    mine = placed_order(buyer=buyer)
    theirs = placed_order()
    body = client.get("/orders/").content.decode()
    assert mine.number in body and theirs.number not in body


def test_the_order_list_is_empty_at_first_and_paginated(client, buyer):
    assert "No orders yet" in client.get("/orders/").content.decode()
    product = ProductFactory(stock=100)
    for _index in range(11):
        placed_order((product, 1), buyer=buyer)
    assert len(client.get("/orders/").context["page"].object_list) == 10
    assert len(client.get("/orders/?page=2").context["page"].object_list) == 1


def _order_of_sellers(buyer, count: int) -> Order:
    return placed_order(*[(ProductFactory(), 1) for _index in range(count)], buyer=buyer)


def test_order_pages_cost_the_same_queries_for_one_or_five_sellers(client, buyer):
    small = _order_of_sellers(buyer, 1)
    counts = [queries_for(client, url) for url in (
        "/orders/", f"/orders/{small.number}/", f"/orders/{small.number}/receipt/")]
    Order.objects.filter(pk=small.pk).update(buyer=UserFactory())
    large = _order_of_sellers(buyer, 5)
    for _index in range(4):
        _order_of_sellers(buyer, 5)
    assert [queries_for(client, url) for url in (
        "/orders/", f"/orders/{large.number}/", f"/orders/{large.number}/receipt/")] == counts

