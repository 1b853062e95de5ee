"""Stripe webhooks at /payments/stripe/webhook/, signed with Stripe's real scheme
(t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>.<payload>">): verified, each event handled once,
replays and out-of-order delivery harmless; Stripe's API intercepted at the HTTP layer."""

import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs

import pytest
import responses
from django.urls import reverse

from marketplace.models import LedgerEntry, Order, OrderPart, Product, Refund, StripeEvent
from tests.factories import ProductFactory, placed_order, seller

pytestmark = pytest.mark.django_db
API = "https://api.stripe.com/v1"
SECRET = "whsec_guyub"
URL = "/payments/stripe/webhook/"


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_guyub"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.PLATFORM_FEE_PERCENT = 5


@pytest.fixture
def stripe_api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def sign(payload: str, *, secret=SECRET, timestamp=None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(),
                      hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict, event_id=None) -> dict:
    return {"id": event_id or f"evt_{event_type}_{obj.get('id')}", "object": "event",
            "type": event_type, "api_version": "2025-01-27.acacia", "created": int(time.time()),
            "livemode": False, "data": {"object": obj}}


def deliver(client, payload: dict | str, *, signature=None):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    headers = {} if signature is False else {"Stripe-Signature": signature or sign(body)}
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def session(order: Order, *, payment_status="paid", session_id="cs_test_1", **fields) -> dict:
    return {"id": session_id, "object": "checkout.session", "client_reference_id": order.number,
            "metadata": {"order": order.number}, "payment_status": payment_status,
            "status": "complete", "amount_total": order.total * 100, "currency": "idr",
            "payment_intent": "pi_1", **fields}


def form(call) -> dict:
    return {key: values[0] for key, values in parse_qs(call.request.body or "").items()}


def mock_payment(stripe_api, *, transfer=True):
    stripe_api.get(f"{API}/payment_intents/pi_1",
                   json={"id": "pi_1", "object": "payment_intent", "latest_charge": "ch_1"})
    if transfer:
        stripe_api.post(f"{API}/transfers", json={"id": "tr_1", "object": "transfer"})


def calls_to(stripe_api, method: str, path: str) -> list:
    return [call for call in stripe_api.calls
            if call.request.method == method and call.request.url.split("?")[0] == API + path]


@pytest.fixture
def card_order():
    """A card order of 2 x Rp 50.000 from a seller with a connected Stripe account."""
    seller_user, enterprise = seller(stripe_account_id="acct_seller",
                                     stripe_payouts_enabled=True)
    product = ProductFactory(enterprise=enterprise, price=50000, stock=10)
    order = placed_order((product, 2), method="stripe")
    Order.objects.filter(pk=order.pk).update(stripe_session_id="cs_test_1")
    order.refresh_from_db()
    order.seller_user, order.product = seller_user, product
    return order


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).stock


# --- Verification --------------------------------------------------------------------------------


@pytest.mark.parametrize("signature", [
    False,  # no header at all
    "t=123,v1=deadbeef",
    "nonsense",
    sign("{}", secret="whsec_other"),
], ids=["missing", "wrong-digest", "garbage", "other-secret"])
def test_a_bad_or_missing_signature_is_refused(client, card_order, signature):
    payload = event("checkout.session.completed", session(card_order))
    response = deliver(client, payload, signature=signature)

    assert response.status_code == 400
    assert response.json()["message"] == "Invalid signature."
    assert not StripeEvent.objects.exists()
    assert Order.objects.get(pk=card_order.pk).payment_status == "pending"


def test_a_tampered_or_stale_payload_is_refused(client, card_order):
    payload = json.dumps(event("checkout.session.completed", session(card_order)))
    tampered = payload.replace('"amount_total": 10000000', '"amount_total": 1')
    assert tampered != payload
    assert deliver(client, tampered, signature=sign(payload)).status_code == 400
    stale = sign(payload, timestamp=int(time.time()) - 3600)
    assert deliver(client, payload, signature=stale).status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[]", '{"id": "evt_1"}', '{"type": "x"}'])
def test_a_signed_payload_that_is_not_an_event_is_a_400(client, body):
    response = deliver(client, body)

    assert response.status_code == 400
    assert response.json() == {"message": "Invalid payload.", "errors": {}}


def test_the_connect_endpoints_own_secret_is_accepted_too(client, settings, stripe_api):
    settings.STRIPE_WEBHOOK_SECRET = f"whsec_platform, {SECRET}"
    payload = json.dumps(event("customer.created", {"id": "cus_1"}))

    assert deliver(client, payload).status_code == 200
    assert deliver(client, payload, signature=sign(payload, secret="whsec_platform")
                   ).status_code == 200
    assert deliver(client, payload, signature=sign(payload, secret="whsec_x")
                   ).status_code == 400


