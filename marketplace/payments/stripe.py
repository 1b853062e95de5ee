"""Stripe: one Checkout Session on the platform's account for the whole order, then separate
transfers to the sellers that have a connected Express account (one transfer_group per order).
Sellers without one are paid by the platform by hand (the payout ledger shows what it owes).

Amounts are whole rupiah everywhere else; Stripe counts IDR in hundredths, so they are converted
here and nowhere else. Every write to Stripe carries an idempotency key, so a retry after a
timeout never charges, transfers or refunds twice.
"""

import logging
from datetime import timedelta

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from marketplace.models import Order, OrderLine
from marketplace.payments.base import PaymentProvider

logger = logging.getLogger(__name__)

CURRENCY = "idr"
# Stripe accepts a session expiry between 30 minutes and 24 hours after it is created.
SESSION_MIN = timedelta(minutes=31)
SESSION_MAX = timedelta(hours=23, minutes=59)
# Checkout takes at most 100 line items; bigger orders are listed one line per seller.
MAX_LINE_ITEMS = 100
CHECKOUT_LOCALES = {"id": "id", "en": "en"}


class StripeUnavailable(ValidationError):
    """Stripe did not do what was asked (down, or refused). A ValidationError so views show its
    message; the webhook answers 503 on it so Stripe delivers the event again later."""


def to_stripe_amount(rupiah: int) -> int:
    return rupiah * 100


def stripe_client() -> stripe.StripeClient:
    # requests, explicitly: the tests intercept Stripe at that HTTP layer.
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2,
                               http_client=stripe.RequestsClient(timeout=30))


def _unavailable(error: stripe.StripeError) -> StripeUnavailable:
    logger.warning("Stripe request failed: %s", error)
    return StripeUnavailable(_("Stripe could not be reached or refused the request. Nothing "
                               "was changed; try again in a moment."))


def _line_items(order) -> list[dict]:
    lines = list(OrderLine.objects.filter(part__order=order).select_related("part__enterprise")
                 .order_by("part_id", "pk"))
    if len(lines) <= MAX_LINE_ITEMS:
        return [{
            "quantity": line.quantity,
            "price_data": {
                "currency": CURRENCY, "unit_amount": to_stripe_amount(line.unit_price),
                "product_data": {"name": line.title[:250],
                                 "description": line.part.enterprise.name[:250]},
            },
        } for line in lines]
    parts = {}
    for line in lines:
        parts.setdefault(line.part_id, line.part)
    return [{
        "quantity": 1,
        "price_data": {
            "currency": CURRENCY, "unit_amount": to_stripe_amount(part.subtotal),
            "product_data": {"name": _("Order from %(seller)s") % {
                "seller": part.enterprise.name}},
        },
    } for part in parts.values()]


def _expires_at(order) -> int:
    now = timezone.now()
    pay_by = order.pay_by or now + timedelta(minutes=settings.STRIPE_CHECKOUT_MINUTES)
    return int(min(max(pay_by, now + SESSION_MIN), now + SESSION_MAX).timestamp())


