"""Referrals (rujukan): invite links, and who brought whom to Guyub.

An enterprise shares /join/<code>/. Whoever signs up through it gets a referral tie from the
inviting enterprise to them as a buyer; the enterprises they start later get one too. An
enterprise that came some other way can say "we were referred by ...". Each enterprise and each
buyer has at most one referrer (database constraints one_referrer_per_enterprise and
one_referrer_per_buyer); these services check first, under a row lock, and say so plainly."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Invite, Tie
from enterprises.selectors import enterprise_check_runs, user_can_manage_enterprise
from enterprises.services.ties import tie_record

# Lower case letters and digits without the ones people misread or mistype from a photo of a
# phone screen (0/o, 1/l/i). 31 symbols ** 10 is about 8 * 10**14 codes.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10

# Where the join page keeps the code until the visitor signs up (read by cms.views.signup).
INVITE_SESSION_KEY = "guyub_invite_code"


def invite_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))


def _invite_create(*, enterprise: Enterprise, user) -> Invite:
    while True:
        try:
            with transaction.atomic():
                return Invite.objects.create(code=invite_code_new(), enterprise=enterprise,
                                             created_by=user)
        except IntegrityError:  # the code is taken (about once in 10**14 tries)
            continue


@transaction.atomic
def invite_for(*, enterprise: Enterprise, user) -> Invite:
    """The enterprise's active invite link, made the first time someone who runs it asks."""
    enterprise_check_runs(user=user, enterprise=enterprise)
    # The enterprise's row lock makes two first visits at once share one link.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    invite = enterprise.invites.filter(is_active=True).order_by("-created_at", "-pk").first()
    if invite is None:
        invite = _invite_create(enterprise=enterprise, user=user)
    return invite


@transaction.atomic
def invite_renew(*, enterprise: Enterprise, user) -> Invite:
    """A new link; the old one stops working (for a link shared too widely). People who already
    signed up through it keep their referral."""
    enterprise_check_runs(user=user, enterprise=enterprise)
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    enterprise.invites.filter(is_active=True).update(is_active=False)
    return _invite_create(enterprise=enterprise, user=user)


def _referrer_of_enterprise(enterprise: Enterprise) -> Tie | None:
    return Tie.objects.select_related("from_enterprise").filter(
        kind=Tie.Kind.REFERRAL, to_enterprise=enterprise
    ).first()


REFERRAL_CHAIN_LIMIT = 50  # how far up "who referred the referrer" is followed


def _referrers_above(enterprise: Enterprise) -> list[int]:
    """The ids of the enterprise's referrer, that one's referrer and so on (one query a step;
    chains are short, and each enterprise has one referrer)."""
    chain: list[int] = []
    current = enterprise.pk
    for _step in range(REFERRAL_CHAIN_LIMIT):
        parent = Tie.objects.filter(kind=Tie.Kind.REFERRAL, to_enterprise_id=current).values_list(
            "from_enterprise_id", flat=True).first()
        if parent is None or parent in chain:
            break
        chain.append(parent)
        current = parent
    return chain


@transaction.atomic
def referral_record_signup(*, invite: Invite, user) -> Tie | None:
    """`user` has just signed up after opening `invite`: the inviting enterprise brought them in.
    Nothing when the link is no longer active, the user already has a referrer, or the user is
    one of the inviting enterprise's own people."""
    if not invite.is_active or not invite.enterprise.is_active:
        return None
    # Serialises everything that records this user's referrer.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if Tie.objects.filter(kind=Tie.Kind.REFERRAL, to_user=user).exists():
        return None
    if invite.enterprise.memberships.filter(user=user).exists():
        return None
    return tie_record(
        kind=Tie.Kind.REFERRAL, from_enterprise=invite.enterprise, to_user=user,
        started_on=timezone.localdate(), origin=Tie.Origin.EXPLICIT,
        evidence=f"invite:{invite.pk}",
    )


@transaction.atomic
def referral_record_enterprise(*, enterprise: Enterprise, user) -> Tie | None:
    """`user` has just started `enterprise`. If an enterprise brought `user` to Guyub, it also
    referred the new enterprise, from the day it was created."""
    buyer_tie = Tie.objects.select_related("from_enterprise").filter(
        kind=Tie.Kind.REFERRAL, to_user=user
    ).first()
    if buyer_tie is None or buyer_tie.from_enterprise_id == enterprise.pk:
        return None
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    if Tie.objects.filter(kind=Tie.Kind.REFERRAL, to_enterprise=enterprise).exists():
        return None
    if buyer_tie.from_enterprise.memberships.filter(user=user).exists():
        return None  # they have since joined the referrer's own people
    return tie_record(
        kind=Tie.Kind.REFERRAL, from_enterprise=buyer_tie.from_enterprise,
        to_enterprise=enterprise, started_on=timezone.localdate(enterprise.created_at),
        origin=Tie.Origin.EXPLICIT, evidence=buyer_tie.evidence or f"buyer-referral:{user.pk}",
    )


@transaction.atomic
def referred_by_set(*, enterprise: Enterprise, referrer: Enterprise, user) -> Tie:
    """"We were referred by `referrer`", said by one of the people who run `enterprise`.
    An enterprise names one referrer, once; the tie starts on the day it is said."""
    enterprise_check_runs(user=user, enterprise=enterprise)
    if referrer.pk == enterprise.pk:
        raise ValidationError(_("An enterprise cannot refer itself."), code="self")
    if user_can_manage_enterprise(user=user, enterprise=referrer):
        # Both ends run by the same person would be a referral nobody made.
        raise ValidationError(
            _("You run %(name)s yourself. Choose the enterprise that told you about Guyub.")
            % {"name": referrer.name}, code="self")
    locked = list(Enterprise.objects.select_for_update().filter(
        pk__in=[enterprise.pk, referrer.pk]).order_by("pk"))
    locked_referrer = next((row for row in locked if row.pk == referrer.pk), None)
    if locked_referrer is None or not locked_referrer.is_active:
        raise ValidationError(_("%(name)s is not active on Guyub.") % {"name": referrer.name},
                              code="inactive")
    existing = _referrer_of_enterprise(enterprise)
    if existing is not None:
        raise ValidationError(
            _("%(name)s was already referred by %(referrer)s. An enterprise has one referrer.")
            % {"name": enterprise.name, "referrer": existing.from_enterprise.name},
            code="has_referrer")
    chain = _referrers_above(referrer)
    if chain and chain[0] == enterprise.pk:
        raise ValidationError(
            _("%(referrer)s was referred by %(name)s, so it cannot have referred %(name)s.")
            % {"name": enterprise.name, "referrer": referrer.name}, code="cycle")
    if enterprise.pk in chain:
        raise ValidationError(
            _("%(referrer)s came to Guyub through a chain of referrals that starts with "
              "%(name)s, so it cannot have referred %(name)s.")
            % {"name": enterprise.name, "referrer": referrer.name}, code="cycle")
    return tie_record(
        kind=Tie.Kind.REFERRAL, from_enterprise=referrer, to_enterprise=enterprise,
        started_on=timezone.localdate(), origin=Tie.Origin.EXPLICIT,
        evidence=f"stated_by:{user.pk}",
    )
