"""Checking out by card: the buyer is sent to Stripe, and can return to pay an open order."""

import pytest
import responses

from marketplace.models import Order
from tests.factories import ProductFactory, UserFactory, cart_with, placed_order

pytestmark = pytest.mark.django_db
SESSIONS = "https://api.stripe.com/v1/checkout/sessions"


@pytest.fixture(autouse=True)
def _stripe_keys(settings, english):
    settings.STRIPE_SECRET_KEY = "sk_test_guyub"


@pytest.fixture
def stripe_api():
    with responses.RequestsMock() as mock:
        yield mock


def session(url="https://checkout.stripe.com/c/pay/cs_1", status="open"):
    return {"id": "cs_1", "object": "checkout.session", "status": status, "url": url}


def test_checking_out_by_card_sends_the_buyer_to_stripe(client, stripe_api):
    buyer = UserFactory()
    product = ProductFactory(stock=5)
    cart_with((product, 2), user=buyer)
    client.force_login(buyer)
    stripe_api.post(SESSIONS, json=session())

    response = client.post("/checkout/", {
        "recipient_name": "Dewi", "phone": "081234567890", "address": "Jl. Kemang 10",
        "village": "", "notes": "", "payment_method": "stripe",
        f"fulfilment_{product.enterprise_id}": "delivery",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_1"
    assert Order.objects.get().stripe_session_id == "cs_1"


def test_stripe_down_keeps_the_order_and_offers_to_pay_again(client, stripe_api):
    order = placed_order(method="stripe")
    client.force_login(order.buyer)
    stripe_api.post(SESSIONS, status=500, json={"error": {"type": "api_error",
                                                          "message": "down"}})
    stripe_api.post(SESSIONS, status=500, json={"error": {"type": "api_error",
                                                          "message": "down"}})
    stripe_api.post(SESSIONS, status=500, json={"error": {"type": "api_error",
                                                          "message": "down"}})

    response = client.post(f"/orders/{order.number}/pay/", follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Pay now" in page
    assert Order.objects.get().payment_status == "pending"

    stripe_api.replace(responses.POST, SESSIONS, json=session())
    response = client.post(f"/orders/{order.number}/pay/")
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_1"


def test_only_the_buyer_can_pay_and_only_an_order_waiting_for_a_card(client):
    order = placed_order(method="stripe")
    client.force_login(UserFactory())
    assert client.post(f"/orders/{order.number}/pay/").status_code == 404
    transfer = placed_order()
    client.force_login(transfer.buyer)
    response = client.post(f"/orders/{transfer.number}/pay/", follow=True)
    assert "needs no card payment now" in response.content.decode()
