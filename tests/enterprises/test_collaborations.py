""""We work together": asked by one enterprise, confirmed by the other, then one collaboration
tie for the pair, however many times it is said."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cms.models import Notification
from enterprises.models import CollaborationRequest, Tie
from enterprises.services.collaborations import (
    collaboration_confirm,
    collaboration_decline,
    collaboration_request,
    collaboration_withdraw,
)
from tests.factories import (
    CollaborationRequestFactory,
    EnterpriseMemberFactory,
    TieFactory,
    UserFactory,
    seller,
)
from tests.helpers import ON_POSTGRESQL

pytestmark = pytest.mark.django_db

Status = CollaborationRequest.Status


@pytest.fixture(autouse=True)
def _in_english(english):
    pass


@pytest.fixture
def pair():
    """(sari, keripik) and (rina, batik): two enterprises and their owners."""
    return seller(name="Keripik Sari"), seller(name="Batik Rina")


def test_asking_then_confirming_records_one_collaboration_tie(
        pair, django_capture_on_commit_callbacks):
    (sari, keripik), (rina, batik) = pair

    with django_capture_on_commit_callbacks(execute=True):
        request = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari,
                                        note="Mereka menjahit tas kami")
    assert request.status == Status.PENDING and request.requested_by == sari
    assert not Tie.objects.exists()
    asked = Notification.objects.get(user=rina)
    assert asked.kind == "collaboration_request" and "Keripik Sari" in asked.title
    assert asked.url.endswith(f"/dashboard/network/{batik.slug}/#requests")

    with django_capture_on_commit_callbacks(execute=True):
        collaboration_confirm(request=request, user=rina)

    request.refresh_from_db()
    assert (request.status, request.answered_by) == (Status.CONFIRMED, rina)
    assert request.answered_at is not None
    tie = Tie.objects.get()
    assert tie.kind == Tie.Kind.COLLABORATION and tie.origin == Tie.Origin.EXPLICIT
    assert {tie.from_enterprise, tie.to_enterprise} == {keripik, batik}
    assert tie.evidence == f"collaboration:{request.pk}"
    assert tie.started_on == timezone.localdate()
    told = Notification.objects.get(user=sari)
    assert told.kind == "collaboration_confirmed" and "Batik Rina" in told.title


def test_a_confirmed_collaboration_asked_again_is_refused_and_counts_once(pair):
    (sari, keripik), (rina, batik) = pair
    collaboration_confirm(request=collaboration_request(
        from_enterprise=keripik, to_enterprise=batik, user=sari), user=rina)

    with pytest.raises(ValidationError, match="already recorded as working together"):
        collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)
    with pytest.raises(ValidationError, match="already recorded"):
        collaboration_request(from_enterprise=batik, to_enterprise=keripik, user=rina)

    assert Tie.objects.count() == 1


def test_a_tie_already_there_is_not_doubled_by_a_confirmation(pair):
    (sari, keripik), (rina, batik) = pair
    request = CollaborationRequestFactory(from_enterprise=keripik, to_enterprise=batik,
                                          requested_by=sari)
    TieFactory(from_enterprise=min(keripik, batik, key=lambda e: e.pk),
               to_enterprise=max(keripik, batik, key=lambda e: e.pk))

    collaboration_confirm(request=request, user=rina)

    assert Tie.objects.count() == 1


def test_asking_when_the_other_side_already_asked_confirms_theirs(pair):
    (sari, keripik), (rina, batik) = pair
    theirs = collaboration_request(from_enterprise=batik, to_enterprise=keripik, user=rina)

    result = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    assert result.pk == theirs.pk and result.status == Status.CONFIRMED
    assert CollaborationRequest.objects.count() == 1
    assert Tie.objects.filter(kind=Tie.Kind.COLLABORATION).count() == 1


def test_asking_twice_is_refused(pair):
    (sari, keripik), (_rina, batik) = pair
    collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    with pytest.raises(ValidationError, match="already asked Batik Rina"):
        collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    assert CollaborationRequest.objects.count() == 1


def test_requests_crossing_are_answered_by_one_tie(pair):
    (sari, keripik), (rina, batik) = pair
    mine = CollaborationRequestFactory(from_enterprise=keripik, to_enterprise=batik,
                                       requested_by=sari)
    theirs = CollaborationRequestFactory(from_enterprise=batik, to_enterprise=keripik,
                                         requested_by=rina)

    collaboration_confirm(request=mine, user=rina)

    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED
    assert Tie.objects.count() == 1


@pytest.mark.parametrize("case", ["stranger", "itself", "runs_both", "inactive", "long_note"])
def test_request_refusals(pair, case):
    (sari, keripik), (_rina, batik) = pair
    user, to_enterprise, note = sari, batik, ""
    if case == "stranger":
        user = UserFactory()
    elif case == "itself":
        to_enterprise = keripik
    elif case == "runs_both":
        EnterpriseMemberFactory(enterprise=batik, user=sari)
    elif case == "inactive":
        batik.is_active = False
        batik.save()
    elif case == "long_note":
        note = "x" * 201

    error = PermissionDenied if case == "stranger" else ValidationError
    with pytest.raises(error):
        collaboration_request(from_enterprise=keripik, to_enterprise=to_enterprise, user=user,
                              note=note)

    assert not CollaborationRequest.objects.exists()


def test_only_the_asked_side_confirms_or_declines(pair):
    (sari, keripik), (_rina, batik) = pair
    request = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    for action in (collaboration_confirm, collaboration_decline):
        for user in (sari, UserFactory()):
            with pytest.raises(PermissionDenied):
                action(request=request, user=user)

    request.refresh_from_db()
    assert request.status == Status.PENDING
    assert not Tie.objects.exists()


def test_only_the_asking_side_withdraws(pair):
    (sari, keripik), (rina, batik) = pair
    request = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    with pytest.raises(PermissionDenied):
        collaboration_withdraw(request=request, user=rina)
    withdrawn = collaboration_withdraw(request=request, user=sari)

    assert withdrawn.status == Status.WITHDRAWN and withdrawn.answered_by == sari
    # Once withdrawn, they may ask again.
    again = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)
    assert again.status == Status.PENDING


def test_declining_records_no_tie_and_tells_the_asker(pair, django_capture_on_commit_callbacks):
    (sari, keripik), (rina, batik) = pair
    request = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    with django_capture_on_commit_callbacks(execute=True):
        collaboration_decline(request=request, user=rina)

    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert not Tie.objects.exists()
    assert Notification.objects.get(user=sari).kind == "collaboration_declined"


@pytest.mark.parametrize("answered", [Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN])
def test_a_request_already_answered_cannot_be_answered_again(pair, answered):
    (sari, keripik), (rina, batik) = pair
    request = CollaborationRequestFactory(from_enterprise=keripik, to_enterprise=batik,
                                          requested_by=sari, status=answered)

    with pytest.raises(ValidationError, match="no longer waiting"):
        collaboration_confirm(request=request, user=rina)
    with pytest.raises(ValidationError, match="no longer waiting"):
        collaboration_decline(request=request, user=rina)
    with pytest.raises(ValidationError, match="no longer waiting"):
        collaboration_withdraw(request=request, user=sari)

    request.refresh_from_db()
    assert request.status == answered
    assert not Tie.objects.exists()


def test_an_ended_collaboration_can_be_stated_again(pair):
    (sari, keripik), (rina, batik) = pair
    low, high = sorted([keripik, batik], key=lambda e: e.pk)
    tie = TieFactory(from_enterprise=low, to_enterprise=high,
                     started_on=timezone.localdate().replace(day=1))
    Tie.objects.filter(pk=tie.pk).update(ended_on=timezone.localdate())

    request = collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)
    collaboration_confirm(request=request, user=rina)

    tie.refresh_from_db()
    assert tie.ended_on is None and Tie.objects.count() == 1


def test_other_enterprise_people_are_notified(pair, django_capture_on_commit_callbacks):
    (sari, keripik), (rina, batik) = pair
    colleague = EnterpriseMemberFactory(enterprise=batik).user

    with django_capture_on_commit_callbacks(execute=True):
        collaboration_request(from_enterprise=keripik, to_enterprise=batik, user=sari)

    assert set(Notification.objects.values_list("user", flat=True)) == {rina.pk, colleague.pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs parallel transactions (PostgreSQL)")
def test_both_sides_asking_at_once_make_one_confirmed_tie():
    (sari, keripik), (rina, batik) = seller(), seller()
    barrier = threading.Barrier(2)
    results = []

    def ask(user, mine, theirs):
        barrier.wait()
        try:
            results.append(collaboration_request(from_enterprise=mine, to_enterprise=theirs,
                                                 user=user).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(sari, keripik, batik)),
               threading.Thread(target=ask, args=(rina, batik, keripik))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [Status.CONFIRMED, Status.PENDING]
    assert CollaborationRequest.objects.get().status == Status.CONFIRMED
    assert Tie.objects.filter(kind=Tie.Kind.COLLABORATION).count() == 1
