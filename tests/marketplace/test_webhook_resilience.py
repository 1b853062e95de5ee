"""Stripe webhooks under failure: a delivery whose handling breaks half-way stores nothing and
asks Stripe (with a JSON 5xx) to deliver again, and the retry does the work once; the same event
delivered twice at the same moment is handled once; events arriving out of order move an order
only forward. (tests/marketplace/test_stripe_webhooks.py covers signatures and each event.)"""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection
from django.test import Client

from marketplace.models import LedgerEntry, Order, StripeEvent
from marketplace.payments import webhooks
from marketplace.services import orders as order_services
from tests.marketplace import test_stripe_webhooks as webhook_tests
from tests.marketplace.test_stripe_webhooks import (
    calls_to,
    deliver,
    event,
    mock_payment,
    session,
    stock,
)

# The webhook tests' fixtures: Stripe's keys set, its API intercepted, a card order placed.
_stripe_keys = webhook_tests._stripe_keys
stripe_api = webhook_tests.stripe_api
card_order = webhook_tests.card_order

pytestmark = pytest.mark.django_db


def ledger(order) -> int:
    return LedgerEntry.objects.filter(part__order=order).count()


def assert_untouched(order):
    """Nothing of a failed delivery is left: the order waits for payment, no money moved in
    the ledger, and the event id is free so Stripe's retry is handled in full."""
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.payment_status, fresh.paid_at, fresh.stripe_charge_id) == ("pending", None, "")
    assert fresh.parts.get().paid_at is None
    assert ledger(order) == 0
    assert not StripeEvent.objects.exists()


def fail_after(monkeypatch, name: str, error: Exception) -> list:
    """Make marketplace.services.orders.<name> do its work, then raise `error` (the database
    going away between two writes of the same transaction). Returns the calls made."""
    real, calls = getattr(order_services, name), []

    def broken(*args, **kwargs):
        calls.append(real(*args, **kwargs))
        raise error

    monkeypatch.setattr(order_services, name, broken)
    return calls


# --- A delivery that fails half-way --------------------------------------------------------------


def test_a_database_error_half_way_stores_nothing_and_the_retry_pays_once(
        client, card_order, stripe_api, monkeypatch, caplog):
    mock_payment(stripe_api)
    payload = event("checkout.session.completed", session(card_order), event_id="evt_half")
    # The order is already marked paid, the sale and fee are in the ledger and the transfer
    # was sent to Stripe when the connection drops.
    calls = fail_after(monkeypatch, "ledger_record_transfer",
                       OperationalError("server closed the connection unexpectedly"))

    failed = deliver(client, payload)

    assert len(calls) == 1
    assert failed.status_code == 503
    assert failed["Content-Type"] == "application/json"
    assert failed.json() == {"message": "Try again later.", "errors": {}}
    assert_untouched(card_order)
    assert stock(card_order.product) == 8  # still reserved for the buyer
    assert "evt_half not handled yet" in caplog.text

    monkeypatch.undo()
    retried = deliver(client, payload)

    assert (retried.status_code, retried.json()) == (200, {"status": "processed"})
    order = Order.objects.get(pk=card_order.pk)
    assert (order.payment_status, order.stripe_charge_id) == ("paid", "ch_1")
    assert ledger(card_order) == 3
    assert StripeEvent.objects.filter(event_id="evt_half").count() == 1
    # Both attempts asked Stripe for the seller's transfer with the same idempotency key, so
    # Stripe made one transfer, and the ledger records it once.
    transfers = calls_to(stripe_api, "POST", "/transfers")
    assert len(transfers) == 2
    assert {call.request.headers["Idempotency-Key"] for call in transfers} == {
        f"transfer-{order.parts.get().pk}"}
    assert deliver(client, payload).json() == {"status": "duplicate"}


def test_a_bug_in_a_handler_is_a_json_500_that_stripe_retries(client, card_order, stripe_api,
                                                              monkeypatch, caplog):
    mock_payment(stripe_api)
    payload = event("checkout.session.completed", session(card_order), event_id="evt_bug")
    fail_after(monkeypatch, "ledger_record_payment", KeyError("fee"))

    failed = deliver(client, payload)

    assert failed.status_code == 500
    assert failed.json() == {"message": "The event could not be handled.", "errors": {}}
    assert b"Traceback" not in failed.content
    assert_untouched(card_order)
    assert "Stripe event evt_bug failed" in caplog.text

    monkeypatch.undo()
    assert deliver(client, payload).json() == {"status": "processed"}
    assert ledger(card_order) == 3


