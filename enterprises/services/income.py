"""Income records: monthly income per enterprise and source (models.IncomeRecord)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, IncomeRecord
from enterprises.selectors import user_can_manage_enterprise


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def income_add(*, enterprise: Enterprise, month: date, amount: int,
               source: str = IncomeRecord.Source.MARKETPLACE) -> None:
    """Add `amount` (negative for a refund) to the enterprise's income for the month of `month`.
    Concurrent additions are safe: the row is created once, then incremented in the database."""
    key = {"enterprise": enterprise, "month": month_start(month), "source": source}
    if IncomeRecord.objects.filter(**key).update(amount=F("amount") + amount):
        return
    try:
        with transaction.atomic():
            IncomeRecord.objects.create(amount=amount, **key)
    except IntegrityError:  # created meanwhile by a concurrent sale
        IncomeRecord.objects.filter(**key).update(amount=F("amount") + amount)


INCOME_REPORT_MAX = 10**12  # Rp 1 trillion a month: beyond any micro-enterprise, below overflow
INCOME_REPORT_MONTHS_BACK = 36


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@transaction.atomic
def income_report(*, enterprise: Enterprise, month: date, amount: int, user) -> IncomeRecord:
    """The enterprise's own figure for its income outside Guyub in the month of `month` (the
    self-reported source). Reporting a month again replaces the figure. Sales on Guyub are
    counted apart (income_add), so they are not to be included here."""
    if not user_can_manage_enterprise(user=user, enterprise=enterprise):
        raise PermissionDenied(_("Only the people who run %(name)s may report its income.")
                               % {"name": enterprise.name})
    month = month_start(month)
    this_month = month_start(timezone.localdate())
    if month > this_month:
        raise ValidationError({"month": _("That month has not happened yet.")}, code="future")
    if _months_between(month, this_month) > INCOME_REPORT_MONTHS_BACK:
        raise ValidationError(
            {"month": _("Report months from the last %(count)d months only.")
             % {"count": INCOME_REPORT_MONTHS_BACK}}, code="too_old")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({"amount": _("Write the amount in whole rupiah.")}, code="invalid")
    if amount < 0:
        raise ValidationError({"amount": _("Income cannot be below zero. Write 0 for a month "
                                           "without income.")}, code="negative")
    if amount > INCOME_REPORT_MAX:
        raise ValidationError({"amount": _("That amount is too large. Check the number of "
                                           "zeros.")}, code="too_large")
    record, _created = IncomeRecord.objects.update_or_create(
        enterprise=enterprise, month=month, source=IncomeRecord.Source.SELF_REPORTED,
        defaults={"amount": amount},
    )
    return record
