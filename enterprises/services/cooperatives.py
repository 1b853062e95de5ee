"""Cooperatives and memberships: founding, applying, inviting, deciding, leaving and roles.

Membership rows are never deleted or reopened: each stint of an enterprise in a cooperative is its
own row with joined and left dates, because the network analysis reads who was a member when.
Writes lock the rows they decide on, so two managers clicking at once cannot both win."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.services import image_create, slug_unique
from enterprises.models import Cooperative, Enterprise, Membership, Tie
from enterprises.selectors import enterprise_check_runs
from enterprises.selectors.cooperatives import user_is_manager
from enterprises.services.ties import ties_end_between, ties_record_pairs

COOPERATIVE_FIELDS = (
    "name", "description", "regency", "year_founded", "statutes", "joint_offer_fee_percent",
)
# Paths under /cooperatives/ that a cooperative's slug must not take.
RESERVED_SLUGS = {"new"}


def _require_manager(*, user, cooperative: Cooperative) -> None:
    if not user_is_manager(user=user, cooperative=cooperative):
        raise PermissionDenied(_("Only the cooperative's managers may do this."))


def _apply_fields(*, cooperative: Cooperative, fields: dict, logo_file, user) -> None:
    for key in COOPERATIVE_FIELDS:
        if key in fields:
            setattr(cooperative, key, fields[key])
    cooperative.province = cooperative.regency.parent
    if logo_file:
        cooperative.logo = image_create(file=logo_file, title=cooperative.name, uploaded_by=user)


def _co_membership_begin(membership: Membership) -> None:
    """Joining ties the new member to every active member, from the day it joined (three
    queries however many members)."""
    others = (membership.cooperative.memberships.filter(status=Membership.Status.ACTIVE)
              .exclude(enterprise_id=membership.enterprise_id)
              .values_list("enterprise_id", flat=True))
    ties_record_pairs(kind=Tie.Kind.CO_MEMBERSHIP, enterprise=membership.enterprise,
                      others=list(others), started_on=timezone.localdate(membership.joined_at),
                      evidence=f"cooperative:{membership.cooperative_id}")


def _co_membership_end(membership: Membership) -> None:
    """Leaving ends the co-membership ties with the cooperative's members, except with those
    still in another cooperative together with the leaver (one query)."""
    leaver = membership.enterprise_id
    active = Membership.objects.filter(status=Membership.Status.ACTIVE)
    still_together = active.filter(
        cooperative__in=active.filter(enterprise_id=leaver).values("cooperative_id"),
    ).values("enterprise_id")
    others = (active.filter(cooperative_id=membership.cooperative_id)
              .exclude(enterprise_id=leaver).exclude(enterprise_id__in=still_together)
              .values("enterprise_id"))
    ties_end_between(kind=Tie.Kind.CO_MEMBERSHIP, enterprise=membership.enterprise,
                     others=others, ended_on=timezone.localdate(membership.left_at))


def _cooperative_slug(name: str) -> str:
    slug = slug_unique(model=Cooperative, text=name, max_length=160)
    if slug in RESERVED_SLUGS:
        slug = slug_unique(model=Cooperative, text=f"{name} cooperative", max_length=160)
    return slug


@transaction.atomic
def cooperative_create(*, user, enterprise: Enterprise, logo_file=None, **fields) -> Cooperative:
    """Found a cooperative; the founding enterprise, which `user` runs, is its first manager."""
    enterprise_check_runs(user=user, enterprise=enterprise)
    cooperative = Cooperative()
    _apply_fields(cooperative=cooperative, fields=fields, logo_file=logo_file, user=user)
    cooperative.slug = _cooperative_slug(cooperative.name)
    cooperative.full_clean()
    cooperative.save()
    # The founder is the only member yet: its co-membership ties come as others join.
    Membership.objects.create(
        cooperative=cooperative, enterprise=enterprise, role=Membership.Role.MANAGER,
        status=Membership.Status.ACTIVE, requested_by=user, joined_at=timezone.now(),
    )
    return cooperative


@transaction.atomic
def cooperative_update(*, cooperative: Cooperative, user, logo_file=None,
                       **fields) -> Cooperative:
    _require_manager(user=user, cooperative=cooperative)
    _apply_fields(cooperative=cooperative, fields=fields, logo_file=logo_file, user=user)
    cooperative.full_clean()
    cooperative.save()
    return cooperative


def _open_membership_error(membership: Membership) -> ValidationError:
    name = membership.enterprise.name
    messages = {
        Membership.Status.ACTIVE: _("%(name)s is already a member of this cooperative."),
        Membership.Status.APPLIED: _("%(name)s has already applied; a manager will answer."),
        Membership.Status.INVITED: _("%(name)s is already invited; the invitation waits for "
                                     "an answer."),
    }
    return ValidationError(messages[membership.status] % {"name": name}, code="open_membership")


def _membership_open(*, cooperative: Cooperative, enterprise: Enterprise, status: str,
                     user) -> Membership:
    """A new applied or invited row, unless the pair already has an open membership. The partial
    unique constraint catches a racing twin; its savepoint keeps the outer transaction usable."""
    existing = (
        Membership.objects.select_for_update()
        .filter(cooperative=cooperative, enterprise=enterprise,
                status__in=Membership.OPEN_STATUSES)
        .select_related("enterprise").first()
    )
    if existing is not None:
        raise _open_membership_error(existing)
    if not cooperative.is_active:
        raise ValidationError(_("This cooperative no longer takes new members."))
    try:
        with transaction.atomic():
            return Membership.objects.create(
                cooperative=cooperative, enterprise=enterprise, status=status, requested_by=user,
            )
    except IntegrityError:
        existing = Membership.objects.select_related("enterprise").get(
            cooperative=cooperative, enterprise=enterprise, status__in=Membership.OPEN_STATUSES,
        )
        raise _open_membership_error(existing) from None


@transaction.atomic
def membership_apply(*, cooperative: Cooperative, enterprise: Enterprise, user) -> Membership:
    """`enterprise` asks to join; a manager accepts or declines."""
    enterprise_check_runs(user=user, enterprise=enterprise)
    return _membership_open(cooperative=cooperative, enterprise=enterprise,
                            status=Membership.Status.APPLIED, user=user)


@transaction.atomic
def membership_invite(*, cooperative: Cooperative, enterprise: Enterprise, user) -> Membership:
    """A manager invites `enterprise`; the people who run it accept or decline."""
    _require_manager(user=user, cooperative=cooperative)
    return _membership_open(cooperative=cooperative, enterprise=enterprise,
                            status=Membership.Status.INVITED, user=user)


def _locked(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related(
        "cooperative", "enterprise"
    ).get(pk=membership.pk)


def _require_answerer(*, membership: Membership, user) -> None:
    """An application is answered by a manager, an invitation by the invited enterprise."""
    if membership.status == Membership.Status.APPLIED:
        _require_manager(user=user, cooperative=membership.cooperative)
    elif membership.status == Membership.Status.INVITED:
        enterprise_check_runs(user=user, enterprise=membership.enterprise)
    else:
        raise ValidationError(_("This request has already been answered."), code="answered")


@transaction.atomic
def membership_accept(*, membership: Membership, user) -> Membership:
    membership = _locked(membership)
    _require_answerer(membership=membership, user=user)
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    _co_membership_begin(membership)
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, user) -> Membership:
    membership = _locked(membership)
    _require_answerer(membership=membership, user=user)
    membership.status = Membership.Status.DECLINED
    membership.save(update_fields=["status"])
    return membership


def _lock_cooperative(cooperative: Cooperative) -> None:
    """Serialise role changes and leaving per cooperative, so two managers cannot each step down
    believing the other stays."""
    Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()


def _other_managers(membership: Membership):
    return membership.cooperative.memberships.filter(
        status=Membership.Status.ACTIVE, role=Membership.Role.MANAGER
    ).exclude(pk=membership.pk)


def _require_active(membership: Membership) -> None:
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("%(name)s is not an active member.")
                              % {"name": membership.enterprise.name}, code="not_active")


@transaction.atomic
def membership_leave(*, membership: Membership, user) -> Membership:
    """The enterprise leaves; its row keeps the dates. The last manager stays while others do."""
    _lock_cooperative(membership.cooperative)
    membership = _locked(membership)
    enterprise_check_runs(user=user, enterprise=membership.enterprise)
    _require_active(membership)
    others_remain = membership.cooperative.memberships.filter(
        status=Membership.Status.ACTIVE
    ).exclude(pk=membership.pk).exists()
    is_last_manager = (membership.role == Membership.Role.MANAGER
                       and not _other_managers(membership).exists())
    if is_last_manager and others_remain:
        raise ValidationError(
            _("You are the last manager. Make another member a manager before you leave."),
            code="last_manager",
        )
    membership.status = Membership.Status.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at"])
    _co_membership_end(membership)
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, user) -> Membership:
    """Managers promote members or step members down; a cooperative keeps at least one manager."""
    _lock_cooperative(membership.cooperative)
    membership = _locked(membership)
    _require_manager(user=user, cooperative=membership.cooperative)
    _require_active(membership)
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    demoting = membership.role == Membership.Role.MANAGER and role != Membership.Role.MANAGER
    if demoting and not _other_managers(membership).exists():
        raise ValidationError(
            _("A cooperative needs at least one manager. Make another member a manager first."),
            code="last_manager",
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership
