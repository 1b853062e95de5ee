"""Writes for joint offers (joint selling). Pledges lock the offer row (select_for_update), so a
pledge racing the one that reaches the target is either counted before the offer turns orderable
or refused; the product is created once, in the same transaction as the pledge that fills it."""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from enterprises.models import (
    Cooperative,
    Enterprise,
    EnterpriseMember,
    Membership,
    Sector,
)
from enterprises.selectors.cooperatives import member_enterprises_for_user, user_is_manager
from enterprises.services import enterprise_create
from marketplace.models import JointOffer, Pledge
from marketplace.services import product_create

JOINT_OFFER_FIELDS = ("title", "description", "category", "grade", "unit", "target_quantity",
                      "price_per_unit", "delivery_from", "delivery_until")


def _check_manager(*, user, cooperative: Cooperative) -> None:
    if not user_is_manager(user=user, cooperative=cooperative):
        raise PermissionDenied(_("Only the cooperative's managers can do this."))


def _check_member_enterprise(*, user, enterprise: Enterprise, cooperative: Cooperative) -> None:
    if not member_enterprises_for_user(user=user, cooperative=cooperative).filter(
        pk=enterprise.pk
    ).exists():
        raise PermissionDenied(_("Only members of the cooperative can pledge."))


def _lock_collecting(joint_offer: JointOffer) -> JointOffer:
    """The offer's row, locked until the transaction ends; refused unless still collecting."""
    locked = JointOffer.objects.select_for_update().get(pk=joint_offer.pk)
    if locked.status != JointOffer.Status.COLLECTING:
        raise ValidationError(
            _("This joint offer no longer takes pledges: it is already orderable or closed."),
            code="not_collecting",
        )
    return locked


@transaction.atomic
def joint_offer_create(*, cooperative: Cooperative, user, **fields) -> JointOffer:
    _check_manager(user=user, cooperative=cooperative)
    values = {key: fields[key] for key in JOINT_OFFER_FIELDS if key in fields}
    joint_offer = JointOffer(cooperative=cooperative, created_by=user, **values)
    errors = {}
    start, end = joint_offer.delivery_from, joint_offer.delivery_until
    if start and end and end < start:
        errors["delivery_until"] = _("Delivery must end on or after the day it starts.")
    elif end and end < timezone.localdate():
        errors["delivery_until"] = _("The delivery window is already over.")
    category = values.get("category")
    if category is not None and category.parent_id is None:
        errors["category"] = _("Choose a subcategory (for example Coffee beans), not a main "
                               "category.")
    if errors:
        raise ValidationError(errors)
    joint_offer.full_clean()
    joint_offer.save()
    return joint_offer


def pledged_total(*, joint_offer: JointOffer) -> int:
    return joint_offer.pledges.aggregate(total=Sum("quantity"))["total"] or 0


@transaction.atomic
def pledge_save(*, joint_offer: JointOffer, enterprise: Enterprise, user,
                quantity: int) -> Pledge:
    """Create or change `enterprise`'s pledge while the offer collects; the pledge that brings
    the total to the target makes the offer orderable."""
    _check_member_enterprise(user=user, enterprise=enterprise, cooperative=joint_offer.cooperative)
    if quantity < 1:
        raise ValidationError(_("Pledge at least 1."))
    locked = _lock_collecting(joint_offer)
    pledge, _created = Pledge.objects.update_or_create(
        joint_offer=locked, enterprise=enterprise,
        defaults={"quantity": quantity, "pledged_by": user},
    )
    total = pledged_total(joint_offer=locked)
    if total >= locked.target_quantity:
        _make_orderable(joint_offer=locked, total=total)
        joint_offer.status, joint_offer.product = locked.status, locked.product
    return pledge


@transaction.atomic
def pledge_withdraw(*, joint_offer: JointOffer, enterprise: Enterprise, user) -> None:
    _check_member_enterprise(user=user, enterprise=enterprise, cooperative=joint_offer.cooperative)
    _lock_collecting(joint_offer)
    Pledge.objects.filter(joint_offer=joint_offer, enterprise=enterprise).delete()


def _manager_users(cooperative: Cooperative) -> list:
    """Users running the manager enterprises, in the order the managers joined."""
    from django.contrib.auth import get_user_model

    seen = {}
    links = EnterpriseMember.objects.filter(
        enterprise__cooperative_memberships__cooperative=cooperative,
        enterprise__cooperative_memberships__status=Membership.Status.ACTIVE,
        enterprise__cooperative_memberships__role=Membership.Role.MANAGER,
    ).order_by("enterprise__cooperative_memberships__joined_at", "pk")
    for user_id in links.values_list("user_id", flat=True):
        seen.setdefault(user_id, None)
    users = get_user_model().objects.in_bulk(list(seen))
    return [users[user_id] for user_id in seen]