class StripeProvider(PaymentProvider):
    name = "stripe"

    def start(self, *, order, success_url: str, cancel_url: str) -> str | None:
        """A Checkout Session for the whole order (kept on the order); its URL. Asking again
        while the session is still open gives the same session."""
        client = stripe_client()
        try:
            if order.stripe_session_id:
                session = client.v1.checkout.sessions.retrieve(order.stripe_session_id)
                return session.url if session.status == "open" else None
            params = {
                "mode": "payment",
                "currency": CURRENCY,
                "line_items": _line_items(order),
                "client_reference_id": order.number,
                "metadata": {"order": order.number},
                "payment_intent_data": {
                    "transfer_group": order.number,
                    "description": f"Guyub {order.number}",
                    "metadata": {"order": order.number},
                },
                "expires_at": _expires_at(order),
                "success_url": success_url,
                "cancel_url": cancel_url,
                "locale": CHECKOUT_LOCALES.get(translation.get_language() or "", "auto"),
            }
            if order.buyer.email:
                params["customer_email"] = order.buyer.email
            session = client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": f"checkout-{order.number}"})
        except stripe.StripeError as error:
            raise _unavailable(error) from error
        order.stripe_session_id = session.id
        Order.objects.filter(pk=order.pk).update(stripe_session_id=session.id)
        return session.url

    def pay_out(self, *, part) -> str:
        """Transfer the seller's share (after refunds and the platform fee) to their connected
        account, funded by the order's charge. '' when the seller has no account able to take
        it, or Stripe refuses: the ledger then shows what the platform still owes."""
        enterprise, order = part.enterprise, part.order
        amount = part.amount_due - part.platform_fee
        if not (enterprise.stripe_account_id and enterprise.stripe_payouts_enabled) or amount <= 0:
            return ""
        params = {
            "amount": to_stripe_amount(amount),
            "currency": CURRENCY,
            "destination": enterprise.stripe_account_id,
            "transfer_group": order.number,
            "description": f"Guyub {order.number}",
            "metadata": {"order": order.number, "part": str(part.pk)},
        }
        if order.stripe_charge_id:
            # Paid from this charge's funds: no wait for the platform's balance to settle.
            params["source_transaction"] = order.stripe_charge_id
        try:
            transfer = stripe_client().v1.transfers.create(
                params=params, options={"idempotency_key": f"transfer-{part.pk}"})
        except stripe.StripeError:
            logger.exception("Stripe transfer for order part %s failed; the platform owes it",
                             part.pk)
            return ""
        return transfer.id

    def refund(self, *, part, amount: int, idempotency_key: str) -> str:
        order = part.order
        if not order.stripe_payment_intent_id:
            return ""
        try:
            refund = stripe_client().v1.refunds.create(
                params={
                    "payment_intent": order.stripe_payment_intent_id,
                    "amount": to_stripe_amount(amount),
                    "reason": "requested_by_customer",
                    "metadata": {"order": order.number, "part": str(part.pk)},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.InvalidRequestError as error:
            if error.code == "charge_already_refunded":
                # Refunded in full from Stripe's dashboard: the money is already back.
                return ""
            raise _unavailable(error) from error
        except stripe.StripeError as error:
            raise _unavailable(error) from error
        return refund.id

    def reverse_pay_out(self, *, part, amount: int, idempotency_key: str) -> str:
        """Take the seller's share of a refund back from their transfer. '' when there was no
        transfer or Stripe refuses (say the seller already withdrew it): the ledger then
        shows the seller owing it."""
        if not part.stripe_transfer_id or amount <= 0:
            return ""
        try:
            reversal = stripe_client().v1.transfers.reversals.create(
                part.stripe_transfer_id,
                params={"amount": to_stripe_amount(amount),
                        "metadata": {"order": part.order.number, "part": str(part.pk)}},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError:
            logger.exception("Reversing transfer %s of order part %s failed",
                             part.stripe_transfer_id, part.pk)
            return ""
        return reversal.id


def refund_late_payment(*, order, payment_intent_id: str) -> str:
    """Money arrived for an order already released (its stock given back): all of it goes back
    to the buyer. The metadata marks the refund as Guyub's own for the charge.refunded event."""
    try:
        refund = stripe_client().v1.refunds.create(
            params={"payment_intent": payment_intent_id,
                    "metadata": {"order": order.number, "late_payment": "1"}},
            options={"idempotency_key": f"late-payment-{payment_intent_id}"},
        )
    except stripe.InvalidRequestError as error:
        if error.code == "charge_already_refunded":
            return ""
        raise _unavailable(error) from error
    except stripe.StripeError as error:
        raise _unavailable(error) from error
    logger.warning("Order %s was paid after it was released; refunded in full (%s)",
                   order.number, refund.id)
    return refund.id


def payment_latest_charge(*, payment_intent_id: str) -> str:
    """The charge of a payment (transfers are funded from it)."""
    if not payment_intent_id:
        return ""
    try:
        intent = stripe_client().v1.payment_intents.retrieve(payment_intent_id)
    except stripe.StripeError as error:
        raise _unavailable(error) from error
    charge = intent.latest_charge
    return charge if isinstance(charge, str) else getattr(charge, "id", "") or ""


def charge_refunds(*, charge_id: str) -> list[dict]:
    """Every refund of a charge, as plain dicts."""
    client = stripe_client()
    refunds, params = [], {"charge": charge_id, "limit": 100}
    try:
        while True:
            page = client.v1.refunds.list(params=params)
            refunds += [refund.to_dict() for refund in page.data]
            if not page.has_more or not page.data:
                return refunds
            params["starting_after"] = page.data[-1].id
    except stripe.StripeError as error:
        raise _unavailable(error) from error


# --- Stripe Connect (Express) for sellers -------------------------------------------------------


def connect_account_ensure(*, enterprise: Enterprise, email: str = "") -> Enterprise:
    """The enterprise's Express account, created once (the row lock and the idempotency key
    keep two clicks from making two accounts)."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if not locked.stripe_account_id:
            params = {
                "type": "express",
                "country": settings.STRIPE_CONNECT_COUNTRY,
                "capabilities": {"transfers": {"requested": True}},
                "business_profile": {"name": locked.name[:100]},
                "metadata": {"enterprise_id": str(locked.pk), "enterprise": locked.slug},
            }
            if email:
                params["email"] = email
            try:
                account = stripe_client().v1.accounts.create(
                    params=params,
                    options={"idempotency_key": f"connect-account-{locked.pk}"})
            except stripe.StripeError as error:
                raise _unavailable(error) from error
            locked.stripe_account_id = account.id
            locked.save(update_fields=["stripe_account_id"])
    enterprise.stripe_account_id = locked.stripe_account_id
    return enterprise


def connect_onboarding_link(*, enterprise: Enterprise, refresh_url: str, return_url: str,
                            email: str = "") -> str:
    """Where the seller fills in their details on Stripe (a one-time, short-lived link)."""
    enterprise = connect_account_ensure(enterprise=enterprise, email=email)
    try:
        link = stripe_client().v1.account_links.create(params={
            "account": enterprise.stripe_account_id,
            "type": "account_onboarding",
            "refresh_url": refresh_url,
            "return_url": return_url,
        })
    except stripe.StripeError as error:
        raise _unavailable(error) from error
    return link.url


def connect_account_sync(*, enterprise: Enterprise) -> bool:
    """Read the account's current state from Stripe (not from an event, which may be stale or
    out of order): transfers go to it only when it can take them and pay them out."""
    if not enterprise.stripe_account_id:
        return False
    try:
        account = stripe_client().v1.accounts.retrieve(enterprise.stripe_account_id)
    except stripe.StripeError as error:
        raise _unavailable(error) from error
    account = account.to_dict()
    capabilities = account.get("capabilities") or {}
    enabled = bool(account.get("payouts_enabled")) and capabilities.get("transfers") == "active"
    if enabled != enterprise.stripe_payouts_enabled:
        enterprise.stripe_payouts_enabled = enabled
        Enterprise.objects.filter(pk=enterprise.pk).update(stripe_payouts_enabled=enabled)
    return enabled
