from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, EnterpriseSkill


def enterprise_list_visible() -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(is_active=True)


def enterprise_list_cards(queryset: QuerySet[Enterprise] | None = None) -> QuerySet[Enterprise]:
    """Enterprise cards: region, logo renditions, product count and skills in fixed queries."""
    from wagtail.images import get_image_model

    from marketplace import images
    from marketplace.models import Product

    queryset = enterprise_list_visible() if queryset is None else queryset
    return (
        queryset.select_related("regency", "province")
        .prefetch_related(
            Prefetch("logo", queryset=get_image_model().objects.prefetch_renditions(images.LOGO)),
            Prefetch(
                "skills",
                queryset=EnterpriseSkill.objects.filter(is_active=True).select_related("skill"),
            ),
        )
        # A subquery counts only the enterprises on the page; a join would group every product
        # of every enterprise before the LIMIT (a second at 100,000 products).
        .annotate(product_count=Coalesce(Subquery(
            Product.objects.filter(enterprise=OuterRef("pk"), is_active=True)
            .order_by().values("enterprise").annotate(n=Count("pk")).values("n")
        ), 0))
    )


def enterprise_list_featured(*, chosen_ids: list[int], limit: int) -> list[Enterprise]:
    queryset = enterprise_list_visible()
    if chosen_ids:
        queryset = queryset.filter(pk__in=chosen_ids)
    return list(enterprise_list_cards(queryset).order_by("-created_at")[:limit])


def enterprise_list_for_user(*, user) -> QuerySet[Enterprise]:
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user).select_related("regency")


def user_can_manage_enterprise(*, user, enterprise: Enterprise) -> bool:
    """Only the people who run an enterprise may change it or its products and skills."""
    if not user.is_authenticated:
        return False
    return enterprise.memberships.filter(user=user).exists()


def enterprise_check_runs(*, user, enterprise: Enterprise) -> None:
    """PermissionDenied unless `user` runs `enterprise` (services acting for an enterprise)."""
    if not user_can_manage_enterprise(user=user, enterprise=enterprise):
        raise PermissionDenied(_("Only the people who run %(name)s may act for it.")
                               % {"name": enterprise.name})


def skill_offer_list(queryset: QuerySet[EnterpriseSkill] | None = None):
    queryset = EnterpriseSkill.objects.all() if queryset is None else queryset
    return queryset.filter(is_active=True, enterprise__is_active=True).select_related(
        "skill", "enterprise", "enterprise__regency", "enterprise__province"
    )


def user_is_program_officer(*, user) -> bool:
    """Staff and program officers (enterprises.view_network_report, given by the "Program
    officers" group) see the network report and any enterprise's income."""
    return bool(user.is_authenticated and user.is_active
                and (user.is_staff or user.has_perm("enterprises.view_network_report")))
