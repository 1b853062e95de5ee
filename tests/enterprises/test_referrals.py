"""Referrals (rujukan): invite links, the referral recorded at sign-up and at the new
enterprise, and "we were referred by". Each enterprise and each buyer has one referrer, and a
referral made twice is still one tie."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from enterprises.models import Invite, Tie
from enterprises.services import enterprise_create
from enterprises.services.referrals import (
    CODE_ALPHABET,
    CODE_LENGTH,
    invite_for,
    invite_renew,
    referral_record_enterprise,
    referral_record_signup,
    referred_by_set,
)
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    InviteFactory,
    RegencyFactory,
    TieFactory,
    UserFactory,
    seller,
)
from tests.helpers import ON_POSTGRESQL, enterprise_fields

pytestmark = pytest.mark.django_db

Kind = Tie.Kind


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


# Invite links


def test_an_enterprise_gets_one_invite_link_with_a_short_unguessable_code():
    user, enterprise = seller()

    invite = invite_for(enterprise=enterprise, user=user)
    again = invite_for(enterprise=enterprise, user=user)

    assert again.pk == invite.pk
    assert Invite.objects.filter(enterprise=enterprise).count() == 1
    assert len(invite.code) == CODE_LENGTH
    assert set(invite.code) <= set(CODE_ALPHABET)
    assert not set(invite.code) & set("01ilo")  # nothing misread from a phone screen
    assert invite.is_active and invite.created_by == user


def test_codes_differ_between_enterprises():
    codes = set()
    for _index in range(20):
        user, enterprise = seller()
        codes.add(invite_for(enterprise=enterprise, user=user).code)
    assert len(codes) == 20


def test_only_the_enterprises_people_get_or_renew_its_link():
    _owner, enterprise = seller()
    stranger, _other = seller()

    with pytest.raises(PermissionDenied):
        invite_for(enterprise=enterprise, user=stranger)
    with pytest.raises(PermissionDenied):
        invite_renew(enterprise=enterprise, user=stranger)
    assert not Invite.objects.exists()


def test_renewing_deactivates_the_old_link():
    user, enterprise = seller()
    old = invite_for(enterprise=enterprise, user=user)

    new = invite_renew(enterprise=enterprise, user=user)

    old.refresh_from_db()
    assert not old.is_active
    assert new.is_active and new.code != old.code
    assert invite_for(enterprise=enterprise, user=user).pk == new.pk


# Sign-up through a link


def test_signing_up_through_a_link_records_a_referral_to_the_new_buyer():
    inviter = EnterpriseFactory()
    invite = InviteFactory(enterprise=inviter)
    newcomer = UserFactory()

    tie = referral_record_signup(invite=invite, user=newcomer)

    assert (tie.kind, tie.from_enterprise, tie.to_user) == (Kind.REFERRAL, inviter, newcomer)
    assert tie.origin == Tie.Origin.EXPLICIT
    assert tie.evidence == f"invite:{invite.pk}"
    assert tie.started_on == timezone.localdate()


def test_a_buyer_keeps_their_first_referrer():
    first, second = InviteFactory(), InviteFactory()
    newcomer = UserFactory()
    referral_record_signup(invite=first, user=newcomer)

    assert referral_record_signup(invite=second, user=newcomer) is None
    assert referral_record_signup(invite=first, user=newcomer) is None  # the same link twice

    assert Tie.objects.filter(to_user=newcomer).count() == 1
    assert Tie.objects.get(to_user=newcomer).from_enterprise == first.enterprise


def test_no_referral_for_the_inviters_own_people_or_through_an_old_link():
    owner, enterprise = seller()
    invite = InviteFactory(enterprise=enterprise)
    old = InviteFactory(is_active=False)

    assert referral_record_signup(invite=invite, user=owner) is None
    assert referral_record_signup(invite=old, user=UserFactory()) is None
    assert not Tie.objects.exists()


# The enterprise the newcomer starts


def test_the_enterprise_a_referred_newcomer_starts_is_referred_from_its_creation():
    inviter = EnterpriseFactory()
    invite = InviteFactory(enterprise=inviter)
    newcomer = UserFactory()
    referral_record_signup(invite=invite, user=newcomer)

    started = enterprise_create(user=newcomer, **enterprise_fields(RegencyFactory()))

    tie = Tie.objects.get(kind=Kind.REFERRAL, to_enterprise=started)
    assert tie.from_enterprise == inviter
    assert tie.started_on == timezone.localdate(started.created_at)
    assert tie.origin == Tie.Origin.EXPLICIT
    assert tie.evidence == f"invite:{invite.pk}"
    # Called again (e.g. a retry), it is still one tie.
    assert referral_record_enterprise(enterprise=started, user=newcomer) is None
    assert Tie.objects.filter(kind=Kind.REFERRAL, to_enterprise=started).count() == 1


def test_an_enterprise_started_without_a_referral_has_no_referrer():
    started = enterprise_create(user=UserFactory(), **enterprise_fields(RegencyFactory()))

    assert not Tie.objects.filter(to_enterprise=started).exists()


def test_no_referral_when_the_newcomer_has_joined_the_referrers_people():
    inviter = EnterpriseFactory()
    newcomer = UserFactory()
    referral_record_signup(invite=InviteFactory(enterprise=inviter), user=newcomer)
    EnterpriseMemberFactory(enterprise=inviter, user=newcomer)

    started = enterprise_create(user=newcomer, **enterprise_fields(RegencyFactory()))

    assert not Tie.objects.filter(to_enterprise=started).exists()


# "We were referred by ..."


def test_an_enterprise_names_its_referrer():
    user, enterprise = seller()
    referrer = EnterpriseFactory()

    tie = referred_by_set(enterprise=enterprise, referrer=referrer, user=user)

    assert (tie.kind, tie.from_enterprise, tie.to_enterprise) == (
        Kind.REFERRAL, referrer, enterprise)
    assert tie.origin == Tie.Origin.EXPLICIT and tie.started_on == timezone.localdate()


def test_an_enterprise_has_one_referrer_and_says_so_once():
    user, enterprise = seller()
    first = EnterpriseFactory(name="Kopi Budi")
    referred_by_set(enterprise=enterprise, referrer=first, user=user)

    with pytest.raises(ValidationError, match="already referred by Kopi Budi"):
        referred_by_set(enterprise=enterprise, referrer=EnterpriseFactory(), user=user)
    with pytest.raises(ValidationError, match="already referred"):
        referred_by_set(enterprise=enterprise, referrer=first, user=user)

    assert Tie.objects.filter(to_enterprise=enterprise).count() == 1


def test_the_database_also_refuses_a_second_referrer():
    enterprise = EnterpriseFactory()
    TieFactory(kind=Kind.REFERRAL, to_enterprise=enterprise)

    with pytest.raises(IntegrityError), transaction.atomic():
        TieFactory(kind=Kind.REFERRAL, to_enterprise=enterprise)


@pytest.mark.parametrize("case", ["stranger", "itself", "own", "inactive", "cycle"])
def test_referred_by_refusals(case):
    user, enterprise = seller()
    referrer = EnterpriseFactory(name="Tenun Dewi")
    if case == "stranger":
        user = UserFactory()
    elif case == "itself":
        referrer = enterprise
    elif case == "own":
        EnterpriseMemberFactory(enterprise=referrer, user=user)
    elif case == "inactive":
        referrer.is_active = False
        referrer.save()
    elif case == "cycle":
        TieFactory(kind=Kind.REFERRAL, from_enterprise=enterprise, to_enterprise=referrer)
    before = Tie.objects.count()

    error = PermissionDenied if case == "stranger" else ValidationError
    with pytest.raises(error):
        referred_by_set(enterprise=enterprise, referrer=referrer, user=user)

    assert Tie.objects.count() == before


def test_a_referral_made_by_link_and_stated_again_counts_once():
    inviter = EnterpriseFactory(name="Batik Rina")
    newcomer = UserFactory()
    referral_record_signup(invite=InviteFactory(enterprise=inviter), user=newcomer)
    started = enterprise_create(user=newcomer, **enterprise_fields(RegencyFactory()))

    with pytest.raises(ValidationError, match="already referred by Batik Rina"):
        referred_by_set(enterprise=started, referrer=inviter, user=newcomer)

    assert Tie.objects.filter(kind=Kind.REFERRAL, from_enterprise=inviter).count() == 2  # buyer
    assert Tie.objects.filter(kind=Kind.REFERRAL, to_enterprise=started).count() == 1


def test_the_tie_starts_on_the_day_it_is_said(monkeypatch):
    user, enterprise = seller()
    day = datetime.date(2026, 2, 14)
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)

    tie = referred_by_set(enterprise=enterprise, referrer=EnterpriseFactory(), user=user)

    assert tie.started_on == day


# At the same moment (PostgreSQL: parallel transactions)


def _race(*actions):
    """Run the actions in parallel threads, each in its own transaction; their outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        barrier.wait()
        try:
            action()
            outcomes.append("done")
        except (ValidationError, PermissionDenied):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs parallel transactions (PostgreSQL)")
def test_two_people_naming_different_referrers_at_once_leave_one():
    user, enterprise = seller()
    colleague = EnterpriseMemberFactory(enterprise=enterprise).user
    first, second = EnterpriseFactory(), EnterpriseFactory()

    outcomes = _race(
        lambda: referred_by_set(enterprise=enterprise, referrer=first, user=user),
        lambda: referred_by_set(enterprise=enterprise, referrer=second, user=colleague),
    )

    assert outcomes == ["done", "refused"]
    assert Tie.objects.filter(kind=Kind.REFERRAL, to_enterprise=enterprise).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs parallel transactions (PostgreSQL)")
def test_two_first_visits_at_once_share_one_invite_link():
    user, enterprise = seller()
    colleague = EnterpriseMemberFactory(enterprise=enterprise).user

    outcomes = _race(lambda: invite_for(enterprise=enterprise, user=user),
                     lambda: invite_for(enterprise=enterprise, user=colleague))

    assert outcomes == ["done", "done"]
    assert Invite.objects.filter(enterprise=enterprise, is_active=True).count() == 1
