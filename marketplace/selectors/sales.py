"""Reads for the seller's side of orders: the parts an enterprise sold, what needs doing, and the
payout ledger with its running balance (what the platform owes the seller)."""

import heapq
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce
from django.utils.text import capfirst

from enterprises.models import Cooperative, Enterprise
from marketplace.models import (
    LedgerEntry,
    OrderLine,
    OrderPart,
    PaymentMethod,
    RevenueShare,
)

Status = OrderPart.Status

# Tabs of the sales list: the statuses each one shows ("action": what the seller must do next).
SALE_TABS = {
    "placed": (Status.PLACED,),
    "confirmed": (Status.CONFIRMED,),
    "sent": (Status.SHIPPED, Status.READY),
    "completed": (Status.COMPLETED,),
    "cancelled": (Status.CANCELLED,),
}

# A transfer proof the buyer uploaded that the seller has not confirmed yet.
PROOF_AWAITING = Q(
    order__payment_method=PaymentMethod.BANK_TRANSFER, paid_at__isnull=True,
    proof_uploaded_at__isnull=False, status__in=OrderPart.OPEN_STATUSES,
)
NEEDS_ACTION = Q(status=Status.PLACED) | PROOF_AWAITING


def seller_enterprises(*, user) -> QuerySet[Enterprise]:
    """The enterprises whose sales `user` handles: the ones they run."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user)


def user_can_see_ledger(*, user, enterprise: Enterprise) -> bool:
    """People who run the enterprise, and staff (who record payouts)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or enterprise.memberships.filter(user=user).exists()


def sale_list(*, user, tab: str = "", enterprise: Enterprise | None = None
              ) -> QuerySet[OrderPart]:
    """Parts sold by the user's enterprises, newest first, with everything a list row shows
    (order, seller, lines) in a fixed number of queries."""
    parts = OrderPart.objects.filter(enterprise__in=seller_enterprises(user=user))
    if enterprise is not None:
        parts = parts.filter(enterprise=enterprise)
    if tab == "action":
        parts = parts.filter(NEEDS_ACTION)
    elif tab in SALE_TABS:
        parts = parts.filter(status__in=SALE_TABS[tab])
    return (
        parts.annotate(needs_action=ExpressionWrapper(NEEDS_ACTION, output_field=BooleanField()))
        .select_related("order", "enterprise")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def sale_detail(*, user, pk: int) -> OrderPart:
    """One part sold by the user's enterprises; OrderPart.DoesNotExist for anyone else's."""
    return (
        OrderPart.objects.filter(enterprise__in=seller_enterprises(user=user))
        .select_related("order", "order__buyer", "order__buyer_enterprise", "enterprise")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related(
                "product", "commitment__bulk_order").order_by("pk")),
            "refunds",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class SaleActions:
    """What the seller may do to a part now (the services check again)."""

    confirm_payment: bool
    confirm: bool
    ship: bool
    ready: bool
    complete: bool
    cancel: bool
    refund: bool
    awaiting_payment: bool  # confirmed, but paid up front and the money is not in yet

    @property
    def any(self) -> bool:
        return any((self.confirm_payment, self.confirm, self.ship, self.ready, self.complete,
                    self.cancel, self.refund))


def sale_actions(*, part: OrderPart) -> SaleActions:
    """The buttons the seller's page offers, mirroring marketplace.services.orders' rules."""
    method = part.order.payment_method
    paid_or_cash = bool(part.paid_at) or method == PaymentMethod.CASH
    delivery = part.fulfilment == OrderPart.Fulfilment.DELIVERY
    confirmed = part.status == Status.CONFIRMED
    return SaleActions(
        confirm_payment=(method == PaymentMethod.BANK_TRANSFER and not part.paid_at
                         and part.is_open),
        confirm=part.status == Status.PLACED,
        ship=confirmed and delivery and paid_or_cash,
        ready=confirmed and not delivery and paid_or_cash,
        complete=part.status in (Status.SHIPPED, Status.READY),
        cancel=part.is_open,
        refund=(part.status != Status.CANCELLED
                and any(line.kept_quantity for line in part.lines.all())),
        awaiting_payment=confirmed and not paid_or_cash,
    )


def whatsapp_number(phone: str) -> str:
    """A buyer's phone as wa.me wants it: digits, Indonesian numbers from 0 to 62 ("" if none)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits if len(digits) >= 8 else ""


@dataclass(frozen=True)
class SalesToDo:
    """What the user's enterprises must act on. `total` counts each part once (a paid part
    awaiting confirmation is also a placed one)."""

    placed: int = 0
    paid_unconfirmed: int = 0
    proof_awaiting: int = 0
    total: int = 0


def sales_to_do(*, user) -> SalesToDo:
    """Counts for the dashboard, in one query: new parts to confirm, parts already paid (Stripe)
    still waiting for confirmation, and bank-transfer proofs to check."""
    counts = OrderPart.objects.filter(
        enterprise__in=seller_enterprises(user=user), status__in=OrderPart.OPEN_STATUSES
    ).aggregate(
        placed=Count("pk", filter=Q(status=Status.PLACED)),
        paid_unconfirmed=Count("pk", filter=Q(status=Status.PLACED, paid_at__isnull=False)),
        proof_awaiting=Count("pk", filter=PROOF_AWAITING),
        total=Count("pk", filter=NEEDS_ACTION),
    )
    return SalesToDo(**counts)


def ledger_balances(*, enterprises) -> dict[int, int]:
    """Each enterprise's balance (what the platform owes it), by id, in one query."""
    rows = (
        LedgerEntry.objects.filter(enterprise__in=enterprises)
        .values("enterprise_id").annotate(balance=Sum("amount")).order_by()
    )
    return {row["enterprise_id"]: row["balance"] for row in rows}


