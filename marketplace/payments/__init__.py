"""Payment providers behind one small interface (base.PaymentProvider).

`manual` (bank transfer, cash) always works; `stripe` is offered when Stripe keys are set.
"""

from django.conf import settings

from marketplace.models import PaymentMethod
from marketplace.payments.base import PaymentProvider


def stripe_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def available_methods() -> list[PaymentMethod]:
    methods = [PaymentMethod.BANK_TRANSFER, PaymentMethod.CASH]
    if stripe_enabled():
        methods.append(PaymentMethod.STRIPE)
    return methods


def payment_start(*, order, order_url: str) -> str | None:
    """Begin paying a placed order with its provider: the URL to send the buyer to, or None
    when nothing happens online. The buyer comes back to `order_url` (`?paid=1` once paid)."""
    return provider_for(order.payment_method).start(
        order=order, success_url=f"{order_url}?paid=1", cancel_url=order_url)


def provider_for(method: str) -> PaymentProvider:
    if method == PaymentMethod.STRIPE:
        from marketplace.payments.stripe import StripeProvider

        return StripeProvider()
    from marketplace.payments.manual import ManualProvider

    return ManualProvider()
