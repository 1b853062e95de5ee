"""Reads for bulk orders (pesanan bersama)."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from marketplace.allocation import package_count
from marketplace.models import BulkOrder, Commitment


def bulk_order_list(*, cooperative) -> QuerySet[BulkOrder]:
    """Open orders first (soonest deadline first), then closed or cancelled ones, newest first."""
    is_open = Q(status=BulkOrder.Status.OPEN)
    return (
        cooperative.bulk_orders.annotate(
            open_rank=Case(When(is_open, then=Value(0)), default=Value(1),
                           output_field=IntegerField()),
            open_deadline=Case(When(is_open, then=F("deadline"))),
            commitment_count=Count("commitments"),
            total_quantity=Coalesce(Sum("commitments__quantity"), 0),
        )
        .select_related("supplier_product")
        .order_by("open_rank", F("open_deadline").asc(nulls_last=True),
                  F("closed_at").desc(nulls_last=True), "-deadline", "-pk")
    )


def bulk_order_detail(*, pk: int) -> BulkOrder:
    return BulkOrder.objects.select_related(
        "cooperative", "supplier_product", "supplier_product__enterprise"
    ).get(pk=pk)


def commitment_list(*, bulk_order: BulkOrder) -> QuerySet[Commitment]:
    return bulk_order.commitments.select_related("enterprise").order_by("created_at", "pk")


def commitments_of_enterprises(*, bulk_order: BulkOrder, enterprises) -> dict[int, Commitment]:
    """The given enterprises' commitments, by enterprise id."""
    commitments = commitment_list(bulk_order=bulk_order).filter(enterprise__in=enterprises)
    return {commitment.enterprise_id: commitment for commitment in commitments}


@dataclass(frozen=True)
class Progress:
    package_size: int
    member_count: int
    total_quantity: int
    total_tolerance: int
    packages: int  # what closing now would order, tolerance included

    @property
    def full_packages(self) -> int:
        return self.total_quantity // self.package_size

    @property
    def toward_next(self) -> int:
        return self.total_quantity % self.package_size

    @property
    def needed_for_next(self) -> int:
        return self.package_size - self.toward_next


def bulk_order_progress(*, bulk_order: BulkOrder) -> Progress:
    totals = bulk_order.commitments.aggregate(
        members=Count("pk"),
        quantity=Coalesce(Sum("quantity"), 0),
        tolerance=Coalesce(Sum("tolerance"), 0),
    )
    return Progress(
        package_size=bulk_order.package_size,
        member_count=totals["members"],
        total_quantity=totals["quantity"],
        total_tolerance=totals["tolerance"],
        packages=package_count(package_size=bulk_order.package_size,
                               total_quantity=totals["quantity"],
                               total_tolerance=totals["tolerance"]),
    )
