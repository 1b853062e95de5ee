"""The payout ledger (models.LedgerEntry): what the platform owes each seller, and how it was paid.

A paid part adds its sale and takes the platform fee; a payout (a Stripe transfer, the buyer
paying the seller directly, or the platform paying by hand) settles it. Refunds add opposite
entries, so every figure can be traced and nothing is ever edited.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from marketplace.models import LedgerEntry, OrderPart, PaymentMethod

Kind, Method = LedgerEntry.Kind, LedgerEntry.Method


def platform_fee(*, amount: int, payment_method: str) -> int:
    """The platform's fee on `amount`: PLATFORM_FEE_PERCENT of card payments, rounded down.
    Bank transfers and cash never pass through the platform, so they carry none."""
    if payment_method != PaymentMethod.STRIPE:
        return 0
    return amount * settings.PLATFORM_FEE_PERCENT // 100


def _entry(part: OrderPart, kind: str, amount: int, **fields) -> LedgerEntry | None:
    if amount == 0:
        return None
    return LedgerEntry.objects.create(enterprise_id=part.enterprise_id, part=part, kind=kind,
                                      amount=amount, **fields)


def ledger_record_payment(*, part: OrderPart, direct: bool) -> None:
    """The part is paid: the seller is owed its amount minus the fee. Paid `direct`ly (bank
    transfer to the seller, cash) it is settled at once."""
    _entry(part, Kind.SALE, part.amount_due)
    _entry(part, Kind.FEE, -part.platform_fee)
    if direct:
        _entry(part, Kind.PAYOUT, -part.amount_due, method=Method.DIRECT)


def ledger_record_transfer(*, part: OrderPart, transfer_id: str) -> None:
    _entry(part, Kind.PAYOUT, -(part.amount_due - part.platform_fee), method=Method.STRIPE,
           reference=transfer_id)


def ledger_record_refund(*, part: OrderPart, amount: int, fee_returned: int, direct: bool,
                         transfer_reversal: str = "") -> None:
    """Reverse `amount` of a paid part: the sale shrinks, the fee on it comes back, and what was
    paid out for it is taken back (the seller hands it back, or the Stripe transfer is
    reversed)."""
    _entry(part, Kind.REFUND, -amount)
    _entry(part, Kind.FEE, fee_returned)
    if direct:
        _entry(part, Kind.PAYOUT, amount, method=Method.DIRECT,
               note=_("Refunded to the buyer by the seller."))
    elif transfer_reversal:
        _entry(part, Kind.PAYOUT, amount - fee_returned, method=Method.STRIPE,
               reference=transfer_reversal, note=_("Stripe transfer reversed."))


def ledger_balance(*, enterprise: Enterprise) -> int:
    """What the platform still owes the enterprise (negative: what it owes the platform)."""
    return enterprise.ledger_entries.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def payout_record(*, enterprise: Enterprise, amount: int, reference: str, user,
                  note: str = "") -> LedgerEntry:
    """Staff record a payout the platform made by hand (a bank transfer to the seller)."""
    if not (user and user.is_staff):
        raise PermissionDenied(_("Only staff can record payouts."))
    Enterprise.objects.select_for_update().get(pk=enterprise.pk)  # one payout at a time
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if amount > ledger_balance(enterprise=enterprise):
        raise ValidationError({"amount": _("That is more than the platform owes this seller.")})
    if not reference.strip():
        raise ValidationError({"reference": _("Enter the bank transfer's reference.")})
    return LedgerEntry.objects.create(
        enterprise=enterprise, kind=Kind.PAYOUT, amount=-amount, method=Method.MANUAL,
        reference=reference.strip(), note=note.strip(), recorded_by=user,
    )
