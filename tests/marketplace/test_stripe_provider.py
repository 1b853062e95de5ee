"""The Stripe provider, intercepted at the HTTP layer: Checkout Sessions, transfers to connected
sellers, refunds and transfer reversals, in IDR x 100 with idempotency keys."""

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import responses
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.models import LedgerEntry, Order, Refund
from marketplace.payments import provider_for
from marketplace.payments.stripe import StripeProvider, StripeUnavailable
from marketplace.services.orders import order_paid, order_part_refund
from tests.factories import ProductFactory, UserFactory, placed_order, seller

pytestmark = pytest.mark.django_db
API = "https://api.stripe.com/v1"


@pytest.fixture(autouse=True)
def _stripe_keys(settings, english):
    settings.STRIPE_SECRET_KEY = "sk_test_guyub"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_guyub"
    settings.PLATFORM_FEE_PERCENT = 5
    settings.STRIPE_CHECKOUT_MINUTES = 60


@pytest.fixture
def stripe_api():
    with responses.RequestsMock() as mock:
        yield mock


def form(call) -> dict:
    """A request's form body as {key: value} (Stripe sends nested params as a[b][c]=...)."""
    body = call.request.body or ""
    if isinstance(body, bytes):
        body = body.decode()
    return {key: values[0] for key, values in parse_qs(body).items()}


def stripe_error(code: str, status=400) -> dict:
    return {"status": status, "json": {"error": {"type": "invalid_request_error",
                                                 "code": code, "message": code}}}


def connected_seller(account="acct_seller", enabled=True):
    user, enterprise = seller()
    enterprise.stripe_account_id = account
    enterprise.stripe_payouts_enabled = enabled
    enterprise.save()
    return user, enterprise


def test_the_provider_for_card_payments_is_stripe():
    assert isinstance(provider_for("stripe"), StripeProvider)


def test_checkout_session_covers_every_line_in_idr_cents(stripe_api):
    product_a = ProductFactory(price=15000, title="Keripik Singkong")
    product_b = ProductFactory(price=42500, title="Gula Kelapa")
    buyer = UserFactory(email="dewi@example.com")
    order = placed_order((product_a, 2), (product_b, 1), buyer=buyer, method="stripe")
    stripe_api.post(f"{API}/checkout/sessions",
                    json={"id": "cs_test_1", "object": "checkout.session", "status": "open",
                          "url": "https://checkout.stripe.com/c/pay/cs_test_1"})

    url = StripeProvider().start(order=order, success_url="https://guyub.test/ok",
                                 cancel_url="https://guyub.test/cancel")

    assert url == "https://checkout.stripe.com/c/pay/cs_test_1"
    assert Order.objects.get(pk=order.pk).stripe_session_id == "cs_test_1"
    call = stripe_api.calls[0]
    assert call.request.headers["Idempotency-Key"] == f"checkout-{order.number}"
    assert call.request.headers["Authorization"] == "Bearer sk_test_guyub"
    body = form(call)
    assert body["mode"] == "payment"
    assert body["currency"] == "idr"
    assert body["client_reference_id"] == order.number
    assert body["metadata[order]"] == order.number
    assert body["payment_intent_data[transfer_group]"] == order.number
    assert body["customer_email"] == "dewi@example.com"
    assert body["success_url"] == "https://guyub.test/ok"
    assert body["cancel_url"] == "https://guyub.test/cancel"
    assert int(body["expires_at"]) == int(order.pay_by.timestamp())
    items = sorted((body[f"line_items[{i}][price_data][product_data][name]"],
                    int(body[f"line_items[{i}][price_data][unit_amount]"]),
                    int(body[f"line_items[{i}][quantity]"]),
                    body[f"line_items[{i}][price_data][currency]"]) for i in range(2))
    assert items == [("Gula Kelapa", 4250000, 1, "idr"), ("Keripik Singkong", 1500000, 2, "idr")]
    assert sum(amount * quantity for _, amount, quantity, _ in items) == order.total * 100
    assert "line_items[2][quantity]" not in body


def test_an_order_too_long_for_checkout_is_listed_per_seller(stripe_api, monkeypatch):
    monkeypatch.setattr("marketplace.payments.stripe.MAX_LINE_ITEMS", 2)
    _user, enterprise = seller(name="Tempe Bu Ani")
    order = placed_order(*[(ProductFactory(enterprise=enterprise, price=1000), 1)
                           for _ in range(3)], method="stripe")
    stripe_api.post(f"{API}/checkout/sessions",
                    json={"id": "cs_1", "object": "checkout.session", "url": "https://s.test"})

    StripeProvider().start(order=order, success_url="https://a.test", cancel_url="https://b.test")

    body = form(stripe_api.calls[0])
    assert body["line_items[0][price_data][unit_amount]"] == "300000"
    assert body["line_items[0][quantity]"] == "1"
    assert "Tempe Bu Ani" in body["line_items[0][price_data][product_data][name]"]
    assert "line_items[1][quantity]" not in body


