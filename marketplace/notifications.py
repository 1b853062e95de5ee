"""What members are told when a bulk order closes, in the site's default language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

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