def test_without_stripe_the_endpoint_does_not_exist(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert deliver(client, event("account.updated", {"id": "acct_1"})).status_code == 404


def test_without_a_webhook_secret_every_event_is_refused(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = deliver(client, event("account.updated", {"id": "acct_1"}))

    assert response.status_code == 400
    assert response.json()["message"] == "Webhook signing secret is not configured."


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405
    assert reverse("stripe_webhook") == URL


def test_unknown_event_types_are_acknowledged_and_ignored(client):
    response = deliver(client, event("customer.created", {"id": "cus_1"}))

    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    assert not StripeEvent.objects.exists()


# --- Checkout completed, replays and out-of-order delivery ---------------------------------------


def test_a_completed_session_pays_the_order_and_transfers_once(client, card_order, stripe_api):
    mock_payment(stripe_api)
    payload = event("checkout.session.completed", session(card_order), event_id="evt_paid")

    first = deliver(client, payload)
    entries = LedgerEntry.objects.filter(part__order=card_order).count()
    replay = deliver(client, payload)

    assert (first.status_code, first.json()) == (200, {"status": "processed"})
    assert (replay.status_code, replay.json()) == (200, {"status": "duplicate"})
    order = Order.objects.get(pk=card_order.pk)
    assert (order.payment_status, order.stripe_payment_intent_id, order.stripe_charge_id) == (
        "paid", "pi_1", "ch_1")
    part = order.parts.get()
    assert part.paid_at is not None
    assert (part.platform_fee, part.stripe_transfer_id) == (5000, "tr_1")
    # sale, fee, Stripe payout: once, however often the event arrives.
    assert entries == 3
    assert LedgerEntry.objects.filter(part__order=card_order).count() == 3
    transfers = calls_to(stripe_api, "POST", "/transfers")
    assert len(transfers) == 1
    assert transfers[0].request.headers["Idempotency-Key"] == f"transfer-{part.pk}"
    body = form(transfers[0])
    assert (body["amount"], body["currency"], body["destination"]) == (
        str(95000 * 100), "idr", "acct_seller")
    assert (body["transfer_group"], body["source_transaction"]) == (card_order.number, "ch_1")
    assert StripeEvent.objects.filter(event_id="evt_paid").count() == 1
    # The replay was answered without asking Stripe anything.
    assert len(calls_to(stripe_api, "GET", "/payment_intents/pi_1")) == 1


def test_a_second_success_event_for_a_paid_order_changes_nothing(client, card_order, stripe_api):
    mock_payment(stripe_api)
    deliver(client, event("checkout.session.completed", session(card_order), event_id="evt_1"))
    again = deliver(client, event("checkout.session.async_payment_succeeded",
                                  session(card_order), event_id="evt_2"))

    assert again.json() == {"status": "processed"}
    assert LedgerEntry.objects.filter(part__order=card_order).count() == 3
    assert len(calls_to(stripe_api, "POST", "/transfers")) == 1
    assert StripeEvent.objects.count() == 2


def test_expired_after_completed_does_nothing(client, card_order, stripe_api):
    mock_payment(stripe_api)
    deliver(client, event("checkout.session.completed", session(card_order)))
    response = deliver(client, event("checkout.session.expired",
                                     session(card_order, payment_status="paid",
                                             status="expired")))

    assert response.json() == {"status": "processed"}
    order = Order.objects.get(pk=card_order.pk)
    assert order.payment_status == "paid"
    assert order.parts.get().status == "placed"
    assert stock(card_order.product) == 8


def test_an_expired_session_releases_the_stock(client, card_order):
    assert stock(card_order.product) == 8
    response = deliver(client, event("checkout.session.expired",
                                      session(card_order, payment_status="unpaid",
                                              status="expired", payment_intent=None)))

    assert response.json() == {"status": "processed"}
    order = Order.objects.get(pk=card_order.pk)
    assert order.payment_status == "expired"
    assert order.parts.get().status == "cancelled"
    assert stock(card_order.product) == 10
    assert not LedgerEntry.objects.filter(part__order=card_order).exists()


def test_an_old_sessions_expiry_does_not_release_the_current_one(client, card_order):
    deliver(client, event("checkout.session.expired",
                          session(card_order, payment_status="unpaid", session_id="cs_old")))

    assert Order.objects.get(pk=card_order.pk).payment_status == "pending"
    assert stock(card_order.product) == 8


def test_an_async_payment_waits_then_succeeds(client, card_order, stripe_api):
    mock_payment(stripe_api)
    deliver(client, event("checkout.session.completed",
                          session(card_order, payment_status="unpaid")))
    assert Order.objects.get(pk=card_order.pk).payment_status == "pending"
    assert not stripe_api.calls

    deliver(client, event("checkout.session.async_payment_succeeded", session(card_order)))

    assert Order.objects.get(pk=card_order.pk).payment_status == "paid"
    assert LedgerEntry.objects.filter(part__order=card_order).count() == 3


def test_an_async_payment_that_fails_releases_the_order(client, card_order):
    response = deliver(client, event("checkout.session.async_payment_failed",
                                     session(card_order, payment_status="unpaid")))

    assert response.status_code == 200
    order = Order.objects.get(pk=card_order.pk)
    assert order.payment_status == "failed"
    assert order.parts.get().status == "cancelled"
    assert stock(card_order.product) == 10


def test_money_arriving_for_a_released_order_goes_back(client, card_order, stripe_api):
    mock_payment(stripe_api)
    stripe_api.post(f"{API}/refunds", json={"id": "re_late", "object": "refund"})
    deliver(client, event("checkout.session.expired", session(card_order,
                                                              payment_status="unpaid")))

    deliver(client, event("checkout.session.completed", session(card_order)))

    assert Order.objects.get(pk=card_order.pk).payment_status == "expired"
    refunds = calls_to(stripe_api, "POST", "/refunds")
    assert len(refunds) == 1
    assert form(refunds[0])["payment_intent"] == "pi_1"
    assert refunds[0].request.headers["Idempotency-Key"] == "late-payment-pi_1"
    assert not calls_to(stripe_api, "POST", "/transfers")
    assert stock(card_order.product) == 10


def test_a_session_for_another_amount_does_not_pay_the_order(client, card_order, stripe_api):
    response = deliver(client, event("checkout.session.completed",
                                     session(card_order, amount_total=100)))

    assert response.status_code == 200
    assert Order.objects.get(pk=card_order.pk).payment_status == "pending"
    assert not stripe_api.calls


def test_an_event_for_an_unknown_order_is_logged_not_an_error(client, card_order, caplog):
    unknown = session(card_order, client_reference_id="GY-NOSUCH", metadata={},
                      session_id="cs_nobody")
    response = deliver(client, event("checkout.session.completed", unknown))

    assert response.status_code == 200
    assert "names no known order" in caplog.text
    assert Order.objects.get(pk=card_order.pk).payment_status == "pending"


def test_stripe_unreachable_while_handling_means_retry_later(client, card_order, stripe_api):
    stripe_api.get(f"{API}/payment_intents/pi_1", status=400,
                   json={"error": {"type": "invalid_request_error", "message": "nope"}})
    payload = event("checkout.session.completed", session(card_order), event_id="evt_retry")

    response = deliver(client, payload)

    assert response.status_code == 503
    assert not StripeEvent.objects.exists()
    assert Order.objects.get(pk=card_order.pk).payment_status == "pending"
    stripe_api.replace(responses.GET, f"{API}/payment_intents/pi_1",
                       json={"id": "pi_1", "object": "payment_intent", "latest_charge": "ch_1"})
    stripe_api.post(f"{API}/transfers", json={"id": "tr_1", "object": "transfer"})
    assert deliver(client, payload).json() == {"status": "processed"}
    assert Order.objects.get(pk=card_order.pk).payment_status == "paid"


# --- Refunds made in Stripe ----------------------------------------------------------------------


def pay(client, stripe_api, order):
    mock_payment(stripe_api)
    assert deliver(client, event("checkout.session.completed",
                                 session(order))).status_code == 200


def charge(order, *, refunded=True, amount_refunded=None) -> dict:
    amount = order.total * 100
    return {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount": amount,
            "amount_refunded": amount if amount_refunded is None else amount_refunded,
            "refunded": refunded, "currency": "idr"}


def test_a_full_refund_made_in_stripe_cancels_the_open_parts(client, card_order, stripe_api):
    pay(client, stripe_api, card_order)
    stripe_api.get(f"{API}/refunds", json={"object": "list", "has_more": False, "data": [
        {"id": "re_dash", "object": "refund", "amount": card_order.total * 100, "metadata": {}},
    ]})
    stripe_api.post(f"{API}/refunds", status=400, json={"error": {
        "type": "invalid_request_error", "code": "charge_already_refunded", "message": "done"}})
    stripe_api.post(f"{API}/transfers/tr_1/reversals",
                    json={"id": "trr_1", "object": "transfer_reversal"})
    payload = event("charge.refunded", charge(card_order), event_id="evt_refund")

    assert deliver(client, payload).json() == {"status": "processed"}
    assert deliver(client, payload).json() == {"status": "duplicate"}

    order = Order.objects.get(pk=card_order.pk)
    part = order.parts.get()
    assert part.status == "cancelled"
    assert (order.refunded_total, order.payment_status) == (100000, "refunded")
    assert stock(card_order.product) == 10
    refund = Refund.objects.get(part=part)
    assert (refund.amount, refund.stripe_refund_id, refund.created_by) == (100000, "", None)
    # The seller's transfer is reversed, so the ledger owes them nothing.
    reversals = calls_to(stripe_api, "POST", "/transfers/tr_1/reversals")
    assert len(reversals) == 1
    assert form(reversals[0])["amount"] == str(95000 * 100)
    assert sum(LedgerEntry.objects.filter(part=part).values_list("amount", flat=True)) == 0
    assert len(calls_to(stripe_api, "GET", "/refunds")) == 1
    assert "charge=ch_1" in calls_to(stripe_api, "GET", "/refunds")[0].request.url


def test_guyubs_own_refunds_are_not_recorded_twice(client, card_order, stripe_api):
    pay(client, stripe_api, card_order)
    part = OrderPart.objects.get(order=card_order)
    stripe_api.post(f"{API}/refunds", json={"id": "re_guyub", "object": "refund"})
    stripe_api.post(f"{API}/transfers/tr_1/reversals",
                    json={"id": "trr_1", "object": "transfer_reversal"})
    from marketplace.services.orders import order_part_cancel

    order_part_cancel(part=part, user=card_order.seller_user, reason="Stok habis")
    entries = LedgerEntry.objects.filter(part=part).count()
    stripe_api.get(f"{API}/refunds", json={"object": "list", "has_more": False, "data": [
        {"id": "re_guyub", "object": "refund", "amount": card_order.total * 100,
         "metadata": {"order": card_order.number, "part": str(part.pk)}},
    ]})

    response = deliver(client, event("charge.refunded", charge(card_order)))

    assert response.json() == {"status": "processed"}
    assert Refund.objects.filter(part=part).count() == 1
    assert LedgerEntry.objects.filter(part=part).count() == entries
    assert len(calls_to(stripe_api, "POST", "/refunds")) == 1


def test_a_guyub_refund_still_in_flight_is_recognised_by_its_metadata(client, card_order,
                                                                      stripe_api):
    pay(client, stripe_api, card_order)
    stripe_api.get(f"{API}/refunds", json={"object": "list", "has_more": False, "data": [
        {"id": "re_not_saved_yet", "object": "refund",
         "metadata": {"order": card_order.number, "part": "1"}},
    ]})

    deliver(client, event("charge.refunded", charge(card_order)))

    assert OrderPart.objects.get(order=card_order).status == "placed"
    assert not Refund.objects.exists()


def test_a_partial_refund_in_stripe_is_only_logged(client, card_order, stripe_api, caplog):
    pay(client, stripe_api, card_order)
    stripe_api.get(f"{API}/refunds", json={"object": "list", "has_more": False, "data": [
        {"id": "re_dash", "object": "refund", "amount": 100, "metadata": {}},
    ]})

    deliver(client, event("charge.refunded",
                          charge(card_order, refunded=False, amount_refunded=100)))

    assert OrderPart.objects.get(order=card_order).status == "placed"
    assert not Refund.objects.exists()
    assert "partly refunded outside Guyub" in caplog.text


def test_a_refund_of_an_unknown_charge_is_acknowledged(client, stripe_api):
    response = deliver(client, event("charge.refunded", {
        "id": "ch_other", "object": "charge", "payment_intent": "pi_other", "refunded": True}))

    assert response.json() == {"status": "processed"}
    assert not stripe_api.calls


# --- Connected accounts --------------------------------------------------------------------------


def account(account_id="acct_seller", *, payouts=True, transfers="active") -> dict:
    return {"id": account_id, "object": "account", "payouts_enabled": payouts,
            "capabilities": {"transfers": transfers}}


def test_account_updated_reads_the_accounts_current_state(client, stripe_api):
    _user, enterprise = seller(stripe_account_id="acct_seller")
    stripe_api.get(f"{API}/accounts/acct_seller", json=account())

    deliver(client, event("account.updated", account(payouts=False), event_id="evt_a1"))

    enterprise.refresh_from_db()
    assert enterprise.stripe_payouts_enabled is True

    # Later Stripe turns transfers off: the next event (even a stale one) reads that.
    stripe_api.replace(responses.GET, f"{API}/accounts/acct_seller",
                       json=account(transfers="inactive"))
    deliver(client, event("account.updated", account(), event_id="evt_a2"))

    enterprise.refresh_from_db()
    assert enterprise.stripe_payouts_enabled is False


def test_an_account_of_no_enterprise_is_acknowledged(client, stripe_api, caplog):
    response = deliver(client, event("account.updated", account("acct_unknown")))

    assert response.status_code == 200
    assert not stripe_api.calls
    assert "is not any enterprise's" in caplog.text