def test_a_session_expires_no_sooner_than_stripe_allows(stripe_api):
    order = placed_order(method="stripe")
    Order.objects.filter(pk=order.pk).update(pay_by=timezone.now() + timedelta(minutes=5))
    order.refresh_from_db()
    stripe_api.post(f"{API}/checkout/sessions",
                    json={"id": "cs_1", "object": "checkout.session", "url": "https://s.test"})

    StripeProvider().start(order=order, success_url="https://a.test", cancel_url="https://b.test")

    expires_at = int(form(stripe_api.calls[0])["expires_at"])
    assert expires_at >= (timezone.now() + timedelta(minutes=30)).timestamp()


def test_starting_again_reuses_the_open_session(stripe_api):
    order = placed_order(method="stripe")
    Order.objects.filter(pk=order.pk).update(stripe_session_id="cs_open")
    order.refresh_from_db()
    stripe_api.get(f"{API}/checkout/sessions/cs_open",
                   json={"id": "cs_open", "object": "checkout.session", "status": "open",
                         "url": "https://checkout.stripe.com/c/pay/cs_open"})

    url = StripeProvider().start(order=order, success_url="https://a.test",
                                 cancel_url="https://b.test")

    assert url == "https://checkout.stripe.com/c/pay/cs_open"
    assert [call.request.method for call in stripe_api.calls] == ["GET"]


def test_stripe_refusing_a_session_is_a_message_and_saves_nothing(stripe_api):
    order = placed_order(method="stripe")
    stripe_api.post(f"{API}/checkout/sessions", **stripe_error("amount_too_small"))

    with pytest.raises(ValidationError) as raised:
        StripeProvider().start(order=order, success_url="https://a.test",
                               cancel_url="https://b.test")

    assert isinstance(raised.value, StripeUnavailable)
    assert "try again" in raised.value.messages[0]
    assert Order.objects.get(pk=order.pk).stripe_session_id == ""


def paid_part(*, enterprise, price=100000, quantity=1, charge="ch_1"):
    order = placed_order((ProductFactory(enterprise=enterprise, price=price), quantity),
                         method="stripe")
    order.stripe_payment_intent_id, order.stripe_charge_id = "pi_1", charge
    order.save()
    part = order.parts.select_related("order", "enterprise").get()
    part.platform_fee = part.subtotal * 5 // 100
    return part


def test_pay_out_transfers_the_share_after_the_fee_from_the_charge(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise, price=100000, quantity=2)
    stripe_api.post(f"{API}/transfers", json={"id": "tr_1", "object": "transfer"})

    assert StripeProvider().pay_out(part=part) == "tr_1"

    call = stripe_api.calls[0]
    assert call.request.headers["Idempotency-Key"] == f"transfer-{part.pk}"
    body = form(call)
    assert body["amount"] == str((200000 - 10000) * 100)
    assert body["currency"] == "idr"
    assert body["destination"] == "acct_seller"
    assert body["transfer_group"] == part.order.number
    assert body["source_transaction"] == "ch_1"
    assert body["metadata[part]"] == str(part.pk)


def test_pay_out_without_a_charge_id_leaves_the_source_out(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise, charge="")
    stripe_api.post(f"{API}/transfers", json={"id": "tr_2", "object": "transfer"})

    assert StripeProvider().pay_out(part=part) == "tr_2"
    assert "source_transaction" not in form(stripe_api.calls[0])


@pytest.mark.parametrize(("account", "enabled"), [("", False), ("acct_new", False)])
def test_sellers_not_ready_for_transfers_are_paid_by_hand(stripe_api, account, enabled):
    _user, enterprise = connected_seller(account=account, enabled=enabled)
    part = paid_part(enterprise=enterprise)

    assert StripeProvider().pay_out(part=part) == ""
    assert len(stripe_api.calls) == 0


def test_a_refused_transfer_leaves_the_payout_to_the_platform(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise)
    stripe_api.post(f"{API}/transfers", **stripe_error("insufficient_funds"))

    assert StripeProvider().pay_out(part=part) == ""


