"""Reads for bulk orders (pesanan bersama)."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from marketplace.allocation import package_count
from marketplace.models import BulkOrder, Commitment, Order, OrderLine, OrderPart


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


class PaymentState:
    """How a member's payment for its allocation stands."""

    PAID = "paid"
    AWAITING = "awaiting"  # an order is placed and not yet paid (or paid on delivery)
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class AllocationPayment:
    commitment: Commitment
    state: str
    order: Order | None  # the paid or open order paying the allocation

    @property
    def owed(self) -> int:
        return self.commitment.amount_owed or 0

    @property
    def can_pay(self) -> bool:
        return (self.commitment.bulk_order.status == BulkOrder.Status.CLOSED
                and bool(self.commitment.allocated) and self.state == PaymentState.NOT_STARTED)


def allocation_payments(*, bulk_order: BulkOrder, enterprises=None) -> list[AllocationPayment]:
    """Each commitment (of `enterprises`, or everyone's) with how its allocation is being paid,
    in commitment order: paid once the selling part is paid, awaiting while a part is open,
    otherwise not started (cancelled, expired or refunded parts do not count). Two queries
    however many members."""
    commitments = commitment_list(bulk_order=bulk_order)
    if enterprises is not None:
        commitments = commitments.filter(enterprise__in=enterprises)
    commitments = list(commitments)
    found: dict[int, tuple[str, Order]] = {}
    lines = (
        OrderLine.objects.filter(commitment__in=[commitment.pk for commitment in commitments])
        .exclude(part__status=OrderPart.Status.CANCELLED)
        .select_related("part__order")
        .order_by("pk")
    )
    for line in lines:
        state = PaymentState.PAID if line.part.paid_at else PaymentState.AWAITING
        if found.get(line.commitment_id, ("", None))[0] != PaymentState.PAID:
            found[line.commitment_id] = (state, line.part.order)
    payments = []
    for commitment in commitments:
        state, order = found.get(commitment.pk, (PaymentState.NOT_STARTED, None))
        payments.append(AllocationPayment(commitment=commitment, state=state, order=order))
    return payments


@dataclass(frozen=True)
class PaymentTotals:
    owed: int
    paid: int
    members: int
    members_paid: int


def allocation_payment_totals(payments: list[AllocationPayment]) -> PaymentTotals:
    owing = [payment for payment in payments if payment.owed]
    paid = [payment for payment in owing if payment.state == PaymentState.PAID]
    return PaymentTotals(owed=sum(payment.owed for payment in owing),
                         paid=sum(payment.owed for payment in paid),
                         members=len(owing), members_paid=len(paid))
