"""What people are told about bulk orders and orders, in the site's default language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cms.services import Message, notifications_send
from marketplace.models import BulkOrder


def _rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def bulk_order_closed(*, bulk_order: BulkOrder) -> None:
    """Each committing member's people hear their allocation and what they owe, or why the
    order was cancelled."""
    url = bulk_order.get_absolute_url()
    commitments = bulk_order.commitments.select_related("enterprise").prefetch_related(
        "enterprise__memberships__user"
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for commitment in commitments:
            users = [member.user for member in commitment.enterprise.memberships.all()]
            if bulk_order.status == BulkOrder.Status.CANCELLED:
                title = _("Bulk order cancelled: %(item)s") % {"item": bulk_order.title}
                body = bulk_order.cancel_reason
            else:
                title = _("Your allocation: %(item)s") % {"item": bulk_order.title}
                body = _(
                    "%(enterprise)s receives %(allocated)s %(unit)s (committed %(quantity)s). "
                    "Amount owed: %(owed)s."
                ) % {
                    "enterprise": commitment.enterprise.name,
                    "allocated": commitment.allocated, "unit": bulk_order.get_unit_display(),
                    "quantity": commitment.quantity,
                    "owed": _rupiah(commitment.allocated * bulk_order.price_per_unit),
                }
            messages += [Message(user=user, kind="bulk_order.closed", title=title, body=body,
                                 url=url) for user in users]
    notifications_send(messages=messages)


def bulk_order_closing_soon(*, bulk_order: BulkOrder) -> None:
    from enterprises.notifications import users_of_members

    with translation.override(settings.LANGUAGE_CODE):
        notifications_send(messages=[
            Message(
                user=user, kind="bulk_order.closing_soon",
                title=_("Closing soon: %(item)s") % {"item": bulk_order.title},
                body=_("Commitments to this bulk order of %(cooperative)s close within a day. "
                       "Check or change yours now.") % {
                           "cooperative": bulk_order.cooperative.name},
                url=bulk_order.get_absolute_url(),
            )
            for user in users_of_members(cooperative=bulk_order.cooperative)
        ])


# --- Orders --------------------------------------------------------------------------------------


def _seller_users(part) -> list:
    return [member.user for member in part.enterprise.memberships.select_related("user")]


def order_placed(*, order) -> None:
    """Each seller hears of its part; the buyer gets the order number and how to pay."""
    parts = order.parts.select_related("enterprise")
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            Message(user=user, kind="order.placed",
                    title=_("New order %(number)s") % {"number": order.number},
                    body=_("%(buyer)s ordered for %(amount)s (%(method)s).") % {
                        "buyer": order.recipient_name, "amount": _rupiah(part.subtotal),
                        "method": order.get_payment_method_display()},
                    url=reverse("sale_detail", kwargs={"pk": part.pk}))
            for part in parts for user in _seller_users(part)
        ]
        messages.append(Message(
            user=order.buyer, kind="order.placed",
            title=_("Order %(number)s placed") % {"number": order.number},
            body=_("Total %(amount)s. The order page shows how to pay and each seller's "
                   "progress.") % {"amount": _rupiah(order.total)},
            url=order.get_absolute_url(),
        ))
    notifications_send(messages=messages)


def order_paid(*, order) -> None:
    parts = order.parts.select_related("enterprise").exclude(status="cancelled")
    with translation.override(settings.LANGUAGE_CODE):
        notifications_send(messages=[
            Message(user=user, kind="order.paid",
                    title=_("Order %(number)s is paid") % {"number": order.number},
                    body=_("You can prepare and send it."),
                    url=reverse("sale_detail", kwargs={"pk": part.pk}))
            for part in parts for user in _seller_users(part)
        ])


def order_released(*, order) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notifications_send(messages=[Message(
            user=order.buyer, kind="order.released",
            title=_("Order %(number)s was cancelled") % {"number": order.number},
            body=_("It was not paid, so the goods went back on sale."),
            url=order.get_absolute_url(),
        )])


PART_EVENTS = {
    "confirmed": _lazy("%(seller)s confirmed your order %(number)s."),
    "shipped": _lazy("%(seller)s sent your order %(number)s."),
    "ready": _lazy("Your order %(number)s is ready for pickup at %(seller)s."),
    "completed": _lazy("Order %(number)s from %(seller)s is complete. How was it? "
                       "You can now review the seller."),
    "paid": _lazy("%(seller)s received your payment for order %(number)s."),
    "cancelled": _lazy("Order %(number)s from %(seller)s was cancelled."),
    "refunded": _lazy("%(seller)s refunded part of order %(number)s."),
}
SELLER_EVENTS = {
    "proof": _lazy("The buyer uploaded the bank transfer proof for order %(number)s."),
    "completed": _lazy("The buyer received order %(number)s."),
    "cancelled": _lazy("Order %(number)s was cancelled."),
}


def part_changed(*, part, event: str) -> None:
    """Tell the buyer what the seller did, and the seller what the buyer did; both hear of a
    cancellation."""
    values = {"number": part.order.number, "seller": part.enterprise.name}
    with translation.override(settings.LANGUAGE_CODE):
        messages = []
        if event in PART_EVENTS and event != "proof":
            messages.append(Message(user=part.order.buyer, kind=f"order.{event}",
                                    title=str(PART_EVENTS[event]) % values,
                                    body=part.cancel_reason if event == "cancelled" else "",
                                    url=part.order.get_absolute_url()))
        if event in SELLER_EVENTS:
            messages += [Message(user=user, kind=f"order.{event}",
                                 title=str(SELLER_EVENTS[event]) % values,
                                 body=part.cancel_reason if event == "cancelled" else "",
                                 url=reverse("sale_detail", kwargs={"pk": part.pk}))
                         for user in _seller_users(part)]
    notifications_send(messages=messages)