def test_refund_returns_the_amount_on_the_payment_intent(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise)
    stripe_api.post(f"{API}/refunds", json={"id": "re_1", "object": "refund"})

    assert StripeProvider().refund(part=part, amount=30000, idempotency_key="refund-9") == "re_1"

    call = stripe_api.calls[0]
    assert call.request.headers["Idempotency-Key"] == "refund-9"
    body = form(call)
    assert (body["payment_intent"], body["amount"]) == ("pi_1", "3000000")
    assert (body["metadata[order]"], body["metadata[part]"]) == (part.order.number,
                                                                 str(part.pk))


def test_a_charge_refunded_in_stripes_dashboard_needs_no_second_refund(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise)
    stripe_api.post(f"{API}/refunds", **stripe_error("charge_already_refunded"))

    assert StripeProvider().refund(part=part, amount=30000, idempotency_key="refund-1") == ""


def test_a_refused_refund_is_a_message_so_nothing_is_recorded(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise)
    stripe_api.post(f"{API}/refunds", **stripe_error("amount_too_large"))

    with pytest.raises(StripeUnavailable):
        StripeProvider().refund(part=part, amount=30000, idempotency_key="refund-1")


def test_nothing_to_refund_before_stripe_was_paid(stripe_api):
    part = placed_order(method="stripe").parts.select_related("order").get()

    assert StripeProvider().refund(part=part, amount=1000, idempotency_key="refund-1") == ""
    assert len(stripe_api.calls) == 0


def test_reverse_pay_out_takes_the_share_back_from_the_transfer(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise)
    part.stripe_transfer_id = "tr_9"
    stripe_api.post(f"{API}/transfers/tr_9/reversals",
                    json={"id": "trr_1", "object": "transfer_reversal"})

    reversal = StripeProvider().reverse_pay_out(part=part, amount=28500,
                                                idempotency_key="reversal-3")

    assert reversal == "trr_1"
    call = stripe_api.calls[0]
    assert call.request.headers["Idempotency-Key"] == "reversal-3"
    assert form(call)["amount"] == "2850000"


def test_reverse_pay_out_without_a_transfer_or_when_refused(stripe_api):
    _user, enterprise = connected_seller()
    part = paid_part(enterprise=enterprise)
    assert StripeProvider().reverse_pay_out(part=part, amount=100, idempotency_key="k") == ""
    assert len(stripe_api.calls) == 0

    part.stripe_transfer_id = "tr_gone"
    stripe_api.post(f"{API}/transfers/tr_gone/reversals", **stripe_error("balance_insufficient"))
    assert StripeProvider().reverse_pay_out(part=part, amount=100, idempotency_key="k") == ""


def test_paying_then_refunding_through_the_spine_moves_money_both_ways(stripe_api):
    """order_paid transfers to the connected seller; a partial refund refunds the buyer and
    takes the seller's share (after the returned fee) back from that transfer."""
    seller_user, enterprise = connected_seller()
    product = ProductFactory(enterprise=enterprise, price=100000, stock=5)
    order = placed_order((product, 2), method="stripe")
    stripe_api.post(f"{API}/transfers", json={"id": "tr_1", "object": "transfer"})
    stripe_api.post(f"{API}/refunds", json={"id": "re_1", "object": "refund"})
    stripe_api.post(f"{API}/transfers/tr_1/reversals",
                    json={"id": "trr_1", "object": "transfer_reversal"})

    assert order_paid(order=order, payment_intent_id="pi_1", charge_id="ch_1")
    part = order.parts.get()
    assert part.stripe_transfer_id == "tr_1"
    transfer = form(stripe_api.calls[0])
    assert (transfer["amount"], transfer["source_transaction"]) == (str(190000 * 100), "ch_1")

    line = part.lines.get()
    refund = order_part_refund(part=part, user=seller_user, quantities={line.pk: 1},
                               reason="Satu bungkus rusak")

    assert refund.stripe_refund_id == "re_1"
    refund_call, reversal_call = stripe_api.calls[1], stripe_api.calls[2]
    assert refund_call.request.headers["Idempotency-Key"] == f"refund-{refund.pk}"
    assert form(refund_call)["amount"] == str(100000 * 100)
    # The fee on the refunded Rp 100.000 (Rp 5.000) comes back to the buyer from the platform.
    assert form(reversal_call)["amount"] == str(95000 * 100)
    assert reversal_call.request.headers["Idempotency-Key"] == f"reversal-{refund.pk}"
    assert Refund.objects.filter(part=part).count() == 1
    assert sum(LedgerEntry.objects.filter(part=part).values_list("amount", flat=True)) == 0
