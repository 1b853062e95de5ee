"""Stripe webhook events, each handled exactly once.

The event id is stored (StripeEvent, unique) in the same transaction as the work it causes, so
a redelivered event finds its id taken and does nothing, and a failure stores neither. Handlers
only move an order forward (the spine's order_paid and order_release refuse to act twice), so
events arriving out of order or replayed are harmless too. An event that names no known order
or account is logged and acknowledged: Stripe would otherwise retry it for days.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from marketplace.models import Order, OrderPart, PaymentMethod, Refund, StripeEvent
from marketplace.payments.stripe import (
    CURRENCY,
    charge_refunds,
    connect_account_sync,
    payment_latest_charge,
    refund_late_payment,
    to_stripe_amount,
)
from marketplace.services.orders import order_paid, order_part_cancel, order_release

logger = logging.getLogger(__name__)

PROCESSED, DUPLICATE, IGNORED = "processed", "duplicate", "ignored"
PaymentStatus = Order.PaymentStatus


def _order_for_session(session: dict) -> Order | None:
    orders = Order.objects.filter(payment_method=PaymentMethod.STRIPE)
    number = session.get("client_reference_id") or (session.get("metadata") or {}).get("order")
    order = orders.filter(number=number).first() if number else None
    if order is None and session.get("id"):
        order = orders.filter(stripe_session_id=session["id"]).first()
    if order is None:
        logger.warning("Stripe session %s names no known order (%r)", session.get("id"), number)
    return order


def _is_current_session(order: Order, session: dict) -> bool:
    """An older session of the order ending says nothing about the one the buyer uses now."""
    return not order.stripe_session_id or order.stripe_session_id == session.get("id")


def _session_paid(session: dict) -> None:
    order = _order_for_session(session)
    if order is None:
        return
    if (session.get("amount_total") != to_stripe_amount(order.total)
            or (session.get("currency") or "").lower() != CURRENCY):
        logger.error("Stripe session %s paid %s %s for order %s of Rp %s: not marked paid",
                     session.get("id"), session.get("amount_total"), session.get("currency"),
                     order.number, order.total)
        return
    payment_intent_id = session.get("payment_intent") or ""
    charge_id = payment_latest_charge(payment_intent_id=payment_intent_id)
    if order_paid(order=order, payment_intent_id=payment_intent_id, charge_id=charge_id):
        return
    order.refresh_from_db(fields=["payment_status", "stripe_payment_intent_id"])
    released = order.payment_status in (PaymentStatus.EXPIRED, PaymentStatus.FAILED)
    if released and payment_intent_id and order.stripe_payment_intent_id != payment_intent_id:
        refund_late_payment(order=order, payment_intent_id=payment_intent_id)


def checkout_session_completed(session: dict) -> None:
    # Bank debits and the like complete first and pay later (async_payment_succeeded).
    if session.get("payment_status") == "paid":
        _session_paid(session)


def checkout_session_async_payment_succeeded(session: dict) -> None:
    _session_paid(session)


def _session_released(session: dict, *, status: str) -> None:
    order = _order_for_session(session)
    if order is not None and _is_current_session(order, session):
        order_release(order=order, status=status)


def checkout_session_async_payment_failed(session: dict) -> None:
    _session_released(session, status=PaymentStatus.FAILED)


def checkout_session_expired(session: dict) -> None:
    _session_released(session, status=PaymentStatus.EXPIRED)


def charge_refunded(charge: dict) -> None:
    """A refund Guyub did not make (from Stripe's dashboard) that returned the whole charge:
    the order's open parts are cancelled, so stock, ledger and payouts follow. Guyub's own
    refunds are already recorded (Refund.stripe_refund_id, or our metadata while the refund's
    transaction is still open); partial outside refunds cannot be matched to items, so they
    are only logged."""
    ids = [value for value in (charge.get("id"), charge.get("payment_intent")) if value]
    order = Order.objects.filter(
        Q(stripe_charge_id__in=ids) | Q(stripe_payment_intent_id__in=ids)
    ).first() if ids else None
    if order is None:
        logger.warning("Stripe charge %s refunded: no known order", charge.get("id"))
        return
    recorded = set(Refund.objects.filter(part__order=order).exclude(stripe_refund_id="")
                   .values_list("stripe_refund_id", flat=True))
    outside = [refund for refund in charge_refunds(charge_id=charge["id"])
               if refund["id"] not in recorded and "order" not in (refund.get("metadata") or {})]
    if not outside:
        return
    if not charge.get("refunded"):
        logger.warning("Order %s was partly refunded outside Guyub (%s); settle it by hand",
                       order.number, ", ".join(refund["id"] for refund in outside))
        return
    for part in order.parts.filter(status__in=OrderPart.OPEN_STATUSES):
        try:
            order_part_cancel(part=part, user=None,
                              reason=_("Refunded in full by the platform through Stripe."))
        except ValidationError as error:
            # Closed meanwhile (the spine re-checks under a lock): nothing left to cancel.
            logger.info("Order part %s not cancelled after refund: %s", part.pk, error)


def account_updated(account: dict) -> None:
    enterprise = Enterprise.objects.filter(stripe_account_id=account.get("id") or "-").first()
    if enterprise is None:
        logger.warning("Stripe account %s is not any enterprise's", account.get("id"))
        return
    connect_account_sync(enterprise=enterprise)


HANDLERS = {
    "checkout.session.completed": checkout_session_completed,
    "checkout.session.async_payment_succeeded": checkout_session_async_payment_succeeded,
    "checkout.session.async_payment_failed": checkout_session_async_payment_failed,
    "checkout.session.expired": checkout_session_expired,
    "charge.refunded": charge_refunded,
    "account.updated": account_updated,
}


def stripe_event_handle(*, event: dict) -> str:
    """Handle one verified event: PROCESSED, DUPLICATE (already handled) or IGNORED (a type
    Guyub does not use). Raises StripeUnavailable (nothing stored) when Stripe must retry."""
    handler = HANDLERS.get(event["type"])
    if handler is None:
        return IGNORED
    if StripeEvent.objects.filter(event_id=event["id"]).exists():
        return DUPLICATE  # skip the handler's calls to Stripe
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event["id"], type=event["type"])
        except IntegrityError:
            return DUPLICATE  # delivered twice at once; the other delivery does the work
        handler(event["data"]["object"])
    return PROCESSED