def test_the_database_gone_before_handling_is_a_503_too(client, card_order, monkeypatch):
    def unreachable(**kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(webhooks.StripeEvent.objects, "filter", unreachable)

    response = deliver(client, event("checkout.session.expired", session(
        card_order, payment_status="unpaid", status="expired", payment_intent=None)))

    assert response.status_code == 503
    assert response.json()["message"] == "Try again later."
    monkeypatch.undo()
    assert Order.objects.get(pk=card_order.pk).payment_status == "pending"
    assert stock(card_order.product) == 8


def test_a_release_that_fails_half_way_gives_no_stock_back(client, card_order, monkeypatch):
    """Cancelling the part gives its stock back; the error after it undoes both."""
    payload = event("checkout.session.expired", session(
        card_order, payment_status="unpaid", status="expired", payment_intent=None))
    real_cancel = order_services._cancel

    def cancel_then_fail(*args, **kwargs):
        real_cancel(*args, **kwargs)
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(order_services, "_cancel", cancel_then_fail)

    assert deliver(client, payload).status_code == 503
    assert stock(card_order.product) == 8
    assert Order.objects.get(pk=card_order.pk).parts.get().status == "placed"
    assert_untouched(card_order)

    monkeypatch.undo()
    assert deliver(client, payload).json() == {"status": "processed"}
    assert stock(card_order.product) == 10
    assert Order.objects.get(pk=card_order.pk).payment_status == "expired"


# --- Out of order --------------------------------------------------------------------------------


def test_a_late_unpaid_completed_event_does_not_undo_a_payment(client, card_order, stripe_api):
    """A bank debit: Stripe's "completed" (still unpaid) retried after "succeeded" landed."""
    mock_payment(stripe_api)
    deliver(client, event("checkout.session.async_payment_succeeded", session(card_order)))
    late = deliver(client, event("checkout.session.completed",
                                 session(card_order, payment_status="unpaid")))

    assert late.json() == {"status": "processed"}
    assert Order.objects.get(pk=card_order.pk).payment_status == "paid"
    assert ledger(card_order) == 3


def test_a_late_failure_event_does_not_release_a_paid_order(client, card_order, stripe_api):
    mock_payment(stripe_api)
    deliver(client, event("checkout.session.async_payment_succeeded", session(card_order)))
    late = deliver(client, event("checkout.session.async_payment_failed",
                                 session(card_order, payment_status="unpaid")))

    assert late.status_code == 200
    order = Order.objects.get(pk=card_order.pk)
    assert (order.payment_status, order.parts.get().status) == ("paid", "placed")
    assert stock(card_order.product) == 8
    assert ledger(card_order) == 3


def test_a_failed_delivery_retried_after_a_later_event(client, card_order, stripe_api,
                                                       monkeypatch):
    """"completed" fails; "expired" for an older session arrives; then "completed" is retried:
    the buyer's payment is still recorded, once."""
    mock_payment(stripe_api)
    paid = event("checkout.session.completed", session(card_order), event_id="evt_paid")
    fail_after(monkeypatch, "ledger_record_payment", OperationalError("connection lost"))
    assert deliver(client, paid).status_code == 503
    monkeypatch.undo()

    deliver(client, event("checkout.session.expired",
                          session(card_order, payment_status="unpaid", session_id="cs_old")))
    assert deliver(client, paid).json() == {"status": "processed"}

    assert Order.objects.get(pk=card_order.pk).payment_status == "paid"
    assert ledger(card_order) == 3


# --- The same event twice at once ----------------------------------------------------------------


class _Both:
    """StripeEvent whose "already handled?" check waits until both deliveries have asked, so
    both find the id free and race to store it, as two web processes would."""

    def __init__(self, barrier: threading.Barrier):
        self.barrier = barrier
        self.DoesNotExist = StripeEvent.DoesNotExist
        self.objects = self

    def filter(self, **lookups):
        found = StripeEvent.objects.filter(**lookups).exists()
        self.barrier.wait(timeout=10)
        return _Answer(found)

    def create(self, **fields):
        return StripeEvent.objects.create(**fields)


class _Answer:
    def __init__(self, found: bool):
        self.found = found

    def exists(self) -> bool:
        return self.found


def _deliver_in_thread(body: str) -> tuple[int, dict]:
    try:
        response = deliver(Client(), body)
        return response.status_code, response.json()
    finally:
        connection.close()  # each thread has its own connection


@pytest.mark.django_db(transaction=True)
def test_the_same_event_delivered_twice_at_once_is_handled_once(card_order, stripe_api,
                                                                monkeypatch):
    mock_payment(stripe_api)
    monkeypatch.setattr(webhooks, "StripeEvent", _Both(threading.Barrier(2)))
    body = json.dumps(event("checkout.session.completed", session(card_order),
                            event_id="evt_twice"))

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(_deliver_in_thread, [body, body]))

    # One delivery stored the id and paid; the other waited on the id's unique index, then
    # found it taken.
    assert sorted((status, body["status"]) for status, body in answers) == [
        (200, "duplicate"), (200, "processed")]
    assert Order.objects.get(pk=card_order.pk).payment_status == "paid"
    assert ledger(card_order) == 3
    assert StripeEvent.objects.filter(event_id="evt_twice").count() == 1
    assert len(calls_to(stripe_api, "POST", "/transfers")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_success_events_at_once_pay_the_order_once(card_order, stripe_api):
    """Different events, same payment: the order's row lock orders them."""
    mock_payment(stripe_api)
    bodies = [json.dumps(event(kind, session(card_order), event_id=f"evt_{n}"))
              for n, kind in enumerate(["checkout.session.completed",
                                        "checkout.session.async_payment_succeeded"])]

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(_deliver_in_thread, bodies))

    assert answers == [(200, {"status": "processed"})] * 2
    assert Order.objects.get(pk=card_order.pk).payment_status == "paid"
    assert ledger(card_order) == 3
    assert StripeEvent.objects.count() == 2
    assert len(calls_to(stripe_api, "POST", "/transfers")) == 1
