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
