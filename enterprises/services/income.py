"""Income records: monthly income per enterprise and source (models.IncomeRecord)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from enterprises.models import Enterprise, IncomeRecord


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