def ledger_entries(*, enterprise: Enterprise) -> QuerySet[LedgerEntry]:
    """The enterprise's ledger, newest first, each entry with the `running_balance` after it.
    The window runs oldest first over the whole ledger, so a page of it shows true balances."""
    return (
        enterprise.ledger_entries.select_related("part__order")
        .annotate(running_balance=Window(
            Sum("amount"), order_by=[F("created_at").asc(), F("pk").asc()],
            frame=RowRange(start=None, end=0),
        ))
        .order_by("-created_at", "-pk")
    )


def enterprises_owed() -> QuerySet[Enterprise]:
    """Enterprises the platform still owes money (after Stripe transfers and recorded payouts),
    largest balance first: the staff's payout queue."""
    return (
        Enterprise.objects.annotate(balance=Sum("ledger_entries__amount"))
        .filter(balance__gt=0)
        .select_related("regency")
        .order_by("-balance", "name")
    )


# --- A cooperative's trading enterprise: what it holds for its members ------------------------


@dataclass
class MemberMoney:
    """One member's money through the cooperative's trading enterprise."""

    enterprise_id: int
    name: str
    shares: int = 0
    share_count: int = 0
    allocations_paid: int = 0
    allocations_unpaid: int = 0
    allocation_count: int = 0


KEPT_AMOUNT = ExpressionWrapper(
    (F("quantity") - F("refunded_quantity")) * F("unit_price"), output_field=IntegerField()
)


def member_money(*, enterprise: Enterprise) -> list[MemberMoney]:
    """Per member of the cooperative `enterprise` trades for: its joint-offer revenue shares and
    its payments for bulk-order allocations, in two grouped queries."""
    members: dict[int, MemberMoney] = {}

    def member(pk: int, name: str) -> MemberMoney:
        return members.setdefault(pk, MemberMoney(enterprise_id=pk, name=name))

    shares = (
        RevenueShare.objects.filter(part__enterprise=enterprise)
        .values("enterprise_id", "enterprise__name")
        .annotate(total=Sum("amount"), count=Count("pk")).order_by()
    )
    for row in shares:
        entry = member(row["enterprise_id"], row["enterprise__name"])
        entry.shares, entry.share_count = row["total"], row["count"]

    lines = (
        OrderLine.objects.filter(part__enterprise=enterprise, commitment__isnull=False)
        .exclude(part__status=Status.CANCELLED)
        .values("commitment__enterprise_id", "commitment__enterprise__name")
        .annotate(
            paid=Coalesce(Sum(KEPT_AMOUNT, filter=Q(part__paid_at__isnull=False)), 0),
            unpaid=Coalesce(Sum(KEPT_AMOUNT, filter=Q(part__paid_at__isnull=True)), 0),
            count=Count("pk"),
        ).order_by()
    )
    for row in lines:
        entry = member(row["commitment__enterprise_id"], row["commitment__enterprise__name"])
        entry.allocations_paid, entry.allocations_unpaid = row["paid"], row["unpaid"]
        entry.allocation_count = row["count"]
    return sorted(members.values(), key=lambda m: (m.name.lower(), m.enterprise_id))


# --- CSV for the treasurer ------------------------------------------------------------------

LEDGER_CSV_COLUMNS = (
    "date", "record", "order_number", "kind", "method", "amount", "balance", "member",
    "reference", "note",
)


@dataclass(frozen=True)
class LedgerRow:
    created_at: object
    record: str  # "ledger" or "revenue_share"
    order_number: str
    kind: str
    method: str
    amount: int
    balance: int | None
    member: str
    reference: str
    note: str


def _ledger_rows(enterprise: Enterprise) -> Iterator[LedgerRow]:
    balance = 0
    entries = (
        enterprise.ledger_entries.select_related("part__order").order_by("created_at", "pk")
        .iterator(chunk_size=2000)
    )
    for entry in entries:
        balance += entry.amount
        yield LedgerRow(
            created_at=entry.created_at, record="ledger",
            order_number=entry.part.order.number if entry.part_id else "",
            kind=entry.get_kind_display(), method=entry.get_method_display(),
            amount=entry.amount, balance=balance, member="", reference=entry.reference,
            note=entry.note,
        )


def _share_rows(enterprise: Enterprise) -> Iterator[LedgerRow]:
    shares = (
        RevenueShare.objects.filter(part__enterprise=enterprise)
        .select_related("part__order", "enterprise", "joint_offer")
        .order_by("created_at", "pk").iterator(chunk_size=2000)
    )
    for share in shares:
        yield LedgerRow(
            created_at=share.created_at, record="revenue_share",
            order_number=share.part.order.number,
            kind=capfirst(RevenueShare._meta.verbose_name),
            method="", amount=share.amount, balance=None, member=share.enterprise.name,
            reference="", note=share.joint_offer.title,
        )


def ledger_csv_rows(*, enterprise: Enterprise) -> Iterator[LedgerRow]:
    """Every ledger entry (with the balance after it) and, for a cooperative's trading
    enterprise, every member revenue share, merged in date order. Both are read in chunks, so a
    long ledger streams without being held in memory."""
    if trading_cooperative(enterprise=enterprise) is None:
        return _ledger_rows(enterprise)
    return heapq.merge(_ledger_rows(enterprise), _share_rows(enterprise),
                       key=lambda row: row.created_at)


def trading_cooperative(*, enterprise: Enterprise) -> Cooperative | None:
    """The cooperative `enterprise` sells for (Cooperative.seller), or None."""
    return Cooperative.objects.filter(seller=enterprise).first()
