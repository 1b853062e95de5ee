"""Reads for joint offers (joint selling)."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from marketplace.models import JointOffer, OrderLine, OrderPart, Pledge, RevenueShare


def joint_offer_list(*, cooperative) -> QuerySet[JointOffer]:
    """Collecting offers first, then orderable, then closed; newest first within each, with the
    number of pledges and the total pledged."""
    rank = Case(
        When(status=JointOffer.Status.COLLECTING, then=Value(0)),
        When(status=JointOffer.Status.ORDERABLE, then=Value(1)),
        default=Value(2), output_field=IntegerField(),
    )
    return (
        cooperative.joint_offers.annotate(
            status_rank=rank,
            pledge_count=Count("pledges"),
            pledged=Coalesce(Sum("pledges__quantity"), 0),
        )
        .select_related("product")
        .order_by("status_rank", "-created_at", "-pk")
    )


def joint_offer_detail(*, pk: int) -> JointOffer:
    return JointOffer.objects.select_related(
        "cooperative", "category", "product", "cooperative__seller"
    ).get(pk=pk)


def pledge_list(*, joint_offer: JointOffer) -> QuerySet[Pledge]:
    return joint_offer.pledges.select_related("enterprise").order_by("created_at", "pk")


def pledges_of_enterprises(*, joint_offer: JointOffer, enterprises) -> dict[int, Pledge]:
    """The given enterprises' pledges, by enterprise id."""
    pledges = joint_offer.pledges.filter(enterprise__in=enterprises)
    return {pledge.enterprise_id: pledge for pledge in pledges}


# What a line brings in after refunds.
KEPT_QUANTITY = F("quantity") - F("refunded_quantity")
KEPT_AMOUNT = (F("quantity") - F("refunded_quantity")) * F("unit_price")


@dataclass(frozen=True)
class MemberShare:
    enterprise_id: int
    name: str
    amount: int


@dataclass(frozen=True)
class JointOfferSales:
    """Completed sales of the offer's product and how their revenue was shared."""

    sale_count: int
    quantity: int
    revenue: int
    shares: list[MemberShare]
    recent: list[OrderPart]  # the latest completed parts, each with `quantity` and `amount`

    @property
    def shared(self) -> int:
        return sum(share.amount for share in self.shares)

    @property
    def fee(self) -> int:
        """What the cooperative kept: the revenue the members' shares do not cover."""
        return self.revenue - self.shared


def joint_offer_sales(*, joint_offer: JointOffer, recent: int = 10) -> JointOfferSales:
    """Sales are the offer's product in completed order parts (after refunds); shares are the
    RevenueShare rows recorded for them, summed per member. Three queries."""
    lines = OrderLine.objects.filter(product_id=joint_offer.product_id,
                                     part__status=OrderPart.Status.COMPLETED)
    totals = lines.aggregate(
        sales=Count("part", distinct=True),
        sold=Coalesce(Sum(KEPT_QUANTITY), 0),
        revenue=Coalesce(Sum(KEPT_AMOUNT), 0),
    ) if joint_offer.product_id else {"sales": 0, "sold": 0, "revenue": 0}
    shares = [
        MemberShare(enterprise_id=row["enterprise_id"], name=row["enterprise__name"],
                    amount=row["amount"])
        for row in RevenueShare.objects.filter(joint_offer=joint_offer)
        .values("enterprise_id", "enterprise__name")
        .annotate(amount=Sum("amount"))
        .order_by("-amount", "enterprise__name")
    ]
    latest = []
    if totals["sales"]:
        mine = Q(lines__product_id=joint_offer.product_id)
        latest = list(
            OrderPart.objects.filter(status=OrderPart.Status.COMPLETED,
                                     lines__product_id=joint_offer.product_id)
            .annotate(
                quantity=Sum(F("lines__quantity") - F("lines__refunded_quantity"), filter=mine),
                amount=Sum((F("lines__quantity") - F("lines__refunded_quantity"))
                           * F("lines__unit_price"), filter=mine),
            )
            .order_by("-completed_at", "-pk")[:recent]
        )
    return JointOfferSales(sale_count=totals["sales"], quantity=totals["sold"],
                           revenue=totals["revenue"], shares=shares, recent=latest)
