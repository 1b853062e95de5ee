"""Who belongs to a cooperative and who may act for it. Every cooperative write checks these."""

from django.db.models import Count, Q, QuerySet

from enterprises.models import Cooperative, Enterprise, Membership


def cooperative_list_visible() -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(is_active=True)


def cooperative_list_cards(queryset: QuerySet[Cooperative] | None = None):
    queryset = cooperative_list_visible() if queryset is None else queryset
    return queryset.select_related("regency", "province", "logo").annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True
        )
    )


def membership_list_active(*, cooperative: Cooperative) -> QuerySet[Membership]:
    return cooperative.memberships.filter(status=Membership.Status.ACTIVE).select_related(
        "enterprise", "enterprise__regency"
    )


def member_enterprises_for_user(*, user, cooperative: Cooperative) -> QuerySet[Enterprise]:
    """The user's enterprises that are active members of `cooperative` (usually one)."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(
        memberships__user=user,
        cooperative_memberships__cooperative=cooperative,
        cooperative_memberships__status=Membership.Status.ACTIVE,
    ).distinct()


def enterprise_is_member(*, enterprise: Enterprise, cooperative: Cooperative) -> bool:
    return cooperative.memberships.filter(
        enterprise=enterprise, status=Membership.Status.ACTIVE
    ).exists()


def user_is_member(*, user, cooperative: Cooperative) -> bool:
    return member_enterprises_for_user(user=user, cooperative=cooperative).exists()


def user_is_manager(*, user, cooperative: Cooperative) -> bool:
    """Managers (pengurus) are users who run an enterprise holding the manager role."""
    if not user.is_authenticated:
        return False
    return cooperative.memberships.filter(
        status=Membership.Status.ACTIVE, role=Membership.Role.MANAGER,
        enterprise__memberships__user=user,
    ).exists()


def cooperative_list_page_cards(queryset: QuerySet[Cooperative] | None = None):
    """Cards for the list page: `cooperative_list_cards` plus the logo's rendition, so a page of
    cards costs the same queries however many have logos."""
    return cooperative_list_cards(queryset).prefetch_related(_logo_renditions("logo"))


def membership_list_requests(*, cooperative: Cooperative) -> QuerySet[Membership]:
    """Applications and invitations still waiting for an answer, oldest first."""
    return cooperative.memberships.filter(
        status__in=[Membership.Status.APPLIED, Membership.Status.INVITED]
    ).select_related("enterprise", "enterprise__regency").order_by("requested_at", "pk")


def membership_list_for_user(*, user, cooperative: Cooperative) -> QuerySet[Membership]:
    """Open memberships (active, applied, invited) of the user's enterprises in `cooperative`."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return cooperative.memberships.filter(
        status__in=Membership.OPEN_STATUSES, enterprise__memberships__user=user
    ).select_related("enterprise").distinct()


def enterprise_list_can_apply(*, user, cooperative: Cooperative) -> QuerySet[Enterprise]:
    """The user's active enterprises with no open membership in `cooperative`."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    open_ids = cooperative.memberships.filter(
        status__in=Membership.OPEN_STATUSES
    ).values("enterprise_id")
    return Enterprise.objects.filter(memberships__user=user, is_active=True).exclude(
        pk__in=open_ids
    ).distinct().order_by("name")


def enterprise_list_invitable(*, cooperative: Cooperative, text: str,
                              limit: int = 10) -> list[Enterprise]:
    """Enterprises a manager can invite, found by exact slug or by name."""
    text = text.strip()
    if not text:
        return []
    open_ids = cooperative.memberships.filter(
        status__in=Membership.OPEN_STATUSES
    ).values("enterprise_id")
    by_name = Q()
    for term in text.split()[:8]:
        by_name &= Q(name__icontains=term)
    queryset = Enterprise.objects.filter(by_name | Q(slug=text), is_active=True).exclude(
        pk__in=open_ids
    )
    return list(queryset.select_related("regency").order_by("name", "pk")[:limit])


def membership_list_for_enterprises(*, enterprises) -> QuerySet[Membership]:
    """Open memberships of these enterprises, with their cooperatives (for the dashboard)."""
    return Membership.objects.filter(
        enterprise__in=enterprises, status__in=Membership.OPEN_STATUSES
    ).select_related("cooperative", "enterprise").order_by("cooperative__name", "pk")


def _logo_renditions(path: str):
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    from marketplace import images

    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=images.LOGO)
    return Prefetch(f"{path}__renditions", queryset=renditions, to_attr="prefetched_renditions")


def membership_list_member_cards(*, cooperative: Cooperative) -> QuerySet[Membership]:
    """Active members with their logos' renditions, managers first, for member lists."""
    return (
        membership_list_active(cooperative=cooperative)
        .select_related("enterprise__logo")
        .prefetch_related(_logo_renditions("enterprise__logo"))
        .order_by("role", "enterprise__name", "pk")
    )