def _trading_sector(cooperative: Cooperative) -> str:
    """The members' most common sector (a coffee cooperative sells coffee); services if none."""
    sectors = Counter(
        cooperative.memberships.filter(status=Membership.Status.ACTIVE).values_list(
            "enterprise__sector", flat=True
        )
    )
    return sectors.most_common(1)[0][0] if sectors else Sector.SERVICES


def cooperative_seller_ensure(*, cooperative: Cooperative) -> Enterprise:
    """The cooperative's trading enterprise, created on first need and run by its managers.
    Locks the cooperative row so two offers filling at once create only one."""
    locked = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if locked.seller_id is not None:
        cooperative.seller = locked.seller
        return locked.seller
    users = _manager_users(locked)
    if not users:
        raise ValidationError(_("The cooperative needs a manager before it can sell."))
    # Buyers reach the cooperative through a manager's WhatsApp until it sets its own.
    contact = locked.memberships.filter(
        role=Membership.Role.MANAGER, status=Membership.Status.ACTIVE
    ).exclude(enterprise__whatsapp="").values_list("enterprise__whatsapp", flat=True).first()
    seller = enterprise_create(
        user=users[0], name=locked.name, sector=_trading_sector(locked), regency=locked.regency,
        description=_("Joint sales of the members of %(name)s.") % {"name": locked.name},
        whatsapp=contact or "",
    )
    EnterpriseMember.objects.bulk_create(
        [EnterpriseMember(enterprise=seller, user=user) for user in users[1:]]
    )
    locked.seller = seller
    locked.save(update_fields=["seller"])
    cooperative.seller = seller
    return seller


def _product_description(joint_offer: JointOffer) -> str:
    lines = [joint_offer.description.strip()] if joint_offer.description.strip() else []
    if joint_offer.grade:
        lines.append(_("Grade: %(grade)s") % {"grade": joint_offer.grade})
    lines.append(_("Delivery between %(start)s and %(end)s.") % {
        "start": date_format(joint_offer.delivery_from, "DATE_FORMAT"),
        "end": date_format(joint_offer.delivery_until, "DATE_FORMAT"),
    })
    lines.append(_("Pooled from the members of %(name)s.") % {
        "name": joint_offer.cooperative.name})
    return "\n\n".join(lines)


def _make_orderable(*, joint_offer: JointOffer, total: int) -> None:
    seller = cooperative_seller_ensure(cooperative=joint_offer.cooperative)
    joint_offer.product = product_create(
        enterprise=seller, category=joint_offer.category, title=joint_offer.title,
        description=_product_description(joint_offer), price=joint_offer.price_per_unit,
        unit=joint_offer.unit, stock=total, min_order=1,
    )
    joint_offer.status = JointOffer.Status.ORDERABLE
    joint_offer.save(update_fields=["product", "status"])


def joint_offer_fee(*, joint_offer: JointOffer, revenue: int) -> int:
    """The cooperative's fee: fee_percent of the revenue, rounded down to whole rupiah."""
    return revenue * joint_offer.cooperative.joint_offer_fee_percent // 100


def joint_offer_revenue_shares(*, joint_offer: JointOffer,
                               revenue: int) -> list[tuple[Enterprise, int]]:
    """Each member's share of `revenue` (whole rupiah), in pledge order.

    The cooperative keeps `joint_offer_fee` (rounded down); the rest is split in proportion to
    each member's quantity: the delivered quantity once it is recorded for every pledge, the
    pledged quantity until then (or if nothing was delivered). Whole rupiah cannot always be
    split exactly in proportion, so the largest-remainder method is used: everyone gets the
    rounded-down proportional amount, and the few rupiah left over go one each to the members
    with the largest fractional parts (the earlier pledge first on a tie). The shares and the
    fee add up to the revenue exactly.

    Example: Rp 1.000.000 at a 5% fee, pledges 100, 100 and 100 kg: fee Rp 50.000, 950.000
    split as 316.667 + 316.667 + 316.666.
    """
    pledges = list(joint_offer.pledges.select_related("enterprise").order_by("created_at", "pk"))
    if not pledges:
        return []
    weights = [pledge.delivered_quantity for pledge in pledges]
    if None in weights or sum(weights) == 0:
        weights = [pledge.quantity for pledge in pledges]  # pledges are at least 1
    total_weight = sum(weights)
    rest = revenue - joint_offer_fee(joint_offer=joint_offer, revenue=revenue)
    amounts = [rest * weight // total_weight for weight in weights]
    remainders = [rest * weight % total_weight for weight in weights]
    left_over = rest - sum(amounts)
    by_remainder = sorted(range(len(pledges)), key=lambda index: (-remainders[index], index))
    for index in by_remainder[:left_over]:
        amounts[index] += 1
    return [(pledge.enterprise, amount) for pledge, amount in zip(pledges, amounts, strict=True)]
