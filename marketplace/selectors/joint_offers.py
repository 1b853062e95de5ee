"""Reads for joint offers (joint selling)."""

from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from marketplace.models import JointOffer, Pledge


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
